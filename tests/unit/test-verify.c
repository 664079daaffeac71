/* Unit tests of verify/: each check, on hand-built sessions, passing and failing. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "ikescope/dialect.h"
#include "ikescope/proto.h"
#include "ikescope/model.h"
#include "ikescope/util/arena.h"
#include "ikescope/verify.h"

static struct session *s;

static void
setup(void)
{
	s = session_create("t.log", 0);
	s->outcome = MODEL_OUTCOME_UP;
}

static void
teardown(void)
{
	session_destroy(s);
}

/* How many findings of this id the session has. */
static size_t
count(const char *id)
{
	size_t i, n = 0;

	for (i = 0; i < s->nfindings; i++)
		n += !strcmp(s->findings[i].id, id);
	return n;
}

static struct message *
message(enum model_dir dir, const char *exchange, bool response, uint32_t mid, uint32_t line)
{
	struct message *m = session_add_message(s, dir, line);

	m->exchange = exchange;
	m->response = response;
	m->response_known = true;
	m->mid = mid;
	m->mid_known = true;
	return m;
}

/* An SA payload with one proposal of the given transforms (type, id, length). */
static struct payload *
sa(struct message *m, unsigned num, unsigned ntrans, const unsigned *types, const char *const *ids,
   const unsigned *lengths, size_t n)
{
	struct payload *p = message_add_payload(s, m, m->first_line);
	struct proposal *pr;
	size_t i;

	p->type = "SA";
	p->ptype = PROTO_PAYLOAD_SA;
	p->props = arena_alloc(s->arena, sizeof(*p->props));
	p->nprops = p->cap_props = 1;
	pr = &p->props[0];
	pr->num = num;
	pr->ntrans = ntrans;
	pr->t = arena_alloc(s->arena, (n ? n : 1) * sizeof(*pr->t));
	pr->line = m->first_line;
	pr->nt = pr->cap_t = n;
	pr->length = 8;
	for (i = 0; i < n; i++) {
		pr->t[i].type = types[i];
		pr->t[i].id = ids[i];
		pr->t[i].has_iana = dialect_cisco_transform(types[i], ids[i], &pr->t[i].iana);
		pr->t[i].length = lengths[i];
		pr->t[i].line = m->first_line;
		pr->length += lengths[i];
	}
	p->length = 4 + pr->length;
	return p;
}

static const unsigned types[] = { 1, 2, 3, 4 };
static const char *const ids[] = { "AES-CBC", "SHA1", "SHA96", "DH_GROUP_2048_MODP/Group 14" };
static const unsigned lengths[] = { 12, 8, 8, 8 };

Test(verify, lengths_that_add_up_pass, .init = setup, .fini = teardown)
{
	struct message *m = message(MODEL_DIR_IN, "IKE_SA_INIT", false, 0, 10);
	struct payload *ke, *n;

	sa(m, 1, 4, types, ids, lengths, 4);
	ke = message_add_payload(s, m, 20);
	ke->type = "KE";
	ke->ptype = PROTO_PAYLOAD_KE;
	ke->group = 14;
	ke->length = 264;
	n = message_add_payload(s, m, 30);
	n->type = "N";
	n->ptype = PROTO_PAYLOAD_NONCE;
	n->length = 36;
	verify_session(s);
	cr_expect_eq(s->nfindings, 0, "first: %s", s->nfindings ? s->findings[0].message : "");
}

Test(verify, lengths_that_do_not_add_up_are_found, .init = setup, .fini = teardown)
{
	struct message *m = message(MODEL_DIR_IN, "IKE_SA_INIT", false, 0, 10);
	struct payload *p = sa(m, 1, 4, types, ids, lengths, 4), *ke, *n, *ts, *eap;

	p->length += 4;               /* SA */
	p->props[0].t[1].length = 10; /* a transform of neither 8 nor 12 (and so the proposal) */
	ke = message_add_payload(s, m, 20);
	ke->type = "KE";
	ke->ptype = PROTO_PAYLOAD_KE;
	ke->group = 14;
	ke->length = 136;
	n = message_add_payload(s, m, 30);
	n->type = "N";
	n->ptype = PROTO_PAYLOAD_NONCE;
	n->length = 12;
	ts = message_add_payload(s, m, 40);
	ts->type = "TSi";
	ts->ptype = PROTO_PAYLOAD_TSI;
	ts->length = 40;
	ts->ts = arena_alloc(s->arena, sizeof(*ts->ts));
	ts->nts = ts->cap_ts = 1;
	ts->ts[0].length = 16;
	eap = message_add_payload(s, m, 50);
	eap->type = "EAP";
	eap->ptype = PROTO_PAYLOAD_EAP;
	eap->has_eap = true;
	eap->eap_length = 100;
	eap->length = 100;
	verify_session(s);
	cr_expect_eq(count("length.sa"), 1);
	cr_expect_eq(count("length.transform"), 1);
	cr_expect_eq(count("length.proposal"), 1, "its length was made with the first lengths");
	cr_expect_eq(count("length.ke"), 1);
	cr_expect_eq(count("length.nonce"), 1);
	cr_expect_eq(count("length.ts"), 1);
	cr_expect_eq(count("length.eap"), 1);
	/* in line order */
	cr_expect_eq(s->findings[0].line, 10);
	cr_expect_str_eq(s->findings[s->nfindings - 1].id, "length.eap");
}

Test(verify, a_proposal_listed_in_part_is_not_a_defect, .init = setup, .fini = teardown)
{
	struct message *m = message(MODEL_DIR_IN, "IKE_SA_INIT", false, 0, 10);
	struct payload *p = sa(m, 1, 6, types, ids, lengths, 4);

	p->props[0].length += 16; /* the two transforms not shown */
	p->length += 16;
	verify_session(s);
	cr_expect_eq(count("verify.partial"), 1);
	cr_expect_eq(count("length.proposal"), 0);
	cr_expect_eq(s->findings[0].severity, MODEL_SEVERITY_INFO);
	cr_expect_eq(count("proposal.transforms"), 0);
	p->props[0].ntrans = 3;
	s->nfindings = 0;
	verify_session(s);
	cr_expect_eq(count("proposal.transforms"), 1);
}

/* An offer and a choice in one IKE_SA_INIT exchange. */
static void
exchange(struct message *req, struct message *resp)
{
	s->exch = arena_alloc(s->arena, sizeof(*s->exch));
	s->nexch = s->cap_exch = 1;
	s->exch[0].type = "IKE_SA_INIT";
	s->exch[0].request = req;
	s->exch[0].response = resp;
}

