/* Grammar lookups, record matching and the lexer rules backed by a grammar. */
#include "grammar-private.h"

#include "ikescope/proto.h"

#include <ctype.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

struct dialect_info {
	const char *name, *summary;
};

#define DIALECT_INFO(e, n, s) [GRAM_DIALECT_##e] = { n, s },
static const struct dialect_info dialects[] = { GRAM_DIALECTS(DIALECT_INFO) };
#undef DIALECT_INFO
_Static_assert(ARRAY_SIZE(dialects) == GRAM_DIALECT_COUNT, "dialect table out of sync");
_Static_assert(GRAM_DIALECT_COUNT <= 32, "gram_match.dialects holds a dialect in a bit");

const char *
gram_dialect_name(enum gram_dialect d)
{
	return (unsigned)d < GRAM_DIALECT_COUNT ? dialects[d].name : "?";
}

const char *
gram_dialect_summary(enum gram_dialect d)
{
	return (unsigned)d < GRAM_DIALECT_COUNT ? dialects[d].summary : "?";
}

enum gram_dialect
gram_dialect_lookup(const char *name, size_t len)
{
	size_t d;

	for (d = 0; d < GRAM_DIALECT_COUNT; d++)
		if (strlen(dialects[d].name) == len && !memcmp(dialects[d].name, name, len))
			return (enum gram_dialect)d;
	return GRAM_DIALECT_COUNT;
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

#define KIND_INFO(fam, name) { GRAM_FAMILY_##fam, name, sizeof(name) - 1 },
static const struct {
	enum gram_family family;
	const char *name;
	size_t len;
} kinds[] = { GRAM_KINDS(KIND_INFO) };
#undef KIND_INFO

bool
gram_kind_is_known(enum gram_family f, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		if (kinds[i].family == f && kinds[i].len == len &&
		    !memcmp(kinds[i].name, name, len))
			return true;
	return false;
}

void
gram_kind_list(enum gram_family f, struct strbuf *out)
{
	size_t i;
	bool first = true;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (kinds[i].family != f)
			continue;
		if (!first)
			sb_addc(out, ' ');
		sb_adds(out, kinds[i].name);
		first = false;
	}
}

#define CLASS_INFO(field, name) { GRAM_FIELD_##field, name, sizeof(name) - 1 },
static const struct {
	enum gram_field field;
	const char *name;
	size_t len;
} classes[] = { GRAM_CLASSES(CLASS_INFO) };
#undef CLASS_INFO

bool
gram_field_has_values(enum gram_field f)
{
	size_t i;

	if (f == GRAM_FIELD_EXCHANGE || f == GRAM_FIELD_PAYLOAD || f == GRAM_FIELD_NOTIFY)
		return true;
	for (i = 0; i < ARRAY_SIZE(classes); i++)
		if (classes[i].field == f)
			return true;
	return false;
}

bool
gram_value_is_known(enum gram_field f, const char *text, size_t len)
{
	char name[128];
	unsigned v;
	size_t i;

	if (f == GRAM_FIELD_PAYLOAD)
		return proto_payload_value(text, len, &v);
	if (f == GRAM_FIELD_EXCHANGE || f == GRAM_FIELD_NOTIFY) {
		if (len >= sizeof(name))
			return false;
		memcpy(name, text, len);
		name[len] = '\0';
		return f == GRAM_FIELD_EXCHANGE ? proto_exchange_value(name, &v)
						: proto_notify_value(name, &v);
	}
	for (i = 0; i < ARRAY_SIZE(classes); i++)
		if (classes[i].field == f && classes[i].len == len &&
		    !memcmp(classes[i].name, text, len))
			return true;
	return false;
}

void
gram_class_list(enum gram_field f, struct strbuf *out)
{
	size_t i;
	bool first = true;

	for (i = 0; i < ARRAY_SIZE(classes); i++) {
		if (classes[i].field != f)
			continue;
		if (!first)
			sb_addc(out, ' ');
		sb_adds(out, classes[i].name);
		first = false;
	}
}

/* The word of map r that text is, or (a map that completes) the one word it is a cut form of. */
static const struct map_word *
map_lookup(const struct rule *r, const char *text, size_t len)
{
	const struct map_word *cut = NULL;
	size_t i, cuts = 0;
	uint32_t k;

	for (k = map_word_hash(text, len) & r->word_mask; r->word_slots[k];
	     k = (k + 1) & r->word_mask) {
		const struct map_word *w = &r->words[r->word_slots[k] - 1];

		if (w->len == len && !memcmp(w->word, text, len))
			return w;
	}
	if (!r->map_complete)
		return NULL;
	for (i = 0; i < r->nwords; i++) {
		const struct map_word *w = &r->words[i];

		if (w->len > len && !memcmp(w->word, text, len)) {
			cut = w;
			cuts++;
		}
	}
	return cuts == 1 ? cut : NULL;
}

void
grammar_apply_maps(const struct grammar *g, struct gram_match *m)
{
	size_t i;

	for (i = 0; i < g->nmaps_for[m->family]; i++) {
		const struct rule *r = g->maps_for[m->family][i];
		const struct map_word *w;
		struct gram_value *v;

		if (!m->at[r->map_field])
			continue;
		if (r->map_kind) {
			const struct gram_value *k = gram_match_value(m, GRAM_FIELD_KIND);

			if (!k || k->len != r->map_kind_len || memcmp(k->p, r->map_kind, k->len))
				continue;
		}
		v = &m->values[m->at[r->map_field] - 1];
		if (!v->len || !(w = map_lookup(r, v->p, v->len)))
			continue;
		/* a cut word reads whole */
		v->p = w->word;
		v->len = w->len;
		if (!w->to)
			continue;
		if (r->map_class == GRAM_FIELD_COUNT) {
			v->p = w->to;
			v->len = w->tolen;
		} else if (m->nvalues < GRAM_MAX_VALUES &&
			   !(m->has[r->map_class / 64] >> (r->map_class % 64) & 1)) {
			m->values[m->nvalues].field = r->map_class;
			m->values[m->nvalues].p = w->to;
			m->values[m->nvalues].len = w->tolen;
			m->at[r->map_class] = (uint8_t)(m->nvalues + 1);
			m->nvalues++;
			m->has[r->map_class / 64] |= 1ull << (r->map_class % 64);
		}
	}
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
	return g->nrules - g->nby_kind[RULE_MAP] - g->nby_kind[RULE_DIALECT];
}

