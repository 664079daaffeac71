/* The dialect adapters: the Cisco spelling of transforms, the input's dialect, the events' adapter. */
#include "ikescope/dialect.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "ikescope/event.h"
#include "ikescope/grammar.h"
#include "ikescope/lexer.h"
#include "ikescope/proto.h"
#include "ikescope/util/err.h"
#include "ikescope/util/strbuf.h"

static unsigned
id_of(unsigned type, const char *name)
{
	unsigned v = 9999;

	cr_assert(dialect_cisco_transform(type, name, &v), "%s (type %u) not known", name, type);
	return v;
}

Test(dialect, cisco_transform_names)
{
	unsigned v;

	cr_expect_eq(id_of(1, "AES-CBC"), 12);
	cr_expect_eq(id_of(1, "AES-CBC-256"), 12, "a key size is no other algorithm");
	cr_expect_eq(id_of(1, "AES-GCM-16"), 20);
	cr_expect_eq(id_of(1, "AES-GCM-256"), 20);
	cr_expect_eq(id_of(1, "3DES"), 3);
	cr_expect_eq(id_of(2, "SHA256"), 5);
	cr_expect_eq(id_of(2, "SHA1"), 2);
	cr_expect_eq(id_of(3, "SHA96"), 2, "the ASA's HMAC-SHA1-96");
	cr_expect_eq(id_of(3, "SHA256"), 12);
	cr_expect_eq(id_of(3, "MD596"), 1);
	cr_expect_eq(id_of(4, "DH_GROUP_2048_MODP/Group 14"), 14);
	cr_expect_eq(id_of(4, "Group 19"), 19);
	cr_expect_eq(id_of(5, "Don't use ESN"), 0);
	cr_expect_eq(id_of(3, "NONE"), 0, "integrity none, as an AEAD proposal names it");
	cr_expect_eq(id_of(3, "NULL"), 0);
	cr_expect(!dialect_cisco_transform(1, "SHA256", &v), "a PRF name is no cipher");
	cr_expect(!dialect_cisco_transform(1, "AES-CBC-x", &v));
	cr_expect(!dialect_cisco_transform(4, "Group 99", &v), "no such group");
	cr_expect(!dialect_cisco_transform(2, NULL, &v));
}

/* The types and texts of a split transform list, as "type:text|type:text". */
static void
split(const char *text, bool ike, char *out, size_t n)
{
	struct dialect_transform_word w[8];
	size_t k, m = dialect_cisco_transform_words(text, strlen(text), ike, w, 8);

	out[0] = '\0';
	for (k = 0; k < m; k++)
		snprintf(out + strlen(out), n - strlen(out), "%s%u:%.*s", k ? "|" : "", w[k].type,
			 (int)w[k].len, text + w[k].at);
}

Test(dialect, cisco_transform_lists_split_by_type)
{
	char got[256];

	split("AES-CBC-256 SHA256 SHA256 DH_GROUP_2048_MODP/Group 14", true, got, sizeof(got));
	cr_expect_str_eq(got, "1:AES-CBC-256|2:SHA256|3:SHA256|4:DH_GROUP_2048_MODP/Group 14");
	split("AES-CBC SHA256 Don't use ESN", false, got, sizeof(got));
	cr_expect_str_eq(got, "1:AES-CBC|3:SHA256|5:Don't use ESN");
	split("  AES-GCM-256  SHA384   Group 20 ", true, got, sizeof(got));
	cr_expect_str_eq(got, "1:AES-GCM-256|2:SHA384|4:Group 20",
			 "an AEAD cipher: a PRF, no INTEG");
	split("", true, got, sizeof(got));
	cr_expect_str_eq(got, "");
	cr_expect_str_eq(dialect_cisco_group_number("DH_GROUP_1024_MODP/Group 2"), "2");
	cr_expect_str_eq(dialect_cisco_group_number("MODP_2048"), "MODP_2048");
}

/*
 * The input's dialect is what most of its first records show; the event of
 * a rule common to all, or shared by several dialects, is the input's
 * dialect's; a rule of one dialect only makes an event of that dialect.
 */
