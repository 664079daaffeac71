#include "ikescope/model.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/util/arena.h"
#include "ikescope/util/compiler.h"
#include "ikescope/util/strbuf.h"
#include "ikescope/util/xalloc.h"

#define OUTCOME_NAME(e, name, summary) [MODEL_OUTCOME_##e] = name,
static const char *const outcome_names[] = { MODEL_OUTCOMES(OUTCOME_NAME) };
#undef OUTCOME_NAME
_Static_assert(ARRAY_SIZE(outcome_names) == MODEL_OUTCOME_COUNT, "outcome names out of sync");

const char *
model_outcome_name(enum model_outcome o)
{
	return (unsigned)o < MODEL_OUTCOME_COUNT ? outcome_names[o] : "?";
}

const char *
model_severity_name(enum model_severity v)
{
	switch (v) {
	case MODEL_SEVERITY_INFO:
		return "info";
	case MODEL_SEVERITY_WARN:
		return "warn";
	case MODEL_SEVERITY_ERROR:
		return "error";
	}
	return "?";
}

bool
model_severity_lookup(const char *name, enum model_severity *out)
{
	enum model_severity v;

	for (v = MODEL_SEVERITY_INFO; v <= MODEL_SEVERITY_ERROR; v++) {
		if (!strcmp(name, model_severity_name(v))) {
			*out = v;
			return true;
		}
	}
	return false;
}

void
session_add_finding(struct session *s, const char *id, enum model_severity severity,
		    const char *reference, uint32_t line, bool mid_known, uint32_t mid,
		    const char *message)
{
	struct finding *f;

	s->findings = arena_grow(s->arena, s->findings, sizeof(*s->findings), &s->cap_findings,
				 s->nfindings + 1);
	f = &s->findings[s->nfindings++];
	f->id = id;
	f->severity = severity;
	f->reference = reference;
	f->message = session_strndup(s, message, strlen(message));
	f->line = line;
	f->mid_known = mid_known;
	f->mid = mid;
}

static const char *
dup_text(struct session *s, const char *t)
{
	return t ? session_strndup(s, t, strlen(t)) : NULL;
}

void
failure_add_evidence(struct session *s, const char *source, uint32_t line, const char *text)
{
	struct failure *f = &s->failure;
	struct failure_evidence *e;
	size_t i;

	for (i = 0; i < f->nevidence; i++)
		if (f->evidence[i].line == line && !f->evidence[i].source == !source &&
		    (!source || !strcmp(f->evidence[i].source, source)))
			return; /* each line once */
	f->evidence = arena_grow(s->arena, f->evidence, sizeof(*f->evidence), &f->cap_evidence,
				 f->nevidence + 1);
	e = &f->evidence[f->nevidence++];
	e->source = dup_text(s, source);
	e->line = line;
	e->text = dup_text(s, text ? text : "");
}

void
failure_add_mismatch(struct session *s, const char *type, const char *offered, const char *expected,
		     unsigned policy, uint32_t policy_line)
{
	struct failure *f = &s->failure;
	struct failure_mismatch *x;

	f->mismatch = arena_grow(s->arena, f->mismatch, sizeof(*f->mismatch), &f->cap_mismatch,
				 f->nmismatch + 1);
	x = &f->mismatch[f->nmismatch++];
	x->type = dup_text(s, type);
	x->offered = dup_text(s, offered);
	x->expected = dup_text(s, expected);
	x->policy = policy;
	x->policy_line = policy_line;
}

void
failure_clear(struct session *s)
{
	struct failure *f = &s->failure;

	f->exchange = f->cause = f->explanation = f->remedy = f->decided_by = f->verdict = NULL;
	f->mid = 0;
	f->mid_known = false;
	f->line = 0;
	f->nevidence = f->nmismatch = 0;
}

void
failure_sentence(const struct failure *f, struct strbuf *out)
{
	if (f->explanation)
		sb_adds(out, f->explanation);
	if (f->remedy) {
		sb_adds(out, f->explanation ? ". To fix: " : "To fix: ");
		sb_adds(out, f->remedy);
	}
}

