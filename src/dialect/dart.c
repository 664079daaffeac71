/* The AnyConnect client's DART log: what its entries' words mean. */
#include <string.h>

#include "ikescope/dialect.h"
#include "ikescope/util/strbuf.h"

/*
 * A DART entry's description as one line: the "File:", "Line:" and
 * "Function:" lines of the entry left out, white space folded, cut at max
 * bytes on a character boundary.
 */
void
dialect_dart_description(const char *p, size_t n, size_t max, struct strbuf *out)
{
	const char *end = p + n;

	while (p < end && out->len < max) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;

		while (p < e && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		if (!(e - p >= 5 && !memcmp(p, "File:", 5)) &&
		    !(e - p >= 5 && !memcmp(p, "Line:", 5)) &&
		    !(e - p >= 9 && !memcmp(p, "Function:", 9))) {
			for (; p < e && out->len < max; p++) {
				char c = *p == '\t' || *p == '\r' ? ' ' : *p;

				if (c == ' ' && (!out->len || out->buf[out->len - 1] == ' '))
					continue;
				sb_addc(out, c);
			}
			if (out->len && out->buf[out->len - 1] != ' ')
				sb_addc(out, ' ');
		}
		p = e + (nl ? 1 : 0);
	}
	while (out->len && out->buf[out->len - 1] == ' ')
		out->len--;
	/* do not end inside a UTF-8 sequence */
	if (out->len >= max) {
		while (out->len && ((unsigned char)out->buf[out->len - 1] & 0xC0) == 0x80)
			out->len--;
		if (out->len && (unsigned char)out->buf[out->len - 1] >= 0xC0)
			out->len--;
	}
	if (out->buf)
		out->buf[out->len] = '\0';
}

/*
 * The DART adapter: each entry (a block record: Date, Time, Type, Source,
 * Description) is a CLIENT event; the grammar's dart rules say what the
 * entry tells (a connection requested, the tunnel up, an error).
 */
void
dialect_dart_event(const struct lex_record *rec, const struct gram_match *m, struct ike_event *ev)
{
	dialect_common_event(rec, m, ev);
}

/* the client names IKEv2 values as the Cisco code base does */
const struct dialect_words dialect_dart_words = { .event = dialect_dart_event,
						  DIALECT_CISCO_WORDS };
