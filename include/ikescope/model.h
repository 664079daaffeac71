#ifndef IKESCOPE_MODEL_H
#define IKESCOPE_MODEL_H

/*
 * The reconstructed sessions: plain data that render/ and diff/ walk.
 * Everything a session points to lives in the session's arena and is freed
 * by session_destroy(); strings are never NULL where a comment says "text",
 * and NULL means "not in the log" elsewhere.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

enum model_dir { MODEL_DIR_UNKNOWN, MODEL_DIR_IN, MODEL_DIR_OUT };
/* MODEL_ROLE_CLIENT: a session rebuilt from a client log (DART) alone. */
enum model_role {
	MODEL_ROLE_UNKNOWN,
	MODEL_ROLE_INITIATOR,
	MODEL_ROLE_RESPONDER,
	MODEL_ROLE_CLIENT
};

#define MODEL_OUTCOMES(X)                                                                          \
	X(UP, "up", "IKE SA and a child SA established, not deleted by the end of the log")        \
	X(DELETED, "deleted", "was up, then deleted")                                              \
	X(FAILED, "failed", "ended without a child SA")                                            \
	X(INCOMPLETE, "incomplete", "the log ends in the middle of the negotiation")

#define MODEL_OUTCOME_ENUM(e, name, summary) MODEL_OUTCOME_##e,
enum model_outcome { MODEL_OUTCOMES(MODEL_OUTCOME_ENUM) MODEL_OUTCOME_COUNT };
#undef MODEL_OUTCOME_ENUM

const char *model_outcome_name(enum model_outcome o);

/* How bad a finding is (verify.h): could not check, looks wrong, is wrong. */
enum model_severity { MODEL_SEVERITY_INFO, MODEL_SEVERITY_WARN, MODEL_SEVERITY_ERROR };
const char *model_severity_name(enum model_severity v);
/* The severity named (info, warn, error); false if none is. */
bool model_severity_lookup(const char *name, enum model_severity *out);
const char *model_role_name(enum model_role r);
const char *model_dir_arrow(enum model_dir d);

/* Causes that are not notify names (a notify that decided a failure is its own cause). */
#define MODEL_CAUSES(X)                                                                            \
	X(NO_RESPONSE, "NO_RESPONSE", "retransmissions exhausted or no reply")                     \
	X(AUTH_TIMEOUT, "AUTH_TIMEOUT", "the responder never received IKE_AUTH in time")           \
	X(EAP_FAILURE, "EAP_FAILURE", "EAP authentication failed")                                 \
	X(CERTIFICATE_INVALID, "CERTIFICATE_INVALID", "the peer's certificate did not validate")   \
	X(PEER_ID_MISMATCH, "PEER_ID_MISMATCH",                                                    \
	  "the peer's identity does not match its credentials")                                    \
	X(CONFIG_MISSING, "CONFIG_MISSING", "no profile, tunnel group or crypto map entry")        \
	X(CHILD_SA_REJECTED, "CHILD_SA_REJECTED", "the child SA was refused, reason not printed")  \
	X(UNKNOWN, "UNKNOWN", "the log does not say")

#define MODEL_CAUSE_NAME(e, name, summary) static const char *const MODEL_CAUSE_##e = name;
MODEL_CAUSES(MODEL_CAUSE_NAME)
#undef MODEL_CAUSE_NAME

struct transform {
	unsigned type;   /* 1 ENCR, 2 PRF, 3 INTEG, 4 DH, 5 ESN */
	const char *id;  /* text */
	unsigned length; /* declared transform length */
	unsigned keylen; /* 0 if not shown */
	unsigned last;   /* "last transform": 0 the last, 3 more follow */
	unsigned iana;   /* the transform ID (proto.h), when has_iana */
	bool has_iana;   /* the device's name for it is known */
	bool has_last;   /* last was shown */
	uint32_t line;
};

struct proposal {
	unsigned num;
	const char *protocol;                    /* IKE, ESP, AH */
	unsigned spi_size, ntrans, length, last; /* last: 0 the last proposal, 2 more */
	bool has_last;                           /* last was shown */
	struct transform *t;
	size_t nt, cap_t;
	uint32_t line;
};

