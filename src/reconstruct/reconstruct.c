/*
 * From records to sessions. One pass over the records of an input; each
 * record is tied to a session by what it carries (the device's SA number,
 * the SPI pair, or nothing: then the session in focus), and to the message
 * being dumped when it is part of a dump.
 */
#include "ikescope/reconstruct.h"

#include <stdlib.h>
#include <string.h>

#include "ikescope/dialect.h"
#include "ikescope/grammar.h"
#include "ikescope/lexer.h"
#include "ikescope/proto.h"
#include "ikescope/util/arena.h"
#include "ikescope/util/strbuf.h"
#include "ikescope/util/xalloc.h"
#include "ikescope/xml.h"
#include "recon-private.h"

/* ---- field access ---- */

bool
recon_u32(const struct ike_event *ev, enum gram_field f, uint32_t *out)
{
	unsigned long long n;

	if (!recon_num(ev, f, 10, &n) || n > UINT32_MAX)
		return false;
	*out = (uint32_t)n;
	return true;
}

/* The message ID the event names, as the adapter decoded it. */
static bool
mid_of(const struct ike_event *ev, uint32_t *out)
{
	if (ev->has_mid)
		*out = ev->mid;
	return ev->has_mid;
}

const char *
recon_str(struct session *s, const struct ike_event *ev, enum gram_field f)
{
	const struct gram_value *v = val(ev, f);

	return v ? session_strndup(s, v->p, v->len) : NULL;
}

/* The ID type and the AUTH method an event names, as protocol values; 0 if not known. */
static uint8_t
id_type_of(const struct ike_event *ev)
{
	const struct gram_value *v = val(ev, GRAM_FIELD_ID_TYPE);
	unsigned t;

	return v && dialect_id_type(ev->dialect, v->p, v->len, &t) && t < 256 ? (uint8_t)t : 0;
}

static uint8_t
auth_method_of(const struct ike_event *ev)
{
	const struct gram_value *v = val(ev, GRAM_FIELD_AUTH_METHOD);
	unsigned m;

	return v && dialect_auth_method(ev->dialect, v->p, v->len, &m) && m < 256 ? (uint8_t)m : 0;
}

/* ---- sessions ---- */

struct session *
recon_new_session(struct recon *r, uint32_t line)
{
	struct session *s = session_create(r->input, r->input_index);

	if (r->event_dialect < GRAM_DIALECT_COUNT)
		s->dialect = gram_dialect_name(r->event_dialect);
	recon_open(r, s, line);
	r->focus = s;
	recon_apply_orphans(r, s);
	return s;
}

/* The line of the IKE_SA_INIT response a responder sent, 0 if none. */
static uint32_t
answered_init_line(const struct session *s)
{
	size_t i;

	for (i = 0; i < s->nmsgs; i++)
		if (s->msgs[i]->dir == MODEL_DIR_OUT && s->msgs[i]->exchange &&
		    !strcmp(s->msgs[i]->exchange, "IKE_SA_INIT"))
			return s->msgs[i]->first_line;
	return 0;
}

static bool
answered_init(const struct session *s)
{
	size_t i;

	for (i = 0; i < s->nmsgs; i++)
		if (s->msgs[i]->dir == MODEL_DIR_OUT && s->msgs[i]->exchange &&
		    !strcmp(s->msgs[i]->exchange, "IKE_SA_INIT") && s->role == MODEL_ROLE_RESPONDER)
			return true;
	return false;
}

/*
 * True if open session s owns a record that names these SPIs, SA handle and
 * IOS session number: the same initiator SPI (and responder SPI, when both
 * know it), else the same SA handle. A newer SA with the same initiator SPI
 * but another handle is another attempt; IOS-XE reuses handles, so there
 * the SPIs decide, or its session number.
 */
static bool
owns(const struct session *s, bool has_i, uint64_t si, bool has_r, uint64_t sr, bool has_sa,
     uint32_t sa, bool has_ios, uint32_t ios)
{
	if (s->closed)
		return false;
	if (has_i && s->has_spi_i) {
		if (s->spi_i != si)
			return false;
		if (has_r && s->has_spi_r && s->spi_r != sr)
			return false;
		return !(has_sa && s->nsa_ids && !session_has_sa_id(s, sa) &&
			 !(has_r && s->spi_r == sr));
	}
	if (!has_sa || !session_has_sa_id(s, sa))
		return false;
	return !(has_ios && s->ios_session && s->ios_session != ios);
}

/*
 * The session a record belongs to. sa: the device's SA number; spi_i/spi_r:
 * the SPIs the record names. With create, a record that names an SA or SPIs
 * nobody has yet starts a session.
 */
/*
 * True if session s may hold a record of dialect d: one input may mix the
 * lines of several daemons or devices, whose SA numbers are their own.
 */
static bool
same_dialect(const struct session *s, enum gram_dialect d)
{
	/* the session's dialect is its first record's name: most records share it */
	return !s || !s->dialect || d >= GRAM_DIALECT_COUNT || s->dialect == gram_dialect_name(d) ||
	       dialect_same_sa_space(dialect_named(s->dialect), d);
}

static struct session *
find_session_as(struct recon *r, const struct ike_event *ev, uint32_t line, bool create,
		const uint32_t *sa_given)
{
	uint32_t sa = ev->handle, ios = ev->session;
	uint64_t si = ev->spi_i, sr = ev->spi_r;
	bool has_sa = ev->has_handle, has_ios = ev->has_session;
	/* a cut SPI names no SA, nor does a zero one */
	bool has_i = ev->has_spi_i && ev->spi_i_whole && si != 0;
	bool has_r = ev->has_spi_r && ev->spi_r_whole && sr != 0;
	const struct recon_index_node *e;
	struct session *best = NULL;

	/* the SA number of the packet line whose dump this record is part of */
	if (!has_sa && sa_given) {
		sa = *sa_given;
		has_sa = true;
	}
	/* the sessions that could own the record: those with its SPI or its SA handle */
	if (has_i)
		for (e = recon_index_first(&r->by_spi, si); e; e = recon_index_next(e))
			if (owns(e->s, has_i, si, has_r, sr, has_sa, sa, has_ios, ios) &&
			    same_dialect(e->s, ev->dialect) &&
			    (!best || e->s->number > best->number))
				best = e->s;
	if (has_sa)
		for (e = recon_index_first(&r->by_sa, sa); e; e = recon_index_next(e))
			if (owns(e->s, has_i, si, has_r, sr, has_sa, sa, has_ios, ios) &&
			    same_dialect(e->s, ev->dialect) &&
			    (!best || e->s->number > best->number))
				best = e->s;
	/*
	 * A new IKE_SA_INIT request (zero responder SPI) for an SA that has
	 * already answered one: the responder handles it as a new SA (an ASA
	 * opens one for each retransmission), so it starts a new session.
	 */
	if (best && create && has_i && !has_r && best->has_spi_r && !has_sa &&
	    is(ev, GRAM_FIELD_EXCHANGE, "IKE_SA_INIT") && ev->dir == IKE_DIR_IN &&
	    answered_init(best)) {
		struct session *first = best;

		best = recon_new_session(r, line);
		best->copy = true;
		best->copy_of_spi_r = first->spi_r;
		best->copy_of_first_line = first->first_line;
		best->copy_of_answer_line = answered_init_line(first);
	}
	if (!best && !has_i && !has_sa && same_dialect(r->focus, ev->dialect))
		best = r->focus;
	/* an SA number first seen on a line that does not open anything: the session in focus */
	if (!best && !create && has_sa && !has_i && r->focus && !r->focus->nsa_ids &&
	    same_dialect(r->focus, ev->dialect))
		best = r->focus;
	/*
	 * Or the session begun by messages that named no SA, when the log
	 * names its SA only later ("deleting IKE_SA home[1]" after the
	 * messages): unless the record opens a new SA.
	 */
	if (!best && has_sa && !has_i && !r->opening && r->anon && !r->anon->closed &&
	    !r->anon->nsa_ids && !r->anon->has_spi_i && same_dialect(r->anon, ev->dialect))
		best = r->anon;
	/*
	 * A record that names an SA number nobody has starts a session even if
	 * it opens nothing: a pasted excerpt may hold only such lines.
	 */
	if (!best && (has_sa || (create && has_i)))
		best = recon_new_session(r, line);
	if (!best)
		return NULL;
	if (has_sa)
		recon_add_sa_id(r, best, sa);
	if (has_i && !best->has_spi_i)
		recon_set_spi_i(r, best, si);
	if (has_r && !best->has_spi_r) {
		best->spi_r = sr;
		best->has_spi_r = true;
	}
	if (has_ios && !best->ios_session)
		best->ios_session = ios;
	r->focus = best;
	if (line > best->last_line)
		best->last_line = line;
	recon_stamp(r, best);
	return best;
}

static struct session *
find_session(struct recon *r, const struct ike_event *ev, uint32_t line, bool create)
{
	return find_session_as(r, ev, line, create, NULL);
}

void
recon_stamp(struct recon *r, struct session *s)
{
	if (r->has_stamp)
		recon_note_time(s, r->stamp);
	recon_touched(r, s);
}

static void
touch(struct recon *r, struct session *s, uint32_t line)
{
	if (line > s->last_line)
		s->last_line = line;
	if (line < s->first_line || !s->first_line)
		s->first_line = line;
	recon_stamp(r, s);
}

/* ---- messages ---- */

static void
set_addresses(struct session *s, struct message *msg)
{
	const char *local = msg->dir == MODEL_DIR_OUT ? msg->src : msg->dst;
	const char *peer = msg->dir == MODEL_DIR_OUT ? msg->dst : msg->src;
	unsigned lport = msg->dir == MODEL_DIR_OUT ? msg->sport : msg->dport;
	unsigned pport = msg->dir == MODEL_DIR_OUT ? msg->dport : msg->sport;

	if (local && (!s->local || strcmp(s->local, local)))
		s->local = local;
	if (peer && (!s->peer || strcmp(s->peer, peer)))
		s->peer = peer;
	if (lport) {
		if (!s->lport_first)
			s->lport_first = lport;
		s->lport = lport;
	}
	if (pport) {
		if (!s->pport_first)
			s->pport_first = pport;
		s->pport = pport;
	}
}

static void
addresses_from(struct session *s, struct message *msg, const struct ike_event *rm)
{
	uint32_t port;

	if (val(rm, GRAM_FIELD_SRC) && !msg->src)
		msg->src = recon_str(s, rm, GRAM_FIELD_SRC);
	if (val(rm, GRAM_FIELD_DST) && !msg->dst)
		msg->dst = recon_str(s, rm, GRAM_FIELD_DST);
	if (!msg->sport && recon_u32(rm, GRAM_FIELD_SPORT, &port))
		msg->sport = port;
	if (!msg->dport && recon_u32(rm, GRAM_FIELD_DPORT, &port))
		msg->dport = port;
	/* Rx/Tx name local and remote instead of source and destination */
	if (val(rm, GRAM_FIELD_LOCAL)) {
		const char **a = msg->dir == MODEL_DIR_OUT ? &msg->src : &msg->dst;
		const char **b = msg->dir == MODEL_DIR_OUT ? &msg->dst : &msg->src;
		unsigned *pa = msg->dir == MODEL_DIR_OUT ? &msg->sport : &msg->dport;
		unsigned *pb = msg->dir == MODEL_DIR_OUT ? &msg->dport : &msg->sport;

		if (!*a)
			*a = recon_str(s, rm, GRAM_FIELD_LOCAL);
		if (!*b)
			*b = recon_str(s, rm, GRAM_FIELD_REMOTE);
		if (!*pa && recon_u32(rm, GRAM_FIELD_LPORT, &port))
			*pa = port;
		if (!*pb && recon_u32(rm, GRAM_FIELD_RPORT, &port))
			*pb = port;
	}
	set_addresses(s, msg);
}

