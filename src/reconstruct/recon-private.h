#ifndef IKESCOPE_RECON_PRIVATE_H
#define IKESCOPE_RECON_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ikescope/dialect.h"
#include "ikescope/event.h"
#include "ikescope/grammar.h"
#include "ikescope/lexer.h"
#include "ikescope/model.h"
#include "ikescope/util/strbuf.h"

/* The attribute f of an event, or NULL. */
static inline const struct gram_value *
val(const struct ike_event *ev, enum gram_field f)
{
	return ike_event_attr(ev, f);
}

/* True if attribute f is exactly text. */
static inline bool
is(const struct ike_event *ev, enum gram_field f, const char *text)
{
	const struct gram_value *v = val(ev, f);

	return v && strlen(text) == v->len && !memcmp(v->p, text, v->len);
}

/* An attribute as a number (decimal, or hex with or without 0x); false if absent or too big. */
static inline bool
recon_num(const struct ike_event *ev, enum gram_field f, int base, unsigned long long *out)
{
	return ike_value_num(val(ev, f), base, out);
}

bool recon_u32(const struct ike_event *ev, enum gram_field f, uint32_t *out);
/* An attribute's text in the session's arena, or NULL. */
const char *recon_str(struct session *s, const struct ike_event *ev, enum gram_field f);

/* Open sessions by a key (index.c): a chained hash table that grows. */
struct recon_index_node {
	uint64_t key;
	struct session *s;
	struct recon_index_node *next;
};

struct recon_index {
	struct recon_index_node **buckets;
	size_t nbuckets, count;
};

void recon_index_add(struct recon_index *ix, uint64_t key, struct session *s);
void recon_index_remove(struct recon_index *ix, uint64_t key, const struct session *s);
/* The first session under key, then the next one (NULL: no more), in no order. */
const struct recon_index_node *recon_index_first(const struct recon_index *ix, uint64_t key);
const struct recon_index_node *recon_index_next(const struct recon_index_node *e);
void recon_index_free(struct recon_index *ix);

/*
 * An open session, in two lists: the one of its state (ended, up or still
 * negotiating), most recently active first, and all open sessions in the
 * order they were opened. A session idle too long is at the tail of its
 * state's list, and the oldest open one at the head of the other: neither
 * is found by walking the sessions in flight.
 */
enum recon_list { RECON_LIST_ENDED, RECON_LIST_UP, RECON_LIST_NEGOTIATING, RECON_LISTS };

struct open_session {
	struct session *s;
	struct open_session *prev, *next;   /* in its state's list, most recently active first */
	struct open_session *older, *newer; /* in the order of opening */
	enum recon_list list;
};

struct recon_lru {
	struct open_session *head, *tail;
};

/* The sessions a record touched, put in their lists when the next record comes. */
#define RECON_TOUCHED 8

/* A packet line whose message is known only when its SPIs are dumped. */
struct pending_packet {
	bool active;
	enum model_dir dir;
	uint32_t line;
	uint32_t sa, mid;
	bool has_sa, has_mid;
	struct strbuf src, dst, local, remote;
	unsigned sport, dport, lport, rport;
};

/* An event seen before any session could own it (kept as its own copy). */
struct orphan {
	struct ike_event ev;
	struct gram_value attrs[IKE_EVENT_MAX_ATTRS]; /* ev's, pointing into text */
	uint8_t at[GRAM_FIELD_COUNT];
	char *text;
	char stamp[LEX_MAX_STAMP + 1]; /* the lexer reuses its own */
};

#define RECON_MAX_ORPHANS 256

struct recon {
	const struct grammar *g;
	/* the dialect of the input: voted by its first records, or forced */
	struct dialect_votes votes;
	bool dialect_forced;
	enum gram_dialect event_dialect; /* of the event being read */
	char *input;
	unsigned input_index;
	unsigned created;
	unsigned numbered; /* sessions numbered so far, over all inputs */
	unsigned long ike_records;
	unsigned created_before_input; /* created when the input began */
	uint32_t first_ike_line;       /* of the input's first IKE record */

	struct recon_lru lists[RECON_LISTS];
	struct open_session *oldest, *newest; /* by opening */
	size_t nopen;                         /* open sessions */
	struct session *touched[RECON_TOUCHED];
	size_t ntouched;
	size_t client_sessions; /* client sessions begun (none: nothing to join) */
	/* the open sessions by initiator SPI and by the device's SA handle */
	struct recon_index by_spi, by_sa;
	struct session *focus;   /* the session records without an owner go to */
	bool building_vid;       /* after the line that constructs a Vendor ID payload */
	struct model_time stamp; /* the timestamp of the record being fed */
	bool has_stamp;
	/* the last stamp text read, and what it gave */
	char last_stamp[LEX_MAX_STAMP + 1];
	size_t last_stamp_len;
	bool last_stamp_ok;
	struct model_time last_stamp_time;
	struct session *client; /* the client session of a DART log being read */
	struct show_unit *show; /* the show output tunnel being read (show.c) */