struct ts_range {
	const char *type;
	unsigned proto, length, port_start, port_end;
	const char *addr_start, *addr_end;
	uint32_t line;
};

/* The first bytes of a value dumped in hex (kept for short values: addresses, IDs). */
#define MODEL_VALUE_MAX 64

struct cfg_attr {
	const char *name; /* as the device printed it; NULL for an unknown number */
	unsigned type,
		length; /* type: PROTO_CFG_* (from the name, or as printed), 0 if not known */
	uint8_t *value; /* its first MODEL_VALUE_MAX bytes, in the session's arena; NULL: none */
	unsigned nvalue;
	uint32_t line;
};

struct payload {
	/* (the fields are ordered by size, for a payload costs this for every kind) */
	/* the type as the device names it (SA, KE, N, IDi, NOTIFY, VID, ...), for showing */
	const char *type;
	const char *notify; /* NOTIFY(x) */
	const char *next;
	/* SA */
	struct proposal *props;
	/* IDi/IDr, AUTH, CERT/CERTREQ: as the device printed them */
	const char *id_type, *auth_method, *encoding;
	const char *identity; /* IDi/IDr as the device printed it ("192.0.2.33"), or NULL */
	/* NOTIFY, DELETE */
	const char *protocol;
	/* TSi/TSr */
	struct ts_range *ts;
	/* CFG */
	const char *cfg_type; /* as the device printed it */
	struct cfg_attr *attrs;
	/* EAP */
	const char *eap_code, *eap_type;
	/* VID: the name the device gave it on the line before */
	const char *vendor;
	/* the first MODEL_VALUE_MAX bytes of its hex dump, in the session's arena; NULL: none */
	uint8_t *value;
	size_t nprops, cap_props, nts, cap_ts, nattrs, cap_attrs;
	unsigned ptype; /* the payload type (proto.h PROTO_PAYLOAD_*), 0: not known */
	unsigned length;
	uint32_t line;
	unsigned group;      /* KE */
	unsigned data_bytes; /* "Auth data: N bytes" and the like */
	unsigned spi_size, count;
	/* lines no rule knew amid the payload's dump (prose pasted into a copy) */
	unsigned gaps;
	unsigned eap_id, eap_length;
	/* bytes of hex dump that followed, and how many of them value holds */
	unsigned hex_bytes, nvalue;
	bool inner;  /* carried inside ENCR/SK */
	bool listed; /* named in a one-line payload list: the log shows no body */
	/* id_type and auth_method as PROTO_ID_*, PROTO_AUTH_*; 0 if not known */
	uint8_t idt, authm;
	uint8_t cfgt; /* cfg_type as PROTO_CFG_*; 0 if not known */
	bool has_eap;
};

/* An aggregate-auth XML document attached to a message. */
struct xml_doc {
	const char *type; /* config-auth type: hello, init, auth-request, ... */
	const char *client, *version, *who, *device, *group_select, *tunnel_group, *username;
	const char *session_id, *auth_id;
	bool well_formed, incomplete;
	bool has_dtd; /* declares a DOCTYPE or entities (never expanded or fetched) */
	uint32_t first_line, last_line;
};

struct message {
	enum model_dir dir;
	const char *exchange; /* IKE_SA_INIT, IKE_AUTH, ... or NULL */
	bool response;
	bool response_known;
	uint32_t mid;
	bool mid_known;
	const char *flags;
	unsigned length; /* declared message length, 0 if not shown */
	const char *src, *dst;
	unsigned sport, dport;
	struct payload *p;
	size_t np, cap_p;
	unsigned decrypted_bytes; /* REAL Decrypted packet size */
	unsigned sends;           /* packet lines for it: fragments and retransmissions */
	unsigned fragments;
	unsigned retransmits;
	struct xml_doc *xml;
	size_t nxml, cap_xml;
	bool has_header; /* its IKE header was dumped */
	uint32_t first_line, last_line;
};

struct exchange {
	const char *type;
	uint32_t mid;
	bool mid_known; /* false: the log names the messages but not their MID (an event trace) */
	struct message *request, *response;
};

