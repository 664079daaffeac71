/*
 * The client side. Entries of an AnyConnect DART log become client events
 * of a client session (one per connection the user asked for); such a
 * session gets its own outcome, and can be joined to the device's session
 * of the same client address and port when both logs are given.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/reconstruct.h"
#include "ikescope/util/arena.h"
#include "ikescope/util/xalloc.h"
#include "ikescope/dialect.h"
#include "recon-private.h"

/* Bytes of a description kept as the text of an event. */
#define CLIENT_TEXT_MAX 300

static bool
kind_is(const char *kind, const char *name)
{
	return kind && !strcmp(kind, name);
}

static unsigned
port_value(const struct ike_event *ev, enum gram_field f)
{
	uint32_t n;

	return recon_u32(ev, f, &n) && n <= 65535 ? n : 0;
}

static struct client_event *
add_event(struct recon *r, struct session *s, const struct ike_event *ev, const char *kind)
{
	const struct gram_value *d = val(ev, GRAM_FIELD_DESCRIPTION);
	struct client_event *e;
	struct strbuf folded, masked;
	struct model_time t;

	if (s->nclient >= MODEL_MAX_CLIENT_EVENTS) {
		s->client_dropped++;
		return NULL;
	}
	s->client =
		arena_grow(s->arena, s->client, sizeof(*s->client), &s->cap_client, s->nclient + 1);
	e = &s->client[s->nclient++];
	memset(e, 0, sizeof(*e));
	e->kind = kind ? session_strndup(s, kind, strlen(kind)) : NULL;
	e->date = recon_str(s, ev, GRAM_FIELD_DATE);
	e->time = recon_str(s, ev, GRAM_FIELD_TIME);
	if (model_time_parse(e->date, e->time, &t))
		recon_note_time(s, t);
	sb_init(&folded);
	sb_init(&masked);
	if (d)
		dialect_dart_description(d->p, d->len, CLIENT_TEXT_MAX, &folded);
	grammar_mask(r->g, folded.buf ? folded.buf : "", folded.len, &masked);
	e->text = session_strndup(s, masked.buf ? masked.buf : "", masked.len);
	sb_finish(&folded);
	sb_finish(&masked);
	e->first_line = ev->first_line;
	e->last_line = ev->last_line;
	return e;
}

static void
add_port(struct session *s, unsigned port)
{
	size_t i;

	if (!port)
		return;
	for (i = 0; i < s->nclient_ports; i++)
		if (s->client_ports[i] == port)
			return;
	if (s->nclient_ports < MODEL_MAX_CLIENT_PORTS)
		s->client_ports[s->nclient_ports++] = port;
}

/* A client session, open like the others but never given orphan records. */
static struct session *
new_client_session(struct recon *r, uint32_t line)
{
	struct session *s = session_create(NULL, r->input_index);

	/* the input name outlives the input: the session may wait for a join */
	s->input = session_strndup(s, r->input, strlen(r->input));
	s->client_input = s->input;
	s->client_log = true;
	s->role = MODEL_ROLE_CLIENT;
	if (r->event_dialect < GRAM_DIALECT_COUNT)
		s->dialect = gram_dialect_name(r->event_dialect);
	r->client_sessions++;
	recon_open(r, s, line);
	return s;
}

static bool
has_event(const struct session *s, const char *kind)
{
	size_t i;

	for (i = 0; i < s->nclient; i++)
		if (kind_is(s->client[i].kind, kind))
			return true;
	return false;
}

