#ifndef IKESCOPE_GRAMMAR_PRIVATE_H
#define IKESCOPE_GRAMMAR_PRIVATE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "ikescope/grammar.h"
#include "ikescope/lexer.h"

enum rule_kind {
	RULE_NOISE,
	RULE_STRIP,
	RULE_REPAIR,
	RULE_SPLIT,
	RULE_JOIN,
	RULE_BLOCK,
	RULE_FAMILY,
	RULE_MASK,
	RULE_IKE,
	RULE_DEFINE,
	RULE_MAP,
	RULE_DIALECT,
	RULE_KIND_COUNT
};

#define SHAPE_MIN_HEX   8    /* a run of hex digits this long is a number (shape.c) */
#define SHAPE_MIN_DUMP  4    /* two-digit hex words in a row that are a hex dump (shape.c) */
#define SHAPE_RING      8    /* shapes kept by content (grammar.c) */
#define SEEN_LINES      8192 /* lines kept by their bytes (grammar.c) */
#define SEEN_LINE_MAX   200  /* longer ones are not */
#define SEEN_RECORDS    4096 /* records kept by their bytes, matched without a hint (grammar.c) */
#define SEEN_RECORD_MAX 120  /* longer ones are not */

/* A pattern of a rule, with where it came from. */
struct pattern {
	pcre2_code *re;
	bool self_anchored; /* matches only at the start it is given (a leading ^) */
	/* the same compiled anchored, for the rules used anchored: an anchored
	 * match asked for at match time cannot use the JIT code */
	pcre2_code *anchored;
	bool jit, anchored_jit; /* JIT code was made (pcre2_jit_match can run it) */
	/*
	 * JIT code is made when a pattern is first run: most rules of a
	 * grammar never run on one log (another dialect's), and compiling
	 * them all made the start slower than reading a short paste.
	 */
	bool jit_tried, anchored_jit_tried;
	char *src;
};

enum { PAT_MAIN, PAT_SECOND, PAT_THIRD, PAT_FOURTH, PAT_COUNT };

struct setval {
	enum gram_field field;
	char *value;
};

/* A word of a value map, and what it maps to (NULL: itself). */
struct map_word {
	char *word, *to;
	size_t len, tolen;
	uint32_t line, col; /* of its value, for messages */
};

struct group_field {
	uint32_t group;
	enum gram_field field;
};

/*
 * The literals of all rules (prefilter.c), found in a text by the pair of
 * bytes each begins with: a bit per byte pair, then a short list to compare.
 */
#define SCAN_CACHE_SLOTS    4
#define SCAN_CACHE_MAX_TEXT 65536

struct prefilter_bucket {
	uint32_t key;          /* 1 + the first two bytes (b0 << 8 | b1); 0: empty */
	uint32_t start, count; /* into ids */
};

struct prefilter {
	char **lits;
	size_t *litlens;
	size_t nlits;
	size_t nwords;                    /* 64-bit words of a presence set */
	uint64_t pairs[65536 / 64];       /* byte pairs that begin a literal of two bytes or more */
	struct prefilter_bucket *buckets; /* at most half full */
	uint32_t bucket_mask;             /* their number - 1 (a power of two) */
	uint32_t single_start[256], single_count[256]; /* one-byte literals, by their byte */
	uint32_t *ids;                                 /* literal ids, grouped as above */
};

void prefilter_init(struct prefilter *pf);
void prefilter_finish(struct prefilter *pf);
/* Id of a literal (the same text gets the same id). */
uint32_t prefilter_add(struct prefilter *pf, const char *lit, size_t len);
void prefilter_build(struct prefilter *pf);
/* Sets present (nwords words) to the literals that occur in s. */
void prefilter_scan(const struct prefilter *pf, const char *s, size_t n, uint64_t *present);

/*
 * Answers about one text (memo.c). known says which are filled in; the
 * others are worked out on first use.
 */
enum memo_known {
	MEMO_NOISE = 1u << 0,
	MEMO_CLEAN = 1u << 1,
	MEMO_SPLIT = 1u << 2,
	MEMO_STARTS = 1u << 3,
	MEMO_BLOCK = 1u << 4,
	MEMO_FAMILY = 1u << 5,
	MEMO_JOIN_WANTED = 1u << 6,
	MEMO_IKE = 1u << 7,
	MEMO_PLAN = 1u << 8,
};

/* What a whole line is (memo_entry.plan). */
enum memo_plan { PLAN_STEPS, PLAN_NOISE, PLAN_RECORD };

