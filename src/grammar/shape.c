/*
 * The shape of a text: the text with its numbers read as zeros.
 *
 * Most lines of a debug log differ from an earlier line only in their
 * numbers: SA numbers, SPIs, message IDs, ports, addresses, timestamps. The
 * rules of a grammar read the shape, so the answers kept for one line serve
 * every line of the same shape; the values a rule captures are still taken
 * from the real text, at the same offsets (a shape has the length of its
 * text).
 *
 * A number is a word (a run of letters, digits and '_') made of decimal
 * digits only; or made of hex digits, with a decimal digit, and at least
 * SHAPE_MIN_HEX long; or "0x" followed by hex digits (the "0x" stays); or
 * a byte of a hex dump: a word of two hex digits in a run of at least
 * SHAPE_MIN_DUMP of them, one space apart ("5b 9b fb 7b"), so that the lines
 * of every dump of random bytes (keys, nonces, hashes) share their shapes.
 * A rule that must tell numbers apart (one that names a digit, as in
 * "%ASA-7-711001") reads the real text instead: see shape_pattern_exact().
 */
#include "grammar-private.h"

#include <stdlib.h>
#include <string.h>

#include "ikescope/util/xalloc.h"

enum { C_WORD = 1, C_DIGIT = 2, C_HEX = 4 };

/* The classes of byte c, worked out when compiled: threads that load or shape at once share them. */
#define CLASS_OF(c)                                                                                \
	((((c) >= 'A' && (c) <= 'Z') || ((c) >= 'a' && (c) <= 'z') || (c) == '_' ? C_WORD : 0) |   \
	 ((c) >= '0' && (c) <= '9' ? C_WORD | C_DIGIT | C_HEX : 0) |                               \
	 (((c) >= 'A' && (c) <= 'F') || ((c) >= 'a' && (c) <= 'f') ? C_HEX : 0))
#define CLASS4(c)  CLASS_OF(c), CLASS_OF((c) + 1), CLASS_OF((c) + 2), CLASS_OF((c) + 3)
#define CLASS16(c) CLASS4(c), CLASS4((c) + 4), CLASS4((c) + 8), CLASS4((c) + 12)
#define CLASS64(c) CLASS16(c), CLASS16((c) + 16), CLASS16((c) + 32), CLASS16((c) + 48)

static const unsigned char class_table[256] = { CLASS64(0), CLASS64(64), CLASS64(128),
						CLASS64(192) };

static inline const unsigned char *
classes(void)
{
	return class_table;
}

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/*
 * Bit masks of 64 bytes of s from offset at (bit i: byte at + i): word
 * characters, decimal digits, and hex digits (digits included). Bytes past
 * n count as none.
 */
struct masks {
	uint64_t word, digit, hex;
};

#if defined(__SSE2__)
/* Bytes of v in [lo, hi], as a byte mask. */
static __m128i
in_range(__m128i v, unsigned char lo, unsigned char hi)
{
	/* unsigned c - lo <= hi - lo, done as a signed compare after a bias */
	__m128i d = _mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - lo)));

	return _mm_cmplt_epi8(d, _mm_set1_epi8((char)(0x80 + (hi - lo) + 1)));
}
#endif

static struct masks
masks_of(const unsigned char *s, size_t at, size_t n)
{
	struct masks m = { 0, 0, 0 };
	size_t i, end = n - at < 64 ? n - at : 64;

#if defined(__SSE2__)
	unsigned char pad[64];

	if (end < 64) {
		/* the last bytes, padded with NULs (no class) */
		memset(pad, 0, sizeof(pad));
		memcpy(pad, s + at, end);
		s = pad;
		at = 0;
	}
	for (i = 0; i < 64; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(s + at + i));
		__m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
		__m128i dig = in_range(v, '0', '9');
		__m128i alpha = in_range(lower, 'a', 'z');
		__m128i hexl = in_range(lower, 'a', 'f');
		__m128i under = _mm_cmpeq_epi8(v, _mm_set1_epi8('_'));

		m.word |= (uint64_t)(uint16_t)_mm_movemask_epi8(
				  _mm_or_si128(_mm_or_si128(dig, alpha), under))
			  << i;
		m.digit |= (uint64_t)(uint16_t)_mm_movemask_epi8(dig) << i;
		m.hex |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_or_si128(dig, hexl)) << i;
	}
