/*
 * A finished session: retransmissions folded, exchanges paired, child SAs
 * settled, then the outcome and, for a session that did not come up, the
 * failure point with its cause and a plain explanation from the evidence.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/proto.h"
#include "ikescope/util/arena.h"
#include "ikescope/util/strbuf.h"
#include "ikescope/util/compiler.h"
#include "ikescope/dialect.h"
#include "recon-private.h"

/* Notify types below 16384 are errors (RFC 7296 3.10.1). */
static bool
is_error_notify(const char *n)
{
	return proto_notify_is_error(n);
}

static const char *IKESCOPE_PRINTF_LIKE(2, 3) fmt(struct session *s, const char *f, ...)
{
	struct strbuf sb;
	const char *out;
	va_list ap;

	sb_init(&sb);
	va_start(ap, f);
	sb_vaddf(&sb, f, ap);
	va_end(ap);
	out = session_strndup(s, sb.buf ? sb.buf : "", sb.len);
	sb_finish(&sb);
	return out;
}

static bool
same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* Request or response, from the flags, or else from the device's role. */
static bool
is_response(const struct session *s, const struct message *m)
{
	if (m->response_known)
		return m->response;
	if (s->role == MODEL_ROLE_RESPONDER)
		return m->dir == MODEL_DIR_OUT;
	return m->dir == MODEL_DIR_IN;
}

/* The same message dumped again (ASA 9 re-dumps a retransmission): fold it. */
static void
fold_retransmissions(struct session *s)
{
	size_t i, j, k = 0;

	for (i = 0; i < s->nmsgs; i++) {
		struct message *m = s->msgs[i];
		bool folded = false;

		if (m->dir == MODEL_DIR_OUT && m->mid_known && m->exchange && !is_response(s, m)) {
			for (j = 0; j < k; j++) {
				struct message *e = s->msgs[j];

				if (e->dir == m->dir && e->mid_known && e->mid == m->mid &&
				    same(e->exchange, m->exchange) && !is_response(s, e)) {
					e->retransmits += 1 + m->retransmits;
					e->sends += m->sends;
					e->last_line = m->last_line;
					folded = true;
					break;
				}
			}
		}
		if (!folded)
			s->msgs[k++] = m;
	}
	s->nmsgs = k;
	s->retransmits = 0;
	for (i = 0; i < s->nmsgs; i++)
		s->retransmits += s->msgs[i]->retransmits;
}

static void
pair_exchanges(struct session *s)
{
	size_t i, j;

	for (i = 0; i < s->nmsgs; i++) {
		struct message *m = s->msgs[i];
		struct exchange *x = NULL;
		bool resp = is_response(s, m);

		if (!m->exchange && m->mid_known && m->mid == 0)
			m->exchange = "IKE_SA_INIT";
		/* IKE_SA_INIT is always MID 0 (RFC 7296 2.2), named with it or not */
		if (!m->mid_known && same(m->exchange, "IKE_SA_INIT")) {
			m->mid = 0;
			m->mid_known = true;
		}
		/*
		 * A message whose header the log lost (a cut or snipped packet
		 * line): the exchange of the other end's message of its MID.
		 */
		for (j = 0; !m->exchange && m->mid_known && j < s->nmsgs; j++)
			if (s->msgs[j] != m && s->msgs[j]->dir != m->dir && s->msgs[j]->mid_known &&
			    s->msgs[j]->mid == m->mid && s->msgs[j]->exchange) {
				m->exchange = s->msgs[j]->exchange;
				if (!m->response_known && s->msgs[j]->response_known) {
					m->response = !s->msgs[j]->response;
					m->response_known = true;
				}
				resp = is_response(s, m);
			}
		for (j = 0; j < s->nexch; j++) {
			struct exchange *e = &s->exch[j];

			if (!m->mid_known || e->mid != m->mid || !same(e->type, m->exchange))
				continue;
			if ((resp && !e->response) || (!resp && !e->request)) {
				x = e;
				break;
			}
		}
		/* no MID in the log: a response answers the last request of its exchange type */
		for (j = s->nexch; !x && !m->mid_known && resp && m->exchange && j-- > 0;) {
			struct exchange *e = &s->exch[j];

			if (!e->mid_known && same(e->type, m->exchange) && e->request &&
			    !e->response)
				x = e;
		}
		if (!x) {
			s->exch = arena_grow(s->arena, s->exch, sizeof(*s->exch), &s->cap_exch,
					     s->nexch + 1);
			x = &s->exch[s->nexch++];
			memset(x, 0, sizeof(*x));
			x->type = m->exchange ? m->exchange : "?";
			x->mid = m->mid;
			x->mid_known = m->mid_known || same(m->exchange, "IKE_SA_INIT");
		}
		if (resp)
			x->response = m;
		else
			x->request = m;
	}
}

static const struct payload *
find_payload(const struct message *m, unsigned type)
{
	size_t i;

	for (i = 0; m && i < m->np; i++)
		if (m->p[i].ptype == type)
			return &m->p[i];
	return NULL;
}

static const char *
ts_text(struct session *s, const struct payload *p)
{
	struct strbuf sb;
	const char *out;
	size_t i;

	if (!p || !p->nts)
		return NULL;
	sb_init(&sb);
	for (i = 0; i < p->nts; i++) {
		const struct ts_range *t = &p->ts[i];

		if (i)
			sb_adds(&sb, ", ");
		if (same(t->addr_start, t->addr_end))
			sb_addf(&sb, "%s", t->addr_start ? t->addr_start : "?");
		else
			sb_addf(&sb, "%s-%s", t->addr_start ? t->addr_start : "?",
				t->addr_end ? t->addr_end : "?");
		if (t->proto)
			sb_addf(&sb, " proto %u", t->proto);
		if (t->port_start || t->port_end != 65535)
			sb_addf(&sb, " ports %u-%u", t->port_start, t->port_end);
	}
	out = session_strndup(s, sb.buf, sb.len);
	sb_finish(&sb);
	return out;
}

static const char *
transforms_text(struct session *s, const struct payload *sa)
{
	struct strbuf sb;
	const char *out;
	size_t i;

	if (!sa || !sa->nprops)
		return NULL;
	sb_init(&sb);
	for (i = 0; i < sa->props[0].nt; i++) {
		const struct transform *t = &sa->props[0].t[i];

		if (i)
			sb_addc(&sb, '/');
		sb_adds(&sb, t->id ? t->id : "?");
	}
	out = session_strndup(s, sb.buf ? sb.buf : "", sb.len);
	sb_finish(&sb);
	return out;
}