size_t
grammar_map_count(const struct grammar *g)
{
	return g->nby_kind[RULE_MAP];
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
	/* the JIT code, made on the first run (the grammar's patterns are its own) */
	if ((opts & PCRE2_ANCHORED) && p->anchored && !p->anchored_jit_tried) {
		struct pattern *w = (struct pattern *)p;

		w->anchored_jit = pcre2_jit_compile(p->anchored, PCRE2_JIT_COMPLETE) == 0;
		w->anchored_jit_tried = true;
	} else if (!(opts & PCRE2_ANCHORED) && p->re && !p->jit_tried) {
		struct pattern *w = (struct pattern *)p;

		w->jit = pcre2_jit_compile(p->re, PCRE2_JIT_COMPLETE) == 0;
		w->jit_tried = true;
	}
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

/* True if ids is empty or one of its literals is in the scanned text. */
static bool
any_present(const uint32_t *ids, size_t n, const uint64_t *present)
{
	size_t i;

	if (!n)
		return true;
	for (i = 0; i < n; i++)
		if (present[ids[i] / 64] >> (ids[i] % 64) & 1)
			return true;
	return false;
}

/* True if the rule has no literal or one of its literals is in the scanned text. */
static bool
wanted(const struct rule *r, const uint64_t *present)
{
	return any_present(r->lit_ids, r->nliterals, present);
}

/* ---- shapes (shape.c) ---- */

/* What a question is about: the real text, and the shape most rules read. */
struct view {
	const char *s;
	const char *k;
	size_t n;
	bool in_line; /* a piece of the line being lexed, at offset at */
	uint32_t at;
};

/* A ring slot to fill: the oldest, but not the one the last view uses. */
static struct shaped *
ring_slot(struct grammar *g)
{
	unsigned i = g->ring_next++ % SHAPE_RING;

	if (i == g->ring_last)
		i = g->ring_next++ % SHAPE_RING;
	g->ring_last = i;
	return &g->ring[i];
}

/*
 * The shape of s: from the line being lexed if s is a piece of it, else from
 * the ring if s was shaped lately, else made now and kept in the ring.
 */
static struct view
view_of(struct grammar *g, const char *s, size_t n)
{
	struct view v = { s, s, n, false, 0 };
	struct shaped *r;
	unsigned i;

	if (g->map_ptr && s >= g->map_ptr && s + n <= g->map_ptr + g->map_len) {
		size_t at = (size_t)(s - g->map_ptr);

		if (shape_boundary(g->map_ptr, g->map_len, at) &&
		    shape_boundary(g->map_ptr, g->map_len, at + n)) {
			v.k = g->map_shape + at;
			v.in_line = g->pieces_ok;
			v.at = (uint32_t)(g->map_base + at);
			return v;
		}
	}
	for (i = 0; i < SHAPE_RING; i++) {
		r = &g->ring[(g->ring_next + SHAPE_RING - 1 - i) % SHAPE_RING];
		if (r->text.len == n && r->text.buf && !memcmp(r->text.buf, s, n)) {
			g->ring_last = (unsigned)(r - g->ring);
			v.k = r->shape.buf;
			return v;
		}
	}
	r = ring_slot(g);
	sb_reset(&r->text);
	sb_add(&r->text, s, n);
	sb_reset(&r->shape);
	sb_add(&r->shape, s, n);
	shape_zero(r->shape.buf, n);
	v.k = r->shape.buf;
	return v;
}

/*
 * True if lit occurs in s. Candidates are the places where both its first
 * and its last byte are, sixteen at a time; they are then compared whole.
 */
static bool
find(const char *s, size_t n, const char *lit, size_t len)
{
	size_t i = 0;

	if (!len)
		return true;
	if (len > n)
		return false;
	if (len == 1)
		return memchr(s, lit[0], n) != NULL;
#if defined(__SSE2__)
	{
		const __m128i first = _mm_set1_epi8(lit[0]), last = _mm_set1_epi8(lit[len - 1]);

		for (; i + len - 1 + 16 <= n; i += 16) {
			__m128i a = _mm_loadu_si128((const __m128i *)(s + i));
			__m128i b = _mm_loadu_si128((const __m128i *)(s + i + len - 1));
			unsigned mask = (unsigned)_mm_movemask_epi8(
				_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last)));

			while (mask) {
				unsigned bit = (unsigned)__builtin_ctz(mask);

				if (!memcmp(s + i + bit + 1, lit + 1, len - 2))
					return true;
				mask &= mask - 1;
			}
		}
	}
#endif
	for (; i + len <= n; i++)
		if (s[i] == lit[0] && !memcmp(s + i + 1, lit + 1, len - 1))
			return true;
	return false;
}

/* True if r has no literal or one of them is in the real text s. */
static bool
literals_in(const struct rule *r, const char *s, size_t n)
{
	size_t i;

	if (!r->nliterals)
		return true;
	for (i = 0; i < r->nliterals; i++)
		if (find(s, n, r->literals[i], r->literal_lens[i]))
			return true;
	return false;
}

/* True if a literal of a rule that reads the real text (or such a rule without one) is in s. */
static bool
exact_in(const struct grammar *g, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < g->nexact; i++)
		if (literals_in(&g->rules[g->exact[i]], s, n))
			return true;
	return false;
}

/*
 * True if a rule of this kind that reads the real text may match s. The
 * answers kept for a shape leave those rules out, so they do not hold then.
 * A piece of the line being lexed holds none of their literals if the line
 * holds none.
 */
static bool
exact_may(const struct grammar *g, enum rule_kind kind, const char *s, size_t n)
{
	size_t i;

	if (!g->nexact_by_kind[kind])
		return false;
	if (!g->map_exact && g->map_ptr && s >= g->map_ptr && s + n <= g->map_ptr + g->map_len)
		return false;

	for (i = 0; i < g->nexact_by_kind[kind]; i++)
		if (literals_in(&g->rules[g->exact_by_kind[kind][i]], s, n))
			return true;
	return false;
}

/* Whether r is worth running on v (g->present holds the scan of v's shape). */
static bool
tried(const struct grammar *g, const struct rule *r, const struct view *v)
{
	return r->exact ? literals_in(r, v->s, v->n) : wanted(r, g->present);
}

/* The text r reads: the real one or the shape. */
static const char *
text_for(const struct rule *r, const struct view *v)
{
	return r->exact ? v->s : v->k;
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

/* The entry of the line being lexed, made again if the memo was emptied since. */
static struct memo_entry *
line_entry(struct grammar *g)
{
	if (g->line_entry && g->line_gen == g->memo.resets)
		return g->line_entry;
	g->line_entry = memo_get(&g->memo, g->raw_shape.buf, g->raw_len);
	g->line_gen = g->memo.resets;
	return g->line_entry;
}

/* The entry of v: a piece of the line under the line's entry, any other text by its shape. */
static struct memo_entry *
entry_of(struct grammar *g, const struct view *v)
{
	struct memo_entry *line;

	if (v->in_line && v->n <= MEMO_MAX_TEXT && (line = line_entry(g)))
		return memo_piece(&g->memo, line, v->at, (uint32_t)v->n);
	return memo_get(&g->memo, v->k, v->n);
}

static struct memo_entry *
entry_for(struct grammar *g, enum rule_kind kind, const struct view *v)
{
	return exact_may(g, kind, v->s, v->n) ? NULL : entry_of(g, v);
}

/* Fills m from the answer kept for text. */
/* Notes that value k of m is of field f (the first one of f is the one found). */
static inline void
note_value(struct gram_match *m, size_t k, enum gram_field f)
{
	if (!m->at[f])
		m->at[f] = (uint8_t)(k + 1);
}

/* Fills m's rule and values from an answer kept (family: index among families, -1 none). */
static bool
match_from_values(const struct grammar *g, int family, const struct memo_value *values, size_t n,
		  const char *text, struct gram_match *m)
{
	const struct rule *r;
	size_t j;

	m->nvalues = 0;
	if (family < 0)
		return false;
	r = &g->rules[g->by_kind[RULE_FAMILY][family]];
	m->family = r->family;
	m->rule = r->name;
	m->dialects = r->dialects;
	for (j = 0; j < n; j++) {
		const struct memo_value *v = &values[j];

		m->values[j].field = (enum gram_field)v->field;
		m->values[j].p = (v->src & MEMO_SET_VALUE) ? r->sets[v->src & ~MEMO_SET_VALUE].value
							   : text + v->off;
		m->values[j].len = v->len;
	}
	m->nvalues = n;
	return true;
}

static bool
match_from_memo(const struct grammar *g, const struct memo_entry *e, const char *text,
		struct gram_match *m)
{
	m->attempts = e->attempts;
	memcpy(m->has, e->has, sizeof(m->has));
	memcpy(m->at, e->value_at, sizeof(m->at));
	return match_from_values(g, e->family, e->values, e->nvalues, text, m);
}

/* Keeps the answer just worked out for the text of e (family: index among families). */
static void
match_to_memo(struct grammar *g, struct memo_entry *e, int family, const char *text,
	      const struct gram_match *m)
{
	const struct rule *r;
	struct memo_value *v;
	size_t j, k;

	e->known |= MEMO_FAMILY;
	e->family = family;
	e->attempts = m->attempts;
	e->nvalues = 0;
	memcpy(e->has, m->has, sizeof(e->has));
	memcpy(e->value_at, m->at, sizeof(e->value_at));
	if (family < 0 || !m->nvalues)
		return;
	r = &g->rules[g->by_kind[RULE_FAMILY][family]];
	v = memo_alloc(&g->memo, m->nvalues * sizeof(*v));
	for (j = 0; j < m->nvalues; j++) {
		v[j].field = (uint16_t)m->values[j].field;
		v[j].len = (uint32_t)m->values[j].len;
		v[j].src = 0;
		v[j].off = 0;
		for (k = 0; k < r->nsets; k++)
			if (m->values[j].p == r->sets[k].value)
				break;
		if (k < r->nsets)
			v[j].src = (uint16_t)(MEMO_SET_VALUE | k);
		else
			v[j].off = (uint32_t)(m->values[j].p - text);
	}
	e->values = v;
	e->nvalues = (uint32_t)m->nvalues;
}

/* Tries the families; *family gets the index of the one that matched, or -1. */
static bool
match_families(const struct grammar *g, const struct view *v, struct gram_match *m, int *family)
{
	const char *text = v->s;
	size_t i, j, w;

	*family = -1;
	m->attempts = 0;
	m->nvalues = 0;
	memset(m->has, 0, sizeof(m->has));
	memset(m->at, 0, sizeof(m->at));
	scan(g, v->k, v->n);
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
			if (r->exact && !literals_in(r, v->s, v->n))
				continue;
			m->attempts++;
			if (run(g, &r->pat[PAT_MAIN], text_for(r, v), v->n, 0, 0) <= 0)
				continue;
			ov = pcre2_get_ovector_pointer(g->md);
			m->family = r->family;
			m->rule = r->name;
			m->dialects = r->dialects;
			for (j = 0; j < r->nsets && m->nvalues < GRAM_MAX_VALUES; j++) {
				m->values[m->nvalues].field = r->sets[j].field;
				m->has[r->sets[j].field / 64] |= 1ull << (r->sets[j].field % 64);
				note_value(m, m->nvalues, r->sets[j].field);
				m->values[m->nvalues].p = r->sets[j].value;
				m->values[m->nvalues].len = strlen(r->sets[j].value);
				m->nvalues++;
			}
			for (j = 0; j < r->ngroups && m->nvalues < GRAM_MAX_VALUES; j++) {
				uint32_t gi = r->groups[j].group;

				if (ov[2 * gi] == PCRE2_UNSET)
					continue;
				m->values[m->nvalues].field = r->groups[j].field;
				m->has[r->groups[j].field / 64] |= 1ull
								   << (r->groups[j].field % 64);
				note_value(m, m->nvalues, r->groups[j].field);
				m->values[m->nvalues].p = text + ov[2 * gi];
				m->values[m->nvalues].len = ov[2 * gi + 1] - ov[2 * gi];
				m->nvalues++;
			}
			*family = (int)i;
			return true;
		}
	}
	return false;
}

