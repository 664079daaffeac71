#ifndef IKESCOPE_DIFF_H
#define IKESCOPE_DIFF_H

/*
 * The semantic diff of two sessions. Each session is read as an ordered list
 * of facts (a key such as "IKE_SA_INIT #1 request SA proposal 1 D-H", a
 * value, the line that shows it); the facts of the two are aligned by key:
 * exchanges by type and order, messages by direction, payloads by type,
 * proposals by number, transforms by type, EAP steps by order. What always
 * differs between two runs (SPIs, nonce, KE and AUTH bytes, ports the client
 * chose, message lengths, line and SA numbers) is left out unless strict.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikescope/model.h"

struct strbuf;

struct diff_fact {
	char *key, *value;
	uint32_t line;  /* 0: none */
	unsigned order; /* protocol order, for the first divergence */
};

struct diff_facts {
	struct diff_fact *f;
	size_t n, cap;
};

/* The facts of a session (strict: run-specific ones too). Free with diff_facts_free(). */
void diff_facts_of(const struct session *s, bool strict, struct diff_facts *out);
void diff_facts_free(struct diff_facts *f);

/* One difference: a key with A's and B's value (NULL: that side has none). */
struct diff_entry {
	const char *key;
	const char *a, *b;
	uint32_t line_a, line_b;
};

struct diff {
	struct diff_facts fa, fb;
	struct diff_entry *e; /* in protocol order; pointers into fa and fb */
	size_t n, cap;
};

/* Compares a and b; d is filled (n == 0: no difference). Free with diff_free(). */
void diff_sessions(const struct session *a, const struct session *b, bool strict, struct diff *d);
void diff_free(struct diff *d);

/*
 * The first divergence in plain words ("B's IKE_SA_INIT request offers D-H
 * group 14 where A's offers group 2; A ended up, B failed at IKE_SA_INIT MID
 * 0 (NO_PROPOSAL_CHOSEN)"), appended to out. Nothing if d has no entry.
 */
void diff_first(const struct session *a, const struct session *b, const struct diff *d,
		struct strbuf *out);

#endif

/*
 * Both ends of one negotiation: the initiator's session and the
 * responder's, joined message by message (same exchange, message ID and
 * kind, one sent and the other received).
 */
struct ends_row {
	const char *exchange;
	uint32_t mid;
	bool response;
	/* the message in each log (NULL: that log does not have it) */
	const struct message *i, *r;
};

/* What the two ends' logs disagree on, beside the rows themselves. */
enum ends_note_kind {
	ENDS_NOTE_UNSEEN,      /* row: one end's log has the message, the other's not */
	ENDS_NOTE_RETRANSMITS, /* row: one end sent it more times than the other logged */
	ENDS_NOTE_COPY,        /* copy: the responder made a new SA of a copy of the IKE_SA_INIT */
	ENDS_NOTE_NAT_SOURCE,  /* the initiator's source is not the address the responder saw */
	ENDS_NOTE_NAT_DEST,    /* the address the initiator sent to is not the responder's */
};

struct ends_note {
	enum ends_note_kind kind;
	size_t row;                 /* ENDS_NOTE_UNSEEN, ENDS_NOTE_RETRANSMITS */
	const struct session *copy; /* ENDS_NOTE_COPY */
};

/* Who refused, by the logs. */
enum ends_decided {
	ENDS_NO_FAILURE, /* neither session failed */
	ENDS_BY_INITIATOR,
	ENDS_BY_RESPONDER,
	ENDS_BY_NEITHER_LOG, /* a session failed, and neither log shows which end refused */
};

struct ends {
	const struct session *i, *r;
	struct ends_row *rows; /* in the order of the negotiation */
	size_t n, cap;
	/* diff_ends_check(): in the order they are told */
	struct ends_note *notes;
	size_t nnotes;
	enum ends_decided decided;
	unsigned problems; /* notes, and the failure when there is one */
};

/* True if a and b are the two ends of one negotiation (same SPIs, opposite roles). */
bool diff_same_negotiation(const struct session *a, const struct session *b);
/* Joins an initiator's and a responder's session of one negotiation. Free with ends_free(). */
void diff_ends(const struct session *i, const struct session *r, struct ends *out);
void ends_free(struct ends *e);
/*
 * What e's logs disagree on (notes) and who refused (decided). others: the
 * sessions of the responder's log, where a copy of the initiator's
 * IKE_SA_INIT handled as a new SA is looked for.
 */
void diff_ends_check(struct ends *e, struct session *const *others, size_t nothers);

/* The sessions of two logs paired as the ends of their negotiations. */
struct ends_item {
	const struct session *a; /* A's session */
	bool paired;             /* it has its other end in B: then e and a_initiates */
	bool a_initiates;
	unsigned nth; /* 1-based, among the negotiations */
	struct ends e;
};

struct ends_pairing {
	struct ends_item *items; /* one per session of A, in A's order */
	size_t n;
	const struct session **alone_b; /* B's sessions with no other end (copies left out) */
	size_t nalone_b;
	unsigned negotiations, problems;
};

/* Pairs a's sessions with b's (diff_same_negotiation), each checked. Free with ends_pairing_free(). */
void diff_pair_ends(struct session *const *a, size_t na, struct session *const *b, size_t nb,
		    struct ends_pairing *out);
void ends_pairing_free(struct ends_pairing *p);

/* A client's session and the head end's session of one connection: who decided. */
enum client_decided {
	CLIENT_AGREE,       /* no failure, no client error */
	CLIENT_BY_HEAD_END, /* the head end's session failed */
	CLIENT_BY_CLIENT, /* the head end's session did not fail, yet the client reported an error */
};

/* Who decided; *error gets the client's first error event, or NULL. */
enum client_decided diff_client(const struct session *client, const struct session *head_end,
				const struct client_event **error);

/* A side of a diff as the command line named it. */
struct diff_side {
	const char *arg;  /* FILE or FILE:SEL, as given */
	const char *path; /* FILE */
	const char *sel;  /* SEL, or NULL */
	const struct session *s;
	unsigned nsessions; /* of the file */
};
