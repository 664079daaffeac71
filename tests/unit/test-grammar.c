/* Unit tests of grammar/: the loader, its error messages, and every family. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/grammar.h"
#include "ikescope/lexer.h"
#include "ikescope/util/strbuf.h"

static struct grammar *builtin;

static void
setup(void)
{
	struct err err = { 0 };
	struct strbuf diags;

	sb_init(&diags);
	builtin = grammar_create_builtin(&diags, &err);
	cr_assert_not_null(builtin, "built-in grammar: %s", diags.buf ? diags.buf : err.msg);
	sb_finish(&diags);
}

static void
teardown(void)
{
	grammar_destroy(builtin);
}

/* Loads one grammar text; returns the diagnostics (caller frees) or NULL if it loaded. */
static char *
load_errors(const char *text)
{
	struct gram_source src = { "t.gram", text, strlen(text) };
	struct err err = { 0 };
	struct strbuf diags;
	struct grammar *g;

	sb_init(&diags);
	g = grammar_create(&src, 1, &diags, &err);
	if (g) {
		grammar_destroy(g);
		sb_finish(&diags);
		return NULL;
	}
	cr_assert_eq(err.code, ERR_GRAMMAR);
	return sb_detach(&diags);
}

struct load_case {
	const char *text;
	const char *diag; /* NULL: loads */
};

static const struct load_case load_cases[] = {
	{ "[family packet x]\nregex = ^SENT (?<dir>\\w+)$\n", NULL },
	{ "[family packet x]\nregex = ^(?<spi_x>a)$\n", "t.gram:2:9: unknown field 'spi_x'\n" },
	{ "[family nosuch x]\nregex = a\n", "t.gram:1:9: unknown family 'nosuch'\n" },
	{ "[family packet x]\nregex = a(b\n",
	  "t.gram:2:12: regex error at offset 3: missing closing parenthesis\n" },
	{ "[family packet x]\nliteral = a\n", "t.gram:1: family 'packet/x' has no 'regex'\n" },
	{ "[join x]\nhead = a\n", "t.gram:1: join 'x' has no 'tail'\n" },
	{ "[join x]\nliteral = a\nhead = a\ntail-literal = b\ntail = b\n", NULL },
	{ "[block x]\nliteral = <\nstart = <\nend = >\n", NULL },
	{ "[family packet x]\nregex = a\ntail-literal = a\n",
	  "t.gram:3:1: unknown key 'tail-literal' in family stanza\n" },
	{ "[join x]\nhead = a\ntail = b\ntail-literal = \n",
	  "t.gram:4:15: bad literal (use \\xNN and \\\\)\n" },
	{ "[split x]\nregex = a\ncolour = red\n",
	  "t.gram:3:1: unknown key 'colour' in split stanza\n" },
	{ "[frobnicate x]\nregex = a\n", "t.gram:1:2: unknown stanza kind 'frobnicate'\n" },
	{ "regex = a\n", "t.gram:1:1: 'regex' outside a stanza\n" },
	{ "[split x\nregex = a\n", "t.gram:1:9: expected ']' at the end of the stanza header\n" },
	{ "[family packet]\nregex = a\n", "t.gram:1: expected [family NAME VARIANT]\n" },
	{ "[repair x]\nregex = a\n", "t.gram:1: repair 'x' has no 'replace'\n" },
	{ "[mask x]\nregex = a(b)\n", "t.gram:2:9: mask pattern has no group named 'secret'\n" },
	{ "[split x]\nregex = {{nope}}\n", "t.gram:2:9: unknown define 'nope'\n" },
	{ "[block x]\nstart = a\nend = b\nmax-lines = lots\n",
	  "t.gram:4:13: 'max-lines' must be a number from 1 to 100000\n" },
	{ "[strip x]\nregex = a\nwhat = nothing\n",
	  "t.gram:3:8: 'what' must be stamp, prompt or markup\n" },
	{ "[family packet x]\nregex = a\nset.nosuch = 1\n",
	  "t.gram:3:5: unknown field 'nosuch'\n" },
	/* a dialect stanza: known names, once per file, before the rules */
	{ "[dialect asa vax]\n", "t.gram:1:14: unknown dialect 'vax' (known: asa, ios, dart, show, "
				 "strongswan, libreswan, fortigate)\n" },
	{ "[dialect asa]\n[dialect ios]\n", "t.gram:2:2: a file declares its dialects once\n" },
	{ "[family packet x]\nregex = x\n[dialect ios]\n",
	  "t.gram:3:2: the dialect stanza comes before the file's rules\n" },
	{ "[dialect asa ios]\ndetect = ^x\n",
	  "t.gram:1: a 'detect' pattern is for a stanza of one dialect\n" },
	{ "[dialect]\n", "t.gram:1: expected [dialect NAME...]\n" },
	{ "[dialect asa]\nliteral = x\n", "t.gram:2:1: unknown key 'literal' in dialect stanza\n" },
	/* all problems are reported, not only the first */
	{ "[family packet x]\nregex = (\n[family packet y]\nregex = )\n",
	  "t.gram:2:10: regex error at offset 1: missing closing parenthesis\n"
	  "t.gram:4:9: regex error at offset 0: unmatched closing parenthesis\n" },
};

Test(grammar, loader_reports_file_line_col)
{
	size_t i;

	for (i = 0; i < sizeof(load_cases) / sizeof(load_cases[0]); i++) {
		char *d = load_errors(load_cases[i].text);

		if (!load_cases[i].diag) {
			cr_assert_null(d, "case %zu: %s", i, d);
			continue;
		}
		cr_assert_not_null(d, "case %zu loaded", i);
		cr_assert_str_eq(d, load_cases[i].diag, "case %zu", i);
		free(d);
	}
}

