/*
 * Redaction: what to replace is learnt from every input first (so that one
 * value gets one pseudonym across all of them), then each physical line is
 * written again with secrets masked, key material zeroed and the learnt
 * values replaced. Line structure is kept: the redacted log analyses to the
 * same sessions.
 */
#include "ikescope/redact.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/grammar.h"
#include "ikescope/lexer.h"
#include "ikescope/dialect.h"
#include "ikescope/model.h"
#include "ikescope/proto.h"
#include "ikescope/reconstruct.h"
#include "ikescope/util/xalloc.h"

/* Bounds on what is learnt, so that a hostile log cannot exhaust memory. */
#define MAX_NAMES 100000
#define MAX_ADDRS 1000000

/* ---- names ---- */

/*
 * NAME_CONN: a connection's name in a daemon's configuration (strongSwan's
 * "site-b"), matched in its own case only: such a name may be a word the
 * daemon's lines use ("PEER" and "peer supports MOBIKE").
 */
enum name_kind { NAME_USER, NAME_GROUP, NAME_HOST, NAME_DOMAIN, NAME_CONN, NAME_KINDS };

static const char *const kind_names[NAME_KINDS] = { "user", "group", "host", "domain", "conn" };

struct name {
	char *key; /* lower case */
	char *orig;
	char *pseudo;
	enum name_kind kind;
};

enum span_kind { SPAN_KEY, SPAN_ADDR };

struct hex_span {
	unsigned input;
	uint32_t first, last;
	enum span_kind kind; /* key material (zeroed), or a payload that holds addresses */
};

struct v6 {
	unsigned char b[16];
};

struct redactor {
	const struct grammar *g;
	unsigned flags;
	unsigned input;
	int dump_kind;  /* what the current payload's dump holds: a span_kind, or -1 */
	bool truncated; /* more values than the bounds: some were not learnt */

	struct name *names; /* open addressing, key NULL: free */
	size_t nnames, cap_names;
	bool name_len[129]; /* some learnt name has this length */

	uint32_t *v4; /* learnt IPv4 addresses, then sorted */
	size_t nv4, cap_v4;
	uint32_t *v4_nets, *v4_pseudo; /* sorted /24 networks and their pseudonyms */
	size_t nv4_nets;
	struct v6 *v6;
	size_t nv6, cap_v6;
	struct v6 *v6_nets; /* sorted distinct /64 prefixes */
	unsigned *v6_index; /* each one's pseudonym: 2001:db8:0:INDEX::/64 */
	size_t nv6_nets;

	struct hex_span *hex;
	size_t nhex, cap_hex, hex_at;
};

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

static char *
lower_dup(const char *s, size_t n)
{
	char *k = xmalloc(n + 1);
	size_t i;

	for (i = 0; i < n; i++)
		k[i] = (char)tolower((unsigned char)s[i]);
	k[n] = '\0';
	return k;
}

static struct name *
name_find(const struct redactor *r, const char *key)
{
	size_t i;

	if (!r->cap_names)
		return NULL;
	for (i = hash_str(key) & (r->cap_names - 1); r->names[i].key;
	     i = (i + 1) & (r->cap_names - 1))
		if (!strcmp(r->names[i].key, key))
			return &r->names[i];
	return NULL;
}

static void
name_grow(struct redactor *r)
{
	struct name *old = r->names;
	size_t oldcap = r->cap_names, i;

	r->cap_names = oldcap ? oldcap * 2 : 256;
	r->names = xcalloc(r->cap_names, sizeof(*r->names));
	for (i = 0; i < oldcap; i++)
		if (old[i].key) {
			size_t k = hash_str(old[i].key) & (r->cap_names - 1);

			while (r->names[k].key)
				k = (k + 1) & (r->cap_names - 1);
			r->names[k] = old[i];
		}
	free(old);
}

/* Names that are the device's own defaults or words of the protocol: never replaced. */
static bool
is_reserved(const char *key)
{
	static const char *const words[] = {
		"dfltgrppolicy",
		"defaultl2lgroup",
		"defaultragroup",
		"defaultwebvpngroup",
		"*$anyconnectclient$*",
		"none",
		"unknown",
		"local",
		"remote",
		"any",
		"ipsec",
		"ikev2",
		"ikev1",
		"ssl",
		"vpn",
		"win",
		"mac",
		"linux",
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(key, words[i]))
			return true;
	return false;
}

static bool
is_address(const char *s, size_t n)
{
	char buf[64];
	unsigned char b[16];

	if (n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return inet_pton(AF_INET, buf, b) == 1 || inet_pton(AF_INET6, buf, b) == 1;
}

static bool
name_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

static void
learn_name(struct redactor *r, enum name_kind kind, const char *s, size_t n)
{
	struct name *e;
	char *key;
	size_t i, digits = 0;

	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n < 2 || n > 128 || is_address(s, n))
		return;
	for (i = 0; i < n; i++) {
		if (isspace((unsigned char)s[i]) || s[i] == '"' || s[i] == '<' || s[i] == '>')
			return;
		digits += isdigit((unsigned char)s[i]) != 0;
	}
	if (digits == n || !name_char((unsigned char)s[0]) || !name_char((unsigned char)s[n - 1]))
		return;
	if (kind != NAME_USER && !(r->flags & REDACT_NAMES))
		return;
	key = lower_dup(s, n);
	if (is_reserved(key) || strstr(key, "********") || name_find(r, key)) {
		free(key);
		return;
	}
	if (r->nnames >= MAX_NAMES) {
		r->truncated = true;
		free(key);
		return;
	}
	if ((r->nnames + 1) * 2 > r->cap_names)
		name_grow(r);
	for (i = hash_str(key) & (r->cap_names - 1); r->names[i].key;
	     i = (i + 1) & (r->cap_names - 1))
		;
	e = &r->names[i];
	e->key = key;
	e->orig = xstrndup(s, n);
	e->kind = kind;
	r->name_len[n] = true;
	r->nnames++;
}

