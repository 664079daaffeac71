/*
 * The browser's state, keys and frames (see tui.h). No curses here: the
 * front end draws the rows this file makes.
 */
#include "ikescope/proto.h"
#include "ikescope/tui.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ikescope/diff.h"
#include "ikescope/grammar.h"
#include "ikescope/util/escape.h"
#include "ikescope/util/xalloc.h"

const struct tui_keydef tui_keymap[] = {
#define K(keys, where, what) { keys, where, what },
#include "keymap.def"
#undef K
};
const size_t tui_nkeymap = sizeof(tui_keymap) / sizeof(tui_keymap[0]);

static const char *const view_names[] = { "sessions", "session", "raw",     "findings",
					  "help",     "diff",    "timeline" };

enum sort_key { SORT_LINE, SORT_OUTCOME, SORT_PEER, SORT_DURATION, SORT_COUNT };
static const char *const sort_names[] = { "line", "outcome", "peer", "duration" };

struct text {
	char **line;
	enum tui_style *style;
	size_t n, cap;
};

struct tui {
	struct session **s;
	size_t n;
	const struct render_opts *ro;
	tui_raw_fn raw;
	void *raw_ctx;

	size_t *order; /* the sessions shown, after filter and sort */
	size_t norder;
	enum sort_key sort;
	char filter[128];

	enum tui_view view;
	enum tui_view back[8];
	size_t depth;
	size_t sel, top;         /* list and findings: selected row, first row shown */
	size_t vtop;             /* text views: first line shown */
	size_t cur;              /* the session open */
	struct text body;        /* session, findings, help, diff */
	size_t *finding_session; /* findings view: the session of each line (SIZE_MAX: none) */
	uint32_t *finding_line;
	/* session view: one row per message, and each message's block of the verbose timeline */
	const struct message **ladder;
	size_t nladder, msel, mtop;
	struct text detail;
	size_t *block_first, *block_last; /* lines of detail per ladder row (first > last: none) */
	bool raw_all;                     /* raw view: the whole log */
	/* sessions kept as summaries: the whole session, rebuilt when opened */
	tui_full_fn full;
	void *full_ctx;
	struct session *heavy; /* the open session, rebuilt; NULL: t->s[cur] is whole */
	uint32_t raw_end;      /* raw view: last line known to exist (0: not known) */

	struct gram_regex *re;
	char search[128];
	bool prompting;
	char prompt_kind; /* '/' or 'f' */
	char input[128];
	size_t mark;
	bool marked;
	char status[256];
	char progress[256]; /* while the inputs are read */
	int page;           /* rows of the last frame's body */
};

static const struct session *
cur_session(const struct tui *t)
{
	return t->heavy ? t->heavy : t->s[t->cur];
}

/* The whole session behind a summary (the caller frees it), or NULL if it is whole already. */
static struct session *
whole(const struct tui *t, const struct session *s)
{
	return t->full ? t->full(t->full_ctx, s) : NULL;
}

/* ---- text views ---- */

static void
text_clear(struct text *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->line[i]);
	t->n = 0;
}

static void
text_add(struct text *t, const char *p, size_t n, enum tui_style st)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->line = xreallocarray(t->line, t->cap, sizeof(*t->line));
		t->style = xreallocarray(t->style, t->cap, sizeof(*t->style));
	}
	t->line[t->n] = xstrndup(p, n);
	t->style[t->n] = st;
	t->n++;
}

/* Splits rendered text into lines, with a style from what each says. */
static void
text_split(struct text *t, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		enum tui_style st = TUI_NORMAL;

		if (n >= 10 && (!strncmp(p, "session ", 8) || !strncmp(p, "  IKE_", 6) ||
				!strncmp(p, "  CREATE_", 9) || !strncmp(p, "  INFORMATIONAL", 15)))
			st = TUI_HEADER;
		if (memmem(p, n, "FAILURE", 7) || memmem(p, n, "finding   error", 15))
			st = TUI_BAD;
		else if (memmem(p, n, "finding   warn", 14))
			st = TUI_WARN;
		text_add(t, p, n, st);
		p += n + 1;
	}
}

static const char *
outcome_word(const struct session *s)
{
	return model_outcome_name(s->outcome);
}

static enum tui_style
outcome_style(const struct session *s)
{
	switch (s->outcome) {
	case MODEL_OUTCOME_UP:
	case MODEL_OUTCOME_DELETED:
		return TUI_GOOD;
	case MODEL_OUTCOME_INCOMPLETE:
		return TUI_WARN;
	default:
		return TUI_BAD;
	}
}

/* One row of the session list, as text (also what filter and search read). */
static void
row_text(const struct session *s, struct strbuf *out)
{
	char spi[17], peer[64];
	const char *who = s->user ? s->user : s->tunnel_group ? s->tunnel_group : "-";

	if (s->has_spi_i)
		session_spi_text(s->spi_i, spi);
	else
		strcpy(spi, "----------------");
	if (s->peer && s->pport)
		snprintf(peer, sizeof(peer), "%s:%u", s->peer, s->pport);
	else
		snprintf(peer, sizeof(peer), "%s", s->peer ? s->peer : "-");
	/* the first 8 hex digits of the SPI tell sessions apart on a screen */
	sb_addf(out, "%4u %-8.8s %-4.4s %2zu %-18.18s ", s->number, spi, model_role_name(s->role),
		s->nexch, peer);
	escape_append(out, who, strlen(who) > 12 ? 12 : strlen(who));
	sb_addf(out, "%*s %-10s ", (int)(12 - (strlen(who) > 12 ? 12 : strlen(who))), "",
		outcome_word(s));
	if (s->failure.cause) {
		sb_addf(out, "%s", s->failure.exchange ? s->failure.exchange : "client");
		if (s->failure.mid_known)
			sb_addf(out, " %u", s->failure.mid);
		sb_adds(out, " ");
		escape_append(out, s->failure.cause, strlen(s->failure.cause));
	}
}

