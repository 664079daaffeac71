/*
 * Unit tests of lexer/: every quirk of real logs, lexed with the shipped
 * grammar's rules (the lexer takes its dialect rules from the grammar, so
 * its quirks can only be tested with them).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "ikescope/grammar.h"
#include "ikescope/lexer.h"
#include "ikescope/util/strbuf.h"

static struct grammar *g;

static void
setup(void)
{
	g = grammar_create_builtin(NULL, NULL);
	cr_assert_not_null(g);
}

static void
teardown(void)
{
	grammar_destroy(g);
}

/*
 * Lexes bytes and describes the result, one line per entry:
 * "first[-last] text" for records, "first noise:kind" for noise (when
 * with_noise), with " {flags}" for the truncated/nul/bad-utf8/incomplete flags.
 */
static char *
lex_bytes(const char *bytes, size_t n, bool with_noise, const struct lex_options *opt,
	  struct lex_stats *stats_out)
{
	FILE *fp = fmemopen((void *)bytes, n, "r");
	struct lex_record rec;
	struct strbuf out;
	struct err err = { 0 };
	struct lex *lx;

	cr_assert_not_null(fp);
	sb_init(&out);
	lx = lex_create(fp, "t.log", grammar_lex_ops(), g, opt);
	while (lex_next(lx, &rec, &err)) {
		if ((rec.flags & LEX_REC_NOISE) && !with_noise)
			continue;
		if (rec.first_line == rec.last_line)
			sb_addf(&out, "%u", rec.first_line);
		else
			sb_addf(&out, "%u-%u", rec.first_line, rec.last_line);
		if (rec.flags & LEX_REC_NOISE)
			sb_addf(&out, " noise:%s", rec.kind);
		else
			sb_addf(&out, " %.*s", (int)rec.len, rec.text);
		if (rec.flags &
		    (LEX_REC_TRUNCATED | LEX_REC_NUL | LEX_REC_BADUTF8 | LEX_REC_INCOMPLETE))
			sb_addf(&out, " {%s%s%s%s}", rec.flags & LEX_REC_TRUNCATED ? "t" : "",
				rec.flags & LEX_REC_NUL ? "n" : "",
				rec.flags & LEX_REC_BADUTF8 ? "u" : "",
				rec.flags & LEX_REC_INCOMPLETE ? "i" : "");
		sb_addc(&out, '\n');
	}
	cr_assert_not(err_is_set(&err));
	if (stats_out)
		*stats_out = *lex_stats(lx);
	lex_destroy(lx);
	fclose(fp);
	return sb_detach(&out);
}

struct lex_case {
	const char *name;
	const char *in;
	size_t len; /* 0: strlen */
	const char *out;
};

#define CASE(name, in, out)                                                                        \
	{                                                                                          \
		name, in, sizeof(in) - 1, out                                                      \
	}