/* A host name: a user@domain splits in two; a dotted name gives its domain too. */
static void
learn_identity(struct redactor *r, const char *s, size_t n)
{
	const char *at = memchr(s, '@', n), *eq = memchr(s, '=', n), *dot;

	if (eq && !at) { /* hostname=NAME, as IOS and the ASA print a key ID */
		n -= (size_t)(eq + 1 - s);
		s = eq + 1;
	}
	if (at) {
		learn_name(r, NAME_USER, s, (size_t)(at - s));
		n -= (size_t)(at + 1 - s);
		s = at + 1;
		learn_name(r, NAME_DOMAIN, s, n);
		return;
	}
	dot = memchr(s, '.', n);
	if (dot && !is_address(s, n)) {
		learn_name(r, NAME_HOST, s, n);
		learn_name(r, NAME_DOMAIN, dot + 1, n - (size_t)(dot + 1 - s));
		return;
	}
	learn_name(r, NAME_HOST, s, n);
}

/* ---- addresses ---- */

static int
by_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static int
by_v6(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct v6));
}

static size_t
uniq_u32(uint32_t *v, size_t n)
{
	size_t i, k = 0;

	qsort(v, n, sizeof(*v), by_u32);
	for (i = 0; i < n; i++)
		if (!k || v[k - 1] != v[i])
			v[k++] = v[i];
	return k;
}

static void
learn_v4(struct redactor *r, uint32_t a)
{
	if (r->nv4 == r->cap_v4) {
		/* repeats are dropped before the list grows; it grows while half full */
		if (r->nv4 >= 4096)
			r->nv4 = uniq_u32(r->v4, r->nv4);
		if (r->nv4 >= MAX_ADDRS) {
			r->truncated = true;
			return;
		}
		if (r->nv4 * 2 > r->cap_v4 || !r->cap_v4) {
			r->cap_v4 = r->cap_v4 ? r->cap_v4 * 2 : 256;
			r->v4 = xreallocarray(r->v4, r->cap_v4, sizeof(*r->v4));
		}
	}
	r->v4[r->nv4++] = a;
}

/*
 * Netmasks, wildcard masks, 0.0.0.0 and 255.255.255.255 say nothing of the
 * network and carry the meaning of ranges and masks: they are kept.
 */
static bool
keep_v4(uint32_t a)
{
	uint32_t inv = ~a;

	/* ones then zeros (a netmask), or zeros then ones (a wildcard mask) */
	return (inv & (inv + 1)) == 0 || (a & (a + 1)) == 0;
}

/* Reads a dotted quad at s (not part of a longer number or dotted run). */
static size_t
read_v4(const char *s, size_t n, size_t at, uint32_t *out)
{
	uint32_t a = 0;
	size_t i = at;
	int part;

	/* a '.' before it is a longer dotted number's, unless it ends "..." (strongSwan's A...B) */
	if (at > 0 && (isdigit((unsigned char)s[at - 1]) || isalpha((unsigned char)s[at - 1]) ||
		       (s[at - 1] == '.' && !(at > 1 && s[at - 2] == '.'))))
		return 0;
	for (part = 0; part < 4; part++) {
		unsigned v = 0, d = 0;

		while (i < n && isdigit((unsigned char)s[i]) && d < 4) {
			v = v * 10 + (unsigned)(s[i] - '0');
			i++;
			d++;
		}
		if (!d || d > 3 || v > 255)
			return 0;
		a = a << 8 | v;
		if (part < 3) {
			if (i >= n || s[i] != '.')
				return 0;
			i++;
		}
	}
	if (i < n && (isdigit((unsigned char)s[i]) || isalpha((unsigned char)s[i]) ||
		      (s[i] == '.' && i + 1 < n && isdigit((unsigned char)s[i + 1]))))
		return 0;
	*out = a;
	return i - at;
}

static bool
hexish(unsigned char c)
{
	return isxdigit(c) || c == ':' || c == '.';
}

/* Reads an IPv6 address at s (a run of hex digits, colons and dots that inet_pton takes). */
static size_t
read_v6(const char *s, size_t n, size_t at, struct v6 *out)
{
	char buf[64];
	size_t end = at, colons = 0;

	if (at > 0 && (hexish((unsigned char)s[at - 1]) || isalpha((unsigned char)s[at - 1])))
		return 0;
	while (end < n && hexish((unsigned char)s[end]) && end - at < 46)
		colons += s[end++] == ':';
	if (colons < 2 || (end < n && (isalnum((unsigned char)s[end]) || s[end] == '_')))
		return 0;
	/* a trailing colon or dot belongs to the text ("addr: ...") */
	while (end > at &&
	       (s[end - 1] == '.' || (s[end - 1] == ':' && !(end - at >= 2 && s[end - 2] == ':'))))
		end--;
	memcpy(buf, s + at, end - at);
	buf[end - at] = '\0';
	if (inet_pton(AF_INET6, buf, out->b) != 1)
		return 0;
	return end - at;
}

static bool
keep_v6(const struct v6 *a)
{
	static const unsigned char zero[16];
	unsigned char loop[16] = { 0 };

	loop[15] = 1;
	/* :: and ::1, and addresses that are all ones (range ends) */
	if (!memcmp(a->b, zero, 16) || !memcmp(a->b, loop, 16))
		return true;
	return a->b[0] == 0xff && a->b[1] == 0xff && a->b[15] == 0xff;
}

