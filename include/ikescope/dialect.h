#ifndef IKESCOPE_DIALECT_H
#define IKESCOPE_DIALECT_H

/*
 * The dialect adapters: the only code that knows what a vendor's words
 * mean. Each turns what the grammar recognized in a record into an event
 * (event.h), and knows its dialect's spelling of IKEv2 values in protocol
 * terms (proto.h). One file per dialect (the names of grammar.h's
 * GRAM_DIALECTS): asa.c, ios.c, dart.c, show.c, strongswan.c; cisco.c
 * holds what the ASA and IOS share (the IKEv2 code base's records and
 * transform names). Each dialect gives its words as a struct dialect_words;
 * the look-ups below go through it, and fall back on the protocol's own
 * names (proto.h) where it has no word of its own.
 */

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct ike_event;
struct lex_record;
struct gram_match;

#include "ikescope/grammar.h"

/*
 * The event a recognized record makes (m: what the grammar recognized in
 * rec). input: the dialect of the record's input (GRAM_DIALECT_COUNT: not
 * known yet). The adapter is the input's dialect when the rule is of it or
 * common to all, else the rule's own (its first).
 */
void dialect_event(const struct lex_record *rec, const struct gram_match *m,
		   enum gram_dialect input, struct ike_event *ev);

/*
 * The payload type (proto.h) of a payload name as dialect d prints it
 * (GRAM_DIALECT_COUNT: the protocol's names only). False if not known.
 */
bool dialect_payload_type(enum gram_dialect d, const char *name, size_t n, unsigned *type);
/*
 * The protocol's name (proto.h) of a notify as dialect d names it in a
 * message's payload list ("NO_PROP" is NO_PROPOSAL_CHOSEN in strongSwan's),
 * or NULL if not known.
 */
const char *dialect_notify_name(enum gram_dialect d, const char *name, size_t n);
/* The same for an ID type (PROTO_ID_*) and an AUTH method (PROTO_AUTH_*). */
bool dialect_id_type(enum gram_dialect d, const char *name, size_t n, unsigned *type);
bool dialect_auth_method(enum gram_dialect d, const char *name, size_t n, unsigned *method);
/* And a CFG payload's type (PROTO_CFG_REQUEST, ...) and attribute (PROTO_CFG_INTERNAL_IP4_ADDRESS, ...). */
bool dialect_cfg_type(enum gram_dialect d, const char *name, size_t n, unsigned *type);
bool dialect_cfg_attr(enum gram_dialect d, const char *name, size_t n, unsigned *type);

/*
 * A transform of type type (1 ENCR, 2 PRF, 3 INTEG, 4 D-H, 5 ESN) as
 * dialect d names it: its IANA value in *iana; false if not known.
 */
bool dialect_transform(enum gram_dialect d, unsigned type, const char *name, unsigned *iana);
struct dialect_transform_word;
/*
 * Splits a transform list as dialect d prints it in proposals and policy
 * lists into at most max transforms, each with its type; ike: of an IKE
 * proposal. Returns their number.
 */
size_t dialect_transform_words(enum gram_dialect d, const char *text, size_t len, bool ike,
			       struct dialect_transform_word *out, size_t max);
/* The D-H group's number in its name as dialect d prints it ("14"), or name itself. */
const char *dialect_group_number(enum gram_dialect d, const char *name);
/* The dialect of a session (its "dialect" name), GRAM_DIALECT_COUNT if none. */
enum gram_dialect dialect_named(const char *name);

/* Per dialect: its adapter (asa.c, ios.c, dart.c, show.c, strongswan.c). */
typedef void dialect_adapter(const struct lex_record *rec, const struct gram_match *m,
			     struct ike_event *ev);
dialect_adapter dialect_asa_event, dialect_ios_event, dialect_dart_event, dialect_show_event,
	dialect_strongswan_event, dialect_libreswan_event, dialect_fortigate_event;

