/* The reconstructor's life cycle: inputs, orphan records, finished sessions. */
#include "ikescope/reconstruct.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/util/arena.h"
#include "ikescope/util/xalloc.h"
#include "recon-private.h"

#include "ikescope/verify.h"

struct recon *
recon_create(const struct grammar *g)
{
	struct recon *r = xcalloc(1, sizeof(*r));

	r->g = g;
	r->wait_bytes = RECON_WAIT_BYTES;
	dialect_votes_init(&r->votes);
	/* --dialect: the grammar reads that dialect only, and so does every input */
	if (g && grammar_only_dialect(g) < GRAM_DIALECT_COUNT)
		recon_force_dialect(r, grammar_only_dialect(g));
	sb_init(&r->vendor);
	sb_init(&r->summary);
	sb_init(&r->built_id_type);
	sb_init(&r->built_identity);
	sb_init(&r->summary_protocol);
	sb_init(&r->built_vids);
	sb_init(&r->pkt.src);
	sb_init(&r->pkt.dst);
	sb_init(&r->pkt.local);
	sb_init(&r->pkt.remote);
	return r;
}

static void
drop_orphans(struct recon *r)
{
	size_t i;

	for (i = 0; i < r->norphans; i++)
		free(r->orphans[i].text);
	r->norphans = 0;
}

void
recon_destroy(struct recon *r)
{
	struct open_session *o, *n;
	size_t i;

	if (!r)
		return;
	recon_show_free(r);
	for (o = r->oldest; o; o = n) {
		n = o->newer;
		session_destroy(o->s);
		free(o);
	}
	for (i = r->done_head; i < r->ndone; i++)
		session_destroy(r->done[i]);
	free(r->done);
	for (i = 0; i < r->nfinished; i++)
		session_destroy(r->finished[i]);
	free(r->finished);
	drop_orphans(r);
	recon_index_free(&r->by_spi);
	recon_index_free(&r->by_sa);
	sb_finish(&r->vendor);
	sb_finish(&r->summary);
	sb_finish(&r->built_id_type);
	sb_finish(&r->built_identity);
	sb_finish(&r->summary_protocol);
	sb_finish(&r->built_vids);
	sb_finish(&r->pkt.src);
	sb_finish(&r->pkt.dst);
	sb_finish(&r->pkt.local);
	sb_finish(&r->pkt.remote);
	free(r->input);
	free(r);
}

void
recon_packet_reset(struct pending_packet *p)
{
	p->active = false;
	p->has_sa = p->has_mid = false;
	p->sport = p->dport = p->lport = p->rport = 0;
	sb_reset(&p->src);
	sb_reset(&p->dst);
	sb_reset(&p->local);
	sb_reset(&p->remote);
}

void
recon_copy_field(struct strbuf *out, const struct ike_event *ev, enum gram_field f)
{
	const struct gram_value *v = ike_event_attr(ev, f);

	sb_reset(out);
	if (v)
		sb_add(out, v->p, v->len);
}

static void
reset_dump(struct recon *r)
{
	recon_packet_reset(&r->pkt);
	r->msg = NULL;
	r->msg_session = NULL;
	r->plat_msg = NULL;
	r->plat_session = NULL;
	r->inner = false;
	r->payload = NULL;
	r->payload_session = NULL;
	r->building = NULL;
	r->building_session = NULL;
	r->dump_ended_session = NULL;
	r->pending_xml = NULL;
	r->pending_xml_session = NULL;
	r->policy_expected = false;
	r->xml_received = false;
	sb_reset(&r->vendor);
	sb_reset(&r->built_vids);
}

/*
 * A session is finished: forget the dump state that points into it, and
 * only that (another session's dump may be in progress).
 */
static void
forget_session(struct recon *r, const struct session *s)
{
	if (r->msg_session == s) {
		r->msg = NULL;
		r->msg_session = NULL;
		r->inner = false;
	}
	if (r->plat_session == s) {
		r->plat_msg = NULL;
		r->plat_session = NULL;
	}
	if (r->payload_session == s) {
		r->payload = NULL;
		r->payload_session = NULL;
	}
	if (r->building_session == s) {
		r->building = NULL;
		r->building_session = NULL;
	}
	if (r->dump_ended_session == s)
		r->dump_ended_session = NULL;
	if (r->summary_session == s)
		r->summary_session = NULL;
	if (r->pending_xml_session == s) {
		r->pending_xml = NULL;
		r->pending_xml_session = NULL;
	}
}