static size_t
uniq_v6(struct v6 *v, size_t n)
{
	size_t i, k = 0;

	qsort(v, n, sizeof(*v), by_v6);
	for (i = 0; i < n; i++)
		if (!k || memcmp(&v[k - 1], &v[i], sizeof(*v)))
			v[k++] = v[i];
	return k;
}

static void
learn_v6(struct redactor *r, const struct v6 *a)
{
	if (r->nv6 == r->cap_v6) {
		if (r->nv6 >= 1024)
			r->nv6 = uniq_v6(r->v6, r->nv6);
		if (r->nv6 >= MAX_ADDRS / 4) {
			r->truncated = true;
			return;
		}
		if (r->nv6 * 2 > r->cap_v6 || !r->cap_v6) {
			r->cap_v6 = r->cap_v6 ? r->cap_v6 * 2 : 64;
			r->v6 = xreallocarray(r->v6, r->cap_v6, sizeof(*r->v6));
		}
	}
	r->v6[r->nv6++] = *a;
}

/* ---- learning ---- */

struct redactor *
redact_create(const struct grammar *g, unsigned flags)
{
	struct redactor *r = xcalloc(1, sizeof(*r));

	r->g = g;
	r->flags = flags;
	return r;
}

void
redact_destroy(struct redactor *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->cap_names; i++)
		if (r->names[i].key) {
			free(r->names[i].key);
			free(r->names[i].orig);
			free(r->names[i].pseudo);
		}
	free(r->names);
	free(r->v4);
	free(r->v4_nets);
	free(r->v4_pseudo);
	free(r->v6);
	free(r->v6_nets);
	free(r->v6_index);
	free(r->hex);
	free(r);
}

void
redact_begin_input(struct redactor *r, unsigned i)
{
	r->input = i;
	r->dump_kind = -1;
	r->hex_at = 0;
}

static const struct gram_value *
field(const struct gram_match *m, enum gram_field f)
{
	size_t i;

	for (i = 0; i < m->nvalues; i++)
		if (m->values[i].field == f)
			return &m->values[i];
	return NULL;
}

/* The payload type a record names, in the words of its rule's dialect. */
static bool
payload_type(const struct gram_match *m, unsigned *type)
{
	const struct gram_value *v = field(m, GRAM_FIELD_PAYLOAD);
	enum gram_dialect d =
		m->dialects ? (enum gram_dialect)__builtin_ctz(m->dialects) : GRAM_DIALECT_COUNT;

	return v && dialect_payload_type(d, v->p, v->len, type);
}

void
redact_learn_record(struct redactor *r, const struct lex_record *rec, const struct gram_match *m)
{
	const struct gram_value *v;
	unsigned pt;

	if (!m)
		return;
	switch (m->family) {
	case GRAM_FAMILY_PACKET:
	case GRAM_FAMILY_EXCHANGE:
	case GRAM_FAMILY_HEADER:
		r->dump_kind = -1;
		break;
	case GRAM_FAMILY_PAYLOAD:
		r->dump_kind = -1;
		/* KE data, nonces, AUTH data, certificates and CA hashes */
		if (payload_type(m, &pt) && (pt == PROTO_PAYLOAD_KE || pt == PROTO_PAYLOAD_NONCE ||
					     pt == PROTO_PAYLOAD_AUTH || pt == PROTO_PAYLOAD_CERT ||
					     pt == PROTO_PAYLOAD_CERTREQ))
			r->dump_kind = SPAN_KEY;
		/* identities, selectors and configuration attributes: addresses in binary */
		else if ((r->flags & REDACT_IPS) && payload_type(m, &pt) &&
			 (pt == PROTO_PAYLOAD_CP || pt == PROTO_PAYLOAD_IDI ||
			  pt == PROTO_PAYLOAD_IDR || pt == PROTO_PAYLOAD_TSI ||
			  pt == PROTO_PAYLOAD_TSR))
			r->dump_kind = SPAN_ADDR;
		break;
	case GRAM_FAMILY_CONSTRUCT:
		if (field(m, GRAM_FIELD_PAYLOAD))
			r->dump_kind = -1;
		break;
	case GRAM_FAMILY_HEXDUMP:
		if (r->dump_kind >= 0) {
			struct hex_span *h = r->nhex ? &r->hex[r->nhex - 1] : NULL;

			if (h && h->input == r->input && h->kind == (enum span_kind)r->dump_kind &&
			    h->last + 1 >= rec->first_line) {
				if (rec->last_line > h->last)
					h->last = rec->last_line;
				break;
			}
			if (r->nhex == r->cap_hex) {
				r->cap_hex = r->cap_hex ? r->cap_hex * 2 : 64;
				r->hex = xreallocarray(r->hex, r->cap_hex, sizeof(*r->hex));
			}
			r->hex[r->nhex++] =
				(struct hex_span){ r->input, rec->first_line, rec->last_line,
						   (enum span_kind)r->dump_kind };
		}
		break;
	default:
		break;
	}
	if ((v = field(m, GRAM_FIELD_USERNAME)))
		learn_name(r, NAME_USER, v->p, v->len);
	if ((v = field(m, GRAM_FIELD_TUNNEL_GROUP)))
		learn_name(r, NAME_GROUP, v->p, v->len);
	if ((v = field(m, GRAM_FIELD_GROUP_POLICY)))
		learn_name(r, NAME_GROUP, v->p, v->len);
	if ((v = field(m, GRAM_FIELD_TRUSTPOINT)))
		learn_name(r, NAME_GROUP, v->p, v->len);
	if ((v = field(m, GRAM_FIELD_MAP)))
		learn_name(r, NAME_GROUP, v->p, v->len);
	if ((v = field(m, GRAM_FIELD_IDENTITY)))
		learn_identity(r, v->p, v->len);
	/* a connection's and a child SA's name ("site-b", "net" of "net{3}"), a syslog host */
	if ((v = field(m, GRAM_FIELD_CONN)))
		learn_name(r, NAME_CONN, v->p, v->len);
	if ((v = field(m, GRAM_FIELD_CHILD))) {
		const char *brace = memchr(v->p, '{', v->len);

		learn_name(r, NAME_CONN, v->p, brace ? (size_t)(brace - v->p) : v->len);
	}
	if ((v = field(m, GRAM_FIELD_HOST)))
		learn_name(r, NAME_HOST, v->p, v->len);
}