/* A kind the code does not know is a load error, set or captured; a known one loads. */
Test(grammar, kinds_are_declared)
{
	static const struct {
		const char *text;
		const char *diag; /* NULL: loads */
	} cases[] = {
		{ "[family error a]\nregex = x\nset.kind = no-matching-policy\n", NULL },
		{ "[family error a]\nregex = x\nset.kind = no-matchng-policy\n",
		  "t.gram:3:12: unknown kind 'no-matchng-policy' for family error" },
		{ "[family timer a]\nregex = (?<kind>start|stop) x\n", NULL },
		{ "[family timer a]\nregex = (?<kind>start|stopp) x\n",
		  "t.gram:1:1: timer/a captures unknown kind 'stopp' for family timer" },
		/* a captured kind that is not a list of words cannot be checked */
		{ "[family timer a]\nregex = (?<kind>\\w+) x\n", NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gram_source src = { "t.gram", cases[i].text, strlen(cases[i].text) };
		struct strbuf diags;
		struct err err = { 0 };
		struct grammar *g;

		sb_init(&diags);
		g = grammar_create(&src, 1, &diags, &err);
		if (cases[i].diag) {
			cr_expect_null(g, "case %zu loaded", i);
			cr_expect(diags.buf && strstr(diags.buf, cases[i].diag), "case %zu: %s", i,
				  diags.buf ? diags.buf : "(no diagnostic)");
		} else {
			cr_expect_not_null(g, "case %zu: %s", i, diags.buf ? diags.buf : err.msg);
		}
		grammar_destroy(g);
		sb_finish(&diags);
	}
}

Test(grammar, later_stanza_overrides_earlier)
{
	static const char a[] = "[family packet x]\nregex = ^first$\nset.dir = a\n";
	static const char b[] = "[family packet x]\nregex = ^second$\nset.dir = b\n";
	struct gram_source src[] = { { "a.gram", a, sizeof(a) - 1 },
				     { "b.gram", b, sizeof(b) - 1 } };
	struct gram_match m;
	struct grammar *g = grammar_create(src, 2, NULL, NULL);

	cr_assert_not_null(g);
	cr_assert_eq(grammar_rule_count(g), 1);
	cr_assert_not(grammar_match(g, "first", 5, &m));
	cr_assert(grammar_match(g, "second", 6, &m));
	cr_assert_eq(m.values[0].field, GRAM_FIELD_DIR);
	cr_assert_eq(strncmp(m.values[0].p, "b", m.values[0].len), 0);
	grammar_destroy(g);
}

Test(grammar, empty_grammar_is_an_error)
{
	struct gram_source src = { "e.gram", "# nothing\n", 10 };
	struct err err = { 0 };

	cr_assert_null(grammar_create(&src, 1, NULL, &err));
	cr_assert_eq(err.code, ERR_GRAMMAR);
}

Test(grammar, names_are_unique_and_well_formed)
{
	size_t i, j;

	for (i = 0; i < GRAM_FIELD_COUNT; i++) {
		const char *n = gram_field_name((enum gram_field)i);

		cr_assert(strlen(n) > 0);
		cr_assert_eq(strspn(n, "abcdefghijklmnopqrstuvwxyz_"), strlen(n), "field %s", n);
		cr_assert_eq(gram_field_lookup(n, strlen(n)), (enum gram_field)i);
		for (j = i + 1; j < GRAM_FIELD_COUNT; j++)
			cr_assert_str_neq(n, gram_field_name((enum gram_field)j));
	}
	for (i = 0; i < GRAM_FAMILY_COUNT; i++) {
		const char *n = gram_family_name((enum gram_family)i);

		cr_assert_eq(strspn(n, "abcdefghijklmnopqrstuvwxyz."), strlen(n), "family %s", n);
		cr_assert_eq(gram_family_lookup(n), (enum gram_family)i);
	}
	cr_assert_eq(gram_family_lookup("nosuch"), GRAM_FAMILY_COUNT);
	cr_assert_eq(gram_field_lookup("nosuch", 6), GRAM_FIELD_COUNT);
}

static const char *
value(const struct gram_match *m, const char *field, size_t *len)
{
	size_t i;
	enum gram_field f = gram_field_lookup(field, strlen(field));

	for (i = 0; i < m->nvalues; i++)
		if (m->values[i].field == f) {
			*len = m->values[i].len;
			return m->values[i].p;
		}
	return NULL;
}

struct family_case {
	const char *text;
	const char *family;
	const char *fields; /* "name=value;name=value" that must be present */
};

/* One or more lines per family, in the wordings the devices use. */
static const struct family_case family_cases[] = {
	/* packet */
	{ "IKEv2-PLAT-4: RECV PKT [IKE_SA_INIT] [192.168.1.1]:25170->[10.0.0.1]:500 "
	  "InitSPI=0x58aff71141ba436b RespSPI=0x0000000000000000 MID=00000000",
	  "packet",
	  "dir=in;exchange=IKE_SA_INIT;src=192.168.1.1;sport=25170;dst=10.0.0.1;dport=500;"
	  "spi_i=58aff71141ba436b;midx=00000000" },
	{ "IKEv2-PLAT-3: (2): SENT PKT [IKE_AUTH] [1.1.1.2]:500->[1.1.1.1]:500 "
	  "InitSPI=0xdca635040e30a6a3 "
	  "RespSPI=0xddf0f6e503f92a3d MID=00000001",
	  "packet", "dir=out;sa=2;exchange=IKE_AUTH;spi_r=ddf0f6e503f92a3d" },
	{ "IKEv2-PROTO-2: (2): Sending Packet [To 1.1.1.1:500/From 1.1.1.2:500/VRF i0:f0]",
	  "packet", "dir=out;dst=1.1.1.1;dport=500;src=1.1.1.2;vrf=i0:f0" },
	{ "IKEv2:(SESSION ID = 31,SA ID = 1):Received Packet [From 10.0.0.2:4500/To "
	  "10.0.0.1:4500/VRF i0:f0]",
	  "packet", "dir=in;session=31;sa=1;sport=4500" },
	{ "IKEv2-PROTO-3: Rx [L 10.0.0.1:500/R 192.168.1.1:25170/VRF i0:f0] m_id: 0x0", "packet",
	  "dir=in;local=10.0.0.1;rport=25170;midx=0" },
	{ "InitSPI=0x58aff71141ba436b RespSPI=0xfc696330e6b94d7f MID=00000005", "packet",
	  "kind=partial;midx=00000005" },
	/* exchange and header */
	{ "(2): IKEv2 IKE_SA_INIT Exchange REQUEST", "exchange",
	  "exchange=IKE_SA_INIT;msgtype=REQUEST" },
	{ "IKEv2-PROTO-3: HDR[i:58AFF71141BA436B - r: 0000000000000000]", "header", "kind=spis" },
	{ "IKEv2-PROTO-4: IKEV2 HDR ispi: 58AFF71141BA436B - rspi: FC696330E6B94D7F", "header",
	  "spi_r=FC696330E6B94D7F" },
	{ "(2): Initiator SPI : DCA635040E30A6A3 - Responder SPI : 0000000000000000 Message id: 0",
	  "header", "spi_i=DCA635040E30A6A3;mid=0" },
	{ "IKEv2-PROTO-4: Next payload: SA, version: 2.0", "header", "next=SA;version=2.0" },
	{ "(2): Exchange type: IKE_AUTH, flags: RESPONDER MSG-RESPONSE", "header",
	  "exchange=IKE_AUTH;flags=RESPONDER MSG-RESPONSE" },
	{ "IKEv2-PROTO-4: Message id: 0x4, length: 252", "header", "midx=4;length=252" },
	{ "(2): Message id: 1, length: 256", "header", "mid=1;length=256" },
	{ "Payload contents:", "header", "kind=contents" },
	{ "IKEv2-PROTO-5: (6): Request has mess_id 3; expected 3 through 3", "header", "mid=3" },
	/* payloads */
	{ "(2):  SA Next payload: KE, reserved: 0x0, length: 48", "payload",
	  "payload=SA;next=KE;length=48" },
	{ " NOTIFY(NO_PROPOSAL_CHOSEN)  Next payload: NONE, reserved: 0x0, length: 8", "payload",
	  "payload=NOTIFY;notify=NO_PROPOSAL_CHOSEN;next=NONE;length=8" },
	{ "payload: VID, reserved: 0x0, length: 23", "payload", "kind=partial;length=23" },
	{ "KE  Next payload: N, reserved: 0x0, length: 264", "payload", "payload=KE;next=N" },
	{ "N  Next payload: VID, reserved: 0x0, length: 68", "payload", "payload=N;next=VID" },
	{ "IDi  Next payload: CERTREQ, reserved: 0x0, length: 28", "payload", "payload=IDi" },
	{ "IDr Next payload: CERT, reserved: 0x0, length: 36", "payload", "payload=IDr" },
	{ "CERT  Next payload: AUTH, reserved: 0x0, length: 436", "payload", "payload=CERT" },
	{ "CERTREQ  Next payload: CFG, reserved: 0x0, length: 25", "payload", "payload=CERTREQ" },
	{ "AUTH  Next payload: EAP, reserved: 0x0, length: 136", "payload",
	  "payload=AUTH;next=EAP" },
	{ "(15):  DELETE Next payload: NONE, reserved: 0x0, length: 8", "payload",
	  "payload=DELETE" },
	{ "VID  Next payload: NOTIFY, reserved: 0x0, length: 59", "payload", "payload=VID" },
	{ "TSi  Next payload: TSr, reserved: 0x0, length: 40", "payload", "payload=TSi;next=TSr" },
	{ "TSr  Next payload: NOTIFY, reserved: 0x0, length: 40", "payload", "payload=TSr" },
	{ "(2):  ENCR Next payload: VID, reserved: 0x0, length: 228", "payload",
	  "payload=ENCR;length=228" },
	{ "CFG  Next payload: SA, reserved: 0x0, length: 196", "payload", "payload=CFG" },
	{ "EAP  Next payload: NONE, reserved: 0x0, length: 154", "payload",
	  "payload=EAP;length=154" },
	{ "SKF  Next payload: NONE, reserved: 0x0, length: 532", "payload",
	  "payload=SKF;length=532" },
	{ "IKEv2-PROTO-4: last proposal: 0x0, reserved: 0x0, length: 164", "proposal",
	  "last=0;length=164" },
	{ "Proposal: 1, Protocol id: ESP, SPI size: 4, #trans: 3", "proposal",
	  "proposal=1;protocol=ESP;spi_size=4;ntrans=3" },
	{ "(2):     last transform: 0x3, reserved: 0x0: length: 12", "transform",
	  "last=3;length=12" },
	{ "    type: 4, reserved: 0x0, id: DH_GROUP_2048_MODP/Group 14", "transform",
	  "ttype=4;tid=DH_GROUP_2048_MODP/Group 14" },
	{ "    type: 1, reserved: 0x0, id: AES-CBC-256", "transform",
	  "ttype=1;tid=AES-CBC-256;keylen=256" },
	{ "IKEv2-PROTO-5: (6): Fragmenting packet, Fragment MTU: 544, Number of fragments: 3, "
	  "Fragment ID: 1",
	  "construct", "kind=fragment;mtu=544" },
	{ "IKEv2-PROTO-2: (2): IKE Proposal: 1, SPI size: 0 (initial negotiation), Num. "
	  "transforms: 4 "
	  "AES-CBC SHA256 SHA256 DH_GROUP_2048_MODP/Group 14",
	  "proposal.summary",
	  "protocol=IKE;ntrans=4;transforms=AES-CBC SHA256 SHA256 DH_GROUP_2048_MODP/Group 14" },
	{ "IKEv2-PROTO-1: (19): Received Policies:", "policy", "policy=received" },
	{ "ESP: Proposal 1:  AES-CBC-256 SHA256 Don't use ESN", "policy",
	  "protocol=ESP;proposal=1;transforms=AES-CBC-256 SHA256 Don't use ESN" },
	{ "Proposal 1:  AES-CBC-128 SHA1 SHA256 DH_GROUP_2048_MODP/Group 14", "policy",
	  "proposal=1" },
	{ "(2):     DH group: 14, Reserved: 0x0", "ke", "group=14" },
	{ "    Id type: IPv4 address, Reserved: 0x0 0x0", "id", "id_type=IPv4 address" },
	{ "Id type: Group name, Reserved: 0x0 0x0", "id", "id_type=Group name" },
	{ "    Auth method PSK, reserved: 0x0, reserved 0x0", "auth", "auth_method=PSK" },
	{ "Cert encoding X.509 Certificate - signature", "cert",
	  "encoding=X.509 Certificate - signature" },
	{ "(2): Auth data: 32 bytes", "data", "kind=Auth;bytes=32" },
	{ "Encrypted data; 492 bytes", "data", "kind=Encrypted;bytes=492" },
	{ "(2):     Security protocol id: IKE, spi size: 0, type: NAT_DETECTION_SOURCE_IP",
	  "notify", "protocol=IKE;notify=NAT_DETECTION_SOURCE_IP" },
	{ "    Security protocol id: IKE, spi size: 0, num of spi: 0", "delete",
	  "protocol=IKE;count=0" },
	{ "    Num of TSs: 2, reserved 0x0, reserved 0x0", "ts", "count=2" },
	{ "    TS type: TS_IPV4_ADDR_RANGE, proto id: 0, length: 16", "ts",
	  "ts_type=TS_IPV4_ADDR_RANGE;ip_proto=0;length=16" },
	{ "    start port: 0, end port: 65535", "ts", "port_start=0;port_end=65535" },
	{ "    start addr: 10.0.0.0, end addr: 10.0.0.255", "ts",
	  "addr_start=10.0.0.0;addr_end=10.0.0.255" },
	{ "cfg type: CFG_REQUEST, reserved: 0x0, reserved: 0x0", "cfg", "cfg_type=CFG_REQUEST" },
	{ "attrib type: internal IP4 address, length: 4", "cfg",
	  "attr=internal IP4 address;length=4" },
	{ "attrib type: Unknown - 28682, length: 15", "cfg", "attr_type=28682;length=15" },
	{ "Code: request: id: 1, length: 150", "eap", "eap_code=request;eap_id=1;length=150" },
	{ "Code: success: id: 3, length: 4", "eap", "eap_code=success;eap_id=3;length=4" },
	{ "Type: Unknown - 254", "eap", "eap_type=254" },
	{ "(2):      be 63 cd 74 8a 72 b7 ab 6f bb b7 fd ed 0a cf 3a", "hexdump",
	  "hex=be 63 cd 74 8a 72 b7 ab 6f bb b7 fd ed 0a cf 3a" },
	{ "     01 01 01 01", "hexdump", "hex=01 01 01 01" },
	{ "(2): REAL Decrypted packet: Data: 180 bytes", "decrypted", "kind=REAL;bytes=180" },
	{ "Decrypted packet:Data: 528 bytes", "decrypted", "bytes=528" },
	{ "IKEv2-PROTO-5: Construct Notify Payload: NAT_DETECTION_SOURCE_IP", "construct",
	  "kind=construct;payload=Notify;value=NAT_DETECTION_SOURCE_IP" },
	{ "IKEv2-PROTO-5: Parse Vendor Specific Payload: (CUSTOM)", "construct",
	  "kind=parse;value=(CUSTOM)" },
	{ "IKEv2-PROTO-2: (2): Constructing IDi payload: '1.1.1.2' of type 'IPv4 address'",
	  "construct", "payload=IDi;identity=1.1.1.2" },
	{ "IKEv2-PROTO-5: Sending Delete Reason Notify with error code : "
	  "IKEV2_DELETE_BY_USER_COMMAND "
	  "severity: INFORMATIONAL",
	  "construct", "reason=IKEV2_DELETE_BY_USER_COMMAND" },
	/* state machine */
	{ "IKEv2-PROTO-5: (6): SM Trace-> SA: I_SPI=58AFF71141BA436B R_SPI=FC696330E6B94D7F (R) "
	  "MsgID = 00000000 CurState: IDLE Event: EV_RECV_INIT",
	  "sm", "sa=6;role=R;midx=00000000;state=IDLE;event=EV_RECV_INIT" },
	{ "IKEv2-PROTO-5: (6): SM Trace-> SA: I_SPI=58AFF71141BA436B R_SPI=FC696330E6B94D7F (R) "
	  "MsgID = 00000002 CurState: R_WAIT_EAP_EV_RECV_AUTH",
	  "sm", "state=R_WAIT_EAP;event=EV_RECV_AUTH" },
	{ "IKEv2-PROTO-5: (6): SM Trace-> SA: I_SPI=58AFF71141BA436B R_SPI=FC696330E6B94D7F (R) "
	  "MsgID = 00000001 CurState: R_BLD_EAP_ Event: EV_AUTHEN_REQ",
	  "sm", "state=R_BLD_EAP_REQ;state_class=negotiating;event=EV_AUTHEN_REQ" },
	{ "IKEv2:(SESSION ID = 14607,SA ID = 68): SM Trace-> SA: I_SPI=E4368647479E50EF "
	  "R_SPI=97B2C8AA5268271A (R) MsgID = 1 CurState: R_VERIFY_AUTH Event: EV_CERT_FAIL",
	  "sm", "session=14607;sa=68;mid=1;event=EV_CERT_FAIL" },
	{ "EV_CHK4_ROLE", "sm", "kind=partial;event=EV_CHK4_ROLE" },
	{ "IKEv2-PROTO-5: (2): Action: Action_Null", "action", "action=Action_Null" },
	{ "IKEv2-PROTO-2: (16): Starting timer (30 sec) to wait for auth message", "timer",
	  "kind=start;seconds=30;timer=wait for auth message" },
	{ "IKEv2-PROTO-3: (6): Starting timer to wait for user auth message (120 sec)", "timer",
	  "seconds=120;timer=wait for user auth message" },
	{ "IKEv2-PROTO-2: (2): IKEV2 SA created; inserting SA into database. SA lifetime timer "
	  "(86400 sec) "
	  "started",
	  "timer", "kind=lifetime;seconds=86400" },
	{ "IKEv2-PROTO-2: (8): Retransmitting packet", "retransmit", "kind=retransmit" },
	{ "IKEv2-PROTO-1: (8): Maximum number of retransmissions reached", "retransmit",
	  "kind=exhausted" },
	/* platform facts, status and errors */
	{ "IKEv2-PLAT-2: mapped to tunnel group 1.1.1.1 using peer IP", "fact",
	  "kind=tunnel-group;tunnel_group=1.1.1.1" },
	{ "IKEv2-PLAT-3: (172) tg_name set to: 172.16.1.1", "fact",
	  "sa=172;tunnel_group=172.16.1.1" },
	{ "IKEv2-PLAT-3: (6) username set to: Anu", "fact", "username=Anu" },
	{ "IKEv2-PLAT-3: trust point set to: Anu-ikev2", "fact", "trustpoint=Anu-ikev2" },
	{ "IKEv2-PLAT-3: supported_peers_auth_method = 16", "fact", "auth_method=16" },
	{ "IKEv2-PLAT-2: Received PFKEY SPI callback for SPI 0x1DDD9F4B, error FALSE", "fact",
	  "kind=pfkey;spi=1DDD9F4B;status=FALSE" },
	{ "IKEv2-PLAT-2: (19): PROXY MATCH on crypto map VPN_MAP seq 1", "fact",
	  "map=VPN_MAP;seq=1" },
	{ "IKEv2-PLAT-3: Crypto Map: match on dynamic map dynmap seq 1000", "fact",
	  "map=dynmap;seq=1000" },
	{ "IKEv2-PLAT-4: (31): Crypto Map: Map outside_map seq 10 is incomplete due to missing ACL",
	  "error", "kind=missing-acl;map=outside_map;seq=10" },
	{ "IKEv2-PLAT-4: (32): Crypto Map: Map outside_map seq 20. Peer doesn't match map entry",
	  "error", "kind=peer-not-in-map;map=outside_map;seq=20" },
	{ "IKEv2-PROTO-2: (2): Initializing DPD, configured for 10 seconds", "fact",
	  "kind=dpd;seconds=10" },
	{ "IKEv2-PROTO-2: (6): NAT detected float to init port 25171, resp port 4500", "fact",
	  "kind=nat;port=25171" },
	{ "IKEv2-PROTO-5: (6): Host is located NAT outside", "fact", "kind=nat" },
	{ "IKEv2-PLAT-2: CONNECTION STATUS: UP... peer: 1.1.1.1:500, phase1_id: 1.1.1.1", "status",
	  "status=UP;peer=1.1.1.1;port=500;identity=1.1.1.1" },
	{ "IKEv2-PROTO-2: (2): Session with IKE ID PAIR (1.1.1.1, 1.1.1.2) is UP", "status",
	  "status=UP" },
	{ "IKEv2-PROTO-2: (15): Sending DELETE INFO message for IKEv2 SA [ISPI: 0x8B54A15A627B9C8A "
	  "RSPI: "
	  "0xD86FA512E26B1066]",
	  "status", "kind=delete;spi_i=8B54A15A627B9C8A" },
	{ "IKEv2-PLAT-2: (11): session manager killed ikev2 tunnel. Reason: Administrator Reset",
	  "status", "reason=Administrator Reset" },
	{ "IKEv2-PROTO-1: (19): Failed to find a matching policy", "error",
	  "kind=no-matching-policy" },
	{ "IKEv2-PROTO-2: (16): Verification of peer's authentication data FAILED", "error",
	  "kind=auth-verify-failed" },
	{ "IKEv2-PROTO-1: (16): Auth exchange failed", "error", "kind=exchange-failed;value=Auth" },
	{ "IKEv2-PLAT-2: Peer ID check: failed to retreive IP from SAN", "error",
	  "kind=peer-id-check-failed;value=IP" },
	{ "CRYPTO_PKI: (A16A8) No suitable trustpoints found", "error", "kind=no-trustpoint" },
	{ "IKEv2-PLAT-1: Crypto Map: No proxy match on map outside_map seq 10", "error",
	  "kind=no-proxy-match;map=outside_map" },
	{ "IKEv2-PLAT-1: Failed to do something unexpected", "error", "kind=other" },
	/* aggregate-auth xml and EAP */
	{ "Created element name config-auth value", "xml.trace", "element=config-auth" },
	{ "Added attribute name type value hello to element config-auth", "xml.trace",
	  "attribute=type;value=hello;element=config-auth" },
	{ "Received XML message below from the client", "xml.trace",
	  "value=Received;source=client" },
	{ "IKEv2-PLAT-1: EAP:Authentication successful", "eap",
	  "kind=aaa;value=Authentication successful" },
	{ "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config-auth client=\"vpn\" "
	  "type=\"hello\">\n"
	  "<version who=\"sg\">9.0(2)8</version>\n</config-auth>",
	  "xml", "config_auth=hello" },
	{ "Date        : 04/23/2013\nTime        : 16:24:55\nType        : Information\n"
	  "Source      : acvpnui\n\nDescription : Function: ClientIfcBase::connect\nFile: x.cpp\n"
	  "Line: 964\nA VPN connection has been requested by the user.\n\n*****",
	  "dart",
	  "date=04/23/2013;time=16:24:55;severity=Information;source=acvpnui;"
	  "function=ClientIfcBase::connect" },
	/* show output */
	{ "Session-id:2, Status:UP-ACTIVE, IKE count:1, CHILD count:1", "show",
	  "session=2;status=UP-ACTIVE" },
	{ "55182129  10.0.0.1/4500  192.168.1.1/25171  READY  RESPONDER", "show",
	  "kind=tunnel;role=RESPONDER;rport=25171" },
	{ "ESP spi in/out: 0x30b848a4/0x77ee5348", "show", "protocol=ESP;spi=30b848a4" },
	{ "current outbound spi: 77EE5348", "show", "spi=77EE5348" },
	/* generic messages */
	{ "IKEv2-PROTO-3: (6): Check NAT discovery", "fact", "kind=nat;dialects=asa,ios" },
	{ "IKEv2-PLAT-5: New ikev2 sa request admitted", "message",
	  "facility=PLAT;level=5;dialects=asa" },
	{ "IKEv2:(SA ID = 1):Processing IKE_SA_INIT message", "message", "sa=1;dialects=ios" },
	{ "CRYPTO_PKI: (A16A8) Check for identical certs", "message", "dialects=ios" },
};

static void
check_fields(const struct gram_match *m, const char *spec, size_t i)
{
	char *copy = strdup(spec), *save = NULL, *tok;

	for (tok = strtok_r(copy, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(tok, '=');
		const char *v;
		size_t len;

		cr_assert_not_null(eq);
		*eq = '\0';
		if (!strcmp(tok, "dialects")) {
			/* the dialects of the rule, by name, comma-separated */
			char names[64] = "";
			unsigned d;

			for (d = 0; d < GRAM_DIALECT_COUNT; d++)
				if (m->dialects & (1u << d))
					snprintf(names + strlen(names),
						 sizeof(names) - strlen(names), "%s%s",
						 names[0] ? "," : "",
						 gram_dialect_name((enum gram_dialect)d));
			cr_assert_str_eq(names, eq + 1, "case %zu: dialects", i);
			continue;
		}
		v = value(m, tok, &len);
		cr_assert_not_null(v, "case %zu: no field %s (rule %s)", i, tok, m->rule);
		cr_assert(strlen(eq + 1) == len && !strncmp(v, eq + 1, len),
			  "case %zu: %s is '%.*s', expected '%s'", i, tok, (int)len, v, eq + 1);
	}
	free(copy);
}

Test(grammar, every_family_recognizes_its_lines, .init = setup, .fini = teardown)
{
	bool seen[GRAM_FAMILY_COUNT] = { false };
	size_t i;

	for (i = 0; i < sizeof(family_cases) / sizeof(family_cases[0]); i++) {
		const struct family_case *c = &family_cases[i];
		struct gram_match m;

		cr_assert(grammar_match(builtin, c->text, strlen(c->text), &m),
			  "case %zu not recognized: %s", i, c->text);
		cr_assert_str_eq(gram_family_name(m.family), c->family, "case %zu (%s): rule %s", i,
				 c->text, m.rule);
		check_fields(&m, c->fields, i);
		seen[m.family] = true;
	}
	for (i = 0; i < GRAM_FAMILY_COUNT; i++)
		cr_assert(seen[i], "family %s has no test case",
			  gram_family_name((enum gram_family)i));
}

Test(grammar, prefilter_keeps_attempts_low, .init = setup, .fini = teardown)
{
	static const char line[] =
		"IKEv2-PROTO-5: (2): SM Trace-> SA: I_SPI=DCA635040E30A6A3 "
		"R_SPI=0000000000000000 (I) MsgID = 00000000 CurState: IDLE Event: EV_INIT_SA";
	struct gram_match m;

	cr_assert(grammar_match(builtin, line, sizeof(line) - 1, &m));
	cr_assert_leq(m.attempts, 3, "attempts %u", m.attempts);
}

Test(grammar, prose_is_not_recognized, .init = setup, .fini = teardown)
{
	static const char *const prose[] = {
		"The ASA receives the IKE_SA_INIT message from the client.",
		"Code: request - This code is sent by the authenticator to the peer.",
		"interface Ethernet0/1",
	};
	struct gram_match m;
	size_t i;

	for (i = 0; i < sizeof(prose) / sizeof(prose[0]); i++) {
		cr_assert_not(grammar_match(builtin, prose[i], strlen(prose[i]), &m), "%s",
			      prose[i]);
		cr_assert_not(grammar_is_ike(builtin, prose[i], strlen(prose[i])), "%s", prose[i]);
	}
	cr_assert(grammar_is_ike(builtin, "R_SPI=FC696330E6B94D7F (R)", 26));
}

Test(grammar, secrets_are_masked, .init = setup, .fini = teardown)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "<password>cisco123</password>", "<password>********</password>" },
		{ "<session-token>18wA0TtGmDxPKPQC</session-token>",
		  "<session-token>********</session-token>" },
		{ "username Anu password lAuoFgF7KmB3D0WI encrypted privilege 15",
		  "username Anu password ******** encrypted privilege 15" },
		{ " ikev2 remote-authentication pre-shared-key cisco123",
		  " ikev2 remote-authentication pre-shared-key ********" },
		{ "nothing secret here", "nothing secret here" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf out;

		sb_init(&out);
		grammar_mask(builtin, cases[i].in, strlen(cases[i].in), &out);
		cr_assert_str_eq(out.buf, cases[i].out);
		sb_finish(&out);
	}
}