Test(dialect, votes_and_the_adapter_of_an_event)
{
	static const char asa[] =
		"[dialect asa]\ndetect = ^A-\n[family message a]\nregex = ^A-(?<text>.*)$\n";
	static const char both[] =
		"[dialect asa ios]\n[family message b]\nregex = ^B (?<text>.*)$\n";
	static const char ios[] =
		"[dialect ios]\ndetect = ^I:\n[family message i]\nregex = ^I:(?<text>.*)$\n";
	struct gram_source src[] = {
		{ "a.gram", asa, sizeof(asa) - 1 },
		{ "b.gram", both, sizeof(both) - 1 },
		{ "i.gram", ios, sizeof(ios) - 1 },
	};
	struct grammar *g = grammar_create(src, 3, NULL, NULL);
	struct dialect_votes v;
	struct lex_record rec = { 0 };
	struct gram_match m;
	struct ike_event ev;

	cr_assert_not_null(g);
	dialect_votes_init(&v);
	cr_expect_eq(v.leader, GRAM_DIALECT_COUNT);
	dialect_vote(&v, g, "I:1", 3);
	cr_expect_eq(v.leader, GRAM_DIALECT_IOS);
	dialect_vote(&v, g, "A-1", 3);
	cr_expect_eq(v.leader, GRAM_DIALECT_IOS, "a tie keeps the first");
	dialect_vote(&v, g, "A-2", 3);
	dialect_vote(&v, g, "no vote", 7);
	cr_expect_eq(v.leader, GRAM_DIALECT_ASA);
	cr_expect_eq(v.total, 3);

	rec.text = "B x";
	rec.len = 3;
	cr_assert(grammar_match(g, rec.text, rec.len, &m));
	dialect_event(&rec, &m, GRAM_DIALECT_IOS, &ev);
	cr_expect_eq(ev.dialect, GRAM_DIALECT_IOS);
	dialect_event(&rec, &m, GRAM_DIALECT_SHOW, &ev);
	cr_expect_eq(ev.dialect, GRAM_DIALECT_ASA, "not of the input's dialect: the rule's first");
	rec.text = "A-x";
	cr_assert(grammar_match(g, rec.text, rec.len, &m));
	dialect_event(&rec, &m, GRAM_DIALECT_IOS, &ev);
	cr_expect_eq(ev.dialect, GRAM_DIALECT_ASA);
	grammar_destroy(g);
}

/* An ID type or an AUTH method as a dialect prints it, looked up: the value, or 0 if none. */
static unsigned
idt(enum gram_dialect d, const char *word)
{
	unsigned v = 0;

	return dialect_id_type(d, word, strlen(word), &v) ? v : 0;
}

static unsigned
authm(enum gram_dialect d, const char *word)
{
	unsigned v = 0;

	return dialect_auth_method(d, word, strlen(word), &v) ? v : 0;
}

