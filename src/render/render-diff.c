/* The diff of two sessions, both ends of a negotiation, a client joined to its head end: as text and JSON. */
#include "ikescope/render.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/diff.h"
#include "ikescope/util/escape.h"
#include "ikescope/util/strbuf.h"

static void
esc(struct strbuf *out, const char *p)
{
	escape_append(out, p, strlen(p));
}

/* A JSON document, indented or on one line, into out; o is freed. */
static void
put_document(struct strbuf *out, json_t *o, bool compact)
{
	char *dump = json_dumps(o, (compact ? JSON_COMPACT : JSON_INDENT(2)) | JSON_PRESERVE_ORDER |
					   JSON_ENSURE_ASCII);

	if (dump) {
		sb_adds(out, dump);
		sb_addc(out, '\n');
	}
	free(dump);
	json_decref(o);
}

static void
side_line(struct strbuf *out, const char *who, const struct diff_side *sd)
{
	const struct session *s = sd->s;

	sb_addf(out, "%s  ", who);
	esc(out, sd->arg);
	sb_addf(out, "  session %u of %u  %s  %s", s->number, sd->nsessions,
		model_role_name(s->role), model_outcome_name(s->outcome));
	if (s->failure.cause) {
		sb_addf(out, " at %s", s->failure.exchange ? s->failure.exchange : "?");
		if (s->failure.mid_known)
			sb_addf(out, " MID %u", s->failure.mid);
		sb_adds(out, " ");
		esc(out, s->failure.cause);
	}
	sb_addf(out, "  L%u-L%u\n", s->first_line, s->last_line);
}

/* The group a key belongs to: its exchange ("IKE_AUTH #2"), else the session. */
static size_t
group_len(const char *key)
{
	const char *hash = strstr(key, " #");
	const char *sp;

	if (!hash || !strncmp(key, "child SA", 8))
		return 0;
	sp = strchr(hash + 2, ' ');
	return sp ? (size_t)(sp - key) : strlen(key);
}

static void
value(struct strbuf *out, const char *who, const char *v, uint32_t line)
{
	sb_addf(out, "    %s  ", who);
	if (!v)
		sb_adds(out, "(none)");
	else if (!*v)
		sb_adds(out, "(empty)");
	else
		esc(out, v);
	if (line)
		sb_addf(out, "  L%u", line);
	sb_addc(out, '\n');
}

/* Where two state paths ("IDLE > R_INIT > ...") part. */
static void
parting(struct strbuf *out, const char *a, const char *b)
{
	const char *last = NULL;
	size_t i = 0, last_len = 0;

	for (;;) {
		size_t na = strcspn(a + i, " "), nb = strcspn(b + i, " ");

		if (na != nb || strncmp(a + i, b + i, na))
			break;
		last = a + i;
		last_len = na;
		i += na;
		if (strncmp(a + i, " > ", 3) || strncmp(b + i, " > ", 3))
			break;
		i += 3;
	}
	sb_adds(out, "    the paths part after ");
	if (last)
		sb_add(out, last, last_len);
	else
		sb_adds(out, "their start");
	if (last) {
		/* where each goes next */
		const char *na = a + i, *nb = b + i;

		if (!strncmp(na, " > ", 3))
			na += 3;
		if (!strncmp(nb, " > ", 3))
			nb += 3;
		sb_adds(out, ": A goes to ");
		sb_add(out, na, *na ? strcspn(na, " ") : 0);
		if (!*na)
			sb_adds(out, "no other state");
		sb_adds(out, ", B to ");
		sb_add(out, nb, *nb ? strcspn(nb, " ") : 0);
		if (!*nb)
			sb_adds(out, "no other state");
	}
	sb_addc(out, '\n');
}