static const struct lex_case cases[] = {
	CASE("utf8 bom", "\xef\xbb\xbfIKEv2-PLAT-5: INVALID PSH HANDLE\n",
	     "1 IKEv2-PLAT-5: INVALID PSH HANDLE\n"),
	CASE("crlf", "IKEv2-PLAT-5: a\r\nIKEv2-PLAT-5: b\r\n",
	     "1 IKEv2-PLAT-5: a\n2 IKEv2-PLAT-5: b\n"),
	CASE("stray cr before a prompt", "IKEv2-PLAT-5: a\r\n\rASA1# un all\r\n\rASA1#   ",
	     "1 IKEv2-PLAT-5: a\n2 noise:blank\n2 noise:command\n3 noise:blank\n3 noise:prompt\n"),
	CASE("lone cr inside a line", "IKEv2-PLAT-5: a\rIKEv2-PLAT-5: b\n",
	     "1 IKEv2-PLAT-5: a\n1 IKEv2-PLAT-5: b\n"),
	CASE("nul bytes", "IKEv2-PLAT-5: a\0b\n",
	     "1 IKEv2-PLAT-5: a\xef\xbf\xbd"
	     "b {n}\n"),
	/* bytes that are not UTF-8 are read as Windows-1252: nothing is lost */
	CASE("invalid utf-8", "IKEv2-PLAT-5: caf\xe9\n", "1 IKEv2-PLAT-5: caf\xc3\xa9 {u}\n"),
	CASE("utf-8 and windows-1252 in one line",
	     "IKEv2-PLAT-5: Jos\xc3\xa9 \x80 Jos\xe9 \x93q\x94\n",
	     /* typographic quotes are made plain, as for pasted logs */
	     "1 IKEv2-PLAT-5: Jos\xc3\xa9 \xe2\x82\xac Jos\xc3\xa9 \"q\" {u}\n"),
	CASE("bytes windows-1252 leaves undefined",
	     "IKEv2-PLAT-5: a\x81"
	     "b\x9d\n",
	     "1 IKEv2-PLAT-5: a\\x81b\\x9d {u}\n"),
	CASE("no final newline", "IKEv2-PLAT-5: a\nIKEv2-PLAT-5: b",
	     "1 IKEv2-PLAT-5: a\n2 IKEv2-PLAT-5: b\n"),
	CASE("records glued after a word",
	     "(2): IKEv2 IKE_SA_INIT Exchange REQUESTIKEv2-PROTO-3: (2): Next payload: SA, "
	     "version: 2.0 "
	     "(2): Exchange type: IKE_SA_INIT, flags: INITIATOR (2): Message id: 0, length: "
	     "574(2):  \n",
	     "1 (2): IKEv2 IKE_SA_INIT Exchange REQUEST\n1 IKEv2-PROTO-3: (2): Next payload: SA, "
	     "version: 2.0\n"
	     "1 (2): Exchange type: IKE_SA_INIT, flags: INITIATOR\n1 (2): Message id: 0, length: "
	     "574\n"),
	CASE("payload name and header in two pieces",
	     "(2):  SA(2):   Next payload: KE, reserved: 0x0, length: 48\n",
	     "1 (2):  SA Next payload: KE, reserved: 0x0, length: 48\n"),
	CASE("many records pasted on one line",
	     "IKEv2-PROTO-3: Rx [L 10.0.0.1:500/R 192.168.1.1:25170/VRF i0:f0] m_id: "
	     "IKEv2-PROTO-3: "
	     "HDR[i:58AFF71141BA436B - r: 0000000000000000] IKEv2-PROTO-4: Message id: 0x0, "
	     "length: 528\n",
	     "1 IKEv2-PROTO-3: Rx [L 10.0.0.1:500/R 192.168.1.1:25170/VRF i0:f0] m_id:\n"
	     "1 IKEv2-PROTO-3: HDR[i:58AFF71141BA436B - r: 0000000000000000]\n"
	     "1 IKEv2-PROTO-4: Message id: 0x0, length: 528\n"),
	CASE("proposal and first transform glued",
	     "  Proposal: 1, Protocol id: ESP, SPI size: 4, #trans: 3    last transform: 0x3, "
	     "reserved: 0x0: "
	     "length: 12\n",
	     "1 Proposal: 1, Protocol id: ESP, SPI size: 4, #trans: 3\n"
	     "1 last transform: 0x3, reserved: 0x0: length: 12\n"),
	CASE("sm trace wrapped over three lines",
	     "IKEv2-PROTO-5: (172): SM Trace-> SA: I_SPI=833D2323FCB46093\n"
	     "R_SPI=F0B4D318DDDDB783 (I) MsgID = 00000001 CurState: I_PROC_AUTH\nEvent: "
	     "EV_AUTH_FAIL\n"
	     "IKEv2-PROTO-3: (172): Verify auth failed\n",
	     "1-3 IKEv2-PROTO-5: (172): SM Trace-> SA: I_SPI=833D2323FCB46093 "
	     "R_SPI=F0B4D318DDDDB783 (I) "
	     "MsgID = 00000001 CurState: I_PROC_AUTH Event: EV_AUTH_FAIL\n4 IKEv2-PROTO-3: (172): "
	     "Verify auth failed\n"),
	CASE("sm trace with the event on the next line",
	     "IKEv2-PROTO-5: (6): SM Trace-> SA: I_SPI=58AFF71141BA436B\n"
	     "R_SPI=FC696330E6B94D7F (R) MsgID = 00000001 CurState: R_WAIT_AUT\nEV_SET_POLICY\n",
	     "1-3 IKEv2-PROTO-5: (6): SM Trace-> SA: I_SPI=58AFF71141BA436B R_SPI=FC696330E6B94D7F "
	     "(R) "
	     "MsgID = 00000001 CurState: R_WAIT_AUT EV_SET_POLICY\n"),
	CASE("packet line cut after the port",
	     "IKEv2-PLAT-4: RECV PKT [IKE_AUTH] [192.168.1.1]:25171->[10.0.0.1]:4500\n"
	     "InitSPI=0x58aff71141ba436b RespSPI=0xfc696330e6b94d7f MID=00000001\n",
	     "1-2 IKEv2-PLAT-4: RECV PKT [IKE_AUTH] [192.168.1.1]:25171->[10.0.0.1]:4500 "
	     "InitSPI=0x58aff71141ba436b RespSPI=0xfc696330e6b94d7f MID=00000001\n"),
	CASE("prompts",
	     "Hub#\nHub# clear cry ikev2 sa\nHub# IKEv2-PLAT-5: a\nXE-R4(config-if)#\n"
	     "Hub#     Security protocol id: IKE, spi size: 0, num of spi: 0\n",
	     "1 noise:prompt\n2 noise:command\n3 IKEv2-PLAT-5: a\n4 noise:prompt\n"
	     "5 Security protocol id: IKE, spi size: 0, num of spi: 0\n"),
	CASE("timestamps",
	     "*Apr  3 08:17:36.001: IKEv2:(SA ID = 1):Next payload: SA, version: 2.0\n"
	     "Nov 30 22:49:14.464: IKEv2:(SESSION ID = 31,SA ID = 1):Sending Packet [To "
	     "10.0.0.2:500/From "
	     "10.0.0.1:500/VRF i0:f0]\n"
	     "2328304: Jun  8 19:14:38.051 GMT: IKEv2:(SESSION ID = 14607,SA ID = 68):\n"
	     "Get peer's authentication method\n"
	     "<166>Apr 23 2013 16:24:55 asa-1 : %ASA-5-750006: Local:10.0.0.1:500 "
	     "Remote:192.168.1.1:500 "
	     "Username:Anu IKEv2 SA UP. Reason: New Connection Established\n",
	     "1 IKEv2:(SA ID = 1):Next payload: SA, version: 2.0\n"
	     "2 IKEv2:(SESSION ID = 31,SA ID = 1):Sending Packet [To 10.0.0.2:500/From "
	     "10.0.0.1:500/VRF i0:f0]\n"
	     "3-4 IKEv2:(SESSION ID = 14607,SA ID = 68): Get peer's authentication method\n"
	     "5 %ASA-5-750006: Local:10.0.0.1:500 Remote:192.168.1.1:500 Username:Anu IKEv2 SA UP. "
	     "Reason: New "
	     "Connection Established\n"),
	CASE("ios-xe dump lines after a timestamp are records of their own",
	     "*Nov 30 22:49:14.461: IKEv2:(SESSION ID = 31,SA ID = 1):Received Packet [From "
	     "198.51.100.2:500/To 192.0.2.1:500/VRF i0:f0]\n"
	     "Initiator SPI : 6A1F33C0B2D4E5F7 - Responder SPI : 2B9C8D7E6F5A4B3C Message id: 0\n"
	     "IKEv2 IKE_SA_INIT Exchange RESPONSE\nPayload contents:\n"
	     " SA  Next payload: KE, reserved: 0x0, length: 48\n"
	     "*Nov 30 22:49:14.453: IKEv2:IKE Proposal: 1, SPI size: 0 (initial negotiation),\n"
	     "Num. transforms: 4\n   AES-CBC   SHA256   SHA256   DH_GROUP_2048_MODP/Group 14\n",
	     "1 IKEv2:(SESSION ID = 31,SA ID = 1):Received Packet [From 198.51.100.2:500/To "
	     "192.0.2.1:500/VRF i0:f0]\n"
	     "2 Initiator SPI : 6A1F33C0B2D4E5F7 - Responder SPI : 2B9C8D7E6F5A4B3C Message id: 0\n"
	     "3 IKEv2 IKE_SA_INIT Exchange RESPONSE\n4 Payload contents:\n"
	     "5 SA  Next payload: KE, reserved: 0x0, length: 48\n"
	     "6-8 IKEv2:IKE Proposal: 1, SPI size: 0 (initial negotiation), Num. transforms: 4 "
	     "AES-CBC   SHA256   SHA256   DH_GROUP_2048_MODP/Group 14\n"),
	CASE("unrelated syslog is noise", "%ASA-6-302013: Built inbound TCP connection 1\n", ""),
	CASE("publication damage",
	     "IKEv2-PROTO-4: **IKEV2 HDR ispi: 58AFF71141BA436B \xe2\x80\x93 rspi: 00000000**\n"
	     "IKEv2-PROTO-4: Next payload: SA, *version: 2.0*\n"
	     "Decrypted packet:Data&colon; 540 bytes\n"
	     "- IKEv2-PROTO-4: last transform: 0x3, reserved: 0x0: length: 12\n"
	     "| attrib type: Unknown \xe2\x80\x94 28682, length: 15 |\n"
	     "KEv2-PROTO-5: (6): Action: Action_Null\n"
	     "IKEv2-PROTO-3: (6): Use preshared key for id *\\$AnyConnectClient\\$, key\n",
	     "1 IKEv2-PROTO-4: IKEV2 HDR ispi: 58AFF71141BA436B - rspi: 00000000\n"
	     "2 IKEv2-PROTO-4: Next payload: SA, version: 2.0\n"
	     "3 Decrypted packet:Data: 540 bytes\n"
	     "4 IKEv2-PROTO-4: last transform: 0x3, reserved: 0x0: length: 12\n"
	     "5 attrib type: Unknown - 28682, length: 15\n"
	     "6 IKEv2-PROTO-5: (6): Action: Action_Null\n"
	     "7 IKEv2-PROTO-3: (6): Use preshared key for id *$AnyConnectClient$, key\n"),
	CASE("two-column table row",
	     "| preconfigured with a group name | attrib type: Unknown - 28682, length: 15 |\n",
	     "1 preconfigured with a group name\n1 attrib type: Unknown - 28682, length: 15\n"),
	CASE("hex dumps with and without a prefix",
	     "(2):      be 63 cd 74 8a 72 b7 ab 6f bb b7 fd ed 0a cf 3a\n     df f0 f7 e5\n",
	     "1 (2):      be 63 cd 74 8a 72 b7 ab 6f bb b7 fd ed 0a cf 3a\n2 df f0 f7 e5\n"),
	CASE("dart entries with and without padding",
	     "******************************************\n"
	     "Date        : 04/23/2013\nTime        : 16:24:55\nType        : Information\n"
	     "Source      : acvpnui\n\nDescription : Function: ClientIfcBase::connect\nFile: "
	     ".\\x.cpp\n"
	     "Line: 964\nA VPN connection to Anu-IKEV2 has been requested by the user.\n\n"
	     "******************************************\n"
	     "Date : 04/23/2013\nTime : 16:25:00\nType : Information\nSource : acvpnagent\n"
	     "Description : Tunnel initiated by GUI Client.\n",
	     "2-12 Date        : 04/23/2013\nTime        : 16:24:55\nType        : Information\n"
	     "Source      : acvpnui\n\nDescription : Function: ClientIfcBase::connect\nFile: "
	     ".\\x.cpp\n"
	     "Line: 964\nA VPN connection to Anu-IKEV2 has been requested by the user.\n\n"
	     "******************************************\n"
	     "13-17 Date : 04/23/2013\nTime : 16:25:00\nType : Information\nSource : acvpnagent\n"
	     "Description : Tunnel initiated by GUI Client.\n"),
	CASE("xml document split by other lines",
	     "Generated XML message below\n<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	     "IKEv2-PLAT-5: in between\n<config-auth client=\"vpn\"\ntype=\"auth-request\">\n"
	     "<version who=\"sg\">9.0(2)8</version>\n</config-auth>\nIKEv2-PLAT-5: after\n",
	     "1 Generated XML message below\n"
	     "2-7 <?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config-auth "
	     "client=\"vpn\"\ntype=\"auth-request\">\n"
	     "<version who=\"sg\">9.0(2)8</version>\n</config-auth>\n"
	     "3 IKEv2-PLAT-5: in between\n8 IKEv2-PLAT-5: after\n"),
	CASE("xml document cut off",
	     "<?xml version=\"1.0\"?>\n<config-auth client=\"vpn\" type=\"complete\">\n",
	     "1-2 <?xml version=\"1.0\"?>\n<config-auth client=\"vpn\" type=\"complete\"> {i}\n"),
};

