/*
 * The Cisco spelling of IKEv2 transforms, as ASA, IOS and IOS-XE print
 * them in payload dumps, proposal summaries and policy lists, mapped to
 * the IANA values of proto.h. A key size in the name ("AES-CBC-256") is
 * the key length attribute, not another algorithm.
 */
#include "ikescope/dialect.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ikescope/event.h"
#include "ikescope/lexer.h"
#include "ikescope/proto.h"

struct spelling {
	unsigned type;
	const char *name; /* a prefix when it ends in '-': the key size may follow */
	unsigned iana;
};

static const struct spelling spellings[] = {
	/* encryption: the key size may follow ("AES-CBC-256", "AES-GCM-128") */
	{ 1, "AES-CBC", 12 },
	{ 1, "AES-GCM-8", 18 },
	{ 1, "AES-GCM-12", 19 },
	{ 1, "AES-GCM", 20 },
	{ 1, "AES-GMAC", 21 },
	{ 1, "AES-CTR", 13 },
	{ 1, "3DES", 3 },
	{ 1, "DES", 2 },
	{ 1, "NULL", 11 },
	/* PRF */
	{ 2, "MD5", 1 },
	{ 2, "SHA1", 2 },
	{ 2, "SHA", 2 },
	{ 2, "SHA256", 5 },
	{ 2, "SHA384", 6 },
	{ 2, "SHA512", 7 },
	{ 2, "AES-XCBC", 4 },
	{ 2, "AES-CMAC", 8 },
	/* integrity: the ASA names HMAC-SHA1-96 "SHA96" */
	{ 3, "MD596", 1 },
	{ 3, "MD5", 1 },
	{ 3, "SHA96", 2 },
	{ 3, "SHA1", 2 },
	{ 3, "SHA", 2 },
	{ 3, "AES-XCBC-96", 5 },
	{ 3, "SHA256", 12 },
	{ 3, "SHA384", 13 },
	{ 3, "SHA512", 14 },
	{ 3, "NULL", 0 },
	{ 3, "NONE", 0 },
	/* ESN */
	{ 5, "Don't use ESN", 0 },
	{ 5, "Use ESN", 1 },
};

/* True if name is s, or s followed by "-" and a key size ("AES-CBC-256"). */
static bool
names(const char *name, const char *s)
{
	size_t n;
	const char *k;

	/* most names differ at once: no call for them */
	if ((name[0] | 0x20) != (s[0] | 0x20))
		return false;
	n = strlen(s);
	if (strncasecmp(name, s, n))
		return false;
	if (!name[n])
		return true;
	if (name[n] != '-' || !name[n + 1])
		return false;
	for (k = name + n + 1; *k >= '0' && *k <= '9'; k++)
		;
	return !*k;
}

bool
dialect_cisco_transform(unsigned type, const char *name, unsigned *iana)
{
	size_t i;

	if (!name)
		return false;
	if (type == 4) {
		/* "DH_GROUP_2048_MODP/Group 14", "Group 14" */
		const char *g = strstr(name, "Group ");
		char *end;
		unsigned long v;

		if (!g)
			return false;
		v = strtoul(g + 6, &end, 10);
		if (end == g + 6 || *end || !proto_dh_name((unsigned)v))
			return false;
		*iana = (unsigned)v;
		return true;
	}
	for (i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++)
		if (spellings[i].type == type && names(name, spellings[i].name)) {
			*iana = spellings[i].iana;
			return true;
		}
	return false;
}

/* ---- payload names ---- */

static const struct {
	const char *name;
	unsigned type;
} payload_spellings[] = {
	{ "VID", PROTO_PAYLOAD_VENDOR },    { "NOTIFY", PROTO_PAYLOAD_NOTIFY },
	{ "DELETE", PROTO_PAYLOAD_DELETE }, { "CFG", PROTO_PAYLOAD_CP },
	{ "NONCE", PROTO_PAYLOAD_NONCE },   { "ENCR", PROTO_PAYLOAD_SK },
};

