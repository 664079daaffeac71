/*
 * The semantic diff of two sessions: each is read as facts in protocol
 * order, and the facts are aligned by key (see diff.h).
 */
#include "ikescope/diff.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/proto.h"
#include "ikescope/util/compiler.h"
#include "ikescope/util/strbuf.h"
#include "ikescope/util/xalloc.h"

/* ---- facts ---- */

static void IKESCOPE_PRINTF_LIKE(4, 5)
	fact(struct diff_facts *o, uint32_t line, const char *value, const char *keyfmt, ...)
{
	struct diff_fact *f;
	struct strbuf key;
	va_list ap;

	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 64;
		o->f = xreallocarray(o->f, o->cap, sizeof(*o->f));
	}
	f = &o->f[o->n];
	sb_init(&key);
	va_start(ap, keyfmt);
	sb_vaddf(&key, keyfmt, ap);
	va_end(ap);
	f->key = sb_detach(&key);
	f->value = xstrdup(value ? value : "not in the log");
	f->line = line;
	f->order = (unsigned)o->n;
	o->n++;
}

static const char *const type_names[] = { "?", "encryption", "PRF", "integrity", "D-H", "ESN" };

/* A value dumped in hex: as text when it is printable, else as hex. */
static void
value_text(struct strbuf *out, const uint8_t *v, unsigned n)
{
	bool printable = n > 0;
	unsigned i;

	for (i = 0; i < n && printable; i++)
		printable = v[i] >= 0x20 && v[i] < 0x7f;
	if (printable) {
		sb_add(out, (const char *)v, n);
		return;
	}
	if (n == 4) { /* an IPv4 address */
		sb_addf(out, "%u.%u.%u.%u", v[0], v[1], v[2], v[3]);
		return;
	}
	for (i = 0; i < n; i++)
		sb_addf(out, "%02x", v[i]);
}

static void
sa_facts(struct diff_facts *o, const char *at, const struct payload *p)
{
	size_t i, j;
	unsigned t;

	for (i = 0; i < p->nprops; i++) {
		const struct proposal *pr = &p->props[i];

		fact(o, pr->line, pr->protocol, "%s SA proposal %u protocol", at, pr->num);
		for (t = 1; t <= 5; t++) {
			struct strbuf v;
			uint32_t line = 0;

			sb_init(&v);
			for (j = 0; j < pr->nt; j++) {
				const struct transform *x = &pr->t[j];

				if (x->type != t)
					continue;
				if (v.len)
					sb_adds(&v, ", ");
				sb_adds(&v, x->id ? x->id : "?");
				if (x->keylen)
					sb_addf(&v, " (%u bits)", x->keylen);
				if (!line)
					line = x->line;
			}
			if (v.len)
				fact(o, line, v.buf, "%s SA proposal %u %s", at, pr->num,
				     type_names[t]);
			sb_finish(&v);
		}
	}
}

static void
ts_text(struct strbuf *v, const struct payload *p)
{
	size_t i;

	for (i = 0; i < p->nts; i++) {
		const struct ts_range *r = &p->ts[i];

		if (i)
			sb_adds(v, "; ");
		sb_addf(v, "%s-%s", r->addr_start ? r->addr_start : "?",
			r->addr_end ? r->addr_end : "?");
		if (r->port_start || r->port_end != 65535)
			sb_addf(v, " ports %u-%u", r->port_start, r->port_end);
		if (r->proto)
			sb_addf(v, " proto %u", r->proto);
	}
}

