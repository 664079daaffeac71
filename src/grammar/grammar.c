/* Grammar lookups, record matching and the lexer rules backed by a grammar. */
#include "grammar-private.h"

#include <string.h>

#include "ikescope/lexer.h"
#include "ikescope/util/xalloc.h"

struct family_info {
	const char *name;
	const char *summary;
};

#define FAMILY_INFO(e, n, s) [GRAM_FAMILY_##e] = { n, s },
static const struct family_info families[] = { GRAM_FAMILIES(FAMILY_INFO) };
#undef FAMILY_INFO
_Static_assert(ARRAY_SIZE(families) == GRAM_FAMILY_COUNT, "family table out of sync");

struct field_info {
	const char *name;
	enum gram_type type;
	const char *summary;
};

#define FIELD_INFO(e, n, t, s) [GRAM_FIELD_##e] = { n, GRAM_TYPE_##t, s },
static const struct field_info fields[] = { GRAM_FIELDS(FIELD_INFO) };
#undef FIELD_INFO
_Static_assert(ARRAY_SIZE(fields) == GRAM_FIELD_COUNT, "field table out of sync");

const char *
gram_family_name(enum gram_family f)
{
	return (unsigned)f < GRAM_FAMILY_COUNT ? families[f].name : "?";
}

const char *
gram_family_summary(enum gram_family f)
{
	return (unsigned)f < GRAM_FAMILY_COUNT ? families[f].summary : "?";
}

enum gram_family
gram_family_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < GRAM_FAMILY_COUNT; i++)
		if (!strcmp(families[i].name, name))
			return (enum gram_family)i;
	return GRAM_FAMILY_COUNT;
}

const char *
gram_field_name(enum gram_field f)
{
	return (unsigned)f < GRAM_FIELD_COUNT ? fields[f].name : "?";
}

enum gram_type
gram_field_type(enum gram_field f)
{
	return (unsigned)f < GRAM_FIELD_COUNT ? fields[f].type : GRAM_TYPE_STR;
}

enum gram_field
gram_field_lookup(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < GRAM_FIELD_COUNT; i++)
		if (strlen(fields[i].name) == len && !strncmp(fields[i].name, name, len))
			return (enum gram_field)i;
	return GRAM_FIELD_COUNT;
}

size_t
grammar_rule_count(const struct grammar *g)
{
	return g->nrules;
}

size_t
grammar_source_count(const struct grammar *g)
{
	return g->nsources;
}

/* Runs one pattern; returns the number of captures or <= 0. */
static int
run(const struct grammar *g, const struct pattern *p, const char *s, size_t n, size_t start,
    uint32_t opts)
{
	/* the JIT fast path skips pcre2_match's per-call checks */
	if ((opts & PCRE2_ANCHORED) && p->anchored)
		return p->anchored_jit ? pcre2_jit_match(p->anchored, (PCRE2_SPTR)s, n, start,
							 opts & ~PCRE2_ANCHORED, g->md, NULL)
				       : pcre2_match(p->anchored, (PCRE2_SPTR)s, n, start,
						     opts & ~PCRE2_ANCHORED, g->md, NULL);
	if (p->jit && !(opts & PCRE2_ANCHORED))
		return pcre2_jit_match(p->re, (PCRE2_SPTR)s, n, start, opts, g->md, NULL);
	return pcre2_match(p->re, (PCRE2_SPTR)s, n, start, opts, g->md, NULL);
}

/* True if the rule has no literal or one of its literals is in the scanned text. */
static bool
wanted(const struct rule *r, const uint64_t *present)
{
	size_t i;

	if (!r->nliterals)
		return true;
	for (i = 0; i < r->nliterals; i++)
		if (present[r->lit_ids[i] / 64] >> (r->lit_ids[i] % 64) & 1)
			return true;
	return false;
}

/*
 * Which literals occur in s. Text inside the last cleaned line reuses that
 * line's scan: what occurs in the line is a superset of what occurs in a
 * piece of it, and a prefilter may let through more, never less.
 */