static bool
filter_keeps(const struct tui *t, const struct session *s)
{
	struct strbuf row;
	bool keep;

	if (!t->filter[0])
		return true;
	sb_init(&row);
	row_text(s, &row);
	/* what the row shows in part: the SPIs whole, the input, the tunnel group and user */
	{
		char spi[17];

		session_spi_text(s->spi_i, spi);
		sb_addf(&row, " %s", spi);
		session_spi_text(s->spi_r, spi);
		sb_addf(&row, " %s", spi);
	}
	sb_addf(&row, " %s %s %s", s->input ? s->input : "", s->tunnel_group ? s->tunnel_group : "",
		s->user ? s->user : "");
	keep = row.buf && strcasestr(row.buf, t->filter);
	sb_finish(&row);
	return keep;
}

static int
outcome_rank(const struct session *s)
{
	return s->outcome == MODEL_OUTCOME_FAILED       ? 0
	       : s->outcome == MODEL_OUTCOME_INCOMPLETE ? 1
	       : s->outcome == MODEL_OUTCOME_DELETED    ? 2
							: 3;
}

static int64_t
duration(const struct session *s)
{
	if (s->has_time)
		return s->last_time.ms - s->first_time.ms;
	return (int64_t)s->last_line - s->first_line;
}

static const struct tui *sort_ctx;

static int
by_sort(const void *x, const void *y)
{
	const struct session *a = sort_ctx->s[*(const size_t *)x];
	const struct session *b = sort_ctx->s[*(const size_t *)y];
	int c = 0;

	switch (sort_ctx->sort) {
	case SORT_OUTCOME:
		c = outcome_rank(a) - outcome_rank(b);
		break;
	case SORT_PEER:
		c = strcmp(a->peer ? a->peer : "", b->peer ? b->peer : "");
		break;
	case SORT_DURATION:
		c = duration(a) > duration(b) ? -1 : duration(a) < duration(b);
		break;
	default:
		break;
	}
	return c ? c : (a->number > b->number) - (a->number < b->number);
}

static void
reorder(struct tui *t)
{
	size_t i;

	t->norder = 0;
	for (i = 0; i < t->n; i++)
		if (filter_keeps(t, t->s[i]))
			t->order[t->norder++] = i;
	sort_ctx = t;
	qsort(t->order, t->norder, sizeof(*t->order), by_sort);
	sort_ctx = NULL;
	if (t->sel >= t->norder)
		t->sel = t->norder ? t->norder - 1 : 0;
	t->top = 0;
}

struct tui *
tui_create(struct session **sessions, size_t n, const struct render_opts *ro, tui_raw_fn raw,
	   void *raw_ctx)
{
	struct tui *t = xcalloc(1, sizeof(*t));

	t->s = sessions;
	t->n = n;
	t->ro = ro;
	t->raw = raw;
	t->raw_ctx = raw_ctx;
	t->order = xcalloc(n ? n : 1, sizeof(*t->order));
	reorder(t);
	return t;
}

void
tui_set_rebuild(struct tui *t, tui_full_fn full, void *ctx)
{
	t->full = full;
	t->full_ctx = ctx;
}

void
tui_set_sessions(struct tui *t, struct session **sessions, size_t n, const char *progress)
{
	size_t sel = t->sel;

	snprintf(t->progress, sizeof(t->progress), "%s", progress ? progress : "");
	if (sessions == t->s && n == t->n)
		return;
	t->s = sessions;
	t->n = n;
	t->order = xreallocarray(t->order, n ? n : 1, sizeof(*t->order));
	reorder(t);
	t->sel = sel < t->norder ? sel : t->sel;
}

void
tui_destroy(struct tui *t)
{
	if (!t)
		return;
	text_clear(&t->body);
	free(t->body.line);
	free(t->body.style);
	text_clear(&t->detail);
	free(t->detail.line);
	free(t->detail.style);
	free(t->ladder);
	free(t->block_first);
	free(t->block_last);
	if (t->heavy)
		session_destroy(t->heavy);
	free(t->order);
	free(t->finding_session);
	free(t->finding_line);
	gram_regex_free(t->re);
	free(t);
}

enum tui_view
tui_current_view(const struct tui *t)
{
	return t->view;
}

/* ---- views ---- */

static void
go(struct tui *t, enum tui_view v)
{
	if (t->depth < sizeof(t->back) / sizeof(t->back[0]))
		t->back[t->depth++] = t->view;
	t->view = v;
	t->vtop = 0;
	t->status[0] = '\0';
}

/* The whole annotated timeline of the session (v). */
static void
build_timeline(struct tui *t)
{
	struct render_opts o = *t->ro;
	struct strbuf out;

	o.color = false;
	o.raw = NULL;
	sb_init(&out);
	render_timeline(&out, cur_session(t), &o);
	text_clear(&t->body);
	text_split(&t->body, out.buf ? out.buf : "", out.len);
	sb_finish(&out);
}

static bool
message_header(const char *l)
{
	return !strncmp(l, "    --> ", 8) || !strncmp(l, "    <-- ", 8) ||
	       !strncmp(l, "    --- ", 8);
}

/*
 * The ladder: a row per message, in exchange order; the detail of each is
 * its block of the verbose timeline (every payload field and its findings),
 * found by the message's line range in the block's header.
 */