static bool
is(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static void
message_facts(struct diff_facts *o, const char *at, const struct message *m, bool strict)
{
	struct strbuf chain, notifies, vids, xml, v;
	unsigned certs = 0;
	uint32_t cert_line = 0, notify_line = 0, vid_line = 0;
	size_t i, eap = 0;

	fact(o, m->first_line,
	     m->dir == MODEL_DIR_OUT  ? "sent by this device"
	     : m->dir == MODEL_DIR_IN ? "sent by the peer"
				      : "?",
	     "%s", at);
	if (strict) {
		char n[16];

		snprintf(n, sizeof(n), "%u", m->length);
		fact(o, m->first_line, n, "%s length", at);
		snprintf(n, sizeof(n), "%u", m->mid);
		fact(o, m->first_line, m->mid_known ? n : "?", "%s message ID", at);
	}
	{
		char n[16];

		snprintf(n, sizeof(n), "%u", m->retransmits);
		fact(o, m->first_line, n, "%s retransmissions", at);
	}
	sb_init(&chain);
	sb_init(&notifies);
	sb_init(&vids);
	sb_init(&xml);
	sb_init(&v);
	for (i = 0; i < m->np; i++) {
		const struct payload *p = &m->p[i];
		const char *t = p->type ? p->type : "?";

		if (p->notify) {
			if (notifies.len)
				sb_adds(&notifies, ", ");
			sb_adds(&notifies, p->notify);
			if (!notify_line)
				notify_line = p->line;
		}
		if (p->ptype == PROTO_PAYLOAD_SK)
			continue;
		if (chain.len)
			sb_addc(&chain, ' ');
		sb_adds(&chain, p->notify ? "NOTIFY" : t);
		if (p->ptype == PROTO_PAYLOAD_SA) {
			sa_facts(o, at, p);
		} else if (p->ptype == PROTO_PAYLOAD_KE) {
			sb_reset(&v);
			sb_addf(&v, "%u", p->group);
			fact(o, p->line, v.buf, "%s KE group", at);
		} else if (p->ptype == PROTO_PAYLOAD_NONCE && !p->notify) {
			sb_reset(&v);
			sb_addf(&v, "%u", p->length >= 4 ? p->length - 4 : 0);
			fact(o, p->line, v.buf, "%s nonce bytes", at);
		} else if (p->ptype == PROTO_PAYLOAD_IDI || p->ptype == PROTO_PAYLOAD_IDR) {
			sb_reset(&v);
			sb_adds(&v, p->id_type ? p->id_type : "?");
			if (p->nvalue) {
				sb_adds(&v, " ");
				value_text(&v, p->value, p->nvalue);
			}
			fact(o, p->line, v.buf, "%s %s", at, t);
		} else if (p->ptype == PROTO_PAYLOAD_AUTH) {
			fact(o, p->line, p->auth_method ? p->auth_method : "?", "%s AUTH method",
			     at);
		} else if (p->ptype == PROTO_PAYLOAD_CERT) {
			certs++;
			if (!cert_line)
				cert_line = p->line;
		} else if (p->ptype == PROTO_PAYLOAD_CERTREQ) {
			fact(o, p->line, p->encoding ? p->encoding : "?", "%s CERTREQ", at);
		} else if (p->ptype == PROTO_PAYLOAD_CP) {
			size_t k;

			sb_reset(&v);
			sb_adds(&v, p->cfg_type ? p->cfg_type : "?");
			for (k = 0; k < p->nattrs; k++) {
				sb_adds(&v, k ? ", " : ": ");
				if (p->attrs[k].name)
					sb_adds(&v, p->attrs[k].name);
				else
					sb_addf(&v, "%u", p->attrs[k].type);
			}
			fact(o, p->line, v.buf, "%s CFG", at);
		} else if (p->ptype == PROTO_PAYLOAD_TSI || p->ptype == PROTO_PAYLOAD_TSR) {
			sb_reset(&v);
			ts_text(&v, p);
			fact(o, p->line, v.buf, "%s %s", at, t);
		} else if (p->ptype == PROTO_PAYLOAD_DELETE) {
			sb_reset(&v);
			sb_addf(&v, "%s, %u SPI%s", p->protocol ? p->protocol : "?", p->count,
				p->count == 1 ? "" : "s");
			fact(o, p->line, v.buf, "%s DELETE", at);
		} else if (p->ptype == PROTO_PAYLOAD_VENDOR) {
			if (vids.len)
				sb_adds(&vids, ", ");
			sb_adds(&vids, p->vendor ? p->vendor : "?");
			if (!vid_line)
				vid_line = p->line;
		}
		if (p->has_eap) {
			sb_reset(&v);
			sb_addf(&v, "%s id %u", p->eap_code ? p->eap_code : "?", p->eap_id);
			if (p->eap_type)
				sb_addf(&v, ", type %s", p->eap_type);
			fact(o, p->line, v.buf, "%s EAP%s", at, eap++ ? " (more)" : "");
		}
	}
	fact(o, m->first_line, chain.buf, "%s payloads", at);
	if (certs) {
		sb_reset(&v);
		sb_addf(&v, "%u", certs);
		fact(o, cert_line, v.buf, "%s CERT payloads", at);
	}
	if (notifies.len)
		fact(o, notify_line, notifies.buf, "%s notifies", at);
	if (vids.len)
		fact(o, vid_line, vids.buf, "%s vendor IDs", at);
	for (i = 0; i < m->nxml; i++) {
		const struct xml_doc *x = &m->xml[i];

		sb_reset(&v);
		sb_adds(&v, x->type ? x->type : "?");
		if (x->group_select)
			sb_addf(&v, ", group-select %s", x->group_select);
		if (x->tunnel_group)
			sb_addf(&v, ", tunnel-group %s", x->tunnel_group);
		if (x->username)
			sb_addf(&v, ", username %s", x->username);
		if (x->version)
			sb_addf(&v, ", version %s", x->version);
		if (!x->well_formed && !x->incomplete)
			sb_adds(&v, " (not well-formed)");
		fact(o, x->first_line, v.buf, "%s config-auth%s", at, i ? " (more)" : "");
	}
	sb_finish(&chain);
	sb_finish(&notifies);
	sb_finish(&vids);
	sb_finish(&xml);
	sb_finish(&v);
}

void
diff_facts_of(const struct session *s, bool strict, struct diff_facts *o)
{
	struct strbuf v;
	size_t i, k;
	char n[32];

	memset(o, 0, sizeof(*o));
	sb_init(&v);
	for (i = 0; i < s->nexch; i++) {
		const struct exchange *x = &s->exch[i];
		unsigned nth = 1;
		char at[96];

		for (k = 0; k < i; k++)
			nth += is(s->exch[k].type, x->type);
		snprintf(at, sizeof(at), "%s #%u", x->type ? x->type : "?", nth);
		if (x->request) {
			strcat(at, " request");
			message_facts(o, at, x->request, strict);
			at[strlen(at) - strlen(" request")] = '\0';
		} else {
			fact(o, 0, "not in the log", "%s request", at);
		}
		if (x->response) {
			strcat(at, " response");
			message_facts(o, at, x->response, strict);
		} else {
			fact(o, 0, "not in the log", "%s response", at);
		}
	}
	/* the states it went through, each once per stay */
	for (i = 0; i < s->nstates; i++) {
		const char *st = s->states[i].state ? s->states[i].state : "?";

		if (i && s->states[i - 1].state && !strcmp(s->states[i - 1].state, st))
			continue;
		if (i)
			sb_adds(&v, " > ");
		sb_adds(&v, st);
	}
	if (s->nstates)
		fact(o, s->states[0].line, v.buf, "state path");
	sb_reset(&v);
	for (i = 0; i < s->ntimers; i++)
		if (is(s->timers[i].what, "expired")) {
			if (v.len)
				sb_adds(&v, ", ");
			sb_adds(&v, s->timers[i].timer ? s->timers[i].timer : "?");
		}
	fact(o, 0, v.len ? v.buf : "none", "timers expired");
	for (i = 0; i < s->nchildren; i++) {
		const struct child_sa *c = &s->children[i];

		fact(o, c->line, c->transforms, "child SA #%zu transforms", i + 1);
		fact(o, c->line, c->local_sel, "child SA #%zu local selector", i + 1);
		fact(o, c->line, c->remote_sel, "child SA #%zu remote selector", i + 1);
		fact(o, c->line,
		     !c->installed ? "never installed"
		     : c->removed  ? "installed, then deleted"
				   : "installed",
		     "child SA #%zu", i + 1);
		if (strict) {
			snprintf(n, sizeof(n), "%08X/%08X", c->spi_in, c->spi_out);
			fact(o, c->line, n, "child SA #%zu SPIs in/out", i + 1);
		}
	}
	fact(o, 0, s->tunnel_group, "tunnel group");
	fact(o, 0, s->user, "user");
	fact(o, 0, s->assigned_ip, "assigned address");
	if (s->deleted) {
		sb_reset(&v);
		sb_addf(&v, "by %s%s%s", s->deleted_by ? s->deleted_by : "?",
			s->delete_reason ? ", " : "", s->delete_reason ? s->delete_reason : "");
		fact(o, s->delete_line, v.buf, "delete");
	}
	fact(o, 0, model_outcome_name(s->outcome), "outcome");
	sb_reset(&v);
	if (s->failure.cause) {
		sb_addf(&v, "%s", s->failure.exchange ? s->failure.exchange : "?");
		if (s->failure.mid_known && strict)
			sb_addf(&v, " MID %u", s->failure.mid);
		sb_addf(&v, " %s", s->failure.cause);
	}
	fact(o, s->failure.line, v.len ? v.buf : "none", "failure");
	/* what decided it, and each transform the refusing end expected otherwise */
	if (s->failure.verdict)
		fact(o, s->failure.line, s->failure.verdict, "failure verdict");
	for (i = 0; i < s->failure.nmismatch; i++) {
		const struct failure_mismatch *x = &s->failure.mismatch[i];

		sb_reset(&v);
		sb_addf(&v, "offered %s, expected %s", x->offered, x->expected);
		fact(o, x->policy_line, v.buf, "refused %s (expected policy %u)", x->type,
		     x->policy);
	}
	sb_reset(&v);
	for (i = 0; i < s->nfindings; i++) {
		bool seen = false;

		for (k = 0; k < i && !seen; k++)
			seen = !strcmp(s->findings[k].id, s->findings[i].id);
		if (seen)
			continue;
		if (v.len)
			sb_adds(&v, ", ");
		sb_adds(&v, s->findings[i].id);
	}
	fact(o, 0, v.len ? v.buf : "none", "findings");
	/* where it ran: context, not a cause */
	fact(o, 0, model_role_name(s->role), "role of this device");
	fact(o, 0, s->local, "local address");
	fact(o, 0, s->peer, "peer address");
	snprintf(n, sizeof(n), "%u", s->lport_first);
	fact(o, 0, n, "local port");
	fact(o, 0, !s->nat_known ? "not known" : s->nat_detected ? "detected" : "none", "NAT");
	if (strict) {
		snprintf(n, sizeof(n), "%u", s->pport_first);
		fact(o, 0, n, "peer port");
		session_spi_text(s->spi_i, n);
		fact(o, 0, s->has_spi_i ? n : "?", "initiator SPI");
		session_spi_text(s->spi_r, n);
		fact(o, 0, s->has_spi_r ? n : "?", "responder SPI");
		sb_reset(&v);
		for (i = 0; i < s->nsa_ids; i++)
			sb_addf(&v, "%s%u", i ? ", " : "", s->sa_ids[i]);
		fact(o, 0, v.len ? v.buf : "none", "SA numbers");
	}
	sb_finish(&v);
}

void
diff_facts_free(struct diff_facts *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->f[i].key);
		free(f->f[i].value);
	}
	free(f->f);
	memset(f, 0, sizeof(*f));
}

