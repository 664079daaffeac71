#include "ikescope/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ikescope/grammar.h"
#include "ikescope/lexer.h"
#include "ikescope/model.h"

static json_t *
safe_string(const struct grammar *g, const struct render_opts *o, const char *s, size_t n)
{
	struct strbuf masked;
	json_t *j;

	/* the lexer made the text valid UTF-8; control characters are escaped by Jansson */
	if (o->show_secrets || !g)
		return json_stringn_nocheck(s, n);
	sb_init(&masked);
	grammar_mask(g, s, n, &masked);
	j = json_stringn_nocheck(masked.buf ? masked.buf : "", masked.len);
	sb_finish(&masked);
	return j;
}

static json_t *
typed_value(const struct grammar *g, const struct render_opts *o, const struct gram_value *v)
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
		return json_integer((json_int_t)n);
	case GRAM_TYPE_SPI: {
		struct strbuf sb;
		json_t *j;

		sb_init(&sb);
		render_field_value(&sb, g, o, v);
		j = json_stringn(sb.buf ? sb.buf : "", sb.len);
		sb_finish(&sb);
		return j;
	}
	default:
		break;
	}
	return safe_string(g, o, v->p, v->len);
}

void
render_json_record(struct strbuf *out, const struct grammar *g, const struct render_opts *o,
		   const struct lex_record *rec, const struct gram_match *m, bool ike)
{
	json_t *root = json_object();
	json_t *flags = json_array();
	char *dump;
	size_t i;

	json_object_set_new(root, "input", json_string_nocheck(rec->input));
	json_object_set_new(root, "line", json_integer(rec->first_line));
	json_object_set_new(root, "last_line", json_integer(rec->last_line));
	json_object_set_new(root, "offset", json_integer((json_int_t)rec->offset));
	if (rec->flags & LEX_REC_NOISE) {
		json_object_set_new(root, "noise", json_string(rec->kind ? rec->kind : "?"));
	} else if (m) {
		json_t *fields = json_object();

		json_object_set_new(root, "family", json_string(gram_family_name(m->family)));
		json_object_set_new(root, "rule", json_string(m->rule));
		if (m->dialects) {
			/* the dialects the rule is of; none: common to all */
			json_t *d = json_array();

			for (i = 0; i < GRAM_DIALECT_COUNT; i++)
				if (m->dialects & (1u << i))
					json_array_append_new(d, json_string(gram_dialect_name(
									 (enum gram_dialect)i)));
			json_object_set_new(root, "dialects", d);
		}
		for (i = 0; i < m->nvalues; i++) {
			const char *name = gram_field_name(m->values[i].field);

			const struct gram_value *v = &m->values[i];

			if (json_object_get(fields, name))
				continue;
			/* a value inside a secret of the record (a mask needs its context) */
			if (!o->show_secrets && g && v->p >= rec->text &&
			    v->p + v->len <= rec->text + rec->len &&
			    grammar_masks_span(g, rec->text, rec->len, (size_t)(v->p - rec->text),
					       v->len)) {
				json_object_set_new(fields, name, json_string("********"));
				continue;
			}
			json_object_set_new(fields, name, typed_value(g, o, v));
		}
		json_object_set_new(root, "fields", fields);
	} else {
		json_object_set_new(root, "family", json_null());
		json_object_set_new(root, "ike", json_boolean(ike));
	}
	for (i = 0; i < 32; i++) {
		const char *name = (rec->flags >> i & 1) ? lex_flag_name(1u << i) : NULL;

		if (name)
			json_array_append_new(flags, json_string(name));
	}
	if (rec->flags & LEX_REC_BLOCK)
		json_object_set_new(root, "block", json_string(rec->kind ? rec->kind : "?"));
	json_object_set_new(root, "flags", flags);
	json_object_set_new(root, "text", safe_string(g, o, rec->text, rec->len));
	dump = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	if (dump) {
		sb_adds(out, dump);
		free(dump);
	}
	sb_addc(out, '\n');
	json_decref(root);
}

/* ---- sessions ---- */

static json_t *
jstr(const char *s)
{
	json_t *j;

	if (!s)
		return json_null();
	/* text kept from the log is valid UTF-8 (the lexer made it so) */
	j = json_string(s);
	return j ? j : json_string("?");
}

static json_t *
jspi64(bool has, uint64_t v)
{
	char buf[17];

	if (!has)
		return json_null();
	session_spi_text(v, buf);
	return json_string(buf);
}

static json_t *
jspi32(bool has, uint32_t v)
{
	char buf[9];

	if (!has)
		return json_null();
	snprintf(buf, sizeof(buf), "%08X", v);
	return json_string(buf);
}

