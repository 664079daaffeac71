/*
 * Events (event.h): their names, and reading the numbers of their
 * attributes. What a record means is the adapters' business (cisco.c).
 */
#include "ikescope/event.h"

#include <string.h>

#include "ikescope/dialect.h"
#include "ikescope/lexer.h"
#include "ikescope/proto.h"

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

/* ---- what every adapter does: the record's place, handle, SPIs, MID ---- */

#define KIND_OF(fam, kind) [GRAM_FAMILY_##fam] = IKE_EVENT_##kind,
static const enum ike_event_kind kind_of[GRAM_FAMILY_COUNT] = {
	KIND_OF(PACKET, PACKET) KIND_OF(EXCHANGE, EXCHANGE) KIND_OF(HEADER, HEADER) KIND_OF(
		PAYLOAD, PAYLOAD) KIND_OF(PROPOSAL, PROPOSAL) KIND_OF(TRANSFORM, TRANSFORM)
		KIND_OF(PROPOSAL_SUMMARY, PROPOSAL_SUMMARY) KIND_OF(POLICY, POLICY) KIND_OF(
			KE, PAYLOAD_DETAIL) KIND_OF(ID, PAYLOAD_DETAIL) KIND_OF(AUTH,
										PAYLOAD_DETAIL)
			KIND_OF(CERT, PAYLOAD_DETAIL) KIND_OF(NOTIFY, PAYLOAD_DETAIL) KIND_OF(
				DELETE,
				PAYLOAD_DETAIL) KIND_OF(TS, PAYLOAD_DETAIL) KIND_OF(CFG,
										    PAYLOAD_DETAIL)
				KIND_OF(EAP, PAYLOAD_DETAIL) KIND_OF(DATA, PAYLOAD_DETAIL) KIND_OF(
					HEXDUMP, PAYLOAD_DETAIL) KIND_OF(DECRYPTED, DECRYPTED)
					KIND_OF(CONSTRUCT, CONSTRUCT) KIND_OF(SM, STATE) KIND_OF(
						ACTION, ACTION) KIND_OF(TIMER, TIMER)
						KIND_OF(RETRANSMIT, RETRANSMIT) KIND_OF(
							FACT, CONTEXT) KIND_OF(ERROR, VERDICT)
							KIND_OF(STATUS, STATUS) KIND_OF(MESSAGE,
											MESSAGE)
								KIND_OF(XML_TRACE,
									XML_TRACE) KIND_OF(XML, XML)
									KIND_OF(DART, CLIENT)
										KIND_OF(SHOW, SHOW)
};
#undef KIND_OF

#define DETAIL_OF(fam, d) [GRAM_FAMILY_##fam] = IKE_DETAIL_##d,
static const enum ike_detail detail_of[GRAM_FAMILY_COUNT] = {
	DETAIL_OF(KE, KE) DETAIL_OF(ID, ID) DETAIL_OF(AUTH, AUTH) DETAIL_OF(CERT, CERT)
		DETAIL_OF(NOTIFY, NOTIFY) DETAIL_OF(DELETE, DELETE) DETAIL_OF(TS, TS)
			DETAIL_OF(CFG, CFG) DETAIL_OF(EAP, EAP) DETAIL_OF(DATA, DATA)
				DETAIL_OF(HEXDUMP, HEX)
};
#undef DETAIL_OF

/* An IKE SPI: whole when all its 16 hex digits are there (with or without 0x). */
static bool
spi_of(const struct gram_value *v, uint64_t *out, bool *whole)
{
	unsigned long long n;
	size_t len;

	if (!v)
		return false;
	len = v->len;
	if (len > 2 && v->p[0] == '0' && (v->p[1] == 'x' || v->p[1] == 'X'))
		len -= 2;
	*whole = len == 16;
	if (!ike_value_num(v, 16, &n))
		return false;
	*out = n;
	return true;
}

static bool
u32_of(const struct gram_value *v, uint32_t *out)
{
	unsigned long long n;

	if (!ike_value_num(v, 10, &n) || n > UINT32_MAX)
		return false;
	*out = (uint32_t)n;
	return true;
}

