#include "ikescope/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/grammar.h"
#include "ikescope/lexer.h"
#include "ikescope/model.h"
#include "ikescope/util/jsonw.h"

/* Text of the log, masked unless secrets are shown (the lexer made it valid UTF-8). */
static void
safe_string(struct jw *w, const struct grammar *g, const struct render_opts *o, const char *s,
	    size_t n)
{
	struct strbuf masked;

	if (o->show_secrets || !g) {
		jw_strn_nocheck(w, s, n);
		return;
	}
	sb_init(&masked);
	grammar_mask(g, s, n, &masked);
	jw_strn_nocheck(w, masked.buf ? masked.buf : "", masked.len);
	sb_finish(&masked);
}

static void
typed_value(struct jw *w, const struct grammar *g, const struct render_opts *o,
	    const struct gram_value *v)
{
	char buf[32];
	char *end;
	unsigned long long n;

	switch (gram_field_type(v->field)) {
	case GRAM_TYPE_UINT:
	case GRAM_TYPE_HEX:
		if (v->len == 0 || v->len >= sizeof(buf))
			break;
		memcpy(buf, v->p, v->len);
		buf[v->len] = '\0';
		n = strtoull(buf, &end, gram_field_type(v->field) == GRAM_TYPE_HEX ? 16 : 10);
		if (*end || n > (1ull << 53))
			break;
		jw_int(w, (long long)n);
		return;
	case GRAM_TYPE_SPI: {
		struct strbuf sb;

		sb_init(&sb);
		render_field_value(&sb, g, o, v);
		jw_strn(w, sb.buf ? sb.buf : "", sb.len);
		sb_finish(&sb);
		return;
	}
	default:
		break;
	}
	safe_string(w, g, o, v->p, v->len);
}

void
render_json_record(struct strbuf *out, const struct grammar *g, const struct render_opts *o,
		   const struct lex_record *rec, const struct gram_match *m, bool ike)
{
	struct jw jw, *w = &jw;
	size_t i;

	jw_init(w, out, 0, 0);
	jw_object(w);
	jw_key(w, "input");
	jw_strn_nocheck(w, rec->input, strlen(rec->input));
	jw_kint(w, "line", rec->first_line);
	jw_kint(w, "last_line", rec->last_line);
	jw_kint(w, "offset", (long long)rec->offset);
	if (rec->flags & LEX_REC_NOISE) {
		jw_kstr(w, "noise", rec->kind ? rec->kind : "?");
	} else if (m) {
		uint64_t seen[(GRAM_FIELD_COUNT + 63) / 64] = { 0 };

		jw_kstr(w, "family", gram_family_name(m->family));
		jw_kstr(w, "rule", m->rule);
		if (m->dialects) {
			/* the dialects the rule is of; none: common to all */
			jw_key(w, "dialects");
			jw_array(w);
			for (i = 0; i < GRAM_DIALECT_COUNT; i++)
				if (m->dialects & (1u << i))
					jw_str(w, gram_dialect_name((enum gram_dialect)i));
			jw_end(w);
		}
		jw_key(w, "fields");
		jw_object(w);
		for (i = 0; i < m->nvalues; i++) {
			const struct gram_value *v = &m->values[i];
			unsigned f = (unsigned)v->field;

			/* the first value of a field is the one shown */
			if (seen[f / 64] >> (f % 64) & 1)
				continue;
			seen[f / 64] |= 1ull << (f % 64);
			jw_key(w, gram_field_name(v->field));
			/* a value inside a secret of the record (a mask needs its context) */
			if (!o->show_secrets && g && v->p >= rec->text &&
			    v->p + v->len <= rec->text + rec->len &&
			    grammar_masks_span(g, rec->text, rec->len, (size_t)(v->p - rec->text),
					       v->len)) {
				jw_str(w, "********");
				continue;
			}
			typed_value(w, g, o, v);
		}
		jw_end(w);
	} else {
		jw_knull(w, "family");
		jw_kbool(w, "ike", ike);
	}
	if (rec->flags & LEX_REC_BLOCK)
		jw_kstr(w, "block", rec->kind ? rec->kind : "?");
	jw_key(w, "flags");
	jw_array(w);
	for (i = 0; i < 32; i++) {
		const char *name = (rec->flags >> i & 1) ? lex_flag_name(1u << i) : NULL;

		if (name)
			jw_str(w, name);
	}
	jw_end(w);
	jw_key(w, "text");
	safe_string(w, g, o, rec->text, rec->len);
	jw_end(w);
	sb_addc(out, '\n');
}