static json_t *
jendpoint(const char *addr, unsigned port)
{
	json_t *o = json_object();

	json_object_set_new(o, "address", jstr(addr));
	json_object_set_new(o, "port", port ? json_integer(port) : json_null());
	return o;
}

static json_t *
jpayload(const struct payload *p)
{
	json_t *o = json_object();
	size_t i, j;

	json_object_set_new(o, "type", jstr(p->type));
	json_object_set_new(o, "length", json_integer(p->length));
	json_object_set_new(o, "line", json_integer(p->line));
	json_object_set_new(o, "encrypted", json_boolean(p->inner));
	if (p->listed)
		json_object_set_new(o, "listed", json_true());
	if (p->notify)
		json_object_set_new(o, "notify", jstr(p->notify));
	if (p->nprops) {
		json_t *props = json_array();

		for (i = 0; i < p->nprops; i++) {
			const struct proposal *pr = &p->props[i];
			json_t *po = json_object(), *ts = json_array();

			json_object_set_new(po, "number", json_integer(pr->num));
			json_object_set_new(po, "protocol", jstr(pr->protocol));
			json_object_set_new(po, "spi_size", json_integer(pr->spi_size));
			json_object_set_new(po, "declared_transforms", json_integer(pr->ntrans));
			json_object_set_new(po, "length", json_integer(pr->length));
			for (j = 0; j < pr->nt; j++) {
				json_t *t = json_object();

				json_object_set_new(t, "type", json_integer(pr->t[j].type));
				json_object_set_new(t, "id", jstr(pr->t[j].id));
				json_object_set_new(t, "length", json_integer(pr->t[j].length));
				json_array_append_new(ts, t);
			}
			json_object_set_new(po, "transforms", ts);
			json_array_append_new(props, po);
		}
		json_object_set_new(o, "proposals", props);
	}
	if (p->group)
		json_object_set_new(o, "dh_group", json_integer(p->group));
	if (p->id_type)
		json_object_set_new(o, "id_type", jstr(p->id_type));
	if (p->identity)
		json_object_set_new(o, "identity", jstr(p->identity));
	if (p->auth_method)
		json_object_set_new(o, "auth_method", jstr(p->auth_method));
	if (p->encoding)
		json_object_set_new(o, "encoding", jstr(p->encoding));
	if (p->data_bytes)
		json_object_set_new(o, "data_bytes", json_integer(p->data_bytes));
	if (p->protocol)
		json_object_set_new(o, "protocol", jstr(p->protocol));
	if (p->nts) {
		json_t *a = json_array();

		for (i = 0; i < p->nts; i++) {
			json_t *t = json_object();

			json_object_set_new(t, "type", jstr(p->ts[i].type));
			json_object_set_new(t, "protocol", json_integer(p->ts[i].proto));
			json_object_set_new(t, "start_port", json_integer(p->ts[i].port_start));
			json_object_set_new(t, "end_port", json_integer(p->ts[i].port_end));
			json_object_set_new(t, "start_address", jstr(p->ts[i].addr_start));
			json_object_set_new(t, "end_address", jstr(p->ts[i].addr_end));
			json_array_append_new(a, t);
		}
		json_object_set_new(o, "selectors", a);
	}
	if (p->cfg_type) {
		json_t *a = json_array();

		json_object_set_new(o, "cfg_type", jstr(p->cfg_type));
		for (i = 0; i < p->nattrs; i++) {
			json_t *t = json_object();

			json_object_set_new(t, "name", jstr(p->attrs[i].name));
			json_object_set_new(t, "type",
					    p->attrs[i].name ? json_null()
							     : json_integer(p->attrs[i].type));
			json_object_set_new(t, "length", json_integer(p->attrs[i].length));
			json_array_append_new(a, t);
		}
		json_object_set_new(o, "attributes", a);
	}
	if (p->has_eap) {
		json_object_set_new(o, "eap_code", jstr(p->eap_code));
		json_object_set_new(o, "eap_id", json_integer(p->eap_id));
		json_object_set_new(o, "eap_length", json_integer(p->eap_length));
		json_object_set_new(o, "eap_type", jstr(p->eap_type));
	}
	if (p->vendor)
		json_object_set_new(o, "vendor", jstr(p->vendor));
	if (p->count && !p->nts)
		json_object_set_new(o, "count", json_integer(p->count));
	return o;
}