/* ---- the diff ---- */

static const struct diff_fact *
find(const struct diff_facts *f, const char *key, size_t *at)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (!strcmp(f->f[i].key, key)) {
			if (at)
				*at = i;
			return &f->f[i];
		}
	return NULL;
}

/* A key f does not have, or has as "not in the log" (an exchange's missing message). */
static bool
absent(const struct diff_facts *f, const char *key)
{
	const struct diff_fact *x = find(f, key, NULL);

	return !x || !strcmp(x->value, "not in the log");
}

/*
 * True if the message or child SA a key is about ("IKE_AUTH #4 request
 * AUTH method" is about "IKE_AUTH #4 request") is missing from f: the
 * difference is then said once, by that key.
 */
static bool
parent_missing(const char *key, const struct diff_facts *f)
{
	static const char *const ends[] = { " request ", " response " };
	char parent[128];
	size_t i;

	for (i = 0; i < 2; i++) {
		const char *at = strstr(key, ends[i]);

		if (at && strstr(key, " #") && strstr(key, " #") < at) {
			size_t n = (size_t)(at - key) + strlen(ends[i]) - 1;

			if (n >= sizeof(parent))
				return false;
			memcpy(parent, key, n);
			parent[n] = '\0';
			return absent(f, parent);
		}
	}
	if (!strncmp(key, "child SA #", 10)) {
		const char *sp = strchr(key + 10, ' ');

		if (sp && (size_t)(sp - key) < sizeof(parent)) {
			memcpy(parent, key, (size_t)(sp - key));
			parent[sp - key] = '\0';
			return absent(f, parent);
		}
	}
	return false;
}