/* An error notify in a message of the session: the first one decides. */
static const struct payload *
error_notify(const struct session *s, const struct message **in)
{
	size_t i, j, k;

	for (i = 0; i < s->nmsgs; i++)
		for (j = 0; j < s->msgs[i]->np; j++) {
			const struct message *m = s->msgs[i];
			bool retried = false;

			if (!is_error_notify(m->p[j].notify))
				continue;
			/*
			 * An INVALID_KE_PAYLOAD the initiator answered with a new
			 * IKE_SA_INIT request (RFC 7296 1.3) is not what ended it
			 */
			if (!strcmp(m->p[j].notify, "INVALID_KE_PAYLOAD") && m->response)
				for (k = i + 1; k < s->nmsgs && !retried; k++)
					retried = s->msgs[k]->dir != m->dir &&
						  !s->msgs[k]->response &&
						  same(s->msgs[k]->exchange, "IKE_SA_INIT");
			if (retried)
				continue;
			*in = m;
			return &m->p[j];
		}
	return NULL;
}

/*
 * The strongest evidence when the log shows neither PFKEY lines nor the
 * payloads of IKE_AUTH (protocol debug only, or a lower level): the state
 * machine reached its established state with its OK event after the SA
 * was up, and no message carried an error notify. The child SA was agreed,
 * though the log shows neither its SPIs nor its selectors.
 */
static void
child_from_state(struct session *s)
{
	const struct message *m = NULL;
	const struct state_step *ok = NULL;
	size_t i;

	uint32_t line = 0;

	if (!s->ike_up || error_notify(s, &m) || s->terminal)
		return;
	for (i = 0; i < s->nstates; i++)
		if (s->states[i].state_class == MODEL_STATE_ESTABLISHED &&
		    s->states[i].event_class == MODEL_EVENT_ESTABLISHED)
			ok = &s->states[i];
	if (ok)
		line = ok->line;
	/*
	 * A log that names the messages but shows none of their payloads (an
	 * event trace): an IKE_AUTH answered, on an SA that came up.
	 */
	for (i = 0; !line && i < s->nexch; i++)
		if (same(s->exch[i].type, "IKE_AUTH") && s->exch[i].request &&
		    s->exch[i].response && !s->exch[i].response->np && !s->exch[i].request->np)
			line = s->exch[i].response->first_line;
	if (!line)
		return;
	s->children = arena_grow(s->arena, s->children, sizeof(*s->children), &s->cap_children,
				 s->nchildren + 1);
	memset(&s->children[s->nchildren], 0, sizeof(s->children[0]));
	s->children[s->nchildren].line = line;
	s->children[s->nchildren].installed = true;
	s->children[s->nchildren].inferred = true;
	s->nchildren++;
}

/* The child SA: what the platform installed, or what IKE_AUTH / CREATE_CHILD_SA agreed. */
/*
 * The child SAs: those the platform installed (PFKEY), matched in order with
 * the exchanges that agreed one (IKE_AUTH, CREATE_CHILD_SA), which give their
 * selectors and transforms. Without PFKEY lines, an agreed exchange on an IKE
 * SA that came up is a child SA.
 */
static void
settle_children(struct session *s)
{
	size_t i, j, k = 0;
	bool local_is_i = s->role != MODEL_ROLE_RESPONDER;

	for (i = 0; i < s->nexch; i++) {
		const struct exchange *x = &s->exch[i];
		const struct payload *tsi, *tsr;
		struct child_sa *c;
		bool refused = false;

		if (!same(x->type, "IKE_AUTH") && !same(x->type, "CREATE_CHILD_SA"))
			continue;
		if (!x->response || !find_payload(x->response, PROTO_PAYLOAD_SA) ||
		    !(tsi = find_payload(x->response, PROTO_PAYLOAD_TSI)))
			continue;
		for (j = 0; j < x->response->np; j++)
			if (is_error_notify(x->response->p[j].notify))
				refused = true;
		if (refused)
			continue;
		if (k >= s->nchildren) {
			if (!s->ike_up)
				break;
			s->children = arena_grow(s->arena, s->children, sizeof(*s->children),
						 &s->cap_children, s->nchildren + 1);
			memset(&s->children[s->nchildren], 0, sizeof(s->children[0]));
			s->children[s->nchildren].line = x->response->first_line;
			s->children[s->nchildren].installed = true;
			s->nchildren++;
		}
		c = &s->children[k++];
		/* TSi is the initiator's side */
		tsr = find_payload(x->response, PROTO_PAYLOAD_TSR);
		{
			/* what the payloads show; a log that lists them without bodies keeps its own */
			const char *l = ts_text(s, local_is_i ? tsi : tsr);
			const char *rm = ts_text(s, local_is_i ? tsr : tsi);
			const char *t =
				transforms_text(s, find_payload(x->response, PROTO_PAYLOAD_SA));

			if (l || !c->local_sel)
				c->local_sel = l;
			if (rm || !c->remote_sel)
				c->remote_sel = rm;
			if (t || !c->transforms)
				c->transforms = t;
		}
	}
	if (!s->nchildren)
		child_from_state(s);
}

/* ---- explanations ---- */

/* One transform of a policy line: its category and value. */
struct token {
	const char *cat;
	char text[64];
};

static size_t
tokenize(const struct session *s, const char *protocol, const char *text, struct token *out,
	 size_t max)
{
	/* RFC 7296 transform types, and RFC 9370's additional key exchanges */
	static const char *const cats[] = { "?",   "encryption", "PRF", "integrity", "DH",
					    "ESN", "KE1",        "KE2", "KE3",       "KE4",
					    "KE5", "KE6",        "KE7" };
	struct dialect_transform_word w[16];
	size_t n, i;

	if (!text)
		return 0;
	n = dialect_transform_words(dialect_named(s->dialect), text, strlen(text),
				    !protocol || !strcmp(protocol, "IKE"), w, max < 16 ? max : 16);
	for (i = 0; i < n; i++) {
		out[i].cat = w[i].type < sizeof(cats) / sizeof(cats[0]) ? cats[w[i].type] : "?";
		snprintf(out[i].text, sizeof(out[i].text), "%.*s", (int)w[i].len, text + w[i].at);
	}
	return n;
}