#else
	const unsigned char *t = classes();

	for (i = 0; i < end; i++) {
		unsigned k = t[s[at + i]];

		m.word |= (uint64_t)(k & C_WORD ? 1 : 0) << i;
		m.digit |= (uint64_t)(k & C_DIGIT ? 1 : 0) << i;
		m.hex |= (uint64_t)(k & C_HEX ? 1 : 0) << i;
	}
#endif
	return m;
}

/* Zeroes the word s[start, end) if it is a number. */
static inline void
zero_word(char *s, size_t n, size_t start, size_t end, bool digits_only, bool hex_only, bool digit)
{
	const unsigned char *t = classes();
	size_t len = end - start, j;

	if (!digit)
		return;
	if (digits_only || (hex_only && len >= SHAPE_MIN_HEX)) {
		if (len < 8 && start + 8 <= n) {
			/* most numbers are short: eight bytes read, the word's made zeros */
			uint64_t w, mask = (1ull << (8 * len)) - 1;

			memcpy(&w, s + start, 8);
			w = (w & ~mask) | (0x3030303030303030ull & mask);
			memcpy(s + start, &w, 8);
		} else {
			memset(s + start, '0', len);
		}
		return;
	}
	if (len > 2 && s[start] == '0' && (s[start + 1] | 0x20) == 'x') {
		for (j = start + 2; j < end && (t[(unsigned char)s[j]] & C_HEX); j++)
			;
		if (j == end)
			memset(s + start + 2, '0', len - 2);
	}
}

/* True if s[i, i + 2) is a word of two hex digits (i + 2 <= n). */
static inline bool
dump_byte(const unsigned char *s, size_t n, size_t i, const unsigned char *t)
{
	return (t[s[i]] & C_HEX) && (t[s[i + 1]] & C_HEX) && (i == 0 || !(t[s[i - 1]] & C_WORD)) &&
	       (i + 2 == n || !(t[s[i + 2]] & C_WORD));
}

/* Zeroes the bytes of hex dumps in s: runs of SHAPE_MIN_DUMP or more "xx" words one space apart. */
static void
zero_dump_bytes(char *s, size_t n)
{
	const unsigned char *t = classes(), *p = (const unsigned char *)s;
	size_t i = 0;

	while (i + 3 * SHAPE_MIN_DUMP - 1 <= n) {
		size_t j = i, k = 0;

		if (!dump_byte(p, n, i, t)) {
			/* on to the next word: past this one and what follows it */
			while (i < n && (t[p[i]] & C_WORD))
				i++;
			while (i < n && !(t[p[i]] & C_WORD))
				i++;
			continue;
		}
		for (;;) {
			k++;
			if (j + 5 <= n && p[j + 2] == ' ' && dump_byte(p, n, j + 3, t))
				j += 3;
			else
				break;
		}
		if (k >= SHAPE_MIN_DUMP)
			for (size_t b = 0; b < k; b++)
				s[i + 3 * b] = s[i + 3 * b + 1] = '0';
		i = j + 2;
	}
}

/*
 * Where a hex dump may begin in 64 bytes (word and hex masks): bit i if
 * two-digit hex words start at i, i + 3, i + 6 and i + 9 (what is between
 * them is not looked at). A word at either end is taken as two digits long
 * if it may be: the answer is never short of the truth, only sometimes more.
 */
_Static_assert(SHAPE_MIN_DUMP == 4, "dump_runs() looks for runs of four");

static inline uint64_t
dump_runs(uint64_t w, uint64_t hex)
{
	uint64_t two = w & ~(w << 1) & ((w & ~(w >> 1)) >> 1) & hex & (hex >> 1);
	uint64_t link = two & (two >> 3);

	return link & (link >> 3) & (link >> 6);
}

/* Bits [from, to) of a 64-bit mask, 0 <= from <= to <= 64. */
static inline uint64_t
bits(unsigned from, unsigned to)
{
	uint64_t hi = to == 64 ? ~0ull : (1ull << to) - 1;

	return from == 64 ? 0 : hi & (~0ull << from);
}

/* Off: every shape is its text, and no answer is taken from the bytes of an
 * earlier line (for the test that the shapes change no answer). */
static bool shapes_off;

void
grammar_use_shapes(bool on)
{
	shapes_off = !on;
}

bool
shapes_on(void)
{
	return !shapes_off;
}

/*
 * The words are found 64 bytes at a time from bit masks. Only the words that
 * hold a digit can be numbers (the 0 of "0x" is one); a word that runs past
 * the end of a block is carried into the next.
 */