static void learn_addresses(struct redactor *r, const char *s, size_t n);

static void
learn_addr_str(struct redactor *r, const char *s)
{
	if (s && (r->flags & REDACT_IPS))
		learn_addresses(r, s, strlen(s));
}

static void
learn_addr_bytes(struct redactor *r, const uint8_t *v, unsigned n)
{
	uint32_t a;

	if (!(r->flags & REDACT_IPS) || n < 4)
		return;
	a = (uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 | (uint32_t)v[2] << 8 | v[3];
	if (!keep_v4(a))
		learn_v4(r, a);
}

static void
learn_record_cb(void *ctx, const struct lex_record *rec, const struct gram_match *m)
{
	redact_learn_record(ctx, rec, m);
}

static void
learn_session_cb(void *ctx, struct session *s)
{
	redact_learn_session(ctx, s);
	session_destroy(s);
}

bool
redact_learn_stream(struct redactor *r, FILE *fp, const char *name, unsigned index,
		    struct lex_stats *stats, struct err *err)
{
	struct recon *rc = recon_create(r->g);
	struct recon_reader rd = { .record = learn_record_cb,
				   .session = learn_session_cb,
				   .ctx = r };
	bool ok;

	redact_begin_input(r, index);
	ok = recon_read(rc, r->g, fp, name, &rd, stats, err);
	recon_destroy(rc);
	return ok;
}

static void
learn_str(struct redactor *r, enum name_kind kind, const char *s)
{
	if (s)
		learn_name(r, kind, s, strlen(s));
}

void
redact_learn_session(struct redactor *r, const struct session *s)
{
	size_t i, j;

	learn_str(r, NAME_USER, s->user);
	learn_str(r, NAME_USER, s->show.user);
	learn_str(r, NAME_GROUP, s->tunnel_group);
	learn_str(r, NAME_GROUP, s->show.tunnel_group);
	learn_str(r, NAME_GROUP, s->trustpoint);
	learn_str(r, NAME_GROUP, s->crypto_map);
	learn_str(r, NAME_GROUP, s->client_profile);
	/* every address the analysis read, some of them from hex dumps only */
	learn_addr_str(r, s->local);
	learn_addr_str(r, s->peer);
	learn_addr_str(r, s->assigned_ip);
	learn_addr_str(r, s->show.assigned);
	learn_addr_str(r, s->client_addr);
	learn_addr_str(r, s->client_gateway);
	for (i = 0; i < s->nmsgs; i++) {
		const struct message *m = s->msgs[i];

		learn_addr_str(r, m->src);
		learn_addr_str(r, m->dst);
		for (j = 0; j < m->np; j++) {
			const struct payload *p = &m->p[j];
			size_t k;

			for (k = 0; k < p->nts; k++) {
				learn_addr_str(r, p->ts[k].addr_start);
				learn_addr_str(r, p->ts[k].addr_end);
			}
			for (k = 0; k < p->nattrs; k++) {
				unsigned t = p->attrs[k].type;

				/* address, DNS, NBNS, DHCP server, subnet */
				if (t == 1 || t == 3 || t == 4 || t == 6 || t == 13)
					learn_addr_bytes(r, p->attrs[k].value, p->attrs[k].nvalue);
			}
			if ((p->ptype == PROTO_PAYLOAD_IDI || p->ptype == PROTO_PAYLOAD_IDR) &&
			    p->idt == PROTO_ID_IPV4_ADDR && p->nvalue >= 4)
				learn_addr_bytes(r, p->value + p->nvalue - 4, 4);
		}
	}
	for (i = 0; i < s->nmsgs; i++)
		for (j = 0; j < s->msgs[i]->nxml; j++) {
			const struct xml_doc *x = &s->msgs[i]->xml[j];

			learn_str(r, NAME_USER, x->username);
			learn_str(r, NAME_GROUP, x->group_select);
			learn_str(r, NAME_GROUP, x->tunnel_group);
		}
}

/* The word at line[at], up to a space, a quote or a tag, as a name of that kind. */
static void
learn_word(struct redactor *r, enum name_kind kind, const char *line, size_t len, size_t at)
{
	size_t k;

	for (k = at;
	     k < len && !isspace((unsigned char)line[k]) && line[k] != '<' && line[k] != '"' &&
	     line[k] != '\'' && line[k] != ',' && line[k] != ';' && line[k] != '\\';
	     k++)
		;
	learn_name(r, kind, line + at, k - at);
}

/* Names the grammar has no field for: the word after these words. */
static const struct {
	enum name_kind kind;
	const char *prefix;
	bool start; /* only at the start of the line (after blanks): a config line */
} after[] = {
	{ NAME_USER, "<username>", false },
	{ NAME_USER, "username: ", false },
	{ NAME_USER, "username = ", false },
	{ NAME_USER, "user = ", false },
	{ NAME_USER, "username set to: ", false },
	{ NAME_USER, "\\Users\\", false },
	{ NAME_USER, "/home/", false },
	{ NAME_USER, "username ", true },
	{ NAME_HOST, "hostname ", true },
	{ NAME_HOST, "hostname for DDNS is set to: ", false },
	{ NAME_DOMAIN, "domain-name ", true },
	{ NAME_GROUP, "tunnel-group ", true },
	{ NAME_GROUP, "group-policy ", true },
	{ NAME_GROUP, "<group-select>", false },
	{ NAME_HOST, "<HostName>", false },
	{ NAME_HOST, "<HostAddress>", false },
};

/* True if s (n bytes) begins " (vdom) # ", what follows a FortiOS host name. */
static bool
fortios_vdom_prompt(const char *s, size_t n)
{
	const char *close;

	if (n < 6 || s[0] != ' ' || s[1] != '(')
		return false;
	close = memchr(s + 2, ')', n - 2);
	return close && (size_t)(close - s) + 4 <= n && !memcmp(close, ") # ", 4);
}

void
redact_learn_line(struct redactor *r, const char *line, size_t len)
{
	static uint32_t by_first[256]; /* bit k: after[k] begins with this (lower case) byte */
	size_t i, k, lead;

	if (!by_first['u'])
		for (k = 0; k < sizeof(after) / sizeof(after[0]); k++)
			by_first[tolower((unsigned char)after[k].prefix[0])] |= 1u << k;
	for (lead = 0; lead < len && isspace((unsigned char)line[lead]); lead++)
		;
	for (i = lead; i < len; i++) {
		uint32_t maybe = by_first[tolower((unsigned char)line[i])];

		if (!maybe || (i > 0 && name_char((unsigned char)line[i - 1])))
			continue;
		for (k = 0; maybe; k++, maybe >>= 1) {
			size_t pl;

			if (!(maybe & 1) || (after[k].start && i != lead) ||
			    (after[k].kind != NAME_USER && !(r->flags & REDACT_NAMES)))
				continue;
			pl = strlen(after[k].prefix);
			if (i + pl <= len && !strncasecmp(line + i, after[k].prefix, pl))
				learn_word(r, after[k].kind, line, len, i + pl);
		}
	}
	if (r->flags & REDACT_NAMES) {
		/* a device prompt: NAME# or NAME> then a blank, or NAME(config...)# */
		for (i = 0; i < len && (name_char((unsigned char)line[i]) || line[i] == '-'); i++)
			;
		if (i >= 2 && i < len &&
		    (((line[i] == '#' || line[i] == '>') && (i + 1 == len || line[i + 1] == ' ')) ||
		     (line[i] == '(' && !strncmp(line + i, "(config", len - i < 7 ? len - i : 7) &&
		      memchr(line + i, '#', len - i))))
			learn_name(r, NAME_HOST, line, i);
		/* FortiOS: "NAME # " and "NAME (vdom) # " */
		else if (i >= 2 && i + 2 < len && line[i] == ' ' &&
			 (!memcmp(line + i, " # ", 3) || fortios_vdom_prompt(line + i, len - i)))
			learn_name(r, NAME_HOST, line, i);
	}
	/* user@domain */
	for (i = 1; i + 1 < len; i++) {
		size_t a, b;

		if (line[i] != '@' || !name_char((unsigned char)line[i - 1]))
			continue;
		for (a = i; a > 0 && (name_char((unsigned char)line[a - 1]) || line[a - 1] == '.' ||
				      line[a - 1] == '-');
		     a--)
			;
		for (b = i + 1; b < len && (name_char((unsigned char)line[b]) || line[b] == '.' ||
					    line[b] == '-');
		     b++)
			;
		if (memchr(line + i + 1, '.', b - i - 1))
			learn_identity(r, line + a, b - a);
	}
	if (r->flags & REDACT_IPS)
		learn_addresses(r, line, len);
}

static void
learn_addresses(struct redactor *r, const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		uint32_t a;
		struct v6 b;
		size_t n;

		if (isdigit((unsigned char)line[i]) && (n = read_v4(line, len, i, &a))) {
			if (!keep_v4(a))
				learn_v4(r, a);
			i += n - 1;
		} else if ((isxdigit((unsigned char)line[i]) || line[i] == ':') &&
			   (n = read_v6(line, len, i, &b))) {
			if (!keep_v6(&b))
				learn_v6(r, &b);
			i += n - 1;
		}
	}
}