void
recon_client_entry(struct recon *r, const struct ike_event *ev)
{
	const struct gram_value *kv = val(ev, GRAM_FIELD_KIND);
	char kind[32] = "";
	struct session *s = r->client;
	bool significant;

	if (kv && kv->len < sizeof(kind) && !is(ev, GRAM_FIELD_KIND, "partial")) {
		memcpy(kind, kv->p, kv->len);
		kind[kv->len] = '\0';
	}
	significant = *kind != '\0';
	/* other entries outside a connection belong to no session */
	if (!s && !significant)
		return;
	/* a new connection request, or activity after a disconnect, starts another */
	if (s && ((kind_is(kind, "connect-requested") && has_event(s, "connect-requested")) ||
		  (significant && !kind_is(kind, "disconnected") && s->nclient &&
		   kind_is(s->client[s->nclient - 1].kind, "disconnected")))) {
		s->terminal = true;
		s = NULL;
	}
	if (!s)
		s = r->client = new_client_session(r, ev->first_line);
	if (ev->last_line > s->last_line)
		s->last_line = ev->last_line;
	recon_touched(r, s);
	r->ike_records++;
	add_event(r, s, ev, significant ? kind : NULL);
	if (kind_is(kind, "connect-requested") && !s->client_profile) {
		s->client_profile = recon_str(s, ev, GRAM_FIELD_VALUE);
	} else if (kind_is(kind, "ike-socket") || kind_is(kind, "session-settings")) {
		const char *local = recon_str(s, ev, GRAM_FIELD_LOCAL);
		const char *remote = recon_str(s, ev, GRAM_FIELD_REMOTE);
		unsigned lport = port_value(ev, GRAM_FIELD_LPORT);
		unsigned rport = port_value(ev, GRAM_FIELD_RPORT);

		/* the sockets say the ports in use; the settings only when they are all there is */
		if (local && remote && (kind_is(kind, "ike-socket") || !s->client_addr)) {
			s->local = s->client_addr = local;
			s->peer = s->client_gateway = remote;
			if (!s->lport_first) {
				s->lport_first = lport;
				s->pport_first = rport;
			}
			s->lport = lport;
			s->pport = rport;
			if (kind_is(kind, "ike-socket"))
				add_port(s, lport);
		}
	} else if (kind_is(kind, "gateway") && !s->client_gateway) {
		s->client_gateway = recon_str(s, ev, GRAM_FIELD_PEER);
		if (!s->peer)
			s->peer = s->client_gateway;
	} else if (kind_is(kind, "assigned-address")) {
		s->assigned_ip = recon_str(s, ev, GRAM_FIELD_VALUE);
	}
}

/* prefix followed by text, in the session's arena. */
static const char *
concat(struct session *s, const char *prefix, const char *text)
{
	struct strbuf sb;
	const char *out;

	sb_init(&sb);
	sb_adds(&sb, prefix);
	sb_adds(&sb, text ? text : "");
	out = session_strndup(s, sb.buf, sb.len);
	sb_finish(&sb);
	return out;
}

void
recon_finish_client(struct session *s)
{
	const struct client_event *up = NULL, *down = NULL, *error = NULL;
	size_t i;

	for (i = 0; i < s->nclient; i++) {
		const struct client_event *e = &s->client[i];

		if (kind_is(e->kind, "tunnel-up")) {
			if (!up || (down && down > up))
				up = e;
		} else if (kind_is(e->kind, "disconnected")) {
			down = e;
		} else if (model_client_error(e->kind) && !error) {
			error = e; /* the first error is nearest the cause */
		}
	}
	if (up && (!down || down < up)) {
		s->outcome = MODEL_OUTCOME_UP;
		return;
	}
	if (up) {
		s->outcome = MODEL_OUTCOME_DELETED;
		s->deleted = true;
		s->deleted_by = "client";
		s->delete_reason = down->text;
		s->delete_line = down->first_line;
		return;
	}
	if (error) {
		s->outcome = MODEL_OUTCOME_FAILED;
		s->failure.cause = kind_is(error->kind, "certificate-error")
					   ? MODEL_CAUSE_CERTIFICATE_INVALID
					   : MODEL_CAUSE_UNKNOWN;
		s->failure.line = error->first_line;
		s->failure.explanation =
			concat(s, "the tunnel never came up; the client reported: ", error->text);
	} else if (down) {
		s->outcome = MODEL_OUTCOME_FAILED;
		s->failure.cause = MODEL_CAUSE_UNKNOWN;
		s->failure.line = down->first_line;
		s->failure.explanation = concat(
			s,
			"the client ended the connection before the tunnel came up: ", down->text);
	} else {
		s->outcome = MODEL_OUTCOME_INCOMPLETE;
		s->failure.cause = MODEL_CAUSE_UNKNOWN;
		s->failure.line = s->last_line;
		s->failure.explanation = "the client log ends before the tunnel came up";
	}
}

static bool
same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

bool
recon_client_matches(const struct session *s, const struct session *c)
{
	size_t i;
	bool port = false;

	if (s->client_log || !c->client_log || !same(c->client_addr, s->peer))
		return false;
	if (c->client_gateway && s->local && !same(c->client_gateway, s->local))
		return false;
	for (i = 0; i < c->nclient_ports; i++)
		if (c->client_ports[i] == s->pport || c->client_ports[i] == s->pport_first)
			port = true;
	/* dated on both sides: the two must be near in time (clocks may be a time zone apart) */
	if (port && s->has_time && c->has_time && s->first_time.dated && c->first_time.dated &&
	    recon_client_distance(s, c) > RECON_CLIENT_MAX_SKEW)
		return false;
	return port;
}

static bool
came_up(const struct session *s)
{
	return s->outcome == MODEL_OUTCOME_UP || s->outcome == MODEL_OUTCOME_DELETED;
}

int
recon_client_affinity(const struct session *s, const struct session *c)
{
	int a = 0;

	if (s->assigned_ip && c->assigned_ip)
		a += same(s->assigned_ip, c->assigned_ip) ? 2 : -2;
	if (came_up(s) == came_up(c))
		a++;
	return a;
}