Test(dialect, id_types_and_auth_methods_by_their_values)
{
	cr_expect_eq(idt(GRAM_DIALECT_ASA, "IPv4 address"), PROTO_ID_IPV4_ADDR);
	cr_expect_eq(idt(GRAM_DIALECT_IOS, "ipv4 ADDRESS"), PROTO_ID_IPV4_ADDR, "in any case");
	cr_expect_eq(idt(GRAM_DIALECT_IOS, "IPv6 address"), PROTO_ID_IPV6_ADDR);
	cr_expect_eq(idt(GRAM_DIALECT_IOS, "FQDN"), PROTO_ID_FQDN);
	cr_expect_eq(idt(GRAM_DIALECT_IOS, "email"), PROTO_ID_RFC822_ADDR);
	cr_expect_eq(idt(GRAM_DIALECT_ASA, "DER ASN1 DN"), PROTO_ID_DER_ASN1_DN);
	cr_expect_eq(idt(GRAM_DIALECT_ASA, "ID_KEY_ID"), PROTO_ID_KEY_ID, "the protocol's name");
	cr_expect_eq(idt(GRAM_DIALECT_ASA, "Group name"), 0, "a Cisco ID of its own");
	cr_expect_eq(idt(GRAM_DIALECT_COUNT, "IPv4 address"), 0, "no dialect: protocol names");
	cr_expect_eq(idt(GRAM_DIALECT_COUNT, "ID_FQDN"), PROTO_ID_FQDN);
	cr_expect_eq(authm(GRAM_DIALECT_ASA, "PSK"), PROTO_AUTH_PSK);
	cr_expect_eq(authm(GRAM_DIALECT_IOS, "psk"), PROTO_AUTH_PSK);
	cr_expect_eq(authm(GRAM_DIALECT_ASA, "RSA"), PROTO_AUTH_RSA_SIG);
	cr_expect_eq(authm(GRAM_DIALECT_ASA, "ECDSA"), 0, "the word does not say the curve");
	cr_expect_eq(authm(GRAM_DIALECT_ASA, ""), 0);
	cr_expect(proto_auth_is_signature(PROTO_AUTH_RSA_SIG));
	cr_expect(proto_auth_is_signature(PROTO_AUTH_ECDSA_384));
	cr_expect(!proto_auth_is_signature(PROTO_AUTH_PSK));
	cr_expect_eq(proto_id_fixed_bytes(PROTO_ID_IPV6_ADDR), 16);
	cr_expect_eq(proto_id_fixed_bytes(PROTO_ID_FQDN), 0);
}

Test(dialect, transforms_of_no_dialect_by_their_protocol_names)
{
	struct dialect_transform_word w[8];
	const char *t = "ENCR_AES_CBC/PRF_HMAC_SHA2_256 AUTH_HMAC_SHA2_256_128,MODP_2048 X";
	size_t n = dialect_transform_words(GRAM_DIALECT_COUNT, t, strlen(t), true, w, 8);
	unsigned v = 0;

	cr_assert_eq(n, 4, "the unknown word X is left out");
	cr_expect_eq(w[0].type, 1);
	cr_expect_eq(w[1].type, 2);
	cr_expect_eq(w[2].type, 3);
	cr_expect_eq(w[3].type, 4);
	cr_expect_eq(w[3].len, 9);
	cr_expect(dialect_transform(GRAM_DIALECT_COUNT, 4, "MODP_2048", &v) && v == 14);
	cr_expect(!dialect_transform(GRAM_DIALECT_COUNT, 1, "AES-CBC", &v), "a Cisco word");
	cr_expect(dialect_transform(GRAM_DIALECT_ASA, 1, "AES-CBC", &v) && v == 12);
	cr_expect_eq(dialect_named("ios"), GRAM_DIALECT_IOS);
	cr_expect_eq(dialect_named(NULL), GRAM_DIALECT_COUNT);
	cr_expect_str_eq(dialect_group_number(GRAM_DIALECT_ASA, "DH_GROUP_2048_MODP/Group 14"),
			 "14");
}

Test(dialect, cfg_types_and_attributes_by_their_values)
{
	unsigned v = 0;

	cr_expect(dialect_cfg_type(GRAM_DIALECT_ASA, "CFG_REPLY", 9, &v) && v == PROTO_CFG_REPLY);
	cr_expect(dialect_cfg_attr(GRAM_DIALECT_ASA, "internal IP4 address", 20, &v) &&
		  v == PROTO_CFG_INTERNAL_IP4_ADDRESS);
	cr_expect(dialect_cfg_attr(GRAM_DIALECT_IOS, "application version", 19, &v) &&
		  v == PROTO_CFG_APPLICATION_VERSION);
	cr_expect(dialect_cfg_attr(GRAM_DIALECT_COUNT, "INTERNAL_IP4_DNS", 16, &v) &&
		  v == PROTO_CFG_INTERNAL_IP4_DNS);
	cr_expect(!dialect_cfg_attr(GRAM_DIALECT_COUNT, "internal IP4 address", 20, &v),
		  "no dialect: the protocol's names only");
	cr_expect(dialect_cfg_attr(GRAM_DIALECT_COUNT, "INTERNAL_IP4_DNS, length 4", 16, &v) &&
			  v == PROTO_CFG_INTERNAL_IP4_DNS,
		  "a name is its n bytes, not what follows them");
}