/* Remembers present as the scan of s (or a superset of it: a prefilter may let more through). */
static void
cache_put(struct grammar *g, const char *s, size_t n, const uint64_t *present)
{
	struct scan_cache *c;

	if (n > SCAN_CACHE_MAX_TEXT)
		return;
	c = &g->scache[g->scache_next];
	g->scache_next = (g->scache_next + 1) % SCAN_CACHE_SLOTS;
	sb_reset(&c->text);
	sb_add(&c->text, s, n);
	memcpy(c->present, present, g->pf.nwords * sizeof(*present));
	c->valid = true;
}

static void
scan(const struct grammar *cg, const char *s, size_t n)
{
	struct grammar *g = (struct grammar *)cg; /* the caches are scratch state */
	const size_t bytes = g->pf.nwords * sizeof(*g->present);
	struct scan_cache *c;
	size_t i;

	if (g->line_ptr && s >= g->line_ptr && s + n <= g->line_ptr + g->line_len) {
		memcpy(g->present, g->line_present, bytes);
		return;
	}
	for (i = 0; i < SCAN_CACHE_SLOTS; i++) {
		c = &g->scache[i];
		if (c->valid && c->text.len == n && !memcmp(c->text.buf, s, n)) {
			memcpy(g->present, c->present, bytes);
			return;
		}
	}
	prefilter_scan(&g->pf, s, n, g->present);
	cache_put(g, s, n, g->present);
}

/* The scan just made (g->present) is that of the cleaned line s. */
static void
keep_scan(struct grammar *g, const char *s, size_t n)
{
	memcpy(g->line_present, g->present, g->pf.nwords * sizeof(*g->present));
	g->line_ptr = s;
	g->line_len = n;
}

/* Remembers the scan of a cleaned line for the pieces cut from it. */
static void
keep_line_scan(struct grammar *g, const char *s, size_t n)
{
	prefilter_scan(&g->pf, s, n, g->line_present);
	memcpy(g->present, g->line_present, g->pf.nwords * sizeof(*g->present));
	g->line_ptr = s;
	g->line_len = n;
}

bool
grammar_match(const struct grammar *g, const char *text, size_t len, struct gram_match *m)
{
	size_t i, j, w;

	m->attempts = 0;
	m->nvalues = 0;
	scan(g, text, len);
	/* the families worth trying, in order */
	memcpy(g->fam_cand, g->fam_always, g->fwords * sizeof(uint64_t));
	for (w = 0; w < g->pf.nwords; w++) {
		uint64_t bits = g->present[w];

		while (bits) {
			size_t lit = w * 64 + (size_t)__builtin_ctzll(bits);
			const uint64_t *f = &g->fam_by_lit[lit * g->fwords];

			bits &= bits - 1;
			for (j = 0; j < g->fwords; j++)
				g->fam_cand[j] |= f[j];
		}
	}
	for (w = 0; w < g->fwords; w++) {
		uint64_t bits = g->fam_cand[w];

		while (bits) {
			const struct rule *r;
			PCRE2_SIZE *ov;

			i = w * 64 + (size_t)__builtin_ctzll(bits);
			bits &= bits - 1;
			if (i >= g->nby_kind[RULE_FAMILY])
				return false;
			r = &g->rules[g->by_kind[RULE_FAMILY][i]];
			m->attempts++;
			if (run(g, &r->pat[PAT_MAIN], text, len, 0, 0) <= 0)
				continue;
			ov = pcre2_get_ovector_pointer(g->md);
			m->family = r->family;
			m->rule = r->name;
			for (j = 0; j < r->nsets && m->nvalues < GRAM_MAX_VALUES; j++) {
				m->values[m->nvalues].field = r->sets[j].field;
				m->values[m->nvalues].p = r->sets[j].value;
				m->values[m->nvalues].len = strlen(r->sets[j].value);
				m->nvalues++;
			}
			for (j = 0; j < r->ngroups && m->nvalues < GRAM_MAX_VALUES; j++) {
				uint32_t gi = r->groups[j].group;

				if (ov[2 * gi] == PCRE2_UNSET)
					continue;
				m->values[m->nvalues].field = r->groups[j].field;
				m->values[m->nvalues].p = text + ov[2 * gi];
				m->values[m->nvalues].len = ov[2 * gi + 1] - ov[2 * gi];
				m->nvalues++;
			}
			return true;
		}
	}
	return false;
}

