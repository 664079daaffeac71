/* Sessions as text: the annotated timeline and the one-row-per-session table. */
#include "ikescope/render.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ikescope/config.h"
#include "ikescope/grammar.h"
#include "ikescope/model.h"
#include "ikescope/proto.h"
#include "ikescope/util/escape.h"

#define RED     "\033[31m"
#define GREEN   "\033[32m"
#define YELLOW  "\033[33m"
#define MAGENTA "\033[35m"
#define BOLD    "\033[1m"
#define DIM     "\033[2m"
#define RESET   "\033[0m"

static void
color(struct strbuf *out, const struct render_opts *o, const char *c)
{
	if (o->color)
		sb_adds(out, c);
}

/* Text that came from the log: escaped (it was masked when it was kept). */
static void
text(struct strbuf *out, const char *s)
{
	escape_append(out, s ? s : "", s ? strlen(s) : 0);
}

static const char *
outcome_color(enum model_outcome o)
{
	switch (o) {
	case MODEL_OUTCOME_UP:
		return GREEN;
	case MODEL_OUTCOME_DELETED:
		return YELLOW;
	case MODEL_OUTCOME_FAILED:
		return RED;
	default:
		return MAGENTA;
	}
}

/* Bytes of a client event's text shown without -v. */
#define CLIENT_TEXT_SHOWN 100