#define GRAMMAR_MAX_JOINS 64 /* join stanzas in one grammar (a bit each in memo_entry) */
#define MEMO_SLOTS        (1u << 15)
#define MEMO_ENTRIES      (MEMO_SLOTS / 2)
#define MEMO_MAX_TEXT     1024
#define MEMO_MAX_BYTES    (8u << 20)
#define MEMO_STAMPS       4       /* pieces of a timestamp kept per text */
#define MEMO_CHECKS       4       /* rules that read the real text, asked again per line */
#define MEMO_SET_VALUE    0x8000u /* memo_value.src: a fixed value of the rule, not a capture */

struct memo_value {
	uint16_t field;
	uint16_t src; /* capture group, or MEMO_SET_VALUE | index of the rule's fixed value */
	uint32_t off, len;
};

struct memo_entry {
	const char *text;
	uint32_t len;
	uint32_t known;    /* enum memo_known */
	uint32_t noise_at; /* the first noise rule that reads the shape and matches */
	/* clean: the flags, the length of the prefix removed, and where the
	 * pieces of the timestamp removed are (offset, length) */
	unsigned clean_flags;
	uint32_t clean_drop;
	uint16_t stamp_at[MEMO_STAMPS][2];
	uint32_t nstamps;
	/*
	 * The strip rules that read the real text which the cleaning asked, and
	 * their answers: a line of this shape takes the cleaning kept only if
	 * each gives it the same answer (rule: index in the grammar; at: the
	 * offset asked at; len: the prefix it removed, -1 none).
	 */
	struct memo_check {
		uint32_t rule;
		uint16_t at;
		int16_t len;
	} checks[MEMO_CHECKS];
	uint32_t nchecks;
	/*
	 * Windows (answer_window()): a text that begins with these bytes gets
	 * the same answer from those rules. check_win[i]: check i, at its
	 * offset; noise_win: no noise rule before noise_at that reads the real
	 * text matches. Length 0: not known.
	 */
	const char *check_win[MEMO_CHECKS];
	uint16_t check_win_len[MEMO_CHECKS];
	uint16_t noise_win_len;
	const char *noise_win;
	const struct lex_cut *cuts;
	uint32_t ncuts;
	bool starts, ike;
	int block;  /* block that the text opens, or -1 */
	int family; /* the matching family rule (index among families), or -1 */
	unsigned attempts;
	uint32_t nvalues;
	const struct memo_value *values;
	uint64_t has[(GRAM_FIELD_COUNT + 63) / 64]; /* gram_match.has of the values */
	uint8_t value_at[GRAM_FIELD_COUNT];         /* gram_match.at of the values */
	/* joins, bit j for the j-th join: its literals occur (the text as a
	 * head), its head pattern is known / matches, its tail pattern is known /
	 * matches */
	uint64_t join_wanted, join_head_known, join_head, join_tail_known, join_tail;
	/* per question (end, member, restart) and block index b: bit b known, bit b yes */
	uint32_t block_known[3], block_yes[3];
	/* a line's pieces (the cleaned line, its segments) have entries of
	 * their own, found by offset in the line: no text, no hash */
	struct memo_entry *pieces;
	struct memo_entry *next_piece;
	uint32_t at; /* a piece: its offset in the line */
	/* a whole line (MEMO_PLAN): lexed step by step, noise, or one record:
	 * the piece plan_piece, which the tails of the joins plan_tails take */
	uint8_t plan;
	/* the plan was made for a line that holds literals of rules that read the real text */
	uint8_t plan_exact;
	/* a line: 0 not known, 1 its shape holds no shaped literal of an exact
	 * rule (so the line holds none of their literals), 2 it may */
	uint8_t exact_shape;
	uint64_t plan_tails;
	struct memo_entry *plan_piece;
	/* looked up again since the memo was last full (kept when it is full again) */
	bool hot;
	/* counts the changes to the cleaning and the plan kept: a line kept by
	 * its bytes with the plan holds while the count is the one it saw */
	uint32_t serial;
};

struct memo {
	uint64_t *slots;            /* MEMO_SLOTS: hash tag | 1 + entry index */
	struct memo_entry *entries; /* MEMO_ENTRIES, the first 'used' in use */
	size_t used;
	size_t max_entries, max_bytes; /* full at these (MEMO_ENTRIES, MEMO_MAX_BYTES at most) */
	struct arena *arena;
	uint64_t resets;
	uint64_t made; /* entries made (each a text not found) */
	/* with keep_retired, the storage of earlier resets is kept until
	 * memo_release() (answers handed to another thread point into it):
	 * retired[i] held the answers while resets was retired_gen[i] */
	bool keep_retired;
	struct arena **retired;
	uint64_t *retired_gen;
	size_t nretired;
};