/*
 * Answers are kept by content: the same text asked again, from another
 * buffer, gets the same answer with values pointing into that buffer.
 */
Test(grammar, a_text_asked_again_gets_the_same_answer, .init = setup, .fini = teardown)
{
	static const char line[] = "IKEv2-PROTO-4: Message id: 0x1, length: 1234";
	char first[sizeof(line)], again[sizeof(line)];
	struct gram_match a, b;
	size_t i;

	memcpy(first, line, sizeof(line));
	memcpy(again, line, sizeof(line));
	cr_assert(grammar_match(builtin, first, sizeof(line) - 1, &a));
	memset(first, 'x', sizeof(line) - 1); /* the first buffer is gone */
	cr_assert(grammar_match(builtin, again, sizeof(line) - 1, &b));
	cr_assert_eq(a.family, b.family);
	cr_assert_str_eq(a.rule, b.rule);
	cr_assert_eq(a.attempts, b.attempts);
	cr_assert_eq(a.nvalues, b.nvalues);
	for (i = 0; i < b.nvalues; i++) {
		cr_assert_eq(a.values[i].field, b.values[i].field);
		cr_assert_eq(a.values[i].len, b.values[i].len);
		if (b.values[i].p >= again && b.values[i].p < again + sizeof(line))
			cr_assert_eq(b.values[i].p - again, a.values[i].p - first,
				     "value %zu at another offset", i);
		else
			cr_assert_eq(b.values[i].p, a.values[i].p, "fixed value %zu differs", i);
	}
	check_fields(&b, "midx=1;length=1234", 0);
	/* and a text that did not match still does not */
	cr_assert_not(grammar_match(builtin, "no such record", 14, &a));
	cr_assert_not(grammar_match(builtin, "no such record", 14, &b));
}

