/* Unit tests of reconstruct/: sessions from records, client (DART) sessions and their join. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "builtin-grammar.h"
#include "ikescope/grammar.h"
#include "ikescope/lexer.h"
#include "ikescope/model.h"
#include "ikescope/reconstruct.h"
#include "ikescope/util/strbuf.h"

#define MAX_SESSIONS 8

/*
 * Reconstructs len bytes of text as one input and hands each session, in
 * order, to fn (which owns it). Returns the number of sessions.
 */
struct each {
	void (*fn)(struct session *, size_t, void *);
	void *ctx;
	size_t n;
};

static void
each_session(void *ctx, struct session *s)
{
	struct each *e = ctx;

	e->fn(s, e->n++, e->ctx);
}

static size_t
rebuild_each(const char *text, size_t len, void (*fn)(struct session *, size_t, void *), void *ctx)
{
	FILE *fp = fmemopen((void *)text, len, "rb");
	struct recon *r = recon_create(g);
	struct each e = { fn, ctx, 0 };
	struct recon_reader rd = { .session = each_session, .ctx = &e };
	struct err err = { 0 };

	cr_assert_not_null(fp);
	cr_assert(recon_read(r, g, fp, "t.log", &rd, NULL, &err));
	fclose(fp);
	recon_destroy(r);
	return e.n;
}

static void
keep_first(struct session *s, size_t i, void *out)
{
	if (i < MAX_SESSIONS)
		((struct session **)out)[i] = s;
	else
		session_destroy(s);
}

/* Reconstructs text as one input; fills out[] with the sessions, returns their number. */
static size_t
rebuild(const char *text, struct session **out)
{
	size_t n = rebuild_each(text, strlen(text), keep_first, out);

	return n < MAX_SESSIONS ? n : MAX_SESSIONS;
}

static void
destroy_all(struct session **s, size_t n)
{
	while (n)
		session_destroy(s[--n]);
}

#define SEP "******************************************\n"
#define ENTRY(time, type, desc)                                                                    \
	"Date        : 04/23/2013\nTime        : " time "\nType        : " type                    \
	"\nSource      : acvpnagent\n\nDescription : " desc "\n\n" SEP

static const char dart_up[] = SEP ENTRY("10:00:00", "Information",
					"A VPN connection to HQ has been requested by the user.")
	ENTRY("10:00:01", "Information",
	      "Opened IKE socket from 192.0.2.7:40001 to 198.51.100.1:500")
		ENTRY("10:00:01", "Information",
		      "Opened IKE socket from 192.0.2.7:40002 to 198.51.100.1:4500")
			ENTRY("10:00:02", "Information", "Tunnel initiated by GUI Client.") ENTRY(
				"10:00:03", "Information",
				"The VPN connection has been established and can now pass data.");

Test(reconstruct, dart_log_makes_a_client_session, .init = setup, .fini = teardown)
{
	struct session *s[MAX_SESSIONS];
	size_t n = rebuild(dart_up, s);

	cr_assert_eq(n, 1);
	cr_assert(s[0]->client_log);
	cr_assert_eq(s[0]->role, MODEL_ROLE_CLIENT);
	cr_assert_eq(s[0]->outcome, MODEL_OUTCOME_UP);
	cr_assert_str_eq(s[0]->client_profile, "HQ");
	cr_assert_str_eq(s[0]->client_addr, "192.0.2.7");
	cr_assert_str_eq(s[0]->client_gateway, "198.51.100.1");
	cr_assert_eq(s[0]->nclient_ports, 2);
	cr_assert_eq(s[0]->client_ports[1], 40002);
	/* the plain entry is kept, as an event of no kind */
	cr_assert_eq(s[0]->nclient, 5);
	cr_assert_null(s[0]->client[3].kind);
	cr_assert_null(s[0]->failure.cause);
	destroy_all(s, n);
}

