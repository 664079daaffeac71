/*
 * The libreswan adapter: pluto's lines and what its words mean. pluto
 * names payloads as the RFC's figures do ("Ni", "SK{IDr,AUTH}", "N(X)"),
 * notifies by the protocol's names (older releases with "v2N_" before
 * them), and transforms by names without the protocol's prefixes
 * ("AES_GCM_16_256", "HMAC_SHA2_512" the PRF, "HMAC_SHA2_256_128" the
 * integrity, "MODP2048", "DH19"), as "key=value" lists ("{cipher=... integ=...
 * prf=... ke=...}") or "-"-joined proposals ("IKE=AES_CBC_256-HMAC_SHA1-MODP2048").
 */
#include <stdlib.h>
#include <string.h>

#include "ikescope/dialect.h"
#include "ikescope/event.h"
#include "ikescope/proto.h"

void
dialect_libreswan_event(const struct lex_record *rec, const struct gram_match *m,
			struct ike_event *ev)
{
	const struct gram_value *v;

	dialect_common_event(rec, m, ev);
	ev->response = dialect_word_is(gram_match_value(m, GRAM_FIELD_MSGTYPE), "response");
	if ((v = gram_match_value(m, GRAM_FIELD_ROLE)))
		ev->role = dialect_word_is(v, "initiator") || dialect_word_is(v, "i")
				   ? IKE_ROLE_INITIATOR
			   : dialect_word_is(v, "responder") || dialect_word_is(v, "r")
				   ? IKE_ROLE_RESPONDER
				   : IKE_ROLE_UNKNOWN;
}

struct word_value {
	const char *name;
	unsigned value;
};

static const struct word_value payloads[] = {
	{ "SA", PROTO_PAYLOAD_SA },     { "KE", PROTO_PAYLOAD_KE },
	{ "IDi", PROTO_PAYLOAD_IDI },   { "IDr", PROTO_PAYLOAD_IDR },
	{ "CERT", PROTO_PAYLOAD_CERT }, { "CERTREQ", PROTO_PAYLOAD_CERTREQ },
	{ "AUTH", PROTO_PAYLOAD_AUTH }, { "Ni", PROTO_PAYLOAD_NONCE },
	{ "Nr", PROTO_PAYLOAD_NONCE },  { "N", PROTO_PAYLOAD_NOTIFY },
	{ "D", PROTO_PAYLOAD_DELETE },  { "V", PROTO_PAYLOAD_VENDOR },
	{ "TSi", PROTO_PAYLOAD_TSI },   { "TSr", PROTO_PAYLOAD_TSR },
	{ "SK", PROTO_PAYLOAD_SK },     { "SKF", PROTO_PAYLOAD_SKF },
	{ "CP", PROTO_PAYLOAD_CP },     { "EAP", PROTO_PAYLOAD_EAP },
	{ "GSPM", PROTO_PAYLOAD_GSPM },
};

bool
dialect_libreswan_payload_type(const char *name, size_t n, unsigned *type)
{
	size_t i, k;

	if (!name)
		return false;
	/* "N(TS_UNACCEPTABLE)", "SK{IDr,AUTH}": the name before them */
	for (k = 0; k < n && name[k] != '(' && name[k] != '{'; k++)
		;
	for (i = 0; i < sizeof(payloads) / sizeof(payloads[0]); i++)
		if (strlen(payloads[i].name) == k && !memcmp(payloads[i].name, name, k)) {
			*type = payloads[i].value;
			return true;
		}
	return false;
}

const char *
dialect_libreswan_notify_name(const char *name, size_t n)
{
	char buf[64];
	unsigned v;

	/* "v2N_TS_UNACCEPTABLE" in older releases */
	if (n > 4 && !memcmp(name, "v2N_", 4)) {
		name += 4;
		n -= 4;
	}
	if (n >= sizeof(buf))
		return NULL;
	memcpy(buf, name, n);
	buf[n] = 0;
	return proto_notify_value(buf, &v) ? proto_notify_name(v) : NULL;
}

/* ---- transforms ---- */

struct spelling {
	unsigned type;
	const char *name;
	unsigned iana;
	bool sized; /* a key size may follow ("AES_CBC_256") */
};

