/* Loading grammar files: parsing, validation, compilation. */
#include "grammar-private.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ikescope/lexer.h"
#include "ikescope/util/xalloc.h"

static const char *const kind_names[RULE_KIND_COUNT] = {
	[RULE_NOISE] = "noise",   [RULE_STRIP] = "strip", [RULE_REPAIR] = "repair",
	[RULE_SPLIT] = "split",   [RULE_JOIN] = "join",   [RULE_BLOCK] = "block",
	[RULE_FAMILY] = "family", [RULE_MASK] = "mask",   [RULE_IKE] = "ike",
	[RULE_DEFINE] = "define", [RULE_MAP] = "map",     [RULE_DIALECT] = "dialect",
};

/* Which pattern keys each kind takes, and which are required. */
struct kind_keys {
	const char *pat[PAT_COUNT];
	bool required[PAT_COUNT];
};

static const struct kind_keys kind_keys[RULE_KIND_COUNT] = {
	[RULE_NOISE] = { { "regex" }, { true } },
	[RULE_STRIP] = { { "regex" }, { true } },
	[RULE_REPAIR] = { { "regex" }, { true } },
	[RULE_SPLIT] = { { "regex" }, { true } },
	[RULE_JOIN] = { { "head", "tail", "drop" }, { true, true, false } },
	[RULE_BLOCK] = { { "start", "end", "member", "restart" }, { true, true, false, false } },
	[RULE_FAMILY] = { { "regex" }, { true } },
	[RULE_MASK] = { { "regex" }, { true } },
	[RULE_IKE] = { { "regex" }, { true } },
	[RULE_DEFINE] = { { "regex" }, { true } },
	[RULE_MAP] = { { NULL }, { false } },
	[RULE_DIALECT] = { { "detect" }, { false } },
};

/* A pattern being assembled from one or more "key = value" lines. */
struct piece {
	uint32_t line;
	uint32_t col;
	size_t start; /* offset in the assembled pattern */
};

struct pending_pat {
	struct strbuf text;
	struct piece *pieces;
	size_t npieces;
};

struct loader {
	struct grammar *g;
	struct strbuf *diags;
	size_t nerrors;
	const char *file;
	/* current stanza */
	bool in_stanza;
	bool stanza_bad;
	struct rule cur;
	struct pending_pat pp[PAT_COUNT];
	bool has_replace;
	/* the file being read: the dialects it declares, whether it has had a
	 * stanza other than its dialect one */
	unsigned file_dialects;
	bool file_declared, file_has_rule;
};

static void IKESCOPE_PRINTF_LIKE(5, 6)
	diag(struct loader *ld, const char *file, uint32_t line, uint32_t col, const char *fmt, ...)
{
	va_list ap;

	ld->nerrors++;
	if (!ld->diags)
		return;
	if (col)
		sb_addf(ld->diags, "%s:%u:%u: ", file, line, col);
	else
		sb_addf(ld->diags, "%s:%u: ", file, line);
	va_start(ap, fmt);
	sb_vaddf(ld->diags, fmt, ap);
	va_end(ap);
	sb_addc(ld->diags, '\n');
}

static void
rule_free(struct rule *r)
{
	size_t i;

	for (i = 0; i < PAT_COUNT; i++) {
		pcre2_code_free(r->pat[i].re);
		pcre2_code_free(r->pat[i].anchored);
		free(r->pat[i].src);
	}
	for (i = 0; i < r->nliterals; i++)
		free(r->literals[i]);
	free(r->literals);
	free(r->literal_lens);
	free(r->lit_ids);
	for (i = 0; i < r->ntail_literals; i++)
		free(r->tail_literals[i]);
	free(r->tail_literals);
	free(r->tail_literal_lens);
	free(r->tail_lit_ids);
	for (i = 0; i < r->nsets; i++)
		free(r->sets[i].value);
	free(r->sets);
	free(r->groups);
	for (i = 0; i < r->nwords; i++) {
		free(r->words[i].word);
		free(r->words[i].to);
	}
	free(r->words);
	free(r->word_slots);
	free(r->map_kind);
	free(r->name);
	free(r->file);
	free(r->replace);
	memset(r, 0, sizeof(*r));
}

void
grammar_destroy(struct grammar *g)
{
	size_t i;

	if (!g)
		return;
	for (i = 0; i < g->nrules; i++)
		rule_free(&g->rules[i]);
	free(g->rules);
	for (i = 0; i < RULE_KIND_COUNT; i++) {
		free(g->by_kind[i]);
		free(g->exact_by_kind[i]);
	}
	for (i = 0; i < GRAM_FAMILY_COUNT; i++)
		free((void *)g->maps_for[i]);
	free(g->exact);
	for (i = 0; i < g->nexact_shapes; i++)
		sb_finish(&g->exact_shapes[i]);
	free(g->exact_shapes);
	sb_finish(&g->raw_shape);
	sb_finish(&g->prev_raw);
	sb_finish(&g->prev_shape);
	sb_finish(&g->plan_text);
	free(g->seen);
	free(g->seen_records);
	sb_finish(&g->plan_stamp);
	sb_finish(&g->clean_shape);
	for (i = 0; i < SHAPE_RING; i++) {
		sb_finish(&g->ring[i].text);
		sb_finish(&g->ring[i].shape);
	}
	pcre2_match_data_free(g->md);
	sb_finish(&g->scratch);
	memo_finish(&g->memo);
	prefilter_finish(&g->pf);
	free(g->present);
	free(g->line_present);
	for (i = 0; i < SCAN_CACHE_SLOTS; i++) {
		sb_finish(&g->scache[i].text);
		free(g->scache[i].present);
	}
	free(g->fam_always);
	free(g->fam_cand);
	free(g->fam_by_lit);
	free(g->cuts);
	free(g);
}

static void
pending_reset(struct loader *ld)
{
	size_t i;

	for (i = 0; i < PAT_COUNT; i++) {
		sb_finish(&ld->pp[i].text);
		free(ld->pp[i].pieces);
		ld->pp[i].pieces = NULL;
		ld->pp[i].npieces = 0;
	}
	ld->has_replace = false;
}