void
recon_begin_input(struct recon *r, const char *name)
{
	free(r->input);
	r->input = xstrdup(name);
	r->input_index++;
	r->ike_records = 0;
	r->created_before_input = r->created;
	r->first_ike_line = 0;
	r->focus = NULL;
	r->anon = NULL;
	memset(r->twins, 0, sizeof(r->twins));
	if (!r->dialect_forced)
		dialect_votes_init(&r->votes);
	reset_dump(r);
	drop_orphans(r);
}

void
recon_hand_out_as_ended(struct recon *r)
{
	r->wait_bytes = 0;
}

void
recon_force_dialect(struct recon *r, enum gram_dialect d)
{
	r->dialect_forced = true;
	r->votes.leader = d;
}

enum gram_dialect
recon_dialect(const struct recon *r)
{
	return r->votes.leader;
}

unsigned long
recon_ike_records(const struct recon *r)
{
	return r->ike_records;
}

unsigned
recon_input_sessions(const struct recon *r)
{
	return r->created - r->created_before_input;
}

uint32_t
recon_first_ike_line(const struct recon *r)
{
	return r->first_ike_line;
}

/* An event that names no session, seen before any session: kept for the first one. */
void
recon_orphan(struct recon *r, const struct ike_event *ev)
{
	struct orphan *o;
	size_t i;

	if (r->replaying || r->norphans >= RECON_MAX_ORPHANS)
		return;
	o = &r->orphans[r->norphans++];
	o->ev = *ev;
	o->text = xstrndup(ev->text, ev->len);
	o->ev.text = o->text;
	if (ev->stamp) {
		o->ev.stamp_len = ev->stamp_len < LEX_MAX_STAMP ? ev->stamp_len : LEX_MAX_STAMP;
		memcpy(o->stamp, ev->stamp, o->ev.stamp_len);
		o->ev.stamp = o->stamp;
	}
	o->ev.nattrs = ev->nattrs < IKE_EVENT_MAX_ATTRS ? ev->nattrs : IKE_EVENT_MAX_ATTRS;
	o->ev.attrs = o->attrs;
	memcpy(o->at, ev->at, sizeof(o->at));
	o->ev.at = o->at;
	for (i = 0; i < o->ev.nattrs; i++) {
		const char *p = ev->attrs[i].p;

		o->attrs[i] = ev->attrs[i];
		/* values inside the record text move with it; grammar constants stay */
		if (p >= ev->text && p <= ev->text + ev->len)
			o->attrs[i].p = o->text + (p - ev->text);
	}
}

void
recon_apply_orphans(struct recon *r, struct session *s)
{
	size_t i, n = r->norphans;

	if (!n || r->replaying)
		return;
	r->replaying = true;
	for (i = 0; i < n; i++) {
		r->focus = s;
		if (r->orphans[i].ev.first_line < s->first_line)
			s->first_line = r->orphans[i].ev.first_line;
		recon_feed_event(r, &r->orphans[i].ev);
	}
	r->replaying = false;
	r->focus = s;
	drop_orphans(r);
}

void
recon_attach_xml(struct session *s, struct message *m, struct xml_doc *d)
{
	m->xml = arena_grow(s->arena, m->xml, sizeof(*m->xml), &m->cap_xml, m->nxml + 1);
	m->xml[m->nxml++] = *d;
}

static int
by_first_line(const void *a, const void *b)
{
	const struct session *x = *(struct session *const *)a, *y = *(struct session *const *)b;

	if (x->first_line != y->first_line)
		return x->first_line < y->first_line ? -1 : 1;
	return x->number < y->number ? -1 : x->number > y->number;
}

/*
 * A client session of the same input that s matches (open, or finished and
 * waiting): its events join s, and it is not handed out on its own.
 */
static void
join_same_input_client(struct recon *r, struct session *s)
{
	struct session **c = NULL;
	struct open_session *o;
	size_t i, n = 0, best;

	if (s->client_log || s->client_input || !r->client_sessions)
		return;
	for (o = r->newest; o; o = o->older)
		if (o->s != s && o->s->client_log && !o->s->client_joined) {
			c = xreallocarray(c, n + 1, sizeof(*c));
			c[n++] = o->s;
		}
	for (i = 0; i < r->nfinished; i++)
		if (r->finished[i]->client_log && !r->finished[i]->client_joined) {
			c = xreallocarray(c, n + 1, sizeof(*c));
			c[n++] = r->finished[i];
		}
	best = recon_client_best(s, c, n);
	if (best < n) {
		recon_join_client(s, c[best]);
		c[best]->client_joined = true;
	}
	free(c);
}

/* ---- the open sessions' lists ---- */

static void
lru_unlink(struct recon *r, struct open_session *o)
{
	struct recon_lru *l = &r->lists[o->list];

	if (o->prev)
		o->prev->next = o->next;
	else
		l->head = o->next;
	if (o->next)
		o->next->prev = o->prev;
	else
		l->tail = o->prev;
	o->prev = o->next = NULL;
}

