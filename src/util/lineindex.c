/* Sparse line index and positioned re-reading of original lines. */
#include "ikescope/util/lineindex.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ikescope/util/xalloc.h"

void
line_index_init(struct line_index *li, int fd)
{
	memset(li, 0, sizeof(*li));
	li->fd = fd;
	line_index_note(li, 1, 0);
}

void
line_index_free(struct line_index *li)
{
	free(li->line);
	free(li->offset);
	memset(li, 0, sizeof(*li));
	li->fd = -1;
}

void
line_index_note(struct line_index *li, uint32_t line, uint64_t offset)
{
	if (li->n && line < li->line[li->n - 1] + LINEINDEX_STEP)
		return;
	if (li->n == li->cap) {
		li->cap = li->cap ? li->cap * 2 : 64;
		li->line = xreallocarray(li->line, li->cap, sizeof(*li->line));
		li->offset = xreallocarray(li->offset, li->cap, sizeof(*li->offset));
	}
	li->line[li->n] = line;
	li->offset[li->n] = offset;
	li->n++;
}

/* The last checkpoint at or before line. */
static size_t
checkpoint(const struct line_index *li, uint32_t line)
{
	size_t lo = 0, hi = li->n;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (li->line[mid] <= line)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

struct reader {
	int fd;
	uint64_t pos;
	char buf[65536];
	size_t len, at;
	bool eof;
};

static int
next_byte(struct reader *rd)
{
	if (rd->at == rd->len) {
		ssize_t got;

		if (rd->eof)
			return -1;
		do
			got = pread(rd->fd, rd->buf, sizeof(rd->buf), (off_t)rd->pos);
		while (got < 0 && errno == EINTR);
		if (got <= 0) {
			rd->eof = true;
			return -1;
		}
		rd->pos += (uint64_t)got;
		rd->len = (size_t)got;
		rd->at = 0;
	}
	return (unsigned char)rd->buf[rd->at++];
}

uint32_t
line_index_read(const struct line_index *li, uint32_t first, uint32_t last, uint32_t max_lines,
		line_fn fn, void *ctx)
{
	struct reader *rd;
	char line[LINEINDEX_MAX_LEN];
	uint32_t at, done = 0;
	size_t cp;

	if (!li->n || li->fd < 0 || first == 0 || last < first || !max_lines)
		return 0;
	cp = checkpoint(li, first);
	rd = xcalloc(1, sizeof(*rd));
	rd->fd = li->fd;
	rd->pos = li->offset[cp];
	at = li->line[cp];
	while (at < first) { /* skip to the first line wanted */
		int c = next_byte(rd);

		if (c < 0)
			goto out;
		if (c == '\n')
			at++;
	}
	while (at <= last && done < max_lines) {
		size_t n = 0;
		bool cut = false, any = false;
		int c;

		while ((c = next_byte(rd)) >= 0 && c != '\n') {
			any = true;
			if (n < sizeof(line))
				line[n++] = (char)c;
			else
				cut = true;
		}
		if (c < 0 && !any)
			break;
		if (n && line[n - 1] == '\r' && !cut)
			n--;
		fn(ctx, at, line, n, cut);
		done++;
		at++;
		if (c < 0)
			break;
	}
out:
	free(rd);
	return done;
}