struct ranked {
	struct diff_entry e;
	size_t rank;
};

static int
by_rank(const void *x, const void *y)
{
	const struct ranked *a = x, *b = y;

	return a->rank < b->rank ? -1 : a->rank > b->rank;
}

void
diff_sessions(const struct session *a, const struct session *b, bool strict, struct diff *d)
{
	struct ranked *r = NULL;
	size_t i, n = 0, cap = 0;

	memset(d, 0, sizeof(*d));
	diff_facts_of(a, strict, &d->fa);
	diff_facts_of(b, strict, &d->fb);
	/* A's facts in A's order; B's own ones after the last key both have */
	for (i = 0; i < d->fa.n + d->fb.n; i++) {
		const struct diff_fact *x, *y;
		size_t rank, at = 0;

		if (i < d->fa.n) {
			x = &d->fa.f[i];
			y = find(&d->fb, x->key, NULL);
			if (y && !strcmp(x->value, y->value))
				continue;
			if (!y && parent_missing(x->key, &d->fb))
				continue;
			rank = 2 * i;
		} else {
			size_t j = i - d->fa.n, k;

			y = &d->fb.f[j];
			if (find(&d->fa, y->key, NULL) || parent_missing(y->key, &d->fa))
				continue;
			x = NULL;
			rank = 1;
			for (k = j; k-- > 0;)
				if (find(&d->fa, d->fb.f[k].key, &at)) {
					rank = 2 * at + 1;
					break;
				}
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			r = xreallocarray(r, cap, sizeof(*r));
		}
		r[n].e.key = x ? x->key : y->key;
		r[n].e.a = x ? x->value : NULL;
		r[n].e.b = y ? y->value : NULL;
		r[n].e.line_a = x ? x->line : 0;
		r[n].e.line_b = y ? y->line : 0;
		r[n].rank = rank * 65536 + i; /* stable */
		n++;
	}
	if (n > 1)
		qsort(r, n, sizeof(*r), by_rank);
	d->e = xreallocarray(NULL, n ? n : 1, sizeof(*d->e));
	for (i = 0; i < n; i++)
		d->e[i] = r[i].e;
	d->n = d->cap = n;
	free(r);
}