void
shape_zero(char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	bool open = false, o_digits = true, o_hex = true, o_digit = false;
	size_t o_start = 0, at;
	uint64_t dump = 0, pw = 0, ph = 0;

	if (shapes_off)
		return;
	for (at = 0; at < n; at += 64) {
		struct masks m = masks_of(p, at, n);
		uint64_t w = m.word;
		unsigned start, end;

		/* a dump within these 64 bytes, or across their start (the 64 bytes
		 * from the middle of the block before: a run is 11 bytes long) */
		dump |= dump_runs(w, m.hex);
		if (at)
			dump |= dump_runs(pw >> 32 | w << 32, ph >> 32 | m.hex << 32);
		pw = w;
		ph = m.hex;

		if (open) {
			/* the carried word goes on through the leading word bits */
			end = ~w ? (unsigned)__builtin_ctzll(~w) : 64;
			o_digits = o_digits && !(bits(0, end) & ~m.digit);
			o_hex = o_hex && !(bits(0, end) & ~m.hex);
			o_digit = o_digit || (bits(0, end) & m.digit);
			if (end == 64 && at + 64 < n)
				continue;
			zero_word(s, n, o_start, at + end > n ? n : at + end, o_digits, o_hex,
				  o_digit);
			open = false;
			w &= ~bits(0, end);
		}
		/* the words that hold a digit, one at a time */
		for (uint64_t dw = m.digit & w; dw;) {
			unsigned d = (unsigned)__builtin_ctzll(dw);
			uint64_t below = ~w & bits(0, d), above = ~w & bits(d, 64), run;

			start = below ? 64 - (unsigned)__builtin_clzll(below) : 0;
			end = above ? (unsigned)__builtin_ctzll(above) : 64;
			run = bits(start, end);
			dw &= ~run;
			if (end == 64 && at + 64 < n) {
				open = true;
				o_start = at + start;
				o_digits = !(run & ~m.digit);
				o_hex = !(run & ~m.hex);
				o_digit = true;
				break;
			}
			zero_word(s, n, at + start, at + end > n ? n : at + end, !(run & ~m.digit),
				  !(run & ~m.hex), true);
		}
		/* a word without a digit so far may still run on into the next block */
		if (!open && at + 64 < n && (w >> 63)) {
			uint64_t below = ~w;

			start = below ? 64 - (unsigned)__builtin_clzll(below) : 0;
			open = true;
			o_start = at + start;
			o_digits = !(bits(start, 64) & ~m.digit);
			o_hex = !(bits(start, 64) & ~m.hex);
			o_digit = false;
		}
	}
	if (open)
		zero_word(s, n, o_start, n, o_digits, o_hex, o_digit);
	/* most lines hold no hex dump: the pass that zeroes one is for those that may */
	if (dump)
		zero_dump_bytes(s, n);
}

/*
 * A text cut at p has the shape of its two parts if no word runs across
 * the cut (the byte before it is not a word character) and no hex dump
 * does: the words of a dump are one space apart, so a dump that crosses
 * the cut has a word just before it, or a space there after a word.
 */
static inline bool
cut_ok(const unsigned char *s, size_t p, const unsigned char *t)
{
	if (t[s[p - 1]] & C_WORD)
		return false;
	return s[p - 1] != ' ' || p < 2 || !(t[s[p - 2]] & C_WORD);
}

size_t
shape_after(char *out, const char *s, size_t n, const char *prev, const char *prev_shape, size_t pn)
{
	const unsigned char *t = classes(), *u = (const unsigned char *)s;
	size_t m = prev && n < pn ? n : prev ? pn : 0, p = 0;

	while (p + 8 <= m) {
		uint64_t a, b;

		memcpy(&a, s + p, 8);
		memcpy(&b, prev + p, 8);
		if (a != b) {
			/* little-endian: the first byte that differs is the lowest one */
			p += (size_t)__builtin_ctzll(a ^ b) / 8;
			m = p;
			break;
		}
		p += 8;
	}
	while (p < m && s[p] == prev[p])
		p++;
	while (p > 0 && !cut_ok(u, p, t))
		p--;
	if (p)
		memcpy(out, prev_shape, p);
	memcpy(out + p, s + p, n - p);
	shape_zero(out + p, n - p);
	return p;
}

