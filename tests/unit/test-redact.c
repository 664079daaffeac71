/* Unit tests of redact/: what is learnt, the pseudonyms chosen, and each line rewritten. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "builtin-grammar.h"
#include "ikescope/grammar.h"
#include "ikescope/lexer.h"
#include "ikescope/redact.h"
#include "ikescope/util/strbuf.h"

/* Learns text (records and lines) as input 0, plans, and returns its lines redacted. */
static char *
redact_text(const char *text, unsigned flags)
{
	struct redactor *r = redact_create(g, flags);
	FILE *fp = fmemopen((void *)text, strlen(text), "rb");
	struct err err = { 0 };
	struct lex_record rec;
	struct gram_match m;
	struct strbuf out;
	struct lex *lx;
	const char *p = text;
	uint32_t line = 1;

	cr_assert_not_null(fp);
	redact_begin_input(r, 0);
	lx = lex_create(fp, "t.log", grammar_lex_ops(), g, NULL);
	while (lex_next(lx, &rec, &err)) {
		bool matched =
			!(rec.flags & LEX_REC_NOISE) && grammar_match(g, rec.text, rec.len, &m);

		redact_learn_record(r, &rec, matched ? &m : NULL);
	}
	lex_destroy(lx);
	fclose(fp);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		redact_learn_line(r, p, n);
		p += n + (nl != NULL);
	}
	cr_assert(redact_plan(r, &err), "plan: %s", err.msg);
	sb_init(&out);
	redact_begin_input(r, 0);
	for (p = text; *p; line++) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		redact_line(r, 0, line, p, n, &out);
		sb_addc(&out, '\n');
		p += n + (nl != NULL);
	}
	redact_destroy(r);
	return out.buf;
}

Test(redact, secrets_and_user_names_always, .init = setup, .fini = teardown)
{
	char *out = redact_text("<username>jdoe</username>\n"
				"<password>hunter2</password>\n"
				"IKEv2-PLAT-3: (6) username set to: jdoe\n"
				"jdoe-laptop and JDOE and jdoex\n"
				"IKEv2-PLAT-4: peer 192.0.2.77\n",
				0);

	cr_assert_str_eq(out, "<username>user1</username>\n"
			      "<password>********</password>\n"
			      "IKEv2-PLAT-3: (6) username set to: user1\n"
			      "user1-laptop and user1 and jdoex\n"
			      "IKEv2-PLAT-4: peer 192.0.2.77\n");
	free(out);
}

Test(redact, addresses_keep_their_order_networks_and_masks, .init = setup, .fini = teardown)
{
	char *out = redact_text("a 10.1.1.5 b 10.1.1.9 c 172.16.0.1\n"
				"range 10.0.0.0-10.255.255.255 mask 255.255.255.0 any 0.0.0.0\n"
				"version 9.0(2)8 oid 1.2.840.113549.1.1.1 v 3.0.1047\n",
				REDACT_IPS);

	/* /24s in order: 10.0.0, 10.1.1, 10.255.255, 172.16.0 -> 192.0.2 and the benchmarking /15 */
	cr_assert_str_eq(out, "a 198.18.0.5 b 198.18.0.9 c 198.18.2.1\n"
			      "range 192.0.2.0-198.18.1.255 mask 255.255.255.0 any 0.0.0.0\n"
			      "version 9.0(2)8 oid 1.2.840.113549.1.1.1 v 3.0.1047\n");
	free(out);
}

Test(redact, three_networks_or_fewer_use_the_test_nets, .init = setup, .fini = teardown)
{
	char *out =
		redact_text("[192.168.1.1]:500->[10.0.0.1]:500 assigned 10.2.2.1\n", REDACT_IPS);

	cr_assert_str_eq(out, "[203.0.113.1]:500->[192.0.2.1]:500 assigned 198.51.100.1\n");
	free(out);
}

Test(redact, a_pseudonym_is_never_an_address_of_the_log, .init = setup, .fini = teardown)
{
	char *out = redact_text("from 192.0.2.1 to 10.0.0.1\n", REDACT_IPS);

	/* 192.0.2.0/24 is in the log: it is not handed out; the other TEST-NETs are, in order */
	cr_assert_str_eq(out, "from 203.0.113.1 to 198.51.100.1\n");
	free(out);
}

