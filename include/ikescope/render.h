#ifndef IKESCOPE_RENDER_H
#define IKESCOPE_RENDER_H

/*
 * Output formats. Text from the input is always escaped (no control
 * characters reach the terminal) and secrets are masked by the grammar's
 * mask rules unless the caller asks otherwise. Functions append to a strbuf;
 * printing is the caller's business.
 */

#include <stdbool.h>
#include <stdint.h>

#include "ikescope/util/lineindex.h"
#include "ikescope/util/strbuf.h"

struct config;
struct grammar;
struct gram_match;
struct gram_value;
struct lex_record;
struct session;

struct render_opts {
	bool show_secrets; /* do not mask secrets */
	bool color;        /* ANSI colours */
	bool verbose;      /* every payload field */
	bool show_input;   /* the session table names each row's input */
	bool json_compact; /* --compact: JSON without indentation */
	bool json_lines;   /* --jsonl: one JSON object per session per line */
	/*
	 * --raw: the source of the original lines of an input (the session's,
	 * or the client log joined to it). It calls fn for lines first..last
	 * (at most max) and returns how many it could read; NULL: off. The
	 * timeline shows them escaped and masked.
	 */
	uint32_t (*raw)(void *ctx, const char *input, uint32_t first, uint32_t last, uint32_t max,
			line_fn fn, void *fn_ctx);
	void *raw_ctx;
	const struct grammar *grammar; /* masks the raw lines */
	/* --explain: the config lines that govern each step, or NULL */
	const struct config *explain;
};

/*
 * One lexed record as a line of text: "input:line[-last]  family  field=value ... | text".
 * m is NULL for an unrecognized record; ike tells if it carries IKE content.
 */
void render_text_record(struct strbuf *out, const struct grammar *g, const struct render_opts *o,
			const struct lex_record *rec, const struct gram_match *m, bool ike);
/* The same as one JSON object on one line (JSON Lines). */
void render_json_record(struct strbuf *out, const struct grammar *g, const struct render_opts *o,
			const struct lex_record *rec, const struct gram_match *m, bool ike);
/* The annotated timeline of one session: header, one block per exchange, failure point. */
void render_timeline(struct strbuf *out, const struct session *s, const struct render_opts *o);
/* The findings of a session, one line each ("  finding   SEVERITY ID MID n Ln: message"). */
void render_findings(struct strbuf *out, const struct session *s, const struct render_opts *o);
/* ikescope verify: a line for the session, then its findings (nothing if it has none). */
void render_verify_session(struct strbuf *out, const struct session *s,
			   const struct render_opts *o);
/* The session table: a header line, then one row per session. */
void render_sessions_header(struct strbuf *out, const struct render_opts *o);
void render_sessions_row(struct strbuf *out, const struct session *s, const struct render_opts *o);
/*
 * One JSON document over all sessions, written as they come:
 * {"schema": 1, "inputs": [...], "sessions": [ ... ]}. first: the first session.
 */
/*
 * o->json_compact: the same document without indentation; o->json_lines:
 * no document, one session object per line (JSON Lines).
 */
void render_json_begin(struct strbuf *out, const char *const *inputs, size_t ninputs,
		       const struct render_opts *o);
void render_json_session(struct strbuf *out, const struct session *s, bool first,
			 const struct render_opts *o);
/* Closes the document; profile (NULL: none) adds the findings of a client profile. */
void render_json_end(struct strbuf *out, const struct session *profile,
		     const struct render_opts *o);

/* Appends a field's value as shown: escaped, masked, SPIs in one spelling. */
void render_field_value(struct strbuf *out, const struct grammar *g, const struct render_opts *o,
			const struct gram_value *v);
/* Appends text escaped for a terminal and masked. */
void render_safe_text(struct strbuf *out, const struct grammar *g, const struct render_opts *o,
		      const char *s, size_t n);

/* ---- diffs (render-diff.c) ---- */

struct diff;
struct diff_side;
struct ends_pairing;

/* The differences of a and b (diff_sessions()), as text or as a JSON document. */
void render_diff_text(struct strbuf *out, const struct diff_side *a, const struct diff_side *b,
		      const struct diff *d);
/* compact: on one line (--compact, --jsonl), else indented */
void render_diff_json(struct strbuf *out, const struct diff_side *a, const struct diff_side *b,
		      const struct diff *d, bool compact);
/*
 * Both ends of the negotiations of two logs (diff_pair_ends(); a_arg and
 * b_arg as named, na and nb their sessions): per negotiation the messages
 * opposite each other, what only one end saw and who refused.
 */
void render_ends_text(struct strbuf *out, const char *a_arg, size_t na, const char *b_arg,
		      size_t nb, const struct ends_pairing *p);
void render_ends_json(struct strbuf *out, const char *a_arg, size_t na, const char *b_arg,
		      size_t nb, const struct ends_pairing *p, bool compact);
/* A client's session (cw: which input) joined to its head end's (dw): events, exchanges, who decided. */
void render_client_join(struct strbuf *out, const char *cw, const struct session *c, const char *dw,
			const struct session *d);

#endif