static enum model_dir
dir_of(const struct ike_event *ev)
{
	return ev->dir == IKE_DIR_IN    ? MODEL_DIR_IN
	       : ev->dir == IKE_DIR_OUT ? MODEL_DIR_OUT
					: MODEL_DIR_UNKNOWN;
}

static void
set_exchange(struct session *s, struct message *msg, const struct ike_event *ev)
{
	const char *x = recon_str(s, ev, GRAM_FIELD_EXCHANGE);

	if (x && !msg->exchange)
		msg->exchange = x;
}

/* A dump starts: remember what the packet line said until the SPIs tell whose it is. */
static void
packet_start(struct recon *r, const struct ike_event *ev)
{
	struct pending_packet *p = &r->pkt;
	uint32_t v;

	recon_packet_reset(p);
	p->active = true;
	r->dump_ended_session = NULL;
	p->dir = dir_of(ev);
	p->line = ev->first_line;
	p->has_sa = recon_u32(ev, GRAM_FIELD_SA, &p->sa);
	p->has_mid = mid_of(ev, &p->mid);
	recon_copy_field(&p->src, ev, GRAM_FIELD_SRC);
	recon_copy_field(&p->dst, ev, GRAM_FIELD_DST);
	recon_copy_field(&p->local, ev, GRAM_FIELD_LOCAL);
	recon_copy_field(&p->remote, ev, GRAM_FIELD_REMOTE);
	p->sport = recon_u32(ev, GRAM_FIELD_SPORT, &v) ? v : 0;
	p->dport = recon_u32(ev, GRAM_FIELD_DPORT, &v) ? v : 0;
	p->lport = recon_u32(ev, GRAM_FIELD_LPORT, &v) ? v : 0;
	p->rport = recon_u32(ev, GRAM_FIELD_RPORT, &v) ? v : 0;
	r->msg = NULL;
	r->inner = false;
	r->payload = NULL;
}

/* The source and destination a pending packet line gave, where msg has none. */
static void
pending_addresses(struct session *s, struct message *msg, const struct pending_packet *p)
{
	if (p->src.len && !msg->src)
		msg->src = session_strndup(s, p->src.buf, p->src.len);
	if (p->dst.len && !msg->dst)
		msg->dst = session_strndup(s, p->dst.buf, p->dst.len);
	if (p->sport && !msg->sport)
		msg->sport = p->sport;
	if (p->dport && !msg->dport)
		msg->dport = p->dport;
}

/* The message that a dumped header belongs to, created from the pending packet line. */
static struct message *
packet_message(struct recon *r, struct session *s, uint32_t line)
{
	struct pending_packet *p = &r->pkt;
	struct message *msg = NULL;

	if (!p->active)
		return r->msg && r->msg_session == s ? r->msg : NULL;
	/* the inner payloads of an outgoing message were dumped before its header */
	if (p->dir == MODEL_DIR_OUT && r->building && r->building_session == s)
		msg = r->building;
	/* a platform RECV PKT line came first */
	else if (r->plat_msg && r->plat_session == s && r->plat_msg->dir == p->dir &&
		 !r->plat_msg->has_header)
		msg = r->plat_msg;
	if (!msg)
		msg = session_add_message(s, p->dir, p->line);
	r->building = NULL;
	r->plat_msg = NULL;
	msg->has_header = true;
	if (p->line < msg->first_line)
		msg->first_line = p->line;
	if (line > msg->last_line)
		msg->last_line = line;
	if (p->has_mid && !msg->mid_known) {
		msg->mid = p->mid;
		msg->mid_known = true;
	}
	pending_addresses(s, msg, p);
	if (p->local.len) {
		const char *l = session_strndup(s, p->local.buf, p->local.len);
		const char *rm = session_strndup(s, p->remote.buf, p->remote.len);

		if (msg->dir == MODEL_DIR_OUT) {
			msg->src = msg->src ? msg->src : l;
			msg->dst = msg->dst ? msg->dst : rm;
			msg->sport = msg->sport ? msg->sport : p->lport;
			msg->dport = msg->dport ? msg->dport : p->rport;
		} else {
			msg->dst = msg->dst ? msg->dst : l;
			msg->src = msg->src ? msg->src : rm;
			msg->dport = msg->dport ? msg->dport : p->lport;
			msg->sport = msg->sport ? msg->sport : p->rport;
		}
	}
	set_addresses(s, msg);
	p->active = false;
	r->msg = msg;
	r->msg_session = s;
	r->inner = false;
	r->payload = NULL;
	return msg;
}

static void payload_list(struct recon *r, const struct ike_event *ev);

/* True if s has a message of exchange x in direction dir, not a response. */
static bool
has_message(const struct session *s, const char *x, enum model_dir dir)
{
	size_t i;

	for (i = 0; i < s->nmsgs; i++)
		if (s->msgs[i]->dir == dir && !s->msgs[i]->response && s->msgs[i]->exchange &&
		    !strcmp(s->msgs[i]->exchange, x))
			return true;
	return false;
}

/*
 * A notify payload of msg that ev's notify field names (the protocol's name
 * when the dialect's is known), inside the encrypted one when inner; with
 * once, none when msg already has it.
 */
static void
add_notify(struct session *s, struct message *msg, const struct ike_event *ev, bool once,
	   bool inner)
{
	const struct gram_value *n = val(ev, GRAM_FIELD_NOTIFY);
	const char *name = dialect_notify_name(ev->dialect, n->p, n->len);
	struct payload *p;
	size_t i;

	for (i = 0; once && i < msg->np; i++)
		if (msg->p[i].ptype == PROTO_PAYLOAD_NOTIFY && msg->p[i].notify &&
		    (name ? !strcmp(msg->p[i].notify, name)
			  : strlen(msg->p[i].notify) == n->len &&
				     !memcmp(msg->p[i].notify, n->p, n->len)))
			return;
	p = message_add_payload(s, msg, ev->first_line);
	p->ptype = PROTO_PAYLOAD_NOTIFY;
	p->type = session_strndup(s, "N", 1);
	p->notify = name ? name : recon_str(s, ev, GRAM_FIELD_NOTIFY);
	p->listed = true;
	p->inner = inner;
}

/* True if every payload of msg is a fragment (SKF): the message is not reassembled yet. */
static bool
only_fragments(const struct message *msg)
{
	size_t i;

	for (i = 0; i < msg->np; i++)
		if (msg->p[i].ptype != PROTO_PAYLOAD_SKF)
			return false;
	return msg->np > 0;
}

/* True if the payload list v names fragments (SKF) only. */
static bool
lists_fragments(enum gram_dialect d, const struct gram_value *v)
{
	const char *p = v->p, *end = v->p + v->len;
	bool any = false;

	while (p < end) {
		const char *w = p;
		unsigned t;
		int depth = 0;

		while (w < end && (depth || (*w != ' ' && *w != '\t'))) {
			depth += *w == '(' ? 1 : *w == ')' && depth ? -1 : 0;
			w++;
		}
		if (w > p) {
			if (!dialect_payload_type(d, p, (size_t)(w - p), &t) ||
			    t != PROTO_PAYLOAD_SKF)
				return false;
			any = true;
		}
		for (p = w; p < end && (*p == ' ' || *p == '\t'); p++)
			;
	}
	return any;
}

static struct payload *find_listed(struct message *msg, unsigned ptype);
static void add_listed_proposal(struct recon *r, struct session *s, struct payload *p,
				const char *protocol, size_t plen, const char *t, size_t len,
				unsigned num, uint32_t line);

/*
 * The transforms a message's line gives ("{cipher=AES_GCM_16_256 integ=n/a
 * prf=HMAC_SHA2_512 ke=DH19}"): the proposal of its SA payload (made when
 * the line lists none), offered in a request and chosen in a response.
 */
static void
message_transforms(struct recon *r, struct session *s, struct message *msg,
		   const struct ike_event *ev)
{
	const struct gram_value *t = val(ev, GRAM_FIELD_TRANSFORMS);
	const struct gram_value *pr = val(ev, GRAM_FIELD_PROTOCOL);
	struct payload *sa = find_listed(msg, PROTO_PAYLOAD_SA);

	if (!t || !t->len)
		return;
	if (!sa) {
		sa = message_add_payload(s, msg, ev->first_line);
		sa->ptype = PROTO_PAYLOAD_SA;
		sa->type = session_strndup(s, "SA", 2);
		sa->listed = true;
	}
	if (sa->nprops)
		return;
	add_listed_proposal(r, s, sa, pr ? pr->p : "IKE", pr ? pr->len : 3, t->p, t->len, 1,
			    ev->first_line);
}

/* The first payload of type ptype of msg, or NULL. */
static struct payload *
find_listed(struct message *msg, unsigned ptype)
{
	size_t i;

	for (i = 0; i < msg->np; i++)
		if (msg->p[i].ptype == ptype)
			return &msg->p[i];
	return NULL;
}

/*
 * A message a line names once, with its exchange, MID and payload list (an
 * event trace; strongSwan's "parsed IKE_AUTH response 1 [ IDr AUTH ]"). The
 * fragments of one message name its MID again: they are that message's
 * (and the message reassembled from them, parsed last, gives its payloads).
 */
static void
event_message(struct recon *r, const struct ike_event *ev, struct session *s, enum model_dir dir)
{
	const struct gram_value *pl = val(ev, GRAM_FIELD_PAYLOADS);
	const char *x = val(ev, GRAM_FIELD_EXCHANGE) ? recon_str(s, ev, GRAM_FIELD_EXCHANGE) : NULL;
	struct message *msg = NULL, *last = NULL;
	uint32_t mid = 0;
	bool has_mid = mid_of(ev, &mid);
	size_t i;

	for (i = s->nmsgs; i-- > 0;)
		if (s->msgs[i]->dir == dir) {
			last = s->msgs[i];
			break;
		}
	/*
	 * "processed IKE_SA_INIT response": the message the line before named
	 * (as it was received), now processed, if it is the last one this way
	 */
	if (is(ev, GRAM_FIELD_KIND, "event-done") && last && last->response == ev->response &&
	    last->exchange && x && !strcmp(last->exchange, x) && last == s->msgs[s->nmsgs - 1])
		msg = last;
	else if (last && has_mid && last->mid_known && last->mid == mid &&
		 last->response == ev->response && last->exchange && x &&
		 !strcmp(last->exchange, x)) {
		if (pl && lists_fragments(ev->dialect, pl)) {
			/* one more fragment of the message */
			last->fragments++;
			if (ev->last_line > last->last_line)
				last->last_line = ev->last_line;
			touch(r, s, ev->last_line);
			return;
		}
		if (only_fragments(last)) {
			/* the message its fragments were reassembled into */
			msg = last;
			msg->np = 0;
		} else {
			/* the same message named again: sent (or received) again */
			last->sends++;
			if (dir == MODEL_DIR_OUT) {
				last->retransmits++;
				s->retransmits++;
			}
			if (ev->last_line > last->last_line)
				last->last_line = ev->last_line;
			touch(r, s, ev->last_line);
			r->msg = last;
			r->msg_session = s;
			return;
		}
	}
	if (!msg) {
		msg = session_add_message(s, dir, ev->first_line);
		msg->sends = 1;
		set_exchange(s, msg, ev);
		msg->response = ev->response;
		msg->response_known = true;
		if (has_mid) {
			msg->mid = mid;
			msg->mid_known = true;
		}
		if (pl && lists_fragments(ev->dialect, pl))
			msg->fragments = 1;
	}
	addresses_from(s, msg, ev);
	/* the MID in force for the lines that follow (their evidence) */
	if (msg->mid_known) {
		s->cur_mid = msg->mid;
		s->cur_mid_known = true;
	}
	/* the datagram received just before it */
	if (dir == MODEL_DIR_IN && r->pkt.active && r->pkt.dir == MODEL_DIR_IN) {
		struct pending_packet *p = &r->pkt;

		pending_addresses(s, msg, p);
		if (p->line < msg->first_line)
			msg->first_line = p->line;
		touch(r, s, p->line);
		set_addresses(s, msg);
		p->active = false;
	}
	if (ev->last_line > msg->last_line)
		msg->last_line = ev->last_line;
	r->msg = msg;
	r->msg_session = s;
	r->building = NULL;
	r->inner = false;
	r->payload = NULL;
	if (pl)
		payload_list(r, ev);
	/* a line that names the notify the message carries, and no payload list */
	if (!pl && val(ev, GRAM_FIELD_NOTIFY))
		add_notify(s, msg, ev, false, false);
	/* the method a message's line says this end authenticates with */
	if (dir == MODEL_DIR_OUT && val(ev, GRAM_FIELD_AUTH_METHOD) && !s->local_auth) {
		s->local_auth = recon_str(s, ev, GRAM_FIELD_AUTH_METHOD);
		s->local_authm = auth_method_of(ev);
	}
	/* the transforms a line gives the message: the SA offered, or the one chosen */
	if (val(ev, GRAM_FIELD_TRANSFORMS))
		message_transforms(r, s, msg, ev);
	/* (I)/(R) is the role in the exchange: the initiator of IKE_SA_INIT is the SA's */
	if (s->role == MODEL_ROLE_UNKNOWN && msg->exchange && !strcmp(msg->exchange, "IKE_SA_INIT"))
		s->role = (dir == MODEL_DIR_OUT) != msg->response ? MODEL_ROLE_INITIATOR
								  : MODEL_ROLE_RESPONDER;
}