static void
build_session(struct tui *t)
{
	const struct session *s = cur_session(t);
	struct render_opts o = *t->ro;
	struct strbuf out;
	size_t i, k;

	free(t->ladder);
	free(t->block_first);
	free(t->block_last);
	t->ladder = xcalloc(2 * s->nexch + 1, sizeof(*t->ladder));
	t->nladder = 0;
	for (i = 0; i < s->nexch; i++) {
		if (s->exch[i].request)
			t->ladder[t->nladder++] = s->exch[i].request;
		if (s->exch[i].response)
			t->ladder[t->nladder++] = s->exch[i].response;
	}
	t->block_first = xcalloc(t->nladder + 1, sizeof(*t->block_first));
	t->block_last = xcalloc(t->nladder + 1, sizeof(*t->block_last));
	o.color = false;
	o.raw = NULL;
	o.verbose = true;
	sb_init(&out);
	render_timeline(&out, s, &o);
	text_clear(&t->detail);
	text_split(&t->detail, out.buf ? out.buf : "", out.len);
	sb_finish(&out);
	for (k = 0; k < t->nladder; k++) {
		char key[40];
		const struct message *m = t->ladder[k];

		t->block_first[k] = 1;
		t->block_last[k] = 0;
		if (m->first_line == m->last_line)
			snprintf(key, sizeof(key), "L%u", m->first_line);
		else
			snprintf(key, sizeof(key), "L%u-L%u", m->first_line, m->last_line);
		for (i = 0; i < t->detail.n; i++) {
			const char *at = strstr(t->detail.line[i], key);
			size_t j = i + 1;

			/* the range whole: followed by a space or the end of the line */
			if (!message_header(t->detail.line[i]) || !at ||
			    (at[strlen(key)] != ' ' && at[strlen(key)] != '\0'))
				continue;
			/* down to the next message or exchange */
			while (j < t->detail.n && !message_header(t->detail.line[j]) &&
			       !(t->detail.line[j][0] == ' ' && t->detail.line[j][1] == ' ' &&
				 t->detail.line[j][2] != ' '))
				j++;
			t->block_first[k] = i;
			t->block_last[k] = j - 1;
			break;
		}
	}
	if (t->msel >= t->nladder)
		t->msel = 0;
	t->mtop = 0;
}

/* The ladder row of the message whose lines hold line (0: none), else the first. */
static size_t
ladder_row_at(const struct tui *t, uint32_t line)
{
	size_t k;

	for (k = 0; line && k < t->nladder; k++)
		if (line >= t->ladder[k]->first_line && line <= t->ladder[k]->last_line)
			return k;
	return 0;
}

static void
build_findings(struct tui *t)
{
	struct strbuf line;
	size_t i, k, n = 0;

	text_clear(&t->body);
	free(t->finding_session);
	free(t->finding_line);
	for (i = 0; i < t->n; i++)
		n += t->s[i]->nfindings;
	t->finding_session = xcalloc(n ? n : 1, sizeof(*t->finding_session));
	t->finding_line = xcalloc(n ? n : 1, sizeof(*t->finding_line));
	sb_init(&line);
	for (i = 0; i < t->n; i++)
		for (k = 0; k < t->s[i]->nfindings; k++) {
			const struct finding *f = &t->s[i]->findings[k];

			sb_reset(&line);
			sb_addf(&line, "%4u  %-5s %-22s L%-6u ", t->s[i]->number,
				model_severity_name(f->severity), f->id, f->line);
			escape_append(&line, f->message, strlen(f->message));
			t->finding_session[t->body.n] = i;
			t->finding_line[t->body.n] = f->line;
			text_add(&t->body, line.buf, line.len,
				 f->severity == MODEL_SEVERITY_ERROR  ? TUI_BAD
				 : f->severity == MODEL_SEVERITY_WARN ? TUI_WARN
								      : TUI_NORMAL);
		}
	sb_finish(&line);
	t->sel = t->top = 0;
}

static void
build_help(struct tui *t)
{
	struct strbuf line;
	size_t i;

	text_clear(&t->body);
	sb_init(&line);
	for (i = 0; i < tui_nkeymap; i++) {
		sb_reset(&line);
		sb_addf(&line, "  %-12s %-15s %s", tui_keymap[i].keys, tui_keymap[i].where,
			tui_keymap[i].what);
		text_add(&t->body, line.buf, line.len, TUI_NORMAL);
	}
	sb_finish(&line);
}

static void
build_diff(struct tui *t, const struct session *a, const struct session *b)
{
	struct strbuf line;
	struct diff d;
	size_t i;

	text_clear(&t->body);
	diff_sessions(a, b, false, &d);
	sb_init(&line);
	sb_addf(&line, "A  session %u  %s  %s", a->number, model_role_name(a->role),
		model_outcome_name(a->outcome));
	text_add(&t->body, line.buf, line.len, TUI_HEADER);
	sb_reset(&line);
	sb_addf(&line, "B  session %u  %s  %s", b->number, model_role_name(b->role),
		model_outcome_name(b->outcome));
	text_add(&t->body, line.buf, line.len, TUI_HEADER);
	sb_reset(&line);
	if (!d.n) {
		sb_adds(&line, "no difference");
	} else {
		struct strbuf f;

		sb_init(&f);
		diff_first(a, b, &d, &f);
		sb_adds(&line, "first difference: ");
		escape_append(&line, f.buf ? f.buf : "", f.len);
		sb_finish(&f);
	}
	text_add(&t->body, line.buf, line.len, TUI_BAD);
	for (i = 0; i < d.n; i++) {
		const struct diff_entry *e = &d.e[i];

		sb_reset(&line);
		escape_append(&line, e->key, strlen(e->key));
		text_add(&t->body, line.buf, line.len, TUI_HEADER);
		sb_reset(&line);
		sb_adds(&line, "    A  ");
		escape_append(&line, e->a ? e->a : "(none)", strlen(e->a ? e->a : "(none)"));
		text_add(&t->body, line.buf, line.len, TUI_NORMAL);
		sb_reset(&line);
		sb_adds(&line, "    B  ");
		escape_append(&line, e->b ? e->b : "(none)", strlen(e->b ? e->b : "(none)"));
		text_add(&t->body, line.buf, line.len, TUI_NORMAL);
	}
	diff_free(&d);
	sb_finish(&line);
}

static const struct session *selected(const struct tui *t);

/* A ladder cell: how one end logged a message. */
static void
end_cell(struct strbuf *l, const struct message *m)
{
	if (!m)
		sb_adds(l, "(not in this log)");
	else
		sb_addf(l, "%s L%u-L%u%s", m->dir == MODEL_DIR_OUT ? "sent" : "received",
			m->first_line, m->last_line, m->retransmits ? " (repeated)" : "");
}

/*
 * The two ends of the selected session's negotiation (D): its other end
 * among the sessions of the other inputs, joined message by message.
 */