Test(verify, a_choice_from_the_offer_passes, .init = setup, .fini = teardown)
{
	struct message *req = message(MODEL_DIR_IN, "IKE_SA_INIT", false, 0, 10);
	struct message *resp = message(MODEL_DIR_OUT, "IKE_SA_INIT", true, 0, 100);
	struct payload *ke;

	sa(req, 1, 4, types, ids, lengths, 4);
	sa(resp, 1, 4, types, ids, lengths, 4);
	ke = message_add_payload(s, resp, 110);
	ke->type = "KE";
	ke->ptype = PROTO_PAYLOAD_KE;
	ke->group = 14;
	exchange(req, resp);
	verify_session(s);
	cr_expect_eq(s->nfindings, 0, "first: %s", s->nfindings ? s->findings[0].message : "");
}

Test(verify, a_choice_not_in_the_offer_is_found, .init = setup, .fini = teardown)
{
	static const char *const other[] = { "AES-GCM-16", "SHA1", "SHA96",
					     "DH_GROUP_1024_MODP/Group 2" };
	struct message *req = message(MODEL_DIR_IN, "IKE_SA_INIT", false, 0, 10);
	struct message *resp = message(MODEL_DIR_OUT, "IKE_SA_INIT", true, 0, 100);
	struct payload *answer, *ke;

	sa(req, 1, 4, types, ids, lengths, 4);
	answer = sa(resp, 2, 4, types, other, lengths, 4);
	ke = message_add_payload(s, resp, 110);
	ke->type = "KE";
	ke->ptype = PROTO_PAYLOAD_KE;
	ke->group = 14;
	exchange(req, resp);
	verify_session(s);
	cr_expect_eq(count("proposal.number"), 1, "proposal 2 was not offered");
	answer->props[0].num = 1;
	s->nfindings = 0;
	verify_session(s);
	cr_expect_eq(count("proposal.not-offered"), 2, "AES-GCM-16 and group 2");
	cr_expect_eq(count("ke.group"), 1, "chose group 2, KE of group 14");
	cr_expect_eq(count("proposal.count"), 0);
	answer->nprops = 2; /* the same proposal twice */
	{
		struct proposal *two = arena_alloc(s->arena, 2 * sizeof(*two));

		two[0] = two[1] = answer->props[0];
		answer->props = two;
	}
	s->nfindings = 0;
	verify_session(s);
	cr_expect_eq(count("proposal.count"), 1);
}

Test(verify, message_id_gaps_are_found_per_side, .init = setup, .fini = teardown)
{
	message(MODEL_DIR_IN, "IKE_SA_INIT", false, 0, 10);
	message(MODEL_DIR_OUT, "IKE_SA_INIT", true, 0, 20);
	message(MODEL_DIR_IN, "IKE_AUTH", false, 1, 30);
	message(MODEL_DIR_IN, "IKE_AUTH", false, 1, 35);       /* a retransmission */
	message(MODEL_DIR_OUT, "INFORMATIONAL", false, 0, 40); /* the other side's own count */
	verify_session(s);
	cr_expect_eq(count("mid.gap"), 0);
	message(MODEL_DIR_IN, "IKE_AUTH", false, 3, 50);
	verify_session(s);
	cr_expect_eq(count("mid.gap"), 1, "MID 2 missing");
	cr_expect_eq(s->findings[0].line, 50);
}

Test(verify, eap_responses_answer_requests, .init = setup, .fini = teardown)
{
	struct message *a = message(MODEL_DIR_OUT, "IKE_AUTH", true, 1, 10);
	struct message *b = message(MODEL_DIR_IN, "IKE_AUTH", false, 2, 20);
	struct payload *req = message_add_payload(s, a, 11), *resp = message_add_payload(s, b, 21);

	req->type = resp->type = "EAP";
	req->ptype = resp->ptype = PROTO_PAYLOAD_EAP;
	req->has_eap = resp->has_eap = true;
	req->eap_code = "request";
	resp->eap_code = "response";
	req->eap_id = resp->eap_id = 1;
	verify_session(s);
	cr_expect_eq(count("eap.id"), 0);
	resp->eap_id = 2;
	verify_session(s);
	cr_expect_eq(count("eap.id"), 1);
}

Test(verify, the_registry_is_whole)
{
	int f;

	for (f = 0; f < VERIFY_FINDING_COUNT; f++) {
		const struct verify_info *v = verify_info((enum verify_finding)f);

		cr_assert_not_null(v);
		cr_expect(strchr(v->id, '.') != NULL, "%s: a dotted id", v->id);
		cr_expect(v->summary && *v->summary);
		cr_expect(v->reference && *v->reference);
	}
	cr_expect_null(verify_info(VERIFY_FINDING_COUNT));
}

/* A TS payload of one IPv4 range. */
static struct payload *
ts(struct message *m, const char *type, const char *from, const char *to, unsigned lo, unsigned hi)
{
	struct payload *p = message_add_payload(s, m, m->first_line);

	p->type = type;
	dialect_cisco_payload_type(type, strlen(type), &p->ptype);
	p->ts = arena_alloc(s->arena, sizeof(*p->ts));
	p->nts = p->cap_ts = 1;
	p->ts[0].addr_start = from;
	p->ts[0].addr_end = to;
	p->ts[0].port_start = lo;
	p->ts[0].port_end = hi;
	p->ts[0].line = m->first_line;
	return p;
}

Test(verify, selectors_may_narrow_but_not_widen, .init = setup, .fini = teardown)
{
	struct message *req = message(MODEL_DIR_IN, "IKE_AUTH", false, 1, 10);
	struct message *resp = message(MODEL_DIR_OUT, "IKE_AUTH", true, 1, 100);
	struct payload *r;

	ts(req, "TSi", "0.0.0.0", "255.255.255.255", 0, 65535);
	ts(req, "TSr", "10.0.0.0", "10.255.255.255", 0, 65535);
	ts(resp, "TSi", "10.2.2.1", "10.2.2.1", 0, 65535); /* narrowed: fine */
	r = ts(resp, "TSr", "10.1.0.0", "10.1.255.255", 0, 65535);
	exchange(req, resp);
	s->exch[0].type = "IKE_AUTH";
	verify_session(s);
	cr_expect_eq(count("ts.widened"), 0, "first: %s",
		     s->nfindings ? s->findings[0].message : "");
	r->ts[0].addr_end = "11.0.0.0";
	verify_session(s);
	cr_expect_eq(count("ts.widened"), 1);
	r->ts[0].addr_end = "10.1.255.255";
	r->ts[0].port_end = 65535;
	r->ts[0].port_start = 0;
	req->p[1].ts[0].port_end = 1024; /* the offer: only low ports */
	s->nfindings = 0;
	verify_session(s);
	cr_expect_eq(count("ts.widened"), 1, "ports wider than offered");
}