Test(lexer, handles_every_quirk, .init = setup, .fini = teardown)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool noise = strstr(cases[i].out, "noise:") != NULL;
		char *got = lex_bytes(cases[i].in, cases[i].len, noise, NULL, NULL);

		cr_expect_str_eq(got, cases[i].out, "case '%s':\n%s", cases[i].name, got);
		free(got);
	}
}

Test(lexer, long_lines_are_cut_and_counted, .init = setup, .fini = teardown)
{
	static char big[200000];
	struct lex_options opt = { .max_line = 64 };
	struct lex_stats st;
	char *got;

	memset(big, 'A', sizeof(big));
	memcpy(big, "IKEv2-PLAT-5: ", 14);
	memcpy(big + sizeof(big) - 16, "\nIKEv2-PLAT-5: x", 16);
	got = lex_bytes(big, sizeof(big), false, &opt, &st);
	cr_assert_eq(st.lines, 2);
	cr_assert_eq(st.truncated_lines, 1);
	cr_assert(strstr(got, "{t}") != NULL, "%s", got);
	cr_assert(strstr(got, "\n2 IKEv2-PLAT-5: x\n") != NULL, "%s", got);
	free(got);
}

Test(lexer, every_line_is_accounted_for, .init = setup, .fini = teardown)
{
	static const char in[] = "Hub#\n\nIKEv2-PLAT-5: a\n(2):  \n"
				 "some prose line\n```\n<?xml version=\"1.0\"?>\n";
	struct lex_stats st;
	char *got = lex_bytes(in, sizeof(in) - 1, true, NULL, &st);
	unsigned line;

	cr_assert_eq(st.lines, 7);
	for (line = 1; line <= 7; line++) {
		char want[16];

		snprintf(want, sizeof(want), "%u", line);
		cr_assert(strncmp(got, want, strlen(want)) == 0 || strstr(got, want),
			  "line %u lost:\n%s", line, got);
	}
	cr_assert_eq(st.noise_lines, 4, "noise lines %llu", (unsigned long long)st.noise_lines);
	free(got);
}