static bool
build_ends(struct tui *t, const struct session *a)
{
	const struct session *b = NULL;
	struct session *wa, *wb;
	struct strbuf l;
	struct ends e;
	size_t i;

	for (i = 0; i < t->n && !b; i++)
		if (t->s[i] != a && t->s[i]->input != a->input && diff_same_negotiation(a, t->s[i]))
			b = t->s[i];
	if (!b) {
		snprintf(t->status, sizeof(t->status),
			 "session %u has no other end in the other inputs (same SPIs, other role)",
			 a->number);
		return false;
	}
	wa = whole(t, a);
	wb = whole(t, b);
	if (wa)
		a = wa;
	if (wb)
		b = wb;
	diff_ends(a->role == MODEL_ROLE_INITIATOR ? a : b, a->role == MODEL_ROLE_INITIATOR ? b : a,
		  &e);
	text_clear(&t->body);
	sb_init(&l);
	sb_addf(&l, "initiator: session %u   responder: session %u", e.i->number, e.r->number);
	text_add(&t->body, l.buf, l.len, TUI_HEADER);
	for (i = 0; i < e.n; i++) {
		const struct ends_row *row = &e.rows[i];

		sb_reset(&l);
		sb_addf(&l, "  %-14.14s %3u %-8s  ", row->exchange ? row->exchange : "?", row->mid,
			row->response ? "response" : "request");
		end_cell(&l, row->i);
		while (l.len < 58)
			sb_addc(&l, ' ');
		end_cell(&l, row->r);
		text_add(&t->body, l.buf, l.len, !row->i || !row->r ? TUI_BAD : TUI_NORMAL);
	}
	for (i = 0; i < 2; i++) {
		const struct session *x = i ? e.r : e.i;

		if (!x->failure.cause)
			continue;
		sb_reset(&l);
		sb_addf(&l, "%s: %s ", i ? "responder" : "initiator", x->failure.cause);
		if (x->failure.explanation || x->failure.remedy) {
			struct strbuf why;

			sb_init(&why);
			failure_sentence(&x->failure, &why);
			escape_append(&l, why.buf, why.len);
			sb_finish(&why);
		}
		text_add(&t->body, l.buf, l.len, TUI_BAD);
	}
	sb_finish(&l);
	ends_free(&e);
	session_destroy(wa);
	session_destroy(wb);
	return true;
}

static const struct session *
selected(const struct tui *t)
{
	return t->norder ? t->s[t->order[t->sel]] : NULL;
}

static void
open_session(struct tui *t, size_t index, uint32_t at_line)
{
	size_t i;

	(void)i;
	t->cur = index;
	t->msel = 0;
	if (t->heavy)
		session_destroy(t->heavy);
	t->heavy = whole(t, t->s[index]);
	go(t, TUI_SESSION);
	build_session(t);
	/* at a finding: the message it is about */
	t->msel = ladder_row_at(t, at_line);
}

/* ---- search ---- */

static bool
matches(const struct tui *t, const char *s)
{
	return t->re && gram_regex_find(t->re, s, strlen(s));
}

/* The raw line of the session's input, read back (and masked, escaped). */
struct raw_grab {
	const struct tui *t;
	struct strbuf *out;
	uint32_t line;
	bool got;
};

static void
raw_one(void *ctx, uint32_t line, const char *p, size_t n, bool cut)
{
	struct raw_grab *g = ctx;

	(void)cut;
	g->line = line;
	g->got = true;
	render_safe_text(g->out, g->t->ro->grammar, g->t->ro, p, n);
}

static bool
raw_text(const struct tui *t, uint32_t line, struct strbuf *out)
{
	const struct session *s = cur_session(t);
	struct raw_grab g = { t, out, 0, false };

	if (!t->raw)
		return false;
	t->raw(t->raw_ctx, s->input, line, line, 1, raw_one, &g);
	return g.got;
}

static uint32_t
raw_first(const struct tui *t)
{
	return t->raw_all ? 1 : cur_session(t)->first_line;
}

static uint32_t
raw_last(const struct tui *t)
{
	return t->raw_all ? (t->raw_end ? t->raw_end : UINT32_MAX) : cur_session(t)->last_line;
}

/* Moves to the next (dir 1) or previous (-1) match in the current view. */
static void
search_step(struct tui *t, int dir)
{
	struct strbuf row;
	size_t i, n;

	if (!t->re) {
		snprintf(t->status, sizeof(t->status), "no search: / to give one");
		return;
	}
	sb_init(&row);
	if (t->view == TUI_LIST) {
		for (i = 1, n = t->norder; i <= n; i++) {
			size_t at = (t->sel + (dir > 0 ? i : n - i)) % (n ? n : 1);

			sb_reset(&row);
			row_text(t->s[t->order[at]], &row);
			if (matches(t, row.buf ? row.buf : "")) {
				t->sel = at;
				sb_finish(&row);
				return;
			}
		}
	} else if (t->view == TUI_RAW) {
		uint32_t first = raw_first(t), last = raw_last(t), k;
		uint32_t from = first + (uint32_t)t->vtop;

		/* forward or back from the top line, bounded by the session (or 1M lines) */
		for (k = 1; k < 1000000; k++) {
			uint32_t line = dir > 0 ? from + k : from - k;

			if (dir < 0 && (from < k || line < first))
				break;
			if (line > last)
				break;
			sb_reset(&row);
			if (!raw_text(t, line, &row))
				break;
			if (matches(t, row.buf ? row.buf : "")) {
				t->vtop = line - first;
				sb_finish(&row);
				return;
			}
		}
	} else if (t->view == TUI_SESSION) {
		/* the next message whose detail matches */
		for (i = 1, n = t->nladder; i <= n; i++) {
			size_t at = (t->msel + (dir > 0 ? i : n - i)) % (n ? n : 1), j;

			for (j = t->block_first[at]; j <= t->block_last[at] && j < t->detail.n; j++)
				if (matches(t, t->detail.line[j])) {
					t->msel = at;
					sb_finish(&row);
					return;
				}
		}
	} else {
		for (i = 1, n = t->body.n; i < n + 1; i++) {
			size_t at = (t->vtop + (dir > 0 ? i : n - i)) % (n ? n : 1);

			if (matches(t, t->body.line[at])) {
				t->vtop = at;
				if (t->view == TUI_FINDINGS)
					t->sel = at;
				sb_finish(&row);
				return;
			}
		}
	}
	sb_finish(&row);
	snprintf(t->status, sizeof(t->status), "no match for /%s/", t->search);
}

