#include "ikescope/lexer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/util/escape.h"
#include "ikescope/util/xalloc.h"

/*
 * Records are queued in the order they begin. A queue entry may still be
 * open (the pending record that the next segment may continue, or a block
 * that has not seen its end); lex_next() hands out entries from the head
 * only once they are finished. Open entries are bounded in lines and bytes,
 * so the queue is too.
 */

struct entry {
	struct strbuf text;
	uint32_t first_line;
	uint32_t last_line;
	uint64_t offset;
	unsigned flags;
	const char *kind;
	bool open;
	bool stamped; /* began on a line that had a timestamp prefix */
	char stamp[LEX_MAX_STAMP + 1];
	uint8_t stamp_len;
	int block;            /* block index, or -1 */
	struct lex_hint hint; /* of a record that is one piece of a line, as it was cut */
	uint32_t member_lines;
	struct entry *next;
};

struct lex {
	FILE *fp;
	char *name;
	const struct lex_rules_ops *ops;
	void *ctx;
	struct lex_options opt;
	struct lex_stats stats;

	/* reading */
	char *rbuf;
	size_t rlen, rpos;
	bool eof;
	bool done;
	uint64_t offset;
	struct strbuf line;
	struct strbuf work;
	struct strbuf stamp; /* the timestamp of the line being lexed */

	/* queue */
	struct entry *head, *tail;
	struct entry *pending;      /* last plain record, still joinable */
	struct entry *consecutive;  /* open non-interleaved block */
	struct entry **interleaved; /* open interleaved block per block index */
	size_t ninterleaved;
	size_t nopen_interleaved; /* of them, those open */

	struct entry *out;   /* last record handed out */
	struct entry *spare; /* finished entries kept for reuse, with their buffers */
	size_t nspare;

	/* accounting of the physical line being lexed */
	bool line_in_record; /* some part of it is in a record */
	bool line_produced;  /* some entry (record or noise) holds it */
};

#define RBUF_SIZE 65536

