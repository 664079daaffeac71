/*
 * Pasted "show crypto ikev2 sa [detail]" and "show crypto ipsec sa" output.
 * Each tunnel (a table row, or a crypto map entry) is gathered line by line;
 * when it ends, its child SA (SPIs in and out, selectors, transforms) goes
 * to the session it belongs to (same IKE SPIs, same child SPI, or same peer)
 * or, when the debug output does not hold that session, makes one.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/util/arena.h"
#include "ikescope/util/xalloc.h"
#include "recon-private.h"

struct show_unit {
	bool active;
	uint32_t first_line, last_line;
	struct strbuf local, remote, lsel, rsel, transforms, assigned, user;
	unsigned lport, rport;
	enum model_role role;
	bool ready;
	uint64_t spi_local, spi_remote;
	bool has_spi_local, has_spi_remote;
	uint32_t spi_in, spi_out;
	bool has_in, has_out;
	/* the IKE SA's line: "Encr: AES-CBC, keysize: 192, Hash: SHA96, DH Grp:1" */
	struct strbuf ike_encr;
	/* show vpn-sessiondb detail: a session of a user, no SPIs; the tunnel group */
	bool sessiondb;
	struct strbuf tunnel_group;
	unsigned ike_keysize, ike_group, lifetime;
};

static void
copy(struct strbuf *out, const struct ike_event *ev, enum gram_field f)
{
	const struct gram_value *v = val(ev, f);

	sb_reset(out);
	if (v)
		sb_add(out, v->p, v->len);
}

/* The local and remote address and port of a tunnel row or crypto endpoint line. */
static void
endpoints(struct show_unit *u, const struct ike_event *ev)
{
	uint32_t port;

	copy(&u->local, ev, GRAM_FIELD_LOCAL);
	copy(&u->remote, ev, GRAM_FIELD_REMOTE);
	if (recon_u32(ev, GRAM_FIELD_LPORT, &port))
		u->lport = port;
	if (recon_u32(ev, GRAM_FIELD_RPORT, &port))
		u->rport = port;
}