/* A config-auth document of the given type attached to m. */
static void
doc(struct message *m, const char *type, bool well_formed)
{
	struct xml_doc *x;

	if (!m->xml)
		m->xml = arena_alloc(s->arena, 4 * sizeof(*m->xml));
	x = &m->xml[m->nxml++];
	x->type = type;
	x->well_formed = well_formed;
	x->first_line = x->last_line = m->first_line;
}

Test(verify, config_auth_documents_come_in_order_and_parse, .init = setup, .fini = teardown)
{
	struct message *a = message(MODEL_DIR_IN, "IKE_AUTH", false, 1, 10);
	struct message *b = message(MODEL_DIR_OUT, "IKE_AUTH", true, 1, 20);
	struct message *c = message(MODEL_DIR_IN, "IKE_AUTH", false, 2, 30);
	struct message *d = message(MODEL_DIR_OUT, "IKE_AUTH", true, 2, 40);

	doc(a, "init", true);
	doc(b, "auth-request", true);
	doc(c, "auth-reply", true);
	doc(d, "auth-request", true); /* a second round: fine */
	verify_session(s);
	cr_expect_eq(s->nfindings, 0, "first: %s", s->nfindings ? s->findings[0].message : "");
	d->xml[0].type = "hello";
	d->xml[0].well_formed = false;
	verify_session(s);
	cr_expect_eq(count("eap.order"), 1, "hello after auth-reply");
	cr_expect_eq(count("eap.xml"), 1);
}

Test(verify, where_the_state_machine_broke_is_located, .init = setup, .fini = teardown)
{
	static struct state_step steps[] = {
		/* a check, not a failure */
		{ "R_INIT", "EV_CHK_AUTH_FAIL", .state_class = MODEL_STATE_NEGOTIATING,
		  .line = 10 },
		{ "R_VERIFY_AUTH", "EV_AUTH_FAIL", MODEL_STATE_NEGOTIATING, MODEL_EVENT_AUTH_FAILED,
		  1, 20 },
		{ "AUTH_DONE", "EV_FAIL", MODEL_STATE_NEGOTIATING, MODEL_EVENT_FAILED, 1, 30 },
	};
	static struct timer_event timers[] = { { "expired", "negotiation", 0, 40 } };

	s->states = steps;
	s->nstates = 1;
	verify_session(s);
	cr_expect_eq(s->nfindings, 0);
	s->nstates = 3;
	verify_session(s);
	cr_expect_eq(count("state.failed"), 1, "the first failure only");
	cr_expect_eq(s->findings[0].line, 20);
	cr_expect(s->findings[0].mid_known && s->findings[0].mid == 1);
	s->timers = timers;
	s->ntimers = 1;
	verify_session(s);
	cr_expect_eq(count("timer.expired"), 1);
	s->states = NULL; /* not the session's to free */
	s->timers = NULL;
}

/* ---- against a config ---- */

#include "ikescope/config.h"

static const char cfg_text[] = "crypto ikev2 policy 10\n"
			       " encryption aes-256\n"
			       " integrity sha\n"
			       " group 14\n"
			       " prf sha\n"
			       "crypto ipsec ikev2 ipsec-proposal P\n"
			       " protocol esp encryption aes-256\n"
			       " protocol esp integrity sha-1\n"
			       "ip local pool POOL 10.2.2.1-10.2.2.10\n"
			       "tunnel-group TG general-attributes\n"
			       " address-pool POOL\n";

Test(verify, the_choice_against_the_config, .init = setup, .fini = teardown)
{
	static const char *const ok[] = { "AES-CBC-256", "SHA1", "SHA96",
					  "DH_GROUP_2048_MODP/Group 14" };
	static const char *const bad[] = { "AES-CBC-256", "SHA1", "SHA96",
					   "DH_GROUP_768_MODP/Group 1" };
	struct message *req = message(MODEL_DIR_IN, "IKE_SA_INIT", false, 0, 10);
	struct message *resp = message(MODEL_DIR_OUT, "IKE_SA_INIT", true, 0, 100);
	struct payload *answer;
	struct config c;

	config_parse("asa.cfg", cfg_text, sizeof(cfg_text) - 1, &c);
	sa(req, 1, 4, types, bad, lengths, 4);
	answer = sa(resp, 1, 4, types, ok, lengths, 4);
	exchange(req, resp);
	verify_with_config(s, &c);
	cr_expect_eq(s->nfindings, 0, "first: %s", s->nfindings ? s->findings[0].message : "");
	answer->props[0].t[3].id = bad[3];
	verify_with_config(s, &c);
	cr_expect_eq(count("config.policy"), 1);
	cr_expect(strstr(s->findings[0].message, "Group 1") &&
			  strstr(s->findings[0].message, "group 14"),
		  "%s", s->findings[0].message);
	/* a child SA: against the ipsec-proposals */
	s->exch[0].type = "IKE_AUTH";
	answer->props[0].protocol = "ESP";
	answer->props[0].nt = 1;
	answer->props[0].t[0].id = "3DES";
	s->nfindings = 0;
	verify_with_config(s, &c);
	cr_expect_eq(count("config.proposal"), 1);
	config_free(&c);
}

Test(verify, the_tunnel_group_and_pool_against_the_config, .init = setup, .fini = teardown)
{
	struct config c;

	config_parse("asa.cfg", cfg_text, sizeof(cfg_text) - 1, &c);
	s->tunnel_group = "TG";
	s->assigned_ip = "10.2.2.5";
	verify_with_config(s, &c);
	cr_expect_eq(s->nfindings, 0);
	s->assigned_ip = "10.9.9.9";
	verify_with_config(s, &c);
	cr_expect_eq(count("config.pool"), 1);
	s->tunnel_group = "OTHER";
	s->nfindings = 0;
	verify_with_config(s, &c);
	cr_expect_eq(count("config.tunnel-group"), 1);
	config_free(&c);
}

Test(verify, the_message_length_when_every_payload_is_shown, .init = setup, .fini = teardown)
{
	struct message *m = message(MODEL_DIR_IN, "IKE_SA_INIT", false, 0, 10);
	struct payload *a = message_add_payload(s, m, 11), *b = message_add_payload(s, m, 12);

	m->has_header = true;
	m->length = 28 + 48 + 24;
	a->type = "SA";
	a->ptype = PROTO_PAYLOAD_SA;
	a->next = "N";
	a->length = 48;
	b->type = "N";
	b->ptype = PROTO_PAYLOAD_NONCE;
	b->next = "NONE";
	b->length = 24;
	verify_session(s);
	cr_expect_eq(count("length.message"), 0);
	m->length += 4;
	verify_session(s);
	cr_expect_eq(count("length.message"), 1);
	/* a payload not shown between two: nothing can be said */
	a->next = "KE";
	s->nfindings = 0;
	verify_session(s);
	cr_expect_eq(count("length.message"), 0);
}