/* Compiles one assembled pattern; maps an error offset back to file:line:col. */
static pcre2_code *
compile(struct loader *ld, struct pending_pat *pp, uint32_t extra_opts, bool *jit)
{
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *re;
	const char *src = pp->text.buf ? pp->text.buf : "";

	re = pcre2_compile((PCRE2_SPTR)src, pp->text.len, extra_opts, &errcode, &erroff, NULL);
	if (!re) {
		PCRE2_UCHAR msg[256];
		size_t i = 0;

		pcre2_get_error_message(errcode, msg, sizeof(msg));
		while (i + 1 < pp->npieces && pp->pieces[i + 1].start <= erroff)
			i++;
		diag(ld, ld->file, pp->pieces[i].line,
		     pp->pieces[i].col + (uint32_t)(erroff - pp->pieces[i].start),
		     "regex error at offset %zu: %s", (size_t)erroff, (const char *)msg);
		return NULL;
	}
	*jit = false; /* made when first run (grammar.c) */
	return re;
}

static int
by_group(const void *a, const void *b)
{
	const struct group_field *x = a, *y = b;

	return x->group < y->group ? -1 : x->group > y->group;
}

/* Resolves the named groups of a family pattern to fields. */
/*
 * A (?<kind>A|B|C) group of plain words names kinds: each must be one of
 * the family's. A group with any other pattern cannot be checked here.
 */