const char *
lex_flag_name(unsigned flag)
{
#define FLAG_NAME(e, bit, name, meaning)                                                           \
	if (flag == LEX_REC_##e)                                                                   \
		return name;
	LEX_RECORD_FLAGS(FLAG_NAME)
#undef FLAG_NAME
	return NULL;
}

/* Finished entries kept for reuse, and the largest buffer one may keep. */
#define SPARE_MAX      64
#define SPARE_MAX_TEXT 65536

static const char *const BLANK = "blank";
static const char *const EMPTY = "empty";

struct lex *
lex_create(FILE *fp, const char *name, const struct lex_rules_ops *ops, void *ctx,
	   const struct lex_options *opt)
{
	struct lex *lx = xcalloc(1, sizeof(*lx));

	lx->fp = fp;
	lx->name = xstrdup(name);
	lx->ops = ops;
	lx->ctx = ctx;
	if (opt)
		lx->opt = *opt;
	if (!lx->opt.max_line)
		lx->opt.max_line = LEX_DEFAULT_MAX_LINE;
	if (!lx->opt.max_record)
		lx->opt.max_record = LEX_DEFAULT_MAX_RECORD;
	if (!lx->opt.max_join)
		lx->opt.max_join = LEX_DEFAULT_MAX_JOIN;
	if (!lx->opt.max_gap)
		lx->opt.max_gap = LEX_DEFAULT_MAX_GAP;
	lx->rbuf = xmalloc(RBUF_SIZE);
	sb_init(&lx->line);
	sb_init(&lx->work);
	sb_init(&lx->stamp);
	return lx;
}

static void
entry_free(struct entry *e)
{
	if (!e)
		return;
	sb_finish(&e->text);
	free(e);
}

/* Keeps a finished entry for reuse, or frees it. */
static void
entry_release(struct lex *lx, struct entry *e)
{
	if (!e)
		return;
	if (lx->nspare >= SPARE_MAX || e->text.cap > SPARE_MAX_TEXT) {
		entry_free(e);
		return;
	}
	e->next = lx->spare;
	lx->spare = e;
	lx->nspare++;
}

void
lex_destroy(struct lex *lx)
{
	struct entry *e, *n;

	if (!lx)
		return;
	for (e = lx->head; e; e = n) {
		n = e->next;
		entry_free(e);
	}
	entry_free(lx->out);
	for (e = lx->spare; e; e = n) {
		n = e->next;
		entry_free(e);
	}
	free(lx->interleaved);
	free(lx->rbuf);
	sb_finish(&lx->line);
	sb_finish(&lx->work);
	sb_finish(&lx->stamp);
	free(lx->name);
	free(lx);
}

const struct lex_stats *
lex_stats(const struct lex *lx)
{
	return &lx->stats;
}

const char *
lex_name(const struct lex *lx)
{
	return lx->name;
}

static struct entry *
entry_add(struct lex *lx, uint32_t line, uint64_t offset, unsigned flags, const char *kind)
{
	struct entry *e = lx->spare;

	if (e) {
		/* every field but the text buffer and the stamp bytes is set below */
		lx->spare = e->next;
		lx->nspare--;
		sb_reset(&e->text);
	} else {
		e = xcalloc(1, sizeof(*e));
		sb_init(&e->text);
	}
	e->first_line = e->last_line = line;
	e->offset = offset;
	e->stamp_len = 0;
	if (lx->stamp.len) {
		size_t n = lx->stamp.len < LEX_MAX_STAMP ? lx->stamp.len : LEX_MAX_STAMP;

		memcpy(e->stamp, lx->stamp.buf, n);
		e->stamp_len = (uint8_t)n;
	}
	e->flags = flags;
	e->kind = kind;
	e->open = false;
	e->stamped = false;
	e->block = -1;
	e->member_lines = 0;
	e->hint.p = NULL;
	e->hint.gen = 0;
	e->next = NULL;
	if (lx->tail)
		lx->tail->next = e;
	else
		lx->head = e;
	lx->tail = e;
	return e;
}

static void
close_pending(struct lex *lx)
{
	if (lx->pending) {
		lx->pending->open = false;
		lx->pending = NULL;
	}
}

static void
close_block(struct lex *lx, struct entry *e, bool complete)
{
	e->open = false;
	if (!complete)
		e->flags |= LEX_REC_INCOMPLETE;
	if (lx->consecutive == e)
		lx->consecutive = NULL;
	if (e->block >= 0 && (size_t)e->block < lx->ninterleaved &&
	    lx->interleaved[e->block] == e) {
		lx->interleaved[e->block] = NULL;
		lx->nopen_interleaved--;
	}
}

static void
noise(struct lex *lx, uint32_t line, uint64_t off, const char *kind, const char *s, size_t n,
      unsigned flags)
{
	struct entry *e = entry_add(lx, line, off, LEX_REC_NOISE | flags, kind);

	sb_add(&e->text, s, n);
	lx->stats.noise_records++;
	lx->line_produced = true;
}

static void
append_text(struct lex *lx, struct entry *e, const char *s, size_t n, char sep)
{
	lx->line_in_record = true;
	lx->line_produced = true;
	if (e->text.len >= lx->opt.max_record) {
		e->flags |= LEX_REC_TRUNCATED;
		return;
	}
	if (e->text.len + n + 1 > lx->opt.max_record) {
		n = lx->opt.max_record - e->text.len - 1;
		e->flags |= LEX_REC_TRUNCATED;
	}
	if (sep && e->text.len)
		sb_addc(&e->text, sep);
	sb_add(&e->text, s, n);
}

static void
trim(const char **s, size_t *n)
{
	while (*n && ((*s)[0] == ' ' || (*s)[0] == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

static bool
is_blank(const char *s, size_t n)
{
	trim(&s, &n);
	return n == 0;
}

/* One segment of a line: continue the pending record or start a new one. */
static void
segment(struct lex *lx, const char *s, size_t n, uint32_t line, uint64_t off, unsigned flags,
	bool stamped)
{
	const char *kind;
	struct entry *e;
	size_t drop;

	trim(&s, &n);
	if (!n)
		return;
	kind = lx->ops->noise(lx->ctx, s, n);
	if (kind) {
		noise(lx, line, off, kind, s, n, flags);
		return;
	}
	if (lx->pending && lx->pending->text.len < lx->opt.max_join &&
	    lx->ops->joins(lx->ctx, lx->pending->text.buf, lx->pending->text.len,
			   &lx->pending->hint, s, n, &drop)) {
		e = lx->pending;
		e->hint.p = NULL;
		s += drop;
		n -= drop;
		trim(&s, &n);
		append_text(lx, e, s, n, ' ');
		if (e->last_line != line)
			e->flags |= LEX_REC_JOINED;
		e->last_line = line;
		e->flags |= flags;
		return;
	}
	close_pending(lx);
	e = entry_add(lx, line, off, flags, NULL);
	e->open = true;
	e->stamped = stamped;
	append_text(lx, e, s, n, 0);
	if (lx->ops->hint && !(e->flags & LEX_REC_TRUNCATED))
		lx->ops->hint(lx->ctx, s, n, &e->hint);
	lx->pending = e;
	lx->stats.records++;
}

static struct entry **
interleaved_slot(struct lex *lx, int b)
{
	if ((size_t)b >= lx->ninterleaved) {
		size_t n = (size_t)b + 1;

		lx->interleaved = xreallocarray(lx->interleaved, n, sizeof(*lx->interleaved));
		memset(lx->interleaved + lx->ninterleaved, 0,
		       (n - lx->ninterleaved) * sizeof(*lx->interleaved));
		lx->ninterleaved = n;
	}
	return &lx->interleaved[b];
}

static void
block_append(struct lex *lx, struct entry *e, const char *s, size_t n, uint32_t line,
	     unsigned flags)
{
	append_text(lx, e, s, n, '\n');
	e->last_line = line;
	e->flags |= flags;
	e->member_lines++;
	if (e->member_lines >= lx->ops->block_max_lines(lx->ctx, e->block))
		close_block(lx, e, false);
}

/* Tries the open blocks; returns true if the line was taken by one. */
static bool
blocks(struct lex *lx, const char *s, size_t n, uint32_t line, uint64_t off, unsigned flags)
{
	const struct lex_rules_ops *ops = lx->ops;
	size_t i, ncuts;
	int b;
	struct entry *e;

	for (i = 0; i < lx->ninterleaved; i++) {
		e = lx->interleaved[i];
		if (!e)
			continue;
		if (ops->block_end(lx->ctx, (int)i, s, n)) {
			block_append(lx, e, s, n, line, flags);
			close_block(lx, e, true);
			return true;
		}
		if (ops->block_restart(lx->ctx, (int)i, s, n)) {
			close_block(lx, e, false);
			continue;
		}
		if (ops->block_member(lx->ctx, (int)i, s, n)) {
			block_append(lx, e, s, n, line, flags);
			return true;
		}
	}
	e = lx->consecutive;
	if (e) {
		if (ops->block_end(lx->ctx, e->block, s, n)) {
			block_append(lx, e, s, n, line, flags);
			close_block(lx, e, true);
			return true;
		}
		/* a new record of any kind ends an entry that needs no terminator */
		if (ops->block_start(lx->ctx, s, n) >= 0 || ops->starts(lx->ctx, s, n) ||
		    (ops->split(lx->ctx, s, n, &ncuts), ncuts)) {
			close_block(lx, e, true);
		} else if (ops->block_member(lx->ctx, e->block, s, n)) {
			block_append(lx, e, s, n, line, flags);
			return true;
		} else {
			return false;
		}
	}
	b = ops->block_start(lx->ctx, s, n);
	if (b < 0)
		return false;
	close_pending(lx);
	e = entry_add(lx, line, off, flags | LEX_REC_BLOCK, ops->block_name(lx->ctx, b));
	e->open = true;
	e->block = b;
	append_text(lx, e, s, n, 0);
	e->member_lines = 1;
	lx->stats.records++;
	if (ops->block_end(lx->ctx, b, s, n)) {
		e->open = false;
		return true;
	}
	if (ops->block_interleaved(lx->ctx, b)) {
		struct entry **slot = interleaved_slot(lx, b);

		if (!*slot)
			lx->nopen_interleaved++;
		*slot = e;
	} else
		lx->consecutive = e;
	return true;
}

/* One logical line (a physical line, or a part of one cut at a lone CR). */
static void
logical_line(struct lex *lx, const char *s, size_t n, uint32_t line, uint64_t off, unsigned flags)
{
	struct strbuf *w = &lx->work;
	const struct lex_cut *cuts;
	const char *kind;
	unsigned cleaned;
	size_t pos, ncuts, i;
	bool stamped;

	sb_reset(&lx->stamp);
	if (lx->ops->line)
		lx->ops->line(lx->ctx, s, n);
	if (is_blank(s, n)) {
		if (lx->consecutive &&
		    lx->ops->block_member(lx->ctx, lx->consecutive->block, "", 0)) {
			block_append(lx, lx->consecutive, "", 0, line, flags);
			return;
		}
		noise(lx, line, off, BLANK, "", 0, flags);
		return;
	}
	/* whole-line noise is judged on the line as printed (prompt + command) */
	kind = lx->ops->noise(lx->ctx, s, n);
	if (kind && lx->consecutive) {
		struct entry *e = lx->consecutive;

		if (lx->ops->block_end(lx->ctx, e->block, s, n)) {
			block_append(lx, e, s, n, line, flags);
			close_block(lx, e, true);
			return;
		}
		/*
		 * Noise ends the entry (a prompt, a command, a separator), except
		 * what the block passes over (the code fences of a published copy).
		 */
		if (lx->ops->block_member(lx->ctx, e->block, s, n))
			close_block(lx, e, true);
	}
	if (kind) {
		noise(lx, line, off, kind, s, n, flags);
		return;
	}
	sb_reset(w);
	sb_add(w, s, n);
	cleaned = lx->ops->clean(lx->ctx, w, &lx->stamp);
	if (cleaned)
		flags |= LEX_REC_CLEANED;
	stamped = cleaned & LEX_CLEAN_STAMP;
	if (is_blank(w->buf, w->len)) {
		/* a list number or bullet alone: the blank line of a published copy */
		if ((cleaned & LEX_CLEAN_MARKUP) && !(cleaned & LEX_CLEAN_PROMPT) &&
		    lx->consecutive &&
		    lx->ops->block_member(lx->ctx, lx->consecutive->block, "", 0)) {
			block_append(lx, lx->consecutive, "", 0, line, flags);
			return;
		}
		noise(lx, line, off,
		      (cleaned & LEX_CLEAN_PROMPT)   ? "prompt"
		      : (cleaned & LEX_CLEAN_MARKUP) ? BLANK
						     : EMPTY,
		      s, n, flags);
		return;
	}
	/* a published copy's markup gone (a list number, a bullet), the line is judged again */
	if ((cleaned & LEX_CLEAN_MARKUP) && (kind = lx->ops->noise(lx->ctx, w->buf, w->len))) {
		struct entry *e = lx->consecutive;

		/* as above: a block may end on it, or pass over it */
		if (e && lx->ops->block_end(lx->ctx, e->block, w->buf, w->len)) {
			block_append(lx, e, w->buf, w->len, line, flags);
			close_block(lx, e, true);
			return;
		}
		if (e && lx->ops->block_member(lx->ctx, e->block, w->buf, w->len))
			close_block(lx, e, true);
		noise(lx, line, off, kind, s, n, flags);
		return;
	}
	if (blocks(lx, w->buf, w->len, line, off, flags))
		return;
	/*
	 * A line without a timestamp after timestamped ones continues the record
	 * (IOS wraps long lines), unless it is a record by itself (IOS-XE prints
	 * payload dumps without timestamps).
	 */
	if (!stamped && lx->pending && lx->pending->stamped &&
	    !lx->ops->starts(lx->ctx, w->buf, w->len)) {
		const char *t = w->buf;
		size_t tn = w->len;

		trim(&t, &tn);
		if (lx->ops->is_record(lx->ctx, t, tn))
			goto split;
		append_text(lx, lx->pending, t, tn, ' ');
		lx->pending->hint.p = NULL;
		lx->pending->last_line = line;
		lx->pending->flags |= LEX_REC_JOINED | flags;
		return;
	}
split:
	cuts = lx->ops->split(lx->ctx, w->buf, w->len, &ncuts);
	pos = 0;
	for (i = 0; i <= ncuts; i++) {
		size_t cut = i < ncuts ? cuts[i].at : w->len;

		if (cut < pos)
			continue;
		segment(lx, w->buf + pos, cut - pos, line, off, flags | (ncuts ? LEX_REC_SPLIT : 0),
			stamped);
		if (i < ncuts)
			pos = cuts[i].resume > cut ? cuts[i].resume : cut;
	}
	/* every line must land somewhere */
	if (!lx->line_produced)
		noise(lx, line, off, EMPTY, s, n, flags);
}

/*
 * Open entries hold back everything queued behind them, so none may wait
 * long: a joinable record waits max_gap lines for its continuation, an
 * interleaved block at most its max-lines from its first line.
 */
static void
expire(struct lex *lx, uint32_t line)
{
	size_t i;

	if (lx->pending && line - lx->pending->last_line > lx->opt.max_gap)
		close_pending(lx);
	for (i = 0; lx->nopen_interleaved && i < lx->ninterleaved; i++) {
		struct entry *e = lx->interleaved[i];

		if (e && line - e->first_line >= lx->ops->block_max_lines(lx->ctx, e->block))
			close_block(lx, e, false);
	}
}

/*
 * A whole line decided by the rules at once (lex_rules_ops.plan): the same
 * entries as logical_line() would make, without its questions. False: lex
 * it step by step.
 */
static bool
planned_line(struct lex *lx, const char *s, size_t n, uint32_t line, uint64_t off)
{
	struct entry *e = lx->pending;
	const char *head = NULL;
	const struct lex_hint *hh = NULL;
	struct lex_plan p;
	size_t i, hn = 0;

	if (!lx->ops->plan || lx->consecutive || lx->nopen_interleaved)
		return false;
	if (e && e->text.len < lx->opt.max_join) {
		head = e->text.buf;
		hn = e->text.len;
		hh = &e->hint;
	}
	/* the rules fill in what the kind they set needs (no memset: this runs per line) */
	p.kind = 0;
	if (!lx->ops->plan(lx->ctx, s, n, head, hn, hh, &p))
		return false;
	sb_reset(&lx->stamp);
	if (p.kind == LEX_PLAN_NOISE) {
		noise(lx, line, off, p.noise, s, n, 0);
		return true;
	}
	/* a line without a timestamp after a timestamped record may continue it */
	if (!(p.clean & LEX_CLEAN_STAMP) && e && e->stamped)
		return false;
	for (i = 0; i < p.nstamps && i < LEX_PLAN_STAMPS; i++) {
		if (lx->stamp.len)
			sb_addc(&lx->stamp, ' ');
		sb_add(&lx->stamp, s + p.stamp_at[i][0], p.stamp_at[i][1]);
	}
	close_pending(lx);
	e = entry_add(lx, line, off, p.clean ? LEX_REC_CLEANED : 0, NULL);
	e->open = true;
	e->stamped = (p.clean & LEX_CLEAN_STAMP) != 0;
	append_text(lx, e, s + p.at, p.len, 0);
	if (!(e->flags & LEX_REC_TRUNCATED))
		e->hint = p.hint;
	lx->pending = e;
	lx->stats.records++;
	return true;
}

/*
 * A byte that is not UTF-8, as the Windows-1252 character it stands for
 * (Latin-1 above 0x9f): logs pasted from Windows tools mix both. The five
 * bytes that code page leaves undefined are written as \xNN text.
 */
static void
cp1252(struct strbuf *out, unsigned char c)
{
	static const unsigned short c1[32] = {
		0x20ac, 0,      0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
		0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017d, 0,
		0,      0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
		0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0,      0x017e, 0x0178,
	};
	unsigned cp = c >= 0xa0 ? c : c >= 0x80 ? c1[c - 0x80] : 0;

	if (!cp) {
		escape_byte(out, c);
	} else if (cp < 0x800) {
		sb_addc(out, (char)(0xc0 | (cp >> 6)));
		sb_addc(out, (char)(0x80 | (cp & 0x3f)));
	} else {
		sb_addc(out, (char)(0xe0 | (cp >> 12)));
		sb_addc(out, (char)(0x80 | ((cp >> 6) & 0x3f)));
		sb_addc(out, (char)(0x80 | (cp & 0x3f)));
	}
}

/* Makes the bytes of one physical line valid UTF-8 without NUL, then feeds it. */
static void
physical_line(struct lex *lx, char *s, size_t n, uint32_t line, uint64_t off, unsigned flags)
{
	const unsigned char *p;
	size_t i, start;
	bool clean;

	if (n >= 3 && (unsigned char)s[0] == 0xef && (unsigned char)s[1] == 0xbb &&
	    (unsigned char)s[2] == 0xbf) {
		s += 3;
		n -= 3;
		lx->stats.bom++;
	}
	if (n && s[n - 1] == '\r') {
		n--;
		lx->stats.crlf_lines++;
	}
	/* a clean line (most) holds no CR, NUL or other control: nothing more to look for */
	clean = escape_is_clean(s, n);
	if (!clean && memchr(s, '\r', n))
		lx->stats.cr_lines++;
	p = (const unsigned char *)s;
	if (!clean) {
		struct strbuf *w = &lx->line;
		struct strbuf fixed;
		bool nul = false, bad = false;

		sb_init(&fixed);
		for (i = 0; i < n;) {
			size_t len = escape_utf8_len(p + i, n - i);

			if (p[i] == 0) {
				nul = true;
				lx->stats.control_bytes++;
				sb_adds(&fixed, "\xef\xbf\xbd");
				i++;
			} else if (!len) {
				/* not UTF-8: a byte of a legacy 8-bit encoding, read as Windows-1252 */
				bad = true;
				cp1252(&fixed, p[i]);
				i++;
			} else if (len == 1 && p[i] < 0x20 && p[i] != '\t' && p[i] != '\r') {
				/* other C0 controls: keep visible, never raw */
				escape_byte(&fixed, p[i]);
				lx->stats.control_bytes++;
				i++;
			} else {
				sb_add(&fixed, s + i, len);
				i += len;
			}
		}
		if (nul) {
			flags |= LEX_REC_NUL;
			if (!lx->stats.nul_lines++)
				lx->stats.first_nul_line = line;
		}
		if (bad) {
			flags |= LEX_REC_BADUTF8;
			if (!lx->stats.badutf8_lines++)
				lx->stats.first_badutf8_line = line;
		}
		sb_reset(w);
		sb_add(w, fixed.buf ? fixed.buf : "", fixed.len);
		sb_finish(&fixed);
		s = w->buf;
		n = w->len;
	}
	lx->line_in_record = false;
	lx->line_produced = false;
	expire(lx, line);
	if (!flags && n && clean && planned_line(lx, s, n, line, off)) {
		if (!lx->line_in_record)
			lx->stats.noise_lines++;
		return;
	}
	/* a lone CR ends a logical line (old line ends, terminal redraws) */
	start = 0;
	for (;;) {
		const char *cr = memchr(s + start, '\r', n - start);

		i = cr ? (size_t)(cr - s) : n;
		if (i > start || start == 0)
			logical_line(lx, s + start, i - start, line, off, flags);
		if (!cr)
			break;
		start = i + 1;
	}
	if (!lx->line_in_record)
		lx->stats.noise_lines++;
}

static bool
fill(struct lex *lx, struct err *err)
{
	size_t got;

	if (lx->eof)
		return false;
	got = fread(lx->rbuf, 1, RBUF_SIZE, lx->fp);
	if (got == 0) {
		if (ferror(lx->fp)) {
			err_set(err, ERR_IO, &(struct loc){ lx->name, 0, 0 }, "read error: %s",
				strerror(errno));
			lx->eof = true;
			return false;
		}
		lx->eof = true;
		return false;
	}
	lx->rlen = got;
	lx->rpos = 0;
	return true;
}

/*
 * Reads one physical line: *line and *len get it, in the read buffer when it
 * is all there (most lines), else in lx->line. False at end of input.
 */
static bool
read_line(struct lex *lx, char **line, size_t *len, unsigned *flags, uint64_t *start,
	  struct err *err)
{
	bool any = false;

	sb_reset(&lx->line);
	*flags = 0;
	*start = lx->offset;
	if (lx->rpos < lx->rlen) {
		char *p = lx->rbuf + lx->rpos;
		char *nl = memchr(p, '\n', lx->rlen - lx->rpos);
		size_t take = nl ? (size_t)(nl - p) : 0;

		if (nl && take <= lx->opt.max_line) {
			lx->rpos += take + 1;
			lx->offset += take + 1;
			lx->stats.bytes = lx->offset;
			*line = p;
			*len = take;
			return true;
		}
	}
	*line = NULL;
	for (;;) {
		char *nl;
		size_t take, avail;

		if (lx->rpos >= lx->rlen && !fill(lx, err))
			break;
		any = true;
		avail = lx->rlen - lx->rpos;
		nl = memchr(lx->rbuf + lx->rpos, '\n', avail);
		take = nl ? (size_t)(nl - (lx->rbuf + lx->rpos)) : avail;
		if (lx->line.len < lx->opt.max_line) {
			size_t keep = take;

			if (lx->line.len + keep > lx->opt.max_line) {
				keep = lx->opt.max_line - lx->line.len;
				*flags |= LEX_REC_TRUNCATED;
			}
			sb_add(&lx->line, lx->rbuf + lx->rpos, keep);
		} else if (take) {
			*flags |= LEX_REC_TRUNCATED;
		}
		lx->rpos += take;
		lx->offset += take;
		if (nl) {
			lx->rpos++;
			lx->offset++;
			lx->stats.bytes = lx->offset;
			*line = lx->line.buf ? lx->line.buf : "";
			*len = lx->line.len;
			return true;
		}
	}
	lx->stats.bytes = lx->offset;
	if (any && (lx->line.len || *flags)) {
		lx->stats.unterminated = 1;
		*line = lx->line.buf ? lx->line.buf : "";
		*len = lx->line.len;
		return true;
	}
	return false;
}

static void
finish_all(struct lex *lx)
{
	size_t i;

	close_pending(lx);
	/* an entry that needs no terminator is complete at the end of input */
	if (lx->consecutive)
		close_block(lx, lx->consecutive, true);
	for (i = 0; i < lx->ninterleaved; i++)
		if (lx->interleaved[i])
			close_block(lx, lx->interleaved[i], false);
}

bool
lex_next(struct lex *lx, struct lex_record *rec, struct err *err)
{
	struct entry *e;

	entry_release(lx, lx->out);
	lx->out = NULL;
	while (!lx->head || lx->head->open) {
		unsigned flags;
		uint64_t start;
		char *line;
		size_t len;

		if (lx->done)
			return false;
		if (!read_line(lx, &line, &len, &flags, &start, err)) {
			if (err_is_set(err))
				return false;
			lx->done = true;
			finish_all(lx);
			if (!lx->head)
				return false;
			continue;
		}
		lx->stats.lines++;
		if ((flags & LEX_REC_TRUNCATED) && !lx->stats.truncated_lines++)
			lx->stats.first_truncated_line =
				(uint32_t)lx->stats.lines +
				(lx->opt.first_line ? lx->opt.first_line - 1 : 0);
		physical_line(lx, line, len,
			      (uint32_t)lx->stats.lines +
				      (lx->opt.first_line ? lx->opt.first_line - 1 : 0),
			      start, flags);
	}
	e = lx->head;
	lx->head = e->next;
	if (!lx->head)
		lx->tail = NULL;
	e->next = NULL;
	lx->out = e;
	rec->input = lx->name;
	rec->first_line = e->first_line;
	rec->last_line = e->last_line;
	rec->offset = e->offset;
	rec->text = e->text.buf ? e->text.buf : "";
	rec->len = e->text.len;
	rec->flags = e->flags;
	rec->kind = e->kind;
	rec->stamp = e->stamp_len ? e->stamp : NULL;
	rec->stamp_len = e->stamp_len;
	rec->hint = e->hint;
	return true;
}