static json_t *
jxml(const struct xml_doc *d)
{
	json_t *o = json_object();

	json_object_set_new(o, "type", jstr(d->type));
	json_object_set_new(o, "version", jstr(d->version));
	json_object_set_new(o, "who", jstr(d->who));
	json_object_set_new(o, "device", jstr(d->device));
	json_object_set_new(o, "group_select", jstr(d->group_select));
	json_object_set_new(o, "tunnel_group", jstr(d->tunnel_group));
	json_object_set_new(o, "username", jstr(d->username));
	json_object_set_new(o, "well_formed", json_boolean(d->well_formed));
	json_object_set_new(o, "first_line", json_integer(d->first_line));
	json_object_set_new(o, "last_line", json_integer(d->last_line));
	return o;
}

static json_t *
jmessage(const struct message *m)
{
	json_t *o, *ps;
	size_t i;

	if (!m)
		return json_null();
	o = json_object();
	ps = json_array();
	json_object_set_new(o, "direction",
			    json_string(m->dir == MODEL_DIR_OUT  ? "out"
					: m->dir == MODEL_DIR_IN ? "in"
								 : "unknown"));
	json_object_set_new(o, "message_id", m->mid_known ? json_integer(m->mid) : json_null());
	json_object_set_new(o, "flags", jstr(m->flags));
	json_object_set_new(o, "length", m->length ? json_integer(m->length) : json_null());
	json_object_set_new(o, "source", jendpoint(m->src, m->sport));
	json_object_set_new(o, "destination", jendpoint(m->dst, m->dport));
	json_object_set_new(o, "retransmissions", json_integer(m->retransmits));
	json_object_set_new(o, "fragments", json_integer(m->fragments ? m->fragments + 1 : 0));
	json_object_set_new(o, "first_line", json_integer(m->first_line));
	json_object_set_new(o, "last_line", json_integer(m->last_line));
	for (i = 0; i < m->np; i++)
		json_array_append_new(ps, jpayload(&m->p[i]));
	json_object_set_new(o, "payloads", ps);
	if (m->nxml) {
		json_t *a = json_array();

		for (i = 0; i < m->nxml; i++)
			json_array_append_new(a, jxml(&m->xml[i]));
		json_object_set_new(o, "xml", a);
	}
	return o;
}

/* The EAP conversation: each EAP payload with the XML document it carried. */
static json_t *
jeap(const struct session *s)
{
	json_t *a = json_array();
	size_t i, j;

	for (i = 0; i < s->nexch; i++) {
		const struct message *ms[2] = { s->exch[i].request, s->exch[i].response };
		size_t k;

		for (k = 0; k < 2; k++) {
			const struct message *m = ms[k];

			for (j = 0; m && j < m->np; j++) {
				const struct payload *p = &m->p[j];
				json_t *o;

				if (!p->has_eap)
					continue;
				o = json_object();
				json_object_set_new(o, "code", jstr(p->eap_code));
				json_object_set_new(o, "id", json_integer(p->eap_id));
				json_object_set_new(o, "length", json_integer(p->eap_length));
				json_object_set_new(o, "message_id", json_integer(s->exch[i].mid));
				json_object_set_new(
					o, "direction",
					json_string(m->dir == MODEL_DIR_OUT ? "out" : "in"));
				json_object_set_new(o, "config_auth",
						    m->nxml ? jstr(m->xml[0].type) : json_null());
				json_object_set_new(o, "line", json_integer(p->line));
				json_array_append_new(a, o);
			}
		}
	}
	return a;
}

void
render_json_begin(struct strbuf *out, const char *const *inputs, size_t ninputs)
{
	json_t *a = json_array();
	char *dump;
	size_t i;

	for (i = 0; i < ninputs; i++)
		json_array_append_new(a, jstr(inputs[i]));
	dump = json_dumps(a, JSON_COMPACT | JSON_ENSURE_ASCII);
	sb_addf(out, "{\n  \"schema\": 1,\n  \"inputs\": %s,\n  \"sessions\": [",
		dump ? dump : "[]");
	free(dump);
	json_decref(a);
}