void
diff_free(struct diff *d)
{
	diff_facts_free(&d->fa);
	diff_facts_free(&d->fb);
	free(d->e);
	memset(d, 0, sizeof(*d));
}

/* Context facts (where a session ran) make a poor first divergence. */
static bool
context(const char *key)
{
	static const char *const keys[] = {
		"role of this device", "local address", "peer address",  "local port",
		"peer port",           "NAT",           "initiator SPI", "responder SPI",
		"SA numbers",          "outcome",       "failure",       "findings"
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(key, keys[i]))
			return true;
	return false;
}

static void
ending(struct strbuf *out, const char *who, const struct session *s, bool why)
{
	sb_addf(out, "%s's session ", who);
	if (s->outcome == MODEL_OUTCOME_UP)
		sb_adds(out, "came up");
	else if (s->outcome == MODEL_OUTCOME_DELETED)
		sb_adds(out, "came up and was deleted");
	else if (s->outcome == MODEL_OUTCOME_INCOMPLETE)
		sb_adds(out, "is incomplete");
	else
		sb_adds(out, "failed");
	if (s->failure.cause) {
		sb_addf(out, " at %s", s->failure.exchange ? s->failure.exchange : "?");
		if (s->failure.mid_known)
			sb_addf(out, " MID %u", s->failure.mid);
		sb_addf(out, " (%s)", s->failure.cause);
		if (why && s->failure.explanation) {
			/* why, as the analysis of that log says it (what to change left out) */
			sb_adds(out, ": ");
			sb_adds(out, s->failure.explanation);
		}
	}
}

/* "IKE_AUTH #2": the exchange a session failed at, as the facts name it; false if none. */
static bool
failed_at(const struct session *s, char *buf, size_t size)
{
	size_t i, k;

	if (!s->failure.cause || !s->failure.exchange)
		return false;
	for (i = 0; i < s->nexch; i++) {
		const struct exchange *x = &s->exch[i];
		unsigned nth = 1;

		if (!is(x->type, s->failure.exchange) ||
		    (s->failure.mid_known && x->mid != s->failure.mid))
			continue;
		for (k = 0; k < i; k++)
			nth += is(s->exch[k].type, x->type);
		snprintf(buf, size, "%s #%u ", x->type, nth);
		return true;
	}
	return false;
}

/* What a request offers or asks (not who it names): a likely cause when it differs. */
static bool
offer_key(const char *key)
{
	static const char *const parts[] = { " SA proposal", " KE group", " TSi",         " TSr",
					     " AUTH method", " EAP",      " config-auth", " CFG" };
	size_t i;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (strstr(key, parts[i]))
			return true;
	return false;
}

/*
 * The decisive difference: when one session failed and the other did not,
 * what the failed exchange's request offers differently, else what its
 * response said differently (the refusal); otherwise the first difference
 * in protocol order.
 */
