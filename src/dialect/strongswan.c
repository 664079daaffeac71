/*
 * The strongSwan adapter: charon's log lines (syslog, journal, its file
 * logger, swanctl's and ipsec's output) and what its words mean. Charon
 * names payloads by short names in its message lists ("No" the nonce, "N"
 * a notify, "E" the encrypted payload, "EF" a fragment, "CPRQ" a
 * configuration request), notifies by short names ("NO_PROP",
 * "AUTH_FAILED", "TS_UNACCEPT") and transforms by names that carry the key
 * size ("AES_CBC_128", "AES_GCM_16_256", "AES_CBC-256" in swanctl's lists).
 */
#include <stdio.h>
#include <string.h>

#include "ikescope/dialect.h"
#include "ikescope/event.h"
#include "ikescope/proto.h"

void
dialect_strongswan_event(const struct lex_record *rec, const struct gram_match *m,
			 struct ike_event *ev)
{
	const struct gram_value *v;

	dialect_common_event(rec, m, ev);
	ev->response = dialect_word_is(gram_match_value(m, GRAM_FIELD_MSGTYPE), "response");
	/* "IKE_SA x[1] established" names the SA; "<x|1>" and "x[1]" are its unique id */
	if ((v = gram_match_value(m, GRAM_FIELD_ROLE)))
		ev->role = dialect_word_is(v, "i")   ? IKE_ROLE_INITIATOR
			   : dialect_word_is(v, "r") ? IKE_ROLE_RESPONDER
						     : IKE_ROLE_UNKNOWN;
	/*
	 * charon-systemd's journal copy has no thread and group; charon's own
	 * line has them ("13[IKE]"), and may have such a twin
	 */
	if (gram_match_value(m, GRAM_FIELD_COPY))
		ev->copy = IKE_COPY_SECOND;
	else if (gram_match_value(m, GRAM_FIELD_FACILITY))
		ev->copy = IKE_COPY_FIRST;
}

/* ---- payload and notify names ---- */

struct short_name {
	const char *name;
	unsigned value;
};

static const struct short_name payloads[] = {
	{ "SA", PROTO_PAYLOAD_SA },     { "KE", PROTO_PAYLOAD_KE },
	{ "IDi", PROTO_PAYLOAD_IDI },   { "IDr", PROTO_PAYLOAD_IDR },
	{ "CERT", PROTO_PAYLOAD_CERT }, { "CERTREQ", PROTO_PAYLOAD_CERTREQ },
	{ "AUTH", PROTO_PAYLOAD_AUTH }, { "No", PROTO_PAYLOAD_NONCE },
	{ "N", PROTO_PAYLOAD_NOTIFY },  { "D", PROTO_PAYLOAD_DELETE },
	{ "V", PROTO_PAYLOAD_VENDOR },  { "TSi", PROTO_PAYLOAD_TSI },
	{ "TSr", PROTO_PAYLOAD_TSR },   { "E", PROTO_PAYLOAD_SK },
	{ "CP", PROTO_PAYLOAD_CP },     { "CPRQ", PROTO_PAYLOAD_CP },
	{ "CPRP", PROTO_PAYLOAD_CP },   { "CPS", PROTO_PAYLOAD_CP },
	{ "CPA", PROTO_PAYLOAD_CP },    { "EAP", PROTO_PAYLOAD_EAP },
	{ "GSPM", PROTO_PAYLOAD_GSPM }, { "EF", PROTO_PAYLOAD_SKF },
};

bool
dialect_strongswan_payload_type(const char *name, size_t n, unsigned *type)
{
	size_t i, k;

	if (!name)
		return false;
	/* "N(NO_PROP)", "EF(1/3)", "CPRQ(ADDR DNS)", "EAP/REQ/ID": the name before them */
	for (k = 0; k < n && name[k] != '(' && name[k] != '/'; k++)
		;
	for (i = 0; i < sizeof(payloads) / sizeof(payloads[0]); i++)
		if (strlen(payloads[i].name) == k && !memcmp(payloads[i].name, name, k)) {
			*type = payloads[i].value;
			return true;
		}
	return false;
}