/* The client's side, from its DART log; null without one. */
static json_t *
jclient(const struct session *s)
{
	json_t *c, *a;
	size_t i;

	if (!s->client_input)
		return json_null();
	c = json_object();
	json_object_set_new(c, "input", jstr(s->client_input));
	json_object_set_new(c, "connection", jstr(s->client_profile));
	json_object_set_new(c, "address", jstr(s->client_addr));
	json_object_set_new(c, "gateway", jstr(s->client_gateway));
	a = json_array();
	for (i = 0; i < s->nclient_ports; i++)
		json_array_append_new(a, json_integer(s->client_ports[i]));
	json_object_set_new(c, "ports", a);
	a = json_array();
	for (i = 0; i < s->nclient; i++) {
		const struct client_event *e = &s->client[i];
		json_t *x = json_object();

		json_object_set_new(x, "kind", jstr(e->kind));
		json_object_set_new(x, "date", jstr(e->date));
		json_object_set_new(x, "time", jstr(e->time));
		json_object_set_new(x, "first_line", json_integer(e->first_line));
		json_object_set_new(x, "last_line", json_integer(e->last_line));
		json_object_set_new(x, "text", jstr(e->text));
		json_array_append_new(a, x);
	}
	json_object_set_new(c, "events", a);
	json_object_set_new(c, "events_not_kept", json_integer(s->client_dropped));
	return c;
}

/* A session time as text ("Apr 23 16:31:12.051"), or null. */
static json_t *
jtime(bool has, struct model_time t)
{
	char buf[32];

	if (!has)
		return json_null();
	model_time_format(t, buf, sizeof(buf));
	return json_string(buf);
}

/* The findings of a session (or of a client profile's report). */
static json_t *
jfindings(const struct session *s)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < s->nfindings; i++) {
		const struct finding *f = &s->findings[i];
		json_t *x = json_object();

		json_object_set_new(x, "id", jstr(f->id));
		json_object_set_new(x, "severity", jstr(model_severity_name(f->severity)));
		json_object_set_new(x, "line", json_integer(f->line));
		json_object_set_new(x, "message_id",
				    f->mid_known ? json_integer(f->mid) : json_null());
		json_object_set_new(x, "message", jstr(f->message));
		json_object_set_new(x, "reference", jstr(f->reference));
		json_array_append_new(a, x);
	}
	return a;
}

