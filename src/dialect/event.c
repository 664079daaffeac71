/*
 * Events (event.h): their names, and reading the numbers of their
 * attributes. What a record means is the adapters' business (cisco.c).
 */
#include "ikescope/event.h"

#include <string.h>

#include "ikescope/dialect.h"

#define EVENT_NAME(e, name, summary) name,
static const char *const event_names[] = { IKE_EVENTS(EVENT_NAME) };
#undef EVENT_NAME

const char *
ike_event_name(enum ike_event_kind k)
{
	return (unsigned)k < IKE_EVENT_COUNT ? event_names[k] : "?";
}

/* 1 + the value of a hex digit, 0 for any other byte. */
static const unsigned char digit_value[256] = {
	['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,
	['6'] = 7,  ['7'] = 8,  ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12,
	['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16, ['A'] = 11, ['B'] = 12,
	['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/*
 * Eight hex digits at p as a number, all bytes at once: false if one is not
 * a hex digit. Each byte is checked by adding a bias that sets its high bit
 * when it is at or above a bound (no byte carries into the next: all are
 * below 0x80 by then).
 */
static bool
hex8(const char *p, uint32_t *out)
{
	const uint64_t high = 0x8080808080808080ull, ones = 0x0101010101010101ull;
	uint64_t w, l, digit, letter;

	memcpy(&w, p, 8);
	if (w & high)
		return false;
	l = w | ones * 0x20; /* letters in lower case (digits stay) */
	digit = (w + ones * (0x80 - '0')) & ~(w + ones * (0x80 - '9' - 1)) & high;
	letter = (l + ones * (0x80 - 'a')) & ~(l + ones * (0x80 - 'f' - 1)) & high;
	if ((digit | letter) != high)
		return false;
	/* the value of each digit, then the first byte's as the highest nibble */
	w = (w & ones * 0x0f) + (letter >> 7) * 9;
	w = ((w & 0x00ff00ff00ff00ffull) << 4) | ((w >> 8) & 0x00ff00ff00ff00ffull);
	w = ((w & 0x0000ffff0000ffffull) << 8) | ((w >> 16) & 0x0000ffff0000ffffull);
	w = ((w & 0x00000000ffffffffull) << 16) | (w >> 32);
	*out = (uint32_t)w;
	return true;
}

bool
ike_value_num(const struct gram_value *v, int base, unsigned long long *out)
{
	unsigned long long n = 0;
	size_t i = 0;

	if (!v || !v->len)
		return false;
	/* most numbers are short decimal ones: SA handles, lengths, ports */
	if (base == 10 && v->len <= 9) {
		for (; i < v->len; i++) {
			unsigned d = (unsigned)(unsigned char)v->p[i] - '0';

			if (d > 9)
				break;
			n = n * 10 + d;
		}
		if (i == v->len) {
			*out = n;
			return true;
		}
		i = 0;
		n = 0;
	}
	if (v->len > 2 && v->p[0] == '0' && (v->p[1] == 'x' || v->p[1] == 'X'))
		i = 2;
	/* no division per digit: this runs on every SPI and number of every record */
	if (base == 16 && v->len - i == 16) {
		/* the SPIs read last: a session's lines name the same ones again and again */
		static _Thread_local struct {
			uint64_t a, b, value;
		} seen[2];
		static _Thread_local unsigned next;
		uint64_t a, b;
		uint32_t hi, lo;
		unsigned k;

		memcpy(&a, v->p + i, 8);
		memcpy(&b, v->p + i + 8, 8);
		for (k = 0; k < 2; k++)
			if (seen[k].a == a && seen[k].b == b && (a | b)) {
				*out = seen[k].value;
				return true;
			}
		/* an SPI: eight digits at a time */
		if (!hex8(v->p + i, &hi) || !hex8(v->p + i + 8, &lo))
			return false;
		*out = (unsigned long long)hi << 32 | lo;
		k = next++ & 1;
		seen[k].a = a;
		seen[k].b = b;
		seen[k].value = *out;
		return true;
	}
	if (base == 16 && v->len - i == 8) {
		uint32_t w;

		/* a message ID as ASA prints it */
		if (!hex8(v->p + i, &w))
			return false;
		*out = w;
		return true;
	}
	if (base == 16) {
		for (; i < v->len; i++) {
			unsigned d = digit_value[(unsigned char)v->p[i]];

			if (!d || (n >> 60))
				return false;
			n = (n << 4) | (d - 1);
		}
	} else if (v->len - i <= 19) {
		/* 19 decimal digits cannot pass 2^64: no bound to check */
		for (; i < v->len; i++) {
			unsigned d = digit_value[(unsigned char)v->p[i]];

			if (!d || d > 10)
				return false;
			n = n * 10 + (d - 1);
		}
	} else {
		const unsigned long long most = ~0ull / 10; /* n * 10 stays in range */

		for (; i < v->len; i++) {
			unsigned d = digit_value[(unsigned char)v->p[i]];

			if (!d || d > 10 || n > most || (n == most && d - 1 > ~0ull % 10))
				return false;
			n = n * 10 + (d - 1);
		}
	}
	*out = n;
	return true;
}

void
dialect_event(const struct lex_record *rec, const struct gram_match *m, struct ike_event *ev)
{
	/* one adapter so far: every grammar file is of a Cisco dialect */
	dialect_cisco_event(rec, m, ev);
}