static const struct diff_entry *
decisive(const struct session *a, const struct session *b, const struct diff *d)
{
	const struct session *f = NULL;
	char x[96], req[128], resp[128];
	size_t i;

	if (a->failure.cause && !b->failure.cause)
		f = a;
	else if (b->failure.cause && !a->failure.cause)
		f = b;
	if (f && failed_at(f, x, sizeof(x))) {
		snprintf(req, sizeof(req), "%srequest", x);
		snprintf(resp, sizeof(resp), "%sresponse", x);
		/* no reply at all decides it */
		for (i = 0; i < d->n; i++)
			if (!strcmp(d->e[i].key, resp) &&
			    is(f == a ? d->e[i].a : d->e[i].b, "not in the log"))
				return &d->e[i];
		for (i = 0; i < d->n; i++)
			if (!strncmp(d->e[i].key, req, strlen(req)) && offer_key(d->e[i].key))
				return &d->e[i];
		for (i = 0; i < d->n; i++)
			if (!strncmp(d->e[i].key, resp, strlen(resp)))
				return &d->e[i];
	}
	for (i = 0; i < d->n; i++)
		if (!context(d->e[i].key))
			return &d->e[i];
	return d->n ? &d->e[0] : NULL;
}

/*
 * The transform type a proposal refusal names first (what the refusing end
 * expects otherwise: "D-H group"), as the facts' keys name it; NULL if the
 * failure is no such refusal.
 */
static const char *
refused_type(const struct session *s)
{
	const char *t;

	if (!is(s->failure.cause, "NO_PROPOSAL_CHOSEN") || !s->failure.nmismatch)
		return NULL;
	t = s->failure.mismatch[0].type;
	return is(t, "D-H group") ? "D-H" : t;
}

void
diff_first(const struct session *a, const struct session *b, const struct diff *d,
	   struct strbuf *out)
{
	const struct diff_entry *e = decisive(a, b, d);
	const struct session *f = a->failure.cause && !b->failure.cause   ? a
				  : b->failure.cause && !a->failure.cause ? b
									  : NULL;
	const char *named = f ? refused_type(f) : NULL;

	if (!e)
		return;
	if (named && !strstr(e->key, named)) {
		/*
		 * A refusal that names what differs from what the refusing end
		 * expects, while the offers do not differ there: its own
		 * comparison is the decisive difference.
		 */
		const char *x = f->failure.explanation ? f->failure.explanation : "";

		sb_addf(out, "%s's %s refused what %s's accepted: ", f == a ? "A" : "B",
			f->role == MODEL_ROLE_INITIATOR ? "peer" : "end", f == a ? "B" : "A");
		sb_adds(out, x);
		sb_adds(out, "; ");
		ending(out, "A", a, false);
		sb_adds(out, ", ");
		ending(out, "B", b, false);
		sb_adds(out, ". The offers differ elsewhere: ");
		if (e->a && e->b)
			sb_addf(out, "B's %s is %s where A's is %s", e->key,
				e->b[0] ? e->b : "empty", e->a[0] ? e->a : "empty");
		else
			sb_addf(out, "%s's %s is %s; %s has none", e->a ? "A" : "B", e->key,
				e->a ? e->a : e->b, e->a ? "B" : "A");
		return;
	}
	if (e->a && e->b)
		sb_addf(out, "B's %s is %s where A's is %s", e->key, e->b[0] ? e->b : "empty",
			e->a[0] ? e->a : "empty");
	else if (e->a)
		sb_addf(out, "A's %s is %s; B has none", e->key, e->a[0] ? e->a : "empty");
	else
		sb_addf(out, "B's %s is %s; A has none", e->key, e->b[0] ? e->b : "empty");
	sb_adds(out, "; ");
	if (a->outcome == b->outcome && !a->failure.cause && !b->failure.cause) {
		sb_addf(out, "both sessions %s", model_outcome_name(a->outcome));
		return;
	}
	ending(out, "A", a, true);
	sb_adds(out, ", ");
	ending(out, "B", b, true);
}

/* ---- both ends of one negotiation ---- */