/* ---- strongSwan ---- */

static unsigned
sw_payload(const char *name)
{
	unsigned t = 0;

	return dialect_payload_type(GRAM_DIALECT_STRONGSWAN, name, strlen(name), &t) ? t : 0;
}

Test(dialect, strongswan_payload_and_notify_names)
{
	const char *n;

	cr_expect_eq(sw_payload("No"), PROTO_PAYLOAD_NONCE, "charon's nonce");
	cr_expect_eq(sw_payload("N(NO_PROP)"), PROTO_PAYLOAD_NOTIFY);
	cr_expect_eq(sw_payload("N"), PROTO_PAYLOAD_NOTIFY, "not the nonce, as in Cisco lists");
	cr_expect_eq(sw_payload("V"), PROTO_PAYLOAD_VENDOR);
	cr_expect_eq(sw_payload("D"), PROTO_PAYLOAD_DELETE);
	cr_expect_eq(sw_payload("E"), PROTO_PAYLOAD_SK);
	cr_expect_eq(sw_payload("EF(2/3)"), PROTO_PAYLOAD_SKF);
	cr_expect_eq(sw_payload("CPRQ(ADDR DNS)"), PROTO_PAYLOAD_CP);
	cr_expect_eq(sw_payload("CPRP"), PROTO_PAYLOAD_CP);
	cr_expect_eq(sw_payload("EAP/REQ/ID"), PROTO_PAYLOAD_EAP);
	cr_expect_eq(sw_payload("TSi"), PROTO_PAYLOAD_TSI);
	cr_expect_eq(sw_payload("NOTIFY"), 0, "a Cisco word, not charon's");
	n = dialect_notify_name(GRAM_DIALECT_STRONGSWAN, "NO_PROP", 7);
	cr_expect_str_eq(n ? n : "(null)", "NO_PROPOSAL_CHOSEN");
	n = dialect_notify_name(GRAM_DIALECT_STRONGSWAN, "TS_UNACCEPT", 11);
	cr_expect_str_eq(n ? n : "(null)", "TS_UNACCEPTABLE");
	n = dialect_notify_name(GRAM_DIALECT_STRONGSWAN, "AUTH_FAILEDX", 11);
	cr_expect_str_eq(n ? n : "(null)", "AUTHENTICATION_FAILED", "the n bytes only");
	n = dialect_notify_name(GRAM_DIALECT_STRONGSWAN, "INVAL_KE", 8);
	cr_expect_str_eq(n ? n : "(null)", "INVALID_KE_PAYLOAD");
	n = dialect_notify_name(GRAM_DIALECT_STRONGSWAN, "NO_PROPOSAL_CHOSEN", 18);
	cr_expect_str_eq(n ? n : "(null)", "NO_PROPOSAL_CHOSEN", "the protocol's own name too");
	cr_expect_null(dialect_notify_name(GRAM_DIALECT_STRONGSWAN, "ME_MEDIATION", 12));
	cr_expect_null(dialect_notify_name(GRAM_DIALECT_ASA, "NO_PROP", 7), "not a Cisco word");
}