/*
 * A datagram sent or received, with its addresses and ports, when the
 * line that names the message is another one: an outgoing one carries the
 * message just named (again: a retransmission), an incoming one the next.
 */
static void
wire_packet(struct recon *r, const struct ike_event *ev)
{
	struct session *s;
	struct message *msg = NULL;
	size_t i;

	if (ev->dir != IKE_DIR_OUT) {
		packet_start(r, ev);
		return;
	}
	if (!(s = find_session(r, ev, ev->first_line, false)))
		return;
	for (i = s->nmsgs; i-- > 0 && !msg;)
		if (s->msgs[i]->dir == MODEL_DIR_OUT)
			msg = s->msgs[i];
	if (!msg)
		return;
	touch(r, s, ev->last_line);
	if (ev->last_line > msg->last_line)
		msg->last_line = ev->last_line;
	if (!msg->src && !msg->dst) {
		addresses_from(s, msg, ev);
		set_addresses(s, msg);
	} else if (s->retransmit_pending) {
		msg->sends++;
		msg->retransmits++;
		s->retransmits++;
		s->retransmit_pending = false;
	}
}

/* SENT PKT / RECV PKT: the platform's line for a message. */
static void
platform_packet(struct recon *r, const struct ike_event *ev)
{
	enum model_dir dir = dir_of(ev);
	struct session *s = find_session(r, ev, ev->first_line, true);
	struct message *msg = NULL;
	uint32_t mid = 0;
	bool has_mid = mid_of(ev, &mid);
	size_t i;

	/*
	 * A message named by a line that names no SA (a log without SA
	 * numbers): the session in focus, unless it is a new IKE_SA_INIT
	 * request, which begins a new SA, as does any message with no session.
	 */
	if ((is(ev, GRAM_FIELD_KIND, "event") || is(ev, GRAM_FIELD_KIND, "event-done")) &&
	    !ev->has_handle && !ev->has_spi_i &&
	    (!s || (is(ev, GRAM_FIELD_EXCHANGE, "IKE_SA_INIT") && !ev->response &&
		    !val(ev, GRAM_FIELD_SA) && has_message(s, "IKE_SA_INIT", dir)))) {
		s = recon_new_session(r, ev->first_line);
		r->anon = s;
	}
	if (!s)
		return;
	if (is(ev, GRAM_FIELD_KIND, "partial")) {
		/*
		 * What is left of a packet line cut in publication (its SPIs and
		 * MID): the message built before it, if any, is the one sent.
		 */
		if (r->building && r->building_session == s && has_mid && !r->building->mid_known) {
			r->building->mid = mid;
			r->building->mid_known = true;
			r->building->sends++;
			if (ev->last_line > r->building->last_line)
				r->building->last_line = ev->last_line;
			r->building = NULL;
			r->building_session = NULL;
		}
		return;
	}
	if (is(ev, GRAM_FIELD_KIND, "event") || is(ev, GRAM_FIELD_KIND, "event-done")) {
		event_message(r, ev, s, dir);
		return;
	}
	if (dir == MODEL_DIR_OUT) {
		sb_reset(&r->built_vids);
		/* after the dump: the message just dumped, or one sent again */
		for (i = s->nmsgs; i-- > 0;) {
			struct message *x = s->msgs[i];

			if (x->dir != MODEL_DIR_OUT)
				continue;
			if (has_mid && x->mid_known && x->mid != mid)
				continue;
			msg = x;
			break;
		}
		if (msg && msg->sends) {
			if (s->retransmit_pending) {
				msg->retransmits++;
				s->retransmits++;
				s->retransmit_pending = false;
			} else {
				msg->fragments++;
			}
		}
	} else if (r->pkt.active && r->pkt.dir == dir) {
		msg = NULL; /* the dump that follows makes the message */
	}
	if (!msg) {
		msg = session_add_message(s, dir, ev->first_line);
		if (dir == MODEL_DIR_IN) {
			r->msg = msg;
			r->msg_session = s;
			r->plat_msg = msg;
			r->plat_session = s;
			r->inner = false;
			r->payload = NULL;
		}
	}
	msg->sends++;
	if (has_mid && !msg->mid_known) {
		msg->mid = mid;
		msg->mid_known = true;
	}
	set_exchange(s, msg, ev);
	addresses_from(s, msg, ev);
	if (ev->last_line > msg->last_line)
		msg->last_line = ev->last_line;
	if (msg->dir == MODEL_DIR_IN && !msg->response_known && msg->exchange) {
		/* a request carries a zero responder SPI only in IKE_SA_INIT */
		unsigned long long sr;

		if (!strcmp(msg->exchange, "IKE_SA_INIT") &&
		    recon_num(ev, GRAM_FIELD_SPI_R, 16, &sr) && sr == 0) {
			msg->response = false;
			msg->response_known = true;
		}
	}
}

static void summary_to_sa(struct recon *r, struct session *s, struct payload *p);

/* The proposal a device sums up before it sends it: kept for the SA payload it lists next. */
static void
proposal_summary(struct recon *r, const struct ike_event *ev)
{
	struct session *s = find_session(r, ev, ev->first_line, false);
	uint32_t v;

	r->summary_session = s ? s : r->focus;
	sb_reset(&r->summary);
	sb_reset(&r->summary_protocol);
	recon_copy_field(&r->summary, ev, GRAM_FIELD_TRANSFORMS);
	recon_copy_field(&r->summary_protocol, ev, GRAM_FIELD_PROTOCOL);
	r->summary_num = recon_u32(ev, GRAM_FIELD_PROPOSAL, &v) ? v : 1;
	r->summary_line = ev->first_line;
	/*
	 * The proposal chosen, printed after a received response whose SA
	 * payload the log shows without its proposals: the responder's choice,
	 * as this end read it.
	 */
	if (s && s->nmsgs && is(ev, GRAM_FIELD_KIND, "chosen")) {
		struct message *m = s->msgs[s->nmsgs - 1];
		size_t i;

		for (i = 0; m->dir == MODEL_DIR_IN && m->response && i < m->np; i++)
			if (m->p[i].ptype == PROTO_PAYLOAD_SA && !m->p[i].nprops) {
				summary_to_sa(r, s, &m->p[i]);
				break;
			}
	}
}

/*
 * The summed-up proposal as the SA payload p's proposal: its transform
 * names in the order printed (encryption, then PRF and integrity for IKE,
 * integrity for ESP and AH, the D-H group, ESN).
 */
/*
 * A proposal of SA payload p from a transform list as the dialect prints
 * it: its protocol (IKE when not named), number and line.
 */
static void
add_listed_proposal(struct recon *r, struct session *s, struct payload *p, const char *protocol,
		    size_t plen, const char *t, size_t len, unsigned num, uint32_t line)
{
	bool ike = !plen || (plen == 3 && !memcmp(protocol, "IKE", 3));
	struct dialect_transform_word words[16];
	struct proposal *pr;
	size_t nw, k;

	p->props = arena_grow(s->arena, p->props, sizeof(*p->props), &p->cap_props, p->nprops + 1);
	pr = &p->props[p->nprops++];
	memset(pr, 0, sizeof(*pr));
	pr->line = line;
	pr->num = num;
	pr->protocol = session_strndup(s, plen ? protocol : "IKE", plen ? plen : 3);
	nw = dialect_transform_words(r->event_dialect, t, len, ike, words, 16);
	for (k = 0; k < nw; k++) {
		struct transform *x;

		pr->t = arena_grow(s->arena, pr->t, sizeof(*pr->t), &pr->cap_t, pr->nt + 1);
		x = &pr->t[pr->nt++];
		memset(x, 0, sizeof(*x));
		x->type = words[k].type;
		x->id = session_strndup(s, t + words[k].at, words[k].len);
		x->line = line;
		x->has_iana = dialect_transform(r->event_dialect, x->type, x->id, &x->iana);
	}
	pr->ntrans = (unsigned)pr->nt;
}

static void
summary_to_sa(struct recon *r, struct session *s, struct payload *p)
{
	if (!r->summary.len || r->summary_session != s || p->nprops)
		return;
	add_listed_proposal(r, s, p, r->summary_protocol.buf, r->summary_protocol.len,
			    r->summary.buf, r->summary.len, r->summary_num, r->summary_line);
	sb_reset(&r->summary);
}

/*
 * A message's payloads as a one-line list ("SA KE N VID NOTIFY(X)"): each a
 * payload of its own, with no body. After "Building packet for encryption"
 * they are the inner payloads of the next outgoing message.
 */