/* ---- pseudonyms ---- */

/*
 * The /24 networks pseudonyms are taken from, in increasing order so that
 * the order of addresses (and so every range) is kept: TEST-NET-1, the
 * benchmarking 198.18.0.0/15, TEST-NET-2, TEST-NET-3.
 */
static size_t
pool_v4(uint32_t *out, size_t max)
{
	size_t n = 0;
	uint32_t k;

	if (n < max)
		out[n++] = 0xc0000200; /* 192.0.2.0 */
	for (k = 0; k < 512 && n < max; k++)
		out[n++] = 0xc6120000 + (k << 8); /* 198.18.0.0/15 */
	if (n < max)
		out[n++] = 0xc6336400; /* 198.51.100.0 */
	if (n < max)
		out[n++] = 0xcb007100; /* 203.0.113.0 */
	return n;
}

static bool
in_list(const uint32_t *v, size_t n, uint32_t x)
{
	return n && bsearch(&x, v, n, sizeof(*v), by_u32) != NULL;
}

static bool
plan_v4(struct redactor *r, struct err *err)
{
	uint32_t pool[515], *orig_nets;
	size_t npool = pool_v4(pool, 515), i, k = 0, usable = 0, nnets = 0, free_testnets = 0;
	bool small;

	r->nv4 = r->nv4 ? uniq_u32(r->v4, r->nv4) : 0;
	orig_nets = xcalloc(r->nv4 + 1, sizeof(*orig_nets));
	for (i = 0; i < r->nv4; i++)
		if (!nnets || orig_nets[nnets - 1] != (r->v4[i] & 0xffffff00))
			orig_nets[nnets++] = r->v4[i] & 0xffffff00;
	/* a pool network that holds a real address is not used: no address may survive */
	for (i = 0; i < npool; i++)
		if (!in_list(orig_nets, nnets, pool[i]))
			pool[usable++] = pool[i];
	/*
	 * As many networks as free TEST-NETs or fewer: those only. Else the
	 * whole pool, from its start. Either way in increasing order.
	 */
	for (i = 0; i < usable; i++)
		free_testnets += (pool[i] & 0xfffe0000) != 0xc6120000;
	small = nnets <= free_testnets;
	if (nnets > usable) {
		err_set(err, ERR_INPUT, NULL,
			"redact --ips: %zu distinct /24 networks, more than the %zu the "
			"documentation and benchmarking ranges hold; redact fewer logs at once",
			nnets, usable);
		free(orig_nets);
		return false;
	}
	r->v4_nets = orig_nets;
	r->nv4_nets = nnets;
	r->v4_pseudo = xcalloc(nnets + 1, sizeof(*r->v4_pseudo));
	for (i = 0; i < nnets; i++) {
		while (small && (pool[k] & 0xfffe0000) == 0xc6120000)
			k++;
		r->v4_pseudo[i] = pool[k++];
	}
	return true;
}