static void
unit_reset(struct show_unit *u)
{
	struct strbuf *bufs[] = { &u->local, &u->remote,     &u->lsel,
				  &u->rsel,  &u->transforms, &u->assigned,
				  &u->user,  &u->ike_encr,   &u->tunnel_group };
	size_t i;

	for (i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
		sb_reset(bufs[i]);
	u->active = false;
	u->lport = u->rport = 0;
	u->role = MODEL_ROLE_UNKNOWN;
	u->ready = false;
	u->has_spi_local = u->has_spi_remote = u->has_in = u->has_out = false;
	u->ike_keysize = u->ike_group = u->lifetime = 0;
	u->sessiondb = false;
}

static struct show_unit *
unit_of(struct recon *r)
{
	if (!r->show) {
		r->show = xcalloc(1, sizeof(*r->show));
		unit_reset(r->show);
	}
	return r->show;
}

void
recon_show_free(struct recon *r)
{
	struct show_unit *u = r->show;

	if (!u)
		return;
	sb_finish(&u->local);
	sb_finish(&u->remote);
	sb_finish(&u->lsel);
	sb_finish(&u->rsel);
	sb_finish(&u->transforms);
	sb_finish(&u->assigned);
	sb_finish(&u->user);
	sb_finish(&u->ike_encr);
	sb_finish(&u->tunnel_group);
	free(u);
	r->show = NULL;
}

static bool
same(const char *a, const struct strbuf *b)
{
	return a && b->len && !strcmp(a, b->buf);
}

/* The open session the unit belongs to, or NULL. */
static struct session *
owner(struct recon *r, const struct show_unit *u)
{
	struct open_session *o;
	struct session *by_peer = NULL;

	for (o = r->newest; o; o = o->older) {
		struct session *s = o->s;

		if (s->client_log)
			continue;
		if (u->has_spi_local && u->has_spi_remote && s->has_spi_i && s->has_spi_r &&
		    ((s->spi_i == u->spi_local && s->spi_r == u->spi_remote) ||
		     (s->spi_i == u->spi_remote && s->spi_r == u->spi_local)))
			return s;
		if ((u->has_in && recon_child_with(s, u->spi_in)) ||
		    (u->has_out && recon_child_with(s, u->spi_out)))
			return s;
		/* newest first: the first up session with that peer */
		if (!by_peer && same(s->peer, &u->remote) &&
		    (!u->local.len || !s->local || same(s->local, &u->local)) && s->ike_up)
			by_peer = s;
	}
	return by_peer;
}

static const char *
text_of(struct session *s, const struct strbuf *b)
{
	return b->len ? session_strndup(s, b->buf, b->len) : NULL;
}

/*
 * The debug output rebuilt the session: keep what the show says of it, to
 * cross-check (the first show that says a thing is kept).
 */
static void
show_facts(struct session *s, const struct show_unit *u)
{
	struct show_facts *f = &s->show;

	f->seen = true;
	if (!f->line)
		f->line = u->first_line;
	if (!f->encr)
		f->encr = text_of(s, &u->ike_encr);
	if (!f->keysize)
		f->keysize = u->ike_keysize;
	if (!f->group)
		f->group = u->ike_group;
	if (!f->lifetime)
		f->lifetime = u->lifetime;
	if (!f->assigned && (f->assigned = text_of(s, &u->assigned)))
		f->assigned_line = u->first_line;
	if (!f->user && (f->user = text_of(s, &u->user)))
		f->user_line = u->first_line;
	if (!f->tunnel_group && (f->tunnel_group = text_of(s, &u->tunnel_group)))
		f->tunnel_group_line = u->first_line;
}

/* The tunnel gathered so far is complete: give its child SA to its session. */
static void
flush(struct recon *r)
{
	struct show_unit *u = r->show;
	struct session *s, *focus = r->focus;
	struct child_sa *c = NULL;

	if (!u || !u->active)
		return;
	if (u->sessiondb) {
		/* no SPIs: only for the session of the same peer the debug output rebuilt */
		s = owner(r, u);
		if (s && !s->from_show) {
			show_facts(s, u);
			if (u->last_line > s->last_line)
				s->last_line = u->last_line;
		}
		unit_reset(u);
		return;
	}
	if (!u->has_in && !u->has_out) {
		unit_reset(u);
		return;
	}
	s = owner(r, u);
	if (!s) {
		/* only the show output knows this session */
		s = recon_new_session(r, u->first_line);
		r->focus = focus;
		s->from_show = true;
		s->role = u->role;
		s->local = text_of(s, &u->local);
		s->peer = text_of(s, &u->remote);
		s->lport = s->lport_first = u->lport;
		s->pport = s->pport_first = u->rport;
		if (u->has_spi_local && u->has_spi_remote) {
			bool responder = u->role == MODEL_ROLE_RESPONDER;

			recon_set_spi_i(r, s, responder ? u->spi_remote : u->spi_local);
			s->spi_r = responder ? u->spi_local : u->spi_remote;
			s->has_spi_r = true;
		}
		s->ike_up = true;
		r->ike_records++;
	} else if (!s->from_show) {
		show_facts(s, u);
	}
	if (u->has_in)
		c = recon_child_with(s, u->spi_in);
	if (!c && u->has_out)
		c = recon_child_with(s, u->spi_out);
	if (!c)
		c = recon_add_child(s, u->first_line);
	if (u->has_in) {
		c->spi_in = u->spi_in;
		c->has_in = true;
	}
	if (u->has_out) {
		c->spi_out = u->spi_out;
		c->has_out = true;
	}
	if (!c->removed)
		c->installed = true;
	if (!c->local_sel)
		c->local_sel = text_of(s, &u->lsel);
	if (!c->remote_sel)
		c->remote_sel = text_of(s, &u->rsel);
	if (!c->transforms)
		c->transforms = text_of(s, &u->transforms);
	/* a debug session takes them at its end, if its own output did not give them */
	if (s->from_show && !s->assigned_ip)
		s->assigned_ip = text_of(s, &u->assigned);
	if (s->from_show && !s->user)
		s->user = text_of(s, &u->user);
	if (u->last_line > s->last_line)
		s->last_line = u->last_line;
	unit_reset(u);
}

void
recon_show_end(struct recon *r)
{
	flush(r);
}

/* A selector as the timeline shows it: one address, or a range. */
static void
selector(struct strbuf *out, const struct ike_event *ev, bool mask)
{
	const struct gram_value *a = val(ev, GRAM_FIELD_ADDR_START);
	const struct gram_value *b = val(ev, GRAM_FIELD_ADDR_END);

	sb_reset(out);
	if (!a)
		return;
	sb_add(out, a->p, a->len);
	if (!b || (b->len == a->len && !memcmp(a->p, b->p, a->len)) ||
	    (mask && b->len == 15 && !memcmp(b->p, "255.255.255.255", 15)))
		return;
	sb_addc(out, mask ? '/' : '-');
	sb_add(out, b->p, b->len);
}

/* The first word of a value. */
static void
word(struct strbuf *out, const char *p, size_t len)
{
	size_t n;

	for (n = 0; n < len && p[n] != ' ' && p[n] != '\t'; n++)
		;
	sb_reset(out);
	sb_add(out, p, n);
}

/* show vpn-sessiondb detail: "Username : Anu   Index : 2" and the like. */
static void
sessiondb_field(struct recon *r, struct show_unit *u, const struct ike_event *ev)
{
	const struct gram_value *t = val(ev, GRAM_FIELD_TEXT);

	if (!t)
		return;
	if (is(ev, GRAM_FIELD_SHOW_FIELD, "username")) {
		flush(r);
		u->active = u->sessiondb = true;
		u->first_line = ev->first_line;
		word(&u->user, t->p, t->len);
	}
	if (!u->sessiondb)
		return;
	u->last_line = ev->last_line;
	if (is(ev, GRAM_FIELD_SHOW_FIELD, "assigned-address")) {
		const struct gram_value *pub = val(ev, GRAM_FIELD_REMOTE);

		word(&u->assigned, t->p, t->len);
		if (pub)
			word(&u->remote, pub->p, pub->len);
	} else if (is(ev, GRAM_FIELD_SHOW_FIELD, "public-address") && !u->remote.len) {
		word(&u->remote, t->p, t->len);
	} else if (is(ev, GRAM_FIELD_SHOW_FIELD, "group-policy")) {
		const struct gram_value *tg = val(ev, GRAM_FIELD_TUNNEL_GROUP);

		if (tg)
			word(&u->tunnel_group, tg->p, tg->len);
	}
}

void
recon_show_line(struct recon *r, const struct ike_event *ev)
{
	struct show_unit *u = unit_of(r);
	unsigned long long v;

	if (is(ev, GRAM_FIELD_KIND, "session-field")) {
		sessiondb_field(r, u, ev);
		return;
	}

	/* a new table, session, tunnel or crypto map entry ends the one before */
	if (is(ev, GRAM_FIELD_KIND, "header") || is(ev, GRAM_FIELD_KIND, "table-header") ||
	    (is(ev, GRAM_FIELD_KIND, "session") && val(ev, GRAM_FIELD_STATUS)) ||
	    is(ev, GRAM_FIELD_KIND, "tunnel") || is(ev, GRAM_FIELD_KIND, "crypto-map"))
		flush(r);
	if (is(ev, GRAM_FIELD_KIND, "tunnel") || is(ev, GRAM_FIELD_KIND, "crypto-map")) {
		u->active = true;
		u->first_line = ev->first_line;
		endpoints(u, ev);
		u->role = ev->role == IKE_ROLE_RESPONDER   ? MODEL_ROLE_RESPONDER
			  : ev->role == IKE_ROLE_INITIATOR ? MODEL_ROLE_INITIATOR
							   : MODEL_ROLE_UNKNOWN;
		u->ready = is(ev, GRAM_FIELD_STATE_CLASS, "established");
	}
	if (!u->active)
		return;
	u->last_line = ev->last_line;
	if (is(ev, GRAM_FIELD_KIND, "ike-spi") && recon_num(ev, GRAM_FIELD_SPI, 16, &v)) {
		if (is(ev, GRAM_FIELD_SIDE, "local")) {
			u->spi_local = v;
			u->has_spi_local = true;
		} else {
			u->spi_remote = v;
			u->has_spi_remote = true;
		}
	} else if (is(ev, GRAM_FIELD_KIND, "child-spis") && is(ev, GRAM_FIELD_PROTOCOL, "ESP")) {
		unsigned long long out;

		if (recon_num(ev, GRAM_FIELD_SPI, 16, &v) &&
		    recon_num(ev, GRAM_FIELD_VALUE, 16, &out) && (v || out) && v <= UINT32_MAX &&
		    out <= UINT32_MAX) {
			u->spi_in = (uint32_t)v;
			u->spi_out = (uint32_t)out;
			u->has_in = u->has_out = true;
		}
	} else if (is(ev, GRAM_FIELD_KIND, "current-spi") &&
		   recon_num(ev, GRAM_FIELD_SPI, 16, &v) && v && v <= UINT32_MAX) {
		if (is(ev, GRAM_FIELD_SIDE, "local")) {
			u->spi_in = (uint32_t)v;
			u->has_in = true;
		} else {
			u->spi_out = (uint32_t)v;
			u->has_out = true;
		}
	} else if (is(ev, GRAM_FIELD_KIND, "selector") || is(ev, GRAM_FIELD_KIND, "ident")) {
		bool ident = is(ev, GRAM_FIELD_KIND, "ident");

		selector(is(ev, GRAM_FIELD_SIDE, "local") ? &u->lsel : &u->rsel, ev, ident);
	} else if (is(ev, GRAM_FIELD_KIND, "transforms") && val(ev, GRAM_FIELD_GROUP)) {
		/* the IKE SA's */
		copy(&u->ike_encr, ev, GRAM_FIELD_TID);
		if (recon_num(ev, GRAM_FIELD_KEYLEN, 10, &v) && v < 65536)
			u->ike_keysize = (unsigned)v;
		if (recon_num(ev, GRAM_FIELD_GROUP, 10, &v) && v < 65536)
			u->ike_group = (unsigned)v;
	} else if (is(ev, GRAM_FIELD_KIND, "lifetime") &&
		   recon_num(ev, GRAM_FIELD_SECONDS, 10, &v) && v <= UINT32_MAX) {
		u->lifetime = (unsigned)v;
	} else if (is(ev, GRAM_FIELD_KIND, "transforms") && !val(ev, GRAM_FIELD_GROUP)) {
		/* the child's (the IKE SA's line has a DH group) */
		const struct gram_value *t = val(ev, GRAM_FIELD_TID),
					*h = val(ev, GRAM_FIELD_VALUE);

		sb_reset(&u->transforms);
		if (t)
			sb_add(&u->transforms, t->p, t->len);
		if (recon_num(ev, GRAM_FIELD_KEYLEN, 10, &v))
			sb_addf(&u->transforms, "-%llu", (unsigned long long)v);
		if (h) {
			sb_addc(&u->transforms, '/');
			sb_add(&u->transforms, h->p, h->len);
		}
	} else if (is(ev, GRAM_FIELD_KIND, "transform") && !u->transforms.len) {
		copy(&u->transforms, ev, GRAM_FIELD_TID);
	} else if (is(ev, GRAM_FIELD_KIND, "detail") &&
		   is(ev, GRAM_FIELD_SHOW_FIELD, "assigned-address")) {
		copy(&u->assigned, ev, GRAM_FIELD_TEXT);
	} else if (is(ev, GRAM_FIELD_KIND, "peer")) {
		copy(&u->remote, ev, GRAM_FIELD_PEER);
		copy(&u->user, ev, GRAM_FIELD_USERNAME);
	} else if (is(ev, GRAM_FIELD_KIND, "endpoints")) {
		endpoints(u, ev);
	}
}