	/* the dump in progress */
	struct pending_packet pkt;
	struct message *msg;
	struct session *msg_session;
	struct message *plat_msg; /* made by a RECV PKT line, waiting for its dump */
	struct session *plat_session;
	bool inner;
	struct payload *payload;
	struct session *payload_session;
	struct message *building; /* outgoing message whose inner payloads are being dumped */
	/* the session whose received message's dump the state machine ended (sm_trace) */
	struct session *dump_ended_session;
	struct session *building_session;
	struct strbuf vendor;     /* name of the next VID payload */
	struct strbuf built_vids; /* names of the VIDs constructed for the next message */
	/* the proposal the device summed up before sending ("ESP Proposal: 1 ... AES-CBC SHA256") */
	struct strbuf summary;
	/* the ID payload the device said it constructs next: type, then identity */
	struct strbuf built_id_type, built_identity;
	unsigned built_id_ptype; /* PROTO_PAYLOAD_IDI or _IDR */
	struct strbuf summary_protocol;
	unsigned summary_num;
	uint32_t summary_line;
	struct session *summary_session;
	bool policy_expected;
	bool xml_received;
	struct xml_doc *pending_xml;
	struct session *pending_xml_session;

	/* the last records that may have a twin (event.h, enum ike_event_copy), by their hash */
	struct {
		uint64_t hash;
		bool second;
		bool used;
	} twins[32];
	unsigned twin_next;
	/*
	 * The last session begun by a message whose record named no SA (a log
	 * without SA numbers): the first SA number that no session has is its.
	 */
	struct session *anon;
	bool opening; /* the record being fed opens a new SA (no session takes its number) */

	struct orphan orphans[RECON_MAX_ORPHANS];
	size_t norphans;
	bool replaying;

	/* finished, waiting for the open sessions that began before them */
	struct session **finished;
	size_t nfinished;
	size_t finished_bytes; /* what they hold */
	size_t wait_bytes;     /* they wait while they hold less (RECON_WAIT_BYTES, or 0) */
	/* ready to hand out, in order of first line */
	struct session **done;
	size_t ndone, cap_done, done_head;
	uint64_t records_fed;
	uint32_t line; /* the last line fed */
};

/* Notes the timestamp of the record being fed (if any) in s, and that s was active. */
void recon_stamp(struct recon *r, struct session *s);
/* Notes that the record being fed touched s (its state may have changed). */
void recon_touched(struct recon *r, struct session *s);

/* Widens s's time span to t. */
static inline void
recon_note_time(struct session *s, struct model_time t)
{
	if (!s->has_time)
		s->first_time = t;
	s->last_time = t;
	s->has_time = true;
}

/*
 * Sessions are finished before the end of the input, so memory holds only
 * the ones in progress: one that is up after this many idle lines, and
 * RECON_IDLE_LINES_PER_OPEN more per session open (the more are in flight,
 * the longer each waits for its turn in the log), one still negotiating
 * after far more.
 */
#define RECON_IDLE_LINES             20000
#define RECON_IDLE_LINES_PER_OPEN    128
#define RECON_IDLE_NEGOTIATING_LINES 1000000
/* A session the device freed is finished after this many more lines. */
#define RECON_AFTER_FREE_LINES 200
/*
 * Sessions open at once, at most: past it, the least recently active are
 * finished early (and say so), so that a log of endless distinct SPIs keeps
 * memory bounded.
 */
#define RECON_MAX_OPEN MODEL_MAX_OPEN_SESSIONS
/*
 * Finished sessions wait to be handed out in the order they began, but only
 * while what they hold stays under this: past it the earliest of them go
 * out without waiting for the open sessions that began before them.
 */
#define RECON_WAIT_BYTES (8u << 20)
/* Records between two looks for sessions to finish. */
#define RECON_RELEASE_EVERY 256

void recon_packet_reset(struct pending_packet *p);
void recon_copy_field(struct strbuf *out, const struct ike_event *ev, enum gram_field f);
void recon_orphan(struct recon *r, const struct ike_event *ev);
/* One event (reconstruct.c): what recon_feed() gives each recognized record. */
void recon_feed_event(struct recon *r, const struct ike_event *ev);
void recon_apply_orphans(struct recon *r, struct session *s);
/* Called for every record: finishes idle sessions now and then. */
void recon_tick(struct recon *r, uint32_t line);
void recon_attach_xml(struct session *s, struct message *m, struct xml_doc *d);
/* Exchanges, child SAs, outcome and failure point of a finished session (outcome.c). */
void recon_finish_session(struct recon *r, struct session *s);
/* A DART entry (client.c). */
void recon_client_entry(struct recon *r, const struct ike_event *ev);
/* The outcome of a session rebuilt from a client log alone (client.c). */
void recon_finish_client(struct session *s);
/* A line of show output; the end of show output (show.c). */
void recon_show_line(struct recon *r, const struct ike_event *ev);
void recon_show_end(struct recon *r);
void recon_show_free(struct recon *r);
/* A session's child SAs (reconstruct.c). */
struct child_sa *recon_add_child(struct session *s, uint32_t line);
struct child_sa *recon_child_with(struct session *s, uint32_t spi);
/* Adds s to the open sessions, beginning at line (reconstruct.c). */
void recon_open(struct recon *r, struct session *s, uint32_t line);
/* A new open session, in focus, given the orphan records (reconstruct.c). */
struct session *recon_new_session(struct recon *r, uint32_t line);

/* Gives s its initiator SPI, or one more SA handle, and indexes s by it (index.c). */
void recon_set_spi_i(struct recon *r, struct session *s, uint64_t spi);
void recon_add_sa_id(struct recon *r, struct session *s, uint32_t sa);
/* Takes s out of the indexes (it is finished). */
void recon_unindex(struct recon *r, const struct session *s);

#endif
