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

struct ends {
	const struct session *i, *r;
	struct ends_row *rows; /* in the order of the negotiation */
	size_t n, cap;
};

/* True if a and b are the two ends of one negotiation (same SPIs, opposite roles). */
bool diff_same_negotiation(const struct session *a, const struct session *b);
/* Joins an initiator's and a responder's session of one negotiation. Free with ends_free(). */
void diff_ends(const struct session *i, const struct session *r, struct ends *out);
void ends_free(struct ends *e);
