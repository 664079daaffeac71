#include "ikescope/util/escape.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

void
escape_byte(struct strbuf *out, unsigned char c)
{
	static const char digits[] = "0123456789abcdef";
	char b[4] = { '\\', 'x', digits[c >> 4], digits[c & 15] };

	sb_add(out, b, sizeof(b));
}

size_t
escape_utf8_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	size_t len, i;
	unsigned long cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static bool
is_c1(const unsigned char *p, size_t len)
{
	/* U+0080..U+009F encode as C2 80..C2 9F */
	return len == 2 && p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f;
}

void
escape_append(struct strbuf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		size_t len, run;

		/* printable ASCII and tabs go out as they are, a run at a time */
		for (run = i; run < n && ((p[run] >= 0x20 && p[run] < 0x7f) || p[run] == '\t');
		     run++)
			;
		if (run > i) {
			sb_add(out, s + i, run - i);
			i = run;
			continue;
		}
		len = escape_utf8_len(p + i, n - i);

		if (len == 1 && p[i] != '\t' && (p[i] < 0x20 || p[i] == 0x7f)) {
			escape_byte(out, p[i]);
			i++;
		} else if (len == 0) {
			escape_byte(out, p[i]);
			i++;
		} else if (is_c1(p + i, len)) {
			sb_addf(out, "\\u%04x", (unsigned)(p[i + 1]));
			i += len;
		} else {
			sb_add(out, s + i, len);
			i += len;
		}
	}
}

bool
escape_is_clean(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

#if defined(__SSE2__)
	/* most text is printable ASCII: sixteen bytes at a time while it is */
	while (i + 16 <= n) {
		__m128i v = _mm_loadu_si128((const __m128i *)(p + i));
		/* signed: bytes >= 0x80 are negative, so below 0x20 too */
		__m128i bad = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
					   _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f)));

		if (_mm_movemask_epi8(bad))
			break;
		i += 16;
	}
#endif
	/* eight bytes at a time while it is */
	while (i + 8 <= n) {
		const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
		uint64_t w, del;

		memcpy(&w, p + i, 8);
		del = w ^ (ones * 0x7f); /* a zero byte where w has DEL */
		/* a byte >= 0x80, < 0x20 or DEL; the borrow tricks are exact once no byte is >= 0x80 */
		if ((w & high) || ((w - ones * 0x20) & ~w & high) || ((del - ones) & ~del & high))
			break;
		i += 8;
	}
	while (i < n && p[i] >= 0x20 && p[i] < 0x7f)
		i++;
	while (i < n) {
		size_t len = escape_utf8_len(p + i, n - i);

		if (len == 0 || is_c1(p + i, len))
			return false;
		if (len == 1 && p[i] != '\t' && (p[i] < 0x20 || p[i] == 0x7f))
			return false;
		i += len;
	}
	return true;
}