/* The entry a hint names, if it is still there. */
static struct memo_entry *
hinted(const struct grammar *g, const struct lex_hint *h, size_t len)
{
	struct memo_entry *e;

	if (!h || !h->p || h->gen != g->memo.resets)
		return NULL;
	e = (struct memo_entry *)h->p;
	return e->len == len ? e : NULL;
}

/*
 * A record that comes without a hint (one matched on another thread than
 * the one that lexed it) would be shaped again to find its entry; most
 * say what an earlier one said, byte for byte, and a small table by their
 * bytes gives the entry of their shape instead. Same bytes, same answer:
 * the table holds only entries whose answer is known, while the memo is
 * not emptied.
 */
static struct seen_record *
seen_record(struct grammar *g, const char *text, size_t len, uint64_t *hash)
{
	if (len > SEEN_RECORD_MAX || !shapes_on())
		return NULL;
	if (!g->seen_records)
		g->seen_records = xcalloc(SEEN_RECORDS, sizeof(*g->seen_records));
	*hash = memo_hash(text, len);
	return &g->seen_records[*hash & (SEEN_RECORDS - 1)];
}

bool
grammar_match_hinted(const struct grammar *cg, const char *text, size_t len,
		     const struct lex_hint *hint, struct gram_match *m)
{
	struct grammar *g = (struct grammar *)cg; /* the memo is scratch state */
	struct memo_entry *e = NULL;
	struct seen_record *x = NULL;
	struct view v;
	bool found, shaped = false;
	uint64_t hash = 0, gen;
	int family;

	if (!exact_may(g, RULE_FAMILY, text, len)) {
		e = hinted(g, hint, len);
		if (!e && !hint && (x = seen_record(g, text, len, &hash)) && x->entry &&
		    x->gen == g->memo.resets && x->hash == hash && x->len == len &&
		    !memcmp(x->text, text, len)) {
			e = x->entry;
			e->hot = true; /* kept when the memo is full */
			x = NULL;
		}
	}
	if (!e) {
		v = view_of(g, text, len);
		shaped = true;
		e = entry_for(g, RULE_FAMILY, &v);
	}
	gen = g->memo.resets;
	if (e && (e->known & MEMO_FAMILY)) {
		found = match_from_memo(g, e, text, m);
	} else {
		if (!shaped)
			v = view_of(g, text, len);
		found = match_families(g, &v, m, &family);
		if (e)
			match_to_memo(g, e, family, text, m);
	}
	if (x && e && (e->known & MEMO_FAMILY) && g->memo.resets == gen) {
		x->entry = e;
		x->gen = gen;
		x->hash = hash;
		x->len = (uint32_t)len;
		memcpy(x->text, text, len);
	}
	/* the value maps read the real words: after the memo, which keeps offsets */
	if (found && g->nmaps_for[m->family])
		grammar_apply_maps(g, m);
	return found;
}

bool
grammar_answer_hinted(const struct grammar *cg, const char *text, size_t len,
		      const struct lex_hint *hint, struct gram_answer *a)
{
	struct grammar *g = (struct grammar *)cg;
	struct memo_entry *e;
	struct gram_match m;

	if (!hint || exact_may(g, RULE_FAMILY, text, len) || !(e = hinted(g, hint, len)))
		return false;
	if (!(e->known & MEMO_FAMILY)) {
		/* the first of its shape: matched here once, the answer kept */
		uint64_t gen = g->memo.resets;

		grammar_match_hinted(g, text, len, hint, &m);
		if (g->memo.resets != gen || !(e->known & MEMO_FAMILY))
			return false;
	}
	a->values = e->values;
	a->family = e->family;
	a->attempts = e->attempts;
	a->nvalues = e->nvalues;
	return true;
}

bool
grammar_match_answer(const struct grammar *g, const struct gram_answer *a, const char *text,
		     struct gram_match *m)
{
	size_t j;

	m->attempts = a->attempts;
	memset(m->has, 0, sizeof(m->has));
	memset(m->at, 0, sizeof(m->at));
	if (!match_from_values(g, a->family, a->values, a->nvalues, text, m))
		return false;
	/* what the entry keeps beside the values, made again from them */
	for (j = 0; j < m->nvalues; j++) {
		enum gram_field f = m->values[j].field;

		m->has[f / 64] |= 1ull << (f % 64);
		note_value(m, j, f);
	}
	if (g->nmaps_for[m->family])
		grammar_apply_maps(g, m);
	return true;
}

void
grammar_small_memo(struct grammar *g, unsigned share)
{
	if (!share)
		return;
	g->memo.max_entries = MEMO_ENTRIES / share;
	g->memo.max_bytes = MEMO_MAX_BYTES / share;
}

void
grammar_keep_answers(const struct grammar *cg, bool keep)
{
	struct grammar *g = (struct grammar *)cg; /* the memo is scratch state */

	g->memo.keep_retired = keep;
	if (!keep)
		memo_release(&g->memo, UINT64_MAX);
}

uint64_t
grammar_answers_gen(const struct grammar *g)
{
	return g->memo.resets;
}

void
grammar_release_answers(const struct grammar *cg, uint64_t gen)
{
	struct grammar *g = (struct grammar *)cg; /* the memo is scratch state */

	memo_release(&g->memo, gen);
}

bool
grammar_match(const struct grammar *g, const char *text, size_t len, struct gram_match *m)
{
	return grammar_match_hinted(g, text, len, NULL, m);
}

/* The first rule of a kind whose literals occur and whose pattern matches s. */
static const struct rule *
first_match(const struct grammar *g, enum rule_kind kind, const struct view *v, uint32_t opts)
{
	size_t i;

	scan(g, v->k, v->n);
	for (i = 0; i < g->nby_kind[kind]; i++) {
		const struct rule *r = &g->rules[g->by_kind[kind][i]];

		if (tried(g, r, v) && run(g, &r->pat[PAT_MAIN], text_for(r, v), v->n, 0, opts) > 0)
			return r;
	}
	return NULL;
}

/* The entry kept for v's shape, or NULL if there is none or it does not hold for v. */

bool
grammar_is_ike(const struct grammar *cg, const char *text, size_t len)
{
	struct grammar *g = (struct grammar *)cg;
	struct view v = view_of(g, text, len);
	struct memo_entry *e = entry_for(g, RULE_IKE, &v);
	bool ike;

	if (e && (e->known & MEMO_IKE))
		return e->ike;
	ike = first_match(g, RULE_IKE, &v, 0) != NULL;
	if (e) {
		e->ike = ike;
		e->known |= MEMO_IKE;
	}
	return ike;
}