static const char *
dh_number(const struct session *s, const char *t)
{
	return dialect_group_number(dialect_named(s->dialect), t);
}

/* Appends how the received policy rcv differs from the expected one exp. */
/* The names the failure's compared values give each category of a policy line. */
static const char *
mismatch_type(const char *cat)
{
	return !strcmp(cat, "DH") ? "D-H group" : cat;
}

static void
compare_one(struct session *s, struct strbuf *sb, const struct policy_entry *rcv,
	    const struct policy_entry *exp, unsigned k, const char *who_expects)
{
	struct token a[16], b[16];
	size_t na, nb, i, j, at = sb->len, same = 0;

	na = tokenize(s, rcv->protocol, rcv->transforms, a, 16);
	nb = tokenize(s, exp->protocol, exp->transforms, b, 16);
	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++) {
			if (strcmp(a[i].cat, b[j].cat) || !strcmp(a[i].text, b[j].text))
				continue;
			if (sb->len > at)
				sb_adds(sb, "; ");
			failure_add_mismatch(
				s, mismatch_type(a[i].cat),
				!strcmp(a[i].cat, "DH") ? dh_number(s, a[i].text) : a[i].text,
				!strcmp(b[j].cat, "DH") ? dh_number(s, b[j].text) : b[j].text, k,
				exp->line);
			if (!strcmp(a[i].cat, "DH"))
				sb_addf(sb, "offered DH group %s, %s group %s",
					dh_number(s, a[i].text), who_expects,
					dh_number(s, b[j].text));
			else
				sb_addf(sb, "%s: offered %s, %s %s", a[i].cat, a[i].text,
					who_expects, b[j].text);
			break;
		}
	if (sb->len == at) {
		failure_add_mismatch(s, "proposal", rcv->transforms, exp->transforms, k, exp->line);
		sb_addf(sb, "offered %s, %s %s", rcv->transforms, who_expects, exp->transforms);
		return;
	}
	/* and what both name alike, so the reader sees the whole comparison */
	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
			if (!strcmp(a[i].cat, b[j].cat) && !strcmp(a[i].text, b[j].text)) {
				sb_adds(sb, same++ ? ", " : "; both: ");
				if (strcmp(a[i].cat, "ESN")) {
					sb_adds(sb, a[i].cat);
					sb_addc(sb, ' ');
				}
				sb_adds(sb, a[i].text);
				break;
			}
}

/*
 * "offered DH group 14, this device expects group 2" and the like: the
 * first received policy against every expected one.
 */
static const char *
compare_policies(struct session *s, const char *who_expects)
{
	const struct policy_entry *rcv = NULL;
	size_t i, nexp = 0, k = 0;
	struct strbuf sb;
	const char *out;

	for (i = 0; i < s->npolicies; i++) {
		if (s->policies[i].expected)
			nexp++;
		else if (!rcv)
			rcv = &s->policies[i];
	}
	if (!rcv || !nexp)
		return NULL;
	sb_init(&sb);
	s->failure.nmismatch = 0;
	failure_add_evidence(s, NULL, rcv->line, fmt(s, "received: %s", rcv->transforms));
	for (i = 0; i < s->npolicies; i++) {
		if (!s->policies[i].expected)
			continue;
		failure_add_evidence(s, NULL, s->policies[i].line,
				     fmt(s, "expected: %s", s->policies[i].transforms));
		if (nexp > 1)
			sb_addf(&sb, "%sagainst expected policy %zu (line %u): ", k ? "; " : "",
				k + 1, s->policies[i].line);
		compare_one(s, &sb, rcv, &s->policies[i], (unsigned)k + 1, who_expects);
		k++;
	}
	out = session_strndup(s, sb.buf, sb.len);
	sb_finish(&sb);
	return out;
}

static const struct evidence *
find_last_evidence(const struct session *s, const char *kind)
{
	size_t i;

	for (i = s->nevidence; i-- > 0;)
		if (!strcmp(s->evidence[i].kind, kind))
			return &s->evidence[i];
	return NULL;
}

static const struct evidence *
find_evidence(const struct session *s, const char *kind)
{
	size_t i;

	for (i = 0; i < s->nevidence; i++)
		if (!strcmp(s->evidence[i].kind, kind))
			return &s->evidence[i];
	return NULL;
}

/* The method the peer's AUTH payload names, or what the device said of it; NULL if neither. */
static const char *
peer_auth_used(const struct session *s)
{
	size_t i, j;

	for (i = 0; i < s->nmsgs; i++)
		for (j = 0; s->msgs[i]->dir == MODEL_DIR_IN && j < s->msgs[i]->np; j++)
			if (s->msgs[i]->p[j].ptype == PROTO_PAYLOAD_AUTH &&
			    s->msgs[i]->p[j].auth_method)
				return s->msgs[i]->p[j].auth_method;
	return s->peer_auth;
}

static const char *
exchange_at(const struct session *s, uint32_t mid, bool known)
{
	size_t i;

	if (known)
		for (i = 0; i < s->nexch; i++)
			if (s->exch[i].mid == mid && strcmp(s->exch[i].type, "?"))
				return s->exch[i].type;
	if (known && mid == 0)
		return "IKE_SA_INIT";
	if (known)
		return "IKE_AUTH";
	return s->nexch ? s->exch[s->nexch - 1].type : "?";
}

static const struct payload *
offered_sa(const struct session *s, const struct message *about)
{
	size_t i;

	for (i = 0; i < s->nexch; i++)
		if (s->exch[i].response == about || s->exch[i].request == about)
			return find_payload(s->exch[i].request, PROTO_PAYLOAD_SA);
	return NULL;
}

/*
 * The exchange a policy refusal was printed in: the MID says when the log
 * shows it; else an IKE proposal (one that names a DH group) is refused in
 * IKE_SA_INIT, a child SA's in IKE_AUTH.
 */
/* True if a policy's transform list names a D-H group (then it is an IKE policy). */
static bool
names_group(const struct session *s, const char *transforms)
{
	struct dialect_transform_word w[16];
	size_t n = dialect_transform_words(dialect_named(s->dialect), transforms,
					   strlen(transforms), true, w, 16),
	       i;

	for (i = 0; i < n; i++)
		if (w[i].type == 4)
			return true;
	return false;
}