/* What a state machine step means, as the grammar's value maps say (state_class, event_class). */
enum model_state_class {
	MODEL_STATE_OTHER,
	MODEL_STATE_NEGOTIATING,
	MODEL_STATE_ESTABLISHED,
	MODEL_STATE_DELETING,
	MODEL_STATE_ENDED,
};

enum model_event_class {
	MODEL_EVENT_OTHER,
	MODEL_EVENT_ESTABLISHED,
	MODEL_EVENT_FAILED,
	MODEL_EVENT_AUTH_FAILED,
	MODEL_EVENT_CERT_FAILED,
	MODEL_EVENT_ABORTED,
	MODEL_EVENT_FREED,
};

struct state_step {
	const char *state, *event; /* the device's own names */
	enum model_state_class state_class;
	enum model_event_class event_class;
	uint32_t mid;
	uint32_t line;
};

struct timer_event {
	const char *what; /* start, stop, restart, expired, lifetime */
	const char *timer;
	unsigned seconds;
	uint32_t line;
};

struct child_sa {
	uint32_t spi_in, spi_out;
	bool has_in, has_out;
	const char *local_sel, *remote_sel; /* selectors as text */
	const char *transforms;             /* as text */
	bool installed;                     /* the platform installed it */
	bool inferred; /* known only from the state machine's OK: no SPIs, selectors in the log */
	bool removed;  /* and later deleted it */
	uint32_t removed_line;
	uint32_t line;
};

/* A device-reported error kept as evidence. */
struct evidence {
	const char *kind; /* error kind from the grammar, or "notify" */
	const char *text; /* the line, masked */
	uint32_t line;
	uint32_t mid; /* MID in force when it was printed */
	bool mid_known;
	const char *map; /* the crypto map entry it names (map, seq), or NULL */
	unsigned map_seq;
};

struct policy_entry {
	bool expected; /* false: received */
	const char *protocol;
	const char *transforms;
	uint32_t line;
};

/* An event of the client, from an AnyConnect DART log. */
struct client_event {
	const char *kind; /* connect-requested, tunnel-up, certificate-error, ...; NULL: other */
	const char *date, *time;
	const char *text; /* the description on one line, masked */
	uint32_t first_line, last_line;
};

/* True for the kinds of client event that report an error. */
bool model_client_error(const char *kind);

/*
 * A time read from a log: milliseconds, from the start of a year when the
 * date is known (month and day; the year is left out, as most device
 * timestamps have none), else from midnight.
 */
struct model_time {
	int64_t ms;
	bool dated; /* the month and day are known */
};

/*
 * Reads a timestamp as logs print them: "Jun  8 19:14:38.051 GMT",
 * "*Apr 23 2013 16:31:12", "2013-04-23T16:31:12Z", "<166>Apr 23 16:31:12",
 * or a DART date and time ("04/23/2013", "16:31:10"); date may be NULL.
 * False if no time of day is found.
 */
bool model_time_parse(const char *date, const char *time, struct model_time *t);
/*
 * Seconds between two times: exact when both are dated, else between their
 * times of day (at most 12 hours).
 */
int64_t model_time_distance(struct model_time a, struct model_time b);
/*
 * Writes t as "Apr 23 16:31:12" (".051" added for milliseconds; no date when
 * it has none) into buf of size n (at least 24).
 */
void model_time_format(struct model_time t, char *buf, size_t n);

/* Sessions the reconstructor keeps open at once; past it the least recently active are finished. */
#define MODEL_MAX_OPEN_SESSIONS 10000

/* Client events kept per session at most; more are counted in client_dropped. */
#define MODEL_MAX_CLIENT_EVENTS 2000
#define MODEL_MAX_CLIENT_PORTS  8

/* What the reference responder found wrong in a session (verify.h). */
struct finding {
	const char *id; /* the registry's dotted id; borrowed, static */
	enum model_severity severity;
	const char *reference; /* borrowed, static */
	const char *message;   /* text */
	uint32_t line;         /* of the evidence */
	uint32_t mid;
	bool mid_known;
};

/* A line that shows why a session failed: of the log (source NULL) or of a config file. */
struct failure_evidence {
	const char *source; /* NULL: the session's input; else the file it is from */
	uint32_t line;
	const char *text; /* what the line shows, masked */
};