bool
diff_same_negotiation(const struct session *a, const struct session *b)
{
	bool roles = (a->role == MODEL_ROLE_INITIATOR && b->role == MODEL_ROLE_RESPONDER) ||
		     (a->role == MODEL_ROLE_RESPONDER && b->role == MODEL_ROLE_INITIATOR);

	if (!roles)
		return false;
	if (a->has_spi_i && b->has_spi_i)
		return a->spi_i == b->spi_i && (!a->has_spi_r || !b->has_spi_r || !a->spi_r ||
						!b->spi_r || a->spi_r == b->spi_r);
	/*
	 * A log that prints no IKE SPIs (strongSwan at its default level): the
	 * same two endpoints, each end's own address the other's peer.
	 */
	return a->local && a->peer && b->local && b->peer && !strcmp(a->local, b->peer) &&
	       !strcmp(a->peer, b->local);
}

static void
add_row(struct ends *e, const struct message *i, const struct message *r)
{
	const struct message *m = i ? i : r;

	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 16;
		e->rows = xreallocarray(e->rows, e->cap, sizeof(*e->rows));
	}
	e->rows[e->n].exchange = m->exchange;
	e->rows[e->n].mid = m->mid;
	e->rows[e->n].response = m->response;
	e->rows[e->n].i = i;
	e->rows[e->n].r = r;
	e->n++;
}

/* The message of s that is m's other end: same exchange, MID and kind, other direction. */
static const struct message *
counterpart(const struct session *s, const struct message *m, const bool *taken)
{
	size_t k;

	for (k = 0; k < s->nmsgs; k++) {
		const struct message *x = s->msgs[k];

		if (taken[k] || x->dir == m->dir || x->dir == MODEL_DIR_UNKNOWN)
			continue;
		if (x->mid_known && m->mid_known && x->mid == m->mid &&
		    is(x->exchange, m->exchange) && x->response_known && m->response_known &&
		    x->response == m->response)
			return x;
	}
	return NULL;
}

void
diff_ends(const struct session *i, const struct session *r, struct ends *e)
{
	bool *taken = xcalloc(r->nmsgs ? r->nmsgs : 1, sizeof(*taken));
	size_t k, j;

	memset(e, 0, sizeof(*e));
	e->i = i;
	e->r = r;
	for (k = 0; k < i->nmsgs; k++) {
		const struct message *m = i->msgs[k], *c = counterpart(r, m, taken);

		if (c)
			for (j = 0; j < r->nmsgs; j++)
				if (r->msgs[j] == c)
					taken[j] = true;
		add_row(e, m, c);
	}
	/* what only the responder's log has, after the row it follows */
	for (j = 0; j < r->nmsgs; j++) {
		size_t at, q;

		if (taken[j])
			continue;
		add_row(e, NULL, r->msgs[j]);
		/* move it after the last row whose responder message comes before it */
		for (at = e->n - 1; at > 0; at--) {
			const struct message *prev = e->rows[at - 1].r;

			if (prev && prev->first_line < r->msgs[j]->first_line)
				break;
			if (!prev && at - 1 == 0)
				break;
		}
		if (at < e->n - 1) {
			struct ends_row row = e->rows[e->n - 1];

			for (q = e->n - 1; q > at; q--)
				e->rows[q] = e->rows[q - 1];
			e->rows[at] = row;
		}
	}
	free(taken);
}

void
ends_free(struct ends *e)
{
	free(e->rows);
	free(e->notes);
	memset(e, 0, sizeof(*e));
}

static void
note(struct ends *e, enum ends_note_kind kind, size_t row, const struct session *copy)
{
	e->notes = xreallocarray(e->notes, e->nnotes + 1, sizeof(*e->notes));
	e->notes[e->nnotes].kind = kind;
	e->notes[e->nnotes].row = row;
	e->notes[e->nnotes].copy = copy;
	e->nnotes++;
}

/* The message of s whose lines hold its failure line. */
static const struct message *
failure_message(const struct session *s)
{
	size_t k;

	for (k = 0; s->failure.cause && k < s->nmsgs; k++)
		if (s->failure.line >= s->msgs[k]->first_line &&
		    s->failure.line <= s->msgs[k]->last_line)
			return s->msgs[k];
	return NULL;
}