Test(lexer, empty_input_gives_no_record, .init = setup, .fini = teardown)
{
	struct lex_stats st;
	char *got = lex_bytes("", 0, true, NULL, &st);

	cr_assert_str_eq(got, "");
	cr_assert_eq(st.lines, 0);
	free(got);
}

Test(lexer, open_records_do_not_wait_forever, .init = setup, .fini = teardown)
{
	struct strbuf in;
	char *got;
	int i;

	/* a wrapped SM Trace waits a few lines for its continuation, not more */
	sb_init(&in);
	sb_adds(&in, "IKEv2-PROTO-5: (6): SM Trace-> SA: I_SPI=58AFF71141BA436B\n");
	for (i = 0; i < 40; i++)
		sb_adds(&in, "\n");
	sb_adds(&in, "EV_SET_POLICY\n");
	got = lex_bytes(in.buf, in.len, false, NULL, NULL);
	cr_assert_str_eq(
		got,
		"1 IKEv2-PROTO-5: (6): SM Trace-> SA: I_SPI=58AFF71141BA436B\n42 EV_SET_POLICY\n");
	free(got);
	sb_finish(&in);

	/* an XML document never closed is given up after its max-lines */
	sb_init(&in);
	sb_adds(&in, "<?xml version=\"1.0\"?>\n");
	for (i = 0; i < 300; i++)
		sb_adds(&in, "IKEv2-PLAT-5: x\n");
	sb_adds(&in, "</config-auth>\n");
	got = lex_bytes(in.buf, in.len, false, NULL, NULL);
	cr_assert(strncmp(got, "1 <?xml version=\"1.0\"?> {i}\n", 28) == 0, "%.80s", got);
	free(got);
	sb_finish(&in);
}