Test(redact, key_material_is_zeroed_and_addresses_in_dumps_replaced, .init = setup,
     .fini = teardown)
{
	char *out =
		redact_text("IKEv2-PLAT-4: RECV PKT [IKE_AUTH] [10.0.0.7]:500->[10.0.0.1]:500 "
			    "InitSPI=0x58aff71141ba436b RespSPI=0xfc696330e6b94d7f MID=00000001\n"
			    "KE  Next payload: N, reserved: 0x0, length: 12\n"
			    "    DH group: 1, Reserved: 0x0\n"
			    "\n"
			    "     5b 9b fb 7b\n"
			    "CFG  Next payload: NONE, reserved: 0x0, length: 12\n"
			    "     00 01 00 04 0a 00 00 07\n",
			    REDACT_IPS);

	cr_assert(strstr(out, "\n     00 00 00 00\n"), "%s", out);
	cr_assert(strstr(out, "\n     00 01 00 04 c0 00 02 07\n"), "%s", out);
	cr_assert(strstr(out, "[192.0.2.7]:500->[192.0.2.1]:500"), "%s", out);
	free(out);
}

Test(redact, names_of_hosts_groups_and_domains, .init = setup, .fini = teardown)
{
	char *out = redact_text("hostname fw-east\n"
				"fw-east# show run\n"
				"tunnel-group Sales type remote-access\n"
				"IKEv2-PLAT-3: (6) tg_name set to: Sales\n"
				"id bob@corp.acme.org\n",
				REDACT_NAMES);

	cr_assert_str_eq(out, "hostname host1.example.net\n"
			      "host1.example.net# show run\n"
			      "tunnel-group group1 type remote-access\n"
			      "IKEv2-PLAT-3: (6) tg_name set to: group1\n"
			      "id user1@example.com\n");
	free(out);
}

Test(redact, without_names_groups_stay, .init = setup, .fini = teardown)
{
	char *out = redact_text("tunnel-group Sales type remote-access\n", 0);

	cr_assert_str_eq(out, "tunnel-group Sales type remote-access\n");
	free(out);
}

Test(redact, ipv6_in_text_and_in_dumps, .init = setup, .fini = teardown)
{
	char *out = redact_text("IKEv2-PLAT-4: RECV PKT [IKE_SA_INIT] [2001:db8:0:1::9]:500->"
				"[fe80::1]:500 InitSPI=0x58aff71141ba436b "
				"RespSPI=0x0000000000000000 MID=00000000\n"
				"IDi  Next payload: AUTH, reserved: 0x0, length: 24\n"
				"     20 01 0d b8 00 00 00 01 00 00 00 00 00 00 00 09\n"
				"time 16:24:55 ::1 Action::Null\n",
				REDACT_IPS);

	/* 2001:db8:0:1::/64 is in the log: prefixes from :2 on, in the order of the originals */
	cr_assert_str_eq(out, "IKEv2-PLAT-4: RECV PKT [IKE_SA_INIT] [2001:db8:0:2::9]:500->"
			      "[2001:db8:0:3::1]:500 InitSPI=0x58aff71141ba436b "
			      "RespSPI=0x0000000000000000 MID=00000000\n"
			      "IDi  Next payload: AUTH, reserved: 0x0, length: 24\n"
			      "     20 01 0d b8 00 00 00 02 00 00 00 00 00 00 00 09\n"
			      "time 16:24:55 ::1 Action::Null\n");
	free(out);
}

Test(redact, order_is_kept_when_the_test_nets_are_taken, .init = setup, .fini = teardown)
{
	char *out = redact_text("to 203.0.113.5 from 192.0.2.10\n", REDACT_IPS);

	/* one TEST-NET is free for two networks: the pool from its start, in order */
	cr_assert_str_eq(out, "to 198.18.1.5 from 198.18.0.10\n");
	free(out);
}

Test(redact, repeated_addresses_are_learnt_once, .init = setup, .fini = teardown)
{
	struct redactor *r = redact_create(g, REDACT_IPS);
	struct err err = { 0 };
	static const char line[] = "from 2001:db8:aa::1 and 10.1.2.3 to 10.1.2.4";
	unsigned i;

	redact_begin_input(r, 0);
	/* more repeats than the bounds on distinct addresses */
	for (i = 0; i < 1200000; i++)
		redact_learn_line(r, line, sizeof(line) - 1);
	cr_assert(redact_plan(r, &err), "plan: %s", err.msg);
	cr_assert_eq(redact_count(r, "net"), 1);
	cr_assert_eq(redact_count(r, "net6"), 1);
	redact_destroy(r);
}

Test(redact, more_networks_than_the_ranges_hold_is_said, .init = setup, .fini = teardown)
{
	struct redactor *r = redact_create(g, REDACT_IPS);
	struct err err = { 0 };
	unsigned i;

	redact_begin_input(r, 0);
	for (i = 0; i < 1100000; i++) {
		char line[32];
		int n = snprintf(line, sizeof(line), "peer 10.%u.%u.%u", i >> 16, (i >> 8) & 255,
				 (i & 255) | 1);

		redact_learn_line(r, line, (size_t)n);
	}
	cr_assert_not(redact_plan(r, &err));
	cr_assert(strstr(err.msg, "distinct"), "%s", err.msg);
	redact_destroy(r);
}