const char *
model_role_name(enum model_role r)
{
	switch (r) {
	case MODEL_ROLE_INITIATOR:
		return "initiator";
	case MODEL_ROLE_RESPONDER:
		return "responder";
	case MODEL_ROLE_CLIENT:
		return "client";
	default:
		return "unknown";
	}
}

bool
model_client_error(const char *kind)
{
	return kind && (!strcmp(kind, "error") || !strcmp(kind, "certificate-error"));
}

const char *
model_dir_arrow(enum model_dir d)
{
	return d == MODEL_DIR_IN ? "<-" : d == MODEL_DIR_OUT ? "->" : "--";
}

/* A new session in arena a, which it owns. */
static struct session *
session_in(struct arena *a, const char *input, unsigned input_index)
{
	struct session *s = arena_alloc(a, sizeof(*s));

	s->arena = a;
	s->input = input;
	s->input_index = input_index;
	s->outcome = MODEL_OUTCOME_INCOMPLETE;
	return s;
}

struct session *
session_create(const char *input, unsigned input_index)
{
	return session_in(arena_create(), input, input_index);
}

void
session_destroy(struct session *s)
{
	if (s)
		arena_destroy(s->arena);
}

const char *
session_strndup(struct session *s, const char *p, size_t n)
{
	return arena_strndup(s->arena, p, n);
}

void
session_add_sa_id(struct session *s, uint32_t sa)
{
	if (session_has_sa_id(s, sa))
		return;
	s->sa_ids =
		arena_grow(s->arena, s->sa_ids, sizeof(*s->sa_ids), &s->cap_sa_ids, s->nsa_ids + 1);
	s->sa_ids[s->nsa_ids++] = sa;
}

bool
session_has_sa_id(const struct session *s, uint32_t sa)
{
	size_t i;

	for (i = 0; i < s->nsa_ids; i++)
		if (s->sa_ids[i] == sa)
			return true;
	return false;
}

struct message *
session_add_message(struct session *s, enum model_dir dir, uint32_t line)
{
	struct message *m = arena_alloc(s->arena, sizeof(*m));

	m->dir = dir;
	m->first_line = m->last_line = line;
	s->msgs = arena_grow(s->arena, s->msgs, sizeof(*s->msgs), &s->cap_msgs, s->nmsgs + 1);
	s->msgs[s->nmsgs++] = m;
	return m;
}

struct payload *
message_add_payload(struct session *s, struct message *m, uint32_t line)
{
	struct payload *p;

	/* most messages carry a few payloads: room for eight at once, not four, then eight */
	m->p = arena_grow(s->arena, m->p, sizeof(*m->p), &m->cap_p, m->np < 8 ? 8 : m->np + 1);
	p = &m->p[m->np++];
	memset(p, 0, sizeof(*p));
	p->line = line;
	return p;
}

void
session_spi_text(uint64_t spi, char *buf)
{
	snprintf(buf, 17, "%016llX", (unsigned long long)spi);
}

/* A month name at s (three letters, any case), 1..12, or 0. */
static int
month_at(const char *s)
{
	static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	char m[3];
	int i;

	for (i = 0; i < 3; i++) {
		if (!isalpha((unsigned char)s[i]))
			return 0;
		m[i] = (char)tolower((unsigned char)s[i]);
	}
	if (isalpha((unsigned char)s[3]))
		return 0;
	for (i = 0; i < 12; i++)
		if (!memcmp(names + 3 * i, m, 3))
			return i + 1;
	return 0;
}

/* Days before the first of month mon (1..12) in a year of 366 days. */
static int
days_before(int mon)
{
	static const int cum[] = { 0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335 };

	return cum[mon - 1];
}