/* The first rule of a kind whose literals occur and whose pattern matches s. */
static const struct rule *
first_match(const struct grammar *g, enum rule_kind kind, const char *s, size_t n, uint32_t opts)
{
	size_t i;

	scan(g, s, n);
	for (i = 0; i < g->nby_kind[kind]; i++) {
		const struct rule *r = &g->rules[g->by_kind[kind][i]];

		if (wanted(r, g->present) && run(g, &r->pat[PAT_MAIN], s, n, 0, opts) > 0)
			return r;
	}
	return NULL;
}

bool
grammar_is_ike(const struct grammar *g, const char *text, size_t len)
{
	return first_match(g, RULE_IKE, text, len, 0) != NULL;
}

bool
grammar_may_hold_secret(const struct grammar *g, const char *text, size_t len)
{
	size_t i;

	scan(g, text, len);
	for (i = 0; i < g->nby_kind[RULE_MASK]; i++)
		if (wanted(&g->rules[g->by_kind[RULE_MASK][i]], g->present))
			return true;
	return false;
}

void
grammar_mask(const struct grammar *g, const char *text, size_t len, struct strbuf *out)
{
	size_t pos = 0;

	if (!grammar_may_hold_secret(g, text, len)) {
		sb_add(out, text, len);
		return;
	}

	while (pos <= len) {
		size_t best = len, best_end = len, i;
		bool found = false;

		for (i = 0; i < g->nby_kind[RULE_MASK]; i++) {
			const struct rule *r = &g->rules[g->by_kind[RULE_MASK][i]];
			PCRE2_SIZE *ov;

			if (run(g, &r->pat[PAT_MAIN], text, len, pos, 0) <= 0)
				continue;
			ov = pcre2_get_ovector_pointer(g->md);
			if (ov[2 * r->secret_group] == PCRE2_UNSET ||
			    ov[2 * r->secret_group] == ov[2 * r->secret_group + 1])
				continue;
			if (!found || ov[2 * r->secret_group] < best) {
				best = ov[2 * r->secret_group];
				best_end = ov[2 * r->secret_group + 1];
				found = true;
			}
		}
		if (!found) {
			sb_add(out, text + pos, len - pos);
			return;
		}
		sb_add(out, text + pos, best - pos);
		sb_adds(out, "********");
		pos = best_end;
	}
}

/* ---- lexer rules ---- */

/*
 * The lexer asks about a line as printed and again about the segments cut
 * from it, which are usually the same text: the last answer is kept.
 */
static const char *
ops_noise(void *ctx, const char *s, size_t n)
{
	struct grammar *g = ctx;
	const struct rule *r;

	if (g->noise_valid && g->noise_text.len == n && !memcmp(g->noise_text.buf, s, n))
		return g->noise_kind;
	r = first_match(g, RULE_NOISE, s, n, 0);
	g->noise_kind = r ? r->name : NULL;
	g->noise_valid = n <= SCAN_CACHE_MAX_TEXT;
	if (g->noise_valid) {
		sb_reset(&g->noise_text);
		sb_add(&g->noise_text, s, n);
	}
	return g->noise_kind;
}

static bool
strip_once(struct grammar *g, struct strbuf *line, unsigned *flags)
{
	size_t i;

	for (i = 0; i < g->nby_kind[RULE_STRIP]; i++) {
		const struct rule *r = &g->rules[g->by_kind[RULE_STRIP][i]];
		PCRE2_SIZE *ov;

		/* removing a prefix only removes literals: the scan stays an upper bound */
		if (!wanted(r, g->present) ||
		    run(g, &r->pat[PAT_MAIN], line->buf, line->len, 0, PCRE2_ANCHORED) <= 0)
			continue;
		ov = pcre2_get_ovector_pointer(g->md);
		if (ov[1] == 0)
			continue;
		memmove(line->buf, line->buf + ov[1], line->len - ov[1] + 1);
		line->len -= ov[1];
		*flags |= r->what ? r->what : LEX_CLEAN_MARKUP;
		return true;
	}
	return false;
}

