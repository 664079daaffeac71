/* Unit tests of diff/: facts, alignment, what is left out, the first divergence. */
#include <criterion/criterion.h>
#include <string.h>

#include "ikescope/proto.h"
#include "ikescope/diff.h"
#include "ikescope/model.h"
#include "ikescope/util/arena.h"
#include "ikescope/util/strbuf.h"

/* A session with one IKE_SA_INIT exchange offering D-H group `group`. */
static struct session *
init_session(const char *group, bool answered, uint64_t spi)
{
	struct session *s = session_create("t.log", 0);
	struct message *req = session_add_message(s, MODEL_DIR_IN, 10), *resp;
	struct payload *sa = message_add_payload(s, req, 11), *p;
	struct proposal *pr;

	s->role = MODEL_ROLE_RESPONDER;
	s->spi_i = spi;
	s->has_spi_i = true;
	req->exchange = "IKE_SA_INIT";
	sa->type = "SA";
	sa->ptype = PROTO_PAYLOAD_SA;
	sa->props = arena_alloc(s->arena, sizeof(*sa->props));
	memset(sa->props, 0, sizeof(*sa->props));
	sa->nprops = sa->cap_props = 1;
	pr = &sa->props[0];
	pr->num = 1;
	pr->protocol = "IKE";
	pr->t = arena_alloc(s->arena, 2 * sizeof(*pr->t));
	memset(pr->t, 0, 2 * sizeof(*pr->t));
	pr->nt = pr->cap_t = 2;
	pr->t[0].type = 1;
	pr->t[0].id = "AES-CBC";
	pr->t[1].type = 4;
	pr->t[1].id = group;
	pr->t[1].line = 12;
	s->exch = arena_alloc(s->arena, sizeof(*s->exch));
	memset(s->exch, 0, sizeof(*s->exch));
	s->nexch = s->cap_exch = 1;
	s->exch[0].type = "IKE_SA_INIT";
	s->exch[0].request = req;
	resp = session_add_message(s, MODEL_DIR_OUT, 20);
	resp->exchange = "IKE_SA_INIT";
	resp->response = true;
	s->exch[0].response = resp;
	p = message_add_payload(s, resp, 21);
	if (answered) {
		p->type = "KE";
		p->ptype = PROTO_PAYLOAD_KE;
		p->group = 14;
		s->outcome = MODEL_OUTCOME_UP;
	} else {
		p->type = "NOTIFY";
		p->ptype = PROTO_PAYLOAD_NOTIFY;
		p->notify = "NO_PROPOSAL_CHOSEN";
		s->outcome = MODEL_OUTCOME_FAILED;
		s->failure.exchange = "IKE_SA_INIT";
		s->failure.mid_known = true;
		s->failure.cause = "NO_PROPOSAL_CHOSEN";
		s->failure.explanation = "offered DH group 2";
		s->failure.remedy = "agree";
		failure_add_mismatch(s, "D-H group", "2", "14", 1, 30);
	}
	return s;
}

Test(diff, a_session_with_itself_has_no_difference)
{
	struct session *a = init_session("Group 14", true, 1);
	struct diff d;

	diff_sessions(a, a, true, &d);
	cr_expect_eq(d.n, 0);
	cr_expect_gt(d.fa.n, 5, "facts were read");
	diff_free(&d);
	session_destroy(a);
}

Test(diff, run_specific_values_only_when_strict)
{
	struct session *a = init_session("Group 14", true, 1),
		       *b = init_session("Group 14", true, 2);
	struct diff d;

	diff_sessions(a, b, false, &d);
	cr_expect_eq(d.n, 0, "SPIs are left out");
	diff_free(&d);
	diff_sessions(a, b, true, &d);
	cr_assert_eq(d.n, 1);
	cr_expect_str_eq(d.e[0].key, "initiator SPI");
	diff_free(&d);
	session_destroy(a);
	session_destroy(b);
}