static const char dart_failed_twice[] = SEP ENTRY(
	"10:00:00", "Information", "A VPN connection to HQ has been requested by the user.")
	ENTRY("10:00:01", "Information",
	      "Opened IKE socket from 192.0.2.7:40001 to 198.51.100.1:500")
		ENTRY("10:00:02", "Error",
		      "Function: CCapiCertificate::verifyChainPolicy\nFile: x.cpp\nLine: 1\nThe "
		      "certificate chain ends in a root that is not trusted.")
			ENTRY("10:00:03", "Information",
			      "Message type error sent to the user:\nLogin failed.")
				ENTRY("10:00:04", "Information",
				      "The VPN connection has been disconnected.")
					ENTRY("10:01:00", "Information",
					      "A VPN connection to HQ has been requested by the "
					      "user.");

Test(reconstruct, client_failure_and_a_new_attempt, .init = setup, .fini = teardown)
{
	struct session *s[MAX_SESSIONS];
	size_t n = rebuild(dart_failed_twice, s);

	cr_assert_eq(n, 2, "a second connection request is a second session");
	cr_assert_eq(s[0]->outcome, MODEL_OUTCOME_FAILED);
	cr_assert_str_eq(s[0]->failure.cause, "CERTIFICATE_INVALID");
	cr_assert_null(s[0]->failure.exchange);
	/* the first error explains, without the File/Line lines */
	cr_assert_not_null(strstr(s[0]->failure.explanation, "root that is not trusted"));
	cr_assert_null(strstr(s[0]->failure.explanation, "x.cpp"));
	cr_assert_eq(s[1]->outcome, MODEL_OUTCOME_INCOMPLETE);
	cr_assert_str_eq(s[1]->failure.cause, "UNKNOWN");
	destroy_all(s, n);
}

/* Held client sessions: the one a device session matches is joined and freed; the rest come back. */
Test(reconstruct, held_client_sessions_join_once, .init = setup, .fini = teardown)
{
	struct session *c[MAX_SESSIONS];
	size_t n = rebuild(dart_failed_twice, c);
	struct session *dev = session_create("asa.log", 1), *left;
	struct recon_clients held = { 0 };
	size_t i, back = 0;

	cr_assert_eq(n, 2);
	dev->role = MODEL_ROLE_RESPONDER;
	dev->local = "198.51.100.1";
	dev->peer = "192.0.2.7";
	dev->pport = 40001;
	for (i = 0; i < n; i++)
		recon_clients_hold(&held, c[i]);
	cr_assert(recon_clients_join(&held, dev));
	cr_expect_gt(dev->nclient, 0);
	while ((left = recon_clients_next(&held))) {
		back++;
		session_destroy(left);
	}
	cr_expect_eq(back, 1, "the joined one is not handed back");
	recon_clients_free(&held);
	session_destroy(dev);
}

Test(reconstruct, client_session_joins_by_address_and_port, .init = setup, .fini = teardown)
{
	struct session *c[MAX_SESSIONS];
	size_t n = rebuild(dart_failed_twice, c);
	struct session *dev = session_create("asa.log", 1);

	cr_assert_eq(n, 2);
	dev->role = MODEL_ROLE_RESPONDER;
	dev->local = "198.51.100.1";
	dev->peer = "192.0.2.7";
	dev->pport = 40001;
	dev->failure.cause = "EAP_FAILURE";
	dev->failure.explanation = "this device sent EAP Failure";
	cr_assert(recon_client_matches(dev, c[0]));
	recon_join_client(dev, c[0]);
	cr_assert_eq(dev->nclient, c[0]->nclient);
	cr_assert_str_eq(dev->client_input, "t.log");
	cr_assert_not_null(
		strstr(dev->failure.explanation, "this device sent EAP Failure; the client"));
	cr_assert_not_null(strstr(dev->failure.explanation, "not trusted"));
	/* another port, another gateway, or a client session itself: no join */
	dev->pport = 40009;
	cr_assert(!recon_client_matches(dev, c[0]));
	dev->pport = 40001;
	dev->local = "203.0.113.9";
	cr_assert(!recon_client_matches(dev, c[0]));
	cr_assert(!recon_client_matches(c[1], c[0]));
	session_destroy(dev);
	destroy_all(c, n);
}