static bool
check_kind_captures(struct loader *ld, const struct rule *r)
{
	const char *p = r->pat[PAT_MAIN].src, *at;
	bool ok = true;

	while (p && (at = strstr(p, "(?<kind>"))) {
		const char *q = at + 8, *w = q;
		bool plain = true;

		for (; *q && *q != ')'; q++)
			if (!(*q == '|' || *q == '-' || *q == '_' || (*q >= 'a' && *q <= 'z') ||
			      (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9')))
				plain = false;
		for (; plain && w < q;) {
			const char *e = w;

			while (e < q && *e != '|')
				e++;
			if (!gram_kind_is_known(r->family, w, (size_t)(e - w))) {
				diag(ld, r->file, r->line, 1,
				     "%s captures unknown kind '%.*s' for family %s (ikescope "
				     "grammar kinds lists them)",
				     r->name, (int)(e - w), w, gram_family_name(r->family));
				ok = false;
			}
			w = e + 1;
		}
		p = *q ? q + 1 : q;
	}
	return ok;
}

static bool
resolve_groups(struct loader *ld, struct rule *r, struct pending_pat *pp)
{
	uint32_t count = 0, entry = 0, i;
	PCRE2_SPTR table;
	bool ok = true;

	pcre2_pattern_info(r->pat[PAT_MAIN].re, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(r->pat[PAT_MAIN].re, PCRE2_INFO_NAMEENTRYSIZE, &entry);
	pcre2_pattern_info(r->pat[PAT_MAIN].re, PCRE2_INFO_NAMETABLE, &table);
	r->groups = xcalloc(count ? count : 1, sizeof(*r->groups));
	for (i = 0; i < count; i++) {
		PCRE2_SPTR e = table + (size_t)i * entry;
		uint32_t group = ((uint32_t)e[0] << 8) | e[1];
		const char *name = (const char *)e + 2;
		enum gram_field f = gram_field_lookup(name, strlen(name));

		if (r->kind == RULE_MASK) {
			if (!strcmp(name, "secret"))
				r->secret_group = group;
			continue;
		}
		if (f == GRAM_FIELD_COUNT) {
			diag(ld, ld->file, pp->pieces[0].line, pp->pieces[0].col,
			     "unknown field '%s'", name);
			ok = false;
			continue;
		}
		r->groups[r->ngroups].group = group;
		r->groups[r->ngroups].field = f;
		r->ngroups++;
	}
	/* fields in the order the pattern captures them */
	qsort(r->groups, r->ngroups, sizeof(*r->groups), by_group);
	if (r->kind == RULE_MASK && !r->secret_group) {
		diag(ld, ld->file, pp->pieces[0].line, pp->pieces[0].col,
		     "mask pattern has no group named 'secret'");
		ok = false;
	}
	return ok;
}

static size_t
find_rule(struct grammar *g, enum rule_kind kind, const char *name)
{
	size_t i;

	for (i = 0; i < g->nrules; i++)
		if (g->rules[i].kind == kind && !strcmp(g->rules[i].name, name))
			return i;
	return SIZE_MAX;
}

static bool parse_bool(const char *v, size_t n, bool *out);

/* A key of a map stanza: field, class, family, complete, word. */
static void
map_key(struct loader *ld, const char *k, size_t kn, const char *v, size_t vn, uint32_t lineno,
	uint32_t vcol)
{
	struct rule *r = &ld->cur;

	if ((kn == 5 && !strncmp(k, "field", 5)) || (kn == 5 && !strncmp(k, "class", 5))) {
		enum gram_field f = gram_field_lookup(v, vn);
		bool cls = k[0] == 'c';

		if (f == GRAM_FIELD_COUNT) {
			diag(ld, ld->file, lineno, vcol, "unknown field '%.*s'", (int)vn, v);
			return;
		}
		if (cls && !gram_field_has_values(f)) {
			diag(ld, ld->file, lineno, vcol,
			     "field '%.*s' takes no declared values (ikescope grammar classes "
			     "lists them)",
			     (int)vn, v);
			return;
		}
		if (cls) {
			r->map_class = f;
		} else {
			r->map_field = f;
			r->map_has_field = true;
		}
		return;
	}
	if (kn == 6 && !strncmp(k, "family", 6)) {
		char *name = xstrndup(v, vn);

		r->map_family = gram_family_lookup(name);
		if (r->map_family == GRAM_FAMILY_COUNT)
			diag(ld, ld->file, lineno, vcol, "unknown family '%s'", name);
		free(name);
		return;
	}
	if (kn == 4 && !strncmp(k, "kind", 4)) {
		free(r->map_kind);
		r->map_kind = xstrndup(v, vn);
		r->map_kind_len = vn;
		r->map_kind_col = vcol;
		r->map_kind_line = lineno;
		return;
	}
	if (kn == 8 && !strncmp(k, "complete", 8)) {
		if (!parse_bool(v, vn, &r->map_complete))
			diag(ld, ld->file, lineno, vcol, "'complete' must be yes or no");
		return;
	}
	if (kn == 4 && !strncmp(k, "word", 4)) {
		const char *arrow = NULL, *w = v, *to = NULL;
		size_t i, wn = vn, ton = 0;
		struct map_word *mw;

		for (i = 0; i + 2 <= vn; i++)
			if (v[i] == '=' && v[i + 1] == '>') {
				arrow = v + i;
				break;
			}
		if (arrow) {
			wn = (size_t)(arrow - v);
			to = arrow + 2;
			ton = vn - wn - 2;
			while (wn && (w[wn - 1] == ' ' || w[wn - 1] == '\t'))
				wn--;
			while (ton && (*to == ' ' || *to == '\t'))
				to++, ton--;
		}
		if (!wn || (arrow && !ton)) {
			diag(ld, ld->file, lineno, vcol,
			     "expected 'word = WORD' or 'word = WORD => VALUE'");
			return;
		}
		r->words = xreallocarray(r->words, r->nwords + 1, sizeof(*r->words));
		mw = &r->words[r->nwords++];
		mw->word = xstrndup(w, wn);
		mw->len = wn;
		mw->to = to ? xstrndup(to, ton) : NULL;
		mw->tolen = ton;
		/* what the value may be is checked when the stanza ends (class may come later) */
		mw->line = lineno;
		mw->col = vcol + (uint32_t)(to ? to - v : 0);
		return;
	}
	diag(ld, ld->file, lineno, 1, "unknown key '%.*s' in map stanza", (int)kn, k);
}

/* Checks a map stanza whole: its field, and each word's value against the values it may take. */
static bool
check_map(struct loader *ld, struct rule *r)
{
	bool ok = true;
	size_t i;

	if (!r->map_has_field) {
		diag(ld, r->file, r->line, 0, "map '%s' has no 'field'", r->name);
		return false;
	}
	if (!r->nwords) {
		diag(ld, r->file, r->line, 0, "map '%s' has no 'word'", r->name);
		return false;
	}
	if (r->map_kind && (r->map_family == GRAM_FAMILY_COUNT ||
			    !gram_kind_is_known(r->map_family, r->map_kind, r->map_kind_len))) {
		diag(ld, r->file, r->map_kind_line, r->map_kind_col,
		     r->map_family == GRAM_FAMILY_COUNT ? "map '%s': a 'kind' needs a 'family'"
							: "map '%s': unknown kind for its family "
							  "(ikescope grammar kinds lists "
							  "them)",
		     r->name);
		return false;
	}
	if (r->map_class == GRAM_FIELD_COUNT && !gram_field_has_values(r->map_field)) {
		diag(ld, r->file, r->line, 0,
		     "map '%s': field '%s' takes no declared values; give a 'class' field", r->name,
		     gram_field_name(r->map_field));
		return false;
	}
	for (i = 0; i < r->nwords; i++) {
		struct map_word *w = &r->words[i];
		enum gram_field f = r->map_class != GRAM_FIELD_COUNT ? r->map_class : r->map_field;

		if (w->to && !gram_value_is_known(f, w->to, w->tolen)) {
			diag(ld, r->file, w->line, w->col,
			     "map '%s': '%s' is not a value of field %s (ikescope grammar classes "
			     "lists them)",
			     r->name, w->to, gram_field_name(f));
			ok = false;
		}
	}
	return ok;
}

/* Ends the current stanza: checks it, compiles it and adds it. */
static void
finish_stanza(struct loader *ld)
{
	struct rule *r = &ld->cur;
	const struct kind_keys *kk;
	bool ok = !ld->stanza_bad;
	size_t i;

	if (!ld->in_stanza)
		return;
	ld->in_stanza = false;
	if (ld->stanza_bad) {
		/* already reported; its keys were not kept */
		pending_reset(ld);
		rule_free(r);
		return;
	}
	kk = &kind_keys[r->kind];
	for (i = 0; i < PAT_COUNT; i++) {
		if (!kk->pat[i])
			continue;
		if (!ld->pp[i].npieces) {
			if (kk->required[i]) {
				diag(ld, r->file, r->line, 0, "%s '%s' has no '%s'",
				     kind_names[r->kind], r->name, kk->pat[i]);
				ok = false;
			}
			continue;
		}
		if (!ok)
			continue;
		r->pat[i].re = compile(ld, &ld->pp[i], 0, &r->pat[i].jit);
		if (!r->pat[i].re) {
			ok = false;
			continue;
		}
		r->pat[i].src = xstrdup(ld->pp[i].text.buf ? ld->pp[i].text.buf : "");
		{
			uint32_t all = 0;

			/* PCRE2 reports a pattern that anchors itself (every branch begins with ^) */
			r->pat[i].self_anchored =
				pcre2_pattern_info(r->pat[i].re, PCRE2_INFO_ALLOPTIONS, &all) ==
					0 &&
				(all & PCRE2_ANCHORED);
		}
		if ((r->kind == RULE_STRIP && i == PAT_MAIN) ||
		    (r->kind == RULE_SPLIT && i == PAT_MAIN) ||
		    (r->kind == RULE_JOIN && i == PAT_THIRD))
			r->pat[i].anchored =
				compile(ld, &ld->pp[i], PCRE2_ANCHORED, &r->pat[i].anchored_jit);
	}
	if (ok && r->kind == RULE_REPAIR && !ld->has_replace) {
		diag(ld, r->file, r->line, 0, "repair '%s' has no 'replace'", r->name);
		ok = false;
	}
	if (ok && (r->kind == RULE_FAMILY || r->kind == RULE_MASK))
		ok = resolve_groups(ld, r, &ld->pp[PAT_MAIN]);
	if (ok && r->kind == RULE_FAMILY)
		ok = check_kind_captures(ld, r);
	if (ok && r->kind == RULE_MAP)
		ok = check_map(ld, r);
	if (ok && r->kind == RULE_DIALECT && r->pat[PAT_MAIN].re &&
	    (r->dialects & (r->dialects - 1))) {
		diag(ld, r->file, r->line, 0, "a 'detect' pattern is for a stanza of one dialect");
		ok = false;
	}
	if (ok && r->kind == RULE_BLOCK && !r->max_lines)
		r->max_lines = 400;
	pending_reset(ld);
	if (!ok) {
		rule_free(r);
		return;
	}
	i = find_rule(ld->g, r->kind, r->name);
	if (i != SIZE_MAX) {
		rule_free(&ld->g->rules[i]);
		ld->g->rules[i] = *r;
	} else {
		ld->g->rules = xreallocarray(ld->g->rules, ld->g->nrules + 1, sizeof(*r));
		ld->g->rules[ld->g->nrules++] = *r;
	}
	memset(r, 0, sizeof(*r));
}

static bool
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
}

static bool
valid_name(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < n; i++)
		if (!is_name_char(s[i]))
			return false;
	return true;
}

/*
 * [dialect NAME...]: the stanzas after it in this file belong to the
 * dialects named. Once per file, before its first rule. q: after "dialect".
 */
static void
dialect_stanza(struct loader *ld, const char *p, size_t n, const char *q, uint32_t line)
{
	struct rule *r = &ld->cur;
	const char *end = p + n;
	char *name;

	if (ld->file_declared || ld->file_has_rule) {
		diag(ld, ld->file, line, 2,
		     ld->file_declared ? "a file declares its dialects once"
				       : "the dialect stanza comes before the file's rules");
		ld->stanza_bad = true;
		return;
	}
	ld->file_declared = true;
	while (q < end) {
		const char *w;
		enum gram_dialect d;

		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q >= end)
			break;
		w = q;
		while (q < end && *q != ' ' && *q != '\t')
			q++;
		d = gram_dialect_lookup(w, (size_t)(q - w));
		if (d == GRAM_DIALECT_COUNT) {
			struct strbuf known;
			size_t k;

			sb_init(&known);
			for (k = 0; k < GRAM_DIALECT_COUNT; k++)
				sb_addf(&known, "%s%s", k ? ", " : "",
					gram_dialect_name((enum gram_dialect)k));
			diag(ld, ld->file, line, (uint32_t)(w - p) + 2,
			     "unknown dialect '%.*s' (known: %s)", (int)(q - w), w, known.buf);
			sb_finish(&known);
			ld->stanza_bad = true;
			continue;
		}
		r->dialects |= 1u << d;
	}
	if (!r->dialects && !ld->stanza_bad) {
		diag(ld, ld->file, line, 0, "expected [dialect NAME...]");
		ld->stanza_bad = true;
	}
	ld->file_dialects = r->dialects;
	/* one per file: named after the file, so that no other replaces it */
	free(r->name);
	name = xmalloc(strlen(ld->file) + 9);
	sprintf(name, "%s:dialect", ld->file);
	r->name = name;
}

static void
start_stanza(struct loader *ld, const char *p, size_t n, uint32_t line)
{
	const char *words[3];
	size_t lens[3], nw = 0, i = 0;
	int kind = -1;
	size_t k;
	struct rule *r = &ld->cur;

	finish_stanza(ld);
	while (i < n && nw < 3) {
		while (i < n && (p[i] == ' ' || p[i] == '\t'))
			i++;
		if (i >= n)
			break;
		words[nw] = p + i;
		while (i < n && p[i] != ' ' && p[i] != '\t')
			i++;
		lens[nw] = (size_t)(words[nw] - p) <= i ? i - (size_t)(words[nw] - p) : 0;
		nw++;
	}
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	memset(r, 0, sizeof(*r));
	ld->in_stanza = true;
	ld->stanza_bad = false;
	r->file = xstrdup(ld->file);
	r->line = line;
	r->name = xstrdup("?");
	r->map_class = GRAM_FIELD_COUNT;
	r->map_family = GRAM_FAMILY_COUNT;
	if (nw == 0) {
		diag(ld, ld->file, line, 2, "empty stanza header");
		ld->stanza_bad = true;
		return;
	}
	for (k = 0; k < RULE_KIND_COUNT; k++)
		if (strlen(kind_names[k]) == lens[0] && !strncmp(kind_names[k], words[0], lens[0]))
			kind = (int)k;
	if (kind < 0) {
		diag(ld, ld->file, line, (uint32_t)(words[0] - p) + 2, "unknown stanza kind '%.*s'",
		     (int)lens[0], words[0]);
		ld->stanza_bad = true;
		return;
	}
	r->kind = (enum rule_kind)kind;
	if (r->kind == RULE_DIALECT) {
		dialect_stanza(ld, p, n, words[0] + lens[0], line);
		return;
	}
	r->dialects = ld->file_dialects;
	ld->file_has_rule = true;
	if (i < n || nw < 2 || (r->kind != RULE_FAMILY && nw > 2) ||
	    (r->kind == RULE_FAMILY && nw != 3)) {
		diag(ld, ld->file, line, 0,
		     r->kind == RULE_FAMILY ? "expected [family NAME VARIANT]"
					    : "expected [%s NAME]",
		     kind_names[r->kind]);
		ld->stanza_bad = true;
		return;
	}
	if (!valid_name(words[1], lens[1]) || (nw == 3 && !valid_name(words[2], lens[2]))) {
		diag(ld, ld->file, line, (uint32_t)(words[1] - p) + 2,
		     "bad name (letters, digits, '-', '_', '.')");
		ld->stanza_bad = true;
		return;
	}
	free(r->name);
	if (r->kind == RULE_FAMILY) {
		char *fname = xstrndup(words[1], lens[1]);

		r->family = gram_family_lookup(fname);
		if (r->family == GRAM_FAMILY_COUNT) {
			diag(ld, ld->file, line, (uint32_t)(words[1] - p) + 2,
			     "unknown family '%s'", fname);
			ld->stanza_bad = true;
		}
		free(fname);
		r->name = xmalloc(lens[1] + lens[2] + 2);
		sprintf(r->name, "%.*s/%.*s", (int)lens[1], words[1], (int)lens[2], words[2]);
	} else {
		r->name = xstrndup(words[1], lens[1]);
	}
}

static bool
parse_bool(const char *v, size_t n, bool *out)
{
	if ((n == 3 && !strncmp(v, "yes", 3)) || (n == 4 && !strncmp(v, "true", 4))) {
		*out = true;
		return true;
	}
	if ((n == 2 && !strncmp(v, "no", 2)) || (n == 5 && !strncmp(v, "false", 5))) {
		*out = false;
		return true;
	}
	return false;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A literal value: text with \xNN and \\ escapes. */
static bool
unescape(const char *v, size_t vn, struct strbuf *out)
{
	size_t i;

	for (i = 0; i < vn; i++) {
		if (v[i] != '\\') {
			sb_addc(out, v[i]);
			continue;
		}
		if (i + 1 < vn && v[i + 1] == '\\') {
			sb_addc(out, '\\');
			i++;
		} else if (i + 3 < vn && v[i + 1] == 'x' && hexval(v[i + 2]) >= 0 &&
			   hexval(v[i + 3]) >= 0) {
			sb_addc(out, (char)(hexval(v[i + 2]) * 16 + hexval(v[i + 3])));
			i += 3;
		} else {
			return false;
		}
	}
	return true;
}

/* Appends a pattern value, replacing {{name}} by the text of an earlier define. */
static void
expand(struct loader *ld, struct strbuf *out, const char *v, size_t vn, uint32_t lineno,
       uint32_t vcol)
{
	size_t i = 0;

	while (i < vn) {
		const char *open = i + 1 < vn ? memchr(v + i, '{', vn - i) : NULL;
		const char *close;
		size_t idx;
		char *name;

		if (!open || open + 1 >= v + vn || open[1] != '{') {
			if (!open) {
				sb_add(out, v + i, vn - i);
				return;
			}
			sb_add(out, v + i, (size_t)(open - (v + i)) + 1);
			i = (size_t)(open - v) + 1;
			continue;
		}
		sb_add(out, v + i, (size_t)(open - (v + i)));
		close = NULL;
		for (idx = (size_t)(open - v) + 2; idx + 1 < vn; idx++)
			if (v[idx] == '}' && v[idx + 1] == '}') {
				close = v + idx;
				break;
			}
		if (!close) {
			diag(ld, ld->file, lineno, vcol + (uint32_t)(open - v),
			     "unterminated '{{'");
			return;
		}
		name = xstrndup(open + 2, (size_t)(close - open - 2));
		idx = find_rule(ld->g, RULE_DEFINE, name);
		if (idx == SIZE_MAX)
			diag(ld, ld->file, lineno, vcol + (uint32_t)(open - v),
			     "unknown define '%s'", name);
		else
			sb_adds(out, ld->g->rules[idx].pat[PAT_MAIN].src);
		free(name);
		i = (size_t)(close - v) + 2;
	}
}

/* Adds the literal value v to a rule's list. */
static void
add_literal(struct loader *ld, uint32_t lineno, uint32_t vcol, const char *v, size_t vn,
	    char ***lits, size_t **lens, size_t *n)
{
	struct strbuf lit;

	sb_init(&lit);
	if (!unescape(v, vn, &lit) || !lit.len) {
		diag(ld, ld->file, lineno, vcol, "bad literal (use \\xNN and \\\\)");
		sb_finish(&lit);
		return;
	}
	*lits = xreallocarray(*lits, *n + 1, sizeof(char *));
	*lens = xreallocarray(*lens, *n + 1, sizeof(size_t));
	(*lens)[*n] = lit.len;
	(*lits)[(*n)++] = sb_detach(&lit);
}

static void
key_value(struct loader *ld, const char *line, size_t n, uint32_t lineno)
{
	struct rule *r = &ld->cur;
	const char *eq = memchr(line, '=', n);
	const char *k = line, *v;
	size_t kn, vn, i;
	uint32_t vcol;

	if (!eq) {
		diag(ld, ld->file, lineno, 1, "expected 'key = value'");
		return;
	}
	kn = (size_t)(eq - line);
	while (kn && (k[kn - 1] == ' ' || k[kn - 1] == '\t'))
		kn--;
	v = eq + 1;
	if (v < line + n && *v == ' ')
		v++;
	vn = (size_t)(line + n - v);
	vcol = (uint32_t)(v - line) + 1;
	if (!ld->in_stanza) {
		diag(ld, ld->file, lineno, 1, "'%.*s' outside a stanza", (int)kn, k);
		return;
	}
	if (ld->stanza_bad)
		return;
	for (i = 0; i < PAT_COUNT; i++) {
		const char *pk = kind_keys[r->kind].pat[i];

		if (pk && strlen(pk) == kn && !strncmp(pk, k, kn)) {
			struct pending_pat *pp = &ld->pp[i];

			if (!vn) {
				diag(ld, ld->file, lineno, vcol, "empty '%s'", pk);
				return;
			}
			pp->pieces =
				xreallocarray(pp->pieces, pp->npieces + 1, sizeof(*pp->pieces));
			pp->pieces[pp->npieces].line = lineno;
			pp->pieces[pp->npieces].col = vcol;
			pp->pieces[pp->npieces].start = pp->text.len;
			pp->npieces++;
			expand(ld, &pp->text, v, vn, lineno, vcol);
			return;
		}
	}
	if (kn == 7 && !strncmp(k, "literal", 7) && r->kind != RULE_DEFINE && r->kind != RULE_MAP &&
	    r->kind != RULE_DIALECT) {
		add_literal(ld, lineno, vcol, v, vn, &r->literals, &r->literal_lens, &r->nliterals);
		return;
	}
	if (kn == 12 && !strncmp(k, "tail-literal", 12) && r->kind == RULE_JOIN) {
		add_literal(ld, lineno, vcol, v, vn, &r->tail_literals, &r->tail_literal_lens,
			    &r->ntail_literals);
		return;
	}
	if (r->kind == RULE_FAMILY && kn > 4 && !strncmp(k, "set.", 4)) {
		enum gram_field f = gram_field_lookup(k + 4, kn - 4);

		if (f == GRAM_FIELD_COUNT) {
			diag(ld, ld->file, lineno, 5, "unknown field '%.*s'", (int)kn - 4, k + 4);
			return;
		}
		if (f == GRAM_FIELD_KIND && !gram_kind_is_known(r->family, v, vn)) {
			diag(ld, ld->file, lineno, vcol,
			     "unknown kind '%.*s' for family %s (ikescope grammar kinds lists "
			     "them)",
			     (int)vn, v, gram_family_name(r->family));
			return;
		}
		r->sets = xreallocarray(r->sets, r->nsets + 1, sizeof(*r->sets));
		r->sets[r->nsets].field = f;
		r->sets[r->nsets].value = xstrndup(v, vn);
		r->nsets++;
		return;
	}
	if (r->kind == RULE_MAP) {
		map_key(ld, k, kn, v, vn, lineno, vcol);
		return;
	}
	if (kn == 5 && !strncmp(k, "reads", 5) && r->kind != RULE_DEFINE &&
	    r->kind != RULE_DIALECT) {
		if (vn == 4 && !strncmp(v, "text", 4))
			r->reads_text = true;
		else if (vn == 5 && !strncmp(v, "shape", 5))
			r->reads_text = false;
		else
			diag(ld, ld->file, lineno, vcol, "'reads' must be text or shape");
		return;
	}
	if (r->kind == RULE_STRIP && kn == 4 && !strncmp(k, "what", 4)) {
		if (vn == 5 && !strncmp(v, "stamp", 5))
			r->what = LEX_CLEAN_STAMP;
		else if (vn == 6 && !strncmp(v, "prompt", 6))
			r->what = LEX_CLEAN_PROMPT;
		else if (vn == 6 && !strncmp(v, "markup", 6))
			r->what = LEX_CLEAN_MARKUP;
		else
			diag(ld, ld->file, lineno, vcol, "'what' must be stamp, prompt or markup");
		return;
	}
	if (r->kind == RULE_REPAIR && kn == 7 && !strncmp(k, "replace", 7)) {
		free(r->replace);
		r->replace = xstrndup(v, vn);
		ld->has_replace = true;
		return;
	}
	if (r->kind == RULE_MASK && kn == 3 && !strncmp(k, "key", 3)) {
		if (!parse_bool(v, vn, &r->mask_key))
			diag(ld, ld->file, lineno, vcol, "'key' must be yes or no");
		return;
	}
	if (r->kind == RULE_BLOCK && kn == 10 && !strncmp(k, "interleave", 10)) {
		if (!parse_bool(v, vn, &r->interleave))
			diag(ld, ld->file, lineno, vcol, "'interleave' must be yes or no");
		return;
	}
	if (r->kind == RULE_BLOCK && kn == 9 && !strncmp(k, "max-lines", 9)) {
		char *end;
		char *tmp = xstrndup(v, vn);
		unsigned long val = strtoul(tmp, &end, 10);

		if (!vn || *end || val == 0 || val > 100000)
			diag(ld, ld->file, lineno, vcol,
			     "'max-lines' must be a number from 1 to 100000");
		else
			r->max_lines = (unsigned)val;
		free(tmp);
		return;
	}
	diag(ld, ld->file, lineno, 1, "unknown key '%.*s' in %s stanza", (int)kn, k,
	     kind_names[r->kind]);
}

static void
load_text(struct loader *ld, const struct gram_source *src)
{
	const char *p = src->text, *end = src->text + src->len;
	uint32_t lineno = 0;

	ld->file = src->name;
	ld->file_dialects = 0;
	ld->file_declared = ld->file_has_rule = false;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *s = p;
		size_t n;

		lineno++;
		p = nl ? nl + 1 : end;
		n = (size_t)(le - s);
		if (n && s[n - 1] == '\r')
			n--;
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		while (n && (*s == ' ' || *s == '\t')) {
			s++;
			n--;
		}
		if (!n || *s == '#')
			continue;
		if (*s == '[') {
			if (s[n - 1] != ']') {
				diag(ld, ld->file, lineno, (uint32_t)n + 1,
				     "expected ']' at the end of the stanza header");
				/* skip the keys of the broken stanza */
				finish_stanza(ld);
				memset(&ld->cur, 0, sizeof(ld->cur));
				ld->in_stanza = true;
				ld->stanza_bad = true;
				continue;
			}
			start_stanza(ld, s + 1, n - 2, lineno);
			continue;
		}
		key_value(ld, s, n, lineno);
	}
	finish_stanza(ld);
}

size_t
grammar_describe_exact(const struct grammar *g, struct strbuf *out)
{
	size_t i, n = 0;

	for (i = 0; i < g->nrules; i++) {
		const struct rule *r = &g->rules[i];

		if (!r->exact)
			continue;
		sb_addf(out, "%s:%u: %s %s\n", r->file, r->line, kind_names[r->kind], r->name);
		n++;
	}
	return n;
}

/*
 * Whether a rule must read the real text rather than its shape: one of its
 * patterns or literals tells numbers apart. (A mask rule always reads the
 * real text, literals and all: it is not counted.)
 */
static bool
rule_exact(const struct rule *r)
{
	size_t i;

	if (r->kind == RULE_MASK)
		return false;
	if (r->reads_text)
		return true;
	for (i = 0; i < r->nliterals; i++)
		if (shape_literal_exact(r->literals[i], r->literal_lens[i]))
			return true;
	for (i = 0; i < r->ntail_literals; i++)
		if (shape_literal_exact(r->tail_literals[i], r->tail_literal_lens[i]))
			return true;
	for (i = 0; i < PAT_COUNT; i++)
		if (shape_pattern_exact(r->pat[i].src))
			return true;
	return false;
}

static bool
word_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       c == '_';
}