void
diff_ends_check(struct ends *e, struct session *const *others, size_t nothers)
{
	const struct message *mi, *mr;
	size_t k;

	e->nnotes = 0;
	for (k = 0; k < e->n; k++) {
		const struct ends_row *row = &e->rows[k];

		if (!row->i || !row->r)
			note(e, ENDS_NOTE_UNSEEN, k, NULL);
		else if (row->i->retransmits != row->r->retransmits)
			note(e, ENDS_NOTE_RETRANSMITS, k, NULL);
	}
	/* the same IKE_SA_INIT handled as new SAs by the responder */
	for (k = 0; k < nothers; k++) {
		const struct session *o = others[k];

		if (o != e->r && o->has_spi_i && o->spi_i == e->i->spi_i && o->role == e->r->role &&
		    o->role != e->i->role)
			note(e, ENDS_NOTE_COPY, 0, o);
	}
	/* addresses and ports as each end saw them */
	if (e->i->local && e->r->peer &&
	    (strcmp(e->i->local, e->r->peer) ||
	     (e->i->lport_first && e->r->pport_first && e->i->lport_first != e->r->pport_first)))
		note(e, ENDS_NOTE_NAT_SOURCE, 0, NULL);
	if (e->r->local && e->i->peer && strcmp(e->r->local, e->i->peer))
		note(e, ENDS_NOTE_NAT_DEST, 0, NULL);
	/* who decided the failure: the end whose log has the refusal it sent */
	mi = failure_message(e->i);
	mr = failure_message(e->r);
	if (mr && mr->dir == MODEL_DIR_OUT)
		e->decided = ENDS_BY_RESPONDER;
	else if (mi && mi->dir == MODEL_DIR_OUT)
		e->decided = ENDS_BY_INITIATOR;
	/* a log that shows the refusal received, the other's that it refused without the notify */
	else if (mi && mi->dir == MODEL_DIR_IN && e->r->failure.cause)
		e->decided = ENDS_BY_RESPONDER;
	else if (mr && mr->dir == MODEL_DIR_IN && e->i->failure.cause)
		e->decided = ENDS_BY_INITIATOR;
	else if (e->r->failure.cause && !e->i->failure.cause)
		e->decided = ENDS_BY_RESPONDER;
	else if (e->i->failure.cause && !e->r->failure.cause)
		e->decided = ENDS_BY_INITIATOR;
	else if (e->i->failure.cause || e->r->failure.cause)
		e->decided = ENDS_BY_NEITHER_LOG;
	else
		e->decided = ENDS_NO_FAILURE;
	e->problems = (unsigned)e->nnotes + (e->decided != ENDS_NO_FAILURE);
}

void
diff_pair_ends(struct session *const *a, size_t na, struct session *const *b, size_t nb,
	       struct ends_pairing *out)
{
	bool *paired_b = xcalloc(nb ? nb : 1, sizeof(*paired_b));
	size_t i, j;

	memset(out, 0, sizeof(*out));
	out->items = xcalloc(na ? na : 1, sizeof(*out->items));
	out->n = na;
	for (i = 0; i < na; i++) {
		struct ends_item *it = &out->items[i];

		it->a = a[i];
		for (j = 0; j < nb && !it->paired; j++) {
			bool a_init = a[i]->role == MODEL_ROLE_INITIATOR;

			if (paired_b[j] || !diff_same_negotiation(a[i], b[j]))
				continue;
			it->paired = paired_b[j] = true;
			it->a_initiates = a_init;
			it->nth = ++out->negotiations;
			diff_ends(a_init ? a[i] : b[j], a_init ? b[j] : a[i], &it->e);
			if (a_init)
				diff_ends_check(&it->e, b, nb);
			else
				diff_ends_check(&it->e, a, na);
			out->problems += it->e.problems;
		}
		if (!it->paired)
			out->problems++;
	}
	out->alone_b = xcalloc(nb ? nb : 1, sizeof(*out->alone_b));
	for (j = 0; j < nb; j++) {
		bool copy = false;

		if (paired_b[j])
			continue;
		/* a copy already reported with its negotiation */
		for (i = 0; i < na && !copy; i++)
			copy = a[i]->has_spi_i && b[j]->has_spi_i && a[i]->spi_i == b[j]->spi_i;
		if (copy)
			continue;
		out->alone_b[out->nalone_b++] = b[j];
		out->problems++;
	}
	free(paired_b);
}

void
ends_pairing_free(struct ends_pairing *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->items[i].paired)
			ends_free(&p->items[i].e);
	free(p->items);
	free(p->alone_b);
	memset(p, 0, sizeof(*p));
}

enum client_decided
diff_client(const struct session *c, const struct session *d, const struct client_event **error)
{
	size_t k;

	*error = NULL;
	for (k = 0; k < c->nclient && !*error; k++)
		if (model_client_error(c->client[k].kind))
			*error = &c->client[k];
	if (d->failure.cause)
		return CLIENT_BY_HEAD_END;
	return *error ? CLIENT_BY_CLIENT : CLIENT_AGREE;
}
