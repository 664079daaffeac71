/*
 * A JSON writer that appends to a string buffer as it goes: no tree is
 * built. Indented (as Jansson's JSON_INDENT(n) writes it) or compact; all
 * text is written as ASCII, other characters as \u escapes.
 */
#ifndef IKESCOPE_UTIL_JSONW_H
#define IKESCOPE_UTIL_JSONW_H

#include <stdbool.h>
#include <stddef.h>

#include "ikescope/util/strbuf.h"

#define JW_MAX_DEPTH 32

struct jw {
	struct strbuf *out;
	unsigned indent;          /* spaces per level; 0: compact, no spaces at all */
	unsigned depth;           /* containers open, counting the base levels */
	bool empty[JW_MAX_DEPTH]; /* nothing in the container at this depth yet */
	char close[JW_MAX_DEPTH]; /* the bracket that closes it */
	bool after_key;           /* a key was written: its value comes next */
};

/*
 * Writes into out. base: levels the text written is already inside (its
 * lines are indented that much more; the first line is not).
 */
void jw_init(struct jw *w, struct strbuf *out, unsigned indent, unsigned base);
void jw_object(struct jw *w);
void jw_array(struct jw *w);
/* Closes the innermost object or array. */
void jw_end(struct jw *w);
/* The key of the next member of the object open. */
void jw_key(struct jw *w, const char *key);
/* A string (null if s is NULL; "?" if it is not valid UTF-8). */
void jw_str(struct jw *w, const char *s);
void jw_strn(struct jw *w, const char *s, size_t n);
/* Text known to be UTF-8 (a byte that is not is written as U+FFFD); NUL is \u0000. */
void jw_strn_nocheck(struct jw *w, const char *s, size_t n);
void jw_int(struct jw *w, long long v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);

/* key and value in one call */
static inline void
jw_kstr(struct jw *w, const char *k, const char *s)
{
	jw_key(w, k);
	jw_str(w, s);
}

static inline void
jw_kint(struct jw *w, const char *k, long long v)
{
	jw_key(w, k);
	jw_int(w, v);
}

/* key and a number, or null when there is none */
static inline void
jw_kint_or_null(struct jw *w, const char *k, bool has, long long v)
{
	jw_key(w, k);
	if (has)
		jw_int(w, v);
	else
		jw_null(w);
}

static inline void
jw_kbool(struct jw *w, const char *k, bool v)
{
	jw_key(w, k);
	jw_bool(w, v);
}

static inline void
jw_knull(struct jw *w, const char *k)
{
	jw_key(w, k);
	jw_null(w);
}

/* Appends s as a JSON string (quotes included), as jw_strn() writes it. */
void jw_quote(struct strbuf *out, const char *s, size_t n);
/* True if s[0, n) is valid UTF-8 (no surrogates, nothing past U+10FFFF, no overlong forms). */
bool jw_utf8_valid(const char *s, size_t n);

#endif