Test(lexer, joins_stop_at_the_join_limit, .init = setup, .fini = teardown)
{
	struct lex_options opt = { .max_join = 100 };
	struct strbuf in;
	struct lex_stats st;
	char *got;
	int i;

	sb_init(&in);
	sb_adds(&in, "IKEv2-PROTO-2: (2): IKE Proposal: 1, SPI size: 0 (initial negotiation), "
		     "Num. transforms: 4\n");
	for (i = 0; i < 50; i++)
		sb_adds(&in, "(2):    AES-CBC\n");
	got = lex_bytes(in.buf, in.len, false, &opt, &st);
	/* the summary took items until it was 100 bytes long, the rest stand alone */
	cr_assert(strncmp(got, "1-3 ", 4) == 0, "%.200s", got);
	cr_assert(strstr(got, "\n4 (2):    AES-CBC\n") != NULL, "%.300s", got);
	free(got);
	sb_finish(&in);
}

/* The timestamp removed from a line stays with the record, and only with it. */
Test(lexer, records_keep_their_timestamp, .init = setup, .fini = teardown)
{
	static const char text[] =
		"Apr 23 2013 16:31:12: %ASA-7-711001: IKEv2-PROTO-4: Message id: "
		"0x1, length: 1234\n"
		"IKEv2-PROTO-4: Message id: 0x2, length: 99\n"
		"*Jun  8 19:14:38.051 GMT: IKEv2:(SESSION ID = 1,SA ID = 1):Sending "
		"initial message\n";
	FILE *fp = fmemopen((void *)text, sizeof(text) - 1, "r");
	struct lex_record rec;
	struct err err = { 0 };
	struct lex *lx;
	const char *want[] = { "Apr 23 2013 16:31:12: %ASA-7-711001:", NULL,
			       "*Jun  8 19:14:38.051 GMT:" };
	size_t i = 0;

	cr_assert_not_null(fp);
	lx = lex_create(fp, "t.log", grammar_lex_ops(), g, NULL);
	while (lex_next(lx, &rec, &err)) {
		if (rec.flags & LEX_REC_NOISE)
			continue;
		cr_assert_lt(i, 3);
		if (want[i])
			cr_assert(rec.stamp && rec.stamp_len == strlen(want[i]) &&
					  !memcmp(rec.stamp, want[i], rec.stamp_len),
				  "record %zu: stamp '%.*s'", i, (int)rec.stamp_len,
				  rec.stamp ? rec.stamp : "");
		else
			cr_assert_null(rec.stamp, "record %zu has a stamp", i);
		i++;
	}
	cr_assert_eq(i, 3);
	lex_destroy(lx);
	fclose(fp);
}