static const char *
policy_exchange(const struct session *s, const struct evidence *e)
{
	size_t i;

	if (e->mid_known)
		return exchange_at(s, e->mid, true);
	for (i = 0; i < s->npolicies; i++) {
		const struct policy_entry *p = &s->policies[i];

		/* "IKE", and "IKEv2" as FortiOS names it */
		if (p->protocol && strcmp(p->protocol, "IKE") && strncmp(p->protocol, "IKEv", 4))
			return "IKE_AUTH";
		if (p->transforms && names_group(s, p->transforms))
			return "IKE_SA_INIT";
	}
	return s->nexch ? s->exch[s->nexch - 1].type : "?";
}

static void
fail_at(struct session *s, const char *exchange, uint32_t mid, bool mid_known, const char *cause,
	uint32_t line, const char *explanation)
{
	/* evidence gathered while the reason was written stays */
	s->failure.exchange = exchange;
	s->failure.mid = mid;
	s->failure.mid_known = mid_known;
	s->failure.cause = cause;
	s->failure.line = line;
	s->failure.explanation = explanation;
}

/* The device's word that no crypto map entry took the child SA (of any kind), or NULL. */
static const struct evidence *
crypto_map_evidence(const struct session *s)
{
	const struct evidence *e;

	if ((e = find_evidence(s, "no-proxy-match")) || (e = find_evidence(s, "missing-acl")) ||
	    (e = find_evidence(s, "peer-not-in-map")))
		return e;
	return NULL;
}

static void
explain_notify(struct session *s, const struct message *m, const struct payload *n)
{
	const char *x = m->exchange ? m->exchange : "?";
	bool sent = m->dir == MODEL_DIR_OUT;
	const char *why = NULL;
	const struct evidence *e;

	if (!strcmp(n->notify, "NO_PROPOSAL_CHOSEN")) {
		if ((e = crypto_map_evidence(s)))
			why = fmt(s,
				  "NO_PROPOSAL_CHOSEN here means the traffic selectors matched no "
				  "crypto map entry (line %u: %s)",
				  e->line, e->text);
		else if (sent && (why = compare_policies(s, "this device expects")))
			why = fmt(s, "%s rejected the %s offer: %s",
				  strcmp(x, "IKE_SA_INIT") ? "this device" : "responder",
				  strcmp(x, "IKE_SA_INIT") ? "child SA" : "IKE_SA_INIT", why);
		else if (sent)
			why = fmt(s,
				  "this device found no acceptable proposal in the peer's %s offer",
				  x);
		else {
			const struct payload *sa = offered_sa(s, m);
			const char *t = transforms_text(s, sa);

			why = fmt(s,
				  "the peer rejected %s offer in %s (NO_PROPOSAL_CHOSEN)%s%s; the "
				  "peer's log shows what it expected",
				  strcmp(x, "IKE_SA_INIT") ? "the child SA" : "the IKE_SA_INIT", x,
				  t ? ": offered " : "", t ? t : "");
		}
	} else if (!strcmp(n->notify, "AUTHENTICATION_FAILED")) {
		const char *method = s->peer_auth;

		const struct evidence *nc = find_evidence(s, "profile-not-found");

		if (sent && nc)
			/* the device found nothing configured for the peer, and refused it so */
			why = fmt(s,
				  "no %s of this device matches the peer, so it refused its "
				  "authentication (line %u: %s)",
				  dialect_peer_config(dialect_named(s->dialect)), nc->line,
				  nc->text);
		else if (sent)
			why = fmt(
				s,
				"this device could not verify the peer's authentication data%s%s%s",
				method ? " (" : "", method ? method : "",
				s->peer_authm == PROTO_AUTH_PSK
					? "): the pre-shared keys of the two ends differ"
				: method ? ")"
					 : "");
		else
			why = fmt(
				s,
				"the peer rejected this device's authentication data "
				"(AUTHENTICATION_FAILED); check the pre-shared key or certificate "
				"this device presents");
	} else if (!strcmp(n->notify, "INVALID_KE_PAYLOAD") && n->nvalue >= 2) {
		why = fmt(s,
			  "%s key exchange used a DH group the %s does not accept; it asks for DH "
			  "group %u",
			  sent ? "the peer's" : "this device's", sent ? "this device" : "peer",
			  (unsigned)n->value[0] << 8 | n->value[1]);
	} else if (!strcmp(n->notify, "INVALID_KE_PAYLOAD")) {
		why = fmt(s,
			  "%s key exchange used a DH group the %s does not accept "
			  "(INVALID_KE_PAYLOAD names the group to use)",
			  sent ? "the peer's" : "this device's", sent ? "this device" : "peer");
	} else if (!strcmp(n->notify, "TS_UNACCEPTABLE")) {
		why = fmt(s,
			  "%s traffic selectors were not acceptable (TS_UNACCEPTABLE): the "
			  "protected networks of the two ends do not match",
			  sent ? "the peer's" : "this device's");
		/* the selectors the device refused, as its own line gives them */
		if (sent && (e = find_evidence(s, "ts-unacceptable")))
			why = fmt(s, "%s (line %u: %s)", why, e->line, e->text);
	} else {
		why = fmt(s, "%s %s in %s", sent ? "this device answered" : "the peer answered",
			  n->notify, x);
	}
	fail_at(s, x, m->mid, m->mid_known, n->notify, n->line, why);
}

/*
 * The first error the device printed that the negotiation did not get
 * past: one followed by a message of a later MID, other than an
 * INFORMATIONAL one (the exchange it was printed in went on to the next),
 * was not what stopped it.
 */
static const struct evidence *
live_evidence(const struct session *s)
{
	size_t i, k;

	for (i = 0; i < s->nevidence; i++) {
		const struct evidence *e = &s->evidence[i];
		bool overtaken = false;

		/* a delete or notice after the error is no sign the negotiation went on */
		for (k = 0; e->mid_known && k < s->nmsgs && !overtaken; k++)
			overtaken = s->msgs[k]->mid_known && s->msgs[k]->mid > e->mid &&
				    s->msgs[k]->first_line > e->line &&
				    !same(s->msgs[k]->exchange, "INFORMATIONAL");
		if (!overtaken)
			return e;
	}
	return NULL;
}