static void
payload_list(struct recon *r, const struct ike_event *ev)
{
	struct message *msg = r->building ? r->building : r->msg;
	struct session *s = r->building ? r->building_session : r->msg_session;
	const struct gram_value *v = val(ev, GRAM_FIELD_PAYLOADS);
	const char *p, *end;

	if (!msg || !s || !v)
		return;
	for (p = v->p, end = v->p + v->len; p < end;) {
		const char *w = p, *open;
		struct payload *pl;
		int depth = 0;

		/*
		 * A name's parenthesis may hold blanks: "CPRQ(ADDR DNS)"; names may
		 * also be apart at commas, and "SK{IDr,AUTH}" holds the encrypted
		 * payload's inner ones
		 */
		while (w < end && (depth || (*w != ' ' && *w != '\t' && *w != ',' && *w != '{' &&
					     *w != '}'))) {
			depth += *w == '(' ? 1 : *w == ')' && depth ? -1 : 0;
			w++;
		}
		if (w == p) {
			p++;
			continue;
		}
		pl = message_add_payload(s, msg, ev->first_line);
		pl->inner = r->building || r->inner;
		open = memchr(p, '(', (size_t)(w - p));
		dialect_payload_type(ev->dialect, p, (size_t)(w - p), &pl->ptype);
		if (open && w[-1] == ')' && pl->ptype == PROTO_PAYLOAD_NOTIFY) {
			/* "N(NO_PROP)", "NOTIFY(NO_PROPOSAL_CHOSEN)": the protocol's name when known */
			const char *in = open + 1, *name;
			size_t n = (size_t)(w - open - 2), k;

			/* "N(MS_STATUS(1))": the name before its data */
			for (k = 0; k < n && in[k] != '('; k++)
				;
			name = dialect_notify_name(ev->dialect, in, k);
			pl->type = session_strndup(s, p, (size_t)(open - p));
			pl->notify = name ? name : session_strndup(s, in, k);
		} else if (open && w[-1] == ')') {
			pl->type = session_strndup(s, p, (size_t)(open - p));
		} else {
			pl->type = session_strndup(s, p, (size_t)(w - p));
		}
		pl->listed = true;
		if (pl->ptype == PROTO_PAYLOAD_SA && msg->dir == MODEL_DIR_OUT)
			summary_to_sa(r, s, pl);
		if (msg->dir == MODEL_DIR_OUT && r->built_identity.len &&
		    pl->ptype == r->built_id_ptype) {
			pl->identity =
				session_strndup(s, r->built_identity.buf, r->built_identity.len);
			if (r->built_id_type.len) {
				unsigned t;

				pl->id_type = session_strndup(s, r->built_id_type.buf,
							      r->built_id_type.len);
				if (dialect_id_type(ev->dialect, r->built_id_type.buf,
						    r->built_id_type.len, &t) &&
				    t < 256)
					pl->idt = (uint8_t)t;
			}
			sb_reset(&r->built_identity);
		}
		/* the inner payloads follow the encrypted one that carries them */
		if (pl->ptype == PROTO_PAYLOAD_SK)
			r->inner = true;
		for (p = w; p < end && (*p == ' ' || *p == '\t' || *p == ','); p++)
			;
	}
	if (ev->last_line > msg->last_line)
		msg->last_line = ev->last_line;
	touch(r, s, ev->last_line);
	r->payload = NULL;
}

static void
header(struct recon *r, const struct ike_event *ev)
{
	struct session *s;
	struct message *msg;
	uint32_t v;

	if (is(ev, GRAM_FIELD_KIND, "payload-list")) {
		payload_list(r, ev);
		return;
	}
	if (is(ev, GRAM_FIELD_KIND, "spis")) {
		s = find_session_as(r, ev, ev->first_line, true,
				    r->pkt.active && r->pkt.has_sa ? &r->pkt.sa : NULL);
		if (!s)
			return;
		if (r->pkt.active && r->pkt.has_sa)
			recon_add_sa_id(r, s, r->pkt.sa);
		msg = packet_message(r, s, ev->last_line);
		if (msg && mid_of(ev, &v) && !msg->mid_known) {
			msg->mid = v;
			msg->mid_known = true;
		}
		return;
	}
	msg = r->msg;
	s = r->msg_session;
	if (!msg || !s)
		return;
	if (ev->last_line > msg->last_line)
		msg->last_line = ev->last_line;
	touch(r, s, ev->last_line);
	if (is(ev, GRAM_FIELD_KIND, "notify") && val(ev, GRAM_FIELD_NOTIFY)) {
		/* once: a device may say so when it reads the notify and when it acts on it */
		add_notify(s, msg, ev, true, r->inner);
		return;
	}
	if (is(ev, GRAM_FIELD_KIND, "flags")) {
		const struct gram_value *f = val(ev, GRAM_FIELD_FLAGS);

		set_exchange(s, msg, ev);
		if (f) {
			msg->flags = session_strndup(s, f->p, f->len);
			msg->response = ev->response; /* as the adapter read the flags */
			msg->response_known = true;
		}
	} else if (is(ev, GRAM_FIELD_KIND, "length")) {
		if (mid_of(ev, &v)) {
			msg->mid = v;
			msg->mid_known = true;
		}
		if (recon_u32(ev, GRAM_FIELD_LENGTH, &v))
			msg->length = v;
	}
}

static void
exchange_line(struct recon *r, const struct ike_event *ev)
{
	struct message *msg = r->msg;

	if (!msg)
		return;
	set_exchange(r->msg_session, msg, ev);
	msg->response = ev->response;
	msg->response_known = true;
}

/* ---- payloads ---- */

static void orphan(struct recon *r, const struct ike_event *ev);

static struct payload *
new_payload(struct recon *r, const struct ike_event *ev)
{
	struct message *msg, *built;
	struct session *s;
	struct payload *p;
	uint32_t v;

	/*
	 * A payload after a received message's dump ended, before any header:
	 * the start of the device's next outgoing message, printed before it.
	 */
	if (!r->building && !r->msg && r->dump_ended_session && !r->pkt.active &&
	    r->dump_ended_session == r->focus) {
		built = session_add_message(r->focus, MODEL_DIR_OUT, ev->first_line);
		r->building = built;
		r->building_session = r->focus;
	}
	msg = r->building ? r->building : r->msg;
	s = r->building ? r->building_session : r->msg_session;
	r->building_vid = false;
	if (!msg || !s)
		return NULL;
	p = message_add_payload(s, msg, ev->first_line);
	p->inner = r->building || r->inner;
	p->type = val(ev, GRAM_FIELD_PAYLOAD) ? recon_str(s, ev, GRAM_FIELD_PAYLOAD) : "?";
	if (val(ev, GRAM_FIELD_PAYLOAD))
		dialect_payload_type(ev->dialect, p->type, strlen(p->type), &p->ptype);
	/* a payload line cut before its name, right after the vendor ID it parses was named */
	if (!strcmp(p->type, "?") && r->vendor.len) {
		p->type = proto_payload_short(PROTO_PAYLOAD_VENDOR);
		p->ptype = PROTO_PAYLOAD_VENDOR;
	}
	p->notify = recon_str(s, ev, GRAM_FIELD_NOTIFY);
	p->next = recon_str(s, ev, GRAM_FIELD_NEXT);
	if (recon_u32(ev, GRAM_FIELD_LENGTH, &v))
		p->length = v;
	if (p->ptype == PROTO_PAYLOAD_VENDOR && r->vendor.len) {
		p->vendor = session_strndup(s, r->vendor.buf, r->vendor.len);
		sb_reset(&r->vendor);
	} else if (p->ptype == PROTO_PAYLOAD_VENDOR && msg->dir == MODEL_DIR_OUT &&
		   r->built_vids.len) {
		/* the names of the VIDs constructed for this message, in order */
		const char *nl = memchr(r->built_vids.buf, '\n', r->built_vids.len);
		size_t n = nl ? (size_t)(nl - r->built_vids.buf) : r->built_vids.len;

		p->vendor = session_strndup(s, r->built_vids.buf, n);
		memmove(r->built_vids.buf, r->built_vids.buf + n + (nl ? 1 : 0),
			r->built_vids.len - n - (nl ? 1 : 0) + 1);
		r->built_vids.len -= n + (nl ? 1 : 0);
	}
	if (ev->last_line > msg->last_line)
		msg->last_line = ev->last_line;
	touch(r, s, ev->last_line);
	r->payload = p;
	r->payload_session = s;
	return p;
}

static struct proposal *
add_proposal(struct session *s, struct payload *p, uint32_t line)
{
	struct proposal *pr;

	p->props = arena_grow(s->arena, p->props, sizeof(*p->props), &p->cap_props, p->nprops + 1);
	pr = &p->props[p->nprops++];
	memset(pr, 0, sizeof(*pr));
	pr->line = line;
	return pr;
}

static void
proposal_line(struct recon *r, const struct ike_event *ev)
{
	struct payload *p = r->payload;
	struct session *s = r->payload_session;
	struct proposal *pr;
	uint32_t v;

	if (!p || !s) {
		orphan(r, ev);
		return;
	}
	touch(r, s, ev->last_line);
	if (val(ev, GRAM_FIELD_LAST)) {
		pr = add_proposal(s, p, ev->first_line);
		if (recon_u32(ev, GRAM_FIELD_LENGTH, &v))
			pr->length = v;
		{
			unsigned long long l;

			if (recon_num(ev, GRAM_FIELD_LAST, 16, &l) && l <= 255) {
				pr->last = (unsigned)l;
				pr->has_last = true;
			}
		}
		return;
	}
	pr = p->nprops ? &p->props[p->nprops - 1] : NULL;
	if (!pr || pr->protocol)
		pr = add_proposal(s, p, ev->first_line);
	pr->protocol = recon_str(s, ev, GRAM_FIELD_PROTOCOL);
	if (recon_u32(ev, GRAM_FIELD_PROPOSAL, &v))
		pr->num = v;
	if (recon_u32(ev, GRAM_FIELD_SPI_SIZE, &v))
		pr->spi_size = v;
	if (recon_u32(ev, GRAM_FIELD_NTRANS, &v))
		pr->ntrans = v;
}

static void
transform_line(struct recon *r, const struct ike_event *ev)
{
	struct payload *p = r->payload;
	struct session *s = r->payload_session;
	const struct gram_value *last;
	struct proposal *pr;
	struct transform *t;
	uint32_t v;

	if (!p || !s) {
		orphan(r, ev);
		return;
	}
	touch(r, s, ev->last_line);
	if (!p->nprops)
		add_proposal(s, p, ev->first_line);
	pr = &p->props[p->nprops - 1];
	t = pr->nt ? &pr->t[pr->nt - 1] : NULL;
	last = val(ev, GRAM_FIELD_LAST);
	if (last || !t || t->id) {
		pr->t = arena_grow(s->arena, pr->t, sizeof(*pr->t), &pr->cap_t, pr->nt + 1);
		t = &pr->t[pr->nt++];
		memset(t, 0, sizeof(*t));
		t->line = ev->first_line;
	}
	if (last) {
		/* "last transform: 0x3, reserved: 0x0: length: 12" */
		unsigned long long l;

		if (recon_u32(ev, GRAM_FIELD_LENGTH, &v))
			t->length = v;
		if (recon_num(ev, GRAM_FIELD_LAST, 16, &l) && l <= 255) {
			t->last = (unsigned)l;
			t->has_last = true;
		}
		return;
	}
	if (recon_u32(ev, GRAM_FIELD_LENGTH, &v))
		t->length = v;
	if (recon_u32(ev, GRAM_FIELD_TTYPE, &v))
		t->type = v;
	if (val(ev, GRAM_FIELD_TID))
		t->id = recon_str(s, ev, GRAM_FIELD_TID);
	if (recon_u32(ev, GRAM_FIELD_KEYLEN, &v))
		t->keylen = v;
	t->has_iana = dialect_transform(ev->dialect, t->type, t->id, &t->iana);
}

static int
hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Appends the bytes of a hex dump line to a bounded value. */
static void
keep_hex(struct session *s, uint8_t **value, unsigned *n, const struct gram_value *h)
{
	size_t i;

	for (i = 0; i + 1 < h->len + 1 && *n < MODEL_VALUE_MAX; i += 3) {
		int hi = hexdigit(h->p[i]), lo = i + 1 < h->len ? hexdigit(h->p[i + 1]) : -1;

		if (hi < 0 || lo < 0)
			break;
		/* room for the bytes only where a dump follows */
		if (!*value)
			*value = arena_alloc(s->arena, MODEL_VALUE_MAX);
		(*value)[(*n)++] = (uint8_t)(hi * 16 + lo);
	}
}

static struct ts_range *
last_ts(struct recon *r, uint32_t line, bool start_new)
{
	struct payload *p = r->payload;
	struct session *s = r->payload_session;

	if (!p || !s)
		return NULL;
	if (start_new || !p->nts) {
		p->ts = arena_grow(s->arena, p->ts, sizeof(*p->ts), &p->cap_ts, p->nts + 1);
		memset(&p->ts[p->nts], 0, sizeof(p->ts[0]));
		p->ts[p->nts].line = line;
		p->nts++;
	}
	return &p->ts[p->nts - 1];
}