bool
dialect_cisco_payload_type(const char *name, size_t n, unsigned *type)
{
	const char *open = name ? memchr(name, '(', n) : NULL;
	size_t i;

	if (!name)
		return false;
	if (open && n && name[n - 1] == ')')
		n = (size_t)(open - name); /* "NOTIFY(NO_PROPOSAL_CHOSEN)" */
	if (!n)
		return false;
	if (proto_payload_value(name, n, type))
		return true;
	for (i = 0; i < sizeof(payload_spellings) / sizeof(payload_spellings[0]); i++)
		if ((payload_spellings[i].name[0] | 0x20) == (name[0] | 0x20) &&
		    strlen(payload_spellings[i].name) == n &&
		    !strncasecmp(payload_spellings[i].name, name, n)) {
			*type = payload_spellings[i].type;
			return true;
		}
	/* in any case: a log may print "Ke" or "nonce" */
	return proto_payload_value_icase(name, n, type);
}

/* ---- ID types and AUTH methods ---- */

struct word_value {
	const char *name;
	unsigned value;
};

static const struct word_value id_spellings[] = {
	{ "IPv4 address", PROTO_ID_IPV4_ADDR },
	{ "IPv6 address", PROTO_ID_IPV6_ADDR },
	{ "FQDN", PROTO_ID_FQDN },
	{ "email", PROTO_ID_RFC822_ADDR },
	{ "DER ASN1 DN", PROTO_ID_DER_ASN1_DN },
	{ "DER ASN1 GN", PROTO_ID_DER_ASN1_GN },
	{ "key ID", PROTO_ID_KEY_ID },
};

static const struct word_value auth_spellings[] = {
	{ "PSK", PROTO_AUTH_PSK },
	{ "RSA", PROTO_AUTH_RSA_SIG },
	{ "DSS", PROTO_AUTH_DSS_SIG },
};

static const struct word_value cfg_type_spellings[] = {
	{ "CFG_REQUEST", PROTO_CFG_REQUEST },
	{ "CFG_REPLY", PROTO_CFG_REPLY },
	{ "CFG_SET", PROTO_CFG_SET },
	{ "CFG_ACK", PROTO_CFG_ACK },
};

static const struct word_value cfg_attr_spellings[] = {
	{ "internal IP4 address", PROTO_CFG_INTERNAL_IP4_ADDRESS },
	{ "internal IP4 netmask", PROTO_CFG_INTERNAL_IP4_NETMASK },
	{ "internal IP4 DNS", PROTO_CFG_INTERNAL_IP4_DNS },
	{ "internal IP4 NBNS", PROTO_CFG_INTERNAL_IP4_NBNS },
	{ "internal address expiry", PROTO_CFG_INTERNAL_ADDRESS_EXPIRY },
	{ "internal IP4 DHCP", PROTO_CFG_INTERNAL_IP4_DHCP },
	{ "application version", PROTO_CFG_APPLICATION_VERSION },
	{ "internal IP6 address", PROTO_CFG_INTERNAL_IP6_ADDRESS },
	{ "internal IP6 DNS", PROTO_CFG_INTERNAL_IP6_DNS },
	{ "internal IP6 DHCP", PROTO_CFG_INTERNAL_IP6_DHCP },
	{ "internal IP4 subnet", PROTO_CFG_INTERNAL_IP4_SUBNET },
	{ "supported attributes", PROTO_CFG_SUPPORTED_ATTRIBUTES },
	{ "internal IP6 subnet", PROTO_CFG_INTERNAL_IP6_SUBNET },
};

/* A word of table t in any case, else the protocol's own name. */
static bool
spelled(const struct word_value *t, size_t nt, const char *name, size_t n, unsigned *out,
	bool (*proto_value)(const char *, unsigned *))
{
	char buf[48];
	size_t i;

	if (!name || !n || n >= sizeof(buf))
		return false;
	memcpy(buf, name, n);
	buf[n] = 0;
	for (i = 0; i < nt; i++)
		if (!strcasecmp(t[i].name, buf)) {
			*out = t[i].value;
			return true;
		}
	return proto_value(buf, out);
}

bool
dialect_cisco_id_type(const char *name, size_t n, unsigned *type)
{
	return spelled(id_spellings, sizeof(id_spellings) / sizeof(id_spellings[0]), name, n, type,
		       proto_id_type_value);
}

