/*
 * The FortiGate adapter: FortiOS's IKE debug ("diagnose debug application
 * ike -1"). FortiOS names the exchanges without their prefix (SA_INIT,
 * AUTH, CREATE_CHILD; the grammar's map gives the protocol's names) and a
 * response by "_RESPONSE" after them; it names transforms as the protocol
 * does, the key length apart ("AES_CBC (key_len = 128)"), D-H groups as
 * "MODP2048" or "ECP256", notifies by the protocol's names.
 */
#include <stdlib.h>
#include <string.h>

#include "ikescope/dialect.h"
#include "ikescope/event.h"
#include "ikescope/proto.h"

void
dialect_fortigate_event(const struct lex_record *rec, const struct gram_match *m,
			struct ike_event *ev)
{
	const struct gram_value *v;

	dialect_common_event(rec, m, ev);
	v = gram_match_value(m, GRAM_FIELD_MSGTYPE);
	ev->response = v && v->len >= 8 && !memcmp(v->p + v->len - 8, "RESPONSE", 8);
}

struct word_value {
	const char *name;
	unsigned value;
};

/* ---- transforms ---- */

static const struct word_value encrs[] = {
	{ "DES_CBC", 2 },     { "DES", 2 },           { "3DES_CBC", 3 },
	{ "3DES", 3 },        { "NULL", 11 },         { "AES_CBC", 12 },
	{ "AES_CTR", 13 },    { "AES_CCM_8", 14 },    { "AES_CCM_12", 15 },
	{ "AES_CCM_16", 16 }, { "AES_GCM_8", 18 },    { "AES_GCM_12", 19 },
	{ "AES_GCM_16", 20 }, { "CAMELLIA_CBC", 23 }, { "CHACHA20_POLY1305", 28 },
};

static const struct word_value groups[] = {
	{ "MODP768", 1 },     { "MODP1024", 2 },  { "MODP1536", 5 },  { "MODP2048", 14 },
	{ "MODP3072", 15 },   { "MODP4096", 16 }, { "MODP6144", 17 }, { "MODP8192", 18 },
	{ "ECP256", 19 },     { "ECP384", 20 },   { "ECP521", 21 },   { "ECP192", 25 },
	{ "ECP224", 26 },     { "ECP256BP", 28 }, { "ECP384BP", 29 }, { "ECP512BP", 30 },
	{ "CURVE25519", 31 }, { "CURVE448", 32 },
};

/* A word of table t that is name, or name and "_KEYLEN" when sized. */
static bool
lookup(const struct word_value *t, size_t nt, const char *w, size_t n, bool sized, unsigned *out)
{
	size_t i, k, j;

	for (i = 0; i < nt; i++) {
		k = strlen(t[i].name);
		if (n < k || memcmp(w, t[i].name, k))
			continue;
		if (n == k) {
			*out = t[i].value;
			return true;
		}
		if (!sized || w[k] != '_' || n == k + 1)
			continue;
		for (j = k + 1; j < n && w[j] >= '0' && w[j] <= '9'; j++)
			;
		if (j == n) {
			*out = t[i].value;
			return true;
		}
	}
	return false;
}

/* A transform's name as FortiOS prints it, of a type, or of any when type is 0. */
static bool
transform_of(unsigned type, const char *w, size_t n, unsigned *got, unsigned *iana)
{
	char buf[48];
	unsigned t;

	if ((!type || type == 1) &&
	    lookup(encrs, sizeof(encrs) / sizeof(encrs[0]), w, n, true, iana)) {
		*got = 1;
		return true;
	}
	if ((!type || type == 4) &&
	    lookup(groups, sizeof(groups) / sizeof(groups[0]), w, n, false, iana)) {
		*got = 4;
		return true;
	}
	if (n >= sizeof(buf))
		return false;
	memcpy(buf, w, n);
	buf[n] = 0;
	/* integrity, PRF and the rest by the protocol's names (AUTH_HMAC_SHA2_256_128) */
	for (t = 1; t <= 5; t++)
		if ((!type || type == t) && proto_transform_value(t, buf, iana)) {
			*got = t;
			return true;
		}
	if ((!type || type == 5) && (!strcmp(buf, "NO_ESN") || !strcmp(buf, "ESN"))) {
		*got = 5;
		*iana = buf[0] == 'E';
		return true;
	}
	return false;
}

bool
dialect_fortigate_transform(unsigned type, const char *name, unsigned *iana)
{
	unsigned got;

	return name && transform_of(type, name, strlen(name), &got, iana);
}

/* The transform type a FortiOS "type=" names, 0 if none. */
static unsigned
type_named(const char *k, size_t n)
{
	static const struct word_value types[] = {
		{ "ENCR", 1 }, { "PRF", 2 }, { "INTEGR", 3 }, { "DH_GROUP", 4 }, { "ESN", 5 },
	};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strlen(types[i].name) == n && !memcmp(types[i].name, k, n))
			return types[i].value;
	if (n == 3 && k[0] == 'K' && k[1] == 'E' && k[2] >= '1' && k[2] <= '7')
		return 6 + (unsigned)(k[2] - '1');
	return 0;
}

/*
 * A proposal as the reconstructor gathers FortiOS's "type=X, val=Y" lines:
 * "ENCR=AES_CBC_128 INTEGR=AUTH_HMAC_SHA2_256_128 PRF=PRF_HMAC_SHA2_256
 * DH_GROUP=MODP2048"; a bare name is read by itself.
 */