void
render_diff_text(struct strbuf *out, const struct diff_side *a, const struct diff_side *b,
		 const struct diff *d)
{
	const char *group = NULL;
	size_t glen = 0, i, pass;

	side_line(out, "A", a);
	side_line(out, "B", b);
	if (!d->n) {
		sb_adds(out, "\nno difference\n");
		return;
	}
	sb_adds(out, "\nfirst difference: ");
	{
		struct strbuf f;

		sb_init(&f);
		diff_first(a->s, b->s, d, &f);
		esc(out, f.buf ? f.buf : "");
		sb_finish(&f);
	}
	sb_addc(out, '\n');
	/* exchanges first, in order, then the session */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < d->n; i++) {
			const struct diff_entry *e = &d->e[i];
			size_t gl = group_len(e->key);

			if ((pass == 0) != (gl > 0))
				continue;
			if (!group || gl != glen || strncmp(group, e->key, gl) || (!gl && pass)) {
				if (!(pass == 1 && group && !glen)) {
					sb_addc(out, '\n');
					if (gl)
						sb_add(out, e->key, gl);
					else
						sb_adds(out, "session");
					sb_addc(out, '\n');
				}
				group = e->key;
				glen = gl;
			}
			sb_adds(out, "  ");
			esc(out, gl ? e->key + gl + (e->key[gl] == ' ') : e->key);
			sb_addc(out, '\n');
			value(out, "A", e->a, e->line_a);
			value(out, "B", e->b, e->line_b);
			if (!strcmp(e->key, "state path") && e->a && e->b)
				parting(out, e->a, e->b);
		}
	sb_addf(out, "\n%zu difference%s\n", d->n, d->n == 1 ? "" : "s");
}

static json_t *
jside(const struct diff_side *sd)
{
	const struct session *s = sd->s;
	json_t *o = json_object();

	json_object_set_new(o, "input", json_string(sd->path));
	json_object_set_new(o, "selector", sd->sel ? json_string(sd->sel) : json_null());
	json_object_set_new(o, "session", json_integer(s->number));
	json_object_set_new(o, "sessions", json_integer(sd->nsessions));
	json_object_set_new(o, "role", json_string(model_role_name(s->role)));
	json_object_set_new(o, "outcome", json_string(model_outcome_name(s->outcome)));
	json_object_set_new(o, "failure_cause",
			    s->failure.cause ? json_string(s->failure.cause) : json_null());
	json_object_set_new(o, "first_line", json_integer(s->first_line));
	json_object_set_new(o, "last_line", json_integer(s->last_line));
	return o;
}

static json_t *
jstr(const char *v)
{
	return v ? json_string(v) : json_null();
}

void
render_diff_json(struct strbuf *out, const struct diff_side *a, const struct diff_side *b,
		 const struct diff *d, bool compact)
{
	json_t *o = json_object(), *arr = json_array();
	struct strbuf f;
	size_t i;

	sb_init(&f);
	diff_first(a->s, b->s, d, &f);
	json_object_set_new(o, "schema", json_integer(1));
	json_object_set_new(o, "a", jside(a));
	json_object_set_new(o, "b", jside(b));
	json_object_set_new(o, "equal", json_boolean(d->n == 0));
	json_object_set_new(o, "first_difference", d->n ? jstr(f.buf) : json_null());
	for (i = 0; i < d->n; i++) {
		const struct diff_entry *e = &d->e[i];
		json_t *x = json_object();

		json_object_set_new(x, "key", json_string(e->key));
		json_object_set_new(x, "a", jstr(e->a));
		json_object_set_new(x, "b", jstr(e->b));
		json_object_set_new(x, "line_a", e->line_a ? json_integer(e->line_a) : json_null());
		json_object_set_new(x, "line_b", e->line_b ? json_integer(e->line_b) : json_null());
		json_array_append_new(arr, x);
	}
	json_object_set_new(o, "differences", arr);
	put_document(out, o, compact);
	sb_finish(&f);
}

/* Where a message is in its log: "sent L39-L104 (7 times)", or why it is not. */
static void
end_cell(struct strbuf *out, const struct message *m, bool has_session)
{
	if (!m) {
		sb_adds(out, has_session ? "not in this log" : "-");
		return;
	}
	sb_addf(out, "%s L%u-L%u", m->dir == MODEL_DIR_OUT ? "sent" : "received", m->first_line,
		m->last_line);
	if (m->retransmits)
		sb_addf(out, " (%u times)", m->retransmits + 1);
}