Test(verify, one_message_id_for_two_exchanges, .init = setup, .fini = teardown)
{
	message(MODEL_DIR_OUT, "IKE_AUTH", false, 1, 10);
	message(MODEL_DIR_OUT, "IKE_AUTH", false, 1, 20); /* retransmitted: fine */
	verify_session(s);
	cr_expect_eq(count("mid.reused"), 0);
	message(MODEL_DIR_OUT, "INFORMATIONAL", false, 1, 30);
	verify_session(s);
	cr_expect_eq(count("mid.reused"), 1);
}

Test(verify, configuration_only_after_eap_success, .init = setup, .fini = teardown)
{
	struct message *a = message(MODEL_DIR_OUT, "IKE_AUTH", true, 1, 10);
	struct message *b = message(MODEL_DIR_OUT, "IKE_AUTH", true, 2, 20);
	struct message *c = message(MODEL_DIR_OUT, "IKE_AUTH", true, 3, 30);
	struct payload *eap = message_add_payload(s, a, 11), *ok = message_add_payload(s, b, 21);
	struct payload *cfg = message_add_payload(s, c, 31);

	eap->has_eap = ok->has_eap = true;
	eap->eap_code = "request";
	ok->eap_code = "success";
	cfg->type = "CFG";
	cfg->ptype = PROTO_PAYLOAD_CP;
	cfg->cfg_type = "CFG_REPLY";
	cfg->cfgt = PROTO_CFG_REPLY;
	verify_session(s);
	cr_expect_eq(count("eap.cfg-early"), 0);
	cfg->line = 15; /* between the request and the success */
	verify_session(s);
	cr_expect_eq(count("eap.cfg-early"), 1);
}

/* ---- an AnyConnect client profile ---- */

#include "ikescope/xml.h"

static const char profile_xml[] =
	"<?xml version=\"1.0\"?>\n"
	"<AnyConnectProfile xmlns=\"http://schemas.xmlsoap.org/encoding/\">\n"
	"<ServerList>\n"
	"<HostEntry><HostName>good</HostName><HostAddress>10.0.0.1</HostAddress>\n"
	"<UserGroup>Sales</UserGroup><PrimaryProtocol>IPsec<StandardAuthenticationOnly>false"
	"</StandardAuthenticationOnly></PrimaryProtocol></HostEntry>\n"
	"<HostEntry><HostName>lab</HostName><HostAddress>10.0.0.1</HostAddress>\n"
	"<UserGroup>LAB</UserGroup></HostEntry>\n"
	"<HostEntry><HostName>ssl</HostName><HostAddress>vpn.example.com</HostAddress>\n"
	"<PrimaryProtocol>SSL</PrimaryProtocol></HostEntry>\n"
	"<HostEntry><HostName>inside</HostName><HostAddress>192.168.0.1</HostAddress>\n"
	"</HostEntry>\n"
	"<HostEntry><HostName>gone</HostName><HostAddress>192.0.2.9</HostAddress></HostEntry>\n"
	"</ServerList></AnyConnectProfile>\n";

static const char profile_cfg[] = "interface G0/0\n"
				  " nameif outside\n"
				  " ip address 10.0.0.1 255.255.255.0\n"
				  "interface G0/1\n"
				  " nameif inside\n"
				  " ip address 192.168.0.1 255.255.255.0\n"
				  "crypto ikev2 enable outside\n"
				  "tunnel-group TG type remote-access\n"
				  "tunnel-group TG webvpn-attributes\n"
				  " group-alias Sales enable\n";

Test(verify, a_client_profile_is_read)
{
	struct xprofile_host h[8];
	bool wf;
	long at;
	size_t n = xprofile_parse(profile_xml, sizeof(profile_xml) - 1, h, 8, &wf, &at);

	cr_assert(wf);
	cr_assert_eq(n, 5);
	cr_expect_str_eq(h[0].name, "good");
	cr_expect_str_eq(h[0].protocol, "IPsec", "the protocol's options are not its name");
	cr_expect_str_eq(h[1].user_group, "LAB");
	cr_expect_eq(h[1].line, 6);
	cr_expect_eq(xprofile_parse(profile_xml, sizeof(profile_xml) - 1, h, 2, &wf, &at), 5,
		     "the count passes max");
	xprofile_parse("<a>\n<b>\n", 8, h, 8, &wf, &at);
	cr_expect(!wf);
	cr_expect_eq(at, 3, "where the parser gave up");
}

Test(verify, a_client_profile_against_the_config, .init = setup, .fini = teardown)
{
	struct xprofile_host h[8];
	struct config c;
	bool wf;
	long at;
	size_t n = xprofile_parse(profile_xml, sizeof(profile_xml) - 1, h, 8, &wf, &at);

	config_parse("asa.cfg", profile_cfg, sizeof(profile_cfg) - 1, &c);
	verify_profile(s, "p.xml", wf, at, h, n, &c);
	cr_expect_eq(count("profile.user-group"), 1, "LAB; Sales is an alias");
	cr_expect_eq(count("profile.protocol"), 1, "SSL");
	cr_expect_eq(count("profile.host-address"), 2, "inside has no IKEv2; 192.0.2.9 is none");
	cr_expect_eq(s->nfindings, 4, "a host name is not checked");
	s->nfindings = 0;
	verify_profile(s, "p.xml", wf, at, h, n, NULL);
	cr_expect_eq(s->nfindings, 1, "without a config, only the protocol");
	s->nfindings = 0;
	verify_profile(s, "p.xml", false, 3, NULL, 0, &c);
	cr_expect_eq(count("profile.xml"), 1);
	cr_expect_eq(s->findings[0].line, 3);
	config_free(&c);
}

/* ---- payload lengths beyond the SA ---- */

/* An exchange list of n: IKE_SA_INIT (req, resp), then IKE_AUTH pairs. */
static void
exchanges(struct message **msgs, size_t n)
{
	size_t i;

	s->exch = arena_alloc(s->arena, n / 2 * sizeof(*s->exch));
	s->nexch = s->cap_exch = n / 2;
	for (i = 0; i < n / 2; i++) {
		s->exch[i].type = msgs[2 * i]->exchange;
		s->exch[i].mid = msgs[2 * i]->mid;
		s->exch[i].request = msgs[2 * i];
		s->exch[i].response = msgs[2 * i + 1];
	}
}