/* charon's short notify names, as its message lists print them */
static const struct short_name notifies[] = {
	{ "CRIT", 1 },
	{ "INVAL_IKE_SPI", 4 },
	{ "INVAL_MAJOR", 5 },
	{ "INVAL_SYN", 7 },
	{ "INVAL_MID", 9 },
	{ "INVAL_SPI", 11 },
	{ "NO_PROP", 14 },
	{ "INVAL_KE", 17 },
	{ "AUTH_FAILED", 24 },
	{ "SINGLE_PAIR", 34 },
	{ "NO_ADD_SAS", 35 },
	{ "INT_ADDR_FAIL", 36 },
	{ "FAIL_CP_REQ", 37 },
	{ "TS_UNACCEPT", 38 },
	{ "INVAL_SEL", 39 },
	{ "UNACCEPT_ADDR", 40 },
	{ "UNEXPECT_NAT", 41 },
	{ "ASSIGNED_HoA", 42 },
	{ "TEMP_FAIL", 43 },
	{ "NO_CHILD_SA", 44 },
	{ "INVAL_GROUP", 45 },
	{ "AUTHZ_FAILED", 46 },
	{ "NO_STATE", 47 },
	{ "INIT_CONTACT", 16384 },
	{ "SET_WINSIZE", 16385 },
	{ "ADD_TS_POSS", 16386 },
	{ "IPCOMP_SUP", 16387 },
	{ "NATD_S_IP", 16388 },
	{ "NATD_D_IP", 16389 },
	{ "COOKIE", 16390 },
	{ "USE_TRANSP", 16391 },
	{ "HTTP_CERT_LOOK", 16392 },
	{ "REKEY_SA", 16393 },
	{ "ESP_TFC_PAD_N", 16394 },
	{ "NON_FIRST_FRAG", 16395 },
	{ "MOBIKE_SUP", 16396 },
	{ "ADD_4_ADDR", 16397 },
	{ "ADD_6_ADDR", 16398 },
	{ "NO_ADD_ADDR", 16399 },
	{ "UPD_SA_ADDR", 16400 },
	{ "COOKIE2", 16401 },
	{ "NO_NATS", 16402 },
	{ "AUTH_LFT", 16403 },
	{ "MULT_AUTH", 16404 },
	{ "AUTH_FOLLOWS", 16405 },
	{ "REDIR_SUP", 16406 },
	{ "REDIR", 16407 },
	{ "REDIR_FROM", 16408 },
	{ "TKT_LT_OPAK", 16409 },
	{ "TKT_REQ", 16410 },
	{ "TKT_ACK", 16411 },
	{ "TKT_NACK", 16412 },
	{ "TKT_OPAK", 16413 },
	{ "LINK_ID", 16414 },
	{ "WESP_MODE", 16415 },
	{ "ROHC_SUP", 16416 },
	{ "EAP_ONLY", 16417 },
	{ "CHDLESS_SUP", 16418 },
	{ "CRASH_DET", 16419 },
	{ "MSG_ID_SYN_SUP", 16420 },
	{ "RPL_CTR_SYN_SUP", 16421 },
	{ "MSG_ID_SYN", 16422 },
	{ "RPL_CTR_SYN", 16423 },
	{ "SEC_PASSWD", 16424 },
	{ "PSK_PST", 16425 },
	{ "PSK_CFM", 16426 },
	{ "ERX_SUP", 16427 },
	{ "IFOM_CAP", 16428 },
	{ "SENDER_REQ_ID", 16429 },
	{ "FRAG_SUP", 16430 },
	{ "HASH_ALG", 16431 },
	{ "CLONE_IKE_SA_SUP", 16432 },
	{ "CLONE_IKE_SA", 16433 },
	{ "PUZZLE", 16434 },
	{ "USE_PPK", 16435 },
};

const char *
dialect_strongswan_notify_name(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(notifies) / sizeof(notifies[0]); i++)
		if (strlen(notifies[i].name) == n && !memcmp(notifies[i].name, name, n))
			return proto_notify_name(notifies[i].value);
	return NULL;
}

/* ---- transforms ---- */

struct spelling {
	unsigned type;
	const char *name;
	unsigned iana;
	bool sized; /* a key size may follow ("AES_CBC_128", "AES_CBC-128") */
};