Test(dialect, strongswan_transforms_and_proposals)
{
	struct dialect_transform_word w[16];
	const char *t = "ESP:AES_GCM_16_256/MODP_3072/NO_EXT_SEQ/KE1_ML_KEM_768, ESP:AES_CBC_128";
	size_t n = dialect_transform_words(GRAM_DIALECT_STRONGSWAN, t, strlen(t), false, w, 16);
	unsigned v = 0;

	cr_assert_eq(n, 4, "one proposal: the list stops at the comma");
	cr_expect_eq(w[0].type, 1);
	cr_expect_eq(w[0].len, 14);
	cr_expect_eq(w[1].type, 4);
	cr_expect_eq(w[2].type, 5);
	cr_expect_eq(w[3].type, 6, "an additional key exchange (RFC 9370)");
	cr_expect(dialect_transform(GRAM_DIALECT_STRONGSWAN, 1, "AES_CBC_128", &v) && v == 12);
	cr_expect(dialect_transform(GRAM_DIALECT_STRONGSWAN, 1, "AES_CBC-256", &v) && v == 12,
		  "swanctl --list-sas writes the key size so");
	cr_expect(dialect_transform(GRAM_DIALECT_STRONGSWAN, 1, "AES_GCM_16_256", &v) && v == 20);
	cr_expect(dialect_transform(GRAM_DIALECT_STRONGSWAN, 1, "CHACHA20_POLY1305", &v) &&
		  v == 28);
	cr_expect(dialect_transform(GRAM_DIALECT_STRONGSWAN, 2, "PRF_HMAC_SHA2_256", &v) && v == 5);
	cr_expect(dialect_transform(GRAM_DIALECT_STRONGSWAN, 3, "HMAC_SHA1_96", &v) && v == 2);
	cr_expect(dialect_transform(GRAM_DIALECT_STRONGSWAN, 3, "HMAC_SHA2_256_128", &v) &&
		  v == 12);
	cr_expect(dialect_transform(GRAM_DIALECT_STRONGSWAN, 4, "CURVE_25519", &v) && v == 31);
	cr_expect(!dialect_transform(GRAM_DIALECT_STRONGSWAN, 1, "AES_CBC_x", &v));
	cr_expect(!dialect_transform(GRAM_DIALECT_STRONGSWAN, 3, "PRF_HMAC_SHA1", &v),
		  "a PRF is no integrity algorithm");
	cr_expect(!dialect_transform(GRAM_DIALECT_STRONGSWAN, 1, "AES-CBC", &v), "a Cisco word");
	cr_expect_str_eq(dialect_group_number(GRAM_DIALECT_STRONGSWAN, "MODP_2048"), "14");
	cr_expect_str_eq(dialect_group_number(GRAM_DIALECT_STRONGSWAN, "ECP_384"), "20");
	cr_expect_str_eq(dialect_group_number(GRAM_DIALECT_STRONGSWAN, "KYBER"), "KYBER");
	cr_expect(dialect_auth_method(GRAM_DIALECT_STRONGSWAN, "pre-shared key", 14, &v) &&
		  v == PROTO_AUTH_PSK);
	cr_expect(dialect_auth_method(GRAM_DIALECT_STRONGSWAN, "RSA signature", 13, &v) &&
		  v == PROTO_AUTH_RSA_SIG);
}

Test(dialect, strongswan_remedies_in_its_own_terms)
{
	struct dialect_remedy q = { .cause = "NO_PROPOSAL_CHOSEN", .ike = true };
	const char *r = dialect_remedy(GRAM_DIALECT_STRONGSWAN, &q);

	cr_assert_not_null(r);
	cr_expect(strstr(r, "proposals") && strstr(r, "swanctl.conf"), "%s", r);
	q.ike = false;
	r = dialect_remedy(GRAM_DIALECT_STRONGSWAN, &q);
	cr_expect(r && strstr(r, "esp_proposals"), "%s", r ? r : "(null)");
	q.cause = "TS_UNACCEPTABLE";
	r = dialect_remedy(GRAM_DIALECT_STRONGSWAN, &q);
	cr_expect(r && strstr(r, "local_ts") && strstr(r, "remote_ts"), "%s", r ? r : "(null)");
	q.cause = "AUTHENTICATION_FAILED";
	q.psk = true;
	r = dialect_remedy(GRAM_DIALECT_STRONGSWAN, &q);
	cr_expect(r && strstr(r, "pre-shared key"), "%s", r ? r : "(null)");
	q.cause = "SOMETHING_ELSE";
	cr_expect_null(dialect_remedy(GRAM_DIALECT_STRONGSWAN, &q));
	q.cause = "NO_PROPOSAL_CHOSEN";
	cr_expect_null(dialect_remedy(GRAM_DIALECT_ASA, &q), "the Cisco words are the caller's");
}

