#ifndef IKESCOPE_REDACT_H
#define IKESCOPE_REDACT_H
/*
 * Redaction of a log for sharing: secrets masked, key material zeroed,
 * user names (and, on request, addresses and names) replaced by consistent
 * pseudonyms, line for line.
 *
 * Use: redact_learn_* over every input first (what is there to replace),
 * then redact_plan(), then redact_line() on each physical line.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ikescope/util/compiler.h"
#include "ikescope/util/err.h"
#include "ikescope/util/strbuf.h"

struct grammar;
struct gram_match;
struct lex_record;
struct session;

enum {
	REDACT_IPS = 1,   /* addresses, to pseudonyms in the documentation ranges */
	REDACT_NAMES = 2, /* host names, domains, tunnel groups, group policies, ... */
};

struct redactor;

/* g is borrowed (its mask rules hide secrets). */
struct redactor *redact_create(const struct grammar *g, unsigned flags);
void redact_destroy(struct redactor *r);

/* Starts input number i (0-based, in the order they are written later). */
void redact_begin_input(struct redactor *r, unsigned i);
/* A record of the current input and its match (NULL: unrecognized). */
void redact_learn_record(struct redactor *r, const struct lex_record *rec,
			 const struct gram_match *m);
/* A session rebuilt from the inputs: its user, groups and names. */
void redact_learn_session(struct redactor *r, const struct session *s);
struct lex_stats;
/*
 * Reads input number index from fp (lexer, grammar, reconstructor) and
 * learns from its records and sessions; fills *stats (if not NULL) with the
 * lexer's counts. False with err set on a read error.
 */
bool redact_learn_stream(struct redactor *r, FILE *fp, const char *name, unsigned index,
			 struct lex_stats *stats, struct err *err);
/* A physical line of the current input: addresses, e-mail names, prompts. */
void redact_learn_line(struct redactor *r, const char *line, size_t len);

/* Chooses the pseudonyms. False (err set) when they cannot be chosen. */
IKESCOPE_MUST_CHECK bool redact_plan(struct redactor *r, struct err *err);

/* Appends physical line number line (1-based) of input i, redacted, to out. */
void redact_line(struct redactor *r, unsigned i, uint32_t line, const char *text, size_t len,
		 struct strbuf *out);

/* Writes "kind<TAB>original<TAB>pseudonym" lines, one per replaced value. */
void redact_write_map(const struct redactor *r, FILE *fp);

/* How many values of each kind are replaced. */
size_t redact_count(const struct redactor *r, const char *kind);

#endif