void memo_init(struct memo *m);
void memo_finish(struct memo *m);
/* Frees the storage retired while resets was below gen. */
void memo_release(struct memo *m, uint64_t gen);
/*
 * The entry of text s (made if new), or NULL if s is too long to keep. An
 * entry stays valid until the next memo_get() that makes one.
 */
struct memo_entry *memo_get(struct memo *m, const char *s, size_t n);
/* The hash memo_get() uses. */
uint64_t memo_hash(const char *s, size_t n);
/* The entry of the piece of line (an entry from memo_get()) at offset at, n bytes long. */
struct memo_entry *memo_piece(struct memo *m, struct memo_entry *line, uint32_t at, uint32_t n);
/* Zeroed storage that lives as long as the entries. */
void *memo_alloc(struct memo *m, size_t size);

struct rule {
	enum rule_kind kind;
	char *name; /* stanza name; "family/variant" for families */
	char *file;
	uint32_t line;
	struct pattern pat[PAT_COUNT];
	/* prefilter: the rule is tried only if one of these literals occurs */
	char **literals;
	size_t *literal_lens;
	size_t nliterals;
	uint32_t *lit_ids;
	/* join: the tail pattern is only tried if one of these occurs in the tail */
	char **tail_literals;
	size_t *tail_literal_lens;
	size_t ntail_literals;
	uint32_t *tail_lit_ids;
	/* family */
	enum gram_family family;
	struct setval *sets;
	size_t nsets;
	struct group_field *groups;
	size_t ngroups;
	/* strip */
	unsigned what; /* enum lex_clean_flags */
	/* repair */
	char *replace;
	/* block */
	bool interleave;
	unsigned max_lines;
	/* mask; key: key material, which redact writes as zeros */
	uint32_t secret_group;
	bool mask_key;
	/* map: the field looked up, the class field it fills (GRAM_FIELD_COUNT:
	 * the value itself is replaced), the family it holds for
	 * (GRAM_FAMILY_COUNT: all), whether a cut word is completed */
	enum gram_field map_field, map_class;
	enum gram_family map_family;
	bool map_complete, map_has_field;
	char *map_kind; /* the kind of record it holds for, or NULL: all */
	size_t map_kind_len;
	uint32_t map_kind_line, map_kind_col;
	struct map_word *words;
	size_t nwords;
	uint32_t *word_slots; /* 1 + word index by hash of the word, 0: empty */
	uint32_t word_mask;   /* slots - 1 (a power of two) */
	/* the dialects the rule belongs to (bit d), 0: common; for a dialect
	 * stanza, the ones it declares */
	unsigned dialects;
	/* reads the real text, not its shape (shape.c) */
	bool exact;
	/* "reads = text": the grammar says so (it tells letters from digits in a word) */
	bool reads_text;
};