static void
addr(struct strbuf *out, const char *a, unsigned port)
{
	esc(out, a ? a : "?");
	if (port)
		sb_addf(out, ":%u", port);
}

/* A "!!" line: in the text, and in the JSON flags when there are any. */
static void
flag(struct strbuf *out, json_t *jflags, const char *indent, struct strbuf *t)
{
	sb_adds(out, indent);
	sb_adds(out, "!! ");
	sb_add(out, t->buf ? t->buf : "", t->len);
	sb_addc(out, '\n');
	if (jflags)
		json_array_append_new(jflags, json_string(t->buf ? t->buf : ""));
	sb_reset(t);
}

static json_t *
jend(const struct message *m)
{
	json_t *o;

	if (!m)
		return json_null();
	o = json_object();
	json_object_set_new(o, "direction",
			    json_string(m->dir == MODEL_DIR_OUT ? "sent" : "received"));
	json_object_set_new(o, "first_line", json_integer(m->first_line));
	json_object_set_new(o, "last_line", json_integer(m->last_line));
	json_object_set_new(o, "times", json_integer(m->retransmits + 1));
	return o;
}

static json_t *
jsession(const char *who, const struct session *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "input", json_string(who));
	json_object_set_new(o, "session", json_integer(s->number));
	json_object_set_new(o, "first_line", json_integer(s->first_line));
	json_object_set_new(o, "last_line", json_integer(s->last_line));
	json_object_set_new(o, "outcome", json_string(model_outcome_name(s->outcome)));
	return o;
}

/* The sentence of a note, into t. */
static void
note_text(struct strbuf *t, const struct ends *e, const struct ends_note *n)
{
	const struct ends_row *row = &e->rows[n->row];
	char spi[17];

	switch (n->kind) {
	case ENDS_NOTE_UNSEEN: {
		const struct message *m = row->i ? row->i : row->r;

		if (m->dir == MODEL_DIR_OUT)
			sb_addf(t,
				"the %s sent it; the %s's log never shows it (lost on the "
				"way, or dropped before it was logged)",
				row->i ? "initiator" : "responder",
				row->i ? "responder" : "initiator");
		else
			sb_addf(t,
				"the %s received it, but the %s's log does not show it "
				"sent "
				"(lines missing from that log)",
				row->i ? "initiator" : "responder",
				row->i ? "responder" : "initiator");
		break;
	}
	case ENDS_NOTE_RETRANSMITS: {
		const struct message *s = row->i->dir == MODEL_DIR_OUT ? row->i : row->r;
		const struct message *o = s == row->i ? row->r : row->i;

		sb_addf(t,
			"%s MID %u: the %s sent it %u times; the %s logged it %u time%s: "
			"copies were lost on the way",
			row->exchange ? row->exchange : "?", row->mid,
			s == row->i ? "initiator" : "responder", s->retransmits + 1,
			s == row->i ? "responder" : "initiator", o->retransmits + 1,
			o->retransmits ? "s" : "");
		break;
	}
	case ENDS_NOTE_COPY:
		session_spi_text(n->copy->spi_r, spi);
		sb_addf(t,
			"the responder also handled a copy of this IKE_SA_INIT as a new SA "
			"(session %u, R_SPI %s, L%u): a retransmission it did not "
			"recognize",
			n->copy->number, spi, n->copy->first_line);
		break;
	case ENDS_NOTE_NAT_SOURCE:
		sb_adds(t, "rewritten on the way (NAT): the initiator sent from ");
		addr(t, e->i->local, e->i->lport_first);
		sb_adds(t, ", the responder saw ");
		addr(t, e->r->peer, e->r->pport_first);
		break;
	case ENDS_NOTE_NAT_DEST:
		sb_adds(t, "rewritten on the way (NAT): the initiator sent to ");
		addr(t, e->i->peer, e->i->pport_first);
		sb_adds(t, ", the responder is ");
		addr(t, e->r->local, e->r->lport_first);
		break;
	}
}