static const char asa_init_rejected[] =
	"IKEv2-PLAT-4: RECV PKT [IKE_SA_INIT] [192.0.2.7]:500->[198.51.100.1]:500 "
	"InitSPI=0x1111222233334444 RespSPI=0x0000000000000000 MID=00000000\n"
	"IKEv2-PROTO-2: (9): Received Packet [From 192.0.2.7:500/To 198.51.100.1:500/VRF i0:f0]\n"
	"(9): Initiator SPI : 1111222233334444 - Responder SPI : 0000000000000000 Message id: 0\n"
	"(9): IKEv2 IKE_SA_INIT Exchange REQUEST\n"
	"IKEv2-PROTO-2: (9): Sending Packet [To 192.0.2.7:500/From 198.51.100.1:500/VRF i0:f0]\n"
	"(9): Initiator SPI : 1111222233334444 - Responder SPI : 5555666677778888 Message id: 0\n"
	"(9): IKEv2 IKE_SA_INIT Exchange RESPONSE\n"
	"(9): Next payload: NOTIFY, version: 2.0 (9): Exchange type: IKE_SA_INIT, flags: "
	"RESPONDER MSG-RESPONSE (9): Message id: 0, length: 36(9):\n"
	"Payload contents:\n"
	"(9):  NOTIFY(NO_PROPOSAL_CHOSEN)(9):   Next payload: NONE, reserved: 0x0, length: 8\n"
	"(9):     Security protocol id: IKE, spi size: 0, type: NO_PROPOSAL_CHOSEN\n";

Test(reconstruct, rejected_init_is_a_failed_session, .init = setup, .fini = teardown)
{
	struct session *s[MAX_SESSIONS];
	size_t n = rebuild(asa_init_rejected, s);

	cr_assert_eq(n, 1);
	cr_assert_eq(s[0]->role, MODEL_ROLE_RESPONDER);
	cr_assert_eq(s[0]->spi_i, 0x1111222233334444ull);
	cr_assert_eq(s[0]->spi_r, 0x5555666677778888ull);
	cr_assert_eq(s[0]->outcome, MODEL_OUTCOME_FAILED);
	cr_assert_str_eq(s[0]->failure.cause, "NO_PROPOSAL_CHOSEN");
	cr_assert_str_eq(s[0]->failure.exchange, "IKE_SA_INIT");
	cr_assert(s[0]->failure.mid_known);
	cr_assert_eq(s[0]->failure.mid, 0);
	destroy_all(s, n);
}

Test(reconstruct, unrecognized_lines_amid_a_session_are_counted, .init = setup, .fini = teardown)
{
	struct session *s[MAX_SESSIONS];
	char text[sizeof(asa_init_rejected) + 64];
	const char *cut = strstr(asa_init_rejected, "IKEv2-PROTO-2: (9): Sending");
	size_t n, head = (size_t)(cut - asa_init_rejected);

	memcpy(text, asa_init_rejected, head);
	strcpy(text + head, "%%% corrupted line %%%\n");
	strcat(text, cut);
	n = rebuild(text, s);
	cr_assert_eq(n, 1);
	cr_expect_eq(s[0]->unrecognized, 1);
	cr_expect_eq(s[0]->unrecognized_line, 5);
	destroy_all(s, n);
	n = rebuild(asa_init_rejected, s);
	cr_expect_eq(s[0]->unrecognized, 0);
	destroy_all(s, n);
}

Test(reconstruct, payload_lines_without_a_header_are_counted, .init = setup, .fini = teardown)
{
	struct session *s[MAX_SESSIONS];
	char text[sizeof(asa_init_rejected) + 128];
	const char *cut = strstr(asa_init_rejected, "IKEv2-PROTO-2: (9): Sending");
	size_t n, head = (size_t)(cut - asa_init_rejected);

	/* a transform and a hex line whose SA header was cut from the log */
	memcpy(text, asa_init_rejected, head);
	strcpy(text + head, "    type: 4, reserved: 0x0, id: DH_GROUP_2048_MODP/Group 14\n"
			    "     00 0e\n");
	strcat(text, cut);
	n = rebuild(text, s);
	cr_assert_eq(n, 1);
	cr_expect_eq(s[0]->orphans, 2);
	cr_expect_eq(s[0]->orphan_line, 5);
	destroy_all(s, n);
}