static struct payload *
payload(struct message *m, const char *type, unsigned length, uint32_t line)
{
	struct payload *p = message_add_payload(s, m, line);

	p->type = type;
	dialect_cisco_payload_type(type, strlen(type), &p->ptype);
	p->length = length;
	return p;
}

Test(verify, id_cert_auth_cfg_and_sk_lengths, .init = setup, .fini = teardown)
{
	struct message *m[4] = {
		message(MODEL_DIR_IN, "IKE_SA_INIT", false, 0, 10),
		message(MODEL_DIR_OUT, "IKE_SA_INIT", true, 0, 20),
		message(MODEL_DIR_IN, "IKE_AUTH", false, 1, 30),
		message(MODEL_DIR_OUT, "IKE_AUTH", true, 1, 60),
	};
	struct payload *id, *req, *auth, *cfg, *sk;

	sa(m[0], 1, 4, types, ids, lengths, 4);
	sa(m[1], 1, 4, types, ids, lengths, 4); /* AES-CBC, PRF SHA1, SHA96 */
	exchanges(m, 4);
	id = payload(m[2], "IDi", 12, 31);
	id->id_type = "IPv4 address";
	id->idt = PROTO_ID_IPV4_ADDR;
	id->hex_bytes = 4;
	req = payload(m[2], "CERTREQ", 25, 33);
	req->data_bytes = 20;
	auth = payload(m[2], "AUTH", 28, 35);
	auth->auth_method = "PSK";
	auth->authm = PROTO_AUTH_PSK;
	auth->data_bytes = 20;
	cfg = payload(m[2], "CFG", 8 + 4 + 4 + 4, 37);
	cfg->attrs = arena_alloc(s->arena, 2 * sizeof(*cfg->attrs));
	cfg->nattrs = cfg->cap_attrs = 2;
	cfg->attrs[0].length = 4;
	cfg->attrs[1].length = 0;
	sk = payload(m[3], "ENCR", 4 + 16 + 64 + 12, 61);
	sk->data_bytes = 16 + 64 + 12;
	verify_session(s);
	cr_expect_eq(s->nfindings, 0, "first: %s", s->nfindings ? s->findings[0].message : "");

	id->length = 16; /* an IPv4 ID of 8 bytes */
	id->hex_bytes = 8;
	req->data_bytes = 24;
	req->length = 29; /* 24 bytes: not whole CA hashes */
	auth->data_bytes = 32;
	auth->length = 40; /* 32 bytes, but PRF SHA1 gives 20 */
	cfg->length = 24;
	sk->data_bytes = 16 + 60 + 12;
	sk->length = 4 + sk->data_bytes; /* 60: not whole blocks */
	verify_session(s);
	cr_expect_eq(count("length.id"), 1);
	cr_expect_eq(count("length.cert"), 1);
	cr_expect_eq(count("length.auth"), 1);
	cr_expect_eq(count("length.cfg"), 1);
	cr_expect_eq(count("length.sk"), 1);
	cr_expect_eq(count("length.hex"), 0, "8 bytes of dump fit a 16-byte ID");

	s->nfindings = 0;
	id->hex_bytes = 20;
	auth->length = 30; /* not 8 + 32 */
	sk->length = 100;  /* not 4 + 88 */
	verify_session(s);
	cr_expect_eq(count("length.hex"), 1, "20 bytes of dump in a 16-byte ID");
	cr_expect_eq(count("length.auth"), 1);
	cr_expect_eq(count("length.sk"), 1);
	cr_expect(strstr(s->findings[s->nfindings - 1].message, "4 + its 88") != NULL, "%s",
		  s->findings[s->nfindings - 1].message);

	/* lines no rule knew amid the CFG dump: its sum is not trusted */
	s->nfindings = 0;
	cfg->gaps = 3;
	verify_session(s);
	cr_expect_eq(count("length.cfg"), 0);
	cr_expect_eq(count("verify.partial"), 1);
}

Test(verify, eap_data_and_last_flags, .init = setup, .fini = teardown)
{
	struct message *m = message(MODEL_DIR_OUT, "IKE_AUTH", true, 1, 10);
	struct payload *eap = payload(m, "EAP", 154, 11), *p;

	eap->has_eap = true;
	eap->eap_code = "request";
	eap->eap_type = "Unknown - 254";
	eap->eap_length = 150;
	eap->data_bytes = 145;
	p = sa(m, 1, 4, types, ids, lengths, 4);
	p->props[0].has_last = true;
	p->props[0].last = 0;
	p->props[0].t[0].has_last = p->props[0].t[1].has_last = true;
	p->props[0].t[0].last = p->props[0].t[1].last = 3;
	p->props[0].t[3].has_last = true;
	p->props[0].t[3].last = 0;
	verify_session(s);
	cr_expect_eq(s->nfindings, 0, "first: %s", s->nfindings ? s->findings[0].message : "");
	eap->data_bytes = 150;
	p->props[0].t[1].last = 0; /* two more follow */
	p->props[0].t[3].last = 3; /* the last of 4 */
	verify_session(s);
	cr_expect_eq(count("length.eap-data"), 1);
	cr_expect_eq(count("flag.last"), 2);
}

/* Verifies an IKE_SA_INIT whose offer and answer are the same n transforms. */
static void
choose(const unsigned *t, const char *const *id, const unsigned *len, size_t n)
{
	struct message *req, *resp;

	teardown();
	setup();
	req = message(MODEL_DIR_IN, "IKE_SA_INIT", false, 0, 10);
	resp = message(MODEL_DIR_OUT, "IKE_SA_INIT", true, 0, 100);
	sa(req, 1, (unsigned)n, t, id, len, n);
	sa(resp, 1, (unsigned)n, t, id, len, n);
	exchange(req, resp);
	verify_session(s);
}

Test(verify, one_transform_of_each_type_and_no_integrity_with_aead, .init = setup, .fini = teardown)
{
	static const unsigned t5[] = { 1, 2, 3, 4, 4 };
	static const char *const i5[] = { "AES-CBC", "SHA1", "SHA96", "DH_GROUP_2048_MODP/Group 14",
					  "DH_GROUP_1024_MODP/Group 2" };
	static const unsigned l5[] = { 12, 8, 8, 8, 8 };
	static const unsigned t3[] = { 1, 2, 4 };
	static const char *const cbc[] = { "AES-CBC", "SHA1", "DH_GROUP_2048_MODP/Group 14" };
	static const char *const gcm[] = { "AES-GCM-16", "SHA1", "DH_GROUP_2048_MODP/Group 14" };
	static const unsigned l3[] = { 12, 8, 8 };
	static const char *const gcm_integ[] = { "AES-GCM-16", "SHA1", "SHA96",
						 "DH_GROUP_2048_MODP/Group 14" };

	choose(types, ids, lengths, 4);
	cr_expect_eq(s->nfindings, 0, "first: %s", s->nfindings ? s->findings[0].message : "");
	choose(t5, i5, l5, 5);
	cr_expect_eq(count("proposal.types"), 1, "two D-H groups chosen");
	choose(t3, cbc, l3, 3);
	cr_expect_eq(count("proposal.types"), 1, "AES-CBC without integrity");
	choose(t3, gcm, l3, 3);
	cr_expect_eq(s->nfindings, 0, "first: %s", s->nfindings ? s->findings[0].message : "");
	choose(types, gcm_integ, lengths, 4);
	cr_expect_eq(count("proposal.aead-integrity"), 1);
}