/* Keeps the shapes of the literals of an exact rule (see grammar.exact_shapes). */
static void
shape_exact_literals(struct grammar *g, const struct rule *r)
{
	size_t i;

	if (!r->nliterals)
		g->exact_shapes_ok = false;
	for (i = 0; i < r->nliterals; i++) {
		const char *l = r->literals[i];
		size_t n = r->literal_lens[i];
		struct strbuf *b;

		if (!n || word_char(l[0]) || word_char(l[n - 1])) {
			g->exact_shapes_ok = false;
			continue;
		}
		g->exact_shapes = xreallocarray(g->exact_shapes, g->nexact_shapes + 1,
						sizeof(*g->exact_shapes));
		b = &g->exact_shapes[g->nexact_shapes++];
		sb_init(b);
		sb_add(b, l, n);
		shape_zero(b->buf, n);
	}
}

static void
index_rules(struct grammar *g)
{
	size_t i, j;

	prefilter_init(&g->pf);
	g->exact_shapes_ok = true;
	for (i = 0; i < g->nrules; i++) {
		struct rule *r = &g->rules[i];

		/* a dialect's detect pattern reads the real text, outside the shape machinery */
		r->exact = r->kind != RULE_DIALECT && rule_exact(r);

		r->lit_ids = xcalloc(r->nliterals ? r->nliterals : 1, sizeof(*r->lit_ids));
		for (j = 0; j < r->nliterals; j++)
			r->lit_ids[j] = prefilter_add(&g->pf, r->literals[j], r->literal_lens[j]);
		r->tail_lit_ids = xcalloc(r->ntail_literals ? r->ntail_literals : 1,
					  sizeof(*r->tail_lit_ids));
		for (j = 0; j < r->ntail_literals; j++)
			r->tail_lit_ids[j] =
				prefilter_add(&g->pf, r->tail_literals[j], r->tail_literal_lens[j]);
	}
	/* the value maps, per family they hold for, and their words by hash */
	for (i = 0; i < g->nrules; i++) {
		struct rule *r = &g->rules[i];
		size_t f, n = 4;

		if (r->kind != RULE_MAP)
			continue;
		while (n < r->nwords * 2)
			n *= 2;
		r->word_slots = xcalloc(n, sizeof(*r->word_slots));
		r->word_mask = (uint32_t)n - 1;
		for (j = 0; j < r->nwords; j++) {
			uint32_t k =
				map_word_hash(r->words[j].word, r->words[j].len) & r->word_mask;

			while (r->word_slots[k])
				k = (k + 1) & r->word_mask;
			r->word_slots[k] = (uint32_t)j + 1;
		}
		for (f = 0; f < GRAM_FAMILY_COUNT; f++) {
			if (r->map_family != GRAM_FAMILY_COUNT && r->map_family != f)
				continue;
			g->maps_for[f] = xreallocarray((void *)g->maps_for[f], g->nmaps_for[f] + 1,
						       sizeof(*g->maps_for[f]));
			g->maps_for[f][g->nmaps_for[f]++] = r;
		}
	}
	prefilter_build(&g->pf);
	g->present = xcalloc(g->pf.nwords, sizeof(*g->present));
	g->line_present = xcalloc(g->pf.nwords, sizeof(*g->line_present));
	for (i = 0; i < SCAN_CACHE_SLOTS; i++) {
		sb_init(&g->scache[i].text);
		g->scache[i].present = xcalloc(g->pf.nwords, sizeof(*g->scache[i].present));
	}
	/* which families a literal can let through */
	g->fwords = (g->nrules + 63) / 64 + 1;
	g->fam_always = xcalloc(g->fwords, sizeof(uint64_t));
	g->fam_cand = xcalloc(g->fwords, sizeof(uint64_t));
	g->fam_by_lit = xcalloc((g->pf.nlits ? g->pf.nlits : 1) * g->fwords, sizeof(uint64_t));
	for (i = 0, j = 0; i < g->nrules; i++) {
		const struct rule *r = &g->rules[i];
		size_t k;

		if (r->kind != RULE_FAMILY)
			continue;
		/* a family that reads the real text looks for its literals there */
		if (!r->nliterals || r->exact)
			g->fam_always[j / 64] |= 1ull << (j % 64);
		for (k = 0; k < r->nliterals && !r->exact; k++)
			g->fam_by_lit[r->lit_ids[k] * g->fwords + j / 64] |= 1ull << (j % 64);
		j++;
	}
	for (i = 0; i < g->nrules; i++) {
		enum rule_kind k = g->rules[i].kind;

		g->by_kind[k] = xreallocarray(g->by_kind[k], g->nby_kind[k] + 1, sizeof(size_t));
		g->by_kind[k][g->nby_kind[k]++] = i;
		if (g->rules[i].exact) {
			g->exact_by_kind[k] = xreallocarray(
				g->exact_by_kind[k], g->nexact_by_kind[k] + 1, sizeof(size_t));
			g->exact_by_kind[k][g->nexact_by_kind[k]++] = i;
			g->exact = xreallocarray(g->exact, g->nexact + 1, sizeof(size_t));
			g->exact[g->nexact++] = i;
			shape_exact_literals(g, &g->rules[i]);
		}
	}
	g->exact_plans = !g->nexact_by_kind[RULE_REPAIR] && !g->nexact_by_kind[RULE_SPLIT] &&
			 !g->nexact_by_kind[RULE_JOIN] && !g->nexact_by_kind[RULE_BLOCK];
}