/* One transform type on which an offer and what the deciding end expects differ. */
struct failure_mismatch {
	const char *type;     /* "encryption", "PRF", "integrity", "D-H group", "ESN" */
	const char *offered;  /* text */
	const char *expected; /* text */
	unsigned policy;      /* the expected policy it was compared with, 1-based */
	uint32_t policy_line; /* its line */
};

/*
 * The failure point as data: the renderer writes the sentence ("reason. To
 * fix: remedy"); diff, the client join and --config add evidence and
 * never parse prose.
 */
struct failure {
	const char *exchange;
	uint32_t mid;
	bool mid_known;
	const char *cause; /* NULL: no failure */
	uint32_t line;
	const char *explanation; /* the reason, without the remedy */
	const char *remedy;      /* what to change, or NULL when the log cannot tell */
	const char *decided_by;  /* "this device", "the peer", or NULL (nobody: no answer) */
	/* what decided it: the device's error kind, a notify name or a state event */
	const char *verdict;
	struct failure_evidence *evidence;
	size_t nevidence, cap_evidence;
	struct failure_mismatch *mismatch;
	size_t nmismatch, cap_mismatch;
};

struct session {
	struct arena *arena;
	const char *input; /* borrowed, valid until recon_destroy() */
	unsigned input_index;
	unsigned number; /* 1-based, in order of first line */

	/* what tells open sessions apart: read for every record, so together */
	uint64_t spi_i, spi_r;
	bool has_spi_i, has_spi_r;
	bool closed; /* reconstruction state: takes no more records */
	uint32_t *sa_ids;
	size_t nsa_ids, cap_sa_ids;
	uint32_t ios_session;
	const char *dialect; /* static: the dialect that printed it (grammar.h), or NULL */
	enum model_role role;
	const char *local, *peer;
	unsigned lport, pport;             /* the last ports used */
	unsigned lport_first, pport_first; /* before a NAT-T float */

	struct message **msgs;
	size_t nmsgs, cap_msgs;
	struct exchange *exch;
	size_t nexch, cap_exch;
	struct state_step *states;
	size_t nstates, cap_states;
	struct timer_event *timers;
	size_t ntimers, cap_timers;
	struct child_sa *children;
	size_t nchildren, cap_children;
	struct evidence *evidence;
	size_t nevidence, cap_evidence;
	struct policy_entry *policies;
	size_t npolicies, cap_policies;

	const char *tunnel_group, *user, *assigned_ip, *trustpoint, *crypto_map;
	/*
	 * The address the CFG_REPLY gave (and its line) when the client and the
	 * show output both name another, which assigned_ip then holds; else NULL.
	 */
	const char *cfg_assigned_ip;
	uint32_t cfg_assigned_line;
	/* the address the joined client applied when it is not assigned_ip, else NULL */
	const char *client_assigned_ip;
	unsigned crypto_map_seq, dpd_seconds, lifetime_seconds;
	uint32_t crypto_map_line; /* where the log names the crypto map */
	uint32_t trustpoint_line; /* where it names the trustpoint */
	bool nat_detected, nat_known;
	const char *local_auth, *peer_auth; /* the AUTH methods each end used, as printed */
	uint8_t local_authm, peer_authm;    /* the same as PROTO_AUTH_*; 0 if not known */
	/* the method this device accepts from the peer, as its platform printed it, or NULL */
	const char *expected_peer_auth;
	/* the identity the peer presented, as the device printed it ("203.0.113.40"), or NULL */
	const char *peer_identity, *peer_id_type;
	uint32_t peer_identity_line;

	bool ike_up; /* the IKE SA was established */
	/* the IKE SA replaced another in a rekey: the child SAs of that one are its */
	bool rekey_successor;
	bool deleted;           /* a delete was seen after it was up */
	const char *deleted_by; /* "local" or "peer" */
	const char *delete_reason;
	uint32_t delete_line;
	bool terminal;        /* the device freed or failed the SA */
	bool ended;           /* the SA is gone (freed, or its state machine exited) */
	unsigned retransmits; /* over all messages */
	bool retransmit_exhausted;
	uint32_t retransmit_line;
	bool eap_success;