Test(verify, invalid_ke_names_an_offered_group, .init = setup, .fini = teardown)
{
	static const unsigned t5[] = { 1, 2, 3, 4, 4 };
	static const char *const i5[] = { "AES-CBC", "SHA1", "SHA96", "DH_GROUP_2048_MODP/Group 14",
					  "DH_GROUP_256_ECP/Group 19" };
	static const unsigned l5[] = { 12, 8, 8, 8, 8 };
	struct message *req = message(MODEL_DIR_OUT, "IKE_SA_INIT", false, 0, 10);
	struct message *resp = message(MODEL_DIR_IN, "IKE_SA_INIT", true, 0, 100);
	struct payload *ke, *n;

	sa(req, 1, 5, t5, i5, l5, 5);
	ke = payload(req, "KE", 264, 20);
	ke->group = 14;
	n = payload(resp, "NOTIFY", 10, 101);
	n->notify = "INVALID_KE_PAYLOAD";
	n->value = arena_alloc(s->arena, MODEL_VALUE_MAX);
	n->value[0] = 0;
	n->value[1] = 19;
	n->nvalue = 2;
	exchange(req, resp);
	verify_session(s);
	cr_expect_eq(count("ke.invalid"), 0, "19 was offered");
	n->value[1] = 14;
	verify_session(s);
	cr_expect_eq(count("ke.invalid"), 1, "14 is the group already sent");
	n->value[1] = 21;
	verify_session(s);
	cr_expect_eq(count("ke.invalid"), 2, "21 was not offered");
}

Test(verify, what_retransmissions_say, .init = setup, .fini = teardown)
{
	struct message *m[4] = {
		message(MODEL_DIR_OUT, "IKE_SA_INIT", false, 0, 10),
		message(MODEL_DIR_IN, "IKE_SA_INIT", true, 0, 20),
		message(MODEL_DIR_IN, "IKE_AUTH", false, 1, 30),
		message(MODEL_DIR_OUT, "IKE_AUTH", true, 1, 40),
	};

	exchanges(m, 4);
	verify_session(s);
	cr_expect_eq(s->nfindings, 0);
	m[0]->retransmits = 2;
	verify_session(s);
	cr_expect_eq(count("mid.retransmit"), 1);
	cr_expect(strstr(s->findings[0].message, "sent 3 times before the reply") != NULL);
	s->nfindings = 0;
	m[0]->retransmits = 0;
	message(MODEL_DIR_IN, "IKE_AUTH", false, 1, 50); /* again, after the answer */
	verify_session(s);
	cr_expect_eq(count("mid.retransmit"), 1);
	cr_expect_eq(s->findings[0].line, 50);
	cr_expect(strstr(s->findings[0].message, "did not reach the peer") != NULL);
}

Test(verify, anyconnect_idi_and_auth_left_out_for_eap, .init = setup, .fini = teardown)
{
	struct message *m[4] = {
		message(MODEL_DIR_IN, "IKE_SA_INIT", false, 0, 10),
		message(MODEL_DIR_OUT, "IKE_SA_INIT", true, 0, 20),
		message(MODEL_DIR_IN, "IKE_AUTH", false, 1, 30),
		message(MODEL_DIR_OUT, "IKE_AUTH", true, 1, 40),
	};
	struct payload *idi, *eap;

	s->role = MODEL_ROLE_RESPONDER;
	exchanges(m, 4);
	idi = payload(m[2], "IDi", 28, 31);
	idi->value = arena_alloc(s->arena, MODEL_VALUE_MAX);
	memcpy(idi->value, "*$AnyConnectClient$*", 20);
	idi->nvalue = 20;
	eap = payload(m[3], "EAP", 154, 41);
	eap->has_eap = true;
	doc(m[3], "hello", true);
	verify_session(s);
	cr_expect_eq(s->nfindings, 0, "first: %s", s->nfindings ? s->findings[0].message : "");
	memcpy(idi->value, "vpn-user", 8);
	idi->nvalue = 8;
	payload(m[2], "AUTH", 28, 32);
	verify_session(s);
	cr_expect_eq(count("anyconnect.idi"), 1);
	cr_expect_eq(count("eap.auth-early"), 1);
}

Test(verify, states_of_the_other_role_and_a_cut_log, .init = setup, .fini = teardown)
{
	static struct state_step steps[] = {
		{ "R_INIT", "EV_RECV_INIT", .mid = 0, .line = 10 },
		{ "I_WAIT_AUTH", "EV_NO_EVENT", .mid = 1, .line = 20 },
	};

	s->role = MODEL_ROLE_RESPONDER;
	s->states = steps;
	s->nstates = 1;
	verify_session(s);
	cr_expect_eq(s->nfindings, 0);
	s->nstates = 2;
	s->outcome = MODEL_OUTCOME_INCOMPLETE;
	s->last_line = 20;
	verify_session(s);
	cr_expect_eq(count("state.role"), 1);
	cr_expect_eq(count("log.truncated"), 1);
	s->states = NULL;
}