/* Many distinct texts fill the kept answers; they are dropped and made again. */
Test(grammar, answers_stay_right_past_the_memo_bound, .init = setup, .fini = teardown)
{
	static const char line[] = "IKEv2-PROTO-4: Message id: 0x1, length: 1234";
	char buf[128], word[16];
	struct gram_match m;
	unsigned i;

	cr_assert(grammar_match(builtin, line, sizeof(line) - 1, &m));
	for (i = 0; i < 100000; i++) {
		int n = snprintf(buf, sizeof(buf), "IKEv2-PROTO-4: Message id: 0x%x, length: %u", i,
				 i + 7);
		unsigned j = i, k = 0;

		cr_assert(grammar_match(builtin, buf, (size_t)n, &m), "%s", buf);
		if (i % 9973 == 0) {
			char want[64];

			snprintf(want, sizeof(want), "midx=%x;length=%u", i, i + 7);
			check_fields(&m, want, i);
		}
		/* numbers share a shape: letters make one new shape per line, to fill the table */
		do {
			word[k++] = (char)('g' + j % 20);
			j /= 20;
		} while (j);
		word[k] = '\0';
		n = snprintf(buf, sizeof(buf), "IKEv2-PROTO-5: (%u): Sending %s", i, word);
		cr_assert(grammar_match(builtin, buf, (size_t)n, &m), "%s", buf);
	}
	cr_assert(grammar_match(builtin, line, sizeof(line) - 1, &m));
	check_fields(&m, "midx=1;length=1234", 0);
}