/* Reads a date in s: "Mon D", "YYYY-MM-DD" or "MM/DD/YYYY" (DD/MM when MM > 12). */
static bool
scan_date(const char *s, int *mon, int *day)
{
	const char *p;

	for (p = s; *p; p++) {
		int m = month_at(p);
		char *end;
		long a, b;

		if (m && (p == s || !isalpha((unsigned char)p[-1]))) {
			const char *q = p + 3;

			while (*q == ' ')
				q++;
			a = strtol(q, &end, 10);
			if (end != q && a >= 1 && a <= 31) {
				*mon = m;
				*day = (int)a;
				return true;
			}
		}
		if (!isdigit((unsigned char)*p) || (p > s && isdigit((unsigned char)p[-1])))
			continue;
		a = strtol(p, &end, 10);
		if (end - p == 4 && *end == '-') { /* YYYY-MM-DD */
			const char *q = end + 1;

			a = strtol(q, &end, 10);
			if (end - q == 2 && *end == '-') {
				b = strtol(end + 1, &end, 10);
				if (a >= 1 && a <= 12 && b >= 1 && b <= 31) {
					*mon = (int)a;
					*day = (int)b;
					return true;
				}
			}
		} else if (end - p <= 2 && *end == '/') { /* MM/DD/YYYY */
			const char *q = end + 1;

			b = strtol(q, &end, 10);
			if (end - q <= 2 && *end == '/' && a >= 1 && b >= 1) {
				if (a > 12 && b <= 12) {
					long t = a;

					a = b;
					b = t;
				}
				if (a <= 12 && b <= 31) {
					*mon = (int)a;
					*day = (int)b;
					return true;
				}
			}
		}
	}
	return false;
}

/* Reads "HH:MM:SS[.fff]" in s into milliseconds from midnight. */
static bool
scan_clock(const char *s, int64_t *ms)
{
	const char *p;

	for (p = s; *p; p++) {
		int h, m, sec;

		if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) || p[2] != ':' ||
		    !isdigit((unsigned char)p[3]) || !isdigit((unsigned char)p[4]) || p[5] != ':' ||
		    !isdigit((unsigned char)p[6]) || !isdigit((unsigned char)p[7]) ||
		    (p > s && isdigit((unsigned char)p[-1])))
			continue;
		h = (p[0] - '0') * 10 + (p[1] - '0');
		m = (p[3] - '0') * 10 + (p[4] - '0');
		sec = (p[6] - '0') * 10 + (p[7] - '0');
		if (h > 23 || m > 59 || sec > 60)
			continue;
		*ms = ((int64_t)h * 3600 + m * 60 + sec) * 1000;
		if (p[8] == '.' && isdigit((unsigned char)p[9])) {
			int scale = 100, i;

			for (i = 9; isdigit((unsigned char)p[i]) && scale; i++, scale /= 10)
				*ms += (p[i] - '0') * scale;
		}
		return true;
	}
	return false;
}

bool
model_time_parse(const char *date, const char *time, struct model_time *t)
{
	int mon = 0, day = 0;
	int64_t ms;

	if (!time || !scan_clock(time, &ms))
		return false;
	t->dated = scan_date(date ? date : time, &mon, &day);
	t->ms = ms;
	if (t->dated)
		t->ms += (int64_t)(days_before(mon) + day - 1) * 86400000;
	return true;
}

int64_t
model_time_distance(struct model_time a, struct model_time b)
{
	int64_t d;

	if (a.dated && b.dated) {
		d = a.ms - b.ms;
		return (d < 0 ? -d : d) / 1000;
	}
	d = (a.ms % 86400000) - (b.ms % 86400000);
	if (d < 0)
		d = -d;
	if (d > 43200000)
		d = 86400000 - d;
	return d / 1000;
}

void
model_time_format(struct model_time t, char *buf, size_t n)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int64_t day = t.ms / 86400000, ms = t.ms % 86400000;
	int len = 0, mon;

	if (t.dated) {
		for (mon = 12; mon > 1 && day < days_before(mon); mon--)
			;
		len = snprintf(buf, n, "%.3s %2d ", names + 3 * (mon - 1),
			       (int)(day - days_before(mon) + 1));
		if (len < 0 || (size_t)len >= n)
			return;
	}
	len += snprintf(buf + len, n - (size_t)len, "%02d:%02d:%02d", (int)(ms / 3600000),
			(int)(ms / 60000 % 60), (int)(ms / 1000 % 60));
	if (ms % 1000 && (size_t)len < n)
		snprintf(buf + len, n - (size_t)len, ".%03d", (int)(ms % 1000));
}