/*
 * A line of a payload's body with no payload header before it: a dump split
 * by other lines, or cut by its publication. Counted on the session in
 * focus (log integrity); the hex dump of a VID being built is not one.
 */
static void
orphan(struct recon *r, const struct ike_event *ev)
{
	struct session *s = r->focus;

	if (ev->detail == IKE_DETAIL_HEX && r->building_vid)
		return;
	if (!s || s->closed)
		return;
	if (!s->orphans++)
		s->orphan_line = ev->first_line;
}

static void
payload_body(struct recon *r, const struct ike_event *ev)
{
	struct payload *p = r->payload;
	struct session *s = r->payload_session;
	struct ts_range *ts;
	uint32_t v;

	if (!p || !s) {
		orphan(r, ev);
		return;
	}
	touch(r, s, ev->last_line);
	switch (ev->detail) {
	case IKE_DETAIL_KE:
		if (recon_u32(ev, GRAM_FIELD_GROUP, &v))
			p->group = v;
		break;
	case IKE_DETAIL_ID:
		p->id_type = recon_str(s, ev, GRAM_FIELD_ID_TYPE);
		p->idt = id_type_of(ev);
		break;
	case IKE_DETAIL_AUTH:
		p->auth_method = recon_str(s, ev, GRAM_FIELD_AUTH_METHOD);
		p->authm = auth_method_of(ev);
		break;
	case IKE_DETAIL_CERT:
		p->encoding = recon_str(s, ev, GRAM_FIELD_ENCODING);
		break;
	case IKE_DETAIL_DATA:
		if (recon_u32(ev, GRAM_FIELD_BYTES, &v))
			p->data_bytes = v;
		break;
	case IKE_DETAIL_NOTIFY:
		p->protocol = recon_str(s, ev, GRAM_FIELD_PROTOCOL);
		if (recon_u32(ev, GRAM_FIELD_SPI_SIZE, &v))
			p->spi_size = v;
		if (!p->notify)
			p->notify = recon_str(s, ev, GRAM_FIELD_NOTIFY);
		break;
	case IKE_DETAIL_DELETE:
		p->protocol = recon_str(s, ev, GRAM_FIELD_PROTOCOL);
		if (recon_u32(ev, GRAM_FIELD_SPI_SIZE, &v))
			p->spi_size = v;
		if (recon_u32(ev, GRAM_FIELD_QUANTITY, &v))
			p->count = v;
		break;
	case IKE_DETAIL_TS:
		if (val(ev, GRAM_FIELD_QUANTITY)) {
			if (recon_u32(ev, GRAM_FIELD_QUANTITY, &v))
				p->count = v;
		} else if (val(ev, GRAM_FIELD_TS_TYPE)) {
			ts = last_ts(r, ev->first_line, true);
			ts->type = recon_str(s, ev, GRAM_FIELD_TS_TYPE);
			if (recon_u32(ev, GRAM_FIELD_IP_PROTO, &v))
				ts->proto = v;
			if (recon_u32(ev, GRAM_FIELD_LENGTH, &v))
				ts->length = v;
		} else if (val(ev, GRAM_FIELD_PORT_START)) {
			ts = last_ts(r, ev->first_line, false);
			if (ts && recon_u32(ev, GRAM_FIELD_PORT_START, &v))
				ts->port_start = v;
			if (ts && recon_u32(ev, GRAM_FIELD_PORT_END, &v))
				ts->port_end = v;
		} else if (val(ev, GRAM_FIELD_ADDR_START)) {
			ts = last_ts(r, ev->first_line, false);
			if (ts) {
				ts->addr_start = recon_str(s, ev, GRAM_FIELD_ADDR_START);
				ts->addr_end = recon_str(s, ev, GRAM_FIELD_ADDR_END);
			}
		}
		break;
	case IKE_DETAIL_CFG:
		if (val(ev, GRAM_FIELD_CFG_TYPE)) {
			const struct gram_value *t = val(ev, GRAM_FIELD_CFG_TYPE);

			p->cfg_type = recon_str(s, ev, GRAM_FIELD_CFG_TYPE);
			if (dialect_cfg_type(ev->dialect, t->p, t->len, &v) && v < 256)
				p->cfgt = (uint8_t)v;
		} else {
			const struct gram_value *name = val(ev, GRAM_FIELD_ATTR);
			struct cfg_attr *a;

			p->attrs = arena_grow(s->arena, p->attrs, sizeof(*p->attrs), &p->cap_attrs,
					      p->nattrs + 1);
			a = &p->attrs[p->nattrs++];
			memset(a, 0, sizeof(*a));
			a->line = ev->first_line;
			a->name = recon_str(s, ev, GRAM_FIELD_ATTR);
			if (recon_u32(ev, GRAM_FIELD_ATTR_TYPE, &v))
				a->type = v;
			else if (name && dialect_cfg_attr(ev->dialect, name->p, name->len, &v))
				a->type = v;
			if (recon_u32(ev, GRAM_FIELD_LENGTH, &v))
				a->length = v;
		}
		break;
	case IKE_DETAIL_EAP:
		if (val(ev, GRAM_FIELD_EAP_CODE)) {
			p->eap_code = recon_str(s, ev, GRAM_FIELD_EAP_CODE);
			if (recon_u32(ev, GRAM_FIELD_EAP_ID, &v))
				p->eap_id = v;
			if (recon_u32(ev, GRAM_FIELD_LENGTH, &v))
				p->eap_length = v;
			p->has_eap = true;
		} else if (val(ev, GRAM_FIELD_EAP_TYPE)) {
			p->eap_type = recon_str(s, ev, GRAM_FIELD_EAP_TYPE);
		}
		break;
	case IKE_DETAIL_HEX: {
		const struct gram_value *h = val(ev, GRAM_FIELD_HEX);
		struct cfg_attr *a = p->nattrs ? &p->attrs[p->nattrs - 1] : NULL;

		if (!h)
			break;
		p->hex_bytes += (unsigned)((h->len + 1) / 3);
		/* a CFG attribute's value, or the payload's own */
		if (a && a->nvalue < a->length)
			keep_hex(s, &a->value, &a->nvalue, h);
		else if (!p->nattrs)
			keep_hex(s, &p->value, &p->nvalue, h);
		break;
	}
	default:
		break;
	}
}

/* ---- the families ---- */

/* True if the record names the Vendor ID payload (by its protocol name, as the grammar maps it). */
static bool
is_vendor_id(const struct ike_event *ev)
{
	const struct gram_value *v = val(ev, GRAM_FIELD_PAYLOAD);
	const char *name = proto_payload_name(PROTO_PAYLOAD_VENDOR);

	return v && v->len == strlen(name) && !memcmp(v->p, name, v->len);
}

/* The class a value map gave a state or an event (a grammar word, see GRAM_CLASSES). */
static bool
class_is(const struct gram_value *v, const char *name)
{
	return v && v->len == strlen(name) && !memcmp(v->p, name, v->len);
}

static enum model_state_class
state_class_of(const struct gram_value *v)
{
	if (!v)
		return MODEL_STATE_OTHER;
	if (class_is(v, "established"))
		return MODEL_STATE_ESTABLISHED;
	if (class_is(v, "negotiating"))
		return MODEL_STATE_NEGOTIATING;
	if (class_is(v, "deleting"))
		return MODEL_STATE_DELETING;
	if (class_is(v, "ended"))
		return MODEL_STATE_ENDED;
	return MODEL_STATE_OTHER;
}

static enum model_event_class
event_class_of(const struct gram_value *v)
{
	if (!v)
		return MODEL_EVENT_OTHER;
	if (class_is(v, "established"))
		return MODEL_EVENT_ESTABLISHED;
	if (class_is(v, "failed"))
		return MODEL_EVENT_FAILED;
	if (class_is(v, "auth-failed"))
		return MODEL_EVENT_AUTH_FAILED;
	if (class_is(v, "cert-failed"))
		return MODEL_EVENT_CERT_FAILED;
	if (class_is(v, "aborted"))
		return MODEL_EVENT_ABORTED;
	if (class_is(v, "freed"))
		return MODEL_EVENT_FREED;
	return MODEL_EVENT_OTHER;
}

static void
sm_trace(struct recon *r, const struct ike_event *ev)
{
	struct session *s =
		find_session(r, ev, ev->first_line, !is(ev, GRAM_FIELD_KIND, "partial"));
	struct state_step *st;
	uint32_t mid = 0;
	bool has_mid = mid_of(ev, &mid);

	if (!s)
		return;
	/*
	 * The state machine runs once a received message has been dumped: a
	 * payload dumped after this is not that message's. (ASA 8.4 and 9.0
	 * print an outgoing message's payloads before its header.)
	 */
	if (r->msg && r->msg_session == s && r->msg->dir == MODEL_DIR_IN && r->msg->has_header &&
	    r->msg->np) {
		r->msg = NULL;
		r->inner = false;
		r->payload = NULL;
		r->dump_ended_session = s;
	}
	touch(r, s, ev->last_line);
	/* the first trace tells the role; a delete can print the other letter */
	if (s->role == MODEL_ROLE_UNKNOWN && ev->role == IKE_ROLE_INITIATOR)
		s->role = MODEL_ROLE_INITIATOR;
	else if (s->role == MODEL_ROLE_UNKNOWN && ev->role == IKE_ROLE_RESPONDER)
		s->role = MODEL_ROLE_RESPONDER;
	if (has_mid) {
		s->cur_mid = mid;
		s->cur_mid_known = true;
	}
	if (!val(ev, GRAM_FIELD_STATE) && !val(ev, GRAM_FIELD_EVENT))
		return;
	s->states =
		arena_grow(s->arena, s->states, sizeof(*s->states), &s->cap_states, s->nstates + 1);
	st = &s->states[s->nstates++];
	st->state = recon_str(s, ev, GRAM_FIELD_STATE);
	st->event = recon_str(s, ev, GRAM_FIELD_EVENT);
	st->mid = has_mid ? mid : s->cur_mid;
	st->line = ev->first_line;
	st->state_class = state_class_of(val(ev, GRAM_FIELD_STATE_CLASS));
	st->event_class = event_class_of(val(ev, GRAM_FIELD_EVENT_CLASS));
	if (st->state_class == MODEL_STATE_ESTABLISHED ||
	    st->event_class == MODEL_EVENT_ESTABLISHED)
		s->ike_up = true;
	if (st->event_class == MODEL_EVENT_FREED)
		s->terminal = true;
	/* the SA is gone: the session ends here, whatever the outcome */
	if (st->state_class == MODEL_STATE_ENDED || st->event_class == MODEL_EVENT_FREED)
		s->ended = true;
}

static void
evidence(struct recon *r, struct session *s, const char *kind, const struct ike_event *ev)
{
	struct evidence *e;
	struct strbuf masked;

	s->evidence = arena_grow(s->arena, s->evidence, sizeof(*s->evidence), &s->cap_evidence,
				 s->nevidence + 1);
	e = &s->evidence[s->nevidence++];
	e->kind = session_strndup(s, kind, strlen(kind));
	sb_init(&masked);
	grammar_mask(r->g, ev->text, ev->len > 400 ? 400 : ev->len, &masked);
	e->text = session_strndup(s, masked.buf ? masked.buf : "", masked.len);
	sb_finish(&masked);
	e->line = ev->first_line;
	e->mid = s->cur_mid;
	e->mid_known = s->cur_mid_known;
	e->map = val(ev, GRAM_FIELD_MAP) ? recon_str(s, ev, GRAM_FIELD_MAP) : NULL;
	e->map_seq = 0;
	if (e->map) {
		uint32_t seq;

		if (recon_u32(ev, GRAM_FIELD_SEQ, &seq))
			e->map_seq = seq;
	}
}