/* The lexer rules answer the same for a text asked twice (split points included). */
Test(grammar, lexer_rules_answer_alike_when_asked_again, .init = setup, .fini = teardown)
{
	const struct lex_rules_ops *ops = grammar_lex_ops();
	static const char glued[] = "IKEv2-PROTO-4: (12): Sending initial message IKEv2-PROTO-4: "
				    "(12): Verify SA init message";
	const struct lex_cut *cuts;
	size_t ncuts, at, round;

	for (round = 0; round < 2; round++) {
		char copy[sizeof(glued)];

		memcpy(copy, glued, sizeof(glued));
		cuts = ops->split(builtin, copy, sizeof(glued) - 1, &ncuts);
		cr_assert_eq(ncuts, 1, "round %zu: %zu cuts", round, ncuts);
		at = cuts[0].at;
		cr_assert(!strncmp(copy + at, "IKEv2-PROTO-4: (12): Verify", 27),
			  "round %zu: cut at %zu", round, at);
		cr_assert_null(ops->noise(builtin, copy, sizeof(glued) - 1));
		cr_assert_str_eq(ops->noise(builtin, "   ", 3), "empty-debug");
		cr_assert_not(ops->starts(builtin, "Sending initial message", 23));
		cr_assert(ops->starts(builtin, "IKEv2-PROTO-4: x", 16));
	}
}

/*
 * A rule with literals is tried only where one of them occurs: at the start,
 * inside or at the very end of the text, one byte long or sharing its first
 * two bytes with another literal.
 */
Test(grammar, literals_are_found_anywhere_in_the_text)
{
	static const char text[] =
		"[family packet a]\nliteral = zq9\nliteral = zqx-long\nregex = "
		".\n"
		"[family packet b]\nliteral = ~\nregex = .\nset.kind = partial\n";
	static const struct {
		const char *in;
		const char *rule; /* NULL: no match */
	} cases[] = {
		{ "zq9", "packet/a" },     { "abc zq9", "packet/a" },
		{ "zq9 abc", "packet/a" }, { "a zqx-long b", "packet/a" },
		{ "a zqx-lon", NULL },     { "zq", NULL },
		{ "z q 9", NULL },         { "~", "packet/b" },
		{ "abc~", "packet/b" },    { "zzq9", "packet/a" },
		{ "zqzq9", "packet/a" },   { "", NULL },
	};
	struct gram_source src = { "t.gram", text, sizeof(text) - 1 };
	struct err err = { 0 };
	struct grammar *g = grammar_create(&src, 1, NULL, &err);
	struct gram_match m;
	size_t i;

	cr_assert_not_null(g, "%s", err.msg);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool found = grammar_match(g, cases[i].in, strlen(cases[i].in), &m);

		if (cases[i].rule) {
			cr_assert(found, "'%s' not matched", cases[i].in);
			cr_assert_str_eq(m.rule, cases[i].rule, "'%s'", cases[i].in);
		} else {
			cr_assert_not(found, "'%s' matched %s", cases[i].in, m.rule);
		}
	}
	grammar_destroy(g);
}