static const struct spelling spellings[] = {
	{ 1, "DES_CBC", 2, false },
	{ 1, "3DES_CBC", 3, false },
	{ 1, "CAST_CBC", 6, true },
	{ 1, "BLOWFISH_CBC", 7, true },
	{ 1, "NULL", 11, false },
	{ 1, "AES_CBC", 12, true },
	{ 1, "AES_CTR", 13, true },
	{ 1, "AES_CCM_8", 14, true },
	{ 1, "AES_CCM_12", 15, true },
	{ 1, "AES_CCM_16", 16, true },
	{ 1, "AES_GCM_8", 18, true },
	{ 1, "AES_GCM_12", 19, true },
	{ 1, "AES_GCM_16", 20, true },
	{ 1, "NULL_AES_GMAC", 21, true },
	{ 1, "CAMELLIA_CBC", 23, true },
	{ 1, "CAMELLIA_CTR", 24, true },
	{ 1, "CAMELLIA_CCM_8", 25, true },
	{ 1, "CAMELLIA_CCM_12", 26, true },
	{ 1, "CAMELLIA_CCM_16", 27, true },
	{ 1, "CHACHA20_POLY1305", 28, true },
	{ 2, "PRF_HMAC_MD5", 1, false },
	{ 2, "PRF_HMAC_SHA1", 2, false },
	{ 2, "PRF_HMAC_TIGER", 3, false },
	{ 2, "PRF_AES128_XCBC", 4, false },
	{ 2, "PRF_HMAC_SHA2_256", 5, false },
	{ 2, "PRF_HMAC_SHA2_384", 6, false },
	{ 2, "PRF_HMAC_SHA2_512", 7, false },
	{ 2, "PRF_AES128_CMAC", 8, false },
	{ 3, "HMAC_MD5_96", 1, false },
	{ 3, "HMAC_SHA1_96", 2, false },
	{ 3, "DES_MAC", 3, false },
	{ 3, "KPDK_MD5", 4, false },
	{ 3, "AES_XCBC_96", 5, false },
	{ 3, "HMAC_MD5_128", 6, false },
	{ 3, "HMAC_SHA1_160", 7, false },
	{ 3, "AES_CMAC_96", 8, false },
	{ 3, "AES_128_GMAC", 9, false },
	{ 3, "AES_192_GMAC", 10, false },
	{ 3, "AES_256_GMAC", 11, false },
	{ 3, "HMAC_SHA2_256_128", 12, false },
	{ 3, "HMAC_SHA2_384_192", 13, false },
	{ 3, "HMAC_SHA2_512_256", 14, false },
	{ 5, "NO_EXT_SEQ", 0, false },
	{ 5, "EXT_SEQ", 1, false },
};

/* True if the n bytes at w are s, or s and a key size ("_128", "-256") when sized. */
static bool
spelled(const char *w, size_t n, const char *s, bool sized)
{
	size_t k = strlen(s), i;

	if (n < k || memcmp(w, s, k))
		return false;
	if (n == k)
		return true;
	if (!sized || (w[k] != '_' && w[k] != '-') || n == k + 1)
		return false;
	for (i = k + 1; i < n; i++)
		if (w[i] < '0' || w[i] > '9')
			return false;
	return true;
}

/* The type and IANA value of one transform name; false if not known. */
static bool
transform_of(const char *w, size_t n, unsigned *type, unsigned *iana)
{
	char buf[48];
	size_t i;

	for (i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++)
		if (spelled(w, n, spellings[i].name, spellings[i].sized)) {
			*type = spellings[i].type;
			*iana = spellings[i].iana;
			return true;
		}
	/* "KE1_ML_KEM_768": an additional key exchange (RFC 9370, types 6 to 12) */
	if (n > 4 && w[0] == 'K' && w[1] == 'E' && w[2] >= '1' && w[2] <= '7' && w[3] == '_') {
		*type = 6 + (unsigned)(w[2] - '1');
		if (n - 4 < sizeof(buf)) {
			memcpy(buf, w + 4, n - 4);
			buf[n - 4] = 0;
			if (proto_transform_value(4, buf, iana))
				return true;
		}
		*iana = 0; /* a method of its own name ("KYBER_L3") */
		return true;
	}
	if (n < sizeof(buf)) {
		memcpy(buf, w, n);
		buf[n] = 0;
		/* the D-H groups: "MODP_2048", "ECP_256", "CURVE_25519" */
		if (proto_transform_value(4, buf, iana)) {
			*type = 4;
			return true;
		}
	}
	return false;
}

bool
dialect_strongswan_transform(unsigned type, const char *name, unsigned *iana)
{
	unsigned t, v;

	if (!name || !transform_of(name, strlen(name), &t, &v) || t != type)
		return false;
	*iana = v;
	return true;
}

size_t
dialect_strongswan_transform_words(const char *text, size_t len, bool ike,
				   struct dialect_transform_word *out, size_t max)
{
	size_t i = 0, n = 0;

	(void)ike;
	/* "IKE:" or "ESP:" before the list */
	for (i = 0; i < len && text[i] >= 'A' && text[i] <= 'Z'; i++)
		;
	i = i < len && text[i] == ':' ? i + 1 : 0;
	while (i < len && n < max) {
		size_t at;
		unsigned type, v;

		while (i < len && (text[i] == '/' || text[i] == ' '))
			i++;
		at = i;
		while (i < len && text[i] != '/' && text[i] != ' ' && text[i] != ',')
			i++;
		if (i > at && transform_of(text + at, i - at, &type, &v)) {
			out[n].type = type;
			out[n].at = at;
			out[n].len = i - at;
			n++;
		}
		if (i < len && text[i] == ',')
			break; /* the next proposal */
	}
	return n;
}

const char *
dialect_strongswan_group_number(const char *name)
{
	unsigned v;

	if (name && proto_transform_value(4, name, &v) && dialect_group_text(v))
		return dialect_group_text(v);
	return name;
}