Test(verify, a_refusal_against_the_config, .init = setup, .fini = teardown)
{
	static const char *const fits[] = { "AES-CBC-256", "SHA1", "SHA96",
					    "DH_GROUP_2048_MODP/Group 14" };
	static const char *const not [] = { "AES-CBC-256", "SHA1", "SHA96",
					    "DH_GROUP_768_MODP/Group 1" };
	struct message *req = message(MODEL_DIR_IN, "IKE_SA_INIT", false, 0, 10);
	struct message *resp = message(MODEL_DIR_OUT, "IKE_SA_INIT", true, 0, 100);
	struct payload *offer, *n;
	struct config c;

	config_parse("asa.cfg", cfg_text, sizeof(cfg_text) - 1, &c);
	offer = sa(req, 1, 4, types, not, lengths, 4);
	n = payload(resp, "NOTIFY", 8, 101);
	n->notify = "NO_PROPOSAL_CHOSEN";
	exchange(req, resp);
	s->failure.cause = "NO_PROPOSAL_CHOSEN";
	s->failure.exchange = "IKE_SA_INIT";
	s->failure.explanation = "offered DH group 1";
	verify_with_config(s, &c);
	cr_expect_eq(s->nfindings, 0, "the config refuses group 1 too");
	cr_expect_str_eq(s->failure.explanation,
			 "offered DH group 1. asa.cfg has policy 10 (lines 1-5): aes-256; sha; prf "
			 "sha; group 14");
	offer->props[0].t[3].id = fits[3];
	verify_with_config(s, &c);
	cr_expect_eq(count("config.disagrees"), 1, "policy 10 takes group 14");
	cr_expect_eq(s->findings[0].line, 100);
	n->notify = "INVALID_SYNTAX";
	s->nfindings = 0;
	verify_with_config(s, &c);
	cr_expect_eq(count("config.disagrees"), 0, "not a refusal");
	config_free(&c);
}

Test(verify, show_output_against_the_debug_output, .init = setup, .fini = teardown)
{
	struct message *req = message(MODEL_DIR_IN, "IKE_SA_INIT", false, 0, 10);
	struct message *resp = message(MODEL_DIR_OUT, "IKE_SA_INIT", true, 0, 100);

	sa(req, 1, 4, types, ids, lengths, 4);
	sa(resp, 1, 4, types, ids, lengths, 4);
	exchange(req, resp);
	s->assigned_ip = "10.2.2.1";
	s->lifetime_seconds = 86400;
	s->show.seen = true;
	s->show.line = 900;
	s->show.encr = "AES-CBC";
	s->show.group = 14;
	s->show.lifetime = 86400;
	s->show.assigned = "10.2.2.1";
	verify_session(s);
	cr_expect_eq(s->nfindings, 0, "first: %s", s->nfindings ? s->findings[0].message : "");
	s->show.encr = "3DES";
	s->show.group = 2;
	s->show.lifetime = 28800;
	s->show.assigned = "10.2.2.9";
	s->show.assigned_line = 950;
	s->tunnel_group = "TG";
	s->show.tunnel_group = "LAB";
	verify_session(s);
	cr_expect_eq(count("show.mismatch"), 5);
	cr_expect_eq(s->findings[0].line, 900);
	cr_expect_eq(s->findings[s->nfindings - 1].line, 950, "the assigned address's own show");
}

static const char map_cfg[] = "access-list VPN extended permit ip 10.1.0.0 255.255.0.0 host "
			      "10.9.9.9\n"
			      "crypto map M 10 match address VPN\n"
			      "crypto map M 10 set peer 192.0.2.1\n";

/* An IKE_AUTH exchange this device initiated, with one TSi and one TSr range each way. */
static void
child_exchange(const char *local, const char *remote)
{
	struct message *req = message(MODEL_DIR_OUT, "IKE_AUTH", false, 1, 10);
	struct message *resp = message(MODEL_DIR_IN, "IKE_AUTH", true, 1, 20);
	struct message *m[2] = { req, resp };
	size_t i;

	for (i = 0; i < 2; i++) {
		struct payload *tsi = payload(m[i], "TSi", 24, m[i]->first_line + 1);
		struct payload *tsr = payload(m[i], "TSr", 24, m[i]->first_line + 2);

		tsi->ts = arena_alloc(s->arena, sizeof(*tsi->ts));
		tsr->ts = arena_alloc(s->arena, sizeof(*tsr->ts));
		memset(tsi->ts, 0, sizeof(*tsi->ts));
		memset(tsr->ts, 0, sizeof(*tsr->ts));
		tsi->nts = tsr->nts = tsi->cap_ts = tsr->cap_ts = 1;
		tsi->ts[0].addr_start = tsi->ts[0].addr_end = local;
		tsr->ts[0].addr_start = tsr->ts[0].addr_end = remote;
		tsi->ts[0].length = tsr->ts[0].length = 16;
		tsi->ts[0].port_end = tsr->ts[0].port_end = 65535;
	}
	s->exch = arena_alloc(s->arena, sizeof(*s->exch));
	s->nexch = s->cap_exch = 1;
	s->exch[0].type = "IKE_AUTH";
	s->exch[0].request = req;
	s->exch[0].response = resp;
	s->role = MODEL_ROLE_INITIATOR;
}

Test(verify, the_crypto_map_and_its_access_list, .init = setup, .fini = teardown)
{
	struct config c;

	config_parse("asa.cfg", map_cfg, sizeof(map_cfg) - 1, &c);
	child_exchange("10.1.5.5", "10.9.9.9");
	s->crypto_map = "M";
	s->crypto_map_seq = 10;
	s->crypto_map_line = 30;
	s->peer = "192.0.2.1";
	verify_with_config(s, &c);
	cr_expect_eq(s->nfindings, 0, "first: %s", s->nfindings ? s->findings[0].message : "");
	s->peer = "192.0.2.77";
	s->exch[0].response->p[0].ts[0].addr_start = "10.3.0.1";
	s->exch[0].response->p[0].ts[0].addr_end = "10.3.0.1";
	verify_with_config(s, &c);
	cr_expect_eq(count("config.crypto-map"), 1, "another peer");
	cr_expect_eq(count("config.acl"), 1, "10.3.0.1 is not in the list");
	s->nfindings = 0;
	s->crypto_map_seq = 20;
	verify_with_config(s, &c);
	cr_expect_eq(count("config.crypto-map"), 1, "no entry 20");
	cr_expect_eq(s->findings[0].line, 30);
	config_free(&c);
}

Test(verify, a_crypto_map_failure_explained_with_the_config, .init = setup, .fini = teardown)
{
	static struct evidence ev = {
		"no-proxy-match", "Crypto Map: No proxy match on map M seq 10", 40, 1, true, "M", 10
	};
	struct config c;

	config_parse("asa.cfg", map_cfg, sizeof(map_cfg) - 1, &c);
	child_exchange("10.7.0.1", "10.9.9.9");
	s->evidence = &ev;
	s->nevidence = 1;
	s->failure.cause = "NO_PROPOSAL_CHOSEN";
	s->failure.explanation = "the selectors matched no crypto map entry";
	verify_with_config(s, &c);
	cr_expect(
		strstr(s->failure.explanation,
		       "The offer protects 10.7.0.1-10.7.0.1 to 10.9.9.9-10.9.9.9 (line 11). In "
		       "asa.cfg, crypto map M 10 (line 2) matches access-list VPN: access-list VPN "
		       "extended permit ip 10.1.0.0 255.255.0.0 host 10.9.9.9 (line 1); set peer "
		       "192.0.2.1") != NULL,
		"%s", s->failure.explanation);
	s->evidence = NULL;
	config_free(&c);
}