/* ---- whole lines at once (lex_rules_ops.plan) ---- */

/* Every record with all it carries, one line each; ops as given. */
static char *
lex_full(const char *bytes, size_t n, const struct lex_rules_ops *ops, void *ctx)
{
	FILE *fp = fmemopen((void *)bytes, n, "r");
	struct lex_record rec;
	struct strbuf out;
	struct err err = { 0 };
	struct lex *lx;

	cr_assert_not_null(fp);
	sb_init(&out);
	lx = lex_create(fp, "t.log", ops, ctx, NULL);
	while (lex_next(lx, &rec, &err)) {
		struct gram_match m;
		bool matched = !(rec.flags & LEX_REC_NOISE) &&
			       grammar_match_hinted(ctx, rec.text, rec.len, &rec.hint, &m);

		sb_addf(&out, "%u-%u %x %s [%.*s] %s", rec.first_line, rec.last_line, rec.flags,
			rec.kind ? rec.kind : "-", (int)rec.stamp_len, rec.stamp ? rec.stamp : "",
			matched ? gram_family_name(m.family) : "-");
		for (size_t i = 0; matched && i < m.nvalues; i++)
			sb_addf(&out, " %s=%.*s", gram_field_name(m.values[i].field),
				(int)m.values[i].len, m.values[i].p);
		sb_addf(&out, " |%.*s|\n", (int)rec.len, rec.text);
	}
	cr_assert_not(err_is_set(&err));
	sb_addf(&out, "records %llu noise %llu/%llu\n", (unsigned long long)lex_stats(lx)->records,
		(unsigned long long)lex_stats(lx)->noise_lines,
		(unsigned long long)lex_stats(lx)->noise_records);
	lex_destroy(lx);
	fclose(fp);
	return sb_detach(&out);
}

/* A word of letters past f for i: a shape of its own for each i. */
static void
letters(unsigned i, char *out)
{
	int k = 0;

	do {
		out[k++] = (char)('g' + i % 20);
		i /= 20;
	} while (i);
	out[k] = '\0';
}

/*
 * Lines decided at once must give exactly what the questions asked one by
 * one give: the same records, flags, timestamps, hints that match the same
 * fields, and counts; also once the table of answers has been emptied and
 * filled again many times (distinct shapes), and with joins, blocks and
 * noise in between.
 */