static void
set_search(struct tui *t, const char *pattern)
{
	char why[160];

	gram_regex_free(t->re);
	t->re = NULL;
	snprintf(t->search, sizeof(t->search), "%s", pattern);
	if (!*pattern)
		return;
	t->re = gram_regex_compile(pattern, true, why, sizeof(why));
	if (!t->re) {
		snprintf(t->status, sizeof(t->status), "/%s/: %s", pattern, why);
		return;
	}
	search_step(t, 1);
}

/* ---- keys ---- */

static size_t
rows_in(const struct tui *t)
{
	if (t->view == TUI_LIST)
		return t->norder;
	if (t->view == TUI_SESSION)
		return t->nladder;
	if (t->view == TUI_RAW)
		return raw_last(t) - raw_first(t) + 1;
	return t->body.n;
}

static bool
selecting(const struct tui *t)
{
	return t->view == TUI_LIST || t->view == TUI_FINDINGS;
}

static void
move(struct tui *t, long delta)
{
	size_t n = rows_in(t);
	size_t *at = t->view == TUI_SESSION ? &t->msel : selecting(t) ? &t->sel : &t->vtop;
	long v = (long)*at + delta;

	if (!n)
		return;
	if (v < 0)
		v = 0;
	if ((size_t)v >= n)
		v = (long)n - 1;
	*at = (size_t)v;
}

static bool
back(struct tui *t)
{
	if (!t->depth)
		return false;
	t->view = t->back[--t->depth];
	t->vtop = 0;
	t->status[0] = '\0';
	if (t->view == TUI_SESSION)
		build_session(t);
	else if (t->view == TUI_FINDINGS)
		build_findings(t);
	else if (t->view == TUI_TIMELINE)
		build_timeline(t);
	return true;
}

static void export(struct tui *t)
{
	char name[64];
	struct tui_line *lines;
	struct strbuf out;
	size_t n = rows_in(t), saved_top = t->vtop, saved_sel = t->sel,
	       saved_page = (size_t)t->page;
	FILE *fp;
	int rows;

	/* the whole view: one frame tall enough for all of it */
	if (n > 100000)
		n = 100000;
	rows = (int)n + 2;
	lines = xcalloc((size_t)rows, sizeof(*lines));
	t->vtop = 0;
	t->top = 0;
	tui_frame(t, rows, 1000, lines);
	sb_init(&out);
	tui_frame_text(lines, rows - 1, &out);
	tui_frame_free(lines, rows);
	free(lines);
	t->vtop = saved_top;
	t->sel = saved_sel;
	t->page = (int)saved_page;
	snprintf(name, sizeof(name), "ikescope-%s.txt", view_names[t->view]);
	fp = fopen(name, "w");
	if (fp && fwrite(out.buf ? out.buf : "", 1, out.len, fp) == out.len && !fclose(fp))
		snprintf(t->status, sizeof(t->status), "exported to %s", name);
	else
		snprintf(t->status, sizeof(t->status), "cannot write %s", name);
	sb_finish(&out);
}

bool
tui_key(struct tui *t, int key)
{
	if (t->prompting) {
		size_t len = strlen(t->input);

		if (key == TUI_KEY_ENTER) {
			t->prompting = false;
			if (t->prompt_kind == '/') {
				set_search(t, t->input);
			} else {
				snprintf(t->filter, sizeof(t->filter), "%s", t->input);
				reorder(t);
				snprintf(t->status, sizeof(t->status), "%zu of %zu sessions",
					 t->norder, t->n);
			}
		} else if (key == TUI_KEY_ESC) {
			t->prompting = false;
		} else if (key == TUI_KEY_BACKSPACE) {
			if (len)
				t->input[len - 1] = '\0';
		} else if (key >= 0x20 && key < 0x7f && len + 1 < sizeof(t->input)) {
			t->input[len] = (char)key;
			t->input[len + 1] = '\0';
		}
		return true;
	}
	t->status[0] = t->status[0] && key != TUI_KEY_RESIZE ? '\0' : t->status[0];
	switch (key) {
	case 'q':
	case TUI_KEY_ESC:
		if (!back(t))
			return key != 'q' ? true : false;
		return true;
	case 'j':
	case TUI_KEY_DOWN:
		move(t, 1);
		break;
	case 'k':
	case TUI_KEY_UP:
		move(t, -1);
		break;
	case TUI_KEY_PGDN:
		move(t, t->page > 1 ? t->page - 1 : 10);
		break;
	case TUI_KEY_PGUP:
		move(t, -(t->page > 1 ? t->page - 1 : 10));
		break;
	case 'g':
	case TUI_KEY_HOME:
		move(t, -(long)rows_in(t));
		break;
	case 'G':
	case TUI_KEY_END:
		move(t, (long)rows_in(t));
		break;
	case TUI_KEY_ENTER:
	case 'l':
	case TUI_KEY_RIGHT:
		if (t->view == TUI_LIST && t->norder)
			open_session(t, t->order[t->sel], 0);
		else if (t->view == TUI_FINDINGS && t->body.n)
			open_session(t, t->finding_session[t->sel], t->finding_line[t->sel]);
		else if (t->view == TUI_SESSION && t->nladder && t->raw) {
			uint32_t at = t->ladder[t->msel]->first_line;

			t->raw_all = false;
			go(t, TUI_RAW);
			t->vtop = at > raw_first(t) ? at - raw_first(t) : 0;
		}
		break;
	case 'v':
		if (t->view == TUI_SESSION) {
			go(t, TUI_TIMELINE);
			build_timeline(t);
		} else if (t->view == TUI_TIMELINE) {
			back(t);
		}
		break;
	case 'h':
	case TUI_KEY_LEFT:
		back(t);
		break;
	case TUI_KEY_TAB:
	case 'r':
		if (t->view == TUI_SESSION) {
			if (!t->raw) {
				snprintf(t->status, sizeof(t->status),
					 "the raw lines cannot be read back");
				break;
			}
			t->raw_all = false;
			go(t, TUI_RAW);
		} else if (t->view == TUI_RAW) {
			back(t);
		} else if (t->view == TUI_FINDINGS && t->body.n && t->raw) {
			/* the finding's own line, in its session's raw lines */
			uint32_t at = t->finding_line[t->sel];

			t->cur = t->finding_session[t->sel];
			if (t->heavy)
				session_destroy(t->heavy);
			t->heavy = whole(t, t->s[t->cur]);
			t->raw_all = false;
			go(t, TUI_RAW);
			t->vtop = at > raw_first(t) ? at - raw_first(t) : 0;
			snprintf(t->status, sizeof(t->status), "the finding's line L%u at the top",
				 at);
		}
		break;
	case 'D':
		if (t->view == TUI_LIST && t->norder && build_ends(t, selected(t)))
			go(t, TUI_DIFF);
		break;
	case 'a':
		if (t->view == TUI_RAW) {
			uint32_t at = raw_first(t) + (uint32_t)t->vtop;

			t->raw_all = !t->raw_all;
			t->vtop = at - raw_first(t);
		}
		break;
	case '/':
	case 'f':
		if (key == 'f' && t->view != TUI_LIST)
			break;
		t->prompting = true;
		t->prompt_kind = (char)key;
		snprintf(t->input, sizeof(t->input), "%s", key == 'f' ? t->filter : "");
		break;
	case 'n':
		search_step(t, 1);
		break;
	case 'N':
		search_step(t, -1);
		break;
	case 's':
		if (t->view == TUI_LIST) {
			t->sort = (enum sort_key)((t->sort + 1) % SORT_COUNT);
			reorder(t);
			snprintf(t->status, sizeof(t->status), "sorted by %s", sort_names[t->sort]);
		}
		break;
	case 'F':
		if (t->view == TUI_LIST) {
			go(t, TUI_FINDINGS);
			build_findings(t);
		}
		break;
	case 'm':
		if (t->view == TUI_LIST && t->norder) {
			t->mark = t->order[t->sel];
			t->marked = true;
			snprintf(t->status, sizeof(t->status),
				 "session %u marked: select another and press d",
				 t->s[t->mark]->number);
		}
		break;
	case 'd':
		if (t->view == TUI_LIST && t->norder) {
			if (!t->marked) {
				snprintf(t->status, sizeof(t->status), "mark a session first (m)");
				break;
			}
			go(t, TUI_DIFF);
			{
				struct session *wa = whole(t, t->s[t->mark]);
				struct session *wb = whole(t, selected(t));

				build_diff(t, wa ? wa : t->s[t->mark], wb ? wb : selected(t));
				session_destroy(wa);
				session_destroy(wb);
			}
		}
		break;
	case 'e':
		export(t);
		break;
	case '?':
		if (t->view != TUI_HELP) {
			go(t, TUI_HELP);
			build_help(t);
		}
		break;
	default:
		break;
	}
	return true;
}