static void
decide_failure(struct session *s)
{
	const struct message *m = NULL;
	const struct payload *n = error_notify(s, &m);
	const struct evidence *e;
	size_t i;

	if (n) {
		explain_notify(s, m, n);
		return;
	}
	if (s->retransmit_exhausted || s->retransmits) {
		const struct message *last = NULL;

		/* the message sent again before the device gave up (what it sent after, as it went, is not it) */
		for (i = 0; i < s->nmsgs; i++)
			if (s->msgs[i]->retransmits && s->msgs[i]->dir != MODEL_DIR_IN &&
			    (!s->retransmit_line || s->msgs[i]->first_line < s->retransmit_line))
				last = s->msgs[i];
		if (last && (s->retransmit_exhausted || !last->response)) {
			fail_at(s, last->exchange ? last->exchange : "?", last->mid,
				last->mid_known, MODEL_CAUSE_NO_RESPONSE,
				s->retransmit_line ? s->retransmit_line : last->last_line,
				fmt(s,
				    "%s sent %u times (%u retransmissions) without a reply: the "
				    "peer "
				    "is unreachable, drops the packets, or its replies are lost",
				    last->exchange ? last->exchange : "the request",
				    last->retransmits + 1, last->retransmits));
			return;
		}
	}
	if ((e = find_evidence(s, "no-matching-policy"))) {
		/*
		 * No notify in the log (an excerpt, or protocol debug cut short):
		 * the device's own verdict, with the policies it printed.
		 */
		const char *cmp = compare_policies(s, "this device expects");
		const char *x = policy_exchange(s, e);
		const struct evidence *map = cmp ? NULL : crypto_map_evidence(s);

		/* no policy lists, and the device says no crypto map entry took the child SA */
		if (map) {
			if (!strcmp(x, "?") || !strcmp(x, "IKE_SA_INIT"))
				x = "IKE_AUTH";
			fail_at(s, x, e->mid_known ? e->mid : 0, e->mid_known, "NO_PROPOSAL_CHOSEN",
				e->line,
				fmt(s,
				    "no crypto map entry of this device took the child SA (line "
				    "%u: "
				    "%s)",
				    map->line, map->text));
			failure_add_evidence(s, NULL, map->line, map->text);
			return;
		}

		/* the device that lists what it received and expected answers the offer */
		if (s->role == MODEL_ROLE_UNKNOWN && !strcmp(x, "IKE_SA_INIT") && s->npolicies)
			s->role = MODEL_ROLE_RESPONDER;

		fail_at(s, x, e->mid_known ? e->mid : 0, e->mid_known || !strcmp(x, "IKE_SA_INIT"),
			"NO_PROPOSAL_CHOSEN", e->line,
			cmp ? fmt(s, "this device rejected the %s offer: %s",
				  strcmp(x, "IKE_SA_INIT") ? "child SA" : "IKE_SA_INIT", cmp)
			    : fmt(s,
				  "this device found no acceptable proposal in the peer's %s offer",
				  x));
		return;
	}
	if ((e = find_evidence(s, "auth-method-mismatch"))) {
		const char *used = peer_auth_used(s);

		fail_at(s, exchange_at(s, e->mid, e->mid_known), e->mid, e->mid_known,
			"AUTHENTICATION_FAILED", e->line,
			fmt(s,
			    "the peer authenticates with %s%s, and this device's %s%s%s expects "
			    "%s: "
			    "%s",
			    used ? used : "a method", used ? "" : " this device does not accept",
			    s->tunnel_group ? "tunnel group " : "IKEv2 profile",
			    s->tunnel_group ? s->tunnel_group : "",
			    s->tunnel_group ? "" : " for it",
			    s->expected_peer_auth ? s->expected_peer_auth : "another one",
			    e->text));
		return;
	}
	if ((e = find_evidence(s, "profile-not-found"))) {
		/* what the device calls the configuration it looks up for a peer */
		const char *what = dialect_peer_config(dialect_named(s->dialect));

		fail_at(s, exchange_at(s, e->mid, e->mid_known), e->mid, e->mid_known,
			MODEL_CAUSE_CONFIG_MISSING, e->line,
			s->peer_identity
				? fmt(s,
				      "no %s of this device matches the peer's identity "
				      "'%s'%s%s%s (line %u): %s",
				      what, s->peer_identity, s->peer_id_type ? " (" : "",
				      s->peer_id_type ? s->peer_id_type : "",
				      s->peer_id_type ? ")" : "", s->peer_identity_line, e->text)
				: fmt(s, "no %s of this device matches the peer: %s", what,
				      e->text));
		if (s->peer_identity)
			failure_add_evidence(s, NULL, s->peer_identity_line,
					     fmt(s, "the peer's identity: %s", s->peer_identity));
		return;
	}
	if ((e = find_evidence(s, "peer-id-check-failed"))) {
		fail_at(s, exchange_at(s, e->mid, e->mid_known), e->mid, e->mid_known,
			MODEL_CAUSE_PEER_ID_MISMATCH, e->line,
			fmt(s,
			    "the peer's certificate does not carry the identity it claims "
			    "(no matching IP, DNS or RFC822 name in its subject alternative "
			    "name): %s",
			    e->text));
		return;
	}
	if ((e = find_evidence(s, "cert-issuer-unknown")) ||
	    (e = find_evidence(s, "no-trustpoint"))) {
		fail_at(s, exchange_at(s, e->mid, e->mid_known), e->mid, e->mid_known,
			MODEL_CAUSE_CERTIFICATE_INVALID, e->line,
			fmt(s,
			    "the peer's certificate was issued by a CA this device does not trust: "
			    "%s",
			    e->text));
		return;
	}
	for (i = 0; i < s->nmsgs; i++) {
		size_t j;

		for (j = 0; j < s->msgs[i]->np; j++) {
			const struct payload *p = &s->msgs[i]->p[j];

			if (!p->has_eap || !same(p->eap_code, "failure"))
				continue;
			e = find_evidence(s, "eap-failed");
			fail_at(s, s->msgs[i]->exchange ? s->msgs[i]->exchange : "IKE_AUTH",
				s->msgs[i]->mid, s->msgs[i]->mid_known, MODEL_CAUSE_EAP_FAILURE,
				p->line,
				fmt(s, "%s EAP Failure (id %u)%s%s%s%s",
				    s->msgs[i]->dir == MODEL_DIR_OUT ? "this device sent"
								     : "the peer sent",
				    p->eap_id, s->user ? " to user " : "", s->user ? s->user : "",
				    e ? ": " : "", e ? e->text : ""));
			return;
		}
	}
	if ((e = find_evidence(s, "eap-failed"))) {
		fail_at(s, "IKE_AUTH", e->mid, e->mid_known, MODEL_CAUSE_EAP_FAILURE, e->line,
			fmt(s, "EAP authentication failed%s%s: %s", s->user ? " for user " : "",
			    s->user ? s->user : "", e->text));
		return;
	}
	if ((e = crypto_map_evidence(s))) {
		fail_at(s, exchange_at(s, e->mid, e->mid_known), e->mid, e->mid_known,
			MODEL_CAUSE_CONFIG_MISSING, e->line,
			fmt(s, "no crypto map entry matches this peer or its traffic: %s",
			    e->text));
		return;
	}
	if ((e = find_evidence(s, "timer-expired"))) {
		fail_at(s, exchange_at(s, e->mid, e->mid_known), e->mid, e->mid_known,
			MODEL_CAUSE_AUTH_TIMEOUT, e->line,
			fmt(s, "a timer ran out before the next message came: %s", e->text));
		return;
	}
	/* the device's last word on it: the first may only say that it failed */
	if ((e = find_evidence(s, "verify-failed")) ||
	    (e = find_last_evidence(s, "auth-verify-failed"))) {
		fail_at(s, exchange_at(s, e->mid, e->mid_known), e->mid, e->mid_known,
			"AUTHENTICATION_FAILED", e->line,
			fmt(s, "the peer's authentication did not verify: %s", e->text));
		return;
	}
	/* the device says it refused the child SA's traffic selectors, though no notify shows */
	if ((e = find_evidence(s, "ts-unacceptable"))) {
		const struct exchange *x = NULL;

		for (i = 0; i < s->nexch; i++)
			if (s->exch[i].request && s->exch[i].request->first_line <= e->line &&
			    (same(s->exch[i].type, "IKE_AUTH") ||
			     same(s->exch[i].type, "CREATE_CHILD_SA")))
				x = &s->exch[i];
		fail_at(s, x ? x->type : "IKE_AUTH", x ? x->mid : 0, x && x->mid_known,
			"TS_UNACCEPTABLE", e->line,
			fmt(s,
			    "this device found the peer's traffic selectors unacceptable: the "
			    "protected networks of the two ends do not match (line %u: %s)",
			    e->line, e->text));
		return;
	}
	/* the state machine's own verdict, when no line says more */
	for (i = 0; i < s->nstates; i++) {
		const struct state_step *st = &s->states[i];
		bool cert = st->event_class == MODEL_EVENT_CERT_FAILED;

		if (!cert && st->event_class != MODEL_EVENT_AUTH_FAILED)
			continue;
		fail_at(s, exchange_at(s, st->mid, true), st->mid, true,
			cert ? MODEL_CAUSE_CERTIFICATE_INVALID : "AUTHENTICATION_FAILED", st->line,
			fmt(s, "this device could not verify the peer's %s (%s in state %s)",
			    cert ? "certificate" : "authentication data", st->event,
			    st->state ? st->state : "?"));
		return;
	}
	if (s->ike_up && !s->nchildren) {
		const struct exchange *x = NULL;

		for (i = 0; i < s->nexch; i++)
			if (same(s->exch[i].type, "IKE_AUTH"))
				x = &s->exch[i];
		fail_at(s, x ? x->type : "IKE_AUTH", x ? x->mid : 0, x && x->mid_known,
			MODEL_CAUSE_CHILD_SA_REJECTED,
			x && x->response ? x->response->first_line : s->last_line,
			fmt(s, "the IKE SA came up but no child SA was installed; the log does not "
			       "say why"));
		return;
	}
	if ((e = live_evidence(s))) {
		fail_at(s, exchange_at(s, e->mid, e->mid_known), e->mid, e->mid_known,
			MODEL_CAUSE_UNKNOWN, e->line, fmt(s, "the device reported: %s", e->text));
		return;
	}
	{
		const struct state_step *st = s->nstates ? &s->states[s->nstates - 1] : NULL;

		fail_at(s, exchange_at(s, s->cur_mid, s->cur_mid_known), s->cur_mid,
			s->cur_mid_known, MODEL_CAUSE_UNKNOWN, st ? st->line : s->last_line,
			s->outcome == MODEL_OUTCOME_INCOMPLETE
				? fmt(s, "the log ends in the middle of the negotiation%s%s%s%s",
				      st ? " (last state " : "", st && st->state ? st->state : "",
				      st && st->event ? ", " : "", st && st->event ? st->event : "")
				: fmt(s, "the log does not show why"));
		if (st && s->outcome == MODEL_OUTCOME_INCOMPLETE)
			s->failure.explanation = fmt(s, "%s)", s->failure.explanation);
	}
}