/* A join's tail-literal gates its tail pattern; its literal gates the head. */
Test(grammar, join_literals_gate_head_and_tail)
{
	static const char text[] = "[join j]\nliteral = HEAD\nhead = HEAD$\n"
				   "tail-literal = tail:\ntail = ^\\w+\n";
	struct gram_source src = { "t.gram", text, sizeof(text) - 1 };
	struct err err = { 0 };
	struct grammar *g = grammar_create(&src, 1, NULL, &err);
	const struct lex_rules_ops *ops = grammar_lex_ops();
	size_t drop;

	cr_assert_not_null(g, "%s", err.msg);
	cr_assert(ops->joins(g, "a HEAD", 6, NULL, "more tail: x", 12, &drop));
	/* the tail pattern alone would match: without the literal it is not tried */
	cr_assert_not(ops->joins(g, "a HEAD", 6, NULL, "more text", 9, &drop));
	cr_assert_not(ops->joins(g, "a head", 6, NULL, "more tail: x", 12, &drop));
	grammar_destroy(g);
}

/* The answers kept per text have a bit per join: more joins are refused, and said so. */
Test(grammar, too_many_joins_are_refused)
{
	struct strbuf text;
	struct err err = { 0 };
	struct grammar *g;
	struct gram_source src;
	int i;

	sb_init(&text);
	for (i = 0; i < 65; i++)
		sb_addf(&text, "[join j%d]\nhead = a\ntail = b\n", i);
	src = (struct gram_source){ "t.gram", text.buf, text.len };
	g = grammar_create(&src, 1, NULL, &err);
	cr_assert_null(g);
	cr_assert_eq(err.code, ERR_GRAMMAR);
	cr_assert_str_eq(err.msg, "65 join stanzas; at most 64 are supported");
	sb_finish(&text);
	/* 64 load */
	sb_init(&text);
	for (i = 0; i < 64; i++)
		sb_addf(&text, "[join j%d]\nhead = a\ntail = b\n", i);
	src = (struct gram_source){ "t.gram", text.buf, text.len };
	g = grammar_create(&src, 1, NULL, &err);
	cr_assert_not_null(g);
	grammar_destroy(g);
	sb_finish(&text);
}

/* ---- shapes: numbers read as zeros ---- */

#include "../../src/grammar/grammar-private.h"

static bool
word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Hex dump bytes, the plain way: list the words, then zero runs of two-digit hex ones. */
static void
dump_reference(char *s, size_t n)
{
	size_t at[300], len[300], nw = 0, i = 0, w, k;

	while (i < n && nw < 300) {
		if (!word_char(s[i])) {
			i++;
			continue;
		}
		at[nw] = i;
		while (i < n && word_char(s[i]))
			i++;
		len[nw] = i - at[nw];
		nw++;
	}
	for (w = 0; w < nw; w = k) {
		bool byte = len[w] == 2 && isxdigit((unsigned char)s[at[w]]) &&
			    isxdigit((unsigned char)s[at[w] + 1]);

		k = w + 1;
		if (!byte)
			continue;
		while (k < nw && len[k] == 2 && isxdigit((unsigned char)s[at[k]]) &&
		       isxdigit((unsigned char)s[at[k] + 1]) && at[k] == at[k - 1] + 3 &&
		       s[at[k] - 1] == ' ')
			k++;
		if (k - w >= SHAPE_MIN_DUMP)
			for (i = w; i < k; i++)
				s[at[i]] = s[at[i] + 1] = '0';
	}
}

/* The shape worked out one word at a time, the plain way. */
static void
shape_reference(char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t start, len, j;
		bool digits = true, hex = true, digit = false;

		if (!(isalnum((unsigned char)s[i]) || s[i] == '_')) {
			i++;
			continue;
		}
		for (start = i; i < n && (isalnum((unsigned char)s[i]) || s[i] == '_'); i++) {
			digits = digits && isdigit((unsigned char)s[i]);
			hex = hex && isxdigit((unsigned char)s[i]);
			digit = digit || isdigit((unsigned char)s[i]);
		}
		len = i - start;
		if (digits || (hex && digit && len >= SHAPE_MIN_HEX)) {
			memset(s + start, '0', len);
		} else if (len > 2 && s[start] == '0' &&
			   (s[start + 1] == 'x' || s[start + 1] == 'X')) {
			for (j = start + 2; j < i && isxdigit((unsigned char)s[j]); j++)
				;
			if (j == i)
				memset(s + start + 2, '0', len - 2);
		}
	}
	dump_reference(s, n);
}

static void
expect_shape(const char *text, const char *want)
{
	char buf[256];
	size_t n = strlen(text);

	memcpy(buf, text, n + 1);
	shape_zero(buf, n);
	cr_expect_str_eq(buf, want, "shape of '%s'", text);
}

Test(shape, numbers_read_as_zeros)
{
	expect_shape("IKEv2-PROTO-5: (155): SM Trace-> SA: I_SPI=1000000000129BC6 "
		     "R_SPI=2000000000F6190A",
		     "IKEv2-PROTO-0: (000): SM Trace-> SA: I_SPI=0000000000000000 "
		     "R_SPI=0000000000000000");
	expect_shape("SPI 0x30B848A4, 0x1f, 0x", "SPI 0x00000000, 0x00, 0x");
	expect_shape("Apr 23 16:31:12.345 x509 2c DEADBEEF DEADBEE1 fe80::1",
		     "Apr 00 00:00:00.000 x509 2c DEADBEEF 00000000 fe80::0");
	expect_shape("[10.64.5.222]:25171 AES-CBC-256 DH_GROUP_2048_MODP phase1_id",
		     "[00.00.0.000]:00000 AES-CBC-000 DH_GROUP_2048_MODP phase1_id");
	expect_shape("", "");
	/* hex dumps: four or more two-digit words one space apart */
	expect_shape("     5b 9b fb 7b 61 97 ef 65", "     00 00 00 00 00 00 00 00");
	expect_shape("(6):  ab cd ef 1a", "(0):  00 00 00 00");
	expect_shape("ab cd ef", "ab cd ef");
	expect_shape("id: ab cd ef aa, be", "id: 00 00 00 00, be");
	expect_shape("ab  cd ef aa bb", "ab  00 00 00 00");
	expect_shape("abc cd ef aa bb", "abc 00 00 00 00");
}