static const char show_only[] = "IKEv2 SAs:\n"
				"Session-id:3, Status:UP-ACTIVE, IKE count:1, CHILD count:1\n"
				"Tunnel-id   Local   Remote   Status   Role\n"
				"  7  203.0.113.1/500  203.0.113.2/500  READY  RESPONDER\n"
				"  Local spi: 0102030405060708   Remote spi: 1112131415161718\n"
				"Child sa: local selector 10.1.0.0/0 - 10.1.255.255/65535\n"
				"  remote selector 10.2.0.0/0 - 10.2.255.255/65535\n"
				"  ESP spi in/out: 0xaabbccdd/0x11223344\n";

Test(reconstruct, show_output_alone_makes_a_session, .init = setup, .fini = teardown)
{
	struct session *s[MAX_SESSIONS];
	size_t n = rebuild(show_only, s);

	cr_assert_eq(n, 1);
	cr_assert(s[0]->from_show);
	cr_assert_eq(s[0]->role, MODEL_ROLE_RESPONDER);
	/* a responder's local SPI is the responder SPI */
	cr_assert_eq(s[0]->spi_i, 0x1112131415161718ull);
	cr_assert_eq(s[0]->spi_r, 0x0102030405060708ull);
	cr_assert_eq(s[0]->nchildren, 1);
	cr_assert_eq(s[0]->children[0].spi_in, 0xAABBCCDDu);
	cr_assert_eq(s[0]->children[0].spi_out, 0x11223344u);
	cr_assert_str_eq(s[0]->children[0].local_sel, "10.1.0.0-10.1.255.255");
	cr_assert_eq(s[0]->outcome, MODEL_OUTCOME_UP);
	destroy_all(s, n);
}

Test(reconstruct, client_entries_in_the_same_input_join, .init = setup, .fini = teardown)
{
	static const char dart[] = SEP ENTRY(
		"10:00:00", "Information", "A VPN connection to HQ has been requested by the user.")
		ENTRY("10:00:01", "Information",
		      "Opened IKE socket from 192.0.2.7:500 to 198.51.100.1:500")
			ENTRY("10:00:02", "Information",
			      "Message type error sent to the user:\nNo proposal was accepted.");
	char text[8192];
	struct session *s[MAX_SESSIONS];
	size_t n;

	snprintf(text, sizeof(text), "%s%s", asa_init_rejected, dart);
	n = rebuild(text, s);
	cr_assert_eq(n, 1, "the client session is not shown apart once joined");
	cr_assert_eq(s[0]->role, MODEL_ROLE_RESPONDER);
	cr_assert_eq(s[0]->nclient, 3);
	cr_assert_not_null(strstr(s[0]->failure.explanation, "No proposal was accepted"));
	destroy_all(s, n);
}