void
render_json_session(struct strbuf *out, const struct session *s, bool first)
{
	json_t *o = json_object(), *a;
	char *dump;
	size_t i;

	json_object_set_new(o, "number", json_integer(s->number));
	json_object_set_new(o, "input", jstr(s->input));
	json_object_set_new(o, "dialect", jstr(s->dialect));
	json_object_set_new(o, "initiator_spi", jspi64(s->has_spi_i, s->spi_i));
	json_object_set_new(o, "responder_spi", jspi64(s->has_spi_r, s->spi_r));
	a = json_array();
	for (i = 0; i < s->nsa_ids; i++)
		json_array_append_new(a, json_integer(s->sa_ids[i]));
	json_object_set_new(o, "sa_ids", a);
	json_object_set_new(o, "role", json_string(model_role_name(s->role)));
	json_object_set_new(o, "local", jendpoint(s->local, s->lport));
	json_object_set_new(o, "peer", jendpoint(s->peer, s->pport));
	json_object_set_new(o, "first_line", json_integer(s->first_line));
	json_object_set_new(o, "last_line", json_integer(s->last_line));
	json_object_set_new(o, "first_time", jtime(s->has_time, s->first_time));
	json_object_set_new(o, "last_time", jtime(s->has_time, s->last_time));
	if (s->copy) {
		json_t *c = json_object();
		char spi[17];

		session_spi_text(s->copy_of_spi_r, spi);
		json_object_set_new(c, "responder_spi", json_string(spi));
		json_object_set_new(c, "first_line", json_integer(s->copy_of_first_line));
		json_object_set_new(c, "answer_line", json_integer(s->copy_of_answer_line));
		json_object_set_new(o, "copy_of", c);
	}
	json_object_set_new(o, "outcome", json_string(model_outcome_name(s->outcome)));
	if (s->failure.cause) {
		json_t *f = json_object();

		json_object_set_new(f, "exchange", jstr(s->failure.exchange));
		json_object_set_new(f, "message_id",
				    s->failure.mid_known ? json_integer(s->failure.mid)
							 : json_null());
		json_object_set_new(f, "cause", jstr(s->failure.cause));
		json_object_set_new(f, "line", json_integer(s->failure.line));
		{
			struct strbuf why;
			json_t *ev = json_array(), *mm = json_array();

			sb_init(&why);
			failure_sentence(&s->failure, &why);
			json_object_set_new(f, "explanation",
					    why.len ? json_stringn(why.buf, why.len) : json_null());
			sb_finish(&why);
			json_object_set_new(f, "reason", jstr(s->failure.explanation));
			json_object_set_new(f, "remedy", jstr(s->failure.remedy));
			json_object_set_new(f, "decided_by", jstr(s->failure.decided_by));
			json_object_set_new(f, "verdict", jstr(s->failure.verdict));
			for (i = 0; i < s->failure.nevidence; i++) {
				const struct failure_evidence *e = &s->failure.evidence[i];
				json_t *x = json_object();

				if (e->source)
					json_object_set_new(x, "source", jstr(e->source));
				json_object_set_new(x, "line", json_integer(e->line));
				json_object_set_new(x, "text", jstr(e->text));
				json_array_append_new(ev, x);
			}
			for (i = 0; i < s->failure.nmismatch; i++) {
				const struct failure_mismatch *m = &s->failure.mismatch[i];
				json_t *x = json_object();

				json_object_set_new(x, "type", jstr(m->type));
				json_object_set_new(x, "offered", jstr(m->offered));
				json_object_set_new(x, "expected", jstr(m->expected));
				json_object_set_new(x, "policy", json_integer(m->policy));
				json_object_set_new(x, "policy_line", json_integer(m->policy_line));
				json_array_append_new(mm, x);
			}
			json_object_set_new(f, "evidence", ev);
			json_object_set_new(f, "mismatch", mm);
		}
		json_object_set_new(o, "failure", f);
	} else {
		json_object_set_new(o, "failure", json_null());
	}
	a = json_array();
	for (i = 0; i < s->nexch; i++) {
		json_t *x = json_object();

		json_object_set_new(x, "type", jstr(s->exch[i].type));
		json_object_set_new(x, "message_id",
				    s->exch[i].mid_known ? json_integer(s->exch[i].mid)
							 : json_null());
		json_object_set_new(x, "request", jmessage(s->exch[i].request));
		json_object_set_new(x, "response", jmessage(s->exch[i].response));
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "exchanges", a);
	json_object_set_new(o, "eap", jeap(s));
	a = json_array();
	for (i = 0; i < s->nchildren; i++) {
		const struct child_sa *c = &s->children[i];
		json_t *x = json_object();

		json_object_set_new(x, "spi_in", jspi32(c->has_in, c->spi_in));
		json_object_set_new(x, "spi_out", jspi32(c->has_out, c->spi_out));
		json_object_set_new(x, "local_selectors", jstr(c->local_sel));
		json_object_set_new(x, "remote_selectors", jstr(c->remote_sel));
		json_object_set_new(x, "transforms", jstr(c->transforms));
		json_object_set_new(x, "installed", json_boolean(c->installed));
		if (c->inferred)
			json_object_set_new(x, "inferred", json_true());
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "child_sas", a);
	json_object_set_new(o, "user", jstr(s->user));
	json_object_set_new(o, "tunnel_group", jstr(s->tunnel_group));
	json_object_set_new(o, "assigned_ip", jstr(s->assigned_ip));
	a = json_array();
	for (i = 0; i < s->nstates; i++) {
		json_t *x = json_object();

		json_object_set_new(x, "state", jstr(s->states[i].state));
		json_object_set_new(x, "event", jstr(s->states[i].event));
		json_object_set_new(x, "message_id", json_integer(s->states[i].mid));
		json_object_set_new(x, "line", json_integer(s->states[i].line));
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "states", a);
	json_object_set_new(o, "retransmissions", json_integer(s->retransmits));
	json_object_set_new(o, "from_show", json_boolean(s->from_show));
	json_object_set_new(o, "client", jclient(s));
	json_object_set_new(o, "findings", jfindings(s));
	dump = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	sb_adds(out, first ? "\n" : ",\n");
	if (dump) {
		/* indent the object one level, inside "sessions" */
		const char *p = dump, *nl;

		sb_adds(out, "    ");
		while ((nl = strchr(p, '\n')) != NULL) {
			sb_add(out, p, (size_t)(nl - p) + 1);
			sb_adds(out, "    ");
			p = nl + 1;
		}
		sb_adds(out, p);
		free(dump);
	}
	json_decref(o);
}

void
render_json_end(struct strbuf *out, const struct session *profile)
{
	sb_adds(out, "\n  ]");
	if (profile) {
		json_t *o = json_object();
		char *dump;

		json_object_set_new(o, "file", jstr(profile->input));
		json_object_set_new(o, "findings", jfindings(profile));
		dump = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
		sb_adds(out, ",\n  \"profile\": ");
		if (dump) {
			/* one level in, as the sessions */
			const char *p = dump, *nl;

			while ((nl = strchr(p, '\n')) != NULL) {
				sb_add(out, p, (size_t)(nl - p) + 1);
				sb_adds(out, "  ");
				p = nl + 1;
			}
			sb_adds(out, p);
		} else {
			sb_adds(out, "null");
		}
		free(dump);
		json_decref(o);
	}
	sb_adds(out, "\n}\n");
}