/* The built-in grammar, which the tests of the dialects' lines read with. */
static struct grammar *
builtin_grammar(void)
{
	struct err err = { 0 };
	struct strbuf diags;
	struct grammar *g;

	sb_init(&diags);
	g = grammar_create_builtin(&diags, &err);
	cr_assert_not_null(g, "built-in grammar: %s", diags.buf ? diags.buf : err.msg);
	sb_finish(&diags);
	return g;
}

/* The event the built-in grammar and the strongSwan adapter make of one line. */
static bool
sw_event(struct grammar *g, const char *line, struct gram_match *m, struct ike_event *ev)
{
	struct lex_record rec = { 0 };

	rec.text = line;
	rec.len = strlen(line);
	rec.first_line = rec.last_line = 1;
	if (!grammar_match(g, rec.text, rec.len, m))
		return false;
	dialect_event(&rec, m, GRAM_DIALECT_STRONGSWAN, ev);
	return true;
}

Test(dialect, strongswan_adapter_reads_charon_lines)
{
	struct grammar *g;
	struct gram_match m;
	struct ike_event ev;

	g = builtin_grammar();
	cr_assert(sw_event(g,
			   "charon[2440]: 09[ENC] <PEER|7> parsed IKE_AUTH response 1 [ IDr AUTH "
			   "N(NO_PROP) ]",
			   &m, &ev));
	cr_expect_eq(ev.kind, IKE_EVENT_PACKET);
	cr_expect_eq(ev.dialect, GRAM_DIALECT_STRONGSWAN);
	cr_expect(ev.response);
	cr_expect_eq(ev.dir, IKE_DIR_IN);
	cr_expect(ev.has_handle && ev.handle == 7, "<PEER|7>: the SA's unique id");
	cr_expect(ev.has_mid && ev.mid == 1);
	cr_expect_eq(ev.copy, IKE_COPY_FIRST, "charon's own line, which may have a journal twin");
	cr_assert(sw_event(g, "charon-systemd[2440]: generating IKE_SA_INIT request 0 [ SA KE No ]",
			   &m, &ev));
	cr_expect(!ev.response);
	cr_expect_eq(ev.dir, IKE_DIR_OUT);
	cr_expect(!ev.has_handle);
	cr_expect_eq(ev.copy, IKE_COPY_SECOND);
	cr_assert(sw_event(g, "[IKE] initiating IKE_SA gw[1] to 192.168.111.1", &m, &ev));
	cr_expect_eq(ev.kind, IKE_EVENT_STATUS);
	cr_expect_eq(ev.role, IKE_ROLE_INITIATOR);
	cr_expect(ev.has_handle && ev.handle == 1);
	cr_expect_eq(ev.copy, IKE_COPY_NONE, "swanctl's output has no twin");
	cr_assert(sw_event(g,
			   "13[IKE] CHILD_SA net{3} established with SPIs cd159185_i c5c4a85f_o "
			   "and TS 10.3.0.1/32 === 10.1.0.0/24",
			   &m, &ev));
	cr_expect_eq(ev.kind, IKE_EVENT_CONTEXT);
	cr_expect_not_null(ike_event_attr(&ev, GRAM_FIELD_SPI_IN));
	cr_expect_not_null(ike_event_attr(&ev, GRAM_FIELD_TS_REMOTE));
	grammar_destroy(g);
}

/* ---- libreswan ---- */