/* ---- frames ---- */

/* Copies at most cols cells of p (UTF-8: a cell per code point), padded to cols. */
static char *
cell_text(const char *p, size_t n, int cols)
{
	struct strbuf out;
	size_t i = 0;
	int used = 0;

	sb_init(&out);
	while (i < n && used < cols) {
		size_t len = 1;
		unsigned char c = (unsigned char)p[i];

		if (c >= 0xc0)
			len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
		if (i + len > n)
			break;
		sb_add(&out, p + i, len);
		i += len;
		used++;
	}
	while (used++ < cols)
		sb_addc(&out, ' ');
	return sb_detach(&out);
}

static void
put(struct tui_line *out, int row, const char *p, size_t n, int cols, enum tui_style st)
{
	out[row].text = cell_text(p, n, cols);
	out[row].style = st;
}

static void
puts_(struct tui_line *out, int row, const char *s, int cols, enum tui_style st)
{
	put(out, row, s, strlen(s), cols, st);
}

struct raw_frame {
	struct tui *t;
	struct tui_line *out;
	int row, cols;
	uint32_t last;
};

static void
raw_row(void *ctx, uint32_t line, const char *p, size_t n, bool cut)
{
	struct raw_frame *f = ctx;
	const struct session *s = f->t->s[f->t->cur];
	struct strbuf l;

	sb_init(&l);
	sb_addf(&l, "L%-7u ", line);
	render_safe_text(&l, f->t->ro->grammar, f->t->ro, p, n);
	if (cut)
		sb_adds(&l, " [cut]");
	put(f->out, f->row++, l.buf, l.len, f->cols,
	    line >= s->first_line && line <= s->last_line && f->t->raw_all ? TUI_MARK
	    : f->t->re && matches(f->t, l.buf)                             ? TUI_MARK
									   : TUI_NORMAL);
	f->last = line;
	sb_finish(&l);
}

/* One ladder row: exchange, MID, an arrow in the direction it went, the payloads. */
static void
ladder_row(const struct tui *t, const struct message *m, struct strbuf *l)
{
	const struct session *s = cur_session(t);
	size_t i, nf = 0;

	/* the two ends as two columns, the message an arrow between them */
	sb_addf(l, "  %-14.14s %3u  local |%s| peer  %-8s ", m->exchange ? m->exchange : "?",
		m->mid,
		m->dir == MODEL_DIR_OUT  ? "---------->"
		: m->dir == MODEL_DIR_IN ? "<----------"
					 : "-----------",
		m->response ? "response" : "request");
	/* what matters first, before the payloads that may not fit */
	if (s->failure.cause && s->failure.line >= m->first_line && s->failure.line <= m->last_line)
		sb_adds(l, "FAILURE ");
	for (i = 0; i < s->nfindings; i++)
		nf += s->findings[i].line >= m->first_line && s->findings[i].line <= m->last_line;
	if (nf)
		sb_addf(l, "[%zu finding%s] ", nf, nf == 1 ? "" : "s");
	if (m->retransmits)
		sb_addf(l, "x%u ", m->retransmits + 1);
	for (i = 0; i < m->np; i++) {
		const char *ty = m->p[i].notify ? m->p[i].notify
				 : m->p[i].type ? m->p[i].type
						: "?";

		if (m->np > 1 && m->p[i].ptype == PROTO_PAYLOAD_SK)
			continue;
		if (i)
			sb_addc(l, ' ');
		escape_append(l, ty, strlen(ty));
	}
}