/* What a remedy is asked for: the failure's cause and where it happened. */
struct dialect_remedy {
	const char *cause;    /* a notify name or a MODEL_CAUSE_* */
	const char *exchange; /* where it failed, or NULL */
	bool ike;             /* the IKE SA's proposal (not a child SA's) was refused */
	bool psk;             /* a pre-shared key authenticates one of the ends */
};

/*
 * What to change for a failure, in dialect d's configuration terms, or NULL
 * when it has no words of its own for that cause (then the caller's).
 */
const char *dialect_remedy(enum gram_dialect d, const struct dialect_remedy *q);
/*
 * True if the lines of dialects a and b may name the same SA (one input may
 * mix the lines of several daemons or devices, whose SA numbers are their
 * own); GRAM_DIALECT_COUNT (not known) goes with any.
 */
bool dialect_same_sa_space(enum gram_dialect a, enum gram_dialect b);
/* A D-H group's number as text ("14"), for the group_number look-ups; NULL past 63. */
const char *dialect_group_text(unsigned group);

/*
 * The remedy of a peer that never answers, for daemons configured by
 * connections (strongSwan, libreswan).
 */
#define DIALECT_REMEDY_NO_RESPONSE_CONN                                                            \
	"check that UDP 500 and 4500 reach the peer and its replies come back (routing, "          \
	"firewalls, NAT), and that the peer has a connection for this host"

/*
 * A dialect's remedy for one cause: text, or other where the cause has two
 * (NO_PROPOSAL_CHOSEN: text for the IKE SA's proposal, other for a child
 * SA's; AUTHENTICATION_FAILED: text with a pre-shared key, other without).
 */
struct dialect_remedy_text {
	const char *cause, *text, *other;
};
/* The remedy q asks for, from a dialect's table of n; NULL if it has none. */
const char *dialect_remedy_from(const struct dialect_remedy_text *t, size_t n,
				const struct dialect_remedy *q);

/* What dialect d calls the configuration it looks up for a peer ("connection"). */
const char *dialect_peer_config(enum gram_dialect d);

struct dialect_transform_word;

/*
 * A dialect's words: its adapter and its spelling of protocol values. A
 * NULL look-up is the protocol's names (proto.h).
 */
struct dialect_words {
	dialect_adapter *event;
	/*
	 * The device family whose SA numbers this dialect's lines share (the
	 * ASA's and IOS's lines in one log are one code base's); NULL: its own.
	 */
	const char *sa_space;
	/* what it calls the configuration it looks up for a peer ("IKEv2 profile"), or NULL */
	const char *peer_config;
	bool (*payload_type)(const char *name, size_t n, unsigned *type);
	const char *(*notify_name)(const char *name, size_t n);
	bool (*transform)(unsigned type, const char *name, unsigned *iana);
	size_t (*transform_words)(const char *text, size_t len, bool ike,
				  struct dialect_transform_word *out, size_t max);
	const char *(*group_number)(const char *name);
	bool (*id_type)(const char *name, size_t n, unsigned *type);
	bool (*auth_method)(const char *name, size_t n, unsigned *method);
	bool (*cfg_type)(const char *name, size_t n, unsigned *type);
	bool (*cfg_attr)(const char *name, size_t n, unsigned *type);
	const char *(*remedy)(const struct dialect_remedy *q);
};

extern const struct dialect_words dialect_asa_words, dialect_ios_words, dialect_dart_words,
	dialect_show_words, dialect_strongswan_words, dialect_libreswan_words,
	dialect_fortigate_words;

/*
 * Votes for the dialect of an input: fed the records of its beginning,
 * it settles on the dialect most of them show (ties: the first seen).
 */
struct dialect_votes {
	unsigned n[GRAM_DIALECT_COUNT];
	unsigned total, seen;     /* votes; records asked */
	enum gram_dialect leader; /* GRAM_DIALECT_COUNT: none yet */
};