bool
dialect_cisco_auth_method(const char *name, size_t n, unsigned *method)
{
	return spelled(auth_spellings, sizeof(auth_spellings) / sizeof(auth_spellings[0]), name, n,
		       method, proto_auth_method_value);
}

bool
dialect_cisco_cfg_type(const char *name, size_t n, unsigned *type)
{
	return spelled(cfg_type_spellings,
		       sizeof(cfg_type_spellings) / sizeof(cfg_type_spellings[0]), name, n, type,
		       proto_cfg_type_value);
}

bool
dialect_cisco_cfg_attr(const char *name, size_t n, unsigned *type)
{
	return spelled(cfg_attr_spellings,
		       sizeof(cfg_attr_spellings) / sizeof(cfg_attr_spellings[0]), name, n, type,
		       proto_cfg_attr_value);
}

/* ---- transform lists ---- */

static bool
starts(const char *p, const char *end, const char *w)
{
	size_t n = strlen(w);

	return (size_t)(end - p) >= n && !memcmp(p, w, n);
}

static bool
has_in(const char *p, size_t n, const char *w)
{
	size_t k = strlen(w), i;

	for (i = 0; i + k <= n; i++)
		if (!memcmp(p + i, w, k))
			return true;
	return false;
}

size_t
dialect_cisco_transform_words(const char *text, size_t len, bool ike,
			      struct dialect_transform_word *out, size_t max)
{
	const char *p = text, *end = text + len;
	size_t n = 0, ciphers = 0, hashes = 0;

	while (p < end && n < max) {
		const char *w;
		unsigned type;

		while (p < end && *p == ' ')
			p++;
		if (p >= end)
			break;
		w = p;
		if (starts(p, end, "Don't use ESN") || starts(p, end, "Use ESN")) {
			p += *p == 'D' ? 13 : 7;
			type = 5;
		} else {
			while (p < end && *p != ' ')
				p++;
			/* "DH_GROUP_2048_MODP/Group 14" is one transform */
			if (p + 1 < end && p[1] >= '0' && p[1] <= '9' &&
			    (p[1] == '1' || p[1] == '2' || has_in(w, (size_t)(p - w), "Group")))
				for (p++; p < end && *p >= '0' && *p <= '9'; p++)
					;
			if (starts(w, end, "DH_GROUP") || starts(w, end, "Group")) {
				type = 4;
			} else if (!ciphers && !hashes) {
				/* the device lists the cipher first */
				type = 1;
				ciphers++;
			} else if (starts(w, end, "AES") || starts(w, end, "3DES") ||
				   starts(w, end, "DES") || starts(w, end, "NULL") ||
				   starts(w, end, "CAMELLIA") || starts(w, end, "CHACHA")) {
				type = 1;
				ciphers++;
			} else {
				type = ike && !hashes++ ? 2 : 3;
			}
		}
		out[n].type = type;
		out[n].at = (size_t)(w - text);
		out[n].len = (size_t)(p - w);
		n++;
	}
	return n;
}

const char *
dialect_cisco_group_number(const char *name)
{
	const char *g = strstr(name, "Group ");

	return g ? g + 6 : name;
}

/* ---- what the ASA and IOS adapters share ---- */

void
dialect_cisco_event(const struct lex_record *rec, const struct gram_match *m, struct ike_event *ev)
{
	const struct gram_value *v;

	dialect_common_event(rec, m, ev);
	/* "(I)" / "(R)": the SA's role in the SM Trace and the event trace */
	if ((v = gram_match_value(m, GRAM_FIELD_ROLE)))
		ev->role = dialect_word_is(v, "I")   ? IKE_ROLE_INITIATOR
			   : dialect_word_is(v, "R") ? IKE_ROLE_RESPONDER
						     : IKE_ROLE_UNKNOWN;
	ev->response = dialect_word_is(gram_match_value(m, GRAM_FIELD_MSGTYPE), "RESPONSE");
	/* the header's flags: "MSG-RESPONSE", cut to "MSG-" or "MSG" in some copies */
	if ((v = gram_match_value(m, GRAM_FIELD_FLAGS)) && memmem(v->p, v->len, "MSG", 3))
		ev->response = true;
}