Test(diff, the_decisive_difference_comes_first)
{
	struct session *a = init_session("Group 14", true, 1),
		       *b = init_session("Group 2", false, 1);
	struct strbuf first;
	struct diff d;
	size_t i;
	bool collapsed = true;

	diff_sessions(a, b, false, &d);
	cr_assert_gt(d.n, 2);
	cr_expect_str_eq(d.e[0].key, "IKE_SA_INIT #1 request SA proposal 1 D-H");
	cr_expect_str_eq(d.e[0].a, "Group 14");
	cr_expect_str_eq(d.e[0].b, "Group 2");
	cr_expect_eq(d.e[0].line_a, 12);
	cr_expect_str_eq(d.e[1].key, "IKE_SA_INIT #1 response KE group");
	b->exch[0].response = NULL; /* had no response at all */
	diff_free(&d);
	diff_sessions(a, b, false, &d);
	/* the missing response is said once, not payload by payload */
	for (i = 0; i < d.n; i++)
		collapsed = collapsed && strcmp(d.e[i].key, "IKE_SA_INIT #1 response KE group");
	cr_expect(collapsed);
	b->exch[0].response = b->msgs[1];
	diff_free(&d);
	diff_sessions(a, b, false, &d);
	sb_init(&first);
	diff_first(a, b, &d, &first);
	cr_expect(strstr(first.buf, "B's IKE_SA_INIT #1 request SA proposal 1 D-H is Group 2 where "
				    "A's is Group 14") == first.buf,
		  "%s", first.buf);
	cr_expect(strstr(first.buf, "B's session failed at IKE_SA_INIT MID 0 (NO_PROPOSAL_CHOSEN): "
				    "offered DH group 2") != NULL,
		  "%s", first.buf);
	cr_expect(!strstr(first.buf, "To fix"), "what to change is left out");
	sb_finish(&first);
	diff_free(&d);
	session_destroy(a);
	session_destroy(b);
}

/* One end of a negotiation: IKE_SA_INIT request and response as role sees them. */
static struct session *
end_session(enum model_role role, bool with_response)
{
	struct session *s = session_create("t.log", 0);
	bool init = role == MODEL_ROLE_INITIATOR;
	struct message *q = session_add_message(s, init ? MODEL_DIR_OUT : MODEL_DIR_IN, 10);

	s->role = role;
	s->spi_i = 0x1111;
	s->spi_r = 0x2222;
	s->has_spi_i = s->has_spi_r = true;
	q->exchange = "IKE_SA_INIT";
	q->mid_known = q->response_known = true;
	if (with_response) {
		struct message *p = session_add_message(s, init ? MODEL_DIR_IN : MODEL_DIR_OUT, 20);

		p->exchange = "IKE_SA_INIT";
		p->mid_known = p->response_known = p->response = true;
	}
	return s;
}

Test(diff, both_ends_of_one_negotiation_are_joined)
{
	struct session *i = end_session(MODEL_ROLE_INITIATOR, false);
	struct session *r = end_session(MODEL_ROLE_RESPONDER, true);
	struct ends e;

	cr_expect(diff_same_negotiation(i, r));
	cr_expect(!diff_same_negotiation(i, i), "one initiator and one responder");
	diff_ends(i, r, &e);
	cr_assert_eq(e.n, 2);
	cr_expect(e.rows[0].i == i->msgs[0] && e.rows[0].r == r->msgs[0], "the request, both ends");
	cr_expect(e.rows[1].i == NULL && e.rows[1].r == r->msgs[1],
		  "the response only the responder's log has");
	cr_expect(e.rows[1].response);
	ends_free(&e);
	r->spi_r = 0x3333;
	cr_expect(!diff_same_negotiation(i, r), "another responder SPI: another SA");
	session_destroy(i);
	session_destroy(r);
}

/*
 * The check of both ends: a message only one log has is flagged under its
 * row; the responder's refusal in the response it sent decides; a copy of
 * the IKE_SA_INIT the responder took for a new SA is reported with the
 * negotiation and not again as a session without its other end.
 */