bool
grammar_may_hold_secret(const struct grammar *g, const char *text, size_t len)
{
	size_t i;

	/* mask rules read the real text: their literals are looked for there */
	for (i = 0; i < g->nby_kind[RULE_MASK]; i++)
		if (literals_in(&g->rules[g->by_kind[RULE_MASK][i]], text, len))
			return true;
	return false;
}

/*
 * The first secret at or after pos that a mask rule hides: its span in
 * *at, *end and whether it is key material. False if none.
 */
static bool
next_secret(const struct grammar *g, const char *text, size_t len, size_t pos, size_t *at,
	    size_t *end, bool *key)
{
	bool found = false;
	size_t i;

	for (i = 0; i < g->nby_kind[RULE_MASK]; i++) {
		const struct rule *r = &g->rules[g->by_kind[RULE_MASK][i]];
		PCRE2_SIZE *ov;

		if (run(g, &r->pat[PAT_MAIN], text, len, pos, 0) <= 0)
			continue;
		ov = pcre2_get_ovector_pointer(g->md);
		if (ov[2 * r->secret_group] == PCRE2_UNSET ||
		    ov[2 * r->secret_group] == ov[2 * r->secret_group + 1])
			continue;
		if (!found || ov[2 * r->secret_group] < *at) {
			*at = ov[2 * r->secret_group];
			*end = ov[2 * r->secret_group + 1];
			*key = r->mask_key;
			found = true;
		}
	}
	return found;
}

bool
grammar_masks_span(const struct grammar *g, const char *text, size_t len, size_t at, size_t n)
{
	size_t pos = 0, best, best_end;
	bool key;

	if (!grammar_may_hold_secret(g, text, len))
		return false;
	while (pos <= len && next_secret(g, text, len, pos, &best, &best_end, &key)) {
		if (at < best_end && best < at + n)
			return true;
		pos = best_end;
	}
	return false;
}

void
grammar_mask(const struct grammar *g, const char *text, size_t len, struct strbuf *out)
{
	grammar_mask_as(g, text, len, false, out);
}

void
grammar_mask_as(const struct grammar *g, const char *text, size_t len, bool zero_keys,
		struct strbuf *out)
{
	size_t pos = 0, best, best_end, k;
	bool key;

	if (!grammar_may_hold_secret(g, text, len)) {
		sb_add(out, text, len);
		return;
	}
	while (pos <= len && next_secret(g, text, len, pos, &best, &best_end, &key)) {
		sb_add(out, text + pos, best - pos);
		if (zero_keys && key) {
			/* key material in a copy to share: zeros, as long, hex stays hex */
			for (k = best; k < best_end; k++)
				sb_addc(out, isxdigit((unsigned char)text[k]) ? '0' : text[k]);
		} else {
			sb_adds(out, "********");
		}
		pos = best_end;
	}
	if (pos < len)
		sb_add(out, text + pos, len - pos);
}

/* ---- lexer rules ---- */

/*
 * The position among the noise rules of the first that reads the shape and
 * matches v (nby_kind if none): what the memo keeps, as it holds for every
 * text of the shape.
 */
static size_t
first_shape_noise(const struct grammar *g, const struct view *v)
{
	size_t i;

	scan(g, v->k, v->n);
	for (i = 0; i < g->nby_kind[RULE_NOISE]; i++) {
		const struct rule *r = &g->rules[g->by_kind[RULE_NOISE][i]];

		if (!r->exact && wanted(r, g->present) &&
		    run(g, &r->pat[PAT_MAIN], v->k, v->n, 0, 0) > 0)
			break;
	}
	return i;
}

/*
 * The first noise rule that matches: the one the memo keeps for the shape,
 * unless a rule before it that reads the real text (one that tells numbers
 * apart) matches this text; those are the only ones run again.
 */
static const char *
ops_noise(void *ctx, const char *s, size_t n)
{
	struct grammar *g = ctx;
	struct view v = view_of(g, s, n);
	struct memo_entry *e = entry_of(g, &v);
	size_t at, i;

	if (e && (e->known & MEMO_NOISE)) {
		at = e->noise_at;
	} else {
		at = first_shape_noise(g, &v);
		if (e) {
			e->noise_at = (uint32_t)at;
			e->known |= MEMO_NOISE;
		}
	}
	if (exact_may(g, RULE_NOISE, s, n))
		for (i = 0; i < at; i++) {
			const struct rule *r = &g->rules[g->by_kind[RULE_NOISE][i]];

			if (r->exact && literals_in(r, s, n) &&
			    run(g, &r->pat[PAT_MAIN], s, n, 0, 0) > 0)
				return r->name;
		}
	return at < g->nby_kind[RULE_NOISE] ? g->rules[g->by_kind[RULE_NOISE][at]].name : NULL;
}

/* A line being cleaned: the real text and its shape, changed alike. */
struct cleaning {
	struct strbuf *line;
	struct strbuf *shape;
	struct strbuf *stamp;
	unsigned flags;
	size_t dropped;                 /* bytes removed from the front so far */
	uint16_t spans[MEMO_STAMPS][2]; /* the timestamp pieces: offset in the line given, length */
	size_t nspans;                  /* may pass MEMO_STAMPS: then the answer is not kept */
	struct memo_check checks[MEMO_CHECKS]; /* the rules that read the real text, asked */
	size_t nchecks;                        /* may pass MEMO_CHECKS: then it is not kept */
};

/* What strip rule r (one that reads the real text) removes from s: the length, or -1. */
static int
exact_strip(const struct grammar *g, const struct rule *r, const char *s, size_t n)
{
	if (!literals_in(r, s, n) || run(g, &r->pat[PAT_MAIN], s, n, 0, PCRE2_ANCHORED) <= 0)
		return -1;
	return (int)pcre2_get_ovector_pointer(g->md)[1];
}

/*
 * The shortest start of s (n bytes) from which pattern p gives its answer
 * (want: it matches, with its match ending at end; or it does not), or 0
 * if there is none shorter than s. Run as a partial match, a pattern that
 * needs to read past the bytes it is given says so instead of answering:
 * an answer given from w bytes is the answer for every text that begins
 * with them. Without PCRE2_ANCHORED, only a pattern that anchors itself
 * can have one (else a match may begin past the window).
 */
static uint16_t
answer_window(const struct grammar *g, const struct pattern *p, const char *s, size_t n,
	      uint32_t opts, bool want, size_t end)
{
	size_t w = want ? end + 1 : 1;

	if (!(opts & PCRE2_ANCHORED) && !p->self_anchored)
		return 0;
	for (; w < n && w <= UINT16_MAX; w = want ? w + 1 : 2 * w) {
		int rc = pcre2_match(p->re, (PCRE2_SPTR)s, w, 0,
				     opts | PCRE2_PARTIAL_HARD | PCRE2_NO_JIT, g->md, NULL);

		if (rc == PCRE2_ERROR_PARTIAL)
			continue;
		if (rc == PCRE2_ERROR_NOMATCH && !want)
			return (uint16_t)w;
		if (rc > 0 && want && pcre2_get_ovector_pointer(g->md)[0] == 0 &&
		    pcre2_get_ovector_pointer(g->md)[1] == end)
			return (uint16_t)w;
		return 0; /* an answer other than the one given: none kept */
	}
	return 0;
}

/* Keeps the first w bytes of s as a window of e (NULL: none). */
static const char *
keep_window(struct grammar *g, const char *s, uint16_t w)
{
	char *k;

	if (!w)
		return NULL;
	k = memo_alloc(&g->memo, w);
	memcpy(k, s, w);
	return k;
}

/* True if the strip rules that read the real text answer line as they did for e's. */
static bool
checks_hold_in(struct grammar *g, struct memo_entry *e, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < e->nchecks; i++) {
		const struct memo_check *k = &e->checks[i];
		const struct rule *r = &g->rules[k->rule];
		uint16_t w = e->check_win_len[i];

		if (k->at > n)
			return false;
		if (w && n - k->at >= w && !memcmp(s + k->at, e->check_win[i], w))
			continue;
		if (exact_strip(g, r, s + k->at, n - k->at) != k->len)
			return false;
		if (!w && shapes_on() &&
		    (w = answer_window(g, &r->pat[PAT_MAIN], s + k->at, n - k->at, PCRE2_ANCHORED,
				       k->len >= 0, k->len >= 0 ? (size_t)k->len : 0))) {
			const uint64_t gen = g->memo.resets;
			const char *kept = keep_window(g, s + k->at, w);

			if (g->memo.resets == gen) {
				e->check_win[i] = kept;
				e->check_win_len[i] = w;
			}
		}
	}
	return true;
}