static const struct spelling spellings[] = {
	{ 1, "3DES_CBC", 3, false },
	{ 1, "3DES", 3, false },
	{ 1, "NULL", 11, false },
	{ 1, "AES_CBC", 12, true },
	{ 1, "AES", 12, true },
	{ 1, "AES_CTR", 13, true },
	{ 1, "AES_CCM_8", 14, true },
	{ 1, "AES_CCM_12", 15, true },
	{ 1, "AES_CCM_16", 16, true },
	{ 1, "AES_GCM_8", 18, true },
	{ 1, "AES_GCM_12", 19, true },
	{ 1, "AES_GCM_16", 20, true },
	{ 1, "NULL_AUTH_AES_GMAC", 21, true },
	{ 1, "CAMELLIA_CBC", 23, true },
	{ 1, "CAMELLIA_CTR", 24, true },
	{ 1, "CHACHA20_POLY1305", 28, false },
	{ 2, "HMAC_MD5", 1, false },
	{ 2, "HMAC_SHA1", 2, false },
	{ 2, "AES_XCBC", 4, false },
	{ 2, "HMAC_SHA2_256", 5, false },
	{ 2, "HMAC_SHA2_384", 6, false },
	{ 2, "HMAC_SHA2_512", 7, false },
	{ 2, "AES_CMAC", 8, false },
	{ 3, "NONE", 0, false },
	{ 3, "n/a", 0, false },
	{ 3, "HMAC_MD5_96", 1, false },
	{ 3, "HMAC_SHA1_96", 2, false },
	{ 3, "AES_XCBC_96", 5, false },
	{ 3, "AES_CMAC_96", 8, false },
	{ 3, "HMAC_SHA2_256_128", 12, false },
	{ 3, "HMAC_SHA2_384_192", 13, false },
	{ 3, "HMAC_SHA2_512_256", 14, false },
	{ 5, "ESN", 1, false },
	{ 5, "NO_ESN", 0, false },
};

static bool
spelled(const char *w, size_t n, const char *s, bool sized)
{
	size_t k = strlen(s), i;

	if (n < k || memcmp(w, s, k))
		return false;
	if (n == k)
		return true;
	if (!sized || w[k] != '_' || n == k + 1)
		return false;
	for (i = k + 1; i < n; i++)
		if (w[i] < '0' || w[i] > '9')
			return false;
	return true;
}

/* A D-H group's name: "MODP2048", "DH19", "ECP_256", "CURVE25519". */
static bool
group_of(const char *w, size_t n, unsigned *iana)
{
	static const struct word_value modp[] = {
		{ "MODP768", 1 },     { "MODP1024", 2 },  { "MODP1536", 5 },  { "MODP2048", 14 },
		{ "MODP3072", 15 },   { "MODP4096", 16 }, { "MODP6144", 17 }, { "MODP8192", 18 },
		{ "CURVE25519", 31 }, { "CURVE448", 32 }, { "ECP_256", 19 },  { "ECP_384", 20 },
		{ "ECP_521", 21 },
	};
	char buf[24];
	size_t i;

	for (i = 0; i < sizeof(modp) / sizeof(modp[0]); i++)
		if (strlen(modp[i].name) == n && !memcmp(modp[i].name, w, n)) {
			*iana = modp[i].value;
			return true;
		}
	if (n > 2 && n < sizeof(buf) && w[0] == 'D' && w[1] == 'H') {
		char *end;
		unsigned long v;

		memcpy(buf, w + 2, n - 2);
		buf[n - 2] = 0;
		v = strtoul(buf, &end, 10);
		if (end != buf && !*end && proto_dh_name((unsigned)v)) {
			*iana = (unsigned)v;
			return true;
		}
	}
	return false;
}

static bool
transform_of(const char *w, size_t n, unsigned *type, unsigned *iana)
{
	size_t i;

	for (i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++)
		if (spelled(w, n, spellings[i].name, spellings[i].sized)) {
			*type = spellings[i].type;
			*iana = spellings[i].iana;
			return true;
		}
	if (group_of(w, n, iana)) {
		*type = 4;
		return true;
	}
	return false;
}

bool
dialect_libreswan_transform(unsigned type, const char *name, unsigned *iana)
{
	unsigned t, v;

	if (!name || !transform_of(name, strlen(name), &t, &v) || t != type)
		return false;
	*iana = v;
	return true;
}

/* The transform type a "key=" of a "{cipher=... integ=...}" list names, 0 if none. */
static unsigned
type_of_key(const char *k, size_t n)
{
	static const struct word_value keys[] = {
		{ "cipher", 1 }, { "encrypt", 1 }, { "prf", 2 }, { "integ", 3 },
		{ "group", 4 },  { "ke", 4 },      { "dh", 4 },  { "pfs", 4 },
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strlen(keys[i].name) == n && !memcmp(keys[i].name, k, n))
			return keys[i].value;
	return 0;
}

size_t
dialect_libreswan_transform_words(const char *text, size_t len, bool ike,
				  struct dialect_transform_word *out, size_t max)
{
	size_t i = 0, n = 0, words = 0;