static void
error_line(struct recon *r, const struct ike_event *ev)
{
	struct session *s = find_session(r, ev, ev->first_line, false);
	const struct gram_value *k = val(ev, GRAM_FIELD_KIND);
	char kind[64];

	if (!s) {
		recon_orphan(r, ev);
		return;
	}
	touch(r, s, ev->last_line);
	snprintf(kind, sizeof(kind), "%.*s", k ? (int)k->len : 5, k ? k->p : "other");
	if (!strcmp(kind, "exchange-failed") || !strcmp(kind, "sa-init-failed"))
		s->terminal = true;
	if (!strcmp(kind, "peer-correlation"))
		return; /* a platform table housekeeping message, not a cause */
	/* the method the device could not verify the peer's AUTH with */
	if (val(ev, GRAM_FIELD_AUTH_METHOD) && !s->peer_auth) {
		s->peer_auth = recon_str(s, ev, GRAM_FIELD_AUTH_METHOD);
		s->peer_authm = auth_method_of(ev);
	}
	evidence(r, s, kind, ev);
}

struct child_sa *
recon_add_child(struct session *s, uint32_t line)
{
	struct child_sa *c;

	s->children = arena_grow(s->arena, s->children, sizeof(*s->children), &s->cap_children,
				 s->nchildren + 1);
	c = &s->children[s->nchildren++];
	memset(c, 0, sizeof(*c));
	c->line = line;
	return c;
}

struct child_sa *
recon_child_with(struct session *s, uint32_t spi)
{
	size_t i;

	for (i = s->nchildren; i-- > 0;)
		if ((s->children[i].has_in && s->children[i].spi_in == spi) ||
		    (s->children[i].has_out && s->children[i].spi_out == spi))
			return &s->children[i];
	return NULL;
}

/*
 * PFKEY lines: the platform allocates an inbound SPI (SPI callback), installs
 * the outbound SA with the peer's SPI (add) and then the inbound one
 * (update, Active), and deletes SAs. A new inbound SPI after an installed
 * child SA starts the next one (a rekey).
 */
static void
child_spi(struct session *s, const struct ike_event *ev, uint32_t line)
{
	unsigned long long spi;
	struct child_sa *c = s->nchildren ? &s->children[s->nchildren - 1] : NULL;

	if (!recon_num(ev, GRAM_FIELD_SPI, 16, &spi) || spi == 0 || spi > UINT32_MAX)
		return;
	if (is(ev, GRAM_FIELD_CHILD_STEP, "inbound-allocated")) {
		if (!c || c->installed || c->has_in)
			c = recon_add_child(s, line);
		c->spi_in = (uint32_t)spi;
		c->has_in = true;
	} else if (is(ev, GRAM_FIELD_CHILD_STEP, "outbound-installed")) {
		if (!c || (c->has_out && c->spi_out != spi))
			c = recon_add_child(s, line);
		c->spi_out = (uint32_t)spi;
		c->has_out = true;
		c->installed = true;
	} else if (is(ev, GRAM_FIELD_CHILD_STEP, "inbound-installed")) {
		struct child_sa *x = recon_child_with(s, (uint32_t)spi);

		if (!x) {
			x = c && !c->has_in ? c : recon_add_child(s, line);
			x->spi_in = (uint32_t)spi;
			x->has_in = true;
		}
		x->installed = true;
	} else if (is(ev, GRAM_FIELD_CHILD_STEP, "deleted")) {
		struct child_sa *x = recon_child_with(s, (uint32_t)spi);

		if (x && !x->removed) {
			x->removed = true;
			x->removed_line = line;
		}
	}
}

/*
 * A child SA up, as one line says it: both SPIs and the selectors
 * ("CHILD_SA net{3} established with SPIs cd159185_i c5c4a85f_o and TS
 * 10.3.0.1/32 === 10.1.0.0/24"). A line that names the SPIs of a child SA
 * already known is that one (the inbound and outbound halves of a rekey).
 */
static void
child_up(struct session *s, const struct ike_event *ev, uint32_t line)
{
	unsigned long long in, out;
	bool has_in = recon_num(ev, GRAM_FIELD_SPI_IN, 16, &in) && in && in <= UINT32_MAX;
	bool has_out = recon_num(ev, GRAM_FIELD_SPI_OUT, 16, &out) && out && out <= UINT32_MAX;
	struct child_sa *c = NULL;

	if (has_in)
		c = recon_child_with(s, (uint32_t)in);
	if (!c && has_out)
		c = recon_child_with(s, (uint32_t)out);
	if (!c)
		c = recon_add_child(s, line);
	if (has_in) {
		c->spi_in = (uint32_t)in;
		c->has_in = true;
	}
	if (has_out) {
		c->spi_out = (uint32_t)out;
		c->has_out = true;
	}
	c->installed = true;
	if (!c->local_sel && val(ev, GRAM_FIELD_TS_LOCAL))
		c->local_sel = recon_str(s, ev, GRAM_FIELD_TS_LOCAL);
	if (!c->remote_sel && val(ev, GRAM_FIELD_TS_REMOTE))
		c->remote_sel = recon_str(s, ev, GRAM_FIELD_TS_REMOTE);
	s->ike_up = true;
}

static void
fact(struct recon *r, const struct ike_event *ev)
{
	struct session *s = find_session(r, ev, ev->first_line, false);
	uint32_t v;

	if (!s) {
		recon_orphan(r, ev);
		return;
	}
	touch(r, s, ev->last_line);
	if (is(ev, GRAM_FIELD_KIND, "tunnel-group") && val(ev, GRAM_FIELD_TUNNEL_GROUP) &&
	    val(ev, GRAM_FIELD_TUNNEL_GROUP)->len) {
		s->tunnel_group = recon_str(s, ev, GRAM_FIELD_TUNNEL_GROUP);
	} else if (is(ev, GRAM_FIELD_KIND, "username")) {
		s->user = recon_str(s, ev, GRAM_FIELD_USERNAME);
	} else if (is(ev, GRAM_FIELD_KIND, "trustpoint") && val(ev, GRAM_FIELD_TRUSTPOINT) &&
		   val(ev, GRAM_FIELD_TRUSTPOINT)->len) {
		s->trustpoint = recon_str(s, ev, GRAM_FIELD_TRUSTPOINT);
		s->trustpoint_line = ev->first_line;
	} else if (is(ev, GRAM_FIELD_KIND, "peer-identity") && val(ev, GRAM_FIELD_IDENTITY)) {
		s->peer_identity = recon_str(s, ev, GRAM_FIELD_IDENTITY);
		s->peer_id_type = recon_str(s, ev, GRAM_FIELD_ID_TYPE);
		s->peer_identity_line = ev->first_line;
	} else if (is(ev, GRAM_FIELD_KIND, "auth-method") &&
		   is(ev, GRAM_FIELD_AUTH_ROLE, "peer-expected")) {
		/* the RFC 7296 number of the method the tunnel group accepts from the peer */
		uint32_t n;
		const char *name = recon_u32(ev, GRAM_FIELD_AUTH_METHOD, &n)
					   ? proto_auth_method_name(n)
					   : NULL;

		if (name)
			s->expected_peer_auth = name;
	} else if (is(ev, GRAM_FIELD_KIND, "auth-method") &&
		   is(ev, GRAM_FIELD_AUTH_ROLE, "peer-used")) {
		s->peer_auth = recon_str(s, ev, GRAM_FIELD_AUTH_METHOD);
		s->peer_authm = auth_method_of(ev);
	} else if (is(ev, GRAM_FIELD_KIND, "auth-method") &&
		   is(ev, GRAM_FIELD_AUTH_ROLE, "local-used")) {
		s->local_auth = recon_str(s, ev, GRAM_FIELD_AUTH_METHOD);
		s->local_authm = auth_method_of(ev);
	} else if (is(ev, GRAM_FIELD_KIND, "pfkey")) {
		child_spi(s, ev, ev->first_line);
	} else if (is(ev, GRAM_FIELD_KIND, "child-sa")) {
		child_up(s, ev, ev->first_line);
	} else if (is(ev, GRAM_FIELD_KIND, "proxy-match") ||
		   is(ev, GRAM_FIELD_KIND, "crypto-map")) {
		s->crypto_map = recon_str(s, ev, GRAM_FIELD_MAP);
		if (!s->crypto_map_line)
			s->crypto_map_line = ev->first_line;
		if (recon_u32(ev, GRAM_FIELD_SEQ, &v))
			s->crypto_map_seq = v;
	} else if (is(ev, GRAM_FIELD_KIND, "dpd")) {
		if (recon_u32(ev, GRAM_FIELD_SECONDS, &v))
			s->dpd_seconds = v;
	} else if (is(ev, GRAM_FIELD_KIND, "nat")) {
		/* what the grammar's map says the line found, or a NAT-T port */
		if (is(ev, GRAM_FIELD_NAT, "detected")) {
			s->nat_detected = true;
			s->nat_known = true;
		} else if (is(ev, GRAM_FIELD_NAT, "none")) {
			s->nat_known = true;
		} else if (val(ev, GRAM_FIELD_PORT)) {
			s->nat_detected = true;
			s->nat_known = true;
		}
	}
}

/* The payload type the event names (its payload field), in the event's dialect's words. */
static bool
payload_of(const struct ike_event *ev, unsigned *type)
{
	const struct gram_value *v = val(ev, GRAM_FIELD_PAYLOAD);

	return v && dialect_payload_type(ev->dialect, v->p, v->len, type);
}

/*
 * A child SA deleted: the SPI a delete carries is the one its sender
 * receives on (RFC 7296 3.11), so ours when this device sends it.
 */
static void
child_deleted(struct session *s, const struct ike_event *ev, uint32_t line)
{
	unsigned long long spi;
	bool ours = is(ev, GRAM_FIELD_SIDE, "local");
	struct child_sa *c = NULL;
	size_t i;

	if (!recon_num(ev, GRAM_FIELD_SPI, 16, &spi) || spi > UINT32_MAX)
		return;
	for (i = 0; i < s->nchildren && !c; i++)
		if ((ours && s->children[i].has_in && s->children[i].spi_in == spi) ||
		    (!ours && s->children[i].has_out && s->children[i].spi_out == spi))
			c = &s->children[i];
	if (!c) {
		s->children = arena_grow(s->arena, s->children, sizeof(*s->children),
					 &s->cap_children, s->nchildren + 1);
		c = &s->children[s->nchildren++];
		memset(c, 0, sizeof(*c));
		c->line = line;
		c->installed = true;
		if (ours) {
			c->spi_in = (uint32_t)spi;
			c->has_in = true;
		} else {
			c->spi_out = (uint32_t)spi;
			c->has_out = true;
		}
	}
	/* the first line that says it goes (each end's delete may follow) */
	if (!c->removed)
		c->removed_line = line;
	c->removed = true;
	/* the session's delete, unless another child SA lives on (a rekey replaced it) */
	for (i = 0; i < s->nchildren; i++)
		if (&s->children[i] != c && s->children[i].installed && !s->children[i].removed)
			return;
	if (!s->delete_line) {
		s->deleted_by = ours ? "local" : "peer";
		s->delete_line = line;
	}
}