Test(dialect, libreswan_payloads_notifies_and_transforms)
{
	struct dialect_transform_word w[16];
	const char *t = "cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 ke=DH19";
	const char *p = "IKE=AES_CBC_256-HMAC_SHA2_256_128-HMAC_SHA2_256-MODP2048 2:IKE=3DES";
	size_t n = dialect_transform_words(GRAM_DIALECT_LIBRESWAN, t, strlen(t), true, w, 16);
	unsigned v = 0;
	const char *name;

	cr_assert_eq(n, 4);
	cr_expect_eq(w[0].type, 1);
	cr_expect_eq(w[1].type, 3, "integ=n/a: no integrity (AEAD)");
	cr_expect_eq(w[2].type, 2, "prf=: HMAC_SHA2_512 is the PRF");
	cr_expect_eq(w[3].type, 4);
	n = dialect_transform_words(GRAM_DIALECT_LIBRESWAN, p, strlen(p), true, w, 16);
	cr_assert_eq(n, 4, "one proposal: the next begins at 2:");
	cr_expect_eq(w[1].type, 3, "HMAC_SHA2_256_128 is an integrity algorithm");
	cr_expect_eq(w[2].type, 2);
	cr_expect(dialect_transform(GRAM_DIALECT_LIBRESWAN, 4, "DH19", &v) && v == 19);
	cr_expect(dialect_transform(GRAM_DIALECT_LIBRESWAN, 4, "MODP2048", &v) && v == 14);
	cr_expect(!dialect_transform(GRAM_DIALECT_LIBRESWAN, 4, "DH99", &v), "no such group");
	cr_expect(dialect_transform(GRAM_DIALECT_LIBRESWAN, 1, "AES_CBC_128", &v) && v == 12);
	cr_expect_str_eq(dialect_group_number(GRAM_DIALECT_LIBRESWAN, "MODP3072"), "15");
	cr_expect(dialect_payload_type(GRAM_DIALECT_LIBRESWAN, "Ni", 2, &v) &&
		  v == PROTO_PAYLOAD_NONCE);
	cr_expect(dialect_payload_type(GRAM_DIALECT_LIBRESWAN, "N(COOKIE)", 9, &v) &&
		  v == PROTO_PAYLOAD_NOTIFY);
	cr_expect(dialect_payload_type(GRAM_DIALECT_LIBRESWAN, "SK{IDr", 6, &v) &&
		  v == PROTO_PAYLOAD_SK);
	name = dialect_notify_name(GRAM_DIALECT_LIBRESWAN, "v2N_TS_UNACCEPTABLE", 19);
	cr_expect_str_eq(name ? name : "(null)", "TS_UNACCEPTABLE", "older releases' prefix");
	cr_expect(dialect_auth_method(GRAM_DIALECT_LIBRESWAN, "shared-key-mac", 14, &v) &&
		  v == PROTO_AUTH_PSK);
}

Test(dialect, libreswan_adapter_reads_pluto_lines)
{
	struct grammar *g;
	struct gram_match m;
	struct ike_event ev;

	g = builtin_grammar();
	cr_assert(sw_event(g,
			   "\"west-east\" #1: processing IKE_AUTH response from 192.1.2.23:UDP/500 "
			   "containing SK{IDr,AUTH,N(TS_UNACCEPTABLE)}",
			   &m, &ev));
	cr_expect_eq(ev.dialect, GRAM_DIALECT_LIBRESWAN);
	cr_expect_eq(ev.kind, IKE_EVENT_PACKET);
	cr_expect(ev.response);
	cr_expect_eq(ev.dir, IKE_DIR_IN);
	cr_expect(ev.has_handle && ev.handle == 1);
	cr_expect_not_null(ike_event_attr(&ev, GRAM_FIELD_PAYLOADS));
	cr_assert(sw_event(
		g,
		"\"west-east\" #2: initiator established Child SA using #1; IPsec tunnel "
		"[192.0.1.0/24===192.0.2.0/24] {ESP=>0x1a2b3c4d <0x5e6f7a8b xfrm=AES_GCM_16_256}",
		&m, &ev));
	cr_expect_eq(ev.kind, IKE_EVENT_CONTEXT);
	cr_expect(ev.has_handle && ev.handle == 1, "the IKE SA's number, not the child's");
	cr_expect_not_null(ike_event_attr(&ev, GRAM_FIELD_CHILD_SA));
	cr_expect_not_null(ike_event_attr(&ev, GRAM_FIELD_SPI_IN));
	cr_assert(sw_event(g, "\"road\"[3] 198.51.100.7 #9: initiating IKEv2 connection", &m, &ev));
	cr_expect_eq(ev.role, IKE_ROLE_INITIATOR);
	cr_expect(ev.has_handle && ev.handle == 9);
	grammar_destroy(g);
}

/* ---- FortiGate ---- */