/* What to change, for a failure point already decided; NULL when the log cannot tell. */
static const char *
remedy(struct session *s)
{
	const struct failure *f = &s->failure;
	const char *c = f->cause;
	const struct evidence *e;
	struct dialect_remedy q = {
		.cause = c,
		.exchange = f->exchange,
		.ike = same(f->exchange, "IKE_SA_INIT"),
		.psk = s->peer_authm == PROTO_AUTH_PSK || s->local_authm == PROTO_AUTH_PSK,
	};
	const char *own;

	/* refused because nothing is configured for the peer: what to add */
	if (same(c, "AUTHENTICATION_FAILED") && find_evidence(s, "profile-not-found"))
		q.cause = MODEL_CAUSE_CONFIG_MISSING;
	own = dialect_remedy(dialect_named(s->dialect), &q);

	/* the dialect's own terms first (its configuration's names) */
	if (own)
		return own;

	/* a crypto map failure: each kind its own fix, naming the entry when the line does */
	if (same(c, "NO_PROPOSAL_CHOSEN") || same(c, MODEL_CAUSE_CONFIG_MISSING)) {
		const char *entry = "the crypto map entry";

		if ((e = crypto_map_evidence(s)) && e->map)
			entry = fmt(s, "crypto map %s seq %u", e->map, e->map_seq);
		if (find_evidence(s, "missing-acl"))
			return fmt(s,
				   "give %s a match address: without an access list it is "
				   "incomplete and matches nothing",
				   entry);
		if (find_evidence(s, "peer-not-in-map"))
			return fmt(
				s,
				"name this peer in %s (set peer), or give it a dynamic map entry",
				entry);
		if (find_evidence(s, "no-proxy-match"))
			return e && e->map
				       ? fmt(s,
					     "make the access list of %s mirror the peer's traffic "
					     "selectors, or add a map entry for this peer's "
					     "networks",
					     entry)
				       : "make this device's crypto map access list mirror the "
					 "peer's traffic selectors, or add a map entry for this "
					 "peer's networks";
	}
	if (same(c, "NO_PROPOSAL_CHOSEN")) {
		if (same(f->exchange, "IKE_SA_INIT"))
			return "give both ends a common IKEv2 policy (encryption, integrity, PRF "
			       "and D-H group)";
		return "give both ends a common IPsec proposal for the child SA (encryption, "
		       "integrity and PFS group)";
	}
	if (same(c, "AUTHENTICATION_FAILED") && find_evidence(s, "auth-method-mismatch"))
		return "make the method the peer authenticates with the one this device expects "
		       "from it (ikev2 remote-authentication of the tunnel group, authentication "
		       "remote of the IKEv2 profile), or change the peer's local authentication";
	if (same(c, MODEL_CAUSE_CONFIG_MISSING) && find_evidence(s, "profile-not-found"))
		return s->peer_identity
			       ? "add an IKEv2 profile whose match identity remote covers the "
				 "peer's "
				 "identity, or have the peer send an identity a profile matches"
			       : "add an IKEv2 profile that matches the peer (match identity "
				 "remote, "
				 "match certificate)";
	if (same(c, "AUTHENTICATION_FAILED"))
		return s->peer_authm == PROTO_AUTH_PSK || s->local_authm == PROTO_AUTH_PSK
			       ? "set the same pre-shared key on both ends (the local and remote "
				 "authentication of the tunnel group or profile)"
			       : "check the credentials each end presents and that the other "
				 "trusts them";
	if (same(c, "INVALID_KE_PAYLOAD"))
		return "offer first the D-H group the responder asks for, or allow the offered "
		       "group in the responder's IKEv2 policy";
	if (same(c, "TS_UNACCEPTABLE"))
		return "make the protected networks (crypto access lists) of the two ends "
		       "mirror each other";
	if (same(c, MODEL_CAUSE_NO_RESPONSE))
		return "check that UDP 500 and 4500 reach the peer and its replies come back "
		       "(routing, access lists, NAT), and that the peer is set up for this "
		       "device";
	if (same(c, MODEL_CAUSE_PEER_ID_MISMATCH))
		return "give the peer a certificate whose subject alternative name carries the "
		       "identity it uses, or stop checking the peer ID (peer-id-validate "
		       "nocheck)";
	if (same(c, MODEL_CAUSE_CERTIFICATE_INVALID))
		return "trust the CA that issued the peer's certificate (a trustpoint with its "
		       "certificate)";
	if (same(c, MODEL_CAUSE_EAP_FAILURE))
		return "check the user's credentials and the AAA server of the tunnel group";
	if (same(c, MODEL_CAUSE_CONFIG_MISSING))
		return "add a crypto map entry (or a dynamic map) whose access list matches "
		       "this peer's traffic";
	if (same(c, MODEL_CAUSE_AUTH_TIMEOUT))
		return "check that the IKE_AUTH messages get through (UDP 4500, fragmentation, "
		       "MTU)";
	if (same(c, MODEL_CAUSE_CHILD_SA_REJECTED))
		return "compare the child SA proposals and traffic selectors of both ends";
	return NULL;
}