/* ---- sessions ---- */

/*
 * Sessions are written as they come, by a writer that appends the text as
 * it goes (util/jsonw.h): no tree per session, no second pass to indent.
 */

static void
spi64(struct jw *w, const char *k, bool has, uint64_t v)
{
	char buf[17];

	if (has)
		session_spi_text(v, buf);
	jw_kstr(w, k, has ? buf : NULL);
}

static void
spi32(struct jw *w, const char *k, bool has, uint32_t v)
{
	char buf[9];

	if (has)
		snprintf(buf, sizeof(buf), "%08X", v);
	jw_kstr(w, k, has ? buf : NULL);
}

static void
endpoint(struct jw *w, const char *k, const char *addr, unsigned port)
{
	jw_key(w, k);
	jw_object(w);
	jw_kstr(w, "address", addr);
	jw_kint_or_null(w, "port", port != 0, port);
	jw_end(w);
}

static void
payload(struct jw *w, const struct payload *p)
{
	size_t i, j;

	jw_object(w);
	jw_kstr(w, "type", p->type);
	jw_kint(w, "length", p->length);
	jw_kint(w, "line", p->line);
	jw_kbool(w, "encrypted", p->inner);
	if (p->listed)
		jw_kbool(w, "listed", true);
	if (p->notify)
		jw_kstr(w, "notify", p->notify);
	if (p->nprops) {
		jw_key(w, "proposals");
		jw_array(w);
		for (i = 0; i < p->nprops; i++) {
			const struct proposal *pr = &p->props[i];

			jw_object(w);
			jw_kint(w, "number", pr->num);
			jw_kstr(w, "protocol", pr->protocol);
			jw_kint(w, "spi_size", pr->spi_size);
			jw_kint(w, "declared_transforms", pr->ntrans);
			jw_kint(w, "length", pr->length);
			jw_key(w, "transforms");
			jw_array(w);
			for (j = 0; j < pr->nt; j++) {
				jw_object(w);
				jw_kint(w, "type", pr->t[j].type);
				jw_kstr(w, "id", pr->t[j].id);
				jw_kint(w, "length", pr->t[j].length);
				jw_end(w);
			}
			jw_end(w);
			jw_end(w);
		}
		jw_end(w);
	}
	if (p->group)
		jw_kint(w, "dh_group", p->group);
	if (p->id_type)
		jw_kstr(w, "id_type", p->id_type);
	if (p->identity)
		jw_kstr(w, "identity", p->identity);
	if (p->auth_method)
		jw_kstr(w, "auth_method", p->auth_method);
	if (p->encoding)
		jw_kstr(w, "encoding", p->encoding);
	if (p->data_bytes)
		jw_kint(w, "data_bytes", p->data_bytes);
	if (p->protocol)
		jw_kstr(w, "protocol", p->protocol);
	if (p->nts) {
		jw_key(w, "selectors");
		jw_array(w);
		for (i = 0; i < p->nts; i++) {
			jw_object(w);
			jw_kstr(w, "type", p->ts[i].type);
			jw_kint(w, "protocol", p->ts[i].proto);
			jw_kint(w, "start_port", p->ts[i].port_start);
			jw_kint(w, "end_port", p->ts[i].port_end);
			jw_kstr(w, "start_address", p->ts[i].addr_start);
			jw_kstr(w, "end_address", p->ts[i].addr_end);
			jw_end(w);
		}
		jw_end(w);
	}
	if (p->cfg_type) {
		jw_kstr(w, "cfg_type", p->cfg_type);
		jw_key(w, "attributes");
		jw_array(w);
		for (i = 0; i < p->nattrs; i++) {
			jw_object(w);
			jw_kstr(w, "name", p->attrs[i].name);
			/* the number only where the device gave no name */
			jw_kint_or_null(w, "type", !p->attrs[i].name, p->attrs[i].type);
			jw_kint(w, "length", p->attrs[i].length);
			jw_end(w);
		}
		jw_end(w);
	}
	if (p->has_eap) {
		jw_kstr(w, "eap_code", p->eap_code);
		jw_kint(w, "eap_id", p->eap_id);
		jw_kint(w, "eap_length", p->eap_length);
		jw_kstr(w, "eap_type", p->eap_type);
	}
	if (p->vendor)
		jw_kstr(w, "vendor", p->vendor);
	if (p->count && !p->nts)
		jw_kint(w, "count", p->count);
	jw_end(w);
}