static int
by_name_key(const void *a, const void *b)
{
	const struct name *x = *(struct name *const *)a, *y = *(struct name *const *)b;

	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	return strcmp(x->key, y->key);
}

static bool
plan_names(struct redactor *r)
{
	struct name **order = xcalloc(r->nnames + 1, sizeof(*order));
	unsigned count[NAME_KINDS] = { 0 };
	size_t i, n = 0;

	for (i = 0; i < r->cap_names; i++)
		if (r->names[i].key)
			order[n++] = &r->names[i];
	/* numbered in name order: the same logs give the same pseudonyms */
	qsort(order, n, sizeof(*order), by_name_key);
	for (i = 0; i < n; i++) {
		struct name *e = order[i];
		char buf[64];

		do {
			unsigned c = ++count[e->kind];

			switch (e->kind) {
			case NAME_USER:
				snprintf(buf, sizeof(buf), "user%u", c);
				break;
			case NAME_GROUP:
				snprintf(buf, sizeof(buf), "group%u", c);
				break;
			case NAME_CONN:
				snprintf(buf, sizeof(buf), "conn%u", c);
				break;
			case NAME_HOST:
				snprintf(buf, sizeof(buf), "host%u.example.net", c);
				break;
			default:
				snprintf(buf, sizeof(buf), c == 1 ? "example.com" : "example%u.com",
					 c);
				break;
			}
		} while (name_find(r, buf)); /* never a name that is really there */
		e->pseudo = xstrdup(buf);
	}
	free(order);
	return true;
}

bool
redact_plan(struct redactor *r, struct err *err)
{
	size_t i, k = 0;

	if (r->truncated) {
		err_set(err, ERR_INPUT, NULL,
			"redact: more than %d distinct names or %d distinct addresses; redact "
			"fewer logs at once",
			MAX_NAMES, MAX_ADDRS);
		return false;
	}
	if (!plan_v4(r, err))
		return false;
	/* IPv6: each /64 prefix, in order, to 2001:db8:0:N::/64; the interface part kept */
	if (r->nv6)
		r->nv6 = uniq_v6(r->v6, r->nv6);
	r->v6_nets = xcalloc(r->nv6 + 1, sizeof(*r->v6_nets));
	for (i = 0; i < r->nv6; i++) {
		struct v6 p = r->v6[i];

		memset(p.b + 8, 0, 8);
		if (!k || memcmp(&r->v6_nets[k - 1], &p, sizeof(p)))
			r->v6_nets[k++] = p;
	}
	r->nv6_nets = k;
	r->v6_index = xcalloc(k + 1, sizeof(*r->v6_index));
	{
		unsigned next = 1;

		for (i = 0; i < k; i++) {
			struct v6 p = { { 0x20, 0x01, 0x0d, 0xb8 } };

			/* never a prefix of the inputs */
			for (;; next++) {
				p.b[6] = (unsigned char)(next >> 8);
				p.b[7] = (unsigned char)next;
				if (next > 0xffff) {
					err_set(err, ERR_INPUT, NULL,
						"redact --ips: more IPv6 /64 prefixes than "
						"2001:db8::/32 holds as 2001:db8:0:N::/64");
					return false;
				}
				if (!bsearch(&p, r->v6_nets, k, sizeof(p), by_v6))
					break;
			}
			r->v6_index[i] = next++;
		}
	}
	plan_names(r);
	return true;
}

/* ---- writing ---- */

static bool
v4_pseudo(const struct redactor *r, uint32_t a, uint32_t *out)
{
	uint32_t net = a & 0xffffff00;
	const uint32_t *p =
		r->nv4_nets ? bsearch(&net, r->v4_nets, r->nv4_nets, sizeof(net), by_u32) : NULL;

	if (!p)
		return false;
	*out = r->v4_pseudo[p - r->v4_nets] | (a & 0xff);
	return true;
}