/*
 * The failure point's line as evidence, and who decided it: this device
 * (its own error line, state or a notify it sent) or the peer (a notify it
 * sent); nobody when no answer came. Then what to change.
 */
static void
settle_failure(struct session *s)
{
	struct failure *f = &s->failure;
	size_t i, j;

	if (!f->cause)
		return;
	for (i = 0; i < s->nmsgs && !f->decided_by; i++)
		for (j = 0; j < s->msgs[i]->np; j++) {
			const struct message *m = s->msgs[i];
			const struct payload *p = &m->p[j];

			if (p->line != f->line || (!p->notify && !p->has_eap))
				continue;
			f->decided_by = m->dir == MODEL_DIR_OUT ? "this device" : "the peer";
			f->verdict = p->notify ? p->notify : "EAP_FAILURE";
			failure_add_evidence(s, NULL, p->line,
					     fmt(s, "%s %s in the %s %s",
						 m->dir == MODEL_DIR_OUT ? "sent" : "received",
						 p->notify ? p->notify : "EAP Failure",
						 m->exchange ? m->exchange : "?",
						 m->response ? "response" : "request"));
			break;
		}
	for (i = 0; i < s->nevidence && !f->decided_by; i++)
		if (s->evidence[i].line == f->line) {
			f->decided_by = "this device";
			f->verdict = s->evidence[i].kind;
			failure_add_evidence(s, NULL, f->line, s->evidence[i].text);
		}
	for (i = 0; i < s->nstates && !f->decided_by; i++)
		if (s->states[i].line == f->line && s->states[i].event) {
			f->decided_by = "this device";
			f->verdict = s->states[i].event;
			failure_add_evidence(s, NULL, f->line,
					     fmt(s, "state %s, event %s",
						 s->states[i].state ? s->states[i].state : "?",
						 s->states[i].event));
		}
	if (!f->decided_by && same(f->cause, "NO_PROPOSAL_CHOSEN"))
		f->decided_by = "this device"; /* its own policy lists */
	/* an excerpt that shows no exchange: authentication happens in IKE_AUTH */
	if (same(f->exchange, "?") &&
	    (same(f->cause, "AUTHENTICATION_FAILED") || same(f->cause, MODEL_CAUSE_EAP_FAILURE) ||
	     same(f->cause, MODEL_CAUSE_CERTIFICATE_INVALID) ||
	     same(f->cause, MODEL_CAUSE_PEER_ID_MISMATCH) || find_evidence(s, "profile-not-found")))
		f->exchange = "IKE_AUTH";
	if (same(f->cause, MODEL_CAUSE_NO_RESPONSE) && s->retransmit_line)
		failure_add_evidence(s, NULL, s->retransmit_line, "retransmissions exhausted");
	f->remedy = remedy(s);
}