struct grammar *
grammar_create(const struct gram_source *src, size_t nsrc, struct strbuf *diags, struct err *err)
{
	struct loader ld;
	size_t i;

	memset(&ld, 0, sizeof(ld));
	ld.g = xcalloc(1, sizeof(*ld.g));
	ld.g->only_dialect = GRAM_DIALECT_COUNT;
	sb_init(&ld.g->scratch);
	sb_init(&ld.g->raw_shape);
	sb_init(&ld.g->prev_raw);
	sb_init(&ld.g->prev_shape);
	sb_init(&ld.g->plan_text);
	ld.g->seen = xcalloc(SEEN_LINES, sizeof(*ld.g->seen));
	sb_init(&ld.g->plan_stamp);
	sb_init(&ld.g->clean_shape);
	for (i = 0; i < SHAPE_RING; i++)
		sb_init(&ld.g->ring[i].text), sb_init(&ld.g->ring[i].shape);
	memo_init(&ld.g->memo);
	ld.diags = diags;
	for (i = 0; i < nsrc; i++)
		load_text(&ld, &src[i]);
	pending_reset(&ld);
	rule_free(&ld.cur);
	if (ld.nerrors) {
		err_set(err, ERR_GRAMMAR, NULL, "%zu error%s in grammar", ld.nerrors,
			ld.nerrors == 1 ? "" : "s");
		grammar_destroy(ld.g);
		return NULL;
	}
	if (!ld.g->nrules) {
		err_set(err, ERR_GRAMMAR, NULL, "no grammar rules loaded");
		grammar_destroy(ld.g);
		return NULL;
	}
	ld.g->nsources = nsrc;
	index_rules(ld.g);
	/* the answers kept per text hold one bit per join */
	if (ld.g->nby_kind[RULE_JOIN] > GRAMMAR_MAX_JOINS) {
		err_set(err, ERR_GRAMMAR, NULL, "%zu join stanzas; at most %d are supported",
			ld.g->nby_kind[RULE_JOIN], GRAMMAR_MAX_JOINS);
		grammar_destroy(ld.g);
		return NULL;
	}
	ld.g->md = pcre2_match_data_create(64, NULL);
	return ld.g;
}

