#ifndef IKESCOPE_RECONSTRUCT_H
#define IKESCOPE_RECONSTRUCT_H

/*
 * The reconstructor: turns the recognized records of one or more inputs into
 * sessions (struct session, see model.h), each with its messages, payloads,
 * state path, child SAs, outcome and failure point.
 *
 * Records are fed in input order. Sessions come out in the order of their
 * first line, once they are finished; memory holds only the sessions that
 * are still open (and finished ones waiting for an earlier open one).
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ikescope/grammar.h"
#include "ikescope/lexer.h"
#include "ikescope/model.h"
#include "ikescope/util/err.h"
#include "ikescope/util/strbuf.h"

struct grammar;
struct gram_match;
struct lex_record;
struct recon;

/* g is borrowed (used to mask evidence text); caller frees with recon_destroy(). */
struct recon *recon_create(const struct grammar *g);
void recon_destroy(struct recon *r);
/* Starts an input; name is copied. Sessions of different inputs never mix. */
void recon_begin_input(struct recon *r, const char *name);
/*
 * Every input is of dialect d, not the one its first records vote for
 * (--dialect); the grammar is restricted to it by the caller.
 */
void recon_force_dialect(struct recon *r, enum gram_dialect d);
/*
 * Sessions are handed out as soon as they end, not in the order of their
 * first lines (a finished session waits for no open one): for a feed.
 */
void recon_hand_out_as_ended(struct recon *r);
/* The dialect of the input being read, GRAM_DIALECT_COUNT while not known. */
enum gram_dialect recon_dialect(const struct recon *r);
/* The dialect the beginning of file path shows (its first 200 records), or GRAM_DIALECT_COUNT. */
enum gram_dialect recon_file_dialect(const struct grammar *g, const char *path);

/* One record; m is NULL for an unrecognized record. Noise is ignored. */
void recon_feed(struct recon *r, const struct lex_record *rec, const struct gram_match *m);
/* Ends the input: every session still open is finished. */
void recon_end_input(struct recon *r);
/*
 * The next finished session, or NULL; not yet verified (recon_input_step()
 * runs verify_session() on each before handing it out). Caller frees with
 * session_destroy().
 */
struct session *recon_next(struct recon *r);

/* What recon_read() hands out as it reads; any function may be NULL. */
struct recon_reader {
	/* every record that is not noise, with its match (NULL: unrecognized) */
	void (*record)(void *ctx, const struct lex_record *rec, const struct gram_match *m);
	/* every finished session, in order; the function owns it */
	void (*session)(void *ctx, struct session *s);
	void *ctx;
	/* every record, noise too, before it is fed (to index where lines are) */
	void (*line)(void *ctx, const struct lex_record *rec);
};

/*
 * One input being read, in steps: lexer, grammar and reconstructor, the read
 * loop of every command. opt may be NULL; name is copied.
 */
struct recon_input;
struct recon_input *recon_input_open(struct recon *r, const struct grammar *g, FILE *fp,
				     const char *name, const struct lex_options *opt);
/*
 * Reads up to max records (SIZE_MAX: all), handing records and finished
 * sessions to rd. Returns false once the input is at its end: its open
 * sessions are then finished and handed out too. A read error sets err and
 * ends the input (what was read until then is still handed out).
 */
bool recon_input_step(struct recon_input *in, size_t max, const struct recon_reader *rd,
		      struct err *err);
/* Which thread of recon_input_run_piped() matches the records. */
enum recon_pipe_match {
	RECON_MATCH_BALANCED, /* the lexer's while the other has batches waiting, else the other */
	RECON_MATCH_LEXER,    /* always the lexer's */
	RECON_MATCH_READER,   /* always the calling one */
};