static void
xml(struct jw *w, const struct xml_doc *d)
{
	jw_object(w);
	jw_kstr(w, "type", d->type);
	jw_kstr(w, "version", d->version);
	jw_kstr(w, "who", d->who);
	jw_kstr(w, "device", d->device);
	jw_kstr(w, "group_select", d->group_select);
	jw_kstr(w, "tunnel_group", d->tunnel_group);
	jw_kstr(w, "username", d->username);
	jw_kbool(w, "well_formed", d->well_formed);
	jw_kint(w, "first_line", d->first_line);
	jw_kint(w, "last_line", d->last_line);
	jw_end(w);
}

static void
message(struct jw *w, const char *k, const struct message *m)
{
	size_t i;

	jw_key(w, k);
	if (!m) {
		jw_null(w);
		return;
	}
	jw_object(w);
	jw_kstr(w, "direction",
		m->dir == MODEL_DIR_OUT  ? "out"
		: m->dir == MODEL_DIR_IN ? "in"
					 : "unknown");
	jw_kint_or_null(w, "message_id", m->mid_known, m->mid);
	jw_kstr(w, "flags", m->flags);
	jw_kint_or_null(w, "length", m->length != 0, m->length);
	endpoint(w, "source", m->src, m->sport);
	endpoint(w, "destination", m->dst, m->dport);
	jw_kint(w, "retransmissions", m->retransmits);
	jw_kint(w, "fragments", m->fragments ? m->fragments + 1 : 0);
	jw_kint(w, "first_line", m->first_line);
	jw_kint(w, "last_line", m->last_line);
	jw_key(w, "payloads");
	jw_array(w);
	for (i = 0; i < m->np; i++)
		payload(w, &m->p[i]);
	jw_end(w);
	if (m->nxml) {
		jw_key(w, "xml");
		jw_array(w);
		for (i = 0; i < m->nxml; i++)
			xml(w, &m->xml[i]);
		jw_end(w);
	}
	jw_end(w);
}

/* The EAP conversation: each EAP payload with the XML document it carried. */
static void
eap(struct jw *w, const struct session *s)
{
	size_t i, j;

	jw_key(w, "eap");
	jw_array(w);
	for (i = 0; i < s->nexch; i++) {
		const struct message *ms[2] = { s->exch[i].request, s->exch[i].response };
		size_t k;

		for (k = 0; k < 2; k++) {
			const struct message *m = ms[k];

			for (j = 0; m && j < m->np; j++) {
				const struct payload *p = &m->p[j];

				if (!p->has_eap)
					continue;
				jw_object(w);
				jw_kstr(w, "code", p->eap_code);
				jw_kint(w, "id", p->eap_id);
				jw_kint(w, "length", p->eap_length);
				jw_kint(w, "message_id", s->exch[i].mid);
				jw_kstr(w, "direction", m->dir == MODEL_DIR_OUT ? "out" : "in");
				jw_key(w, "config_auth");
				if (m->nxml)
					jw_str(w, m->xml[0].type);
				else
					jw_null(w);
				jw_kint(w, "line", p->line);
				jw_end(w);
			}
		}
	}
	jw_end(w);
}

void
render_json_begin(struct strbuf *out, const char *const *inputs, size_t ninputs,
		  const struct render_opts *o)
{
	struct jw w;
	size_t i;

	if (o && o->json_lines)
		return; /* one object per session, nothing around them */
	jw_init(&w, out, 0, 0);
	if (o && o->json_compact) {
		sb_adds(out, "{\"schema\":1,\"inputs\":");
	} else {
		sb_adds(out, "{\n  \"schema\": 1,\n  \"inputs\": ");
	}
	jw_array(&w);
	for (i = 0; i < ninputs; i++)
		jw_str(&w, inputs[i]);
	jw_end(&w);
	sb_adds(out, o && o->json_compact ? ",\"sessions\":[" : ",\n  \"sessions\": [");
}