bool
shape_boundary(const char *s, size_t n, size_t at)
{
	const unsigned char *t = classes();

	if (at == 0 || at >= n)
		return true;
	return !(t[(unsigned char)s[at - 1]] & C_WORD) || !(t[(unsigned char)s[at]] & C_WORD);
}

/* ---- which patterns must read the real text ---- */

/* Digits (bit d) a character class admits; *i is past its closing ']'. */
static unsigned
class_digits(const char *p, size_t *i)
{
	const unsigned all = 0x3ff;
	unsigned d = 0;
	bool neg = false, first = true;
	size_t j = *i + 1;

	if (p[j] == '^') {
		neg = true;
		j++;
	}
	while (p[j] && (p[j] != ']' || first)) {
		unsigned char lo = (unsigned char)p[j], hi;

		first = false;
		if (p[j] == '[' && p[j + 1] == ':') {
			const char *end = strstr(p + j + 2, ":]");

			if (!end)
				break;
			if (!strncmp(p + j + 2, "digit", 5) || !strncmp(p + j + 2, "alnum", 5) ||
			    !strncmp(p + j + 2, "xdigit", 6) || !strncmp(p + j + 2, "word", 4) ||
			    !strncmp(p + j + 2, "graph", 5) || !strncmp(p + j + 2, "print", 5))
				d = all;
			j = (size_t)(end - p) + 2;
			continue;
		}
		if (p[j] == '\\' && p[j + 1]) {
			char e = p[j + 1];

			if (e == 'd' || e == 'w' || e == 'S' || e == 'W' || e == 'D' || e == 'H' ||
			    e == 'V' || e == 'N' || e == 'p' || e == 'P' || e == 'h' || e == 's' ||
			    e == 'v') {
				/* \D \W \s \h \v admit no digit or all of them */
				if (e == 'd' || e == 'w' || e == 'S' || e == 'H' || e == 'V' ||
				    e == 'N')
					d = all;
				else if (e == 'p' || e == 'P')
					d = all ^ 1; /* a property: cannot tell, make it partial */
				j += 2;
				continue;
			}
			if (e == 'x' || e == 'o' || e == '0' || e == 'c') {
				/* a code by number: \xhh, \x{..}, \o{..}, \0oo, \cX */
				j += 2;
				if (p[j] == '{') {
					while (p[j] && p[j] != '}')
						j++;
					if (p[j])
						j++;
				} else {
					size_t k;

					for (k = 0; k < 2 && p[j] &&
						    strchr("0123456789abcdefABCDEF", p[j]);
					     k++)
						j++;
				}
				continue;
			}
			lo = (unsigned char)e;
			j += 2;
		} else {
			j++;
		}
		hi = lo;
		if (p[j] == '-' && p[j + 1] && p[j + 1] != ']') {
			hi = (unsigned char)p[j + 1];
			if (hi == '\\' && p[j + 2])
				hi = (unsigned char)p[j + 2], j++;
			j += 2;
		}
		for (unsigned c = lo; c <= hi && c <= '9'; c++)
			if (c >= '0')
				d |= 1u << (c - '0');
	}
	*i = p[j] ? j + 1 : j;
	return neg ? all & ~d : d;
}

/* One atom of a pattern: a literal character, or anything else (c == 0). */
struct atom {
	char c;
	bool repeated; /* followed by a quantifier: may be absent or repeated */
};

static bool
is_word(char c)
{
	return c && (classes()[(unsigned char)c] & C_WORD);
}

/* A word character that keeps its word from being a number: a letter past f, or '_'. */
static bool
keeps_word(const struct atom *run, size_t i)
{
	char c = run[i].c;

	if (c == 'x' || c == 'X')
		return !(i > 0 && run[i - 1].c == '0'); /* the x of "0x" does not */
	return c == '_' || ((c | 0x20) >= 'g' && (c | 0x20) <= 'z');
}

/*
 * True if a digit spelt out among the atoms may fall in a number. It cannot
 * when a word character next to it (a run of literal word characters, none
 * of them optional, on either side) keeps the word from being one; nor when
 * it is the 0 of "0x".
 */
static bool
atoms_name_digit(const struct atom *a, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		bool kept = false;

		if (a[i].c < '0' || a[i].c > '9')
			continue;
		if (a[i].c == '0' && i + 1 < n && !a[i + 1].repeated && (a[i + 1].c | 0x20) == 'x')
			continue;
		for (j = i; j > 0 && !kept && is_word(a[j - 1].c) && !a[j - 1].repeated; j--)
			kept = keeps_word(a, j - 1);
		for (j = i + 1; j < n && !kept && is_word(a[j].c) && !a[j].repeated; j++)
			kept = keeps_word(a, j);
		if (!kept)
			return true;
	}
	return false;
}