Test(dialect, fortigate_words_and_secrets)
{
	struct dialect_transform_word w[16];
	const char *t = "ENCR=AES_CBC_128 INTEGR=AUTH_HMAC_SHA2_256_128 PRF=PRF_HMAC_SHA2_256 "
			"DH_GROUP=MODP2048 DH_GROUP=MODP1536";
	size_t n = dialect_transform_words(GRAM_DIALECT_FORTIGATE, t, strlen(t), true, w, 16);
	const char *key = "ike 0:eveS2S:60244: IKE SA b84babe9e6a4abf9/b51bd7b5c75df81d SK_ei "
			  "16:DCA1E12B22CBF19CD7807250C98358D3";
	const char *pkt = "ike 0: in B84BABE9E6A4ABF900000000000000002120220800000000";
	struct strbuf out;
	struct grammar *g;
	struct gram_match m;
	struct ike_event ev;
	unsigned v = 0;

	cr_assert_eq(n, 5);
	cr_expect_eq(w[0].type, 1);
	cr_expect_eq(w[1].type, 3);
	cr_expect_eq(w[2].type, 2);
	cr_expect_eq(w[3].type, 4);
	cr_expect_eq(w[4].type, 4, "two groups offered in one proposal");
	cr_expect(dialect_transform(GRAM_DIALECT_FORTIGATE, 1, "AES_GCM_16_256", &v) && v == 20);
	cr_expect(dialect_transform(GRAM_DIALECT_FORTIGATE, 4, "ECP384", &v) && v == 20);
	cr_expect_str_eq(dialect_group_number(GRAM_DIALECT_FORTIGATE, "MODP1536"), "5");
	cr_expect(dialect_id_type(GRAM_DIALECT_FORTIGATE, "IPV4_ADDR", 9, &v) &&
		  v == PROTO_ID_IPV4_ADDR);
	cr_expect(dialect_auth_method(GRAM_DIALECT_FORTIGATE, "PSK", 3, &v) && v == PROTO_AUTH_PSK);

	g = builtin_grammar();
	/* the keys and the raw packet: masked, or zeros for a copy to share */
	sb_init(&out);
	grammar_mask(g, key, strlen(key), &out);
	cr_expect(strstr(out.buf, "SK_ei 16:********") && !strstr(out.buf, "DCA1E1"), "%s",
		  out.buf);
	sb_reset(&out);
	grammar_mask_as(g, key, strlen(key), true, &out);
	cr_expect(strstr(out.buf, "SK_ei 16:00000000000000000000000000000000"), "%s", out.buf);
	sb_reset(&out);
	grammar_mask_as(g, pkt, strlen(pkt), true, &out);
	cr_expect(strstr(out.buf, "in 0000000000") && !strstr(out.buf, "B84B"), "%s", out.buf);
	sb_finish(&out);
	cr_expect(grammar_masks_span(g, pkt, strlen(pkt), 10, 4), "a value in the packet's bytes");
	cr_expect(!grammar_masks_span(g, pkt, strlen(pkt), 0, 3), "the prefix is no secret");

	cr_assert(sw_event(g,
			   "ike V=root:0: IKEv2 exchange=AUTH_RESPONSE "
			   "id=c59ac85a384d0bf5/a4ea9f5b1426cb8f:00000001 len=144",
			   &m, &ev));
	cr_expect_eq(ev.dialect, GRAM_DIALECT_FORTIGATE);
	cr_expect_eq(ev.kind, IKE_EVENT_PACKET);
	cr_expect(ev.response);
	cr_expect(ev.has_mid && ev.mid == 1, "the MID in hex after the SPIs");
	cr_expect(ev.has_spi_i && ev.spi_i == 0xc59ac85a384d0bf5ull);
	cr_expect(dialect_word_is(ike_event_attr(&ev, GRAM_FIELD_EXCHANGE), "IKE_AUTH"),
		  "the map gives the protocol's name");
	cr_assert(sw_event(g, "ike 0:to-FG2:34097: NAT detected: PEER", &m, &ev));
	cr_expect(ev.has_handle && ev.handle == 34097, "the IKE SA's serial");
	grammar_destroy(g);
}