void
dialect_common_event(const struct lex_record *rec, const struct gram_match *m, struct ike_event *ev)
{
	const struct gram_value *midx, *mid, *v;
	unsigned long long n;

	ev->kind = kind_of[m->family];
	ev->detail = detail_of[m->family];
	/* an EAP line without code or type is the platform's step, not a payload's body */
	if (m->family == GRAM_FAMILY_EAP && !m->at[GRAM_FIELD_EAP_CODE] &&
	    !m->at[GRAM_FIELD_EAP_TYPE])
		ev->kind = IKE_EVENT_EAP_STEP;
	ev->first_line = rec->first_line;
	ev->last_line = rec->last_line;
	ev->text = rec->text;
	ev->len = rec->len;
	ev->nattrs = m->nvalues;
	ev->attrs = m->values;
	ev->at = m->at;
	ev->has_handle = ev->has_session = ev->has_spi_i = ev->has_spi_r = ev->has_mid = false;
	ev->spi_i_whole = ev->spi_r_whole = ev->response = false;
	ev->dir = IKE_DIR_UNKNOWN;
	ev->role = IKE_ROLE_UNKNOWN;
	ev->copy = IKE_COPY_NONE;
	if ((v = gram_match_value(m, GRAM_FIELD_SA)))
		ev->has_handle = u32_of(v, &ev->handle);
	if ((v = gram_match_value(m, GRAM_FIELD_SESSION)))
		ev->has_session = u32_of(v, &ev->session);
	if ((v = gram_match_value(m, GRAM_FIELD_SPI_I)))
		ev->has_spi_i = spi_of(v, &ev->spi_i, &ev->spi_i_whole);
	if ((v = gram_match_value(m, GRAM_FIELD_SPI_R)))
		ev->has_spi_r = spi_of(v, &ev->spi_r, &ev->spi_r_whole);
	midx = gram_match_value(m, GRAM_FIELD_MIDX);
	mid = gram_match_value(m, GRAM_FIELD_MID);
	if ((v = gram_match_value(m, GRAM_FIELD_DIR)))
		ev->dir = dialect_word_is(v, "in")    ? IKE_DIR_IN
			  : dialect_word_is(v, "out") ? IKE_DIR_OUT
						      : IKE_DIR_UNKNOWN;
	/* the message ID: hexadecimal where the line gives it so, else decimal */
	if (midx && ike_value_num(midx, 16, &n) && n <= UINT32_MAX) {
		ev->mid = (uint32_t)n;
		ev->has_mid = true;
	} else if (mid) {
		ev->has_mid = u32_of(mid, &ev->mid);
	}
	ev->stamp = rec->stamp;
	ev->stamp_len = rec->stamp ? rec->stamp_len : 0;
	ev->incomplete = rec->flags & LEX_REC_INCOMPLETE;
}

static const struct dialect_words *const words[GRAM_DIALECT_COUNT] = {
	[GRAM_DIALECT_ASA] = &dialect_asa_words,
	[GRAM_DIALECT_IOS] = &dialect_ios_words,
	[GRAM_DIALECT_DART] = &dialect_dart_words,
	[GRAM_DIALECT_SHOW] = &dialect_show_words,
	[GRAM_DIALECT_STRONGSWAN] = &dialect_strongswan_words,
	[GRAM_DIALECT_LIBRESWAN] = &dialect_libreswan_words,
	[GRAM_DIALECT_FORTIGATE] = &dialect_fortigate_words,
};

/* Dialect d's words, or NULL (no dialect: the protocol's names). */
static const struct dialect_words *
words_of(enum gram_dialect d)
{
	return (unsigned)d < GRAM_DIALECT_COUNT ? words[d] : NULL;
}

void
dialect_event(const struct lex_record *rec, const struct gram_match *m, enum gram_dialect input,
	      struct ike_event *ev)
{
	enum gram_dialect d = input;
	const struct dialect_words *w;

	if (m->dialects && (input >= GRAM_DIALECT_COUNT || !(m->dialects & (1u << input))))
		d = (enum gram_dialect)__builtin_ctz(m->dialects);
	if ((w = words_of(d)) && w->event)
		w->event(rec, m, ev);
	else
		dialect_cisco_event(rec, m, ev);
	ev->dialect = d;
}

/* The protocol's own name in the n bytes at name (not NUL-terminated): value_fn on a copy. */
static bool
proto_named(const char *name, size_t n, unsigned *out, bool (*value_fn)(const char *, unsigned *))
{
	char buf[64];

	if (!name || !n || n >= sizeof(buf))
		return false;
	memcpy(buf, name, n);
	buf[n] = 0;
	return value_fn(buf, out);
}

bool
dialect_payload_type(enum gram_dialect d, const char *name, size_t n, unsigned *type)
{
	const struct dialect_words *w = words_of(d);

	if (w && w->payload_type)
		return w->payload_type(name, n, type);
	return name && proto_payload_value(name, n, type);
}

const char *
dialect_notify_name(enum gram_dialect d, const char *name, size_t n)
{
	const struct dialect_words *w = words_of(d);
	const char *p;
	unsigned v;

	if (!name || !n)
		return NULL;
	if (w && w->notify_name && (p = w->notify_name(name, n)))
		return p;
	return proto_named(name, n, &v, proto_notify_value) ? proto_notify_name(v) : NULL;
}

bool
dialect_transform(enum gram_dialect d, unsigned type, const char *name, unsigned *iana)
{
	const struct dialect_words *w = words_of(d);

	if (!name)
		return false;
	if (w && w->transform)
		return w->transform(type, name, iana);
	return proto_transform_value(type, name, iana);
}