struct grammar {
	/* grammar_restrict_dialect()'s dialect, GRAM_DIALECT_COUNT: all */
	enum gram_dialect only_dialect;
	struct rule *rules;
	size_t nrules;
	size_t nsources;
	/* per-kind index lists, in load order */
	size_t *by_kind[RULE_KIND_COUNT];
	size_t nby_kind[RULE_KIND_COUNT];
	pcre2_match_data *md;
	struct strbuf scratch;
	struct prefilter pf;
	uint64_t *present; /* scratch presence set, pf.nwords words */
	/* families worth trying: those without a literal, plus per literal the
	 * families that name it (bit j: the j-th family, in order) */
	size_t fwords;
	uint64_t *fam_always;
	uint64_t *fam_by_lit; /* pf.nlits x fwords */
	uint64_t *fam_cand;   /* scratch, fwords */
	/* the literals of the last cleaned line; a piece of it needs no new scan */
	uint64_t *line_present;
	const char *line_ptr;
	size_t line_len;
	/*
	 * Scans of recent texts, found again by content: a record is a copy of
	 * the line just scanned, and a record waiting for joins is asked about
	 * again and again. Texts longer than SCAN_CACHE_MAX_TEXT are not kept.
	 */
	struct scan_cache {
		struct strbuf text;
		uint64_t *present;
		bool valid;
	} scache[SCAN_CACHE_SLOTS];
	unsigned scache_next;
	/* the value maps that hold for each family, in load order */
	const struct rule **maps_for[GRAM_FAMILY_COUNT];
	size_t nmaps_for[GRAM_FAMILY_COUNT];
	struct memo memo;
	struct lex_cut *cuts; /* split points of the last line split */
	size_t ncuts, cuts_cap;
	/* per kind, the rules that read the real text */
	size_t *exact_by_kind[RULE_KIND_COUNT];
	size_t nexact_by_kind[RULE_KIND_COUNT];
	size_t *exact; /* all of them */
	size_t nexact;
	/* their literals as shapes, when each begins and ends with a character
	 * that is not a word character (then a line holding the literal holds
	 * its shape in its own shape); else exact_shapes_ok is false */
	struct strbuf *exact_shapes;
	size_t nexact_shapes;
	bool exact_shapes_ok;
	/*
	 * Only noise and strip rules read the real text: a line that holds their
	 * literals may still be lexed by a plan, once they are asked again.
	 */
	bool exact_plans;
	bool map_exact; /* the text mapped may hold a literal of one */
	/* the entry of the line being lexed, made when the memo had been
	 * emptied line_gen times; pieces of the mapped text are map_base bytes
	 * into the line (none have entries if the line was repaired) */
	struct memo_entry *line_entry;
	uint64_t line_gen;
	bool pieces_ok;
	size_t map_base;
	bool raw_exact; /* the line begun holds a literal of an exact rule */
	bool planned;   /* plan() began the line: line() need not again */
	bool plan_held; /* plan_line(): the plan kept holds for the line's real text */
	struct strbuf plan_text, plan_stamp; /* scratch of plan_make() */
	/* lines by their bytes, with the entry of their shape (ops_plan) */
	struct seen_line {
		uint64_t hash, gen;
		struct memo_entry *line;
		uint32_t len, serial;
		char text[SEEN_LINE_MAX];
	} * seen;
	/* records matched without a hint, by their bytes, with the entry of their shape */
	struct seen_record {
		uint64_t hash, gen;
		struct memo_entry *entry;
		uint32_t len;
		char text[SEEN_RECORD_MAX];
	} * seen_records;
	/*
	 * Shapes (shape.c). The logical line being lexed and its shape; then,
	 * once cleaned, the cleaned line and its shape: a piece of the text
	 * mapped takes its shape from there. Other texts are shaped into a ring
	 * kept by content: a record waiting for joins is asked about again and
	 * again.
	 */
	const char *raw_ptr;
	size_t raw_len;
	struct strbuf raw_shape;
	struct strbuf prev_raw, prev_shape; /* the line ops_line() shaped before, and its shape */
	const char *map_ptr;
	size_t map_len;
	const char *map_shape;
	struct strbuf clean_shape;
	struct shaped {
		struct strbuf text, shape;
	} ring[SHAPE_RING];
	unsigned ring_next, ring_last;
};

/*
 * The hash a map's words are found by: the length and three bytes (first,
 * middle, last), so that no byte loop runs on every record; words that
 * share them are told apart by comparing.
 */
static inline uint32_t
map_word_hash(const char *p, size_t n)
{
	uint32_t h;

	if (!n)
		return 0;
	h = (uint32_t)n * 0x9E3779B1u;
	h ^= (uint32_t)(unsigned char)p[0] << 16 | (uint32_t)(unsigned char)p[n / 2] << 8 |
	     (unsigned char)p[n - 1];
	return h * 0x85EBCA6Bu ^ h >> 15;
}

/* Applies the value maps of m's family to m (grammar.c). */
void grammar_apply_maps(const struct grammar *g, struct gram_match *m);

/* shape.c */
/* Turns the n bytes at s into their shape in place. */
void shape_zero(char *s, size_t n);
/* False when grammar_use_shapes() turned them off: answers are then not taken from bytes seen. */
bool shapes_on(void);
/*
 * The shape of s (n bytes) into out (n bytes), with prev (pn bytes, its
 * shape prev_shape) as a start: the bytes they share up to a place that no
 * number or dump crosses take prev's shape. Returns how many did.
 */
size_t shape_after(char *out, const char *s, size_t n, const char *prev, const char *prev_shape,
		   size_t pn);
/* True if a word of s may not go on across offset at (the shape of a piece
 * cut there is then the piece of the shape). */
bool shape_boundary(const char *s, size_t n, size_t at);
/* True if a pattern or a literal tells numbers apart, so must read the real text. */
bool shape_pattern_exact(const char *pattern);
bool shape_literal_exact(const char *lit, size_t n);

#endif