size_t
dialect_fortigate_transform_words(const char *text, size_t len, bool ike,
				  struct dialect_transform_word *out, size_t max)
{
	size_t i = 0, n = 0;

	(void)ike;
	while (i < len && n < max) {
		size_t at, end, eq;
		unsigned type = 0, got, v;

		while (i < len && strchr(" \t,/", text[i]))
			i++;
		at = i;
		while (i < len && !strchr(" \t,/", text[i]))
			i++;
		end = i;
		if (end == at)
			continue;
		for (eq = at; eq < end && text[eq] != '='; eq++)
			;
		if (eq < end) {
			type = type_named(text + at, eq - at);
			at = eq + 1;
		}
		if (type >= 6 && end > at) {
			out[n].type = type;
			out[n].at = at;
			out[n].len = end - at;
			n++;
		} else if (end > at && transform_of(type, text + at, end - at, &got, &v)) {
			out[n].type = got;
			out[n].at = at;
			out[n].len = end - at;
			n++;
		}
	}
	return n;
}

const char *
dialect_fortigate_group_number(const char *name)
{
	unsigned v;

	if (name &&
	    lookup(groups, sizeof(groups) / sizeof(groups[0]), name, strlen(name), false, &v) &&
	    dialect_group_text(v))
		return dialect_group_text(v);
	return name;
}

bool
dialect_fortigate_id_type(const char *name, size_t n, unsigned *type)
{
	static const struct word_value ids[] = {
		{ "IPV4_ADDR", PROTO_ID_IPV4_ADDR },
		{ "IPV6_ADDR", PROTO_ID_IPV6_ADDR },
		{ "FQDN", PROTO_ID_FQDN },
		{ "USER_FQDN", PROTO_ID_RFC822_ADDR },
		{ "DER_ASN1_DN", PROTO_ID_DER_ASN1_DN },
		{ "KEY_ID", PROTO_ID_KEY_ID },
	};
	size_t i;

	for (i = 0; name && i < sizeof(ids) / sizeof(ids[0]); i++)
		if (strlen(ids[i].name) == n && !memcmp(ids[i].name, name, n)) {
			*type = ids[i].value;
			return true;
		}
	return false;
}

bool
dialect_fortigate_auth_method(const char *name, size_t n, unsigned *method)
{
	static const struct word_value methods[] = {
		{ "PSK", PROTO_AUTH_PSK },
		{ "pre-shared key", PROTO_AUTH_PSK },
		{ "RSA", PROTO_AUTH_RSA_SIG },
		{ "signature", PROTO_AUTH_DIGITAL_SIG },
	};
	size_t i;

	for (i = 0; name && i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strlen(methods[i].name) == n && !memcmp(methods[i].name, name, n)) {
			*method = methods[i].value;
			return true;
		}
	return false;
}

/* ---- remedies in FortiOS configuration terms ---- */

static const struct dialect_remedy_text remedies[] = {
	{ "NO_PROPOSAL_CHOSEN",
	  "give both ends a common IKE proposal: set proposal and set dhgrp "
	  "of the phase1-interface must share an encryption, integrity, "
	  "PRF and D-H group with the peer's",
	  "give both ends a common child SA proposal: set proposal, set pfs "
	  "and set dhgrp of the phase2-interface must match the peer's" },
	{ "INVALID_KE_PAYLOAD",
	  "list the D-H group the responder asks for in set dhgrp of the "
	  "phase1-interface, or allow the offered one on the responder",
	  NULL },
	{ "TS_UNACCEPTABLE",
	  "make set src-subnet and set dst-subnet (or src-addr-type / dst-addr-type) "
	  "of the phase2-interface mirror the peer's protected networks",
	  NULL },
	{ "AUTHENTICATION_FAILED",
	  "set the same pre-shared key on both ends (set psksecret of the "
	  "phase1-interface)",
	  "check the certificates (set certificate, peer and peertype of "
	  "the phase1-interface) and that the other end trusts them" },
	{ "NO_RESPONSE",
	  "check that UDP 500 and 4500 reach the peer and its replies come back "
	  "(routing, firewall policies, NAT), and that the peer has a gateway for "
	  "this address",
	  NULL },
	{ "CONFIG_MISSING",
	  "add a phase1-interface whose remote-gw (or dialup type and peer id) "
	  "matches this peer",
	  NULL },
	{ "PEER_ID_MISMATCH",
	  "make set peerid (or set peer / peertype) of the phase1-interface the "
	  "identity the peer sends, or have the peer send it (set localid)",
	  NULL },
	{ "CERTIFICATE_INVALID",
	  "import the CA certificate that issued the peer's certificate (config vpn "
	  "certificate ca) and check its validity",
	  NULL },
	{ "CHILD_SA_REJECTED",
	  "compare set proposal, src-subnet and dst-subnet of the phase2-interface "
	  "with the peer's child SA settings",
	  NULL },
};

const char *
dialect_fortigate_remedy(const struct dialect_remedy *q)
{
	return dialect_remedy_from(remedies, sizeof(remedies) / sizeof(remedies[0]), q);
}

const struct dialect_words dialect_fortigate_words = {
	.event = dialect_fortigate_event,
	.transform = dialect_fortigate_transform,
	.transform_words = dialect_fortigate_transform_words,
	.group_number = dialect_fortigate_group_number,
	.id_type = dialect_fortigate_id_type,
	.auth_method = dialect_fortigate_auth_method,
	.peer_config = "phase1-interface",
	.remedy = dialect_fortigate_remedy,
};