static bool
v6_pseudo(const struct redactor *r, const struct v6 *a, struct v6 *out)
{
	struct v6 net = *a;
	const struct v6 *p;
	size_t idx;

	memset(net.b + 8, 0, 8);
	p = r->nv6_nets ? bsearch(&net, r->v6_nets, r->nv6_nets, sizeof(net), by_v6) : NULL;
	if (!p)
		return false;
	idx = r->v6_index[p - r->v6_nets];
	memset(out->b, 0, 8);
	out->b[0] = 0x20;
	out->b[1] = 0x01;
	out->b[2] = 0x0d;
	out->b[3] = 0xb8;
	out->b[6] = (unsigned char)(idx >> 8);
	out->b[7] = (unsigned char)idx;
	memcpy(out->b + 8, a->b + 8, 8);
	return true;
}

/* Replaces learnt names in a run of name characters, dots, dashes and @. */
static void
names_in_run(const struct redactor *r, const char *s, size_t n, struct strbuf *out)
{
	size_t i = 0;

	while (i < n) {
		size_t best = 0, j;
		const struct name *hit = NULL;

		/*
		 * The longest learnt name that starts here and ends at a boundary.
		 * Names are 128 bytes at most, and only lengths some name has
		 * are looked up: a long run costs little.
		 */
		if (i == 0 || !name_char((unsigned char)s[i - 1])) {
			size_t top = n - i > 128 ? 128 : n - i, k;
			char key[130];

			for (k = 0; k < top; k++)
				key[k] = (char)tolower((unsigned char)s[i + k]);
			key[top] = '\0';
			for (j = i + top; j > i; j--) {
				char saved = key[j - i];

				if (!r->name_len[j - i] ||
				    (j < n && name_char((unsigned char)s[j])))
					continue;
				key[j - i] = '\0';
				hit = name_find(r, key);
				key[j - i] = saved;
				/* a connection's name in its own case only */
				if (hit && hit->kind == NAME_CONN &&
				    memcmp(hit->orig, s + i, j - i))
					hit = NULL;
				if (hit) {
					best = j - i;
					break;
				}
			}
		}
		if (hit) {
			sb_adds(out, hit->pseudo);
			i += best;
			continue;
		}
		/* on to the next boundary */
		do
			sb_addc(out, s[i++]);
		while (i < n && name_char((unsigned char)s[i]) &&
		       name_char((unsigned char)s[i - 1]));
	}
}

static bool
run_char(unsigned char c)
{
	return name_char(c) || c == '.' || c == '-' || c == '@' || c == '$' || c == '*';
}

static void
replace_values(const struct redactor *r, const char *s, size_t n, struct strbuf *out)
{
	size_t i = 0;

	while (i < n) {
		uint32_t a, p;
		struct v6 b, q;
		size_t k;

		if ((r->flags & REDACT_IPS) && isdigit((unsigned char)s[i]) &&
		    (k = read_v4(s, n, i, &a))) {
			if (v4_pseudo(r, a, &p))
				sb_addf(out, "%u.%u.%u.%u", p >> 24, (p >> 16) & 0xff,
					(p >> 8) & 0xff, p & 0xff);
			else
				sb_add(out, s + i, k);
			i += k;
			continue;
		}
		if ((r->flags & REDACT_IPS) && (isxdigit((unsigned char)s[i]) || s[i] == ':') &&
		    (k = read_v6(s, n, i, &b))) {
			char buf[64];

			if (v6_pseudo(r, &b, &q) && inet_ntop(AF_INET6, q.b, buf, sizeof(buf)))
				sb_adds(out, buf);
			else
				sb_add(out, s + i, k);
			i += k;
			continue;
		}
		if (r->nnames && run_char((unsigned char)s[i])) {
			size_t j = i;

			while (j < n && run_char((unsigned char)s[j]) &&
			       !(isdigit((unsigned char)s[j]) && (r->flags & REDACT_IPS) &&
				 read_v4(s, n, j, &a)))
				j++;
			if (j == i) {
				sb_addc(out, s[i++]);
				continue;
			}
			names_in_run(r, s + i, j - i, out);
			i = j;
			continue;
		}
		sb_addc(out, s[i++]);
	}
}

static bool
in_hex_span(struct redactor *r, unsigned input, uint32_t line)
{
	/* lines come in order: the cursor only moves forward within an input */
	if (r->hex_at < r->nhex &&
	    (r->hex[r->hex_at].input != input || r->hex[r->hex_at].first > line)) {
		size_t lo = 0, hi = r->nhex;

		/* another input, or a jump back: find the first span not before (input, line) */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			const struct hex_span *h = &r->hex[mid];

			if (h->input < input || (h->input == input && h->last < line))
				lo = mid + 1;
			else
				hi = mid;
		}
		r->hex_at = lo;
	}
	while (r->hex_at < r->nhex && r->hex[r->hex_at].input == input &&
	       r->hex[r->hex_at].last < line)
		r->hex_at++;
	return r->hex_at < r->nhex && r->hex[r->hex_at].input == input &&
	       r->hex[r->hex_at].first <= line && line <= r->hex[r->hex_at].last;
}

/* Zeroes the hex bytes at the end of a dump line (what comes before, a prefix, stays). */
static void
zero_dump(char *s, size_t n)
{
	size_t end = n;

	for (;;) {
		size_t a, b = end, k;
		bool hex = true;

		while (b > 0 && isspace((unsigned char)s[b - 1]))
			b--;
		for (a = b; a > 0 && !isspace((unsigned char)s[a - 1]); a--)
			;
		if (a == b)
			break;
		for (k = a; k < b; k++)
			hex = hex && isxdigit((unsigned char)s[k]);
		if (!hex)
			break;
		for (k = a; k < b; k++)
			s[k] = '0';
		end = a;
	}
}