static const char *
dup_or_null(struct session *s, const char *p)
{
	return p ? session_strndup(s, p, strlen(p)) : NULL;
}

/* Copies into o what a summary of s keeps. */
static void
summarize(struct session *o, const struct session *s)
{
	size_t i;

	o->number = s->number;
	o->spi_i = s->spi_i;
	o->spi_r = s->spi_r;
	o->has_spi_i = s->has_spi_i;
	o->has_spi_r = s->has_spi_r;
	o->closed = true;
	for (i = 0; i < s->nsa_ids; i++)
		session_add_sa_id(o, s->sa_ids[i]);
	o->role = s->role;
	o->local = dup_or_null(o, s->local);
	o->peer = dup_or_null(o, s->peer);
	o->lport = s->lport;
	o->pport = s->pport;
	o->lport_first = s->lport_first;
	o->pport_first = s->pport_first;
	if (s->nexch) {
		o->exch = arena_alloc(o->arena, s->nexch * sizeof(*o->exch));
		memset(o->exch, 0, s->nexch * sizeof(*o->exch));
		for (i = 0; i < s->nexch; i++) {
			o->exch[i].type = dup_or_null(o, s->exch[i].type);
			o->exch[i].mid = s->exch[i].mid;
			o->exch[i].mid_known = s->exch[i].mid_known;
		}
		o->nexch = o->cap_exch = s->nexch;
	}
	o->tunnel_group = dup_or_null(o, s->tunnel_group);
	o->user = dup_or_null(o, s->user);
	o->assigned_ip = dup_or_null(o, s->assigned_ip);
	o->nat_detected = s->nat_detected;
	o->nat_known = s->nat_known;
	o->ike_up = s->ike_up;
	o->copy = s->copy;
	o->copy_of_spi_r = s->copy_of_spi_r;
	o->copy_of_first_line = s->copy_of_first_line;
	o->copy_of_answer_line = s->copy_of_answer_line;
	o->deleted = s->deleted;
	o->retransmits = s->retransmits;
	o->client_log = s->client_log;
	o->from_show = s->from_show;
	o->outcome = s->outcome;
	o->failure = s->failure;
	o->failure.exchange = dup_or_null(o, s->failure.exchange);
	o->failure.cause = dup_or_null(o, s->failure.cause);
	o->failure.explanation = dup_or_null(o, s->failure.explanation);
	o->failure.remedy = dup_or_null(o, s->failure.remedy);
	o->failure.decided_by = dup_or_null(o, s->failure.decided_by);
	o->failure.verdict = dup_or_null(o, s->failure.verdict);
	o->failure.evidence = NULL;
	o->failure.nevidence = o->failure.cap_evidence = 0;
	o->failure.mismatch = NULL;
	o->failure.nmismatch = o->failure.cap_mismatch = 0;
	for (i = 0; i < s->failure.nevidence; i++)
		failure_add_evidence(o, s->failure.evidence[i].source, s->failure.evidence[i].line,
				     s->failure.evidence[i].text);
	for (i = 0; i < s->failure.nmismatch; i++) {
		const struct failure_mismatch *x = &s->failure.mismatch[i];

		failure_add_mismatch(o, x->type, x->offered, x->expected, x->policy,
				     x->policy_line);
	}
	for (i = 0; i < s->nfindings; i++) {
		const struct finding *f = &s->findings[i];

		session_add_finding(o, f->id, f->severity, f->reference, f->line, f->mid_known,
				    f->mid, f->message);
	}
	o->first_line = s->first_line;
	o->last_line = s->last_line;
	o->first_time = s->first_time;
	o->last_time = s->last_time;
	o->has_time = s->has_time;
}

struct session *
session_summary(const struct session *s)
{
	struct session *o = session_create(s->input, s->input_index);
	size_t used;

	/*
	 * Made twice: the second time in an arena of exactly the size the
	 * first took, as a list may hold a million summaries.
	 */
	summarize(o, s);
	used = arena_used(o->arena);
	session_destroy(o);
	o = session_in(arena_create_sized(used), s->input, s->input_index);
	summarize(o, s);
	return o;
}