	(void)ike;
	while (i < len && n < max) {
		size_t at, end, eq = 0;
		unsigned type, v, keyed = 0;

		while (i < len && strchr(" \t-+,;", text[i]))
			i++;
		at = i;
		while (i < len && !strchr(" \t-+,;", text[i]))
			i++;
		end = i;
		if (end == at)
			continue;
		/* "2:IKE=...": the next proposal */
		if (words++ && text[at] >= '0' && text[at] <= '9' &&
		    memchr(text + at, ':', end - at))
			break;
		/* "1:IKE=", "ESP=": the protocol before the list */
		for (eq = at; eq < end && text[eq] != '='; eq++)
			;
		if (eq < end) {
			const char *colon = memchr(text + at, ':', eq - at);
			const char *k = colon ? colon + 1 : text + at;

			keyed = type_of_key(k, (size_t)(text + eq - k));
			at = eq + 1;
		}
		if (end > at && transform_of(text + at, end - at, &type, &v) &&
		    (!keyed || keyed == type || (keyed == 2 && type == 3))) {
			out[n].type = keyed ? keyed : type;
			out[n].at = at;
			out[n].len = end - at;
			n++;
		}
	}
	return n;
}

const char *
dialect_libreswan_group_number(const char *name)
{
	unsigned v;

	if (name && group_of(name, strlen(name), &v) && dialect_group_text(v))
		return dialect_group_text(v);
	return name;
}

static const struct word_value auth_methods[] = {
	{ "authby=secret", PROTO_AUTH_PSK },
	{ "shared-key-mac", PROTO_AUTH_PSK },
	{ "PSK", PROTO_AUTH_PSK },
	{ "authby=rsasig", PROTO_AUTH_RSA_SIG },
	{ "RSA", PROTO_AUTH_RSA_SIG },
	{ "RSASSA-PSS", PROTO_AUTH_DIGITAL_SIG },
	{ "digital-signature", PROTO_AUTH_DIGITAL_SIG },
	{ "ECDSA", PROTO_AUTH_DIGITAL_SIG },
	{ "authby=null", PROTO_AUTH_NULL_AUTH },
};

bool
dialect_libreswan_auth_method(const char *name, size_t n, unsigned *method)
{
	size_t i;

	for (i = 0; name && i < sizeof(auth_methods) / sizeof(auth_methods[0]); i++) {
		size_t k = strlen(auth_methods[i].name);

		if (n >= k && !memcmp(name, auth_methods[i].name, k)) {
			*method = auth_methods[i].value;
			return true;
		}
	}
	return false;
}

/* ---- remedies in ipsec.conf terms ---- */

static const struct dialect_remedy_text remedies[] = {
	{ "NO_PROPOSAL_CHOSEN",
	  "give both ends a common IKE proposal: the connection's ike= in "
	  "ipsec.conf must share an encryption, integrity, PRF and D-H group "
	  "with the peer's",
	  "give both ends a common child SA proposal: the connection's esp= "
	  "in ipsec.conf (with its PFS group) must match one of the peer's" },
	{ "INVALID_KE_PAYLOAD",
	  "put the D-H group the responder asks for first in the connection's ike= "
	  "(ipsec.conf), or allow the offered one on the responder",
	  NULL },
	{ "TS_UNACCEPTABLE",
	  "make the connection's leftsubnet= and rightsubnet= (ipsec.conf) mirror "
	  "the peer's protected networks",
	  NULL },
	{ "AUTHENTICATION_FAILED",
	  "set the same pre-shared key on both ends (ipsec.secrets, for the "
	  "leftid/rightid pair the log names) and check authby=",
	  "check the keys and certificates each end presents (leftcert=, "
	  "leftid=, rightid=, authby= in ipsec.conf) and that the other end "
	  "trusts them" },
	{ "NO_RESPONSE", DIALECT_REMEDY_NO_RESPONSE_CONN, NULL },
	{ "CONFIG_MISSING",
	  "add a connection whose left=/right= and leftid=/rightid= (ipsec.conf) "
	  "match this peer",
	  NULL },
	{ "PEER_ID_MISMATCH",
	  "make rightid= (ipsec.conf) the identity the peer sends, or have the peer "
	  "send that identity",
	  NULL },
	{ "CERTIFICATE_INVALID",
	  "import the CA that issued the peer's certificate into the NSS database "
	  "(ipsec import / certutil) and check its validity",
	  NULL },
	{ "CHILD_SA_REJECTED",
	  "compare the connection's esp=, leftsubnet= and rightsubnet= "
	  "(ipsec.conf) with the peer's child SA settings",
	  NULL },
};

const char *
dialect_libreswan_remedy(const struct dialect_remedy *q)
{
	return dialect_remedy_from(remedies, sizeof(remedies) / sizeof(remedies[0]), q);
}

const struct dialect_words dialect_libreswan_words = {
	.event = dialect_libreswan_event,
	.payload_type = dialect_libreswan_payload_type,
	.notify_name = dialect_libreswan_notify_name,
	.transform = dialect_libreswan_transform,
	.transform_words = dialect_libreswan_transform_words,
	.group_number = dialect_libreswan_group_number,
	.auth_method = dialect_libreswan_auth_method,
	.peer_config = "connection",
	.remedy = dialect_libreswan_remedy,
};