/*
 * The finding about the field a detail line shows ("KE  DH group 1  [length
 * 104, L47]": the first finding of line 47), or NULL.
 */
static const struct finding *
field_finding(const struct session *s, const char *d)
{
	const char *at = strstr(d, "[length ");
	unsigned long line;
	size_t i;

	if (!at || !(at = strstr(at, ", L")))
		return NULL;
	line = strtoul(at + 3, NULL, 10);
	for (i = 0; line && i < s->nfindings; i++)
		if (s->findings[i].line == line)
			return &s->findings[i];
	return NULL;
}

/* The session view: the ladder above, the selected message's detail below. */
static void
session_frame(struct tui *t, struct tui_line *out, int body, int cols)
{
	const struct session *s = cur_session(t);
	struct strbuf l;
	int lad = body / 2, r;
	size_t i;

	sb_init(&l);
	sb_adds(&l, "  local: this device, ");
	escape_append(&l, model_role_name(s->role), strlen(model_role_name(s->role)));
	sb_adds(&l, " ");
	escape_append(&l, s->local ? s->local : "?", strlen(s->local ? s->local : "?"));
	sb_adds(&l, "   peer: ");
	escape_append(&l, s->peer ? s->peer : "?", strlen(s->peer ? s->peer : "?"));
	sb_addf(&l, "   %s", model_outcome_name(s->outcome));
	if (s->failure.cause)
		sb_addf(&l, " (%s)", s->failure.cause);
	put(out, 1, l.buf, l.len, cols, outcome_style(s));
	if (lad < 2)
		lad = 2;
	if (t->msel < t->mtop)
		t->mtop = t->msel;
	if (t->msel >= t->mtop + (size_t)(lad - 1))
		t->mtop = t->msel - (size_t)(lad - 1) + 1;
	for (r = 0; r < lad - 1; r++) {
		size_t at = t->mtop + (size_t)r;

		if (at >= t->nladder) {
			puts_(out, 2 + r, at == 0 && r == 0 ? "  (no message)" : "", cols,
			      TUI_NORMAL);
			continue;
		}
		sb_reset(&l);
		ladder_row(t, t->ladder[at], &l);
		put(out, 2 + r, l.buf, l.len, cols, at == t->msel ? TUI_SELECTED : TUI_NORMAL);
	}
	sb_reset(&l);
	if (t->nladder)
		sb_addf(&l, "-- message %zu of %zu: L%u-L%u ", t->msel + 1, t->nladder,
			t->ladder[t->msel]->first_line, t->ladder[t->msel]->last_line);
	while (l.len < (size_t)cols)
		sb_addc(&l, '-');
	put(out, 1 + lad, l.buf, l.len, cols, TUI_HEADER);
	r = 2 + lad;
	if (t->nladder)
		for (i = t->block_first[t->msel];
		     i <= t->block_last[t->msel] && i < t->detail.n && r <= body; i++, r++) {
			const char *d = t->detail.line[i];
			const struct finding *f = field_finding(s, d);
			enum tui_style st = t->re && matches(t, d) ? TUI_MARK : t->detail.style[i];

			if (f) {
				/* the finding marked on the field it is about */
				sb_reset(&l);
				if (!strncmp(d, "        ",
					     8)) /* "!!" in the indent: seen on any width */
					sb_addf(&l, "    !!  %s", d + 8);
				else
					sb_adds(&l, d);
				sb_addf(&l, "  <- %s", f->id);
				put(out, r, l.buf, l.len, cols,
				    f->severity == MODEL_SEVERITY_ERROR ? TUI_BAD : TUI_WARN);
				continue;
			}
			put(out, r, d, strlen(d), cols, st);
		}
	/* what is about no message (state path, failure) fills the rest */
	if (r <= body && s->failure.cause) {
		sb_reset(&l);
		sb_addf(&l, "  FAILURE %s ", s->failure.exchange ? s->failure.exchange : "");
		escape_append(&l, s->failure.cause, strlen(s->failure.cause));
		put(out, r++, l.buf, l.len, cols, TUI_BAD);
		if (r <= body && (s->failure.explanation || s->failure.remedy)) {
			struct strbuf why;

			sb_init(&why);
			failure_sentence(&s->failure, &why);
			sb_reset(&l);
			sb_adds(&l, "          ");
			escape_append(&l, why.buf, why.len);
			sb_finish(&why);
			put(out, r++, l.buf, l.len, cols, TUI_BAD);
		}
	}
	for (; r <= body; r++)
		puts_(out, r, "", cols, TUI_NORMAL);
	sb_finish(&l);
}