Test(verify, auth_methods_against_the_tunnel_group, .init = setup, .fini = teardown)
{
	static const char t[] = "tunnel-group TG ipsec-attributes\n"
				" ikev2 remote-authentication certificate\n"
				" ikev2 local-authentication certificate TP\n";
	struct message *in = message(MODEL_DIR_IN, "IKE_AUTH", false, 1, 10);
	struct message *out = message(MODEL_DIR_OUT, "IKE_AUTH", true, 1, 20);
	struct payload *peer = payload(in, "AUTH", 264, 11), *own = payload(out, "AUTH", 264, 21);
	struct config c;

	config_parse("asa.cfg", t, sizeof(t) - 1, &c);
	s->tunnel_group = "TG";
	peer->auth_method = own->auth_method = "RSA";
	peer->authm = own->authm = PROTO_AUTH_RSA_SIG;
	verify_with_config(s, &c);
	cr_expect_eq(s->nfindings, 0, "first: %s", s->nfindings ? s->findings[0].message : "");
	peer->auth_method = "PSK";
	peer->authm = PROTO_AUTH_PSK;
	verify_with_config(s, &c);
	cr_expect_eq(count("config.auth"), 1);
	cr_expect_eq(s->findings[0].line, 11);
	config_free(&c);
}

Test(verify, the_client_selector_is_narrowed_to_its_address, .init = setup, .fini = teardown)
{
	struct message *req = message(MODEL_DIR_IN, "IKE_AUTH", false, 1, 10);
	struct message *resp = message(MODEL_DIR_OUT, "IKE_AUTH", true, 1, 20);
	struct payload *tsi = payload(resp, "TSi", 24, 21);

	(void)req;
	tsi->ts = arena_alloc(s->arena, sizeof(*tsi->ts));
	memset(tsi->ts, 0, sizeof(*tsi->ts));
	tsi->nts = tsi->cap_ts = 1;
	tsi->ts[0].addr_start = tsi->ts[0].addr_end = "10.2.2.1";
	s->exch = arena_alloc(s->arena, sizeof(*s->exch));
	s->nexch = s->cap_exch = 1;
	s->exch[0].type = "IKE_AUTH";
	s->exch[0].request = req;
	s->exch[0].response = resp;
	s->role = MODEL_ROLE_RESPONDER;
	s->assigned_ip = "10.2.2.1";
	verify_session(s);
	cr_expect_eq(s->nfindings, 0, "first: %s", s->nfindings ? s->findings[0].message : "");
	tsi->ts[0].addr_start = "0.0.0.0";
	tsi->ts[0].addr_end = "255.255.255.255";
	verify_session(s);
	cr_expect_eq(count("ts.assigned"), 1);
	cr_expect_eq(s->findings[0].line, 21);
}

Test(verify, unrecognized_lines_amid_a_session, .init = setup, .fini = teardown)
{
	verify_session(s);
	cr_expect_eq(s->nfindings, 0);
	s->unrecognized = 3;
	s->unrecognized_line = 42;
	s->orphans = 1;
	s->orphan_line = 40;
	verify_session(s);
	cr_expect_eq(count("log.unrecognized"), 1);
	cr_expect_eq(count("log.split"), 1);
	s->nfindings = 0;
	s->orphans = 0;
	verify_session(s);
	cr_expect(strstr(s->findings[0].message, "3 lines") != NULL);
	cr_expect_eq(s->findings[0].line, 42);
}

Test(verify, group_policy_group_select_and_trustpoint, .init = setup, .fini = teardown)
{
	static const char t[] = "tunnel-group TG general-attributes\n"
				" default-group-policy GP\n"
				"tunnel-group TG webvpn-attributes\n"
				" group-alias Sales enable\n"
				"group-policy GP attributes\n"
				" vpn-tunnel-protocol ikev2\n"
				"crypto ca trustpoint TP\n";
	struct message *m = message(MODEL_DIR_IN, "IKE_AUTH", false, 2, 10);
	struct config c;

	config_parse("asa.cfg", t, sizeof(t) - 1, &c);
	doc(m, "init", true);
	m->xml[0].group_select = "Sales";
	s->tunnel_group = "TG";
	s->trustpoint = "TP";
	s->trustpoint_line = 7;
	verify_with_config(s, &c);
	cr_expect_eq(s->nfindings, 0, "first: %s", s->nfindings ? s->findings[0].message : "");
	m->xml[0].group_select = "Lab";
	s->trustpoint = "Other";
	c.gpolicies[0].protocols[0][0] = 'x'; /* "xkev2" */
	verify_with_config(s, &c);
	cr_expect_eq(count("config.tunnel-group"), 1, "Lab is no group");
	cr_expect_eq(count("config.trustpoint"), 1);
	cr_expect_eq(count("config.group-policy"), 1, "no ikev2 protocol");
	s->nfindings = 0;
	strcpy(c.groups[0].group_policy, "Missing");
	verify_with_config(s, &c);
	cr_expect_eq(count("config.group-policy"), 1, "no such group-policy");
	config_free(&c);
}

Test(verify, an_auth_failure_explained_with_the_tunnel_group, .init = setup, .fini = teardown)
{
	static const char t[] = "tunnel-group TG ipsec-attributes\n"
				" ikev2 remote-authentication certificate\n";
	struct config c;

	config_parse("asa.cfg", t, sizeof(t) - 1, &c);
	s->tunnel_group = "TG";
	s->failure.cause = "AUTHENTICATION_FAILED";
	s->failure.explanation = "the peer's AUTH did not verify";
	verify_with_config(s, &c);
	cr_expect_str_eq(s->failure.explanation,
			 "the peer's AUTH did not verify. In asa.cfg, tunnel group TG (line 2) "
			 "sets ikev2 remote-authentication certificate");
	config_free(&c);
}

Test(verify, a_client_profile_the_config_does_not_push, .init = setup, .fini = teardown)
{
	static const char t[] = "webvpn\n"
				" anyconnect profiles AC disk0:/ac-ikev2.xml\n";
	struct config c;

	config_parse("asa.cfg", t, sizeof(t) - 1, &c);
	verify_profile(s, "profiles/AC-IKEv2.xml", true, 0, NULL, 0, &c);
	cr_expect_eq(s->nfindings, 0, "the same name, in any case");
	verify_profile(s, "other.xml", true, 0, NULL, 0, &c);
	cr_expect_eq(count("profile.not-pushed"), 1);
	config_free(&c);
}