/* Skips a code given by number after a backslash (\xhh, \x{..}, \o{..}, \0oo, \cX). */
static size_t
skip_code(const char *p, size_t i)
{
	size_t k;

	if (p[i] == '{') {
		while (p[i] && p[i] != '}')
			i++;
		return p[i] ? i + 1 : i;
	}
	for (k = 0; k < 2 && p[i] && strchr("0123456789abcdefABCDEF", p[i]); k++)
		i++;
	return i;
}

static void
push(struct atom **a, size_t *n, size_t *cap, char c)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		*a = xreallocarray(*a, *cap, sizeof(**a));
	}
	(*a)[*n].c = c;
	(*a)[*n].repeated = false;
	(*n)++;
}

bool
shape_pattern_exact(const char *p)
{
	struct atom *a = NULL;
	size_t n = 0, cap = 0, i = 0;
	bool exact = false;

	if (!p)
		return false;
	while (p[i] && !exact) {
		char c = p[i];

		if (c == '\\') {
			char e = p[i + 1];

			if (!e)
				break;
			if ((e >= '1' && e <= '9') || e == 'g' || e == 'k' || e == 'p' ||
			    e == 'P') {
				exact = true; /* a back reference compares text; a property may name digits */
			} else if (e == 'Q') {
				const char *end = strstr(p + i + 2, "\\E");
				size_t stop = end ? (size_t)(end - p) : strlen(p);

				for (i += 2; i < stop; i++)
					push(&a, &n, &cap, p[i]);
				i = end ? stop + 2 : stop;
				continue;
			} else if (e == 'x' || e == 'o' || e == '0' || e == 'c') {
				i = skip_code(p, i + 2);
				push(&a, &n, &cap, 0);
				continue;
			} else if (strchr("dDwWsShHvVNRbBAzZGKXC", e)) {
				push(&a, &n, &cap, 0);
			} else {
				push(&a, &n, &cap, e); /* an escaped character stands for itself */
			}
			i += 2;
			continue;
		}
		if (c == '[') {
			unsigned d = class_digits(p, &i);

			if (d && d != 0x3ff)
				exact = true;
			push(&a, &n, &cap, 0);
			continue;
		}
		if (c == '{') {
			size_t j = i + 1;

			while (p[j] && strchr("0123456789,", p[j]))
				j++;
			if (p[j] == '}' && j > i + 1) {
				if (n)
					a[n - 1].repeated = true;
				i = j + 1;
				continue;
			}
		}
		if (c == '?' || c == '*' || c == '+') {
			if (n && !(i > 0 && strchr("?*+}", p[i - 1])))
				a[n - 1].repeated = true;
			push(&a, &n, &cap, 0);
			i++;
			continue;
		}
		if (c == '(' && p[i + 1] == '?') {
			size_t j = i + 2;

			if (p[j] == '#') {
				while (p[j] && p[j] != ')')
					j++;
			} else if ((p[j] == '<' && p[j + 1] != '=' && p[j + 1] != '!') ||
				   (p[j] == 'P' && p[j + 1] == '<')) {
				while (p[j] && p[j] != '>')
					j++;
			} else if (p[j] == '\'') {
				j++;
				while (p[j] && p[j] != '\'')
					j++;
			} else if (p[j] == '<') {
				j++; /* (?<= (?<! */
			} else if (!(p[j] && strchr("=!:>|", p[j]))) {
				/* option letters: (?i) (?J) (?i: */
				while (p[j] && p[j] != ')' && p[j] != ':')
					j++;
			}
			i = p[j] ? j + 1 : j;
			push(&a, &n, &cap, 0);
			continue;
		}
		push(&a, &n, &cap, strchr(".^$|()", c) ? 0 : c);
		i++;
	}
	exact = exact || atoms_name_digit(a, n);
	free(a);
	return exact;
}

bool
shape_literal_exact(const char *lit, size_t len)
{
	struct atom *a = xcalloc(len ? len : 1, sizeof(*a));
	size_t i;
	bool exact;

	for (i = 0; i < len; i++)
		a[i].c = lit[i] ? lit[i] : ' ';
	exact = atoms_name_digit(a, len);
	free(a);
	return exact;
}