size_t
dialect_transform_words(enum gram_dialect d, const char *text, size_t len, bool ike,
			struct dialect_transform_word *out, size_t max)
{
	const struct dialect_words *w = words_of(d);
	size_t n = 0, i = 0;

	if (w && w->transform_words)
		return w->transform_words(text, len, ike, out, max);
	/* the protocol's names, apart at white space, '/' or ',' */
	while (i < len && n < max) {
		size_t at, k;
		unsigned type, v;
		char word[64];

		while (i < len && strchr(" \t/,", text[i]))
			i++;
		at = i;
		while (i < len && !strchr(" \t/,", text[i]))
			i++;
		if (i == at || i - at >= sizeof(word))
			continue;
		memcpy(word, text + at, i - at);
		word[i - at] = 0;
		for (type = 1, k = 0; type <= 4 && !k; type++)
			if (proto_transform_value(type, word, &v)) {
				out[n].type = type;
				out[n].at = at;
				out[n].len = i - at;
				n++;
				k = 1;
			}
	}
	return n;
}

const char *
dialect_group_number(enum gram_dialect d, const char *name)
{
	const struct dialect_words *w = words_of(d);

	return w && w->group_number ? w->group_number(name) : name;
}

enum gram_dialect
dialect_named(const char *name)
{
	return name ? gram_dialect_lookup(name, strlen(name)) : GRAM_DIALECT_COUNT;
}

#define VALUE_LOOKUP(fn, member, proto_fn)                                                         \
	bool fn(enum gram_dialect d, const char *name, size_t n, unsigned *out)                    \
	{                                                                                          \
		const struct dialect_words *w = words_of(d);                                       \
                                                                                                   \
		if (w && w->member && w->member(name, n, out))                                     \
			return true;                                                               \
		return proto_named(name, n, out, proto_fn);                                        \
	}

VALUE_LOOKUP(dialect_id_type, id_type, proto_id_type_value)
VALUE_LOOKUP(dialect_auth_method, auth_method, proto_auth_method_value)
VALUE_LOOKUP(dialect_cfg_type, cfg_type, proto_cfg_type_value)
VALUE_LOOKUP(dialect_cfg_attr, cfg_attr, proto_cfg_attr_value)

bool
dialect_same_sa_space(enum gram_dialect a, enum gram_dialect b)
{
	const struct dialect_words *wa = words_of(a), *wb = words_of(b);

	if (a >= GRAM_DIALECT_COUNT || b >= GRAM_DIALECT_COUNT || a == b)
		return true;
	return wa && wb && wa->sa_space && wb->sa_space && !strcmp(wa->sa_space, wb->sa_space);
}

const char *
dialect_group_text(unsigned group)
{
	static const char *const numbers[] = {
		"0",  "1",  "2",  "3",  "4",  "5",  "6",  "7",  "8",  "9",  "10", "11", "12",
		"13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23", "24", "25",
		"26", "27", "28", "29", "30", "31", "32", "33", "34", "35", "36", "37", "38",
		"39", "40", "41", "42", "43", "44", "45", "46", "47", "48", "49", "50", "51",
		"52", "53", "54", "55", "56", "57", "58", "59", "60", "61", "62", "63"
	};

	return group < sizeof(numbers) / sizeof(numbers[0]) ? numbers[group] : NULL;
}

const char *
dialect_remedy_from(const struct dialect_remedy_text *t, size_t n, const struct dialect_remedy *q)
{
	size_t i;

	for (i = 0; q->cause && i < n; i++)
		if (!strcmp(t[i].cause, q->cause)) {
			bool first = !t[i].other ||
				     (!strcmp(q->cause, "NO_PROPOSAL_CHOSEN")      ? q->ike
				      : !strcmp(q->cause, "AUTHENTICATION_FAILED") ? q->psk
										   : true);

			return first ? t[i].text : t[i].other;
		}
	return NULL;
}

const char *
dialect_peer_config(enum gram_dialect d)
{
	const struct dialect_words *w = words_of(d);

	return w && w->peer_config ? w->peer_config : "configuration";
}

const char *
dialect_remedy(enum gram_dialect d, const struct dialect_remedy *q)
{
	const struct dialect_words *w = words_of(d);

	return w && w->remedy ? w->remedy(q) : NULL;
}

void
dialect_votes_init(struct dialect_votes *v)
{
	memset(v, 0, sizeof(*v));
	v->leader = GRAM_DIALECT_COUNT;
}

void
dialect_vote(struct dialect_votes *v, const struct grammar *g, const char *text, size_t len)
{
	enum gram_dialect d;

	if (v->total >= DIALECT_VOTES || v->seen >= DIALECT_RECORDS)
		return;
	v->seen++;
	d = grammar_detect_dialect(g, text, len);
	if (d >= GRAM_DIALECT_COUNT)
		return;
	v->total++;
	v->n[d]++;
	if (v->leader >= GRAM_DIALECT_COUNT || v->n[d] > v->n[v->leader])
		v->leader = d;
}