static void
status_line(struct recon *r, const struct ike_event *ev)
{
	struct session *s;
	struct session *before = r->focus;

	/* a line that opens an SA names a new one */
	r->opening = is(ev, GRAM_FIELD_KIND, "initiating");
	s = find_session(r, ev, ev->first_line, r->opening);
	r->opening = false;
	/*
	 * A new SA opened while the one in focus is up (an IKE SA rekeyed):
	 * the lines that name no SA are still the old one's, whose exchange
	 * makes the new one.
	 */
	if (is(ev, GRAM_FIELD_KIND, "initiating") && s && before && before != s && before->ike_up &&
	    !before->closed && !s->nmsgs)
		r->focus = before;
	/* "x is initiating an IKE_SA": a new SA, though the line names none */
	if (is(ev, GRAM_FIELD_KIND, "initiating") && !ev->has_handle && !ev->has_spi_i &&
	    ev->role == IKE_ROLE_RESPONDER) {
		s = recon_new_session(r, ev->first_line);
		r->anon = s;
	}

	if (!s) {
		recon_orphan(r, ev);
		return;
	}
	touch(r, s, ev->last_line);
	/* the role a status line gives this end (a status block's marked SPI) */
	if (s->role == MODEL_ROLE_UNKNOWN && ev->role != IKE_ROLE_UNKNOWN)
		s->role = ev->role == IKE_ROLE_INITIATOR ? MODEL_ROLE_INITIATOR
							 : MODEL_ROLE_RESPONDER;
	/* the addresses a status line names, where no message gave them */
	if (!s->peer && val(ev, GRAM_FIELD_REMOTE))
		s->peer = recon_str(s, ev, GRAM_FIELD_REMOTE);
	if (!s->local && val(ev, GRAM_FIELD_LOCAL))
		s->local = recon_str(s, ev, GRAM_FIELD_LOCAL);
	if (is(ev, GRAM_FIELD_KIND, "connection")) {
		if (is(ev, GRAM_FIELD_STATE_CLASS, "established"))
			s->ike_up = true;
		else if (is(ev, GRAM_FIELD_STATE_CLASS, "ended"))
			s->terminal = true;
	} else if (is(ev, GRAM_FIELD_KIND, "session") &&
		   is(ev, GRAM_FIELD_STATE_CLASS, "established")) {
		s->ike_up = true;
	} else if (is(ev, GRAM_FIELD_KIND, "session") && is(ev, GRAM_FIELD_STATE_CLASS, "ended")) {
		s->terminal = true;
	} else if (is(ev, GRAM_FIELD_KIND, "rekeyed")) {
		/* the new IKE SA of a rekey is up */
		s->ike_up = true;
		s->rekey_successor = true;
	} else if (is(ev, GRAM_FIELD_KIND, "initiating")) {
		if (s->role == MODEL_ROLE_UNKNOWN && ev->role != IKE_ROLE_UNKNOWN)
			s->role = ev->role == IKE_ROLE_INITIATOR ? MODEL_ROLE_INITIATOR
								 : MODEL_ROLE_RESPONDER;
	} else if (is(ev, GRAM_FIELD_KIND, "sa-created")) {
		s->ike_up = true;
	} else if (is(ev, GRAM_FIELD_KIND, "delete")) {
		if (!s->delete_line) {
			s->deleted_by = is(ev, GRAM_FIELD_SIDE, "local") ? "local" : "peer";
			s->delete_line = ev->first_line;
		}
		/* a delete names an IKE SA that was established, if before the log began */
		s->ike_up = true;
	} else if (is(ev, GRAM_FIELD_KIND, "child-delete")) {
		child_deleted(s, ev, ev->first_line);
	} else if (is(ev, GRAM_FIELD_KIND, "killed") || is(ev, GRAM_FIELD_KIND, "delete-queued")) {
		if (!s->delete_reason)
			s->delete_reason = recon_str(s, ev, GRAM_FIELD_REASON);
	} else if (is(ev, GRAM_FIELD_KIND, "deleting") && is(ev, GRAM_FIELD_STATE_CLASS, "ended")) {
		s->terminal = true;
	}
}

static void
construct_line(struct recon *r, const struct ike_event *ev)
{
	struct session *s;
	unsigned t;

	if (is(ev, GRAM_FIELD_KIND, "parse") && is_vendor_id(ev)) {
		const struct gram_value *v = val(ev, GRAM_FIELD_VALUE);

		sb_reset(&r->vendor);
		if (v)
			sb_add(&r->vendor, v->p, v->len);
		return;
	}
	if (is(ev, GRAM_FIELD_KIND, "construct") && val(ev, GRAM_FIELD_IDENTITY) &&
	    payload_of(ev, &t) && (t == PROTO_PAYLOAD_IDI || t == PROTO_PAYLOAD_IDR)) {
		/* the identity and its type this device puts in its next IDi/IDr */
		recon_copy_field(&r->built_id_type, ev, GRAM_FIELD_ID_TYPE);
		recon_copy_field(&r->built_identity, ev, GRAM_FIELD_IDENTITY);
		r->built_id_ptype = t;
	}
	if (is(ev, GRAM_FIELD_KIND, "construct") && is_vendor_id(ev)) {
		const struct gram_value *v = val(ev, GRAM_FIELD_VALUE);

		if (v && r->built_vids.len < 4096) {
			sb_add(&r->built_vids, v->p, v->len);
			sb_addc(&r->built_vids, '\n');
		}
		/* a hex dump that follows is the VID being built, not the last payload read */
		r->payload = NULL;
		r->building_vid = true;
		return;
	}
	if (is(ev, GRAM_FIELD_KIND, "encrypt")) {
		/* the inner payloads of the next outgoing message follow */
		s = find_session(r, ev, ev->first_line, false);
		if (!s)
			return;
		r->building = session_add_message(s, MODEL_DIR_OUT, ev->first_line);
		r->building_session = s;
		r->msg = NULL;
		r->payload = NULL;
		return;
	}
	if (is(ev, GRAM_FIELD_KIND, "delete-reason")) {
		s = find_session(r, ev, ev->first_line, false);
		if (s && !s->delete_reason)
			s->delete_reason = recon_str(s, ev, GRAM_FIELD_REASON);
	}
}

/*
 * Policies listed on one line, apart at ", ", each perhaps behind its
 * protocol ("ESP:AES_GCM_16_256/MODP_3072/NO_EXT_SEQ").
 */
static void
policy_entries(struct recon *r, struct session *s, const struct gram_value *v, bool expected,
	       uint32_t line)
{
	const char *p = v->p, *end = v->p + v->len;
	struct payload *offer = NULL;
	unsigned num = 0;

	/*
	 * The proposals received, printed after the request that carried them
	 * whose SA payload the log shows without them: that payload's offer.
	 */
	if (!expected && s->nmsgs) {
		struct message *m = s->msgs[s->nmsgs - 1];
		size_t i;

		for (i = 0; m->dir == MODEL_DIR_IN && !m->response && i < m->np && !offer; i++)
			if (m->p[i].ptype == PROTO_PAYLOAD_SA && !m->p[i].nprops)
				offer = &m->p[i];
	}

	while (p < end && s->npolicies < 64) {
		const char *e = p, *t = p, *colon;
		struct policy_entry *pe;

		while (e < end && *e != ',')
			e++;
		while (t < e && *t == ' ')
			t++;
		colon = memchr(t, ':', (size_t)(e - t));
		s->policies = arena_grow(s->arena, s->policies, sizeof(*s->policies),
					 &s->cap_policies, s->npolicies + 1);
		pe = &s->policies[s->npolicies++];
		pe->expected = expected;
		pe->protocol = colon ? session_strndup(s, t, (size_t)(colon - t)) : NULL;
		pe->transforms = session_strndup(s, t, (size_t)(e - t));
		pe->line = line;
		if (offer && num < 16)
			add_listed_proposal(r, s, offer, t, colon ? (size_t)(colon - t) : 0,
					    colon ? colon + 1 : t,
					    (size_t)(e - (colon ? colon + 1 : t)), ++num, line);
		p = e < end ? e + 1 : e;
	}
}

/*
 * One transform line of a proposal printed over several lines, added to
 * its text as "TYPE=NAME" (a key length the line gives apart joins the
 * name: "ENCR=AES_CBC_128"), which the dialect's transform words read.
 */
static void
policy_add_transform(struct session *s, struct policy_entry *p, const struct ike_event *ev)
{
	const struct gram_value *t = val(ev, GRAM_FIELD_TTYPE), *id = val(ev, GRAM_FIELD_TID);
	const struct gram_value *k = val(ev, GRAM_FIELD_KEYLEN);
	struct strbuf sb;

	if (!id || strlen(p->transforms) > 1024)
		return;
	sb_init(&sb);
	sb_adds(&sb, p->transforms);
	if (sb.len)
		sb_addc(&sb, ' ');
	if (t) {
		sb_add(&sb, t->p, t->len);
		sb_addc(&sb, '=');
	}
	sb_add(&sb, id->p, id->len);
	if (k) {
		sb_addc(&sb, '_');
		sb_add(&sb, k->p, k->len);
	}
	p->transforms = session_strndup(s, sb.buf, sb.len);
	sb_finish(&sb);
}

static void
policy_line(struct recon *r, const struct ike_event *ev)
{
	struct session *s = find_session(r, ev, ev->first_line, false);
	struct policy_entry *p;

	if (!s)
		return;
	touch(r, s, ev->last_line);
	/* a proposal printed over several lines: its number, protocol, then each transform */
	if (is(ev, GRAM_FIELD_KIND, "protocol") || is(ev, GRAM_FIELD_KIND, "transform")) {
		struct policy_entry *last = s->npolicies ? &s->policies[s->npolicies - 1] : NULL;

		if (!last)
			return;
		if (is(ev, GRAM_FIELD_KIND, "protocol")) {
			last->protocol = recon_str(s, ev, GRAM_FIELD_PROTOCOL);
			return;
		}
		policy_add_transform(s, last, ev);
		return;
	}
	if (val(ev, GRAM_FIELD_POLICY)) {
		r->policy_expected = is(ev, GRAM_FIELD_POLICY, "expected");
		if (!val(ev, GRAM_FIELD_TRANSFORMS))
			return;
		/* the line lists them too: "IKE:AES_CBC_128/.../MODP_2048, IKE:..." */
		policy_entries(r, s, val(ev, GRAM_FIELD_TRANSFORMS), r->policy_expected,
			       ev->first_line);
		return;
	}
	s->policies = arena_grow(s->arena, s->policies, sizeof(*s->policies), &s->cap_policies,
				 s->npolicies + 1);
	p = &s->policies[s->npolicies++];
	p->expected = r->policy_expected;
	p->protocol = recon_str(s, ev, GRAM_FIELD_PROTOCOL);
	p->transforms = val(ev, GRAM_FIELD_TRANSFORMS) ? recon_str(s, ev, GRAM_FIELD_TRANSFORMS)
						       : session_strndup(s, "", 0);
	p->line = ev->first_line;
}

static void
timer_line(struct recon *r, const struct ike_event *ev)
{
	struct session *s = find_session(r, ev, ev->first_line, false);
	struct timer_event *t;
	uint32_t v;

	if (!s)
		return;
	touch(r, s, ev->last_line);
	s->timers =
		arena_grow(s->arena, s->timers, sizeof(*s->timers), &s->cap_timers, s->ntimers + 1);
	t = &s->timers[s->ntimers++];
	memset(t, 0, sizeof(*t));
	t->what = recon_str(s, ev, GRAM_FIELD_KIND);
	t->timer = recon_str(s, ev, GRAM_FIELD_TIMER);
	if (recon_u32(ev, GRAM_FIELD_SECONDS, &v))
		t->seconds = v;
	t->line = ev->first_line;
	if (t->what && !strcmp(t->what, "lifetime")) {
		s->ike_up = true;
		s->lifetime_seconds = t->seconds;
	}
	if (t->what && !strcmp(t->what, "expired"))
		evidence(r, s, "timer-expired", ev);
}