/* The client's side, from its DART log; null without one. */
static void
client(struct jw *w, const struct session *s)
{
	size_t i;

	jw_key(w, "client");
	if (!s->client_input) {
		jw_null(w);
		return;
	}
	jw_object(w);
	jw_kstr(w, "input", s->client_input);
	jw_kstr(w, "connection", s->client_profile);
	jw_kstr(w, "address", s->client_addr);
	jw_kstr(w, "gateway", s->client_gateway);
	jw_key(w, "ports");
	jw_array(w);
	for (i = 0; i < s->nclient_ports; i++)
		jw_int(w, s->client_ports[i]);
	jw_end(w);
	jw_key(w, "events");
	jw_array(w);
	for (i = 0; i < s->nclient; i++) {
		const struct client_event *e = &s->client[i];

		jw_object(w);
		jw_kstr(w, "kind", e->kind);
		jw_kstr(w, "date", e->date);
		jw_kstr(w, "time", e->time);
		jw_kint(w, "first_line", e->first_line);
		jw_kint(w, "last_line", e->last_line);
		jw_kstr(w, "text", e->text);
		jw_end(w);
	}
	jw_end(w);
	jw_kint(w, "events_not_kept", s->client_dropped);
	jw_end(w);
}

/* A session time as text ("Apr 23 16:31:12.051"), or null. */
static void
stime(struct jw *w, const char *k, bool has, struct model_time t)
{
	char buf[32];

	if (has)
		model_time_format(t, buf, sizeof(buf));
	jw_kstr(w, k, has ? buf : NULL);
}

/* The findings of a session (or of a client profile's report). */
static void
findings(struct jw *w, const struct session *s)
{
	size_t i;

	jw_key(w, "findings");
	jw_array(w);
	for (i = 0; i < s->nfindings; i++) {
		const struct finding *f = &s->findings[i];

		jw_object(w);
		jw_kstr(w, "id", f->id);
		jw_kstr(w, "severity", model_severity_name(f->severity));
		jw_kint(w, "line", f->line);
		jw_kint_or_null(w, "message_id", f->mid_known, f->mid);
		jw_kstr(w, "message", f->message);
		jw_kstr(w, "reference", f->reference);
		jw_end(w);
	}
	jw_end(w);
}

static void
failure(struct jw *w, const struct session *s)
{
	struct strbuf why;
	size_t i;

	jw_key(w, "failure");
	if (!s->failure.cause) {
		jw_null(w);
		return;
	}
	jw_object(w);
	jw_kstr(w, "exchange", s->failure.exchange);
	jw_kint_or_null(w, "message_id", s->failure.mid_known, s->failure.mid);
	jw_kstr(w, "cause", s->failure.cause);
	jw_kint(w, "line", s->failure.line);
	sb_init(&why);
	failure_sentence(&s->failure, &why);
	jw_key(w, "explanation");
	if (why.len)
		jw_strn(w, why.buf, why.len);
	else
		jw_null(w);
	sb_finish(&why);
	jw_kstr(w, "reason", s->failure.explanation);
	jw_kstr(w, "remedy", s->failure.remedy);
	jw_kstr(w, "decided_by", s->failure.decided_by);
	jw_kstr(w, "verdict", s->failure.verdict);
	jw_key(w, "evidence");
	jw_array(w);
	for (i = 0; i < s->failure.nevidence; i++) {
		const struct failure_evidence *e = &s->failure.evidence[i];

		jw_object(w);
		if (e->source)
			jw_kstr(w, "source", e->source);
		jw_kint(w, "line", e->line);
		jw_kstr(w, "text", e->text);
		jw_end(w);
	}
	jw_end(w);
	jw_key(w, "mismatch");
	jw_array(w);
	for (i = 0; i < s->failure.nmismatch; i++) {
		const struct failure_mismatch *m = &s->failure.mismatch[i];

		jw_object(w);
		jw_kstr(w, "type", m->type);
		jw_kstr(w, "offered", m->offered);
		jw_kstr(w, "expected", m->expected);
		jw_kint(w, "policy", m->policy);
		jw_kint(w, "policy_line", m->policy_line);
		jw_end(w);
	}
	jw_end(w);
	jw_end(w);
}