Test(diff, both_ends_checked_and_paired)
{
	struct session *i = end_session(MODEL_ROLE_INITIATOR, false);
	struct session *r = end_session(MODEL_ROLE_RESPONDER, true);
	struct session *copy = end_session(MODEL_ROLE_RESPONDER, true);
	struct session *as[1], *bs[2];
	struct ends_pairing p;
	struct ends e;

	r->failure.cause = "NO_PROPOSAL_CHOSEN";
	r->failure.line = 20;
	copy->spi_r = 0x4444;
	copy->number = 2;
	diff_ends(i, r, &e);
	diff_ends_check(&e, NULL, 0);
	cr_assert_eq(e.nnotes, 1);
	cr_expect_eq(e.notes[0].kind, ENDS_NOTE_UNSEEN);
	cr_expect_eq(e.notes[0].row, 1);
	cr_expect_eq(e.decided, ENDS_BY_RESPONDER, "the refusal is in what it sent");
	cr_expect_eq(e.problems, 2);
	ends_free(&e);

	as[0] = i;
	bs[0] = r;
	bs[1] = copy;
	diff_pair_ends(as, 1, bs, 2, &p);
	cr_assert_eq(p.n, 1);
	cr_expect(p.items[0].paired && p.items[0].a_initiates);
	cr_expect_eq(p.negotiations, 1);
	cr_expect_eq(p.nalone_b, 0, "the copy is told with its negotiation");
	cr_assert_eq(p.items[0].e.nnotes, 2);
	cr_expect_eq(p.items[0].e.notes[1].kind, ENDS_NOTE_COPY);
	cr_expect_eq(p.items[0].e.notes[1].copy, copy);
	cr_expect_eq(p.problems, 3);
	ends_pairing_free(&p);

	r->failure.cause = NULL;
	diff_ends(i, r, &e);
	diff_ends_check(&e, NULL, 0);
	cr_expect_eq(e.decided, ENDS_NO_FAILURE);
	cr_expect_eq(e.problems, 1);
	ends_free(&e);
	session_destroy(i);
	session_destroy(r);
	session_destroy(copy);
}

/* Two sessions refused on different grounds differ, though their offers and causes agree. */
Test(diff, two_different_refusals_are_a_difference)
{
	struct session *a = init_session("Group 2", false, 1),
		       *b = init_session("Group 2", false, 1);
	struct diff d;
	size_t i;
	bool refusal = false;

	diff_sessions(a, b, false, &d);
	cr_expect_eq(d.n, 0, "the same refusal: no difference");
	diff_free(&d);
	b->failure.nmismatch = 0;
	failure_add_mismatch(b, "encryption", "AES-CBC-128", "AES-CBC-256", 1, 31);
	diff_sessions(a, b, false, &d);
	for (i = 0; i < d.n; i++)
		refusal = refusal || strstr(d.e[i].key, "refused") != NULL;
	cr_expect(refusal, "the refusals differ");
	diff_free(&d);
	b->failure.verdict = "auth-method-mismatch";
	a->failure.verdict = "auth-verify-failed";
	diff_sessions(a, b, false, &d);
	cr_expect_gt(d.n, 0);
	diff_free(&d);
	session_destroy(a);
	session_destroy(b);
}

Test(diff, a_refusal_on_what_the_offers_share_leads_with_its_own_reason)
{
	struct session *a = init_session("Group 14", true, 1),
		       *b = init_session("Group 2", false, 1);
	struct strbuf first;
	struct diff d;

	b->failure.explanation =
		"encryption: offered AES-CBC-256, this device expects AES-CBC-128; "
		"both: D-H Group 2";
	b->failure.nmismatch = 0;
	failure_add_mismatch(b, "encryption", "AES-CBC-256", "AES-CBC-128", 1, 30);
	diff_sessions(a, b, false, &d);
	sb_init(&first);
	diff_first(a, b, &d, &first);
	cr_expect(strstr(first.buf, "B's end refused what A's accepted: encryption: offered "
				    "AES-CBC-256") == first.buf,
		  "%s", first.buf);
	cr_expect(strstr(first.buf, "The offers differ elsewhere: B's IKE_SA_INIT #1 request SA "
				    "proposal 1 D-H is Group 2") != NULL,
		  "%s", first.buf);
	sb_finish(&first);
	diff_free(&d);
	session_destroy(a);
	session_destroy(b);
}