#define DIALECT_VOTES   64   /* the records that vote, at most */
#define DIALECT_RECORDS 1000 /* the records asked, at most */

void dialect_votes_init(struct dialect_votes *v);
/* Counts what text (a record) shows; cheap once the vote is over. */
void dialect_vote(struct dialect_votes *v, const struct grammar *g, const char *text, size_t len);
/* A transform of a Cisco transform list: its RFC 7296 type (1 ENCR, 2 PRF, 3 INTEG, 4 D-H, 5 ESN), where it is in the text and how long. */
struct dialect_transform_word {
	unsigned type;
	size_t at, len;
};

/*
 * Splits a transform list as Cisco devices print it in proposal summaries
 * and policy lists ("AES-CBC-256 SHA256 SHA256 DH_GROUP_2048_MODP/Group 14",
 * "AES-CBC SHA256 Don't use ESN") into at most max transforms; ike: of an IKE
 * proposal (its first hash is the PRF). Returns their number.
 */
size_t dialect_cisco_transform_words(const char *text, size_t len, bool ike,
				     struct dialect_transform_word *out, size_t max);
/*
 * The payload type (proto.h) of a payload as a Cisco device names it: the
 * protocol's names and short names, and the Cisco ones ("VID", "NOTIFY",
 * "DELETE", "CFG", "NONCE", "ENCR"; "NOTIFY(NAME)" in a one-line list).
 * False if not known.
 */
bool dialect_cisco_payload_type(const char *name, size_t n, unsigned *type);
/*
 * An ID type ("IPv4 address", "FQDN", "DER ASN1 DN", ...) and an AUTH method
 * ("PSK", "RSA") as the Cisco code prints them, in any case, or by their
 * protocol names. False if not known ("Group name", a Cisco ID of its own;
 * "ECDSA", whose curve the word does not say).
 */
bool dialect_cisco_id_type(const char *name, size_t n, unsigned *type);
bool dialect_cisco_auth_method(const char *name, size_t n, unsigned *method);
/* A CFG type ("CFG_REPLY") and attribute ("internal IP4 address") as the Cisco code prints them. */
bool dialect_cisco_cfg_type(const char *name, size_t n, unsigned *type);
bool dialect_cisco_cfg_attr(const char *name, size_t n, unsigned *type);
/* The group number in a D-H group's Cisco name ("14" of ".../Group 14"), or name itself. */
const char *dialect_cisco_group_number(const char *name);

struct strbuf;

/*
 * A DART entry's description as one line (dart.c): the entry's "File:",
 * "Line:" and "Function:" lines left out, white space folded, at most max
 * bytes, cut on a character boundary. Appended to out.
 */
void dialect_dart_description(const char *p, size_t n, size_t max, struct strbuf *out);

/*
 * What every adapter does first (event.c): the event kind of the record's
 * family, its lines, text and timestamp, the SA handle, session number,
 * SPIs, message ID and direction.
 */
void dialect_common_event(const struct lex_record *rec, const struct gram_match *m,
			  struct ike_event *ev);

/* True if the value v is the word w, whole (the adapters read role and direction words so). */
static inline bool
dialect_word_is(const struct gram_value *v, const char *w)
{
	return v && v->len == strlen(w) && !memcmp(v->p, w, v->len);
}

/*
 * strongSwan (strongswan.c): a payload in charon's message lists ("No" the
 * nonce, "N" a notify, "V", "D", "E", "EF", "CPRQ", ...), a notify's short
 * name there ("NO_PROP", "AUTH_FAILED", "TS_UNACCEPT", ...), a transform
 * ("AES_CBC_128", "HMAC_SHA2_256_128", "PRF_HMAC_SHA1", "MODP_2048",
 * "KE1_ML_KEM_768", "NO_EXT_SEQ") and a proposal's list of them
 * ("IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048").
 */