static int
hexval(char c)
{
	return isdigit((unsigned char)c) ? c - '0' : tolower((unsigned char)c) - 'a' + 10;
}

/* Writes n bytes over the hex digit pairs at pos[], in the case they were in. */
static void
put_bytes(char *s, const size_t *pos, const uint8_t *b, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t j;

	for (j = 0; j < n; j++) {
		bool upper =
			isupper((unsigned char)s[pos[j]]) || isupper((unsigned char)s[pos[j] + 1]);

		s[pos[j]] = upper ? (char)toupper(digits[b[j] >> 4]) : digits[b[j] >> 4];
		s[pos[j] + 1] = upper ? (char)toupper(digits[b[j] & 15]) : digits[b[j] & 15];
	}
}

/*
 * Writes the pseudonym over every learnt address in the hex bytes at the
 * end of a dump line (sixteen bytes in a row for IPv6, four for IPv4,
 * within the line).
 */
static void
addr_dump(const struct redactor *r, char *s, size_t n)
{
	size_t pos[512], nb = 0, end = n, k;
	uint8_t bytes[512];

	for (;;) {
		size_t a, b = end;
		bool hex = true;

		while (b > 0 && isspace((unsigned char)s[b - 1]))
			b--;
		for (a = b; a > 0 && !isspace((unsigned char)s[a - 1]); a--)
			;
		if (a == b || (b - a) % 2)
			break;
		for (k = a; k < b; k++)
			hex = hex && isxdigit((unsigned char)s[k]);
		if (!hex || nb + (b - a) / 2 > sizeof(pos) / sizeof(pos[0]))
			break;
		/* bytes are found from the end: shift the earlier ones in front */
		memmove(pos + (b - a) / 2, pos, nb * sizeof(*pos));
		for (k = 0; k < (b - a) / 2; k++)
			pos[k] = a + 2 * k;
		nb += (b - a) / 2;
		end = a;
	}
	for (k = 0; k < nb; k++)
		bytes[k] = (uint8_t)(hexval(s[pos[k]]) << 4 | hexval(s[pos[k] + 1]));
	for (k = 0; k < nb; k++) {
		struct v6 a6, p6;
		uint32_t a = 0, p;
		size_t j;

		if (k + 16 <= nb && r->nv6) {
			memcpy(a6.b, bytes + k, 16);
			if (!keep_v6(&a6) && bsearch(&a6, r->v6, r->nv6, sizeof(a6), by_v6) &&
			    v6_pseudo(r, &a6, &p6)) {
				put_bytes(s, pos + k, p6.b, 16);
				k += 15;
				continue;
			}
		}
		if (k + 4 > nb || !r->nv4)
			continue;
		for (j = 0; j < 4; j++)
			a = a << 8 | bytes[k + j];
		if (!keep_v4(a) && bsearch(&a, r->v4, r->nv4, sizeof(a), by_u32) &&
		    v4_pseudo(r, a, &p)) {
			uint8_t pb[4] = { (uint8_t)(p >> 24), (uint8_t)(p >> 16), (uint8_t)(p >> 8),
					  (uint8_t)p };

			put_bytes(s, pos + k, pb, 4);
			k += 3;
		}
	}
}

void
redact_line(struct redactor *r, unsigned i, uint32_t line, const char *text, size_t len,
	    struct strbuf *out)
{
	struct strbuf masked;
	char *work;

	sb_init(&masked);
	if (grammar_may_hold_secret(r->g, text, len))
		grammar_mask_as(r->g, text, len, true, &masked);
	else
		sb_add(&masked, text, len);
	work = masked.buf ? masked.buf : (char *)"";
	if (in_hex_span(r, i, line)) {
		if (r->hex[r->hex_at].kind == SPAN_KEY)
			zero_dump(work, masked.len);
		else
			addr_dump(r, work, masked.len);
	}
	replace_values(r, work, masked.len, out);
	sb_finish(&masked);
}

/* ---- the map ---- */

void
redact_write_map(const struct redactor *r, FILE *fp)
{
	size_t i;

	for (i = 0; i < r->nv4_nets; i++)
		fprintf(fp, "net\t%u.%u.%u.0/24\t%u.%u.%u.0/24\n", r->v4_nets[i] >> 24,
			(r->v4_nets[i] >> 16) & 0xff, (r->v4_nets[i] >> 8) & 0xff,
			r->v4_pseudo[i] >> 24, (r->v4_pseudo[i] >> 16) & 0xff,
			(r->v4_pseudo[i] >> 8) & 0xff);
	for (i = 0; i < r->nv6_nets; i++) {
		char a[64], b[64];
		struct v6 q;

		if (v6_pseudo(r, &r->v6_nets[i], &q) &&
		    inet_ntop(AF_INET6, r->v6_nets[i].b, a, 64) && inet_ntop(AF_INET6, q.b, b, 64))
			fprintf(fp, "net6\t%s/64\t%s/64\n", a, b);
	}
	for (i = 0; i < r->cap_names; i++)
		if (r->names[i].key)
			fprintf(fp, "%s\t%s\t%s\n", kind_names[r->names[i].kind], r->names[i].orig,
				r->names[i].pseudo);
}

size_t
redact_count(const struct redactor *r, const char *kind)
{
	size_t i, n = 0;

	if (!strcmp(kind, "net"))
		return r->nv4_nets;
	if (!strcmp(kind, "net6"))
		return r->nv6_nets;
	for (i = 0; i < r->cap_names; i++)
		if (r->names[i].key && !strcmp(kind_names[r->names[i].kind], kind))
			n++;
	return n;
}
