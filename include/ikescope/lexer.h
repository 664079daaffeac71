#ifndef IKESCOPE_LEXER_H
#define IKESCOPE_LEXER_H

/*
 * The streaming lexer: bytes -> physical lines -> records.
 *
 * It repairs what real logs and published copies do to debug output
 * (BOM, CR, NUL, invalid UTF-8, over-long lines, several records glued on
 * one line, one record wrapped over several lines, prompts, timestamps,
 * publication damage) and groups block records (DART entries, XML
 * documents). What counts as a prefix, a split point, a continuation or a
 * block is dialect knowledge that comes from the grammar through
 * struct lex_rules_ops; the lexer itself only knows the mechanisms.
 *
 * Every physical line ends up in at least one record, noise included.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ikescope/util/compiler.h"
#include "ikescope/util/err.h"
#include "ikescope/util/strbuf.h"

struct lex;

/* What the clean callback removed or changed. */
enum lex_clean_flags {
	LEX_CLEAN_STAMP = 1u << 0,  /* a timestamp or syslog header */
	LEX_CLEAN_PROMPT = 1u << 1, /* a device prompt */
	LEX_CLEAN_MARKUP = 1u << 2, /* bullets, table pipes, emphasis */
	LEX_CLEAN_REPAIR = 1u << 3, /* a repaired character or entity */
};

/* A split point: a record begins at 'resume'; text from 'at' to 'resume' is dropped. */
struct lex_cut {
	size_t at;
	size_t resume;
};

/*
 * What the rules know of a record's text, handed back to them with it
 * (opaque to the lexer): the rules need not look the text up again.
 */
struct lex_hint {
	const void *p;
	uint64_t gen;
};

/* What the rules decided about a whole physical line at once (lex_rules_ops.plan). */
enum lex_plan_kind { LEX_PLAN_NOISE = 1, LEX_PLAN_RECORD };
#define LEX_PLAN_STAMPS 4

struct lex_plan {
	enum lex_plan_kind kind;
	const char *noise; /* NOISE: the kind */
	/* RECORD: the record is line[at, at + len); clean: enum lex_clean_flags;
	 * the timestamp removed is the pieces line[stamp_at[i][0], + [1]),
	 * joined by one space */
	size_t at, len;
	unsigned clean;
	size_t stamp_at[LEX_PLAN_STAMPS][2];
	size_t nstamps;
	struct lex_hint hint;
};

struct lex_rules_ops {
	/* Called first for each logical line with the line as read; may be NULL.
	 * The questions that follow are about this line, pieces of it, or other
	 * texts. */
	void (*line)(void *ctx, const char *s, size_t n);
	/* Noise kind ("blank", "prompt", "command", ...) if the text is noise, else NULL. */
	const char *(*noise)(void *ctx, const char *s, size_t n);
	/* Cleans a line in place; returns enum lex_clean_flags. The timestamps
	 * removed are put in stamp (emptied first). */
	unsigned (*clean)(void *ctx, struct strbuf *line, struct strbuf *stamp);
	/* The split points of s after offset 0, in order and not overlapping;
	 * *ncuts gets their number. Borrowed until the next call. */
	const struct lex_cut *(*split)(void *ctx, const char *s, size_t n, size_t *ncuts);
	/* True if text s is a complete record of some family by itself: after a
	 * timestamped line, only other lines continue the record. */
	bool (*is_record)(void *ctx, const char *s, size_t n);
	/* True if text s begins a record by itself (a split point at offset 0). */
	bool (*starts)(void *ctx, const char *s, size_t n);
	/* True if a record with text head continues with the text tail; *drop is
	 * the number of leading bytes of tail to leave out (a repeated prefix). */
	bool (*joins)(void *ctx, const char *head, size_t hn, const struct lex_hint *head_hint,
		      const char *tail, size_t tn, size_t *drop);
	/* Fills *h for a piece s of the line being lexed that becomes a record;
	 * may be NULL. */
	void (*hint)(void *ctx, const char *s, size_t n, struct lex_hint *h);
	/*
	 * May be NULL. Decides the physical line s at once if it can: it is
	 * noise as a whole, or it holds one record that does not continue the
	 * record head (hn bytes, with its hint; NULL if none may be continued).
	 * Called, when no block is open, instead of line(); false has the line
	 * lexed step by step (line() is then called for it as usual). The
	 * answers must be those the step-by-step questions would give.
	 */
	bool (*plan)(void *ctx, const char *s, size_t n, const char *head, size_t hn,
		     const struct lex_hint *head_hint, struct lex_plan *out);
	/* Index of a block that line s opens, or -1. */
	int (*block_start)(void *ctx, const char *s, size_t n);
	/* True if line s closes block b (the line is part of the block). */
	bool (*block_end)(void *ctx, int b, const char *s, size_t n);
	/* True if line s belongs to the open block b; other lines are lexed as
	 * usual while the block stays open. */
	bool (*block_member)(void *ctx, int b, const char *s, size_t n);
	/* True if line s abandons the open block b and starts a new one. */
	bool (*block_restart)(void *ctx, int b, const char *s, size_t n);
	const char *(*block_name)(void *ctx, int b);
	bool (*block_interleaved)(void *ctx, int b);
	unsigned (*block_max_lines)(void *ctx, int b);
};