bool dialect_strongswan_payload_type(const char *name, size_t n, unsigned *type);
const char *dialect_strongswan_notify_name(const char *name, size_t n);
bool dialect_strongswan_transform(unsigned type, const char *name, unsigned *iana);
size_t dialect_strongswan_transform_words(const char *text, size_t len, bool ike,
					  struct dialect_transform_word *out, size_t max);
const char *dialect_strongswan_group_number(const char *name);
bool dialect_strongswan_auth_method(const char *name, size_t n, unsigned *method);
const char *dialect_strongswan_remedy(const struct dialect_remedy *q);

/*
 * libreswan (libreswan.c): a payload as pluto lists it ("Ni", "N(X)",
 * "SK{IDr,AUTH}"), a notify ("v2N_X" in older releases), a transform
 * ("AES_GCM_16_256", "HMAC_SHA2_512" the PRF, "MODP2048", "DH19") and a
 * list of them ("{cipher=... integ=... prf=... ke=...}",
 * "IKE=AES_CBC_256-HMAC_SHA1-MODP2048").
 */
bool dialect_libreswan_payload_type(const char *name, size_t n, unsigned *type);
const char *dialect_libreswan_notify_name(const char *name, size_t n);
bool dialect_libreswan_transform(unsigned type, const char *name, unsigned *iana);
size_t dialect_libreswan_transform_words(const char *text, size_t len, bool ike,
					 struct dialect_transform_word *out, size_t max);
const char *dialect_libreswan_group_number(const char *name);
bool dialect_libreswan_auth_method(const char *name, size_t n, unsigned *method);
const char *dialect_libreswan_remedy(const struct dialect_remedy *q);

/*
 * FortiGate (fortigate.c): a transform as FortiOS prints it ("AES_CBC_128",
 * "AUTH_HMAC_SHA2_256_128", "MODP2048", "ECP256"), a proposal as the
 * reconstructor gathers its "type=X, val=Y" lines ("ENCR=AES_CBC_128
 * DH_GROUP=MODP2048"), an ID type ("IPV4_ADDR", "FQDN").
 */
bool dialect_fortigate_transform(unsigned type, const char *name, unsigned *iana);
size_t dialect_fortigate_transform_words(const char *text, size_t len, bool ike,
					 struct dialect_transform_word *out, size_t max);
const char *dialect_fortigate_group_number(const char *name);
bool dialect_fortigate_id_type(const char *name, size_t n, unsigned *type);
bool dialect_fortigate_auth_method(const char *name, size_t n, unsigned *method);
const char *dialect_fortigate_remedy(const struct dialect_remedy *q);

/* The Cisco dialects' words (cisco.c), for the struct dialect_words of each. */
#define DIALECT_CISCO_WORDS                                                                        \
	.sa_space = "cisco", .peer_config = "IKEv2 profile",                                       \
	.payload_type = dialect_cisco_payload_type, .transform = dialect_cisco_transform,          \
	.transform_words = dialect_cisco_transform_words,                                          \
	.group_number = dialect_cisco_group_number, .id_type = dialect_cisco_id_type,              \
	.auth_method = dialect_cisco_auth_method, .cfg_type = dialect_cisco_cfg_type,              \
	.cfg_attr = dialect_cisco_cfg_attr

/* What the ASA and IOS adapters share (cisco.c): a record of the Cisco IKEv2 code base. */
void dialect_cisco_event(const struct lex_record *rec, const struct gram_match *m,
			 struct ike_event *ev);

/*
 * The IANA value of a transform of type type (1 encryption, 2 PRF, 3
 * integrity, 4 D-H group, 5 ESN) as a Cisco device names it ("AES-CBC",
 * "AES-GCM-256", "SHA96", "SHA256", "DH_GROUP_2048_MODP/Group 14", "Don't
 * use ESN"). False if the name is not known for that type.
 */
bool dialect_cisco_transform(unsigned type, const char *name, unsigned *iana);

#endif