static bool
checks_hold(struct grammar *g, struct memo_entry *e, const struct strbuf *line)
{
	return checks_hold_in(g, e, line->buf, line->len);
}

/* True if a noise rule before position at that reads the real text matches s. */
static bool
exact_noise_before(const struct grammar *g, size_t at, const char *s, size_t n)
{
	size_t i;

	if (!exact_may(g, RULE_NOISE, s, n))
		return false;
	for (i = 0; i < at && i < g->nby_kind[RULE_NOISE]; i++) {
		const struct rule *r = &g->rules[g->by_kind[RULE_NOISE][i]];

		if (r->exact && literals_in(r, s, n) && run(g, &r->pat[PAT_MAIN], s, n, 0, 0) > 0)
			return true;
	}
	return false;
}

/*
 * exact_noise_before() for a text of entry e (whose noise_at is known), with
 * e's window: the first time no such rule matches, the bytes that tell it
 * are kept, and a text that begins with them is answered without a pattern.
 */
static bool
exact_noise_in(struct grammar *g, struct memo_entry *e, const char *s, size_t n)
{
	uint16_t most = 0;
	size_t i;

	if (e->noise_win_len && n >= e->noise_win_len && !memcmp(s, e->noise_win, e->noise_win_len))
		return false;
	if (exact_noise_before(g, e->noise_at, s, n))
		return true;
	if (e->noise_win_len || !shapes_on())
		return false; /* a window is kept already (another line's), or none is wanted */
	for (i = 0; i < e->noise_at && i < g->nby_kind[RULE_NOISE]; i++) {
		const struct rule *r = &g->rules[g->by_kind[RULE_NOISE][i]];
		uint16_t w;

		if (!r->exact)
			continue;
		if (!(w = answer_window(g, &r->pat[PAT_MAIN], s, n, 0, false, 0)))
			return false;
		most = w > most ? w : most;
	}
	if (most) {
		const uint64_t gen = g->memo.resets;
		const char *kept = keep_window(g, s, most);

		if (g->memo.resets == gen) {
			e->noise_win = kept;
			e->noise_win_len = most;
		}
	}
	return false;
}

static void
drop_front(struct strbuf *b, size_t n)
{
	memmove(b->buf, b->buf + n, b->len - n + 1);
	b->len -= n;
}

/* Removes one prefix; a timestamp removed is appended to stamp (one space between two). */
static bool
strip_once(struct grammar *g, struct cleaning *c)
{
	struct view v = { c->line->buf, c->shape->buf, c->line->len, false, 0 };
	size_t i;

	for (i = 0; i < g->nby_kind[RULE_STRIP]; i++) {
		const struct rule *r = &g->rules[g->by_kind[RULE_STRIP][i]];
		PCRE2_SIZE *ov;

		if (r->exact) {
			/* its answer is noted: the memo holds for a line that gets the same */
			int len = exact_strip(g, r, v.s, v.n);

			if (c->nchecks < MEMO_CHECKS && c->dropped <= UINT16_MAX &&
			    len < INT16_MAX) {
				c->checks[c->nchecks].rule = (uint32_t)g->by_kind[RULE_STRIP][i];
				c->checks[c->nchecks].at = (uint16_t)c->dropped;
				c->checks[c->nchecks].len = (int16_t)len;
			}
			c->nchecks++;
			if (len <= 0)
				continue; /* (a match leaves its offsets in g->md) */
		} else if (!wanted(r, g->present) ||
			   run(g, &r->pat[PAT_MAIN], v.k, v.n, 0, PCRE2_ANCHORED) <= 0) {
			/* removing a prefix only removes literals: the scan stays an upper bound */
			continue;
		}
		ov = pcre2_get_ovector_pointer(g->md);
		if (ov[1] == 0)
			continue;
		if ((r->what & LEX_CLEAN_STAMP) && c->stamp) {
			size_t n = ov[1];

			while (n && (v.s[n - 1] == ' ' || v.s[n - 1] == '\t'))
				n--;
			if (c->stamp->len)
				sb_addc(c->stamp, ' ');
			sb_add(c->stamp, v.s, n);
			if (c->nspans < MEMO_STAMPS && c->dropped + n <= UINT16_MAX) {
				c->spans[c->nspans][0] = (uint16_t)c->dropped;
				c->spans[c->nspans][1] = (uint16_t)n;
				c->nspans++;
			} else {
				c->nspans = MEMO_STAMPS + 1; /* too many to keep */
			}
		}
		drop_front(c->line, ov[1]);
		drop_front(c->shape, ov[1]);
		c->dropped += ov[1];
		c->flags |= r->what ? r->what : LEX_CLEAN_MARKUP;
		return true;
	}
	return false;
}

static void
strip_all(struct grammar *g, struct cleaning *c)
{
	int guard = 16;

	while (guard-- > 0 && c->line->len && strip_once(g, c))
		;
}

/* Applies a repair whose pattern matches (the shape, or the real text for an exact rule). */
static bool
repair(struct grammar *g, const struct rule *r, struct cleaning *c)
{
	struct strbuf *line = c->line;
	struct view v = { line->buf, c->shape->buf, line->len, false, 0 };
	PCRE2_SIZE outlen;
	int rc;

	if (run(g, &r->pat[PAT_MAIN], text_for(r, &v), v.n, 0, 0) <= 0)
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
	/* the real text changed: its shape is made again */
	sb_reset(c->shape);
	sb_add(c->shape, line->buf, line->len);
	shape_zero(c->shape->buf, c->shape->len);
	return true;
}

/* Pieces of the text now in line take their shapes from shape. */
static void
map_line(struct grammar *g, const struct strbuf *line, const struct strbuf *shape)
{
	g->map_ptr = line->buf;
	g->map_len = line->len;
	g->map_shape = shape->buf;
}

/* Pieces of the line begun take their shapes from it again. */
static void
map_raw(struct grammar *g)
{
	g->line_ptr = NULL;
	g->map_ptr = g->raw_ptr;
	g->map_len = g->raw_len;
	g->map_shape = g->raw_shape.buf;
	g->map_base = 0;
	g->map_exact = g->raw_exact;
	g->pieces_ok = g->raw_len <= MEMO_MAX_TEXT;
}

static void
ops_line(void *ctx, const char *s, size_t n)
{
	struct grammar *g = ctx;

	if (g->planned && s == g->raw_ptr && n == g->raw_len) {
		/* plan() began this line and shaped it */
		g->planned = false;
		map_raw(g);
		return;
	}
	g->planned = false;
	g->raw_ptr = s;
	g->raw_len = n;
	/* lines in a row share their start (a timestamp, a header): its shape is the last one's */
	{
		struct strbuf t = g->prev_shape;

		g->prev_shape = g->raw_shape;
		g->raw_shape = t;
	}
	sb_reset(&g->raw_shape);
	sb_grow(&g->raw_shape, n + 1);
	shape_after(g->raw_shape.buf, s, n, g->prev_raw.buf, g->prev_shape.buf, g->prev_raw.len);
	g->raw_shape.len = n;
	g->raw_shape.buf[n] = '\0';
	sb_reset(&g->prev_raw);
	sb_add(&g->prev_raw, s, n);
	g->line_entry = NULL;
	g->raw_exact = false;
	if (g->nexact) {
		struct memo_entry *e = NULL;

		/* the literals of exact rules: their shapes are looked for once per shape */
		if (g->exact_shapes_ok && n <= MEMO_MAX_TEXT && (e = line_entry(g)) &&
		    !e->exact_shape) {
			size_t i;

			e->exact_shape = 1;
			for (i = 0; i < g->nexact_shapes && e->exact_shape == 1; i++)
				if (find(g->raw_shape.buf, n, g->exact_shapes[i].buf,
					 g->exact_shapes[i].len))
					e->exact_shape = 2;
		}
		g->raw_exact = (!e || e->exact_shape == 2) && exact_in(g, s, n);
	}
	map_raw(g);
}

