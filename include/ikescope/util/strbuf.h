#ifndef IKESCOPE_UTIL_STRBUF_H
#define IKESCOPE_UTIL_STRBUF_H

/*
 * Growable, always NUL-terminated byte buffer. The caller provides the
 * struct (sb_init/sb_finish); the bytes are owned by the struct.
 */

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "ikescope/util/compiler.h"

struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};

void sb_init(struct strbuf *sb);
void sb_finish(struct strbuf *sb);
void sb_grow(struct strbuf *sb, size_t extra);

static inline void
sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

/* Appending is inline: it runs for every byte the output is made of. */
static inline void
sb_add(struct strbuf *sb, const char *p, size_t n)
{
	if (sb->len + n + 1 > sb->cap)
		sb_grow(sb, n);
	if (n)
		memcpy(sb->buf + sb->len, p, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

static inline void
sb_addc(struct strbuf *sb, char c)
{
	if (sb->len + 2 > sb->cap)
		sb_grow(sb, 1);
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}

void sb_adds(struct strbuf *sb, const char *s);
void sb_addf(struct strbuf *sb, const char *fmt, ...) IKESCOPE_PRINTF_LIKE(2, 3);
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap) IKESCOPE_PRINTF_LIKE(2, 0);
void sb_truncate(struct strbuf *sb, size_t len);
/* Removes trailing blanks (space, tab). */
void sb_rtrim(struct strbuf *sb);
/* Takes the buffer out of the strbuf; the caller frees it with free(). */
char *sb_detach(struct strbuf *sb);

#endif