/*
 * Record flags: X(enum suffix, bit, name shown in output, meaning). NOISE
 * and BLOCK are kinds rather than remarks and have no output name.
 */
#define LEX_RECORD_FLAGS(X)                                                                        \
	X(NOISE, 0, NULL, "not a record: blank, prompt, command, ...")                             \
	X(SPLIT, 1, "split", "cut out of a line that held several records")                        \
	X(JOINED, 2, "joined", "joined from several lines")                                        \
	X(CLEANED, 7, "cleaned", "a prefix, markup or damage was removed")                         \
	X(TRUNCATED, 3, "truncated", "a line was longer than the limit and was cut")               \
	X(INCOMPLETE, 4, "incomplete", "a block that never saw its end")                           \
	X(NUL, 5, "nul", "NUL bytes were replaced")                                                \
	X(BADUTF8, 6, "bad-utf8", "invalid UTF-8 was replaced")                                    \
	X(BLOCK, 8, NULL, "a block record (see kind)")

#define LEX_REC_FLAG_ENUM(e, bit, name, meaning) LEX_REC_##e = 1u << (bit),
enum lex_record_flags { LEX_RECORD_FLAGS(LEX_REC_FLAG_ENUM) };
#undef LEX_REC_FLAG_ENUM

/* Output name of one flag (a single bit), or NULL if it has none. */
const char *lex_flag_name(unsigned flag);

struct lex_record {
	const char *input;   /* borrowed; valid until lex_destroy() */
	uint32_t first_line; /* 1-based */
	uint32_t last_line;
	uint64_t offset;  /* byte offset of the start of first_line */
	const char *text; /* borrowed; valid until the next lex_next() */
	size_t len;
	unsigned flags;   /* enum lex_record_flags */
	const char *kind; /* noise kind or block name; NULL for plain records */
	/* the timestamp removed from its first line (at most LEX_MAX_STAMP bytes), or NULL */
	const char *stamp;
	size_t stamp_len;
	struct lex_hint hint; /* for grammar_match_hinted(); p is NULL if none */
};

#define LEX_MAX_STAMP 63

struct lex_stats {
	uint64_t lines;
	uint64_t bytes;
	uint64_t records;       /* non-noise records produced */
	uint64_t noise_lines;   /* physical lines of which no part is in a record */
	uint64_t noise_records; /* noise entries (a line may hold several) */
	uint64_t truncated_lines;
	uint64_t nul_lines;
	uint64_t badutf8_lines;
	uint64_t crlf_lines; /* lines ending in CR LF */
	uint64_t cr_lines;
	uint64_t bom;
	uint64_t unterminated;  /* last line without final newline */
	uint64_t control_bytes; /* NUL and other C0 controls but tab, CR and LF */
	/* the first line of each kind repaired (0: none) */
	uint32_t first_truncated_line, first_nul_line, first_badutf8_line;
};

struct lex_options {
	size_t max_line;   /* bytes kept of one physical line; 0 = default */
	size_t max_record; /* bytes of one joined record or block; 0 = default */
	size_t max_join;   /* a record longer than this takes no more joins; 0 = default */
	uint32_t max_gap;  /* lines a joinable record waits for its continuation; 0 = default */
	/* the number of the first line read (a part of a file read again); 0 = 1 */
	uint32_t first_line;
};

#define LEX_DEFAULT_MAX_LINE   (1u << 20)
#define LEX_DEFAULT_MAX_RECORD (1u << 20)
#define LEX_DEFAULT_MAX_JOIN   (16u << 10)
#define LEX_DEFAULT_MAX_GAP    16

/*
 * Creates a lexer reading fp (not closed by the lexer). name is copied.
 * ops/ctx are borrowed and must outlive the lexer. Caller frees with
 * lex_destroy().
 */
struct lex *lex_create(FILE *fp, const char *name, const struct lex_rules_ops *ops, void *ctx,
		       const struct lex_options *opt);
void lex_destroy(struct lex *lx);

/*
 * Fills *rec with the next record. Returns true on success, false at the end
 * of input or on error (err set, code ERR_IO).
 */
IKESCOPE_MUST_CHECK bool lex_next(struct lex *lx, struct lex_record *rec, struct err *err);
const struct lex_stats *lex_stats(const struct lex *lx);
const char *lex_name(const struct lex *lx);

#endif