	/*
	 * Opened for a copy of an IKE_SA_INIT request that an earlier session
	 * of the same initiator SPI had answered (a responder that takes a
	 * retransmission for a new SA): that session's responder SPI and lines.
	 */
	bool copy;
	uint64_t copy_of_spi_r;
	uint32_t copy_of_first_line, copy_of_answer_line;

	/* reconstruction state */
	bool retransmit_pending;
	uint32_t cur_mid;
	bool cur_mid_known;

	/* the client side: events of a DART log (alone, or joined to this session) */
	bool client_log;          /* rebuilt from a client log alone */
	bool from_show;           /* known only from pasted show output */
	bool client_joined;       /* a client session whose events went to another */
	const char *client_input; /* the DART input the events come from */
	struct client_event *client;
	size_t nclient, cap_client;
	unsigned client_dropped;
	const char *client_profile;                    /* the connection the user asked for */
	const char *client_addr, *client_gateway;      /* client and gateway addresses */
	unsigned client_ports[MODEL_MAX_CLIENT_PORTS]; /* local ports of its IKE sockets */
	size_t nclient_ports;

	/*
	 * What pasted show output said of this session, when the debug output
	 * rebuilt it too (from_show false): for the cross-check.
	 */
	struct show_facts {
		bool seen;
		const char *encr; /* IKE SA encryption ("AES-CBC"), NULL if not shown */
		unsigned keysize, group, lifetime;
		const char *assigned, *user, *tunnel_group;
		uint32_t line; /* of the first show line about it */
		/* of the show that gave each of those three */
		uint32_t assigned_line, user_line, tunnel_group_line;
	} show;

	enum model_outcome outcome;
	struct failure failure; /* cause NULL: none */
	struct finding *findings;
	size_t nfindings, cap_findings;

	/* finished early: too many sessions were open at once (MODEL_MAX_OPEN_SESSIONS) */
	bool evicted;
	/* the reconstructor's own, while the session is open */
	void *recon_node;
	/* records no family recognized while this session was in focus (log integrity) */
	unsigned unrecognized;
	uint32_t unrecognized_line; /* the first of them */
	/* payload body lines with no payload header before them (a split or cut dump) */
	unsigned orphans;
	uint32_t orphan_line;

	uint32_t first_line, last_line;
	/* the first and last timestamps of its records (client sessions: of its events) */
	struct model_time first_time, last_time;
	bool has_time;
};

/* Caller frees with session_destroy(); input is borrowed. */
struct session *session_create(const char *input, unsigned input_index);
void session_destroy(struct session *s);
/* Text in the session's arena. */
const char *session_strndup(struct session *s, const char *p, size_t n);
void session_add_sa_id(struct session *s, uint32_t sa);
bool session_has_sa_id(const struct session *s, uint32_t sa);
struct message *session_add_message(struct session *s, enum model_dir dir, uint32_t line);
struct payload *message_add_payload(struct session *s, struct message *m, uint32_t line);
/* Initiator SPI as 16 upper-case hex digits into buf[17]. */
void session_spi_text(uint64_t spi, char *buf);
/*
 * A small copy of s for lists: identity, roles, addresses, exchange types,
 * outcome, failure, findings and lines; no messages, payloads, states or
 * client events. input stays borrowed. Free with session_destroy().
 */
struct session *session_summary(const struct session *s);
/* Adds an evidence line to s's failure; source and text are copied. */
void failure_add_evidence(struct session *s, const char *source, uint32_t line, const char *text);
/* Adds a compared transform to s's failure; the texts are copied. */
void failure_add_mismatch(struct session *s, const char *type, const char *offered,
			  const char *expected, unsigned policy, uint32_t policy_line);
/* Clears s's failure (its arrays stay in the arena). */
void failure_clear(struct session *s);
struct strbuf;
/* Appends the failure's sentence: the reason, then ". To fix: " and the remedy. */
void failure_sentence(const struct failure *f, struct strbuf *out);

/* Adds a finding; message is copied. */
void session_add_finding(struct session *s, const char *id, enum model_severity severity,
			 const char *reference, uint32_t line, bool mid_known, uint32_t mid,
			 const char *message);

#endif