static void
lru_push(struct recon *r, struct open_session *o, enum recon_list list)
{
	struct recon_lru *l = &r->lists[list];

	o->list = list;
	o->prev = NULL;
	o->next = l->head;
	if (l->head)
		l->head->prev = o;
	else
		l->tail = o;
	l->head = o;
}

/* o in the list by first line: after older (NULL: first), before the one that followed it. */
static void
order_insert(struct recon *r, struct open_session *o, struct open_session *older)
{
	o->older = older;
	o->newer = older ? older->newer : r->oldest;
	if (o->newer)
		o->newer->older = o;
	else
		r->newest = o;
	if (older)
		older->newer = o;
	else
		r->oldest = o;
}

static void
order_unlink(struct recon *r, struct open_session *o)
{
	if (o->older)
		o->older->newer = o->newer;
	else
		r->oldest = o->newer;
	if (o->newer)
		o->newer->older = o->older;
	else
		r->newest = o->older;
	o->older = o->newer = NULL;
}

void
recon_open(struct recon *r, struct session *s, uint32_t line)
{
	struct open_session *o = xcalloc(1, sizeof(*o));

	s->first_line = s->last_line = line;
	s->number = ++r->created;
	s->recon_node = o;
	o->s = s;
	lru_push(r, o, RECON_LIST_NEGOTIATING);
	order_insert(r, o, r->newest);
	r->nopen++;
}

static enum recon_list
list_of(const struct session *s)
{
	if (s->terminal || s->ended)
		return RECON_LIST_ENDED;
	return s->ike_up ? RECON_LIST_UP : RECON_LIST_NEGOTIATING;
}

/*
 * The sessions the last records touched: each to the head of its state's
 * list, and back among the sessions opened before it if a record moved its
 * first line earlier (the oldest by first line stays at the head).
 */
static void
settle(struct recon *r)
{
	size_t i;

	for (i = 0; i < r->ntouched; i++) {
		struct session *s = r->touched[i];
		struct open_session *o = s->recon_node, *at;

		if (!o)
			continue;
		lru_unlink(r, o);
		lru_push(r, o, list_of(s));
		if (!o->older || o->older->s->first_line <= s->first_line)
			continue;
		for (at = o->older; at->older && at->older->s->first_line > s->first_line;
		     at = at->older)
			;
		/* out of its place, then in before at */
		order_unlink(r, o);
		order_insert(r, o, at->older);
	}
	r->ntouched = 0;
}

void
recon_touched(struct recon *r, struct session *s)
{
	size_t i;

	if (!s->recon_node || (r->ntouched && r->touched[r->ntouched - 1] == s))
		return;
	for (i = 0; i < r->ntouched; i++)
		if (r->touched[i] == s)
			return;
	if (r->ntouched == RECON_TOUCHED)
		settle(r);
	r->touched[r->ntouched++] = s;
}

/* Lines a session of this state may stay idle before it is finished. */
static uint64_t
idle_limit(const struct recon *r, enum recon_list list)
{
	uint64_t up = RECON_IDLE_LINES + (uint64_t)r->nopen * RECON_IDLE_LINES_PER_OPEN;

	if (list == RECON_LIST_ENDED)
		return RECON_AFTER_FREE_LINES;
	if (list == RECON_LIST_UP)
		return up;
	return up > RECON_IDLE_NEGOTIATING_LINES ? up : RECON_IDLE_NEGOTIATING_LINES;
}

/* Takes s out of the open sessions into the finished ones. */
static void
finish(struct recon *r, struct session *s)
{
	struct open_session *o = s->recon_node;

	if (r->focus == s)
		r->focus = NULL;
	if (r->anon == s)
		r->anon = NULL;
	if (r->client == s)
		r->client = NULL;
	forget_session(r, s);
	recon_finish_session(r, s);
	join_same_input_client(r, s);
	r->finished = xreallocarray(r->finished, r->nfinished + 1, sizeof(*r->finished));
	r->finished[r->nfinished++] = s;
	r->finished_bytes += arena_used(s->arena);
	lru_unlink(r, o);
	order_unlink(r, o);
	free(o);
	s->recon_node = NULL;
	r->nopen--;
	recon_unindex(r, s);
}

/* The least recently active open session. */
static struct session *
least_active(const struct recon *r)
{
	struct session *best = NULL;
	int l;

	for (l = 0; l < RECON_LISTS; l++) {
		const struct open_session *o = r->lists[l].tail;

		if (o && (!best || o->s->last_line < best->last_line))
			best = o->s;
	}
	return best;
}

