#include "ikescope/util/jsonw.h"

#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define R16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x

/* Bytes a JSON string holds as they are: printable ASCII but '"' and '\\'. */
static const unsigned char plain_byte[256] = {
	R16(0), R16(0), 1,      1,      0,      1,      1,      1,      1,      1,      1, 1,
	1,      1,      1,      1,      1,      1,      R16(1), R16(1), 1,      1,      1, 1,
	1,      1,      1,      1,      1,      1,      1,      1,      0,      1,      1, 1,
	R16(1), R16(1), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0),
};

/* Bytes that need no UTF-8 check: ASCII but NUL. */
static const unsigned char ascii_byte[256] = {
	0,      1,      1,      1,      1,      1,      1,      1,      1,      1,      1,
	1,      1,      1,      1,      1,      R16(1), R16(1), R16(1), R16(1), R16(1), R16(1),
	R16(1), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0),
};

/*
 * The length of the run of bytes at s found in table t, sixteen at a time
 * (SSE2) while sixteen are left, then one at a time.
 */
static size_t
plain_run(const unsigned char *s, size_t n, bool ascii)
{
	const unsigned char *t = ascii ? ascii_byte : plain_byte;
	size_t i = 0;

#if defined(__SSE2__)
	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(s + i));
		/* bytes 0x80 and up are negative as signed bytes */
		__m128i bad = _mm_cmplt_epi8(v, _mm_set1_epi8(ascii ? 1 : 0x20));
		unsigned mask;

		if (!ascii)
			bad = _mm_or_si128(bad,
					   _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
							_mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
		mask = (unsigned)_mm_movemask_epi8(bad);
		if (mask)
			return i + (size_t)__builtin_ctz(mask);
	}
#endif
	while (i < n && t[s[i]])
		i++;
	return i;
}

void
jw_init(struct jw *w, struct strbuf *out, unsigned indent, unsigned base)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->indent = indent;
	w->depth = base < JW_MAX_DEPTH ? base : JW_MAX_DEPTH - 1;
	/* inside levels of its own: the first value needs no separator */
	w->after_key = base > 0;
}

static void
newline(struct jw *w, unsigned depth)
{
	static const char spaces[] =
		"\n                                                                ";
	size_t n;

	if (!w->indent)
		return;
	n = (size_t)depth * w->indent + 1;
	/* the newline and the first spaces at once, then the rest */
	sb_add(w->out, spaces, n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1);
	for (n -= n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1; n; n--)
		sb_addc(w->out, ' ');
}

/* Before a value: the separator from the one before, in an array. */
static void
value_begins(struct jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (!w->depth)
		return;
	if (!w->empty[w->depth])
		sb_addc(w->out, ',');
	w->empty[w->depth] = false;
	newline(w, w->depth);
}

void
jw_key(struct jw *w, const char *key)
{
	size_t n;
	char *p;

	if (w->depth && !w->empty[w->depth])
		sb_addc(w->out, ',');
	if (w->depth)
		w->empty[w->depth] = false;
	newline(w, w->depth);
	n = strlen(key);
	{
		/* a key is a name of ours, of plain bytes: written as it is, in one piece */
		if (w->out->len + n + 5 > w->out->cap)
			sb_grow(w->out, n + 4);
		p = w->out->buf + w->out->len;
		p[0] = '"';
		memcpy(p + 1, key, n);
		p[n + 1] = '"';
		p[n + 2] = ':';
		p[n + 3] = ' ';
		w->out->len += n + (w->indent ? 4 : 3);
		w->out->buf[w->out->len] = '\0';
	}
	w->after_key = true;
}

static void
open(struct jw *w, char c)
{
	value_begins(w);
	sb_addc(w->out, c);
	if (w->depth + 1 < JW_MAX_DEPTH)
		w->depth++;
	w->empty[w->depth] = true;
	w->close[w->depth] = c == '{' ? '}' : ']';
}

void
jw_object(struct jw *w)
{
	open(w, '{');
}

void
jw_array(struct jw *w)
{
	open(w, '[');
}