void
tui_frame(struct tui *t, int rows, int cols, struct tui_line *out)
{
	struct strbuf l;
	int body = rows - 2, r;
	size_t i;

	memset(out, 0, (size_t)rows * sizeof(*out));
	if (rows < 3 || cols < 20) {
		for (r = 0; r < rows; r++)
			puts_(out, r, r ? "" : "ikescope: the screen is too small", cols,
			      TUI_STATUS);
		return;
	}
	t->page = body;
	sb_init(&l);
	/* title: counts per outcome and the view */
	{
		unsigned count[MODEL_OUTCOME_COUNT] = { 0 };

		for (i = 0; i < t->n; i++)
			count[t->s[i]->outcome]++;
		sb_addf(&l,
			"ikescope  %zu session%s: %u up, %u deleted, %u failed, %u incomplete  "
			"[%s]",
			t->n, t->n == 1 ? "" : "s", count[MODEL_OUTCOME_UP],
			count[MODEL_OUTCOME_DELETED], count[MODEL_OUTCOME_FAILED],
			count[MODEL_OUTCOME_INCOMPLETE], view_names[t->view]);
		if (t->view == TUI_LIST && (t->filter[0] || t->sort)) {
			sb_addf(&l, " sort %s", sort_names[t->sort]);
			if (t->filter[0]) {
				sb_adds(&l, " filter ");
				escape_append(&l, t->filter, strlen(t->filter));
			}
		}
		put(out, 0, l.buf, l.len, cols, TUI_HEADER);
	}
	if (t->view == TUI_LIST) {
		puts_(out, 1,
		      "     # SPI      ROLE EX PEER               USER/GROUP   OUTCOME    FAILURE",
		      cols, TUI_HEADER);
		body--;
		t->page = body;
		if (t->sel < t->top)
			t->top = t->sel;
		if (t->sel >= t->top + (size_t)body)
			t->top = t->sel - (size_t)body + 1;
		for (r = 0; r < body; r++) {
			size_t at = t->top + (size_t)r;

			if (at >= t->norder) {
				puts_(out, 2 + r, at == 0 && r == 0 ? "  (no session)" : "", cols,
				      TUI_NORMAL);
				continue;
			}
			sb_reset(&l);
			sb_adds(&l, t->marked && t->order[at] == t->mark ? "*" : " ");
			row_text(t->s[t->order[at]], &l);
			put(out, 2 + r, l.buf, l.len, cols,
			    at == t->sel ? TUI_SELECTED : outcome_style(t->s[t->order[at]]));
		}
	} else if (t->view == TUI_SESSION) {
		session_frame(t, out, body, cols);
	} else if (t->view == TUI_RAW) {
		struct raw_frame f = { t, out, 1, cols, 0 };
		uint32_t first = raw_first(t) + (uint32_t)t->vtop;
		uint32_t last = raw_last(t);
		uint32_t want = first + (uint32_t)body - 1;

		if (want > last || want < first)
			want = last;
		if (t->raw)
			t->raw(t->raw_ctx, cur_session(t)->input, first, want, (uint32_t)body,
			       raw_row, &f);
		if (f.row == 1 && t->vtop) {
			/* past the end of the log: back to its last page */
			t->raw_end = first - 1;
			t->vtop = t->raw_end > raw_first(t) + (uint32_t)body
					  ? t->raw_end - raw_first(t) - (uint32_t)body + 1
					  : 0;
		}
		if (f.row - 1 < body && f.last)
			t->raw_end = t->raw_all ? f.last : t->raw_end;
		for (r = f.row; r <= body; r++)
			puts_(out, r, r == f.row ? "(end)" : "", cols, TUI_NORMAL);
	} else {
		bool sel = selecting(t);

		if (sel) {
			if (t->sel < t->vtop)
				t->vtop = t->sel;
			if (t->sel >= t->vtop + (size_t)body)
				t->vtop = t->sel - (size_t)body + 1;
		} else if (t->body.n > (size_t)body && t->vtop > t->body.n - (size_t)body) {
			t->vtop = t->body.n - (size_t)body;
		}
		for (r = 0; r < body; r++) {
			size_t at = t->vtop + (size_t)r;

			if (at >= t->body.n) {
				puts_(out, 1 + r, at == 0 && r == 0 ? "  (nothing)" : "", cols,
				      TUI_NORMAL);
				continue;
			}
			put(out, 1 + r, t->body.line[at], strlen(t->body.line[at]), cols,
			    sel && at == t->sel                     ? TUI_SELECTED
			    : t->re && matches(t, t->body.line[at]) ? TUI_MARK
								    : t->body.style[at]);
		}
	}
	/* status line */
	sb_reset(&l);
	if (t->prompting) {
		sb_addc(&l, t->prompt_kind == '/' ? '/' : 'f');
		sb_adds(&l, t->prompt_kind == '/' ? "" : "ilter: ");
		escape_append(&l, t->input, strlen(t->input));
		sb_addc(&l, '_');
	} else if (t->status[0]) {
		sb_adds(&l, t->status);
	} else if (t->progress[0]) {
		escape_append(&l, t->progress, strlen(t->progress));
	} else if (t->view == TUI_LIST) {
		sb_adds(&l, "Enter open  / search  f filter  s sort  F findings  m mark  d diff  ? "
			    "help  q quit");
	} else if (t->view == TUI_SESSION) {
		sb_adds(&l, "j/k message  Enter its raw lines  Tab session's lines  v timeline  / "
			    "search  q back");
	} else if (t->view == TUI_TIMELINE) {
		sb_adds(&l, "j/k scroll  / search  e export  v ladder  q back");
	} else if (t->view == TUI_RAW) {
		sb_addf(&l, "%s  a whole log  / search  Tab back  q back",
			t->raw_all ? "whole log, session marked" : "the session's lines");
	} else {
		sb_adds(&l, "j/k move  Enter open  / search  q back");
	}
	put(out, rows - 1, l.buf, l.len, cols, TUI_STATUS);
	sb_finish(&l);
}

void
tui_frame_free(struct tui_line *lines, int rows)
{
	int r;

	for (r = 0; r < rows; r++)
		free(lines[r].text);
}

void
tui_frame_text(const struct tui_line *lines, int rows, struct strbuf *out)
{
	int r;

	for (r = 0; r < rows; r++) {
		const char *p = lines[r].text ? lines[r].text : "";
		size_t n = strlen(p);

		while (n && p[n - 1] == ' ')
			n--;
		sb_add(out, p, n);
		sb_addc(out, '\n');
	}
}

int
tui_script_key(const char **script)
{
	static const struct {
		const char *name;
		int key;
	} names[] = {
		{ "<enter>", TUI_KEY_ENTER },
		{ "<esc>", TUI_KEY_ESC },
		{ "<tab>", TUI_KEY_TAB },
		{ "<up>", TUI_KEY_UP },
		{ "<down>", TUI_KEY_DOWN },
		{ "<left>", TUI_KEY_LEFT },
		{ "<right>", TUI_KEY_RIGHT },
		{ "<pgup>", TUI_KEY_PGUP },
		{ "<pgdn>", TUI_KEY_PGDN },
		{ "<home>", TUI_KEY_HOME },
		{ "<end>", TUI_KEY_END },
		{ "<bs>", TUI_KEY_BACKSPACE },
		{ "<lt>", '<' },
	};
	const char *p = *script;
	size_t i;

	if (!p || !*p)
		return -1;
	if (*p == '\n') {
		*script = p + 1;
		return TUI_KEY_ENTER;
	}
	if (*p == '<')
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (!strncmp(p, names[i].name, strlen(names[i].name))) {
				*script = p + strlen(names[i].name);
				return names[i].key;
			}
	*script = p + 1;
	return (unsigned char)*p;
}