Test(reconstruct, timestamps_are_read_in_every_usual_form)
{
	static const struct {
		const char *date, *time;
		bool dated;
		int64_t ms;
	} cases[] = {
		{ NULL, "Jun  8 19:14:38.051 GMT:", true,
		  ((int64_t)(152 + 7) * 86400 + 19 * 3600 + 14 * 60 + 38) * 1000 + 51 },
		{ NULL, "2328304: *Jun 8 19:14:38.051 GMT:", true,
		  ((int64_t)(152 + 7) * 86400 + 19 * 3600 + 14 * 60 + 38) * 1000 + 51 },
		{ NULL, "Apr 23 2013 16:31:12: %ASA-7-711001:", true,
		  ((int64_t)(91 + 22) * 86400 + 16 * 3600 + 31 * 60 + 12) * 1000 },
		{ NULL, "2013-04-23T16:31:12.5Z", true,
		  ((int64_t)(91 + 22) * 86400 + 16 * 3600 + 31 * 60 + 12) * 1000 + 500 },
		{ "04/23/2013", "16:31:12", true,
		  ((int64_t)(91 + 22) * 86400 + 16 * 3600 + 31 * 60 + 12) * 1000 },
		{ "23/04/2013", "16:31:12", true,
		  ((int64_t)(91 + 22) * 86400 + 16 * 3600 + 31 * 60 + 12) * 1000 },
		{ NULL, "16:31:12", false, ((int64_t)16 * 3600 + 31 * 60 + 12) * 1000 },
	};
	struct model_time t, u;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_assert(model_time_parse(cases[i].date, cases[i].time, &t), "case %zu", i);
		cr_assert_eq(t.dated, cases[i].dated, "case %zu", i);
		cr_assert_eq(t.ms, cases[i].ms, "case %zu: %lld", i, (long long)t.ms);
	}
	cr_assert_not(model_time_parse(NULL, "no time here 12:3", &t));
	cr_assert_not(model_time_parse("04/23/2013", NULL, &t));
	/* dated: exact; a time of day alone: the nearer way round the clock */
	model_time_parse("04/23/2013", "16:31:12", &t);
	model_time_parse("04/24/2013", "16:31:12", &u);
	cr_assert_eq(model_time_distance(t, u), 86400);
	model_time_parse(NULL, "23:59:00", &t);
	model_time_parse(NULL, "00:01:00", &u);
	cr_assert_eq(model_time_distance(t, u), 120);
}

/* With dates on both sides, a client log from another day is not the same session. */
Test(reconstruct, client_join_needs_the_same_time_when_both_have_one, .init = setup,
     .fini = teardown)
{
	struct session *c[MAX_SESSIONS];
	size_t n = rebuild(dart_failed_twice, c);
	struct session *dev = session_create("asa.log", 1);

	cr_assert_eq(n, 2);
	cr_assert(c[0]->has_time && c[0]->first_time.dated);
	dev->role = MODEL_ROLE_RESPONDER;
	dev->local = "198.51.100.1";
	dev->peer = "192.0.2.7";
	dev->pport = 40001;
	/* no time on the device side: address and port decide */
	cr_assert(recon_client_matches(dev, c[0]));
	cr_assert_eq(recon_client_distance(dev, c[0]), -1);
	/* the same day, minutes apart */
	dev->has_time = true;
	model_time_parse(NULL, "Apr 23 10:05:00", &dev->first_time);
	model_time_parse(NULL, "Apr 23 10:06:00", &dev->last_time);
	cr_assert(recon_client_matches(dev, c[0]));
	cr_assert_gt(recon_client_distance(dev, c[0]), 0);
	cr_assert_lt(recon_client_distance(dev, c[0]), 600);
	/* a time-zone apart still joins, two days apart does not */
	model_time_parse(NULL, "Apr 23 18:05:00", &dev->first_time);
	model_time_parse(NULL, "Apr 23 18:06:00", &dev->last_time);
	cr_assert(recon_client_matches(dev, c[0]));
	model_time_parse(NULL, "Apr 25 10:05:00", &dev->first_time);
	model_time_parse(NULL, "Apr 25 10:06:00", &dev->last_time);
	cr_assert_not(recon_client_matches(dev, c[0]));
	session_destroy(dev);
	destroy_all(c, n);
}

Test(reconstruct, times_are_written_back_as_logs_print_them)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "Apr 23 2013 16:31:12:", "Apr 23 16:31:12" },
		{ "*Jun  8 19:14:38.051 GMT:", "Jun  8 19:14:38.051" },
		{ "Dec 31 23:59:59", "Dec 31 23:59:59" },
		{ "Jan  1 00:00:00.5", "Jan  1 00:00:00.500" },
		{ "Mar  1 12:00:00", "Mar  1 12:00:00" },
		{ "07:05:09", "07:05:09" },
	};
	struct model_time t;
	char buf[32];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_assert(model_time_parse(NULL, cases[i].in, &t), "%s", cases[i].in);
		model_time_format(t, buf, sizeof(buf));
		cr_assert_str_eq(buf, cases[i].out, "%s", cases[i].in);
	}
}