/* ---- ID types and AUTH methods, as "authentication of 'x' with ..." names them ---- */

static const struct short_name auth_methods[] = {
	{ "pre-shared key", PROTO_AUTH_PSK },
	{ "RSA signature", PROTO_AUTH_RSA_SIG },
	{ "RSA_EMSA_PKCS1_SHA2_256", PROTO_AUTH_DIGITAL_SIG },
	{ "RSA_EMSA_PKCS1_SHA2_384", PROTO_AUTH_DIGITAL_SIG },
	{ "RSA_EMSA_PKCS1_SHA2_512", PROTO_AUTH_DIGITAL_SIG },
	{ "RSA_EMSA_PSS", PROTO_AUTH_DIGITAL_SIG },
	{ "ECDSA-256 signature", PROTO_AUTH_ECDSA_256 },
	{ "ECDSA-384 signature", PROTO_AUTH_ECDSA_384 },
	{ "ECDSA-521 signature", PROTO_AUTH_ECDSA_521 },
	{ "ED25519", PROTO_AUTH_DIGITAL_SIG },
	{ "ED448", PROTO_AUTH_DIGITAL_SIG },
};

bool
dialect_strongswan_auth_method(const char *name, size_t n, unsigned *method)
{
	size_t i;

	for (i = 0; name && i < sizeof(auth_methods) / sizeof(auth_methods[0]); i++) {
		size_t k = strlen(auth_methods[i].name);

		/* "RSA_EMSA_PSS_SHA2_256 signature" and the like: the name's start */
		if (n >= k && !memcmp(name, auth_methods[i].name, k)) {
			*method = auth_methods[i].value;
			return true;
		}
	}
	return false;
}

/* ---- remedies in swanctl.conf (and ipsec.conf) terms ---- */

static const struct dialect_remedy_text remedies[] = {
	{ "NO_PROPOSAL_CHOSEN",
	  "give both ends a common IKE proposal: the connection's proposals "
	  "in swanctl.conf (ike= in ipsec.conf) must share an encryption, "
	  "integrity, PRF and key exchange method with the peer's",
	  "give both ends a common child SA proposal: esp_proposals of the "
	  "child in swanctl.conf (esp= in ipsec.conf), PFS group included, "
	  "must match one of the peer's" },
	{ "INVALID_KE_PAYLOAD",
	  "put the key exchange method the responder asks for first in the "
	  "connection's proposals (swanctl.conf), or allow the offered one on the "
	  "responder",
	  NULL },
	{ "TS_UNACCEPTABLE",
	  "make the child's local_ts and remote_ts (leftsubnet/rightsubnet in "
	  "ipsec.conf) mirror the peer's protected networks",
	  NULL },
	{ "AUTHENTICATION_FAILED",
	  "set the same pre-shared key on both ends (the ike secret in "
	  "swanctl.conf's secrets, or ipsec.secrets) for the identities "
	  "the log names",
	  "check the credentials each end presents (certificates, "
	  "local/remote auth and id in swanctl.conf) and that the other end "
	  "trusts them" },
	{ "NO_RESPONSE", DIALECT_REMEDY_NO_RESPONSE_CONN, NULL },
	{ "CONFIG_MISSING",
	  "add a connection whose local and remote addresses and identities "
	  "(local_addrs, remote_addrs, id in swanctl.conf) match this peer",
	  NULL },
	{ "PEER_ID_MISMATCH",
	  "make the remote id of the connection (swanctl.conf) the identity the peer "
	  "sends, or have the peer send that identity",
	  NULL },
	{ "CERTIFICATE_INVALID",
	  "install the CA certificate that issued the peer's certificate "
	  "(swanctl/x509ca) and check the certificate's validity and revocation",
	  NULL },
	{ "CHILD_SA_REJECTED",
	  "compare the child's esp_proposals, local_ts and remote_ts (swanctl.conf) "
	  "with the peer's child SA settings",
	  NULL },
	{ "EAP_FAILURE",
	  "check the user's EAP credentials (swanctl.conf secrets, or the RADIUS "
	  "server) and the eap method both ends use",
	  NULL },
};

const char *
dialect_strongswan_remedy(const struct dialect_remedy *q)
{
	return dialect_remedy_from(remedies, sizeof(remedies) / sizeof(remedies[0]), q);
}

const struct dialect_words dialect_strongswan_words = {
	.event = dialect_strongswan_event,
	.payload_type = dialect_strongswan_payload_type,
	.notify_name = dialect_strongswan_notify_name,
	.transform = dialect_strongswan_transform,
	.transform_words = dialect_strongswan_transform_words,
	.group_number = dialect_strongswan_group_number,
	.auth_method = dialect_strongswan_auth_method,
	.peer_config = "connection",
	.remedy = dialect_strongswan_remedy,
};