static int
gram_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && d->d_name[0] != '.' && !strcmp(d->d_name + n - 5, ".gram");
}

/* Reads a whole file into a new source; false (err set) on failure. */
static bool
read_source(const char *path, struct gram_source *src, struct err *err)
{
	struct strbuf text;
	char buf[8192];
	size_t got;
	FILE *fp = fopen(path, "rb");

	if (!fp) {
		err_set(err, ERR_IO, &(struct loc){ path, 0, 0 }, "%s", strerror(errno));
		return false;
	}
	sb_init(&text);
	while ((got = fread(buf, 1, sizeof(buf), fp)) > 0)
		sb_add(&text, buf, got);
	if (ferror(fp)) {
		err_set(err, ERR_IO, &(struct loc){ path, 0, 0 }, "read error");
		fclose(fp);
		sb_finish(&text);
		return false;
	}
	fclose(fp);
	src->name = xstrdup(path);
	src->len = text.len;
	src->text = sb_detach(&text);
	return true;
}

/* Appends the sources of one path (a file, or the *.gram files of a directory). */
static bool
add_path(const char *path, struct gram_source **src, size_t *nsrc, struct err *err)
{
	struct dirent **names = NULL;
	struct stat st;
	int n, i;
	bool ok = true;

	if (stat(path, &st) != 0) {
		err_set(err, ERR_IO, &(struct loc){ path, 0, 0 }, "%s", strerror(errno));
		return false;
	}
	if (!S_ISDIR(st.st_mode)) {
		*src = xreallocarray(*src, *nsrc + 1, sizeof(**src));
		if (!read_source(path, &(*src)[*nsrc], err))
			return false;
		(*nsrc)++;
		return true;
	}
	n = scandir(path, &names, gram_filter, versionsort);
	if (n < 0) {
		err_set(err, ERR_IO, &(struct loc){ path, 0, 0 },
			"cannot read grammar directory: %s", strerror(errno));
		return false;
	}
	if (n == 0)
		err_set(err, ERR_GRAMMAR, &(struct loc){ path, 0, 0 }, "no *.gram files");
	for (i = 0; i < n; i++) {
		struct strbuf p;

		sb_init(&p);
		sb_addf(&p, "%s/%s", path, names[i]->d_name);
		*src = xreallocarray(*src, *nsrc + 1, sizeof(**src));
		if (ok && read_source(p.buf, &(*src)[*nsrc], err))
			(*nsrc)++;
		else
			ok = false;
		sb_finish(&p);
		free(names[i]);
	}
	free(names);
	return ok && n > 0;
}

struct grammar *
grammar_create_paths(char *const *paths, size_t npaths, struct strbuf *diags, struct err *err)
{
	struct gram_source *src = NULL;
	struct grammar *g = NULL;
	size_t nsrc = 0, i;
	bool ok = true;

	for (i = 0; i < npaths && ok; i++)
		ok = add_path(paths[i], &src, &nsrc, err);
	if (ok)
		g = grammar_create(src, nsrc, diags, err);
	for (i = 0; i < nsrc; i++) {
		free((char *)src[i].name);
		free((char *)src[i].text);
	}
	free(src);
	return g;
}

struct grammar *
grammar_create_dir(const char *dir, struct strbuf *diags, struct err *err)
{
	char *paths[1] = { (char *)dir };

	return grammar_create_paths(paths, 1, diags, err);
}

struct grammar *
grammar_create_builtin(struct strbuf *diags, struct err *err)
{
	size_t n = grammar_builtin_count();
	struct gram_source *src = xcalloc(n ? n : 1, sizeof(*src));
	struct grammar *g;
	size_t i;

	for (i = 0; i < n; i++)
		src[i] = *grammar_builtin(i);
	g = grammar_create(src, n, diags, err);
	free(src);
	return g;
}