/*
 * Records that name no session yet are kept until one opens; they keep
 * their timestamps (the lexer reuses its buffers meanwhile).
 */
Test(reconstruct, records_kept_for_a_session_keep_their_time, .init = setup, .fini = teardown)
{
	static const char log[] =
		"*Nov 30 22:49:14.451: IKEv2:Searching Policy with fvrf 0, local address "
		"192.0.2.1\n"
		"*Nov 30 22:49:14.452: IKEv2:Found Policy 'POL-SITE-B'\n"
		"*Nov 30 22:49:14.460: IKEv2:(SESSION ID = 31,SA ID = 1):Sending Packet [To "
		"198.51.100.2:500/From 192.0.2.1:500/VRF i0:f0]\n"
		"*Nov 30 22:49:14.461: Initiator SPI : 6A1F33C0B2D4E5F7 - Responder SPI : "
		"0000000000000000 Message id: 0\n"
		"*Nov 30 22:49:14.470: IKEv2:(SESSION ID = 31,SA ID = 1):Retransmitting packet\n";
	struct session *s[MAX_SESSIONS];
	char when[64];
	size_t n = rebuild(log, s);

	cr_assert_eq(n, 1);
	cr_assert(s[0]->has_time);
	model_time_format(s[0]->first_time, when, sizeof(when));
	cr_expect_str_eq(when, "Nov 30 22:49:14.451");
	destroy_all(s, n);
}

/* ---- the XML adapter ---- */

#include "ikescope/xml.h"

static void
expect_doc(const char *doc, bool well_formed, const char *type, const char *group)
{
	struct xdoc_info x;

	xdoc_info_init(&x);
	xdoc_parse(doc, strlen(doc), &x);
	cr_expect_eq(x.well_formed, well_formed, "%s", doc);
	if (type)
		cr_expect_str_eq(xdoc_value(&x, x.type), type, "%s", doc);
	else
		cr_expect_null(xdoc_value(&x, x.type), "%s", doc);
	if (group)
		cr_expect_str_eq(xdoc_value(&x, x.group_select), group, "%s", doc);
	xdoc_info_finish(&x);
}

/* Documents seen before are answered from what was kept: the same answers, never another's. */
Test(xml, repeated_documents_give_their_own_fields)
{
	static const char a[] = "<?xml version=\"1.0\"?><config-auth client=\"vpn\" type=\"init\">"
				"<group-select>HQ</group-select></config-auth>";
	static const char b[] = "<?xml version=\"1.0\"?><config-auth client=\"vpn\" type=\"auth\">"
				"<group-select>HR</group-select></config-auth>";
	static const char bad[] = "<config-auth type=\"init\"><group-select>HQ</config-auth>";
	char filler[160], type[16], group[16];
	int round, i;

	for (round = 0; round < 3; round++) {
		expect_doc(a, true, "init", "HQ");
		expect_doc(b, true, "auth", "HR");
		expect_doc(bad, false, NULL, NULL);
		for (i = 0; i < 40; i++) {
			snprintf(filler, sizeof(filler),
				 "<config-auth type=\"t%d\"><group-select>G%d</group-select>"
				 "</config-auth>",
				 i, i);
			snprintf(type, sizeof(type), "t%d", i);
			snprintf(group, sizeof(group), "G%d", i);
			expect_doc(filler, true, type, group);
		}
	}
	xdoc_forget();
	expect_doc(a, true, "init", "HQ");
	xdoc_forget();
}