static void
strip_all(struct grammar *g, struct strbuf *line, unsigned *flags)
{
	int guard = 16;

	while (guard-- > 0 && line->len && strip_once(g, line, flags))
		;
}

static bool
repair(struct grammar *g, const struct rule *r, struct strbuf *line)
{
	PCRE2_SIZE outlen;
	int rc;

	if (run(g, &r->pat[PAT_MAIN], line->buf, line->len, 0, 0) <= 0)
		return false;
	sb_reset(&g->scratch);
	outlen = line->len * 2 + 64;
	for (;;) {
		sb_grow(&g->scratch, outlen);
		outlen = g->scratch.cap;
		rc = pcre2_substitute(r->pat[PAT_MAIN].re, (PCRE2_SPTR)line->buf, line->len, 0,
				      PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_EXTENDED |
					      PCRE2_SUBSTITUTE_OVERFLOW_LENGTH,
				      NULL, NULL, (PCRE2_SPTR)r->replace, strlen(r->replace),
				      (PCRE2_UCHAR *)g->scratch.buf, &outlen);
		if (rc != PCRE2_ERROR_NOMEMORY)
			break;
		outlen += 1;
	}
	if (rc <= 0)
		return false;
	sb_reset(line);
	sb_add(line, g->scratch.buf, outlen);
	return true;
}

static unsigned
ops_clean(void *ctx, struct strbuf *line)
{
	struct grammar *g = ctx;
	unsigned flags = 0;
	size_t i;

	g->line_ptr = NULL;
	if (!line->len)
		return 0;
	scan(g, line->buf, line->len);
	strip_all(g, line, &flags);
	for (i = 0; i < g->nby_kind[RULE_REPAIR]; i++) {
		const struct rule *r = &g->rules[g->by_kind[RULE_REPAIR][i]];

		if (wanted(r, g->present) && repair(g, r, line)) {
			flags |= LEX_CLEAN_REPAIR;
			scan(g, line->buf, line->len);
		}
	}
	/* a repair can uncover a prefix ("**IKEv2-PROTO-4:") */
	if (flags & LEX_CLEAN_REPAIR)
		strip_all(g, line, &flags);
	/* a repair can add literals; stripping a prefix only removes them */
	if (flags & LEX_CLEAN_REPAIR)
		keep_line_scan(g, line->buf, line->len);
	else
		keep_scan(g, line->buf, line->len); /* the first scan still holds */
	/* the records cut from this line are usually copies of it */
	cache_put(g, line->buf, line->len, g->line_present);
	return flags;
}

static int
by_cut(const void *a, const void *b)
{
	const struct lex_cut *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->resume > y->resume ? -1 : x->resume < y->resume;
}

static void
add_cut(struct grammar *g, size_t at, size_t resume)
{
	if (g->ncuts == g->cuts_cap) {
		g->cuts_cap = g->cuts_cap ? 2 * g->cuts_cap : 16;
		g->cuts = xreallocarray(g->cuts, g->cuts_cap, sizeof(*g->cuts));
	}
	g->cuts[g->ncuts].at = at;
	g->cuts[g->ncuts].resume = resume;
	g->ncuts++;
}

/* All split points of a line, found with one pass of each rule over it. */
static const struct lex_cut *
ops_split(void *ctx, const char *s, size_t n, size_t *ncuts)
{
	struct grammar *g = ctx;
	size_t i, j, k;

	g->ncuts = 0;
	scan(g, s, n);
	for (i = 0; i < g->nby_kind[RULE_SPLIT]; i++) {
		const struct rule *r = &g->rules[g->by_kind[RULE_SPLIT][i]];
		size_t at = 0;

		if (!wanted(r, g->present))
			continue;
		while (at < n && run(g, &r->pat[PAT_MAIN], s, n, at, 0) > 0) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(g->md);

			/* an empty match at the very start is not a split */
			if (ov[1] > 0)
				add_cut(g, ov[0], ov[1]);
			at = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
		}
	}
	if (g->ncuts > 1)
		qsort(g->cuts, g->ncuts, sizeof(*g->cuts), by_cut);
	/* drop cuts inside text an earlier cut drops */
	for (j = 0, k = 0; j < g->ncuts; j++) {
		if (k && g->cuts[j].at < g->cuts[k - 1].resume)
			continue;
		if (k && g->cuts[j].at == g->cuts[k - 1].at)
			continue;
		g->cuts[k++] = g->cuts[j];
	}
	g->ncuts = k;
	*ncuts = k;
	return g->cuts;
}