void
jw_end(struct jw *w)
{
	bool empty = w->empty[w->depth];
	char close = w->close[w->depth];

	if (w->depth)
		w->depth--;
	if (!empty)
		newline(w, w->depth);
	sb_addc(w->out, close);
}

void
jw_null(struct jw *w)
{
	value_begins(w);
	sb_adds(w->out, "null");
}

void
jw_bool(struct jw *w, bool v)
{
	value_begins(w);
	sb_adds(w->out, v ? "true" : "false");
}

void
jw_int(struct jw *w, long long v)
{
	char buf[24], *p = buf + sizeof(buf);
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;

	value_begins(w);
	/* digits from the last; no printf for the most frequent value of a document */
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	sb_add(w->out, p, (size_t)(buf + sizeof(buf) - p));
}

void
jw_str(struct jw *w, const char *s)
{
	if (!s) {
		jw_null(w);
		return;
	}
	jw_strn(w, s, strlen(s));
}

void
jw_strn_nocheck(struct jw *w, const char *s, size_t n)
{
	value_begins(w);
	jw_quote(w->out, s, n);
}

void
jw_strn(struct jw *w, const char *s, size_t n)
{
	value_begins(w);
	if (!jw_utf8_valid(s, n))
		sb_adds(w->out, "\"?\"");
	else
		jw_quote(w->out, s, n);
}

/* The code point at s (valid UTF-8, n bytes left); *len gets its length. */
static uint32_t
decode(const unsigned char *s, size_t *len)
{
	if (s[0] < 0x80) {
		*len = 1;
		return s[0];
	}
	if (s[0] < 0xe0) {
		*len = 2;
		return (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
	}
	if (s[0] < 0xf0) {
		*len = 3;
		return (uint32_t)(s[0] & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
	}
	*len = 4;
	return (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 |
	       (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
}

bool
jw_utf8_valid(const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0;

	while (i < n) {
		unsigned char c;
		size_t len, k;
		uint32_t cp;

		i += plain_run(s + i, n - i, true);
		if (i >= n)
			break;
		c = s[i];
		if (c < 0x80) {
			if (!c)
				return false; /* a NUL is not kept */
			i++;
			continue;
		}
		if (c < 0xc2 || c > 0xf4)
			return false;
		len = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
		if (i + len > n)
			return false;
		for (k = 1; k < len; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
		cp = decode(s + i, &len);
		if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += len;
	}
	return true;
}

void
jw_quote(struct strbuf *out, const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0, run;

	sb_addc(out, '"');
	while (i < n) {
		unsigned char c = s[i];
		size_t len;
		uint32_t cp;

		/* the plain bytes, in one piece */
		run = i + plain_run(s + i, n - i, false);
		if (run > i) {
			sb_add(out, p + i, run - i);
			i = run;
			continue;
		}
		switch (c) {
		case '"':
			sb_adds(out, "\\\"");
			i++;
			continue;
		case '\\':
			sb_adds(out, "\\\\");
			i++;
			continue;
		case '\b':
			sb_adds(out, "\\b");
			i++;
			continue;
		case '\f':
			sb_adds(out, "\\f");
			i++;
			continue;
		case '\n':
			sb_adds(out, "\\n");
			i++;
			continue;
		case '\r':
			sb_adds(out, "\\r");
			i++;
			continue;
		case '\t':
			sb_adds(out, "\\t");
			i++;
			continue;
		default:
			break;
		}
		if (c < 0x80) {
			sb_addf(out, "\\u%04X", c);
			i++;
			continue;
		}
		len = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
		if (i + len > n || !jw_utf8_valid(p + i, len)) {
			/* not UTF-8 (only text not checked comes here) */
			sb_adds(out, "\\uFFFD");
			i++;
			continue;
		}
		cp = decode(s + i, &len);
		if (cp < 0x10000) {
			sb_addf(out, "\\u%04X", cp);
		} else {
			cp -= 0x10000;
			sb_addf(out, "\\u%04X\\u%04X", 0xd800 | (cp >> 10), 0xdc00 | (cp & 0x3ff));
		}
		i += len;
	}
	sb_addc(out, '"');
}