/*
 * One negotiation: the ladder, then what only one side saw and who decided
 * (text into out; the same as data into jn when it is not NULL).
 */
static void
ends_one(struct strbuf *out, json_t *jn, const struct ends *e, const char *ia, const char *ra,
	 unsigned nth)
{
	json_t *jrows = jn ? json_array() : NULL, *jflags = jn ? json_array() : NULL;
	struct strbuf t;
	char spi[17];
	size_t k, q;

	sb_init(&t);
	session_spi_text(e->i->spi_i, spi);
	sb_addf(out, "\nnegotiation %u  I_SPI %s", nth, spi);
	if (jn)
		json_object_set_new(jn, "initiator_spi", json_string(spi));
	if (e->i->has_spi_r || e->r->has_spi_r) {
		session_spi_text(e->r->has_spi_r ? e->r->spi_r : e->i->spi_r, spi);
		sb_addf(out, "  R_SPI %s", spi);
		if (jn)
			json_object_set_new(jn, "responder_spi", json_string(spi));
	}
	sb_adds(out, "\n");
	sb_addf(out, "  initiator  %s session %u  L%u-L%u  %s\n", ia, e->i->number,
		e->i->first_line, e->i->last_line, model_outcome_name(e->i->outcome));
	sb_addf(out, "  responder  %s session %u  L%u-L%u  %s\n", ra, e->r->number,
		e->r->first_line, e->r->last_line, model_outcome_name(e->r->outcome));
	if (jn) {
		json_object_set_new(jn, "initiator", jsession(ia, e->i));
		json_object_set_new(jn, "responder", jsession(ra, e->r));
	}
	sb_addf(out, "  %-28s %-34s %s\n", "", "initiator", "responder");
	for (k = 0; k < e->n; k++) {
		const struct ends_row *row = &e->rows[k];
		struct strbuf a, b;
		char what[64];

		sb_init(&a);
		sb_init(&b);
		snprintf(what, sizeof(what), "%s MID %u %s", row->exchange ? row->exchange : "?",
			 row->mid, row->response ? "response" : "request");
		end_cell(&a, row->i, true);
		end_cell(&b, row->r, true);
		sb_addf(out, "  %-28s %-34s %s\n", what, a.buf, b.buf);
		sb_finish(&a);
		sb_finish(&b);
		if (jrows) {
			json_t *x = json_object();

			json_object_set_new(x, "exchange",
					    row->exchange ? json_string(row->exchange)
							  : json_null());
			json_object_set_new(x, "message_id", json_integer(row->mid));
			json_object_set_new(x, "kind",
					    json_string(row->response ? "response" : "request"));
			json_object_set_new(x, "initiator", jend(row->i));
			json_object_set_new(x, "responder", jend(row->r));
			json_array_append_new(jrows, x);
		}
		/* what is flagged of this message, under it */
		for (q = 0; q < e->nnotes; q++)
			if ((e->notes[q].kind == ENDS_NOTE_UNSEEN ||
			     e->notes[q].kind == ENDS_NOTE_RETRANSMITS) &&
			    e->notes[q].row == k) {
				note_text(&t, e, &e->notes[q]);
				flag(out, jflags, "    ", &t);
			}
	}
	for (q = 0; q < e->nnotes; q++)
		if (e->notes[q].kind != ENDS_NOTE_UNSEEN &&
		    e->notes[q].kind != ENDS_NOTE_RETRANSMITS) {
			note_text(&t, e, &e->notes[q]);
			flag(out, jflags, "  ", &t);
		}
	if (e->decided == ENDS_BY_INITIATOR || e->decided == ENDS_BY_RESPONDER) {
		const struct session *who = e->decided == ENDS_BY_INITIATOR ? e->i : e->r;
		const char *x = who->failure.explanation;

		sb_addf(out, "  decided by the %s: %s", who == e->i ? "initiator" : "responder",
			who->failure.cause);
		if (who->failure.exchange)
			sb_addf(out, " in %s", who->failure.exchange);
		if (who->failure.mid_known)
			sb_addf(out, " MID %u", who->failure.mid);
		sb_addf(out, " (L%u of its log)", who->failure.line);
		if (x) {
			sb_adds(out, ": ");
			escape_append(out, x, strlen(x));
		}
		sb_addc(out, '\n');
		if (jn) {
			json_t *d = json_object();

			json_object_set_new(d, "by",
					    json_string(who == e->i ? "initiator" : "responder"));
			json_object_set_new(d, "cause", json_string(who->failure.cause));
			json_object_set_new(d, "line", json_integer(who->failure.line));
			json_object_set_new(d, "explanation", x ? json_string(x) : json_null());
			json_object_set_new(jn, "decided", d);
		}
	} else {
		if (e->decided == ENDS_BY_NEITHER_LOG)
			sb_adds(out, "  neither log shows which end refused\n");
		else
			sb_adds(out, e->problems
					     ? "  no failure; the ends differ as flagged above\n"
					     : "  both ends agree\n");
		if (jn)
			json_object_set_new(jn, "decided", json_null());
	}
	if (jn) {
		json_object_set_new(jn, "messages", jrows);
		json_object_set_new(jn, "flags", jflags);
		json_object_set_new(jn, "agree", json_boolean(e->problems == 0));
	}
	sb_finish(&t);
}