static void
retransmit_line(struct recon *r, const struct ike_event *ev)
{
	struct session *s = find_session(r, ev, ev->first_line, false);

	if (!s)
		return;
	touch(r, s, ev->last_line);
	if (is(ev, GRAM_FIELD_KIND, "exhausted")) {
		s->retransmit_exhausted = true;
		s->retransmit_line = ev->first_line;
		s->terminal = true;
	} else if (is(ev, GRAM_FIELD_KIND, "resent")) {
		/* the line itself says the last request went out again */
		size_t i;

		for (i = s->nmsgs; i-- > 0;)
			if (s->msgs[i]->dir == MODEL_DIR_OUT) {
				s->msgs[i]->sends++;
				s->msgs[i]->retransmits++;
				s->retransmits++;
				if (ev->last_line > s->msgs[i]->last_line)
					s->msgs[i]->last_line = ev->last_line;
				break;
			}
	} else {
		s->retransmit_pending = true;
	}
}

static void
xml_document(struct recon *r, const struct ike_event *ev)
{
	struct session *s = r->focus;
	struct message *target = NULL;
	struct xdoc_info x;
	struct xml_doc *d;
	size_t i;

	if (!s)
		return;
	touch(r, s, ev->last_line);
	if (r->xml_received) {
		for (i = s->nmsgs; i-- > 0;)
			if (s->msgs[i]->dir == MODEL_DIR_IN) {
				target = s->msgs[i];
				break;
			}
	} else if (r->building && r->building_session == s) {
		target = r->building;
	} else {
		/* generated: it goes out in the next message the device builds */
		target = NULL;
	}
	xdoc_info_init(&x);
	xdoc_parse(ev->text, ev->len, &x);
	d = arena_alloc(s->arena, sizeof(*d));
	d->well_formed = x.well_formed;
	d->has_dtd = x.has_dtd;
	d->incomplete = ev->incomplete;
	d->first_line = ev->first_line;
	d->last_line = ev->last_line;
#define XCOPY(field, off)                                                                          \
	d->field = xdoc_value(&x, x.off) ? arena_strdup(s->arena, xdoc_value(&x, x.off)) : NULL
	XCOPY(type, type);
	XCOPY(client, client);
	XCOPY(version, version);
	XCOPY(who, who);
	XCOPY(device, device);
	XCOPY(group_select, group_select);
	XCOPY(tunnel_group, tunnel_group);
	XCOPY(username, username);
	XCOPY(session_id, session_id);
	XCOPY(auth_id, auth_id);
#undef XCOPY
	xdoc_info_finish(&x);
	if (!d->type) {
		/* not well-formed (cut in the log): take the type from the text */
		const char *t = memmem(ev->text, ev->len, "type=\"", 6);

		if (t) {
			const char *e = memchr(t + 6, '"', ev->len - (size_t)(t + 6 - ev->text));

			if (e)
				d->type = session_strndup(s, t + 6, (size_t)(e - t - 6));
		}
	}
	if (d->username && !s->user)
		s->user = d->username;
	if (target) {
		recon_attach_xml(s, target, d);
	} else {
		r->pending_xml = d;
		r->pending_xml_session = s;
	}
}

static void
xml_trace(struct recon *r, const struct ike_event *ev)
{
	if (is(ev, GRAM_FIELD_KIND, "document"))
		r->xml_received = is(ev, GRAM_FIELD_SIDE, "peer");
}

static void
eap_step(struct recon *r, const struct ike_event *ev)
{
	struct session *s = find_session(r, ev, ev->first_line, false);

	if (!s)
		return;
	touch(r, s, ev->last_line);
	if (is(ev, GRAM_FIELD_EAP_RESULT, "failure"))
		evidence(r, s, "eap-failed", ev);
	else if (is(ev, GRAM_FIELD_EAP_RESULT, "success"))
		s->eap_success = true;
}

void
recon_feed(struct recon *r, const struct lex_record *rec, const struct gram_match *m)
{
	struct ike_event ev;

	if (!r->replaying)
		recon_tick(r, rec->last_line);
	if (rec->flags & LEX_REC_NOISE)
		return;
	if (!m) {
		/* a record no family knows, amid a session's records: it may miss something */
		struct session *s = r->focus;

		if (s && !s->closed && rec->first_line > s->first_line) {
			if (!s->unrecognized++)
				s->unrecognized_line = rec->first_line;
			/* inside a payload's dump: what its lines add up to may be cut */
			if (r->payload && r->payload_session == s)
				r->payload->gaps++;
		}
		return;
	}
	if (!r->dialect_forced && r->g)
		dialect_vote(&r->votes, r->g, rec->text, rec->len);
	dialect_event(rec, m, r->votes.leader, &ev);
	recon_feed_event(r, &ev);
}

/*
 * True if ev is the twin of a record just read (a daemon that logs each
 * event twice): the same kind and values, but for the SA number, from the
 * other kind of copy. Each record pairs once.
 */
static bool
twin_seen(struct recon *r, const struct ike_event *ev)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)ev->kind;
	bool second = ev->copy == IKE_COPY_SECOND;
	size_t i, k;

	for (i = 0; i < ev->nattrs; i++) {
		const struct gram_value *a = &ev->attrs[i];

		/* what only one copy gives: its tag's SA number and connection */
		if (a->field == GRAM_FIELD_SA || a->field == GRAM_FIELD_COPY ||
		    a->field == GRAM_FIELD_FACILITY || a->field == GRAM_FIELD_CONN)
			continue;
		h = (h ^ a->field) * 1099511628211ull;
		for (k = 0; k < a->len; k++)
			h = (h ^ (unsigned char)a->p[k]) * 1099511628211ull;
		h = (h ^ 0xff) * 1099511628211ull;
	}
	for (i = 0; i < sizeof(r->twins) / sizeof(r->twins[0]); i++)
		if (r->twins[i].used && r->twins[i].hash == h && r->twins[i].second != second) {
			r->twins[i].used = false;
			return true;
		}
	k = r->twin_next++ % (sizeof(r->twins) / sizeof(r->twins[0]));
	r->twins[k].hash = h;
	r->twins[k].second = second;
	r->twins[k].used = true;
	return false;
}

/* The open session the device's SA number sa names, or NULL. */
static struct session *
session_of_sa(struct recon *r, uint32_t sa)
{
	const struct recon_index_node *e;
	struct session *best = NULL;

	for (e = recon_index_first(&r->by_sa, sa); e; e = recon_index_next(e))
		if (!e->s->closed && session_has_sa_id(e->s, sa) &&
		    (!best || e->s->number > best->number))
			best = e->s;
	return best;
}

/*
 * A device that numbers each child SA apart from its IKE SA (libreswan's
 * #2 of #1): a line that names the child's number is of the IKE SA it
 * names, or of the one in focus, and the child's number becomes one of
 * that session's, so that the child's own lines are the session's too.
 */
static void
sa_aliases(struct recon *r, const struct ike_event *ev)
{
	uint32_t n;
	struct session *s = ev->has_handle ? session_of_sa(r, ev->handle) : r->focus;

	if (s && !s->closed && recon_u32(ev, GRAM_FIELD_CHILD_SA, &n) &&
	    !(ev->has_handle && n == ev->handle) && !session_has_sa_id(s, n))
		recon_add_sa_id(r, s, n);
}

void
recon_feed_event(struct recon *r, const struct ike_event *ev)
{
	if (ev->copy != IKE_COPY_NONE && twin_seen(r, ev))
		return;

	r->event_dialect = ev->dialect;
	r->has_stamp = false;
	if (ev->stamp) {
		size_t n = ev->stamp_len < LEX_MAX_STAMP ? ev->stamp_len : LEX_MAX_STAMP;

		/* the records of one second share their stamp: it is read once */
		if (n != r->last_stamp_len || memcmp(ev->stamp, r->last_stamp, n)) {
			memcpy(r->last_stamp, ev->stamp, n);
			r->last_stamp[n] = '\0';
			r->last_stamp_len = n;
			r->last_stamp_ok =
				model_time_parse(NULL, r->last_stamp, &r->last_stamp_time);
		}
		r->has_stamp = r->last_stamp_ok;
		r->stamp = r->last_stamp_time;
	}
	if (ev->kind != IKE_EVENT_CLIENT && ev->kind != IKE_EVENT_SHOW && !r->ike_records++)
		r->first_ike_line = ev->first_line;
	/* show output ends where other recognized output begins */
	if (r->show && ev->kind != IKE_EVENT_SHOW)
		recon_show_end(r);
	/* an outgoing message built for encryption takes the XML generated for it */
	if (r->pending_xml && r->building && r->building_session == r->pending_xml_session) {
		recon_attach_xml(r->building_session, r->building, r->pending_xml);
		r->pending_xml = NULL;
	}
	switch (ev->kind) {
	case IKE_EVENT_PACKET:
		if (is(ev, GRAM_FIELD_KIND, "wire"))
			wire_packet(r, ev);
		else if (val(ev, GRAM_FIELD_SPI_I) || is(ev, GRAM_FIELD_KIND, "partial") ||
			 is(ev, GRAM_FIELD_KIND, "event") || is(ev, GRAM_FIELD_KIND, "event-done"))
			platform_packet(r, ev);
		else
			packet_start(r, ev);
		break;
	case IKE_EVENT_EXCHANGE:
		exchange_line(r, ev);
		break;
	case IKE_EVENT_HEADER:
		header(r, ev);
		break;
	case IKE_EVENT_PAYLOAD:
		new_payload(r, ev);
		break;
	case IKE_EVENT_PROPOSAL_SUMMARY:
		proposal_summary(r, ev);
		break;
	case IKE_EVENT_PROPOSAL:
		proposal_line(r, ev);
		break;
	case IKE_EVENT_TRANSFORM:
		transform_line(r, ev);
		break;
	case IKE_EVENT_PAYLOAD_DETAIL:
		payload_body(r, ev);
		break;
	case IKE_EVENT_EAP_STEP:
		eap_step(r, ev);
		break;
	case IKE_EVENT_DECRYPTED:
		if (r->msg) {
			uint32_t v;

			if (is(ev, GRAM_FIELD_KIND, "REAL")) {
				r->inner = true;
				if (recon_u32(ev, GRAM_FIELD_BYTES, &v))
					r->msg->decrypted_bytes = v;
			}
		}
		break;
	case IKE_EVENT_CONSTRUCT:
		construct_line(r, ev);
		break;
	case IKE_EVENT_STATE:
		sm_trace(r, ev);
		break;
	case IKE_EVENT_TIMER:
		timer_line(r, ev);
		break;
	case IKE_EVENT_RETRANSMIT:
		retransmit_line(r, ev);
		break;
	case IKE_EVENT_CONTEXT:
		fact(r, ev);
		break;
	case IKE_EVENT_VERDICT:
		error_line(r, ev);
		break;
	case IKE_EVENT_STATUS:
		status_line(r, ev);
		break;
	case IKE_EVENT_POLICY:
		policy_line(r, ev);
		break;
	case IKE_EVENT_XML_TRACE:
		xml_trace(r, ev);
		break;
	case IKE_EVENT_XML:
		xml_document(r, ev);
		break;
	case IKE_EVENT_CLIENT:
		recon_client_entry(r, ev);
		break;
	case IKE_EVENT_SHOW:
		recon_show_line(r, ev);
		break;
	case IKE_EVENT_ACTION:
	case IKE_EVENT_MESSAGE:
	case IKE_EVENT_COUNT:
		/* messages with an SA number keep the session in focus */
		if (ev->has_handle)
			find_session(r, ev, ev->first_line, false);
		break;
	}
	/* the child's number the line names (its session is known by now) */
	if (val(ev, GRAM_FIELD_CHILD_SA))
		sa_aliases(r, ev);
}