static unsigned
ops_clean(void *ctx, struct strbuf *line, struct strbuf *stamp)
{
	struct grammar *g = ctx;
	struct cleaning c = { .line = line, .shape = &g->clean_shape, .stamp = stamp };
	struct memo_entry *e;
	size_t i;

	g->line_ptr = NULL;
	g->map_ptr = NULL;
	sb_reset(stamp);
	if (!line->len)
		return 0;
	/* the lexer hands over a copy of the line it began with */
	sb_reset(c.shape);
	sb_add(c.shape, line->buf, line->len);
	if (g->raw_ptr && g->raw_len == line->len && !memcmp(g->raw_ptr, line->buf, line->len)) {
		memcpy(c.shape->buf, g->raw_shape.buf, line->len);
	} else {
		/* not the line begun: no pieces of it */
		shape_zero(c.shape->buf, line->len);
		g->map_exact = exact_in(g, line->buf, line->len);
		g->pieces_ok = false;
	}
	map_line(g, line, c.shape); /* for exact_may() only: the text moves below */
	/* strip rules that read the real text are asked again (checks_hold); repairs are not */
	if (exact_may(g, RULE_REPAIR, line->buf, line->len))
		e = NULL;
	else if (g->pieces_ok)
		e = line_entry(g);
	else
		e = memo_get(&g->memo, c.shape->buf, line->len);
	g->map_ptr = NULL;
	if (e && (e->known & MEMO_CLEAN) && checks_hold(g, e, line)) {
		for (i = 0; i < e->nstamps; i++) {
			if (stamp->len)
				sb_addc(stamp, ' ');
			sb_add(stamp, line->buf + e->stamp_at[i][0], e->stamp_at[i][1]);
		}
		if (e->clean_drop) {
			drop_front(line, e->clean_drop);
			drop_front(c.shape, e->clean_drop);
		}
		map_line(g, line, c.shape);
		g->map_base = e->clean_drop;
		return e->clean_flags;
	}
	scan(g, c.shape->buf, line->len);
	strip_all(g, &c);
	for (i = 0; i < g->nby_kind[RULE_REPAIR]; i++) {
		const struct rule *r = &g->rules[g->by_kind[RULE_REPAIR][i]];
		struct view v = { line->buf, c.shape->buf, line->len, false, 0 };

		if (tried(g, r, &v) && repair(g, r, &c)) {
			c.flags |= LEX_CLEAN_REPAIR;
			scan(g, c.shape->buf, c.shape->len);
		}
	}
	/* a repair can uncover a prefix (one that markup hid, "**PREFIX:") */
	if (c.flags & LEX_CLEAN_REPAIR)
		strip_all(g, &c);
	/* a repair can add literals; stripping a prefix only removes them */
	if (c.flags & LEX_CLEAN_REPAIR)
		keep_line_scan(g, c.shape->buf, c.shape->len);
	else
		keep_scan(g, c.shape->buf, c.shape->len); /* the first scan still holds */
	/* the records cut from this line are usually copies of it */
	cache_put(g, c.shape->buf, c.shape->len, g->line_present);
	map_line(g, line, c.shape);
	g->map_base = c.dropped;
	/* a repair rewrote the line: its pieces are no longer pieces of the line begun,
	 * and it may have written a literal in */
	if (c.flags & LEX_CLEAN_REPAIR) {
		g->pieces_ok = false;
		g->map_exact = exact_in(g, line->buf, line->len);
	}
	/* a repaired line is not kept: the repair rewrote the real text */
	if (e && !(c.flags & LEX_CLEAN_REPAIR) && c.nspans <= MEMO_STAMPS &&
	    c.nchecks <= MEMO_CHECKS && c.dropped <= UINT32_MAX) {
		bool same_cut = (e->known & MEMO_CLEAN) && e->clean_flags == c.flags &&
				e->clean_drop == c.dropped && e->nchecks == c.nchecks &&
				!memcmp(e->checks, c.checks, c.nchecks * sizeof(*c.checks));

		/* a plan was made from the cleaning this one replaces: it goes too */
		if ((e->known & MEMO_CLEAN) && !same_cut)
			e->known &= ~(unsigned)MEMO_PLAN;
		if (!same_cut || e->nstamps != c.nspans ||
		    memcmp(e->stamp_at, c.spans, sizeof(c.spans))) {
			e->clean_flags = c.flags;
			e->clean_drop = (uint32_t)c.dropped;
			memcpy(e->stamp_at, c.spans, sizeof(c.spans));
			e->nstamps = (uint32_t)c.nspans;
			memcpy(e->checks, c.checks, sizeof(c.checks));
			e->nchecks = (uint32_t)c.nchecks;
			if (!same_cut)
				memset(e->check_win_len, 0, sizeof(e->check_win_len));
			e->known |= MEMO_CLEAN;
			e->serial++;
		}
	}
	return c.flags;
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
	struct view v = view_of(g, s, n);
	struct memo_entry *e = entry_for(g, RULE_SPLIT, &v);
	size_t i, j, k;

	/* the cuts are handed out in g->cuts: a memo entry may go while they are used */
	g->ncuts = 0;
	if (e && (e->known & MEMO_SPLIT)) {
		for (i = 0; i < e->ncuts; i++)
			add_cut(g, e->cuts[i].at, e->cuts[i].resume);
		*ncuts = g->ncuts;
		return g->cuts;
	}
	scan(g, v.k, n);
	for (i = 0; i < g->nby_kind[RULE_SPLIT]; i++) {
		const struct rule *r = &g->rules[g->by_kind[RULE_SPLIT][i]];
		size_t at = 0;

		if (!tried(g, r, &v))
			continue;
		while (at < n && run(g, &r->pat[PAT_MAIN], text_for(r, &v), n, at, 0) > 0) {
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
	if (e) {
		struct lex_cut *c = k ? memo_alloc(&g->memo, k * sizeof(*c)) : NULL;

		if (k)
			memcpy(c, g->cuts, k * sizeof(*c));
		e->cuts = c;
		e->ncuts = (uint32_t)k;
		e->known |= MEMO_SPLIT;
	}
	return g->cuts;
}

static bool
ops_starts(void *ctx, const char *s, size_t n)
{
	struct grammar *g = ctx;
	struct view v = view_of(g, s, n);
	struct memo_entry *e = entry_for(g, RULE_SPLIT, &v);
	bool starts;

	if (e && (e->known & MEMO_STARTS))
		return e->starts;
	starts = first_match(g, RULE_SPLIT, &v, PCRE2_ANCHORED) != NULL;
	if (e) {
		e->starts = starts;
		e->known |= MEMO_STARTS;
	}
	return starts;
}

/* What is known about a text as the head of a join (see struct memo_entry). */
struct join_view {
	uint64_t wanted, known, match;
};

/* True if r has no tail literal or one of them is in the tail (its shape, or the real one). */
static bool
tail_wanted(const struct grammar *g, const struct rule *r, const struct view *tail)
{
	size_t i;

	if (!r->ntail_literals)
		return true;
	if (!r->exact) {
		scan(g, tail->k, tail->n);
		return any_present(r->tail_lit_ids, r->ntail_literals, g->present);
	}
	for (i = 0; i < r->ntail_literals; i++)
		if (find(tail->s, tail->n, r->tail_literals[i], r->tail_literal_lens[i]))
			return true;
	return false;
}

static bool
ops_joins(void *ctx, const char *head, size_t hn, const struct lex_hint *hint, const char *tail,
	  size_t tn, size_t *drop)
{
	struct grammar *g = ctx;
	const size_t nj = g->nby_kind[RULE_JOIN];
	struct join_view h = { 0, 0, 0 };
	struct view hv = { head, head, hn, false, 0 }, tv;
	/* a join that reads the real text names its literal in the head */
	const bool keep = !exact_may(g, RULE_JOIN, head, hn);
	struct memo_entry *e = keep ? hinted(g, hint, hn) : NULL;
	bool learned = false, found = false, shaped = false;
	size_t i;

	*drop = 0;
	if (!e) {
		hv = view_of(g, head, hn);
		shaped = true;
		e = keep ? entry_of(g, &hv) : NULL;
	}
	if (e && (e->known & MEMO_JOIN_WANTED)) {
		h.wanted = e->join_wanted;
		h.known = e->join_head_known;
		h.match = e->join_head;
	} else {
		if (!shaped) {
			hv = view_of(g, head, hn);
			shaped = true;
		}
		/* a join's literals are in the head */
		scan(g, hv.k, hn);
		for (i = 0; i < nj; i++)
			if (tried(g, &g->rules[g->by_kind[RULE_JOIN][i]], &hv))
				h.wanted |= 1ull << i;
		learned = true;
	}
	if (!h.wanted)
		goto out;
	tv = view_of(g, tail, tn);
	e = keep ? entry_of(g, &tv) : NULL;
	for (i = 0; i < nj && !found; i++) {
		const struct rule *r = &g->rules[g->by_kind[RULE_JOIN][i]];
		const uint64_t bit = 1ull << i;
		bool tail_ok;

		if (!(h.wanted & bit))
			continue;
		if (e && (e->join_tail_known & bit)) {
			tail_ok = e->join_tail & bit;
		} else {
			tail_ok = tail_wanted(g, r, &tv) &&
				  run(g, &r->pat[PAT_SECOND], text_for(r, &tv), tn, 0, 0) > 0;
			if (e) {
				e->join_tail_known |= bit;
				e->join_tail |= tail_ok ? bit : 0;
			}
		}
		if (!tail_ok)
			continue;
		if (!(h.known & bit)) {
			if (!shaped) {
				hv = view_of(g, head, hn);
				shaped = true;
			}
			h.known |= bit;
			if (run(g, &r->pat[PAT_MAIN], text_for(r, &hv), hn, 0, 0) > 0)
				h.match |= bit;
			learned = true;
		}
		if (!(h.match & bit))
			continue;
		if (r->pat[PAT_THIRD].re &&
		    run(g, &r->pat[PAT_THIRD], text_for(r, &tv), tn, 0, PCRE2_ANCHORED) > 0)
			*drop = pcre2_get_ovector_pointer(g->md)[1];
		found = true;
	}
out:
	if (learned && keep) {
		e = hinted(g, hint, hn);
		if (!e && !shaped)
			hv = view_of(g, head, hn);
		if (!e)
			e = entry_of(g, &hv);
		if (e) {
			e->join_wanted = h.wanted;
			e->join_head_known = h.known;
			e->join_head = h.match;
			e->known |= MEMO_JOIN_WANTED;
		}
	}
	return found;
}

static void
ops_hint(void *ctx, const char *s, size_t n, struct lex_hint *h)
{
	struct grammar *g = ctx;
	struct view v = view_of(g, s, n);
	struct memo_entry *line;

	h->p = NULL;
	h->gen = 0;
	if (v.in_line && n <= MEMO_MAX_TEXT && (line = line_entry(g))) {
		h->p = memo_piece(&g->memo, line, v.at, (uint32_t)n);
		h->gen = g->memo.resets;
	}
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
	struct grammar *g = ctx;
	struct view v = view_of(g, s, n);
	struct memo_entry *e = entry_for(g, RULE_BLOCK, &v);
	int b = -1;
	size_t i;

	if (e && (e->known & MEMO_BLOCK))
		return e->block;
	scan(g, v.k, n);
	for (i = 0; i < g->nby_kind[RULE_BLOCK] && b < 0; i++) {
		const struct rule *r = block_rule(g, (int)i);

		if (tried(g, r, &v) && run(g, &r->pat[PAT_MAIN], text_for(r, &v), n, 0, 0) > 0)
			b = (int)i;
	}
	if (e) {
		e->block = b;
		e->known |= MEMO_BLOCK;
	}
	return b;
}

enum block_question { BLOCK_END, BLOCK_MEMBER, BLOCK_RESTART };

/* Whether line s ends, belongs to or restarts block b (its second, third or fourth pattern). */
static bool
block_answer(struct grammar *g, int b, enum block_question q, const char *s, size_t n)
{
	static const int pat[] = {
		[BLOCK_END] = PAT_SECOND, [BLOCK_MEMBER] = PAT_THIRD, [BLOCK_RESTART] = PAT_FOURTH
	};
	const struct rule *r = block_rule(g, b);
	const struct pattern *p = &r->pat[pat[q]];
	struct memo_entry *e;
	struct view v;
	uint32_t bit;
	bool yes;

	if (!p->re)
		return q == BLOCK_MEMBER; /* a block without a member pattern takes any line */
	v = view_of(g, s, n);
	if (b >= 32 || r->exact)
		return run(g, p, text_for(r, &v), n, 0, 0) > 0;
	bit = 1u << b;
	e = entry_of(g, &v);
	if (e && (e->block_known[q] & bit))
		return e->block_yes[q] & bit;
	yes = run(g, p, v.k, n, 0, 0) > 0;
	if (e) {
		e->block_known[q] |= bit;
		e->block_yes[q] |= yes ? bit : 0;
	}
	return yes;
}

static bool
ops_block_end(void *ctx, int b, const char *s, size_t n)
{
	return block_answer(ctx, b, BLOCK_END, s, n);
}

static bool
ops_block_member(void *ctx, int b, const char *s, size_t n)
{
	return block_answer(ctx, b, BLOCK_MEMBER, s, n);
}

static bool
ops_block_restart(void *ctx, int b, const char *s, size_t n)
{
	return block_answer(ctx, b, BLOCK_RESTART, s, n);
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

/* ---- whole lines at once ---- */

static bool
blank_text(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

/*
 * Works out what the line begun (s, n bytes; its entry e) is as a whole, by
 * asking the questions the lexer asks step by step: noise as printed; else
 * cleaned, not blank, opening no block, not split, its trimmed text not
 * noise: one record. The joins whose tail pattern takes that record are
 * noted, so that whether it continues a record needs no pattern later.
 */
static void
plan_make(struct grammar *g, const char *s, size_t n)
{
	struct strbuf *w = &g->plan_text;
	const uint64_t gen = g->memo.resets;
	struct memo_entry *e, *piece = NULL;
	enum memo_plan plan = PLAN_STEPS;
	uint64_t tails = 0;
	const char *t;
	unsigned flags;
	size_t i, tn, ncuts;

	if (ops_noise(g, s, n)) {
		plan = PLAN_NOISE;
		goto keep;
	}
	sb_reset(w);
	sb_add(w, s, n);
	flags = ops_clean(g, w, &g->plan_stamp);
	if ((flags & LEX_CLEAN_REPAIR) || !g->pieces_ok || blank_text(w->buf, w->len) ||
	    ops_block_start(g, w->buf, w->len) >= 0)
		goto keep;
	ops_split(g, w->buf, w->len, &ncuts);
	if (ncuts)
		goto keep;
	t = w->buf;
	tn = w->len;
	while (tn && (t[0] == ' ' || t[0] == '\t'))
		t++, tn--;
	while (tn && (t[tn - 1] == ' ' || t[tn - 1] == '\t'))
		tn--;
	if (!tn || tn > MEMO_MAX_TEXT || ops_noise(g, t, tn))
		goto keep;
	{
		struct view tv = view_of(g, t, tn);

		if (!tv.in_line)
			goto keep;
		piece = entry_of(g, &tv);
		for (i = 0; i < g->nby_kind[RULE_JOIN]; i++) {
			const struct rule *r = &g->rules[g->by_kind[RULE_JOIN][i]];
			const uint64_t bit = 1ull << i;
			bool ok;

			if (piece && (piece->join_tail_known & bit)) {
				ok = piece->join_tail & bit;
			} else {
				ok = tail_wanted(g, r, &tv) &&
				     run(g, &r->pat[PAT_SECOND], text_for(r, &tv), tn, 0, 0) > 0;
				if (piece) {
					piece->join_tail_known |= bit;
					piece->join_tail |= ok ? bit : 0;
				}
			}
			tails |= ok ? bit : 0;
		}
		if (!piece || g->memo.resets != gen)
			goto keep;
		plan = PLAN_RECORD;
	}
keep:
	map_raw(g);
	if (g->memo.resets != gen || !(e = line_entry(g)))
		return; /* the memo was emptied meanwhile: no plan kept */
	e->plan = (uint8_t)plan;
	e->plan_exact = g->raw_exact;
	e->plan_tails = tails;
	e->plan_piece = plan == PLAN_RECORD ? piece : NULL;
	e->known |= MEMO_PLAN;
	e->serial++;
}

/* The line entry e as a plan for the line, given the record before; false: step by step. */
static bool
plan_decide(const struct grammar *g, const struct memo_entry *e, const char *head, size_t hn,
	    const struct lex_hint *head_hint, struct lex_plan *out)
{
	const struct memo_entry *he;
	size_t i;

	if (!(e->known & MEMO_PLAN))
		return false;
	switch (e->plan) {
	case PLAN_NOISE:
		out->kind = LEX_PLAN_NOISE;
		out->noise = g->rules[g->by_kind[RULE_NOISE][e->noise_at]].name;
		return true;
	case PLAN_RECORD:
		break;
	default:
		return false;
	}
	if (!(e->known & MEMO_CLEAN))
		return false;
	/* continues the record before? only if a join that takes this tail takes that head */
	if (head && e->plan_tails) {
		uint64_t need;

		he = hinted(g, head_hint, hn);
		if (!he || !(he->known & MEMO_JOIN_WANTED))
			return false;
		need = he->join_wanted & e->plan_tails;
		if ((need & ~he->join_head_known) || (need & he->join_head))
			return false;
	}
	out->kind = LEX_PLAN_RECORD;
	out->at = e->plan_piece->at;
	out->len = e->plan_piece->len;
	out->clean = e->clean_flags;
	out->nstamps = e->nstamps < LEX_PLAN_STAMPS ? e->nstamps : LEX_PLAN_STAMPS;
	for (i = 0; i < out->nstamps; i++) {
		out->stamp_at[i][0] = e->stamp_at[i][0];
		out->stamp_at[i][1] = e->stamp_at[i][1];
	}
	out->hint.p = e->plan_piece;
	out->hint.gen = g->memo.resets;
	return true;
}

/*
 * A plan made for a line of e's shape holds for line s if the noise and
 * strip rules that read the real text answer s alike: no noise rule of
 * them before the one the shape matches (on the line, and on the record
 * the plan cuts from it), and the same prefixes stripped.
 */
static bool
plan_holds(struct grammar *g, struct memo_entry *e, const char *s, size_t n)
{
	struct memo_entry *p = e->plan_piece;

	if (!(e->known & MEMO_NOISE) || exact_noise_in(g, e, s, n))
		return false;
	/* noise by a rule of the shape (one that reads the real text may not match this line) */
	if (e->plan != PLAN_RECORD)
		return e->plan == PLAN_NOISE && e->noise_at < g->nby_kind[RULE_NOISE];
	if (!(e->known & MEMO_CLEAN) || !checks_hold_in(g, e, s, n))
		return false;
	return p && (p->known & MEMO_NOISE) && p->at + p->len <= n &&
	       !exact_noise_in(g, p, s + p->at, p->len);
}

/* The line just begun (ops_line) as a plan. */
static bool
plan_line(struct grammar *g, const char *s, size_t n, const char *head, size_t hn,
	  const struct lex_hint *head_hint, struct lex_plan *out)
{
	struct memo_entry *e;

	g->plan_held = false;
	/* rules that read the real text are asked step by step, but for noise and strip rules */
	if ((g->raw_exact && !g->exact_plans) || !g->pieces_ok || g->nexact_by_kind[RULE_JOIN] ||
	    blank_text(s, n))
		return false;
	if (!(e = line_entry(g)))
		return false;
	if (!(e->known & MEMO_PLAN)) {
		plan_make(g, s, n);
		if (!(e = line_entry(g)) || !(e->known & MEMO_PLAN))
			return false;
	}
	/* the plan holds for this line if those rules answer it as they did the line it was made for */
	if ((g->raw_exact || e->plan_exact) && !plan_holds(g, e, s, n))
		return false;
	g->plan_held = true;
	return plan_decide(g, e, head, hn, head_hint, out);
}

/*
 * Many lines repeat an earlier one byte for byte: those without numbers of
 * their own, and, in a log with a timestamp on every line, the lines of one
 * second that say the same. A small table by the bytes of the line gives
 * the entry of its shape without shaping it, looking the shape up or asking
 * the rules that read the real text again: the same bytes get the same
 * answers. It holds lines whose plan was found to hold for them, while the
 * entry's cleaning and plan stay those it held for (the entry's serial).
 */
static bool
ops_plan(void *ctx, const char *s, size_t n, const char *head, size_t hn,
	 const struct lex_hint *head_hint, struct lex_plan *out)
{
	struct grammar *g = ctx;
	struct seen_line *x = NULL;
	uint64_t hash = 0;
	bool ok;

	if (n <= SEEN_LINE_MAX && shapes_on()) {
		hash = memo_hash(s, n);
		x = &g->seen[hash & (SEEN_LINES - 1)];
		if (x->line && x->gen == g->memo.resets && x->hash == hash && x->len == n &&
		    x->serial == x->line->serial && !memcmp(x->text, s, n) &&
		    plan_decide(g, x->line, head, hn, head_hint, out)) {
			x->line->hot = true; /* kept when the memo is full */
			/* nothing more is asked about this line */
			g->raw_ptr = NULL;
			g->map_ptr = NULL;
			g->line_ptr = NULL;
			return true;
		}
	}
	ops_line(ctx, s, n);
	ok = plan_line(g, s, n, head, hn, head_hint, out);
	if (x && g->plan_held && g->pieces_ok && g->line_entry && g->line_gen == g->memo.resets &&
	    (g->line_entry->known & MEMO_PLAN)) {
		x->line = g->line_entry;
		x->gen = g->memo.resets;
		x->serial = g->line_entry->serial;
		x->hash = hash;
		x->len = (uint32_t)n;
		memcpy(x->text, s, n);
	}
	if (ok)
		return true;
	/* lexed step by step: line() comes next for this same line */
	g->planned = true;
	return false;
}

static const struct lex_rules_ops grammar_ops = {
	.line = ops_line,
	.noise = ops_noise,
	.clean = ops_clean,
	.split = ops_split,
	.starts = ops_starts,
	.is_record = ops_is_record,
	.joins = ops_joins,
	.hint = ops_hint,
	.plan = ops_plan,
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

/* ---- dialects ---- */

void
grammar_restrict_dialect(struct grammar *g, enum gram_dialect d)
{
	size_t i, k;

	g->only_dialect = d;
	for (i = 0; i < g->nby_kind[RULE_FAMILY]; i++) {
		const struct rule *r = &g->rules[g->by_kind[RULE_FAMILY][i]];
		uint64_t bit = 1ull << (i % 64);

		if (!r->dialects || (r->dialects & (1u << d)))
			continue;
		g->fam_always[i / 64] &= ~bit;
		for (k = 0; k < (g->pf.nlits ? g->pf.nlits : 1); k++)
			g->fam_by_lit[k * g->fwords + i / 64] &= ~bit;
	}
}

enum gram_dialect
grammar_only_dialect(const struct grammar *g)
{
	return g->only_dialect;
}

enum gram_dialect
grammar_detect_dialect(const struct grammar *g, const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < g->nby_kind[RULE_DIALECT]; i++) {
		const struct rule *r = &g->rules[g->by_kind[RULE_DIALECT][i]];

		/* a stanza with a detect pattern names one dialect (checked at load) */
		if (r->pat[PAT_MAIN].re && run(g, &r->pat[PAT_MAIN], text, len, 0, 0) > 0)
			return (enum gram_dialect)__builtin_ctz(r->dialects);
	}
	return GRAM_DIALECT_COUNT;
}

size_t
grammar_dialect_rules(const struct grammar *g, enum gram_dialect d)
{
	size_t i, n = 0;

	for (i = 0; i < g->nby_kind[RULE_FAMILY]; i++)
		if (g->rules[g->by_kind[RULE_FAMILY][i]].dialects & (1u << d))
			n++;
	return n;
}

size_t
grammar_dialect_files(const struct grammar *g, enum gram_dialect d, struct strbuf *out)
{
	size_t i, n = 0;

	for (i = 0; i < g->nby_kind[RULE_DIALECT]; i++) {
		const struct rule *r = &g->rules[g->by_kind[RULE_DIALECT][i]];
		const char *base;

		if (!(r->dialects & (1u << d)))
			continue;
		base = strrchr(r->file, '/');
		sb_addf(out, "%s%s", n++ ? " " : "", base ? base + 1 : r->file);
	}
	return n;
}