static bool
ops_starts(void *ctx, const char *s, size_t n)
{
	return first_match(ctx, RULE_SPLIT, s, n, PCRE2_ANCHORED) != NULL;
}

static bool
ops_joins(void *ctx, const char *head, size_t hn, const char *tail, size_t tn, size_t *drop)
{
	const struct grammar *g = ctx;
	size_t i;

	*drop = 0;
	scan(g, head, hn);
	for (i = 0; i < g->nby_kind[RULE_JOIN]; i++) {
		const struct rule *r = &g->rules[g->by_kind[RULE_JOIN][i]];

		/* a join's literals are in the head */
		if (!wanted(r, g->present) || run(g, &r->pat[PAT_SECOND], tail, tn, 0, 0) <= 0 ||
		    run(g, &r->pat[PAT_MAIN], head, hn, 0, 0) <= 0)
			continue;
		if (r->pat[PAT_THIRD].re &&
		    run(g, &r->pat[PAT_THIRD], tail, tn, 0, PCRE2_ANCHORED) > 0)
			*drop = pcre2_get_ovector_pointer(g->md)[1];
		return true;
	}
	return false;
}

static bool
ops_is_record(void *ctx, const char *s, size_t n)
{
	struct gram_match m;

	return grammar_match(ctx, s, n, &m);
}

static const struct rule *
block_rule(const struct grammar *g, int b)
{
	return &g->rules[g->by_kind[RULE_BLOCK][b]];
}

static int
ops_block_start(void *ctx, const char *s, size_t n)
{
	const struct grammar *g = ctx;
	size_t i;

	for (i = 0; i < g->nby_kind[RULE_BLOCK]; i++)
		if (run(g, &block_rule(g, (int)i)->pat[PAT_MAIN], s, n, 0, 0) > 0)
			return (int)i;
	return -1;
}

static bool
ops_block_end(void *ctx, int b, const char *s, size_t n)
{
	const struct grammar *g = ctx;

	return run(g, &block_rule(g, b)->pat[PAT_SECOND], s, n, 0, 0) > 0;
}

static bool
ops_block_member(void *ctx, int b, const char *s, size_t n)
{
	const struct grammar *g = ctx;
	const struct rule *r = block_rule(g, b);

	if (!r->pat[PAT_THIRD].re)
		return true;
	return run(g, &r->pat[PAT_THIRD], s, n, 0, 0) > 0;
}

static bool
ops_block_restart(void *ctx, int b, const char *s, size_t n)
{
	const struct grammar *g = ctx;
	const struct rule *r = block_rule(g, b);

	return r->pat[PAT_FOURTH].re && run(g, &r->pat[PAT_FOURTH], s, n, 0, 0) > 0;
}

static const char *
ops_block_name(void *ctx, int b)
{
	return block_rule(ctx, b)->name;
}

static bool
ops_block_interleaved(void *ctx, int b)
{
	return block_rule(ctx, b)->interleave;
}

static unsigned
ops_block_max_lines(void *ctx, int b)
{
	return block_rule(ctx, b)->max_lines;
}

static const struct lex_rules_ops grammar_ops = {
	.noise = ops_noise,
	.clean = ops_clean,
	.split = ops_split,
	.starts = ops_starts,
	.is_record = ops_is_record,
	.joins = ops_joins,
	.block_start = ops_block_start,
	.block_end = ops_block_end,
	.block_member = ops_block_member,
	.block_restart = ops_block_restart,
	.block_name = ops_block_name,
	.block_interleaved = ops_block_interleaved,
	.block_max_lines = ops_block_max_lines,
};

const struct lex_rules_ops *
grammar_lex_ops(void)
{
	return &grammar_ops;
}