/* A state name cut short (a copied log) becomes the one known state it begins; a whole one stays. */
Test(reconstruct, cut_state_names_are_completed, .init = setup, .fini = teardown)
{
	static const char log[] =
		"IKEv2-PROTO-5: (7): SM Trace-> SA: I_SPI=1000000000000001 R_SPI=2000000000000001 "
		"(R) MsgID = 00000000 CurState: R_BLD_AU Event: EV_SIGN\n"
		"IKEv2-PROTO-5: (7): SM Trace-> SA: I_SPI=1000000000000001 R_SPI=2000000000000001 "
		"(R) MsgID = 00000000 CurState: R_BLD_AUTH Event: EV_OK\n"
		"IKEv2-PROTO-5: (7): SM Trace-> SA: I_SPI=1000000000000001 R_SPI=2000000000000001 "
		"(R) MsgID = 00000000 CurState: R Event: EV_OK\n";
	struct session *s[MAX_SESSIONS];
	size_t n = rebuild(log, s);

	cr_assert_eq(n, 1);
	cr_assert_eq(s[0]->nstates, 3);
	cr_expect_str_eq(s[0]->states[0].state, "R_BLD_AUTH");
	cr_expect_str_eq(s[0]->states[1].state, "R_BLD_AUTH");
	/* "R" begins many known states: it stays as printed */
	cr_expect_str_eq(s[0]->states[2].state, "R");
	destroy_all(s, n);
}

struct eviction_count {
	unsigned n, evicted, with_finding;
	bool first_evicted, last_evicted;
	unsigned total;
};

static void
count_evicted(struct session *s, size_t i, void *ctx)
{
	struct eviction_count *c = ctx;
	size_t k;

	c->evicted += s->evicted;
	for (k = 0; k < s->nfindings; k++)
		if (!strcmp(s->findings[k].id, "log.evicted"))
			c->with_finding++;
	if (i == 0)
		c->first_evicted = s->evicted;
	if (i + 1 == c->total)
		c->last_evicted = s->evicted;
	c->n++;
	session_destroy(s);
}

/*
 * More distinct SPIs than MODEL_MAX_OPEN_SESSIONS, none completing: the
 * sessions idle longest are finished early, flagged and given a finding,
 * and every one is still handed out.
 */
Test(reconstruct, endless_distinct_spis_evict_the_oldest, .init = setup, .fini = teardown)
{
	struct eviction_count c = { .total = MODEL_MAX_OPEN_SESSIONS * 2 + 500,
				    .last_evicted = true };
	struct strbuf text;
	unsigned i;

	sb_init(&text);
	for (i = 0; i < c.total; i++)
		sb_addf(&text,
			"IKEv2-PLAT-4: RECV PKT [IKE_SA_INIT] [192.0.2.1]:500->[198.51.100.1]:500 "
			"InitSPI=0x%016x RespSPI=0x0000000000000000 MID=00000000\n",
			0x10000000u + i);
	rebuild_each(text.buf, text.len, count_evicted, &c);
	sb_finish(&text);
	cr_assert_eq(c.n, c.total, "every session handed out: %u of %u", c.n, c.total);
	cr_assert(c.first_evicted);
	cr_assert_not(c.last_evicted);
	cr_assert_geq(c.evicted, c.total - MODEL_MAX_OPEN_SESSIONS);
	cr_assert_lt(c.evicted, c.total);
	cr_assert_eq(c.with_finding, c.evicted);
}

/* Checks, per session of the interleaved log, that its own records reached it. */
static void
check_interleaved(struct session *s, size_t i, void *ctx)
{
	size_t k;

	(void)ctx;
	cr_assert_eq(s->nsa_ids, 1, "session %zu: one SA handle", i);
	cr_assert_eq(s->sa_ids[0], 1000 + i, "sessions in the order they began");
	cr_assert_eq(s->nstates, 3, "SA %u: its three traces, no other's", s->sa_ids[0]);
	for (k = 0; k < s->nstates; k++)
		cr_assert_eq(s->states[k].line, 1 + i + k * 300, "SA %u: trace %zu", s->sa_ids[0],
			     k);
	session_destroy(s);
}

/*
 * 300 SAs in flight at once, each line naming one by its SA handle and
 * SPIs: every record finds its own session (by the index), however many
 * are open, and a new initiator SPI under another handle is another SA.
 */