static void
session_object(struct jw *w, const struct session *s)
{
	size_t i;

	jw_object(w);
	jw_kint(w, "number", s->number);
	jw_kstr(w, "input", s->input);
	jw_kstr(w, "dialect", s->dialect);
	spi64(w, "initiator_spi", s->has_spi_i, s->spi_i);
	spi64(w, "responder_spi", s->has_spi_r, s->spi_r);
	jw_key(w, "sa_ids");
	jw_array(w);
	for (i = 0; i < s->nsa_ids; i++)
		jw_int(w, s->sa_ids[i]);
	jw_end(w);
	jw_kstr(w, "role", model_role_name(s->role));
	endpoint(w, "local", s->local, s->lport);
	endpoint(w, "peer", s->peer, s->pport);
	jw_kint(w, "first_line", s->first_line);
	jw_kint(w, "last_line", s->last_line);
	stime(w, "first_time", s->has_time, s->first_time);
	stime(w, "last_time", s->has_time, s->last_time);
	if (s->copy) {
		char spi[17];

		jw_key(w, "copy_of");
		jw_object(w);
		session_spi_text(s->copy_of_spi_r, spi);
		jw_kstr(w, "responder_spi", spi);
		jw_kint(w, "first_line", s->copy_of_first_line);
		jw_kint(w, "answer_line", s->copy_of_answer_line);
		jw_end(w);
	}
	jw_kstr(w, "outcome", model_outcome_name(s->outcome));
	failure(w, s);
	jw_key(w, "exchanges");
	jw_array(w);
	for (i = 0; i < s->nexch; i++) {
		jw_object(w);
		jw_kstr(w, "type", s->exch[i].type);
		jw_kint_or_null(w, "message_id", s->exch[i].mid_known, s->exch[i].mid);
		message(w, "request", s->exch[i].request);
		message(w, "response", s->exch[i].response);
		jw_end(w);
	}
	jw_end(w);
	eap(w, s);
	jw_key(w, "child_sas");
	jw_array(w);
	for (i = 0; i < s->nchildren; i++) {
		const struct child_sa *c = &s->children[i];

		jw_object(w);
		spi32(w, "spi_in", c->has_in, c->spi_in);
		spi32(w, "spi_out", c->has_out, c->spi_out);
		jw_kstr(w, "local_selectors", c->local_sel);
		jw_kstr(w, "remote_selectors", c->remote_sel);
		jw_kstr(w, "transforms", c->transforms);
		jw_kbool(w, "installed", c->installed);
		if (c->inferred)
			jw_kbool(w, "inferred", true);
		jw_end(w);
	}
	jw_end(w);
	jw_kstr(w, "user", s->user);
	jw_kstr(w, "tunnel_group", s->tunnel_group);
	jw_kstr(w, "assigned_ip", s->assigned_ip);
	jw_key(w, "states");
	jw_array(w);
	for (i = 0; i < s->nstates; i++) {
		jw_object(w);
		jw_kstr(w, "state", s->states[i].state);
		jw_kstr(w, "event", s->states[i].event);
		jw_kint(w, "message_id", s->states[i].mid);
		jw_kint(w, "line", s->states[i].line);
		jw_end(w);
	}
	jw_end(w);
	jw_kint(w, "retransmissions", s->retransmits);
	jw_kbool(w, "from_show", s->from_show);
	client(w, s);
	findings(w, s);
	jw_end(w);
}

void
render_json_session(struct strbuf *out, const struct session *s, bool first,
		    const struct render_opts *o)
{
	struct jw w;

	if (o && o->json_lines) {
		jw_init(&w, out, 0, 0);
		session_object(&w, s);
		sb_addc(out, '\n');
		return;
	}
	if (o && o->json_compact) {
		if (!first)
			sb_addc(out, ',');
		jw_init(&w, out, 0, 2);
	} else {
		/* one level in, inside "sessions" */
		sb_adds(out, first ? "\n    " : ",\n    ");
		jw_init(&w, out, 2, 2);
	}
	session_object(&w, s);
}

void
render_json_end(struct strbuf *out, const struct session *profile, const struct render_opts *o)
{
	bool compact = o && o->json_compact;
	struct jw w;

	if (o && o->json_lines) {
		/* a line of its own for the profile's findings */
		if (profile) {
			jw_init(&w, out, 0, 0);
			jw_object(&w);
			jw_key(&w, "profile");
			jw_object(&w);
			jw_kstr(&w, "file", profile->input);
			findings(&w, profile);
			jw_end(&w);
			jw_end(&w);
			sb_addc(out, '\n');
		}
		return;
	}
	sb_adds(out, compact ? "]" : "\n  ]");
	if (profile) {
		sb_adds(out, compact ? ",\"profile\":" : ",\n  \"profile\": ");
		jw_init(&w, out, compact ? 0 : 2, 1);
		jw_object(&w);
		jw_kstr(&w, "file", profile->input);
		findings(&w, profile);
		jw_end(&w);
	}
	sb_adds(out, compact ? "}\n" : "\n}\n");
}