/*
 * Reads the whole input as recon_input_step() does, with the lexer and the
 * grammar on a thread of their own that hands its records over in batches,
 * and the reconstructor, verify and rd on the calling thread: the same
 * records, sessions and output in the same order as the steps give, on
 * whichever thread (side) the records are matched. The input's grammar is
 * then the lexer's alone: the reconstructor's (the one recon_create() was
 * given, which also masks and votes the dialect, and matches the records
 * of this side) must be another instance. Returns false as
 * recon_input_step() does at the end.
 */
bool recon_input_run_piped(struct recon_input *in, enum recon_pipe_match side,
			   const struct recon_reader *rd, struct err *err);
/* Records recognized, and not recognized (noise is neither), so far. */
uint64_t recon_input_records(const struct recon_input *in);
uint64_t recon_input_unrecognized(const struct recon_input *in);
const struct lex_stats *recon_input_lex_stats(const struct recon_input *in);
/* The line last read (0 before the first). */
uint32_t recon_input_line(const struct recon_input *in);
void recon_input_close(struct recon_input *in);
/*
 * Why an input that has been read gave no session, for the user: "no IKEv2
 * content", or IKE content from which no session could be built (with the
 * line of its first IKE record). False (out untouched) if it gave sessions.
 */
bool recon_input_silence(const struct recon *r, const char *name, struct strbuf *out);

/*
 * Reads fp to its end as one input named name: lexer, grammar g and
 * reconstructor r, handing records and sessions to rd. Fills *stats (if not
 * NULL) with the lexer's counts. False with err set on a read error (the
 * sessions read until then are still handed out).
 */
bool recon_read(struct recon *r, const struct grammar *g, FILE *fp, const char *name,
		const struct recon_reader *rd, struct lex_stats *stats, struct err *err);
/*
 * Client sessions (rebuilt from a DART log) and device sessions meet here:
 * c is the client session of s if c's client address and one of its IKE
 * socket ports are s's peer address and port (and c's gateway, when known,
 * is s's local address), and, when both logs give dates and times, c's
 * events are within RECON_CLIENT_MAX_SKEW of s's records.
 */
bool recon_client_matches(const struct session *s, const struct session *c);
/* Seconds between the times of s and c (0: they overlap), or -1 if either has none. */
int64_t recon_client_distance(const struct session *s, const struct session *c);
/*
 * How well a matching client session c agrees with s, for choosing among
 * several: the same assigned address, the same end (up, or not).
 */
int recon_client_affinity(const struct session *s, const struct session *c);
/*
 * Of the n client sessions c[] (NULL entries skipped), the one s matches
 * best: the nearest in time, then the most in agreement, then the first.
 * Returns n when none matches.
 */
size_t recon_client_best(const struct session *s, struct session *const *c, size_t n);

/* How far apart a client log and a device log may be: the widest time-zone gap. */
#define RECON_CLIENT_MAX_SKEW (14 * 3600)
/* Copies c's client events into s, and adds what the client reported to s's failure. */
void recon_join_client(struct session *s, const struct session *c);

/*
 * Client sessions (of the DART logs, read first) waiting for the device
 * session of the same connection. Zero-initialized is empty.
 */
struct recon_clients {
	struct session **held;
	size_t n, next;
};

/* Keeps client session s (owned from now on). */
void recon_clients_hold(struct recon_clients *c, struct session *s);
/* Joins to s the held session that matches it best, which is then freed; true if one did. */
bool recon_clients_join(struct recon_clients *c, struct session *s);
/* The held sessions no device session took, one at a time (the caller owns it), then NULL. */
struct session *recon_clients_next(struct recon_clients *c);
/* Frees what is still held. */
void recon_clients_free(struct recon_clients *c);
/* Records of the current input that carried IKE content (0: "no IKEv2 content"). */
unsigned long recon_ike_records(const struct recon *r);
/* Sessions the current input has begun so far (device and client sessions). */
unsigned recon_input_sessions(const struct recon *r);
/* The line of the current input's first IKE record, 0 if none. */
uint32_t recon_first_ike_line(const struct recon *r);

#endif