Test(reconstruct, many_sessions_in_flight, .init = setup, .fini = teardown)
{
	struct strbuf text;
	size_t i, k, n;

	sb_init(&text);
	for (k = 0; k < 3; k++)
		for (i = 0; i < 300; i++)
			sb_addf(&text,
				"IKEv2-PROTO-5: (%zu): SM Trace-> SA: I_SPI=%016zX "
				"R_SPI=%016zX (R) MsgID = 00000000 CurState: %s Event: "
				"EV_STEP\n",
				1000 + i, (size_t)0xA000000000000000u + i * 7919,
				(size_t)0xB000000000000000u + i,
				k == 0   ? "IDLE"
				: k == 1 ? "R_BLD_INIT"
					 : "INIT_DONE");
	n = rebuild_each(text.buf, text.len, check_interleaved, NULL);
	cr_assert_eq(n, 300);
	sb_finish(&text);
}

static void
count_session(void *ctx, struct session *s)
{
	++*(size_t *)ctx;
	session_destroy(s);
}

/*
 * A state machine that exits ends its session: it is handed out while the
 * input is still being read, not after an idle timeout of a million lines.
 */
Test(reconstruct, an_exited_sa_ends_its_session, .init = setup, .fini = teardown)
{
	struct strbuf text;
	size_t out = 0, i;
	struct recon *r = recon_create(g);
	struct recon_reader rd = { .session = count_session, .ctx = &out };
	struct recon_input *in;
	struct err err = { 0 };
	FILE *fp;

	sb_init(&text);
	sb_adds(&text, "IKEv2-PROTO-5: (7): SM Trace-> SA: I_SPI=1111111111111111 "
		       "R_SPI=2222222222222222 (R) MsgID = 00000000 CurState: R_INIT Event: "
		       "EV_RECV_INIT\n"
		       "IKEv2-PROTO-5: (7): SM Trace-> SA: I_SPI=1111111111111111 "
		       "R_SPI=2222222222222222 (R) MsgID = 00000000 CurState: EXIT Event: "
		       "EV_ABORT\n");
	for (i = 0; i < 2000; i++)
		sb_addf(&text,
			"IKEv2-PROTO-5: (8): SM Trace-> SA: I_SPI=3333333333333333 "
			"R_SPI=4444444444444444 (R) MsgID = 00000001 CurState: R_WAIT_AUTH Event: "
			"EV_NO_EVENT\n");
	fp = fmemopen(text.buf, text.len, "rb");
	cr_assert_not_null(fp);
	in = recon_input_open(r, g, fp, "t.log", NULL);
	cr_assert(recon_input_step(in, 1500, &rd, &err));
	cr_expect_eq(out, 1, "the exited SA's session is out before the input ends");
	while (recon_input_step(in, SIZE_MAX, &rd, &err))
		;
	cr_expect_eq(out, 2);
	recon_input_close(in);
	fclose(fp);
	recon_destroy(r);
	sb_finish(&text);
}

/* Read as UTF-8 whatever the document declares: a byte that is not UTF-8 is not well-formed. */
Test(xml, documents_are_read_as_utf8)
{
	xdoc_forget();
	expect_doc("<?xml version=\"1.0\" encoding=\"UTF-8\"?><config-auth type=\"init\">"
		   "<group-select>caf\xc3\xa9</group-select></config-auth>",
		   true, "init", "caf\xc3\xa9");
	expect_doc("<?xml version='1.0' encoding = 'utf-8' ?><config-auth type=\"init\"/>", true,
		   "init", NULL);
	expect_doc("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><config-auth type=\"init\">"
		   "<group-select>caf\xe9</group-select></config-auth>",
		   false, NULL, NULL);
	expect_doc("<?xml version=\"1.0\"?><config-auth type=\"init\">"
		   "<group-select>caf\xe9</group-select></config-auth>",
		   false, NULL, NULL);
	expect_doc("<config-auth type=\"\xe9\"/>", false, NULL, NULL);
	expect_doc("<config-auth type=\"hello\"/>", true, "hello", NULL);
}