size_t
recon_client_best(const struct session *s, struct session *const *c, size_t n)
{
	size_t best = n, i;
	int64_t best_d = -1;
	int best_a = 0;

	for (i = 0; i < n; i++) {
		int64_t d;
		int a;

		if (!c[i] || !recon_client_matches(s, c[i]))
			continue;
		d = recon_client_distance(s, c[i]);
		a = recon_client_affinity(s, c[i]);
		if (best == n || (d >= 0 && (best_d < 0 || d < best_d)) ||
		    (d == best_d && a > best_a)) {
			best = i;
			best_d = d;
			best_a = a;
		}
	}
	return best;
}

int64_t
recon_client_distance(const struct session *s, const struct session *c)
{
	int64_t a, b;

	if (!s->has_time || !c->has_time)
		return -1;
	/* apart by the gap between the two spans, 0 if they overlap */
	a = model_time_distance(s->first_time, c->last_time);
	b = model_time_distance(c->first_time, s->last_time);
	if ((s->first_time.ms <= c->last_time.ms && c->first_time.ms <= s->last_time.ms) &&
	    s->first_time.dated == c->first_time.dated)
		return 0;
	return a < b ? a : b;
}

static const char *
dup_in(struct session *s, const char *p)
{
	return p ? session_strndup(s, p, strlen(p)) : NULL;
}

void
recon_join_client(struct session *s, const struct session *c)
{
	const struct client_event *error = NULL;
	size_t i;

	s->client_input = dup_in(s, c->input);
	s->client_profile = dup_in(s, c->client_profile);
	s->client_addr = dup_in(s, c->client_addr);
	s->client_gateway = dup_in(s, c->client_gateway);
	memcpy(s->client_ports, c->client_ports, sizeof(s->client_ports));
	s->nclient_ports = c->nclient_ports;
	s->client_dropped = c->client_dropped;
	s->client = arena_alloc(s->arena, (c->nclient ? c->nclient : 1) * sizeof(*s->client));
	s->cap_client = c->nclient;
	for (i = 0; i < c->nclient; i++) {
		const struct client_event *e = &c->client[i];
		struct client_event *d = &s->client[i];

		d->kind = dup_in(s, e->kind);
		d->date = dup_in(s, e->date);
		d->time = dup_in(s, e->time);
		d->text = dup_in(s, e->text);
		d->first_line = e->first_line;
		d->last_line = e->last_line;
		if (model_client_error(e->kind) && !error)
			error = e;
	}
	s->nclient = c->nclient;
	if (!s->assigned_ip && c->assigned_ip)
		s->assigned_ip = dup_in(s, c->assigned_ip);
	/*
	 * The address the client applied and the show output agree on
	 * outweighs a CFG_REPLY that says otherwise (an edited or damaged
	 * copy of the log); verify reports the disagreement.
	 */
	if (s->assigned_ip && c->assigned_ip && strcmp(s->assigned_ip, c->assigned_ip) &&
	    !s->cfg_assigned_ip) {
		if (s->show.assigned && !strcmp(s->show.assigned, c->assigned_ip)) {
			s->cfg_assigned_ip = s->assigned_ip;
			s->assigned_ip = dup_in(s, c->assigned_ip);
		} else {
			s->client_assigned_ip = dup_in(s, c->assigned_ip);
		}
	}
	/* what the client saw explains a failure the device alone cannot */
	if (s->failure.cause && error && s->failure.explanation) {
		struct strbuf why;

		sb_init(&why);
		sb_addf(&why, "%s; the client (%s L%u) reported: %s", s->failure.explanation,
			c->input, error->first_line, error->text);
		s->failure.explanation = session_strndup(s, why.buf, why.len);
		sb_finish(&why);
		failure_add_evidence(s, c->input, error->first_line, error->text);
	}
}

void
recon_clients_hold(struct recon_clients *c, struct session *s)
{
	c->held = xreallocarray(c->held, c->n + 1, sizeof(*c->held));
	c->held[c->n++] = s;
}

bool
recon_clients_join(struct recon_clients *c, struct session *s)
{
	size_t best = recon_client_best(s, c->held, c->n);

	if (best >= c->n)
		return false;
	recon_join_client(s, c->held[best]);
	session_destroy(c->held[best]);
	c->held[best] = NULL;
	return true;
}

struct session *
recon_clients_next(struct recon_clients *c)
{
	while (c->next < c->n) {
		struct session *s = c->held[c->next];

		c->held[c->next++] = NULL;
		if (s)
			return s;
	}
	return NULL;
}

void
recon_clients_free(struct recon_clients *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		session_destroy(c->held[i]);
	free(c->held);
	memset(c, 0, sizeof(*c));
}