Test(lexer, whole_line_plans_change_nothing, .init = setup, .fini = teardown)
{
	struct lex_rules_ops steps = *grammar_lex_ops();
	struct strbuf in;
	char *a, *b, word[16];
	unsigned i;

	steps.plan = NULL;
	sb_init(&in);
	for (i = 0; i < 60000; i++) {
		letters(i, word);
		sb_addf(&in,
			"Apr %2u 16:31:%02u.%03u: IKEv2-PROTO-5: (%u): SM Trace-> SA: "
			"I_SPI=%016X R_SPI=%016X (R) MsgID = %08X CurState: R_%s Event: "
			"EV_%s\n",
			i % 28 + 1, i % 60, i % 1000, i % 977, i * 2654435761u, i * 40503u, i % 7,
			word, word);
		switch (i % 11) {
		case 0:
			sb_adds(&in, "IKEv2-PROTO-4: (12): Next payload: SA, version: 2.0 Exchange "
				     "type:\nIKE_SA_INIT, flags: INITIATOR Message id: 0, length: "
				     "338\n");
			break;
		case 3:
			sb_adds(&in, "\n   \n");
			break;
		case 5:
			sb_addf(&in,
				"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config-auth "
				"client=\"vpn\" type=\"init\">\n<version "
				"who=\"vpn\">4.%u</version>\n"
				"</config-auth>\n",
				i);
			break;
		case 7:
			sb_addf(&in, "asa# debug crypto ikev2 protocol %u\n", i % 255);
			break;
		case 9:
			sb_addf(&in, "IKEv2-PROTO-5: (%u): Received Policies:\n", i);
			break;
		default:
			break;
		}
	}
	a = lex_full(in.buf, in.len, &steps, g);
	b = lex_full(in.buf, in.len, grammar_lex_ops(), g);
	cr_assert(strlen(a) > 1000000, "the input lexed to records");
	if (strcmp(a, b)) {
		size_t k = 0;

		while (a[k] == b[k])
			k++;
		while (k && a[k - 1] != '\n')
			k--;
		cr_assert_fail("first difference:\n  steps: %.200s\n  plans: %.200s", a + k, b + k);
	}
	free(a);
	free(b);
	sb_finish(&in);
}

/*
 * Two lines of the same shape, one for a rule that names digits (the ASA
 * debug-trace prefix %ASA-7-711001) and one not (other syslog messages are
 * noise): each is told apart by its real text, in either order.
 */
Test(lexer, same_shape_lines_told_apart_by_rules_that_name_digits, .init = setup, .fini = teardown)
{
	static const char in[] = "%ASA-7-711001: IKEv2-PROTO-5: (1): Received Policies:\n"
				 "%ASA-7-711002: IKEv2-PROTO-5: (1): Received Policies:\n"
				 "%ASA-7-711001: IKEv2-PROTO-5: (1): Received Policies:\n"
				 "%ASA-7-711002: IKEv2-PROTO-5: (1): Received Policies:\n";
	char *out = lex_bytes(in, sizeof(in) - 1, true, NULL, NULL);

	cr_expect_str_eq(out, "1 IKEv2-PROTO-5: (1): Received Policies:\n"
			      "2 noise:syslog\n"
			      "3 IKEv2-PROTO-5: (1): Received Policies:\n"
			      "4 noise:syslog\n");
	free(out);
}

/*
 * The cleaning kept for a shape holds for a line only if the strip rules
 * that read the real text answer it alike: behind the same syslog stamp,
 * 711001 loses its header, 750001 keeps it (a record of its own), 711002
 * is noise, in any order and again.
 */
Test(lexer, kept_cleaning_asks_the_rules_that_name_digits_again, .init = setup, .fini = teardown)
{
	static const char in[] =
		"Dec  7 2026 10:00:01: %ASA-7-711001: IKEv2-PROTO-5: (1): Received Policies:\n"
		"Dec  7 2026 10:00:02: %ASA-5-750001: IKEv2-PROTO-5: (1): Received Policies:\n"
		"Dec  7 2026 10:00:03: %ASA-7-711001: IKEv2-PROTO-5: (1): Received Policies:\n"
		"Dec  7 2026 10:00:04: %ASA-7-711002: IKEv2-PROTO-5: (1): Received Policies:\n"
		"Dec  7 2026 10:00:05: %ASA-5-750001: IKEv2-PROTO-5: (1): Received Policies:\n"
		"Dec  7 2026 10:00:06: %ASA-7-711001: IKEv2-PROTO-5: (1): Received Policies:\n";
	char *out = lex_bytes(in, sizeof(in) - 1, true, NULL, NULL);

	cr_expect_str_eq(out, "1 IKEv2-PROTO-5: (1): Received Policies:\n"
			      "2 %ASA-5-750001:\n"
			      "2 IKEv2-PROTO-5: (1): Received Policies:\n"
			      "3 IKEv2-PROTO-5: (1): Received Policies:\n"
			      "4 noise:syslog\n"
			      "4 IKEv2-PROTO-5: (1): Received Policies:\n"
			      "5 %ASA-5-750001:\n"
			      "5 IKEv2-PROTO-5: (1): Received Policies:\n"
			      "6 IKEv2-PROTO-5: (1): Received Policies:\n");
	free(out);
}