/* Text from the log cut at max bytes (on a character boundary), "..." if cut. */
static void
text_cut(struct strbuf *out, const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;

	if (n <= max) {
		text(out, s);
		return;
	}
	while (max && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	escape_append(out, s, max);
	sb_adds(out, "...");
}

static void
lines(struct strbuf *out, uint32_t a, uint32_t b)
{
	if (a == b)
		sb_addf(out, "L%u", a);
	else
		sb_addf(out, "L%u-L%u", a, b);
}

static void
spi(struct strbuf *out, bool has, uint64_t v)
{
	char buf[17];

	if (!has) {
		sb_adds(out, "----------------");
		return;
	}
	session_spi_text(v, buf);
	sb_adds(out, buf);
}

static void
endpoint(struct strbuf *out, const char *addr, unsigned first, unsigned last)
{
	text(out, addr ? addr : "?");
	if (first)
		sb_addf(out, ":%u", first);
	if (last && last != first)
		sb_addf(out, " -> :%u", last);
}

static void
proposal_text(struct strbuf *out, const struct proposal *p, bool verbose)
{
	size_t i;

	sb_addf(out, "#%u %s", p->num, p->protocol ? p->protocol : "?");
	for (i = 0; i < p->nt; i++) {
		sb_addc(out, i ? ' ' : ':');
		if (!i)
			sb_addc(out, ' ');
		text(out, p->t[i].id ? p->t[i].id : "?");
		if (verbose)
			sb_addf(out, "(type %u, %u bytes)", p->t[i].type, p->t[i].length);
	}
}

static bool
same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* One condensed line for a payload; similar neighbours (VID, NOTIFY) share a line. */
static size_t
payload_line(struct strbuf *out, const struct message *m, size_t i, const struct render_opts *o,
	     bool response)
{
	const struct payload *p = &m->p[i];
	size_t j, n = 1;

	sb_adds(out, "        ");
	color(out, o, BOLD);
	sb_addf(out, "%-8s", p->type);
	color(out, o, RESET);
	if (p->listed && !(p->ptype == PROTO_PAYLOAD_SA && p->nprops) &&
	    p->ptype != PROTO_PAYLOAD_NOTIFY &&
	    !((p->ptype == PROTO_PAYLOAD_IDI || p->ptype == PROTO_PAYLOAD_IDR) && p->id_type)) {
		/* named in a payload list only: nothing of its body is in the log */
		for (j = i; j < m->np && m->p[j].listed && same(m->p[j].type, p->type); j++)
			;
		if (j - i > 1)
			sb_addf(out, "x%zu ", j - i);
		sb_adds(out, "(listed, no body shown)\n");
		return j - i;
	}
	if (p->ptype == PROTO_PAYLOAD_SA) {
		sb_adds(out, response ? "chosen " : p->nprops > 1 ? "offered " : "offered ");
		for (j = 0; j < p->nprops; j++) {
			if (j)
				sb_adds(out, "; ");
			proposal_text(out, &p->props[j], o->verbose);
		}
	} else if (p->ptype == PROTO_PAYLOAD_KE) {
		sb_addf(out, "DH group %u", p->group);
	} else if (p->ptype == PROTO_PAYLOAD_NONCE) {
		sb_addf(out, "nonce %u bytes", p->length > 4 ? p->length - 4 : p->hex_bytes);
	} else if (p->ptype == PROTO_PAYLOAD_IDI || p->ptype == PROTO_PAYLOAD_IDR) {
		text(out, p->id_type ? p->id_type : "?");
		if (p->identity) {
			sb_adds(out, " ");
			text(out, p->identity);
		}
	} else if (p->ptype == PROTO_PAYLOAD_AUTH) {
		text(out, p->auth_method ? p->auth_method : "?");
		if (p->data_bytes)
			sb_addf(out, ", %u bytes", p->data_bytes);
	} else if (p->ptype == PROTO_PAYLOAD_CERT || p->ptype == PROTO_PAYLOAD_CERTREQ) {
		text(out, p->encoding ? p->encoding : "?");
	} else if (p->ptype == PROTO_PAYLOAD_CP) {
		text(out, p->cfg_type ? p->cfg_type : "?");
		sb_addf(out, ", %zu attribute%s", p->nattrs, p->nattrs == 1 ? "" : "s");
		for (j = 0; j < p->nattrs && o->verbose; j++) {
			if (p->attrs[j].name)
				sb_addf(out, "%s%s(%u)", j ? ", " : ": ", p->attrs[j].name,
					p->attrs[j].length);
			else
				sb_addf(out, "%s%u(%u)", j ? ", " : ": ", p->attrs[j].type,
					p->attrs[j].length);
		}
	} else if (p->ptype == PROTO_PAYLOAD_TSI || p->ptype == PROTO_PAYLOAD_TSR) {
		for (j = 0; j < p->nts; j++) {
			const struct ts_range *t = &p->ts[j];

			if (j)
				sb_adds(out, ", ");
			text(out, t->addr_start);
			if (!same(t->addr_start, t->addr_end)) {
				sb_addc(out, '-');
				text(out, t->addr_end);
			}
			if (t->proto)
				sb_addf(out, " proto %u", t->proto);
			if (t->port_start || t->port_end != 65535)
				sb_addf(out, " ports %u-%u", t->port_start, t->port_end);
		}
	} else if (p->ptype == PROTO_PAYLOAD_NOTIFY || p->ptype == PROTO_PAYLOAD_VENDOR) {
		/* NOTIFY and VID payloads in a row share one line */
		for (j = i; j < m->np && m->p[j].ptype == p->ptype && m->p[j].inner == p->inner;
		     j++) {
			const struct payload *q = &m->p[j];
			const char *name = p->ptype == PROTO_PAYLOAD_NOTIFY ? q->notify : q->vendor;
			bool error =
				p->ptype == PROTO_PAYLOAD_NOTIFY && proto_notify_is_error(name);

			if (j > i)
				sb_adds(out, ", ");
			if (error)
				color(out, o, RED);
			text(out, name ? name : "?");
			if (error)
				color(out, o, RESET);
		}
		n = j - i;
	} else if (p->ptype == PROTO_PAYLOAD_DELETE) {
		text(out, p->protocol ? p->protocol : "?");
		sb_addf(out, ", %u SPI%s", p->count, p->count == 1 ? "" : "s");
	} else if (p->ptype == PROTO_PAYLOAD_EAP) {
		text(out, p->eap_code ? p->eap_code : "?");
		sb_addf(out, " id %u, %u bytes", p->eap_id, p->eap_length);
		for (j = 0; j < m->nxml; j++) {
			sb_adds(out, j ? ", " : " · ");
			text(out, m->xml[j].type ? m->xml[j].type : "?");
		}
	} else if (p->ptype == PROTO_PAYLOAD_SK) {
		sb_addf(out, "%u bytes", p->data_bytes ? p->data_bytes : p->length);
	} else {
		sb_addf(out, "%u bytes", p->length);
	}
	if (o->verbose)
		sb_addf(out, "  [length %u, L%u]", p->length, p->line);
	sb_addc(out, '\n');
	return n;
}

/* Lines shown by --raw under one message at most. */
#define RAW_MAX_LINES 1000u

struct raw_line_ctx {
	struct strbuf *out;
	const struct render_opts *o;
};

static void
raw_line(void *ctx, uint32_t line, const char *p, size_t n, bool cut)
{
	struct raw_line_ctx *c = ctx;

	sb_addf(c->out, "        | L%-6u ", line);
	render_safe_text(c->out, c->o->grammar, c->o, p, n);
	if (cut)
		sb_adds(c->out, " [cut]");
	sb_addc(c->out, '\n');
}

/* --raw: the original lines first..last of input, then what could not be shown. */
static void
raw_lines(struct strbuf *out, const struct render_opts *o, const char *input, uint32_t first,
	  uint32_t last)
{
	struct raw_line_ctx c = { out, o };
	uint32_t want = last - first + 1;
	uint32_t got = o->raw(o->raw_ctx, input, first, last, RAW_MAX_LINES, raw_line, &c);

	if (got < want && got == RAW_MAX_LINES)
		sb_addf(out, "        | ... %u more lines, L%u-L%u\n", want - got, first + got,
			last);
	else if (got < want)
		sb_addf(out, "        | (L%u-L%u could not be read again)\n", first + got, last);
}

static const struct message *finding_message(const struct session *s, const struct finding *f);
static void finding_line(struct strbuf *out, const struct finding *f, const struct render_opts *o,
			 const char *indent);

/* The findings about a message, under it. */
static void
message_findings(struct strbuf *out, const struct session *s, const struct message *m,
		 const struct render_opts *o)
{
	size_t i;

	for (i = 0; i < s->nfindings; i++)
		if (finding_message(s, &s->findings[i]) == m)
			finding_line(out, &s->findings[i], o, "        ");
}

static void
message_block(struct strbuf *out, const struct session *s, const struct message *m,
	      const struct render_opts *o, bool response)
{
	size_t i;

	sb_adds(out, "    ");
	sb_adds(out, m->dir == MODEL_DIR_OUT ? "--> " : m->dir == MODEL_DIR_IN ? "<-- " : "--- ");
	sb_addf(out, "%-9s", response ? "response" : "request");
	lines(out, m->first_line, m->last_line);
	if (m->length)
		sb_addf(out, "  %u bytes", m->length);
	if (m->fragments)
		sb_addf(out, "  %u fragments", m->fragments + 1);
	if (m->retransmits) {
		color(out, o, YELLOW);
		sb_addf(out, "  sent %u times", m->retransmits + 1);
		color(out, o, RESET);
	}
	sb_addc(out, '\n');
	for (i = 0; i < m->np;) {
		/* the encrypted wrapper is shown once its content is known */
		if (!o->verbose && m->p[i].ptype == PROTO_PAYLOAD_SK && m->np > 1) {
			i++;
			continue;
		}
		i += payload_line(out, m, i, o, response);
	}
	if (!m->np && m->nxml) {
		sb_adds(out, "        XML     ");
		for (i = 0; i < m->nxml; i++) {
			if (i)
				sb_adds(out, ", ");
			text(out, m->xml[i].type);
		}
		sb_addc(out, '\n');
	}
	if (o->raw && m->first_line) {
		color(out, o, DIM);
		raw_lines(out, o, s->input, m->first_line, m->last_line);
		for (i = 0; i < m->nxml; i++) /* its XML documents, printed apart */
			if (m->xml[i].first_line > m->last_line ||
			    m->xml[i].last_line < m->first_line) {
				sb_adds(out, "        | XML ");
				text(out, m->xml[i].type);
				sb_addc(out, '\n');
				raw_lines(out, o, s->input, m->xml[i].first_line,
					  m->xml[i].last_line);
			}
		color(out, o, RESET);
	}
}

static void
state_path(struct strbuf *out, const struct session *s)
{
	const char *last = NULL;
	size_t i, shown = 0;

	if (!s->nstates)
		return;
	sb_adds(out, "  states    ");
	for (i = 0; i < s->nstates; i++) {
		const char *st = s->states[i].state;

		if (!st || same(st, last))
			continue;
		if (shown++)
			sb_adds(out, " > ");
		text(out, st);
		last = st;
	}
	if (s->states[s->nstates - 1].event) {
		sb_adds(out, " (");
		text(out, s->states[s->nstates - 1].event);
		sb_addc(out, ')');
	}
	sb_addc(out, '\n');
}

static void
timers(struct strbuf *out, const struct session *s)
{
	size_t i;

	for (i = 0; i < s->ntimers; i++) {
		const struct timer_event *t = &s->timers[i];

		if (same(t->what, "stop"))
			continue;
		sb_adds(out, i ? "            " : "  timers    ");
		text(out, t->timer ? t->timer : t->what);
		if (t->seconds)
			sb_addf(out, " %us", t->seconds);
		sb_addf(out, " %s L%u", same(t->what, "lifetime") ? "lifetime" : t->what, t->line);
		sb_addc(out, '\n');
	}
}

/* The client's side, from its DART log: the events that matter (-v: all). */
static void
client_events(struct strbuf *out, const struct session *s, const struct render_opts *o)
{
	size_t i;

	if (!s->nclient)
		return;
	sb_adds(out, "  client    DART ");
	text(out, s->client_input);
	if (s->client_profile) {
		sb_adds(out, ", connection ");
		text(out, s->client_profile);
	}
	sb_addc(out, '\n');
	for (i = 0; i < s->nclient; i++) {
		const struct client_event *e = &s->client[i];
		char range[32];

		if (!e->kind && !o->verbose)
			continue;
		snprintf(range, sizeof(range), e->first_line == e->last_line ? "L%u" : "L%u-L%u",
			 e->first_line, e->last_line);
		sb_adds(out, "            ");
		text(out, e->time ? e->time : "-");
		sb_addf(out, "  %-12s  ", range);
		if (model_client_error(e->kind))
			color(out, o, RED);
		text(out, e->kind ? e->kind : "-");
		{
			size_t n = e->kind ? strlen(e->kind) : 1;

			for (; n < 19; n++)
				sb_addc(out, ' ');
		}
		color(out, o, RESET);
		sb_adds(out, " ");
		text_cut(out, e->text, o->verbose ? SIZE_MAX : CLIENT_TEXT_SHOWN);
		sb_addc(out, '\n');
		if (o->raw && e->first_line) {
			color(out, o, DIM);
			raw_lines(out, o, s->client_input ? s->client_input : s->input,
				  e->first_line, e->last_line);
			color(out, o, RESET);
		}
	}
	if (s->client_dropped)
		sb_addf(out, "            (%u more events not kept)\n", s->client_dropped);
}

/* --explain: lines first..last of the config, under "config". */
static void
config_lines(struct strbuf *out, const struct render_opts *o, uint32_t first, uint32_t last)
{
	const struct config *c = o->explain;
	uint32_t n;

	sb_addf(out, "  config    ");
	text(out, c->name);
	if (first == last)
		sb_addf(out, " L%u\n", first);
	else
		sb_addf(out, " L%u-L%u\n", first, last);
	for (n = first; n <= last; n++) {
		size_t len;
		const char *line = config_line(c, n, &len);

		if (!line)
			break;
		sb_adds(out, "            ");
		render_safe_text(out, o->grammar, o, line, len);
		sb_addc(out, '\n');
	}
}

static const struct payload *
sa_of(const struct message *m)
{
	size_t i;

	for (i = 0; m && i < m->np; i++)
		if (m->p[i].ptype == PROTO_PAYLOAD_SA)
			return &m->p[i];
	return NULL;
}

/* True if every transform of a proposal is allowed by policy or proposal k of the config. */
static bool
config_allows(const struct config *c, bool ike, size_t k, const struct proposal *pr)
{
	size_t i;

	for (i = 0; i < pr->nt; i++) {
		const struct transform *t = &pr->t[i];

		if (ike ? !config_policy_allows(&c->policies[k], t->type, t->id, t->keylen)
			: !config_proposal_allows(&c->proposals[k], t->type, t->id, t->keylen))
			return false;
	}
	return true;
}

/*
 * The config lines that govern an exchange, as the technote's "Relevant
 * Configuration": for IKE_SA_INIT, the IKEv2 policies (the one that allows
 * the choice, else all) and where IKEv2 is enabled; for an exchange that
 * chose a child SA, the IPsec proposals likewise; for the last IKE_AUTH,
 * the crypto map entry and its access list, the tunnel group, its pool and
 * its group-policy.
 */
static void
explain_exchange(struct strbuf *out, const struct session *s, size_t xi,
		 const struct render_opts *o)
{
	const struct config *c = o->explain;
	const struct exchange *x = &s->exch[xi];
	const struct payload *sa = sa_of(x->response);
	const struct proposal *chosen = sa && sa->nprops ? &sa->props[0] : NULL;
	bool ike = x->type && !strcmp(x->type, "IKE_SA_INIT");
	size_t i, n = ike ? c->npolicies : c->nproposals, shown = 0;

	if (ike || chosen) {
		for (i = 0; i < n; i++) {
			if (chosen && !config_allows(c, ike, i, chosen))
				continue;
			if (ike)
				config_lines(out, o, c->policies[i].line, c->policies[i].last_line);
			else
				config_lines(out, o, c->proposals[i].line,
					     c->proposals[i].last_line);
			shown++;
		}
		/* none allows the choice: all of them, to compare */
		for (i = 0; !shown && i < n; i++) {
			if (ike)
				config_lines(out, o, c->policies[i].line, c->policies[i].last_line);
			else
				config_lines(out, o, c->proposals[i].line,
					     c->proposals[i].last_line);
		}
	}
	if (ike)
		for (i = 0; i < c->nikev2_interfaces; i++)
			config_lines(out, o, c->ikev2_enable_lines[i], c->ikev2_enable_lines[i]);
	if (x->type && !strcmp(x->type, "IKE_AUTH")) {
		const struct config_tunnel_group *g;
		size_t k;

		for (k = xi + 1; k < s->nexch; k++)
			if (s->exch[k].type && !strcmp(s->exch[k].type, "IKE_AUTH"))
				return; /* the last IKE_AUTH only */
		if (s->crypto_map) {
			/* the crypto map entry the log matched, and its access list */
			const struct config_map_entry *e =
				config_map_entry(c, s->crypto_map, s->crypto_map_seq);

			if (e) {
				config_lines(out, o, e->line, e->last_line);
				for (k = 0; e->acl[0] && k < c->naces; k++)
					if (!strcmp(c->aces[k].acl, e->acl))
						config_lines(out, o, c->aces[k].line,
							     c->aces[k].line);
			}
		}
		g = config_tunnel_group(c, s->tunnel_group);
		if (g) {
			const struct config_pool *pool = config_pool(c, g->pool);

			const struct config_group_policy *gp =
				config_group_policy(c, g->group_policy);

			config_lines(out, o, g->line, g->last_line);
			if (pool)
				config_lines(out, o, pool->line, pool->line);
			if (gp)
				config_lines(out, o, gp->line, gp->last_line);
		}
	}
}

void
render_timeline(struct strbuf *out, const struct session *s, const struct render_opts *o)
{
	size_t i;

	color(out, o, BOLD);
	sb_addf(out, "session %u", s->number);
	color(out, o, RESET);
	sb_adds(out, "  ");
	text(out, s->input);
	sb_adds(out, "  ");
	lines(out, s->first_line, s->last_line);
	sb_adds(out, "  ");
	color(out, o, outcome_color(s->outcome));
	sb_adds(out, model_outcome_name(s->outcome));
	color(out, o, RESET);
	if (s->from_show)
		sb_adds(out, "  (from show output only)");
	sb_addc(out, '\n');
	if (!s->client_log) {
		sb_adds(out, "  SPIs      ");
		spi(out, s->has_spi_i, s->spi_i);
		sb_adds(out, " / ");
		spi(out, s->has_spi_r, s->spi_r);
		if (s->nsa_ids) {
			sb_adds(out, "  SA");
			for (i = 0; i < s->nsa_ids; i++)
				sb_addf(out, " %u", s->sa_ids[i]);
		}
		sb_addc(out, '\n');
	}
	sb_addf(out, "  device    %s ", model_role_name(s->role));
	endpoint(out, s->local, s->lport_first, s->lport);
	sb_adds(out, "   peer ");
	endpoint(out, s->peer, s->pport_first, s->pport);
	if (s->nat_known)
		sb_adds(out, s->nat_detected ? "   NAT detected" : "   no NAT");
	sb_addc(out, '\n');
	if (s->has_time) {
		char a[32], b[32];

		model_time_format(s->first_time, a, sizeof(a));
		model_time_format(s->last_time, b, sizeof(b));
		sb_addf(out, "  time      %s", a);
		if (strcmp(a, b)) {
			/* the date once, when both are on the same day */
			const char *to = b;

			if (s->first_time.dated && s->last_time.dated && !strncmp(a, b, 7))
				to = b + 7;
			sb_addf(out, " - %s", to);
		}
		sb_addc(out, '\n');
	}
	if (s->tunnel_group || s->user || s->assigned_ip || s->client_profile) {
		sb_adds(out, "  identity ");
		if (s->client_log && s->client_profile) {
			sb_adds(out, " connection ");
			text(out, s->client_profile);
		}
		if (s->tunnel_group) {
			sb_adds(out, " tunnel group ");
			text(out, s->tunnel_group);
		}
		if (s->user) {
			sb_adds(out, " user ");
			text(out, s->user);
		}
		if (s->assigned_ip) {
			sb_adds(out, " assigned ");
			text(out, s->assigned_ip);
		}
		sb_addc(out, '\n');
	}
	if (s->copy) {
		char spi[17];

		session_spi_text(s->copy_of_spi_r, spi);
		sb_addf(out,
			"  copy of   the IKE_SA_INIT request answered at L%u (responder SPI %s, "
			"the "
			"session from L%u)\n",
			s->copy_of_answer_line, spi, s->copy_of_first_line);
	}
	for (i = 0; i < s->nchildren; i++) {
		const struct child_sa *c = &s->children[i];

		if (!c->installed && !c->has_in && !c->has_out)
			continue;
		sb_adds(out, "  child SA  ");
		if (c->has_in)
			sb_addf(out, "in %08X ", c->spi_in);
		if (c->has_out)
			sb_addf(out, "out %08X ", c->spi_out);
		if (c->local_sel) {
			sb_adds(out, " local ");
			text(out, c->local_sel);
		}
		if (c->remote_sel) {
			sb_adds(out, "  remote ");
			text(out, c->remote_sel);
		}
		if (c->transforms) {
			sb_adds(out, "  ");
			text(out, c->transforms);
		}
		if (c->inferred)
			sb_addf(out, "agreed (L%u; the log shows no SPIs or selectors)", c->line);
		if (!c->installed)
			sb_adds(out, "  (SPI allocated, never installed)");
		else if (c->removed)
			sb_addf(out, "  (deleted L%u)", c->removed_line);
		sb_addc(out, '\n');
	}
	for (i = 0; i < s->nexch; i++) {
		const struct exchange *x = &s->exch[i];

		color(out, o, BOLD);
		sb_adds(out, "  ");
		text(out, x->type);
		color(out, o, RESET);
		if (x->mid_known)
			sb_addf(out, "  MID %u\n", x->mid);
		else
			sb_adds(out, "  MID ?\n");
		if (x->request) {
			message_block(out, s, x->request, o, false);
			message_findings(out, s, x->request, o);
		}
		if (x->response) {
			message_block(out, s, x->response, o, true);
			message_findings(out, s, x->response, o);
		}
		if (o->explain)
			explain_exchange(out, s, i, o);
	}
	state_path(out, s);
	timers(out, s);
	client_events(out, s, o);
	if (s->outcome == MODEL_OUTCOME_DELETED) {
		sb_adds(out, "  deleted   by ");
		text(out, s->deleted_by ? s->deleted_by : "unknown");
		if (s->delete_reason) {
			sb_adds(out, ", reason ");
			text(out, s->delete_reason);
		}
		if (s->delete_line)
			sb_addf(out, " L%u", s->delete_line);
		sb_addc(out, '\n');
	}
	if (s->failure.cause) {
		color(out, o, RED);
		sb_adds(out, "  FAILURE   ");
		text(out, s->failure.exchange ? s->failure.exchange : "client log");
		if (s->failure.mid_known)
			sb_addf(out, " MID %u", s->failure.mid);
		sb_addf(out, " L%u ", s->failure.line);
		text(out, s->failure.cause);
		color(out, o, RESET);
		sb_adds(out, "\n            ");
		{
			struct strbuf why;

			sb_init(&why);
			failure_sentence(&s->failure, &why);
			text(out, why.len ? why.buf : NULL);
			sb_finish(&why);
		}
		sb_addc(out, '\n');
	}
	/* the findings about no message shown above */
	for (i = 0; i < s->nfindings; i++)
		if (!finding_message(s, &s->findings[i]))
			finding_line(out, &s->findings[i], o, "  ");
	sb_addc(out, '\n');
}

/* One finding line; indent is "  " at the session's end, deeper under a message. */
static void
finding_line(struct strbuf *out, const struct finding *f, const struct render_opts *o,
	     const char *indent)
{
	sb_adds(out, indent);
	color(out, o,
	      f->severity == MODEL_SEVERITY_ERROR  ? RED
	      : f->severity == MODEL_SEVERITY_WARN ? YELLOW
						   : "");
	sb_addf(out, "finding   %-5s %s", model_severity_name(f->severity), f->id);
	if (f->mid_known)
		sb_addf(out, " MID %u", f->mid);
	if (f->line)
		sb_addf(out, " L%u", f->line);
	color(out, o, RESET);
	sb_adds(out, ": ");
	text(out, f->message);
	sb_addc(out, '\n');
}

/*
 * The message of the timeline a finding is about: the one whose lines hold
 * the finding's line (of the same message ID when both are known), the
 * narrowest if several do; NULL if none (it is then shown at the end).
 */
static const struct message *
finding_message(const struct session *s, const struct finding *f)
{
	const struct message *best = NULL;
	size_t i, k;

	for (i = 0; f->line && i < s->nexch; i++)
		for (k = 0; k < 2; k++) {
			const struct message *m = k ? s->exch[i].response : s->exch[i].request;

			if (!m || f->line < m->first_line || f->line > m->last_line)
				continue;
			if (f->mid_known && m->mid_known && f->mid != m->mid)
				continue;
			if (!best ||
			    m->last_line - m->first_line < best->last_line - best->first_line)
				best = m;
		}
	return best;
}

void
render_findings(struct strbuf *out, const struct session *s, const struct render_opts *o)
{
	size_t i;

	for (i = 0; i < s->nfindings; i++)
		finding_line(out, &s->findings[i], o, "  ");
}

void
render_verify_session(struct strbuf *out, const struct session *s, const struct render_opts *o)
{
	if (!s->nfindings)
		return;
	color(out, o, BOLD);
	sb_addf(out, "session %u  ", s->number);
	spi(out, s->has_spi_i, s->spi_i);
	sb_adds(out, "  ");
	spi(out, s->has_spi_r, s->spi_r);
	sb_addf(out, "  %s  ", model_role_name(s->role));
	lines(out, s->first_line, s->last_line);
	if (o->show_input) {
		sb_adds(out, "  ");
		text(out, s->input);
	}
	color(out, o, RESET);
	sb_addc(out, '\n');
	render_findings(out, s, o);
}

void
render_sessions_header(struct strbuf *out, const struct render_opts *o)
{
	color(out, o, BOLD);
	sb_addf(out, "%3s  %-16s  %-16s  %-9s  %-21s  %-20s  %4s  %4s  %-10s  %-s\n", "#",
		"INITIATOR SPI", "RESPONDER SPI", "ROLE", "PEER", "GROUP/USER", "EXCH", "FIND",
		"OUTCOME",
		o->show_input ? "FAILURE (EXCHANGE MID CAUSE)  LINES  INPUT"
			      : "FAILURE (EXCHANGE MID CAUSE)  LINES");
	color(out, o, RESET);
}

void
render_sessions_row(struct strbuf *out, const struct session *s, const struct render_opts *o)
{
	struct strbuf cell;

	sb_addf(out, "%3u  ", s->number);
	spi(out, s->has_spi_i, s->spi_i);
	sb_adds(out, "  ");
	spi(out, s->has_spi_r, s->spi_r);
	sb_addf(out, "  %-9s  ", model_role_name(s->role));
	sb_init(&cell);
	if (s->peer) {
		escape_append(&cell, s->peer, strlen(s->peer));
		if (s->pport)
			sb_addf(&cell, ":%u", s->pport);
	} else {
		sb_adds(&cell, "-");
	}
	sb_addf(out, "%-21s  ", cell.buf);
	sb_reset(&cell);
	if (s->tunnel_group)
		escape_append(&cell, s->tunnel_group, strlen(s->tunnel_group));
	if (s->user) {
		sb_addc(&cell, '/');
		escape_append(&cell, s->user, strlen(s->user));
	}
	if (!cell.len && s->client_profile)
		escape_append(&cell, s->client_profile, strlen(s->client_profile));
	sb_addf(out, "%-20s  %4zu  %4zu  ", cell.len ? cell.buf : "-", s->nexch, s->nfindings);
	color(out, o, outcome_color(s->outcome));
	sb_addf(out, "%-10s", model_outcome_name(s->outcome));
	color(out, o, RESET);
	sb_adds(out, "  ");
	if (s->failure.cause) {
		sb_adds(out, s->failure.exchange ? s->failure.exchange : "-");
		if (s->failure.mid_known)
			sb_addf(out, " %u", s->failure.mid);
		sb_addc(out, ' ');
		escape_append(out, s->failure.cause, strlen(s->failure.cause));
	} else {
		sb_adds(out, "-");
	}
	sb_adds(out, "  ");
	lines(out, s->first_line, s->last_line);
	if (o->show_input) {
		sb_adds(out, "  ");
		text(out, s->input);
	}
	sb_addc(out, '\n');
	sb_finish(&cell);
}