static bool
was_deleted(const struct session *s)
{
	size_t i, j;

	bool child_request = false;

	if (s->delete_line)
		return true;
	for (i = 0; i < s->nmsgs; i++) {
		const struct message *m = s->msgs[i];
		uint32_t after = i ? s->msgs[i - 1]->last_line : 0;

		if (!same(m->exchange, "INFORMATIONAL"))
			continue;
		for (j = 0; j < m->np; j++) {
			const struct payload *p = &m->p[j];
			bool child = false;
			size_t k;

			if (p->ptype != PROTO_PAYLOAD_DELETE)
				continue;
			if (p->protocol) {
				child = !same(p->protocol, "IKE");
			} else if (m->response) {
				/* the answer to a child SA's delete deletes the peer's half */
				child = child_request;
			} else {
				/*
				 * A delete whose protocol the log does not show: a child SA's
				 * when the device says it removes one just before it
				 */
				for (k = 0; k < s->nchildren && !child; k++)
					child = s->children[k].removed &&
						s->children[k].removed_line > after &&
						s->children[k].removed_line <= m->last_line;
				child_request = child;
			}
			if (!child)
				return true;
		}
	}
	return false;
}

/* The address a CFG_REPLY assigned (internal IP4 address). */
static void
assigned_address(struct session *s)
{
	size_t i, j, k;

	for (i = 0; i < s->nmsgs; i++)
		for (j = 0; j < s->msgs[i]->np; j++) {
			const struct payload *p = &s->msgs[i]->p[j];

			if (p->cfgt != PROTO_CFG_REPLY)
				continue;
			for (k = 0; k < p->nattrs && !s->assigned_ip; k++) {
				const struct cfg_attr *a = &p->attrs[k];

				if (a->type != PROTO_CFG_INTERNAL_IP4_ADDRESS || a->nvalue != 4)
					continue;
				s->assigned_ip = fmt(s, "%u.%u.%u.%u", a->value[0], a->value[1],
						     a->value[2], a->value[3]);
				s->cfg_assigned_line = a->line;
			}
		}
	/* else what pasted show output said */
	if (!s->assigned_ip && s->show.assigned)
		s->assigned_ip = s->show.assigned;
	if (!s->user && s->show.user)
		s->user = s->show.user;
}

/* Without a state trace, the role shows in who sent the IKE_SA_INIT request. */
static void
infer_role(struct session *s)
{
	size_t i;

	for (i = 0; i < s->nmsgs && s->role == MODEL_ROLE_UNKNOWN; i++) {
		const struct message *m = s->msgs[i];

		if (!same(m->exchange, "IKE_SA_INIT") || !m->response_known || m->response)
			continue;
		if (m->dir == MODEL_DIR_OUT)
			s->role = MODEL_ROLE_INITIATOR;
		else if (m->dir == MODEL_DIR_IN)
			s->role = MODEL_ROLE_RESPONDER;
	}
	/*
	 * A request of MID 0 after IKE_SA_INIT is the first request of the
	 * original responder (the initiator's MID 0 is IKE_SA_INIT's).
	 */
	for (i = 0; i < s->nmsgs && s->role == MODEL_ROLE_UNKNOWN; i++) {
		const struct message *m = s->msgs[i];

		if (!m->exchange || same(m->exchange, "IKE_SA_INIT") || !m->response_known ||
		    m->response || !m->mid_known || m->mid != 0 || m->dir == MODEL_DIR_UNKNOWN)
			continue;
		s->role = m->dir == MODEL_DIR_IN ? MODEL_ROLE_INITIATOR : MODEL_ROLE_RESPONDER;
	}
	/* the original initiator sends the IKE_AUTH requests (RFC 7296 1.2) */
	for (i = 0; i < s->nmsgs && s->role == MODEL_ROLE_UNKNOWN; i++) {
		const struct message *m = s->msgs[i];

		if (!same(m->exchange, "IKE_AUTH") || !m->response_known)
			continue;
		if ((m->dir == MODEL_DIR_OUT) != m->response)
			s->role = MODEL_ROLE_INITIATOR;
		else if (m->dir != MODEL_DIR_UNKNOWN)
			s->role = MODEL_ROLE_RESPONDER;
	}
}

/* Evidence printed before the first state trace takes the MID of the next one. */
static void
date_evidence(struct session *s)
{
	size_t i, j;

	for (i = 0; i < s->nevidence; i++) {
		struct evidence *e = &s->evidence[i];

		if (e->mid_known)
			continue;
		for (j = 0; j < s->nstates; j++)
			if (s->states[j].line > e->line) {
				e->mid = s->states[j].mid;
				e->mid_known = true;
				break;
			}
	}
}

void
recon_finish_session(struct recon *r, struct session *s)
{
	bool child = false;
	size_t i;

	(void)r;
	if (s->client_log) {
		recon_finish_client(s);
		return;
	}
	date_evidence(s);
	infer_role(s);
	assigned_address(s);
	fold_retransmissions(s);
	pair_exchanges(s);
	settle_children(s);
	for (i = 0; i < s->nchildren; i++)
		if (s->children[i].installed)
			child = true;
	/* the new IKE SA of a rekey holds the child SAs of the one it replaced */
	if (!s->nchildren && s->rekey_successor && s->ike_up) {
		s->outcome =
			was_deleted(s) || s->terminal ? MODEL_OUTCOME_DELETED : MODEL_OUTCOME_UP;
		if (s->outcome == MODEL_OUTCOME_DELETED && !s->deleted_by)
			s->deleted_by = "unknown";
		return;
	}
	/* up means a child SA still in place at the end */
	if (child && !was_deleted(s) && !s->terminal) {
		bool alive = false;

		for (i = 0; i < s->nchildren; i++)
			if (s->children[i].installed && !s->children[i].removed)
				alive = true;
		if (!alive && s->nchildren)
			s->deleted_by = s->deleted_by ? s->deleted_by : "unknown";
		s->outcome = alive ? MODEL_OUTCOME_UP : MODEL_OUTCOME_DELETED;
		return;
	}
	if (child) {
		s->outcome =
			was_deleted(s) || s->terminal ? MODEL_OUTCOME_DELETED : MODEL_OUTCOME_UP;
		if (s->outcome == MODEL_OUTCOME_DELETED && !s->deleted_by)
			s->deleted_by = "unknown";
		/* an SA that was up and went because the peer stopped answering says so */
		if (s->outcome == MODEL_OUTCOME_DELETED && s->retransmit_exhausted) {
			decide_failure(s);
			settle_failure(s);
		}
		return;
	}
	{
		const struct message *m = NULL;

		s->outcome = s->terminal || error_notify(s, &m) || s->retransmit_exhausted ||
					     live_evidence(s) || (s->ike_up && was_deleted(s))
				     ? MODEL_OUTCOME_FAILED
				     : MODEL_OUTCOME_INCOMPLETE;
	}
	decide_failure(s);
	settle_failure(s);
}