static json_t *
jalone_item(const char *who, const struct session *s)
{
	json_t *o = jsession(who, s);
	char spi[17];

	session_spi_text(s->spi_i, spi);
	json_object_set_new(o, "initiator_spi", json_string(spi));
	return o;
}

static void
ends_document(struct strbuf *out, json_t *jdoc, const char *a_arg, size_t na, const char *b_arg,
	      size_t nb, const struct ends_pairing *p)
{
	json_t *jneg = jdoc ? json_array() : NULL, *jalone = jdoc ? json_array() : NULL;
	size_t i;

	sb_adds(out, "ends  A ");
	esc(out, a_arg);
	sb_addf(out, " (%zu session%s)  B ", na, na == 1 ? "" : "s");
	esc(out, b_arg);
	sb_addf(out, " (%zu session%s)\n", nb, nb == 1 ? "" : "s");
	for (i = 0; i < p->n; i++) {
		const struct ends_item *it = &p->items[i];

		if (it->paired) {
			json_t *jn = jdoc ? json_object() : NULL;

			ends_one(out, jn, &it->e, it->a_initiates ? "A" : "B",
				 it->a_initiates ? "B" : "A", it->nth);
			if (jn)
				json_array_append_new(jneg, jn);
		} else {
			char spi[17];

			session_spi_text(it->a->spi_i, spi);
			sb_addf(out, "\nA session %u (I_SPI %s, L%u-L%u): no other end in B\n",
				it->a->number, spi, it->a->first_line, it->a->last_line);
			if (jalone)
				json_array_append_new(jalone, jalone_item("A", it->a));
		}
	}
	for (i = 0; i < p->nalone_b; i++) {
		const struct session *s = p->alone_b[i];
		char spi[17];

		session_spi_text(s->spi_i, spi);
		sb_addf(out, "\nB session %u (I_SPI %s, L%u-L%u): no other end in A\n", s->number,
			spi, s->first_line, s->last_line);
		if (jalone)
			json_array_append_new(jalone, jalone_item("B", s));
	}
	if (jdoc) {
		json_object_set_new(jdoc, "schema", json_integer(1));
		json_object_set_new(jdoc, "a", json_string(a_arg));
		json_object_set_new(jdoc, "b", json_string(b_arg));
		json_object_set_new(jdoc, "agree", json_boolean(p->problems == 0));
		json_object_set_new(jdoc, "negotiations", jneg);
		json_object_set_new(jdoc, "without_other_end", jalone);
	}
}