/*
 * Finishes the open sessions that are done (or all, with force), and hands
 * out finished ones in the order they began: a finished session waits only
 * for open sessions that began before it, and only while the finished ones
 * waiting hold less than RECON_WAIT_BYTES. Only the sessions idle longest in
 * each state are looked at.
 */
static void
release(struct recon *r, bool force)
{
	uint32_t min_open;
	size_t i, k, before = r->nfinished;
	int l;

	settle(r);
	if (force) {
		while (r->oldest)
			finish(r, r->oldest->s);
	} else {
		if (r->nopen > RECON_MAX_OPEN) {
			/* the least recently active tenth goes */
			while (r->nopen > RECON_MAX_OPEN - RECON_MAX_OPEN / 10) {
				struct session *s = least_active(r);

				s->evicted = true;
				finish(r, s);
			}
		}
		for (l = 0; l < RECON_LISTS; l++) {
			struct open_session *o;

			while ((o = r->lists[l].tail)) {
				struct session *s = o->s;
				uint32_t idle = r->line > s->last_line ? r->line - s->last_line : 0;

				if (idle <= idle_limit(r, list_of(s)))
					break;
				finish(r, s);
			}
		}
	}
	if (!r->nfinished)
		return;
	/* those left from the last time are in order already: the new ones go in
	 * their places (found by halves; most belong near the end) */
	for (i = before; i < r->nfinished; i++) {
		struct session *s = r->finished[i];
		size_t lo = 0, hi = i;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (by_first_line(&r->finished[mid], &s) <= 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		memmove(&r->finished[lo + 1], &r->finished[lo], (i - lo) * sizeof(*r->finished));
		r->finished[lo] = s;
	}
	min_open = r->oldest ? r->oldest->s->first_line : UINT32_MAX;
	for (i = 0, k = 0; i < r->nfinished; i++) {
		struct session *s = r->finished[i];
		size_t bytes = arena_used(s->arena);

		if (bytes > r->finished_bytes)
			bytes = r->finished_bytes;

		if (s->client_joined) {
			r->finished_bytes -= bytes;
			session_destroy(s); /* its events live on in the session it joined */
		} else if (s->first_line < min_open || !r->wait_bytes ||
			   r->finished_bytes > r->wait_bytes) {
			r->finished_bytes -= bytes;
			s->number = ++r->numbered;
			r->done = xreallocarray(r->done, r->ndone + 1, sizeof(*r->done));
			r->done[r->ndone++] = s;
		} else {
			r->finished[k++] = s;
		}
	}
	r->nfinished = k;
}

void
recon_tick(struct recon *r, uint32_t line)
{
	r->line = line;
	if (++r->records_fed % RECON_RELEASE_EVERY == 0)
		release(r, false);
}

void
recon_end_input(struct recon *r)
{
	recon_show_end(r);
	release(r, true);
	r->focus = NULL;
	r->client = NULL;
	reset_dump(r);
	drop_orphans(r);
}

struct recon_input {
	struct recon *r;
	const struct grammar *g;
	struct lex *lx;
	char *name;
	uint64_t records, unrecognized;
	uint32_t line;
	bool ended;
};

struct recon_input *
recon_input_open(struct recon *r, const struct grammar *g, FILE *fp, const char *name,
		 const struct lex_options *opt)
{
	struct recon_input *in = xcalloc(1, sizeof(*in));

	in->r = r;
	in->g = g;
	in->name = xstrdup(name);
	recon_begin_input(r, name);
	in->lx = lex_create(fp, in->name, grammar_lex_ops(), (void *)g, opt);
	return in;
}

static void
hand_out(struct recon *r, const struct recon_reader *rd)
{
	struct session *s;

	while ((s = recon_next(r))) {
		/* verify: its own pass over the finished session; it only adds findings */
		verify_session(s);
		if (rd && rd->session)
			rd->session(rd->ctx, s);
		else
			session_destroy(s);
	}
}

bool
recon_input_step(struct recon_input *in, size_t max, const struct recon_reader *rd, struct err *err)
{
	struct lex_record rec;
	struct gram_match m;
	size_t n;

	if (in->ended)
		return false;
	for (n = 0; n < max; n++) {
		bool matched = false;

		if (!lex_next(in->lx, &rec, err)) {
			recon_end_input(in->r);
			hand_out(in->r, rd);
			in->ended = true;
			return false;
		}
		in->line = rec.last_line;
		if (rd && rd->line)
			rd->line(rd->ctx, &rec);
		if (!(rec.flags & LEX_REC_NOISE)) {
			matched = grammar_match_hinted(in->g, rec.text, rec.len, &rec.hint, &m);
			if (matched)
				in->records++;
			else
				in->unrecognized++;
			if (rd && rd->record)
				rd->record(rd->ctx, &rec, matched ? &m : NULL);
		}
		recon_feed(in->r, &rec, matched ? &m : NULL);
		hand_out(in->r, rd);
	}
	return true;
}

uint64_t
recon_input_records(const struct recon_input *in)
{
	return in->records;
}

uint64_t
recon_input_unrecognized(const struct recon_input *in)
{
	return in->unrecognized;
}

const struct lex_stats *
recon_input_lex_stats(const struct recon_input *in)
{
	return lex_stats(in->lx);
}

uint32_t
recon_input_line(const struct recon_input *in)
{
	return in->line;
}

void
recon_input_close(struct recon_input *in)
{
	if (!in)
		return;
	lex_destroy(in->lx);
	free(in->name);
	free(in);
}

bool
recon_input_silence(const struct recon *r, const char *name, struct strbuf *out)
{
	if (!recon_ike_records(r)) {
		sb_addf(out, "%s: no IKEv2 content", name);
		return true;
	}
	if (recon_input_sessions(r))
		return false;
	sb_addf(out,
		"%s:%u: IKEv2 content (%lu record%s) but no session: no line names an SA "
		"number or the SPIs of one",
		name, recon_first_ike_line(r), recon_ike_records(r),
		recon_ike_records(r) == 1 ? "" : "s");
	return true;
}

enum gram_dialect
recon_file_dialect(const struct grammar *g, const char *path)
{
	struct dialect_votes v;
	struct lex_record rec;
	struct err err = { 0 };
	struct lex *lx;
	unsigned seen = 0;
	FILE *fp = fopen(path, "rb");

	dialect_votes_init(&v);
	if (grammar_only_dialect(g) < GRAM_DIALECT_COUNT || !fp) {
		if (fp)
			fclose(fp);
		return grammar_only_dialect(g);
	}
	lx = lex_create(fp, path, grammar_lex_ops(), (void *)g, NULL);
	while (seen < 200 && v.total < DIALECT_VOTES && lex_stats(lx)->bytes < (1u << 20) &&
	       lex_next(lx, &rec, &err)) {
		if (rec.flags & LEX_REC_NOISE)
			continue;
		seen++;
		dialect_vote(&v, g, rec.text, rec.len);
	}
	lex_destroy(lx);
	fclose(fp);
	return v.leader;
}

bool
recon_read(struct recon *r, const struct grammar *g, FILE *fp, const char *name,
	   const struct recon_reader *rd, struct lex_stats *stats, struct err *err)
{
	struct recon_input *in = recon_input_open(r, g, fp, name, NULL);
	bool ok;

	while (recon_input_step(in, SIZE_MAX, rd, err))
		;
	ok = !err_is_set(err);
	if (stats)
		*stats = *recon_input_lex_stats(in);
	recon_input_close(in);
	return ok;
}

struct session *
recon_next(struct recon *r)
{
	if (r->done_head >= r->ndone) {
		r->done_head = r->ndone = 0;
		return NULL;
	}
	return r->done[r->done_head++];
}

/* ---- the lexer on a thread of its own (recon_input_run_piped) ---- */

#include <pthread.h>
#include <stdatomic.h>

#define PIPE_BATCH       256          /* records handed over at once, at most */
#define PIPE_BATCH_BYTES (256u << 10) /* and their text: a batch ends past it */
#define PIPE_SLOTS       16    /* batches in flight: room for either thread to run ahead a while */
#define PIPE_SPINS       20000 /* looks at a slot before sleeping on it */

/*
 * A record copied out of the lexer's buffers, the text and stamp at
 * offsets into the batch's text, and how far the lexer thread matched it
 * (how): not at all; matched, the values in the batch's array (p: an
 * offset into the text for those in it); or answered, the grammar's
 * answer for its shape, which the other side makes the match from. What
 * a match keeps per field (has, at) is made again from the values there.
 * A record is a cache line: what the lexer writes for it must travel to
 * the other core, and the stores that wait for those lines were a tenth
 * of its time when a record took four.
 */
enum piped_how { PIPED_OPEN, PIPED_MATCHED, PIPED_UNMATCHED, PIPED_ANSWERED };

struct piped {
	uint64_t offset;
	const char *kind;
	const void *ptr; /* matched: the rule's name; answered: the answer's values */
	uint32_t first_line, last_line;
	uint32_t text_at, len;
	uint32_t first_value;
	uint32_t in_text; /* bit k: value k lies in the text (p holds its offset) */
	uint32_t attempts;
	uint16_t flags;
	uint16_t dialects; /* matched: the rule's; answered: 1 + the family rule, 0: none */
	uint8_t stamp_len, nvalues, family, how;
};

struct piped_value {
	const char *p;
	uint32_t len;
	uint16_t field;
};

_Static_assert(sizeof(struct piped) <= 64, "a piped record is a cache line");
_Static_assert(GRAM_MAX_VALUES <= 32, "struct piped keeps a bit per value");
_Static_assert(LEX_MAX_STAMP <= UINT8_MAX, "struct piped keeps a stamp's length in a byte");
_Static_assert(GRAM_FAMILY_COUNT <= UINT8_MAX && GRAM_DIALECT_COUNT <= 16 &&
		       GRAM_FIELD_COUNT <= UINT16_MAX,
	       "struct piped keeps a family in a byte, the dialects and a field in 16 bits");
_Static_assert(LEX_MAX_STAMP > 0, "a stamped record has a stamp of a byte or more");

struct pipe_batch {
	struct piped r[PIPE_BATCH];
	size_t n;
	const char *input;  /* the records' input name (the lexer's, one for all) */
	struct strbuf text; /* the texts and stamps of the records */
	struct piped_value *values;
	size_t nvalues, values_cap;
	bool matches;       /* the lexer thread matches the records it has no answer for */
	bool last;          /* the input ended after these */
	uint64_t gen_first; /* the lexer grammar's answers' generation when it began */
};

struct pipe {
	pthread_mutex_t mu;
	pthread_cond_t filled, emptied;
	struct pipe_batch slots[PIPE_SLOTS];
	atomic_bool full[PIPE_SLOTS];
	/* a thread asleep on the condition (under mu): the other one signals it */
	bool lexer_asleep, reader_asleep;
	struct lex *lx;
	const struct grammar *g; /* the lexer's */
	enum recon_pipe_match side;
	uint32_t line;  /* the lexer's last line, once it is done */
	struct err err; /* the lexer's read error */
};

/*
 * Copies rec into the batch, with how far it was matched here: m, its
 * match (how: PIPED_MATCHED), or a, its answer (PIPED_ANSWERED).
 */
static void
pipe_put(struct pipe_batch *b, const struct lex_record *rec, enum piped_how how,
	 const struct gram_match *m, const struct gram_answer *a)
{
	struct piped *x = &b->r[b->n++];
	size_t k;

	b->input = rec->input;
	x->offset = rec->offset;
	x->kind = rec->kind;
	x->first_line = rec->first_line;
	x->last_line = rec->last_line;
	x->flags = (uint16_t)rec->flags;
	x->text_at = (uint32_t)b->text.len;
	x->len = (uint32_t)rec->len;
	sb_add(&b->text, rec->text, rec->len);
	sb_addc(&b->text, '\0');
	x->stamp_len = 0;
	if (rec->stamp) {
		x->stamp_len = (uint8_t)rec->stamp_len;
		sb_add(&b->text, rec->stamp, rec->stamp_len);
		sb_addc(&b->text, '\0');
	}
	x->how = (uint8_t)how;
	if (how == PIPED_ANSWERED) {
		x->ptr = a->values;
		x->dialects = (uint16_t)(a->family + 1);
		x->attempts = a->attempts;
		x->nvalues = (uint8_t)a->nvalues;
		return;
	}
	if (how != PIPED_MATCHED)
		return; /* open, or no family matched: the other side reads no match */
	/* the values that are not in the text are the grammar's own words: they stay put */
	x->in_text = 0;
	x->family = (uint8_t)m->family;
	x->ptr = m->rule;
	x->dialects = (uint16_t)m->dialects;
	x->attempts = m->attempts;
	x->nvalues = (uint8_t)m->nvalues;
	if (b->nvalues + m->nvalues > b->values_cap) {
		b->values_cap = b->values_cap ? 2 * b->values_cap : 4 * PIPE_BATCH;
		b->values = xreallocarray(b->values, b->values_cap, sizeof(*b->values));
	}
	x->first_value = (uint32_t)b->nvalues;
	for (k = 0; k < m->nvalues; k++) {
		const struct gram_value *v = &m->values[k];
		struct piped_value *to = &b->values[b->nvalues++];

		to->p = v->p;
		to->len = (uint32_t)v->len;
		to->field = (uint16_t)v->field;
		if (v->p >= rec->text && v->p + v->len <= rec->text + rec->len) {
			to->p = (const char *)(uintptr_t)(v->p - rec->text);
			x->in_text |= 1u << k;
		}
	}
}

/*
 * Makes in rec the record taken off the pipe, pointed at the batch's text,
 * and in m its match if it was matched on the lexer's side or from the
 * answer given there (g: this side's grammar). Returns whether it matched;
 * how is then not PIPED_OPEN. The batch is only read here: a line of it
 * written on this side would have to come back from this core's cache when
 * the lexer writes the next batch there.
 */
static bool
pipe_take(const struct pipe_batch *b, const struct piped *x, const struct grammar *g,
	  struct lex_record *rec, struct gram_match *m)
{
	const char *text = b->text.buf + x->text_at;
	size_t k;

	rec->input = b->input;
	rec->first_line = x->first_line;
	rec->last_line = x->last_line;
	rec->offset = x->offset;
	rec->text = text;
	rec->len = x->len;
	rec->flags = x->flags;
	rec->kind = x->kind;
	rec->stamp = x->stamp_len ? text + x->len + 1 : NULL;
	rec->stamp_len = x->stamp_len;
	rec->hint.p = NULL;
	rec->hint.gen = 0;
	if (x->how == PIPED_ANSWERED) {
		struct gram_answer a = { x->ptr, (int32_t)x->dialects - 1, x->attempts,
					 x->nvalues };

		return grammar_match_answer(g, &a, text, m);
	}
	if (x->how != PIPED_MATCHED)
		return false;
	m->family = (enum gram_family)x->family;
	m->rule = x->ptr;
	m->dialects = x->dialects;
	m->attempts = x->attempts;
	m->nvalues = x->nvalues;
	memset(m->has, 0, sizeof(m->has));
	memset(m->at, 0, sizeof(m->at));
	for (k = 0; k < x->nvalues; k++) {
		const struct piped_value *pv = &b->values[x->first_value + k];
		struct gram_value *v = &m->values[k];

		v->field = (enum gram_field)pv->field;
		v->p = (x->in_text >> k & 1) ? text + (uintptr_t)pv->p : pv->p;
		v->len = pv->len;
		/* as the matcher keeps them: the field has a value, its first one */
		m->has[v->field / 64] |= 1ull << (v->field % 64);
		if (!m->at[v->field])
			m->at[v->field] = (uint8_t)(k + 1);
	}
	return true;
}

static inline void
cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

/*
 * Waits until slot i is full (want) or empty. A batch takes a fraction of
 * a millisecond to fill or to read: the slot is looked at for about that
 * long before the thread sleeps, so that most handovers cost no system
 * call (a wake-up per batch cost more than a tenth of the run).
 */
static void
pipe_wait(struct pipe *p, unsigned i, bool want, pthread_cond_t *cond, bool *asleep)
{
	unsigned spin;

	for (spin = 0; spin < PIPE_SPINS; spin++) {
		if (atomic_load_explicit(&p->full[i], memory_order_acquire) == want)
			return;
		cpu_relax();
	}
	pthread_mutex_lock(&p->mu);
	*asleep = true;
	while (atomic_load_explicit(&p->full[i], memory_order_acquire) != want)
		pthread_cond_wait(cond, &p->mu);
	*asleep = false;
	pthread_mutex_unlock(&p->mu);
}

/* Marks slot i full or empty, and wakes the other thread if it sleeps. */
static void
pipe_mark(struct pipe *p, unsigned i, bool full, pthread_cond_t *cond, const bool *asleep)
{
	atomic_store_explicit(&p->full[i], full, memory_order_release);
	pthread_mutex_lock(&p->mu);
	if (*asleep)
		pthread_cond_signal(cond);
	pthread_mutex_unlock(&p->mu);
}

/* How many batches wait for the reader. */
static unsigned
pipe_queued(struct pipe *p)
{
	unsigned i, n = 0;

	for (i = 0; i < PIPE_SLOTS; i++)
		n += atomic_load_explicit(&p->full[i], memory_order_relaxed);
	return n;
}

/* Frees the grammar storage that no batch the reader has yet points into. */
static void
pipe_release_answers(struct pipe *p)
{
	uint64_t min = grammar_answers_gen(p->g);
	unsigned i;

	for (i = 0; i < PIPE_SLOTS; i++)
		if (atomic_load_explicit(&p->full[i], memory_order_acquire) &&
		    p->slots[i].gen_first < min)
			min = p->slots[i].gen_first;
	grammar_release_answers(p->g, min);
}

/*
 * Lexes into the slots in turn. A record whose shape the lexer's grammar
 * has an answer for (most: the hint names it) goes with that answer; the
 * others are matched on the side that has time for it: here while the
 * reader has batches waiting, else there, where the values need not cross
 * between the cores.
 */
static void *
pipe_lexer(void *arg)
{
	struct pipe *p = arg;
	unsigned slot = 0;
	uint32_t line = 0;
	bool more = true;

	while (more) {
		struct pipe_batch *b = &p->slots[slot];

		pipe_wait(p, slot, false, &p->emptied, &p->lexer_asleep);
		pipe_release_answers(p);
		b->n = 0;
		b->nvalues = 0;
		b->last = false;
		b->gen_first = grammar_answers_gen(p->g);
		b->matches = p->side == RECON_MATCH_LEXER ||
			     (p->side == RECON_MATCH_BALANCED && pipe_queued(p) >= PIPE_SLOTS / 2);
		sb_reset(&b->text);
		while (b->n < PIPE_BATCH && b->text.len < PIPE_BATCH_BYTES) {
			struct lex_record rec;
			struct gram_match m;
			struct gram_answer a;
			enum piped_how how = PIPED_OPEN;

			if (!lex_next(p->lx, &rec, &p->err)) {
				b->last = true;
				more = false;
				break;
			}
			line = rec.last_line;
			if (!(rec.flags & LEX_REC_NOISE) && p->side != RECON_MATCH_READER) {
				if (grammar_answer_hinted(p->g, rec.text, rec.len, &rec.hint, &a) &&
				    a.family + 1 <= UINT16_MAX)
					how = PIPED_ANSWERED;
				else if (b->matches)
					how = grammar_match_hinted(p->g, rec.text, rec.len,
								   &rec.hint, &m)
						      ? PIPED_MATCHED
						      : PIPED_UNMATCHED;
			}
			pipe_put(b, &rec, how, &m, &a);
		}
		if (!more)
			p->line = line; /* before the last batch is marked full */
		pipe_mark(p, slot, true, &p->filled, &p->reader_asleep);
		slot = (slot + 1) % PIPE_SLOTS;
	}
	arena_release_cache(); /* this thread's own */
	return NULL;
}

/*
 * The lexer on a thread of its own; the records are fed here, and those
 * the lexer thread did not match are matched here, with the grammar of the
 * reconstructor (its own memo: the lexer's is the other thread's scratch
 * state). Either grammar gives the same match.
 */
bool
recon_input_run_piped(struct recon_input *in, enum recon_pipe_match side,
		      const struct recon_reader *rd, struct err *err)
{
	struct pipe *p;
	pthread_t lexer;
	unsigned slot = 0, i;
	bool done = false;
	uint64_t records = 0, unrecognized = 0;
	struct gram_match m;

	if (in->ended)
		return false;
	p = xcalloc(1, sizeof(*p));
	p->lx = in->lx;
	p->g = in->g;
	p->side = side;
	grammar_keep_answers(p->g, true); /* the answers point into its storage */
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->filled, NULL);
	pthread_cond_init(&p->emptied, NULL);
	for (i = 0; i < PIPE_SLOTS; i++)
		sb_init(&p->slots[i].text);
	if (pthread_create(&lexer, NULL, pipe_lexer, p) != 0) {
		/* no thread: the steps, on this one */
		grammar_keep_answers(p->g, false);
		for (i = 0; i < PIPE_SLOTS; i++)
			sb_finish(&p->slots[i].text);
		free(p);
		while (recon_input_step(in, SIZE_MAX, rd, err))
			;
		return false;
	}
	while (!done) {
		struct pipe_batch *b = &p->slots[slot];
		size_t k;

		pipe_wait(p, slot, true, &p->filled, &p->reader_asleep);
		for (k = 0; k < b->n; k++) {
			const struct piped *x = &b->r[k];
			struct lex_record rec;
			bool matched = false;

			matched = pipe_take(b, x, in->r->g, &rec, &m);
			if (rd && rd->line)
				rd->line(rd->ctx, &rec);
			if (!(rec.flags & LEX_REC_NOISE)) {
				if (x->how == PIPED_OPEN)
					matched = grammar_match(in->r->g, rec.text, rec.len, &m);
				if (matched)
					records++;
				else
					unrecognized++;
				if (rd && rd->record)
					rd->record(rd->ctx, &rec, matched ? &m : NULL);
			}
			recon_feed(in->r, &rec, matched ? &m : NULL);
			hand_out(in->r, rd);
		}
		done = b->last;
		if (done)
			in->line = p->line;
		pipe_mark(p, slot, false, &p->emptied, &p->lexer_asleep);
		slot = (slot + 1) % PIPE_SLOTS;
	}
	pthread_join(lexer, NULL);
	grammar_keep_answers(p->g, false);
	in->records += records;
	in->unrecognized += unrecognized;
	if (err_is_set(&p->err) && err)
		*err = p->err;
	recon_end_input(in->r);
	hand_out(in->r, rd);
	in->ended = true;
	for (i = 0; i < PIPE_SLOTS; i++) {
		sb_finish(&p->slots[i].text);
		free(p->slots[i].values);
	}
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->filled);
	pthread_cond_destroy(&p->emptied);
	free(p);
	return false;
}