#include "../../src/grammar/grammar-private.h"

/* Lexes and recognizes bytes: "rule|text" per record. */
static char *
lex_match(const char *bytes, size_t n)
{
	FILE *fp = fmemopen((void *)bytes, n, "r");
	struct lex_record rec;
	struct gram_match m;
	struct strbuf out;
	struct err err = { 0 };
	struct lex *lx;

	cr_assert_not_null(fp);
	sb_init(&out);
	lx = lex_create(fp, "t.log", grammar_lex_ops(), g, NULL);
	while (lex_next(lx, &rec, &err)) {
		if (rec.flags & LEX_REC_NOISE)
			continue;
		sb_addf(&out, "%s|%.*s\n",
			grammar_match_hinted(g, rec.text, rec.len, &rec.hint, &m) ? m.rule : "-",
			(int)rec.len, rec.text);
	}
	lex_destroy(lx);
	fclose(fp);
	return sb_detach(&out);
}

/*
 * When the memo is full it keeps the shapes looked up again and drops the
 * others: a log's own lines, seen twice, are still known after more lines
 * of their own shapes than it holds (keys, tokens: here words never seen
 * twice), and what is recognized does not change.
 */
Test(lexer, a_full_memo_keeps_what_repeats, .init = setup, .fini = teardown)
{
	FILE *fp = fopen(SOURCE_ROOT "/samples/asa/anyconnect-eap-success.log", "rb");
	struct strbuf sample, junk;
	char *alone, *again;
	uint64_t before;
	size_t i, k;

	cr_assert_not_null(fp);
	sb_init(&sample);
	sb_init(&junk);
	for (int c; (c = fgetc(fp)) != EOF;)
		sb_addc(&sample, (char)c);
	fclose(fp);
	/* more words than the memo has entries, each of its own shape */
	for (i = 0; i < MEMO_ENTRIES + 1000; i++) {
		char word[7];
		size_t v = i;

		for (k = 0; k < 6; k++, v /= 26)
			word[k] = (char)('a' + v % 26);
		word[6] = '\0';
		sb_addf(&junk, "Unread words q%s follow\n", word);
	}
	/* some of the words first, so that the log's entries are not the first
	 * ones and move when the memo is full */
	free(lex_match(junk.buf, junk.len / 8));
	alone = lex_match(sample.buf, sample.len);
	free(lex_match(sample.buf, sample.len));
	free(lex_match(junk.buf + junk.len / 8, junk.len - junk.len / 8));
	/* and new words again, in the places the moved entries had */
	for (i = 0; i < junk.len; i++)
		if (junk.buf[i] == 'q')
			junk.buf[i] = 'z';
	free(lex_match(junk.buf, junk.len / 4));
	cr_assert_gt(g->memo.resets, 0, "the memo never filled");
	before = g->memo.made;
	again = lex_match(sample.buf, sample.len);
	cr_expect_str_eq(again, alone);
	cr_expect_lt(g->memo.made - before, 20, "%llu shapes of the log were worked out again",
		     (unsigned long long)(g->memo.made - before));
	free(alone);
	free(again);
	sb_finish(&sample);
	sb_finish(&junk);
}

Test(lexer, a_part_of_a_file_keeps_its_line_numbers, .init = setup, .fini = teardown)
{
	static const char text[] = "IKEv2-PROTO-2: (6): Received Packet\n\nIKEv2-PLAT-4: hello\n";
	struct lex_options opt = { .first_line = 500 };
	char *got = lex_bytes(text, sizeof(text) - 1, false, &opt, NULL);

	cr_expect(strstr(got, "500 ") == got, "%s", got);
	cr_expect(strstr(got, "\n502 ") != NULL, "%s", got);
	free(got);
}