Test(shape, same_as_word_by_word_on_random_text)
{
	static const char alphabet[] = "0123456789abcdefxABCDEFXgz_ .:-=()";
	unsigned seed = 12345;
	char a[300], b[300];
	int round;

	for (round = 0; round < 20000; round++) {
		size_t n, i;

		seed = seed * 1103515245u + 12345u;
		n = (seed >> 8) % sizeof(a);
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			a[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		memcpy(b, a, n);
		shape_zero(a, n);
		shape_reference(b, n);
		cr_assert(!memcmp(a, b, n), "round %d: '%.*s' != '%.*s'", round, (int)n, a, (int)n,
			  b);
	}
}

/* A text shaped from the one before it (their shared start) has the shape it has alone. */
Test(shape, from_the_line_before_same_as_alone)
{
	static const char alphabet[] = "0123456789abcdefxABCDEFXgz_ .:-=()";
	static const char hex[] = "0123456789abcdef";
	unsigned seed = 777;
	char prev[300], prev_shape[300], s[300], want[300], got[300];
	size_t pn = 0, reused = 0;
	int round;

	for (round = 0; round < 20000; round++) {
		size_t n, i, keep;

		/* the start of the line before, kept or a little changed, then new bytes */
		seed = seed * 1103515245u + 12345u;
		n = (seed >> 8) % sizeof(s);
		seed = seed * 1103515245u + 12345u;
		keep = pn ? (seed >> 8) % (pn + 1) : 0;
		keep = keep < n ? keep : n;
		memcpy(s, prev, keep);
		for (i = keep; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			if (round % 2 && i + 3 <= n && (seed >> 12) % 4) {
				/* mostly dump bytes, so that dumps run across the shared start */
				s[i] = hex[(seed >> 16) % 16];
				s[i + 1] = hex[(seed >> 20) % 16];
				s[i + 2] = (seed >> 24) % 8 ? ' ' : ':';
				i += 2;
				continue;
			}
			s[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		memcpy(want, s, n);
		shape_zero(want, n);
		reused += shape_after(got, s, n, pn ? prev : NULL, prev_shape, pn);
		cr_assert(!memcmp(got, want, n), "round %d: '%.*s' after '%.*s': '%.*s' != '%.*s'",
			  round, (int)n, s, (int)pn, prev, (int)n, got, (int)n, want);
		memcpy(prev, s, n);
		memcpy(prev_shape, got, n);
		pn = n;
	}
	cr_expect(reused > 100000, "the shape of the line before was used (%zu bytes)", reused);
}

Test(shape, patterns_that_name_digits_read_the_real_text)
{
	static const char *const exact[] = {
		"%ASA-\\d-711001:", "75[0-2]\\d{3}", "reserved: 0x0,", "-(?<keylen>128|192|256)",
		"IK(?:Ev?2?)?",     "(a)\\1",        "\\Q500\\E",      "port 500",
	};
	static const char *const shaped[] = {
		"IKEv2-PROTO-\\d+:",
		"phase1_id:\\s*$",
		"reserved: 0x[0-9A-Fa-f]+,",
		"x509",
		"IK(?:E(?:v2?)?)?",
		"\\x41\\x{2022}\\d{1,3}[0-9]",
		"(?<sa>\\d+)",
		"DH_GROUP_2048",
		"[^0-9]",
	};
	size_t i;

	for (i = 0; i < sizeof(exact) / sizeof(*exact); i++)
		cr_expect(shape_pattern_exact(exact[i]), "%s names a digit", exact[i]);
	for (i = 0; i < sizeof(shaped) / sizeof(*shaped); i++)
		cr_expect(!shape_pattern_exact(shaped[i]), "%s names no digit", shaped[i]);
	cr_expect(shape_literal_exact("-711001:", 8));
	cr_expect(!shape_literal_exact("IKEv2-", 6));
}

/* Loads one grammar text that must load. */
static struct grammar *
load_one(const char *text)
{
	struct gram_source src = { "test.gram", text, strlen(text) };
	struct strbuf diags;
	struct err err = { 0 };
	struct grammar *g;

	sb_init(&diags);
	g = grammar_create(&src, 1, &diags, &err);
	cr_assert_not_null(g, "%s", diags.buf ? diags.buf : err.msg);
	sb_finish(&diags);
	return g;
}

Test(shape, values_come_from_the_real_text)
{
	struct gram_match m;
	const char *a = "IKEv2-PROTO-5: (155): SM Trace-> SA: I_SPI=1000000000129BC6 "
			"R_SPI=2000000000F6190A (R) MsgID = 00000001 CurState: R_WAIT_AUTH Event: "
			"EV_NO_EVENT";
	const char *b = "IKEv2-PROTO-5: (871): SM Trace-> SA: I_SPI=10000000000E9EF7 "
			"R_SPI=20000000058CA7D1 (R) MsgID = 00000004 CurState: R_WAIT_AUTH Event: "
			"EV_NO_EVENT";
	struct grammar *g;
	size_t i;

	setup();
	g = builtin;
	cr_assert(grammar_match(g, a, strlen(a), &m));
	/* the second line has the same shape: its answer is the one kept, its values its own */
	cr_assert(grammar_match(g, b, strlen(b), &m));
	for (i = 0; i < m.nvalues; i++) {
		if (m.values[i].field == GRAM_FIELD_SA)
			cr_expect(m.values[i].len == 3 && !memcmp(m.values[i].p, "871", 3));
		if (m.values[i].field == GRAM_FIELD_SPI_I)
			cr_expect(!memcmp(m.values[i].p, "10000000000E9EF7", 16));
	}
	teardown();
}

Test(shape, a_record_said_again_takes_its_values_from_its_own_bytes)
{
	struct gram_match m;
	const char *line = "IKEv2-PROTO-5: (155): SM Trace-> SA: I_SPI=1000000000129BC6 "
			   "R_SPI=2000000000F6190A (R) MsgID = 00000001 CurState: R_WAIT_AUTH "
			   "Event: EV_NO_EVENT";
	const char *other = "IKEv2-PROTO-5: (155): SM Trace-> SA: I_SPI=1000000000129BC6 "
			    "R_SPI=2000000000F6190A (R) MsgID = 00000001 CurState: R_WAIT_AUTH "
			    "Event: EV_PROC_MSG";
	char a[256], b[256];
	size_t n = strlen(line), i;
	bool sa = false;

	setup();
	memcpy(a, line, n + 1);
	memcpy(b, line, n + 1);
	cr_assert(grammar_match(builtin, a, n, &m));
	/* the same bytes elsewhere: found by them, the values point into the new copy */
	cr_assert(grammar_match(builtin, b, n, &m));
	for (i = 0; i < m.nvalues; i++) {
		if (m.values[i].p >= a && m.values[i].p < a + sizeof(a))
			cr_expect_fail("value %zu points into the first copy", i);
		if (m.values[i].field == GRAM_FIELD_SA) {
			cr_expect(m.values[i].p == b + 16 && m.values[i].len == 3);
			sa = true;
		}
	}
	cr_expect(sa);
	/* bytes that differ where the table holds them are not taken for the same */
	cr_assert(grammar_match(builtin, other, strlen(other), &m));
	for (i = 0; i < m.nvalues; i++)
		if (m.values[i].field == GRAM_FIELD_EVENT)
			cr_expect(m.values[i].len == 11 &&
					  !memcmp(m.values[i].p, "EV_PROC_MSG", 11),
				  "event %.*s", (int)m.values[i].len, m.values[i].p);
	teardown();
}

/*
 * m and n hold the same match (values by content: they may be in other
 * copies of the text). Not the attempts: they count the patterns the first
 * match of a shape ran, which depends on what the instance was asked before.
 */
static void
expect_same_match(const struct gram_match *m, const struct gram_match *n)
{
	size_t i;

	cr_expect_eq(m->family, n->family);
	cr_expect_str_eq(m->rule, n->rule);
	cr_expect_eq(m->dialects, n->dialects);
	cr_assert_eq(m->nvalues, n->nvalues);
	cr_expect(!memcmp(m->has, n->has, sizeof(m->has)));
	cr_expect(!memcmp(m->at, n->at, sizeof(m->at)));
	for (i = 0; i < m->nvalues; i++) {
		cr_expect_eq(m->values[i].field, n->values[i].field);
		cr_expect(m->values[i].len == n->values[i].len &&
				  !memcmp(m->values[i].p, n->values[i].p, m->values[i].len),
			  "value %zu: %.*s, %.*s", i, (int)m->values[i].len, m->values[i].p,
			  (int)n->values[i].len, n->values[i].p);
	}
}

Test(grammar, an_answer_from_one_instance_makes_the_match_on_another)
{
	static const char log[] =
		"Jan 01 2026 00:00:01: %ASA-7-711001: IKEv2-PROTO-5: (155): SM Trace-> SA: "
		"I_SPI=1000000000129BC6 R_SPI=2000000000F6190A (R) MsgID = 00000001 CurState: "
		"R_WAIT_AUTH Event: EV_NO_EVENT\n"
		"Jan 01 2026 00:00:01: %ASA-7-711001: IKEv2-PROTO-5: (871): SM Trace-> SA: "
		"I_SPI=10000000000E9EF7 R_SPI=20000000058CA7D1 (R) MsgID = 00000004 CurState: "
		"R_WAIT_AUTH Event: EV_NO_EVENT\n"
		"Jan 01 2026 00:00:02: %ASA-7-711001: IKEv2-PLAT-4: nothing any rule knows\n"
		"Jan 01 2026 00:00:02: %ASA-7-711001: IKEv2-PLAT-4: RECV PKT [IKE_SA_INIT] "
		"[10.64.0.22]:11705->[10.0.0.1]:500 InitSPI=0x23ec75979615a32e "
		"RespSPI=0x0000000000000000 MID=00000000\n";
	struct err err = { 0 };
	struct strbuf diags;
	struct grammar *other;
	struct lex_record rec;
	struct lex *lx;
	FILE *fp;
	unsigned answered = 0, records = 0;

	setup();
	sb_init(&diags);
	other = grammar_create_builtin(&diags, &err);
	cr_assert_not_null(other);
	sb_finish(&diags);
	fp = fmemopen((void *)log, sizeof(log) - 1, "r");
	cr_assert_not_null(fp);
	lx = lex_create(fp, "t.log", grammar_lex_ops(), builtin, NULL);
	while (lex_next(lx, &rec, &err)) {
		struct gram_answer a;
		struct gram_match want, got;
		bool matched;

		if (rec.flags & LEX_REC_NOISE)
			continue;
		records++;
		if (!grammar_answer_hinted(builtin, rec.text, rec.len, &rec.hint, &a))
			continue;
		answered++;
		matched = grammar_match_answer(other, &a, rec.text, &got);
		cr_expect_eq(matched, grammar_match(other, rec.text, rec.len, &want), "%.*s",
			     (int)rec.len, rec.text);
		if (matched)
			expect_same_match(&want, &got);
	}
	lex_destroy(lx);
	fclose(fp);
	cr_expect_eq(records, 4);
	/* each from its hint: the first of a shape matched once, then answered */
	cr_expect_eq(answered, 4);
	/* no hint, no answer */
	{
		struct gram_answer a;

		cr_expect(!grammar_answer_hinted(builtin, "x", 1, NULL, &a));
	}
	grammar_destroy(other);
	teardown();
}

Test(shape, a_rule_that_names_digits_tells_numbers_apart)
{
	struct grammar *g = load_one("[noise trace]\nliteral = %\nregex = ^%ASA-\\d-711001:\n"
				     "[family message any]\nregex = \\S\n");
	const struct lex_rules_ops *ops = grammar_lex_ops();
	const char *yes = "%ASA-7-711001: text", *no = "%ASA-7-711002: text";
	struct strbuf out;
	size_t n;

	cr_expect_str_eq(ops->noise(g, yes, strlen(yes)), "trace");
	cr_expect_null(ops->noise(g, no, strlen(no)), "same shape, another number");
	cr_expect_str_eq(ops->noise(g, yes, strlen(yes)), "trace");
	sb_init(&out);
	n = grammar_describe_exact(g, &out);
	cr_expect_eq(n, 1);
	cr_expect(strstr(out.buf, "test.gram:1: noise trace") != NULL, "%s", out.buf);
	sb_finish(&out);
	grammar_destroy(g);
}

/* The literal of a rule that reads the real text is found wherever it is in the line. */
Test(shape, literals_of_exact_rules_found_at_any_offset)
{
	struct grammar *g = load_one("[noise trace]\nliteral = -711001:\nregex = -711001:\n"
				     "[family message any]\nregex = \\S\n");
	const struct lex_rules_ops *ops = grammar_lex_ops();
	char line[128];
	int at;

	for (at = 0; at < 60; at++) {
		memset(line, 'a', sizeof(line));
		memcpy(line + at, "-711001:", 8);
		line[70] = '\0';
		cr_expect_str_eq(ops->noise(g, line, 70), "trace", "literal at %d", at);
		line[at + 7] = ';'; /* the last byte differs */
		cr_expect_null(ops->noise(g, line, 70), "near miss at %d", at);
		line[at + 7] = ':';
		line[at + 3] = '2'; /* a middle byte differs */
		cr_expect_null(ops->noise(g, line, 70), "near miss at %d", at);
	}
	grammar_destroy(g);
}

/* The value of field in m as a new string ("" if absent). */
static char *
text_of(const struct gram_match *m, const char *field)
{
	size_t len = 0;
	const char *p = value(m, field, &len);

	return strndup(p ? p : "", p ? len : 0);
}

Test(grammar, value_maps_give_classes_complete_cut_words_and_rename)
{
	static const char text[] =
		"[map st]\nfamily = sm\nfield = state\nclass = state_class\n"
		"complete = yes\nword = READY => established\n"
		"word = R_WAIT_AUTH => negotiating\nword = R_WAIT_EAP_RESP\n"
		"[map pl]\nfield = payload\nword = Vendor Specific => Vendor ID\n"
		"[family sm x]\nregex = ^S (?<state>\\S+)$\n"
		"[family construct x]\nregex = ^C (?<payload>.+)$\n";
	struct gram_source src = { "m.gram", text, sizeof(text) - 1 };
	struct gram_match m;
	struct grammar *g = grammar_create(&src, 1, NULL, NULL);
	char *a, *b;

	cr_assert_not_null(g);
	cr_assert_eq(grammar_map_count(g), 2);
	cr_assert_eq(grammar_rule_count(g), 2);
	cr_assert(grammar_match(g, "S READY", 7, &m));
	a = text_of(&m, "state_class");
	cr_expect_str_eq(a, "established");
	free(a);
	/* a cut word of one state reads whole; of two, it stays as it is, with no class */
	cr_assert(grammar_match(g, "S R_WAIT_A", 10, &m));
	a = text_of(&m, "state"), b = text_of(&m, "state_class");
	cr_expect_str_eq(a, "R_WAIT_AUTH");
	cr_expect_str_eq(b, "negotiating");
	free(a), free(b);
	cr_assert(grammar_match(g, "S R_WAIT_", 9, &m));
	a = text_of(&m, "state"), b = text_of(&m, "state_class");
	cr_expect_str_eq(a, "R_WAIT_");
	cr_expect_str_eq(b, "");
	free(a), free(b);
	/* a word without a class is known (it completes) and gets none */
	cr_assert(grammar_match(g, "S R_WAIT_EAP", 12, &m));
	a = text_of(&m, "state"), b = text_of(&m, "state_class");
	cr_expect_str_eq(a, "R_WAIT_EAP_RESP");
	cr_expect_str_eq(b, "");
	free(a), free(b);
	/* a map without a family holds for all; an unknown word is left alone */
	cr_assert(grammar_match(g, "C Vendor Specific", 17, &m));
	a = text_of(&m, "payload");
	cr_expect_str_eq(a, "Vendor ID");
	free(a);
	cr_assert(grammar_match(g, "C Nonce", 7, &m));
	a = text_of(&m, "payload");
	cr_expect_str_eq(a, "Nonce");
	free(a);
	grammar_destroy(g);
}

/*
 * A file's rules are of the dialects it declares; detect patterns tell an
 * input's dialect; restricting the grammar to one dialect leaves the
 * families of the others untried, and the common ones still work.
 */
Test(grammar, dialects_declared_detected_and_restricted)
{
	static const char asa[] =
		"[dialect asa]\ndetect = ^A-\n[family message a]\nregex = ^A-(?<text>.*)$\n";
	static const char ios[] =
		"[dialect ios]\ndetect = ^I:\n[family message i]\nregex = ^I:(?<text>.*)$\n";
	static const char common[] =
		"[family hexdump h]\nregex = ^(?<hex>[0-9a-f]{2}(?: [0-9a-f]{2})*)$\n";
	struct gram_source src[] = {
		{ "a.gram", asa, sizeof(asa) - 1 },
		{ "i.gram", ios, sizeof(ios) - 1 },
		{ "c.gram", common, sizeof(common) - 1 },
	};
	struct gram_match m;
	struct strbuf files;
	struct grammar *g = grammar_create(src, 3, NULL, NULL);

	cr_assert_not_null(g);
	cr_expect_eq(grammar_rule_count(g), 3);
	cr_expect_eq(grammar_dialect_rules(g, GRAM_DIALECT_ASA), 1);
	sb_init(&files);
	grammar_dialect_files(g, GRAM_DIALECT_IOS, &files);
	cr_expect_str_eq(files.buf, "i.gram");
	sb_finish(&files);
	cr_expect_eq(grammar_detect_dialect(g, "A-x", 3), GRAM_DIALECT_ASA);
	cr_expect_eq(grammar_detect_dialect(g, "I:x", 3), GRAM_DIALECT_IOS);
	cr_expect_eq(grammar_detect_dialect(g, "ab cd", 5), GRAM_DIALECT_COUNT);
	cr_assert(grammar_match(g, "A-x", 3, &m));
	cr_expect_eq(m.dialects, 1u << GRAM_DIALECT_ASA);
	cr_assert(grammar_match(g, "ab cd", 5, &m));
	cr_expect_eq(m.dialects, 0u);
	cr_expect_eq(grammar_only_dialect(g), GRAM_DIALECT_COUNT);
	grammar_destroy(g);

	g = grammar_create(src, 3, NULL, NULL);
	cr_assert_not_null(g);
	grammar_restrict_dialect(g, GRAM_DIALECT_IOS);
	cr_expect_eq(grammar_only_dialect(g), GRAM_DIALECT_IOS);
	cr_expect_not(grammar_match(g, "A-x", 3, &m));
	cr_expect(grammar_match(g, "I:x", 3, &m));
	cr_expect(grammar_match(g, "ab cd", 5, &m));
	grammar_destroy(g);
}