void
render_ends_text(struct strbuf *out, const char *a_arg, size_t na, const char *b_arg, size_t nb,
		 const struct ends_pairing *p)
{
	ends_document(out, NULL, a_arg, na, b_arg, nb, p);
}

void
render_ends_json(struct strbuf *out, const char *a_arg, size_t na, const char *b_arg, size_t nb,
		 const struct ends_pairing *p, bool compact)
{
	json_t *jdoc = json_object();
	struct strbuf scratch;

	/* the text is made and thrown away: the document says the same */
	sb_init(&scratch);
	ends_document(&scratch, jdoc, a_arg, na, b_arg, nb, p);
	sb_finish(&scratch);
	put_document(out, jdoc, compact);
}

/*
 * A client's DART session and the head end's session of the same connection
 * (recon_client_matches): the client's events, the head end's exchanges, and
 * which end decided.
 */
void
render_client_join(struct strbuf *out, const char *cw, const struct session *c, const char *dw,
		   const struct session *d)
{
	const struct client_event *error;
	enum client_decided who = diff_client(c, d, &error);
	size_t k;

	sb_adds(out, "the client log and the head end's log of one connection (same client "
		     "address and IKE ports): joined\n");
	sb_addf(out, "client    %s session %u  L%u-L%u  %s", cw, c->number, c->first_line,
		c->last_line, model_outcome_name(c->outcome));
	if (c->client_profile) {
		sb_adds(out, "  connection ");
		esc(out, c->client_profile);
	}
	sb_addc(out, '\n');
	sb_addf(out, "head end  %s session %u  L%u-L%u  %s", dw, d->number, d->first_line,
		d->last_line, model_outcome_name(d->outcome));
	if (d->failure.cause) {
		sb_addf(out, " at %s", d->failure.exchange ? d->failure.exchange : "?");
		if (d->failure.mid_known)
			sb_addf(out, " MID %u", d->failure.mid);
		sb_adds(out, " ");
		esc(out, d->failure.cause);
	}
	sb_addc(out, '\n');
	sb_adds(out, "\nwhat the client saw\n");
	for (k = 0; k < c->nclient; k++) {
		const struct client_event *ev = &c->client[k];

		sb_addf(out, "  %-9s %-18s L%-5u ", ev->time ? ev->time : "",
			ev->kind ? ev->kind : "-", ev->first_line);
		esc(out, ev->text ? ev->text : "");
		sb_addc(out, '\n');
	}
	sb_adds(out, "\nwhat the head end did\n");
	for (k = 0; k < d->nexch; k++) {
		const struct exchange *x = &d->exch[k];

		sb_addf(out, "  %-14s MID %-3u", x->type ? x->type : "?", x->mid);
		if (x->request)
			sb_addf(out, "  request %s L%u",
				x->request->dir == MODEL_DIR_IN ? "received" : "sent",
				x->request->first_line);
		if (x->response)
			sb_addf(out, "  response %s L%u",
				x->response->dir == MODEL_DIR_OUT ? "sent" : "received",
				x->response->first_line);
		else
			sb_adds(out, "  no response");
		sb_addc(out, '\n');
	}
	sb_addc(out, '\n');
	if (who == CLIENT_BY_HEAD_END) {
		const char *x = d->failure.explanation;

		sb_adds(out, "decided by the head end: ");
		esc(out, d->failure.cause);
		if (x) {
			sb_adds(out, ": ");
			escape_append(out, x, strlen(x));
		}
		sb_addc(out, '\n');
	} else if (who == CLIENT_BY_CLIENT) {
		sb_adds(out, "decided by the client: the head end's session is ");
		sb_adds(out, model_outcome_name(d->outcome));
		sb_adds(out, ", yet the client reported an error\n");
	} else {
		sb_adds(out, "both ends agree\n");
	}
	if (error) {
		sb_adds(out, "the client reported: ");
		esc(out, error->text ? error->text : "");
		sb_addc(out, '\n');
	}
}
