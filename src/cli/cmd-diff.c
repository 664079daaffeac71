/* ikescope diff: the semantic difference of two sessions. */
#include "cli-private.h"

#include <ctype.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "ikescope/diff.h"
#include "ikescope/grammar.h"
#include "ikescope/lexer.h"
#include "ikescope/reconstruct.h"
#include "ikescope/util/escape.h"
#include "ikescope/util/strbuf.h"
#include "ikescope/util/xalloc.h"

/* FILE or FILE:SEL */
struct side {
	char *path;      /* the file */
	const char *sel; /* into arg, or NULL */
	char *arg;       /* as given */
	struct session *s;
	unsigned nsessions;
};

enum sel_kind { SEL_DEFAULT, SEL_INDEX, SEL_SA, SEL_SPI };

static bool
all(const char *p, int (*pred)(int))
{
	if (!*p)
		return false;
	for (; *p; p++)
		if (!pred((unsigned char)*p))
			return false;
	return true;
}

/* What a selector asks for; false if it is none of the forms. */
static bool
sel_parse(const char *sel, enum sel_kind *kind, unsigned long *num)
{
	if (!sel) {
		*kind = SEL_DEFAULT;
		return true;
	}
	if (!strncmp(sel, "sa=", 3) && all(sel + 3, isdigit) && strlen(sel + 3) <= 9) {
		*kind = SEL_SA;
		*num = strtoul(sel + 3, NULL, 10);
		return true;
	}
	if (all(sel, isdigit) && strlen(sel) <= 6) {
		*kind = SEL_INDEX;
		*num = strtoul(sel, NULL, 10);
		return *num > 0;
	}
	if (all(sel, isxdigit) && strlen(sel) >= 4 && strlen(sel) <= 16) {
		*kind = SEL_SPI;
		return true;
	}
	return false;
}

/* Splits FILE:SEL; a name that exists as given is a file without selector. */
static void
side_init(struct side *sd, const char *arg)
{
	struct stat st;
	const char *colon = strrchr(arg, ':');

	memset(sd, 0, sizeof(*sd));
	sd->arg = xstrdup(arg);
	if (!strcmp(arg, "-") || !colon || colon == arg || stat(arg, &st) == 0) {
		sd->path = xstrdup(arg);
		return;
	}
	sd->path = xstrndup(arg, (size_t)(colon - arg));
	sd->sel = sd->arg + (colon - arg) + 1;
}

static bool
picks(const struct session *s, enum sel_kind kind, unsigned long num, const char *sel)
{
	char spi[17];

	switch (kind) {
	case SEL_INDEX:
		return s->number == num;
	case SEL_SA:
		return num <= UINT32_MAX && session_has_sa_id(s, (uint32_t)num);
	case SEL_SPI:
		session_spi_text(s->spi_i, spi);
		return s->has_spi_i && !strncasecmp(spi, sel, strlen(sel));
	default:
		return false;
	}
}

/* Reads the side's file, numbering its sessions and handing each to rd. */
static bool
side_read(const struct grammar *g, struct side *sd, const struct recon_reader *rd, struct err *err)
{
	const char *name = strcmp(sd->path, "-") ? sd->path : "(stdin)";
	struct recon *r;
	FILE *fp;
	bool ok;

	fp = cli_open_input(sd->path, err);
	if (!fp)
		return false;
	r = recon_create(g);
	ok = recon_read(r, g, fp, name, rd, NULL, err);
	recon_destroy(r);
	if (fp != stdin)
		fclose(fp);
	return ok;
}

/* What side_load keeps while the file is read. */
struct pick {
	struct side *sd;
	enum sel_kind kind;
	unsigned long num;
	struct session *first, *failed;
};

static void
pick_one(void *ctx, struct session *s)
{
	struct pick *p = ctx;
	bool failing = s->outcome == MODEL_OUTCOME_FAILED || s->outcome == MODEL_OUTCOME_INCOMPLETE;

	s->number = ++p->sd->nsessions;
	if (p->kind == SEL_DEFAULT) {
		if (!p->first) {
			p->first = s;
			if (failing)
				p->failed = s;
			return;
		}
		if (!p->failed && failing) {
			p->failed = s;
			return;
		}
	} else if (!p->first && picks(s, p->kind, p->num, p->sd->sel)) {
		p->first = s;
		return;
	}
	session_destroy(s);
}

/*
 * Reads the side's file and keeps the session it names: by selector, else
 * the only one, or the first that failed, or the first.
 */
static bool
side_load(const struct cli *cli, const struct grammar *g, struct side *sd, struct err *err)
{
	struct pick p = { .sd = sd };
	struct recon_reader rd = { .session = pick_one, .ctx = &p };
	bool ok;

	(void)cli;
	if (!sel_parse(sd->sel, &p.kind, &p.num)) {
		err_set(err, ERR_USAGE, NULL,
			"diff: '%s': a selector is a session number (as 'sessions' numbers them), "
			"sa=N (the device's SA number) or an initiator SPI prefix of 4 to 16 hex "
			"digits",
			sd->sel);
		return false;
	}
	ok = side_read(g, sd, &rd, err);
	sd->s = p.failed ? p.failed : p.first;
	if (p.failed && p.first && p.failed != p.first)
		session_destroy(p.first);
	if (ok && !sd->s) {
		/* the path is named in the message: it is freed before the error is shown */
		if (sd->sel)
			err_set(err, ERR_INPUT, NULL,
				"diff: %s: no session '%s' among its %u session%s", sd->path,
				sd->sel, sd->nsessions, sd->nsessions == 1 ? "" : "s");
		else
			err_set(err, ERR_INPUT, NULL, "diff: %s: no IKEv2 session in it", sd->path);
		ok = false;
	}
	return ok;
}

static void
side_free(struct side *sd)
{
	if (sd->s)
		session_destroy(sd->s);
	free(sd->path);
	free(sd->arg);
}

static void
esc(struct strbuf *out, const char *p)
{
	escape_append(out, p, strlen(p));
}

static void
side_line(struct strbuf *out, const char *who, const struct side *sd)
{
	const struct session *s = sd->s;

	sb_addf(out, "%s  ", who);
	esc(out, sd->arg);
	sb_addf(out, "  session %u of %u  %s  %s", s->number, sd->nsessions,
		model_role_name(s->role), model_outcome_name(s->outcome));
	if (s->failure.cause) {
		sb_addf(out, " at %s", s->failure.exchange ? s->failure.exchange : "?");
		if (s->failure.mid_known)
			sb_addf(out, " MID %u", s->failure.mid);
		sb_adds(out, " ");
		esc(out, s->failure.cause);
	}
	sb_addf(out, "  L%u-L%u\n", s->first_line, s->last_line);
}

/* The group a key belongs to: its exchange ("IKE_AUTH #2"), else the session. */
static size_t
group_len(const char *key)
{
	const char *hash = strstr(key, " #");
	const char *sp;

	if (!hash || !strncmp(key, "child SA", 8))
		return 0;
	sp = strchr(hash + 2, ' ');
	return sp ? (size_t)(sp - key) : strlen(key);
}

static void
value(struct strbuf *out, const char *who, const char *v, uint32_t line)
{
	sb_addf(out, "    %s  ", who);
	if (!v)
		sb_adds(out, "(none)");
	else if (!*v)
		sb_adds(out, "(empty)");
	else
		esc(out, v);
	if (line)
		sb_addf(out, "  L%u", line);
	sb_addc(out, '\n');
}

/* Where two state paths ("IDLE > R_INIT > ...") part. */
static void
parting(struct strbuf *out, const char *a, const char *b)
{
	const char *last = NULL;
	size_t i = 0, last_len = 0;

	for (;;) {
		size_t na = strcspn(a + i, " "), nb = strcspn(b + i, " ");

		if (na != nb || strncmp(a + i, b + i, na))
			break;
		last = a + i;
		last_len = na;
		i += na;
		if (strncmp(a + i, " > ", 3) || strncmp(b + i, " > ", 3))
			break;
		i += 3;
	}
	sb_adds(out, "    the paths part after ");
	if (last)
		sb_add(out, last, last_len);
	else
		sb_adds(out, "their start");
	if (last) {
		/* where each goes next */
		const char *na = a + i, *nb = b + i;

		if (!strncmp(na, " > ", 3))
			na += 3;
		if (!strncmp(nb, " > ", 3))
			nb += 3;
		sb_adds(out, ": A goes to ");
		sb_add(out, na, *na ? strcspn(na, " ") : 0);
		if (!*na)
			sb_adds(out, "no other state");
		sb_adds(out, ", B to ");
		sb_add(out, nb, *nb ? strcspn(nb, " ") : 0);
		if (!*nb)
			sb_adds(out, "no other state");
	}
	sb_addc(out, '\n');
}

static void
text_report(struct strbuf *out, const struct side *a, const struct side *b, const struct diff *d)
{
	const char *group = NULL;
	size_t glen = 0, i, pass;

	side_line(out, "A", a);
	side_line(out, "B", b);
	if (!d->n) {
		sb_adds(out, "\nno difference\n");
		return;
	}
	sb_adds(out, "\nfirst difference: ");
	{
		struct strbuf f;

		sb_init(&f);
		diff_first(a->s, b->s, d, &f);
		esc(out, f.buf ? f.buf : "");
		sb_finish(&f);
	}
	sb_addc(out, '\n');
	/* exchanges first, in order, then the session */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < d->n; i++) {
			const struct diff_entry *e = &d->e[i];
			size_t gl = group_len(e->key);

			if ((pass == 0) != (gl > 0))
				continue;
			if (!group || gl != glen || strncmp(group, e->key, gl) || (!gl && pass)) {
				if (!(pass == 1 && group && !glen)) {
					sb_addc(out, '\n');
					if (gl)
						sb_add(out, e->key, gl);
					else
						sb_adds(out, "session");
					sb_addc(out, '\n');
				}
				group = e->key;
				glen = gl;
			}
			sb_adds(out, "  ");
			esc(out, gl ? e->key + gl + (e->key[gl] == ' ') : e->key);
			sb_addc(out, '\n');
			value(out, "A", e->a, e->line_a);
			value(out, "B", e->b, e->line_b);
			if (!strcmp(e->key, "state path") && e->a && e->b)
				parting(out, e->a, e->b);
		}
	sb_addf(out, "\n%zu difference%s\n", d->n, d->n == 1 ? "" : "s");
}

static json_t *
jside(const struct side *sd)
{
	const struct session *s = sd->s;
	json_t *o = json_object();

	json_object_set_new(o, "input", json_string(sd->path));
	json_object_set_new(o, "selector", sd->sel ? json_string(sd->sel) : json_null());
	json_object_set_new(o, "session", json_integer(s->number));
	json_object_set_new(o, "sessions", json_integer(sd->nsessions));
	json_object_set_new(o, "role", json_string(model_role_name(s->role)));
	json_object_set_new(o, "outcome", json_string(model_outcome_name(s->outcome)));
	json_object_set_new(o, "failure_cause",
			    s->failure.cause ? json_string(s->failure.cause) : json_null());
	json_object_set_new(o, "first_line", json_integer(s->first_line));
	json_object_set_new(o, "last_line", json_integer(s->last_line));
	return o;
}

static json_t *
jstr(const char *v)
{
	return v ? json_string(v) : json_null();
}

static void
json_report(struct strbuf *out, const struct side *a, const struct side *b, const struct diff *d)
{
	json_t *o = json_object(), *arr = json_array();
	struct strbuf f;
	char *dump;
	size_t i;

	sb_init(&f);
	diff_first(a->s, b->s, d, &f);
	json_object_set_new(o, "schema", json_integer(1));
	json_object_set_new(o, "a", jside(a));
	json_object_set_new(o, "b", jside(b));
	json_object_set_new(o, "equal", json_boolean(d->n == 0));
	json_object_set_new(o, "first_difference", d->n ? jstr(f.buf) : json_null());
	for (i = 0; i < d->n; i++) {
		const struct diff_entry *e = &d->e[i];
		json_t *x = json_object();

		json_object_set_new(x, "key", json_string(e->key));
		json_object_set_new(x, "a", jstr(e->a));
		json_object_set_new(x, "b", jstr(e->b));
		json_object_set_new(x, "line_a", e->line_a ? json_integer(e->line_a) : json_null());
		json_object_set_new(x, "line_b", e->line_b ? json_integer(e->line_b) : json_null());
		json_array_append_new(arr, x);
	}
	json_object_set_new(o, "differences", arr);
	dump = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	if (dump) {
		sb_adds(out, dump);
		sb_addc(out, '\n');
	}
	free(dump);
	json_decref(o);
	sb_finish(&f);
}

/* ---- --ends: both ends of one negotiation ---- */

struct all {
	struct session **s;
	size_t n;
};

/* What load_all keeps while the file is read. */
struct collect {
	struct side *sd;
	enum sel_kind kind;
	unsigned long num;
	struct all *out;
};

static void
collect_one(void *ctx, struct session *s)
{
	struct collect *c = ctx;

	s->number = ++c->sd->nsessions;
	if (c->kind != SEL_DEFAULT && !picks(s, c->kind, c->num, c->sd->sel)) {
		session_destroy(s);
		return;
	}
	c->out->s = xreallocarray(c->out->s, c->out->n + 1, sizeof(*c->out->s));
	c->out->s[c->out->n++] = s;
}

/* Every session of a file (the selector, if any, keeps only the one it names). */
static bool
load_all(const struct grammar *g, struct side *sd, struct all *out, struct err *err)
{
	struct collect c = { .sd = sd, .out = out };
	struct recon_reader rd = { .session = collect_one, .ctx = &c };

	memset(out, 0, sizeof(*out));
	if (!sel_parse(sd->sel, &c.kind, &c.num)) {
		err_set(err, ERR_USAGE, NULL, "diff: '%s': not a session selector", sd->sel);
		return false;
	}
	return side_read(g, sd, &rd, err);
}

static void
all_free(struct all *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		session_destroy(a->s[i]);
	free(a->s);
}

/* Where a message is in its log: "sent L39-L104 (7 times)", or why it is not. */
static void
end_cell(struct strbuf *out, const struct message *m, bool has_session)
{
	if (!m) {
		sb_adds(out, has_session ? "not in this log" : "-");
		return;
	}
	sb_addf(out, "%s L%u-L%u", m->dir == MODEL_DIR_OUT ? "sent" : "received", m->first_line,
		m->last_line);
	if (m->retransmits)
		sb_addf(out, " (%u times)", m->retransmits + 1);
}

/* The message of s whose lines hold its failure line. */
static const struct message *
failure_message(const struct session *s)
{
	size_t k;

	for (k = 0; s->failure.cause && k < s->nmsgs; k++)
		if (s->failure.line >= s->msgs[k]->first_line &&
		    s->failure.line <= s->msgs[k]->last_line)
			return s->msgs[k];
	return NULL;
}

static void
addr(struct strbuf *out, const char *a, unsigned port)
{
	esc(out, a ? a : "?");
	if (port)
		sb_addf(out, ":%u", port);
}

/* A "!!" line: in the text, and in the JSON flags when there are any. */
static void
flag(struct strbuf *out, json_t *jflags, const char *indent, struct strbuf *t)
{
	sb_adds(out, indent);
	sb_adds(out, "!! ");
	sb_add(out, t->buf ? t->buf : "", t->len);
	sb_addc(out, '\n');
	if (jflags)
		json_array_append_new(jflags, json_string(t->buf ? t->buf : ""));
	sb_reset(t);
}

static json_t *
jend(const struct message *m)
{
	json_t *o;

	if (!m)
		return json_null();
	o = json_object();
	json_object_set_new(o, "direction",
			    json_string(m->dir == MODEL_DIR_OUT ? "sent" : "received"));
	json_object_set_new(o, "first_line", json_integer(m->first_line));
	json_object_set_new(o, "last_line", json_integer(m->last_line));
	json_object_set_new(o, "times", json_integer(m->retransmits + 1));
	return o;
}

static json_t *
jsession(const char *who, const struct session *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "input", json_string(who));
	json_object_set_new(o, "session", json_integer(s->number));
	json_object_set_new(o, "first_line", json_integer(s->first_line));
	json_object_set_new(o, "last_line", json_integer(s->last_line));
	json_object_set_new(o, "outcome", json_string(model_outcome_name(s->outcome)));
	return o;
}

/*
 * One negotiation: the ladder, then what only one side saw and who decided
 * (text into out; the same as data into jn when it is not NULL). Returns
 * the number of problems.
 */
static unsigned
ends_report(struct strbuf *out, json_t *jn, const struct ends *e, const char *ia, const char *ra,
	    unsigned nth, const struct all *others, const struct session *i_side)
{
	json_t *jrows = jn ? json_array() : NULL, *jflags = jn ? json_array() : NULL;
	struct strbuf t;
	char spi[17];
	unsigned problems = 0;
	size_t k;

	sb_init(&t);
	session_spi_text(e->i->spi_i, spi);
	sb_addf(out, "\nnegotiation %u  I_SPI %s", nth, spi);
	if (jn)
		json_object_set_new(jn, "initiator_spi", json_string(spi));
	if (e->i->has_spi_r || e->r->has_spi_r) {
		session_spi_text(e->r->has_spi_r ? e->r->spi_r : e->i->spi_r, spi);
		sb_addf(out, "  R_SPI %s", spi);
		if (jn)
			json_object_set_new(jn, "responder_spi", json_string(spi));
	}
	sb_adds(out, "\n");
	sb_addf(out, "  initiator  %s session %u  L%u-L%u  %s\n", ia, e->i->number,
		e->i->first_line, e->i->last_line, model_outcome_name(e->i->outcome));
	sb_addf(out, "  responder  %s session %u  L%u-L%u  %s\n", ra, e->r->number,
		e->r->first_line, e->r->last_line, model_outcome_name(e->r->outcome));
	if (jn) {
		json_object_set_new(jn, "initiator", jsession(ia, e->i));
		json_object_set_new(jn, "responder", jsession(ra, e->r));
	}
	sb_addf(out, "  %-28s %-34s %s\n", "", "initiator", "responder");
	for (k = 0; k < e->n; k++) {
		const struct ends_row *row = &e->rows[k];
		struct strbuf a, b;
		char what[64];

		sb_init(&a);
		sb_init(&b);
		snprintf(what, sizeof(what), "%s MID %u %s", row->exchange ? row->exchange : "?",
			 row->mid, row->response ? "response" : "request");
		end_cell(&a, row->i, true);
		end_cell(&b, row->r, true);
		sb_addf(out, "  %-28s %-34s %s\n", what, a.buf, b.buf);
		sb_finish(&a);
		sb_finish(&b);
		if (jrows) {
			json_t *x = json_object();

			json_object_set_new(x, "exchange",
					    row->exchange ? json_string(row->exchange)
							  : json_null());
			json_object_set_new(x, "message_id", json_integer(row->mid));
			json_object_set_new(x, "kind",
					    json_string(row->response ? "response" : "request"));
			json_object_set_new(x, "initiator", jend(row->i));
			json_object_set_new(x, "responder", jend(row->r));
			json_array_append_new(jrows, x);
		}
		if (!row->i || !row->r) {
			const struct message *m = row->i ? row->i : row->r;

			problems++;
			if (m->dir == MODEL_DIR_OUT)
				sb_addf(&t,
					"the %s sent it; the %s's log never shows it (lost on the "
					"way, or dropped before it was logged)",
					row->i ? "initiator" : "responder",
					row->i ? "responder" : "initiator");
			else
				sb_addf(&t,
					"the %s received it, but the %s's log does not show it "
					"sent "
					"(lines missing from that log)",
					row->i ? "initiator" : "responder",
					row->i ? "responder" : "initiator");
			flag(out, jflags, "    ", &t);
		} else if (row->i->retransmits != row->r->retransmits) {
			const struct message *s = row->i->dir == MODEL_DIR_OUT ? row->i : row->r;
			const struct message *o = s == row->i ? row->r : row->i;

			problems++;
			sb_addf(&t,
				"%s MID %u: the %s sent it %u times; the %s logged it %u time%s: "
				"copies were lost on the way",
				row->exchange ? row->exchange : "?", row->mid,
				s == row->i ? "initiator" : "responder", s->retransmits + 1,
				s == row->i ? "responder" : "initiator", o->retransmits + 1,
				o->retransmits ? "s" : "");
			flag(out, jflags, "    ", &t);
		}
	}
	/* the same IKE_SA_INIT handled as new SAs by the responder */
	for (k = 0; k < others->n; k++) {
		const struct session *o = others->s[k];

		if (o != e->r && o->has_spi_i && o->spi_i == e->i->spi_i && o->role == e->r->role &&
		    o->role != i_side->role) {
			problems++;
			session_spi_text(o->spi_r, spi);
			sb_addf(&t,
				"the responder also handled a copy of this IKE_SA_INIT as a new SA "
				"(session %u, R_SPI %s, L%u): a retransmission it did not "
				"recognize",
				o->number, spi, o->first_line);
			flag(out, jflags, "  ", &t);
		}
	}
	/* addresses and ports as each end saw them */
	if (e->i->local && e->r->peer &&
	    (strcmp(e->i->local, e->r->peer) ||
	     (e->i->lport_first && e->r->pport_first && e->i->lport_first != e->r->pport_first))) {
		problems++;
		sb_adds(&t, "rewritten on the way (NAT): the initiator sent from ");
		addr(&t, e->i->local, e->i->lport_first);
		sb_adds(&t, ", the responder saw ");
		addr(&t, e->r->peer, e->r->pport_first);
		flag(out, jflags, "  ", &t);
	}
	if (e->r->local && e->i->peer && strcmp(e->r->local, e->i->peer)) {
		problems++;
		sb_adds(&t, "rewritten on the way (NAT): the initiator sent to ");
		addr(&t, e->i->peer, e->i->pport_first);
		sb_adds(&t, ", the responder is ");
		addr(&t, e->r->local, e->r->lport_first);
		flag(out, jflags, "  ", &t);
	}
	/* who decided the failure: the end whose log has the refusal it sent */
	{
		const struct session *who = NULL;
		const struct message *mi = failure_message(e->i), *mr = failure_message(e->r);

		if (mr && mr->dir == MODEL_DIR_OUT)
			who = e->r;
		else if (mi && mi->dir == MODEL_DIR_OUT)
			who = e->i;
		else if (e->r->failure.cause && !e->i->failure.cause)
			who = e->r;
		else if (e->i->failure.cause && !e->r->failure.cause)
			who = e->i;
		if (who) {
			const char *x = who->failure.explanation;

			problems++;
			sb_addf(out, "  decided by the %s: %s",
				who == e->i ? "initiator" : "responder", who->failure.cause);
			if (who->failure.exchange)
				sb_addf(out, " in %s", who->failure.exchange);
			if (who->failure.mid_known)
				sb_addf(out, " MID %u", who->failure.mid);
			sb_addf(out, " (L%u of its log)", who->failure.line);
			if (x) {
				sb_adds(out, ": ");
				escape_append(out, x, strlen(x));
			}
			sb_addc(out, '\n');
			if (jn) {
				json_t *d = json_object();

				json_object_set_new(
					d, "by",
					json_string(who == e->i ? "initiator" : "responder"));
				json_object_set_new(d, "cause", json_string(who->failure.cause));
				json_object_set_new(d, "line", json_integer(who->failure.line));
				json_object_set_new(d, "explanation",
						    x ? json_string(x) : json_null());
				json_object_set_new(jn, "decided", d);
			}
		} else if (e->i->failure.cause || e->r->failure.cause) {
			problems++;
			sb_adds(out, "  neither log shows which end refused\n");
			if (jn)
				json_object_set_new(jn, "decided", json_null());
		} else {
			sb_adds(out, problems ? "  no failure; the ends differ as flagged above\n"
					      : "  both ends agree\n");
			if (jn)
				json_object_set_new(jn, "decided", json_null());
		}
	}
	if (jn) {
		json_object_set_new(jn, "messages", jrows);
		json_object_set_new(jn, "flags", jflags);
		json_object_set_new(jn, "agree", json_boolean(problems == 0));
	}
	sb_finish(&t);
	return problems;
}

static json_t *
jalone_item(const char *who, const struct session *s)
{
	json_t *o = jsession(who, s);
	char spi[17];

	session_spi_text(s->spi_i, spi);
	json_object_set_new(o, "initiator_spi", json_string(spi));
	return o;
}

/*
 * --ends: pairs the sessions of A and B, one report per negotiation, then
 * the sessions with no other end. Text into out, or with json the document.
 */
static int
run_ends(const struct grammar *g, struct side *a, struct side *b, struct strbuf *out, bool json,
	 struct err *err)
{
	json_t *jdoc = NULL, *jneg = NULL, *jalone = NULL;
	struct strbuf scratch, *text = out;
	struct all A, B;
	unsigned nth = 0, problems = 0;
	size_t i, j;
	bool *paired_b;
	int rc;

	if (!load_all(g, a, &A, err))
		return CLI_EXIT_TROUBLE;
	if (!load_all(g, b, &B, err)) {
		all_free(&A);
		return CLI_EXIT_TROUBLE;
	}
	sb_init(&scratch);
	if (json) {
		/* the text is made and thrown away: the document says the same */
		text = &scratch;
		jdoc = json_object();
		jneg = json_array();
		jalone = json_array();
	}
	paired_b = xcalloc(B.n ? B.n : 1, sizeof(*paired_b));
	sb_adds(text, "ends  A ");
	esc(text, a->arg);
	sb_addf(text, " (%zu session%s)  B ", A.n, A.n == 1 ? "" : "s");
	esc(text, b->arg);
	sb_addf(text, " (%zu session%s)\n", B.n, B.n == 1 ? "" : "s");
	for (i = 0; i < A.n; i++) {
		bool paired = false;

		for (j = 0; j < B.n && !paired; j++) {
			struct ends e;
			bool a_init = A.s[i]->role == MODEL_ROLE_INITIATOR;
			json_t *jn = json ? json_object() : NULL;

			if (paired_b[j] || !diff_same_negotiation(A.s[i], B.s[j])) {
				if (jn)
					json_decref(jn);
				continue;
			}
			paired = paired_b[j] = true;
			diff_ends(a_init ? A.s[i] : B.s[j], a_init ? B.s[j] : A.s[i], &e);
			problems +=
				ends_report(text, jn, &e, a_init ? "A" : "B", a_init ? "B" : "A",
					    ++nth, a_init ? &B : &A, a_init ? A.s[i] : B.s[j]);
			if (jn)
				json_array_append_new(jneg, jn);
			ends_free(&e);
		}
		if (!paired) {
			char spi[17];

			session_spi_text(A.s[i]->spi_i, spi);
			sb_addf(text, "\nA session %u (I_SPI %s, L%u-L%u): no other end in B\n",
				A.s[i]->number, spi, A.s[i]->first_line, A.s[i]->last_line);
			if (jalone)
				json_array_append_new(jalone, jalone_item("A", A.s[i]));
			problems++;
		}
	}
	for (j = 0; j < B.n; j++) {
		char spi[17];
		bool copy = false;

		if (paired_b[j])
			continue;
		/* a copy already reported with its negotiation */
		for (i = 0; i < A.n && !copy; i++)
			copy = A.s[i]->has_spi_i && B.s[j]->has_spi_i &&
			       A.s[i]->spi_i == B.s[j]->spi_i;
		if (copy)
			continue;
		session_spi_text(B.s[j]->spi_i, spi);
		sb_addf(text, "\nB session %u (I_SPI %s, L%u-L%u): no other end in A\n",
			B.s[j]->number, spi, B.s[j]->first_line, B.s[j]->last_line);
		if (jalone)
			json_array_append_new(jalone, jalone_item("B", B.s[j]));
		problems++;
	}
	rc = problems ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
	if (!nth) {
		err_set(err, ERR_INPUT, NULL,
			"diff --ends: no session of A has its other end in B (same SPIs, one "
			"initiator and one responder)");
		rc = CLI_EXIT_TROUBLE;
	} else if (json) {
		char *dump;

		json_object_set_new(jdoc, "schema", json_integer(1));
		json_object_set_new(jdoc, "a", json_string(a->arg));
		json_object_set_new(jdoc, "b", json_string(b->arg));
		json_object_set_new(jdoc, "agree", json_boolean(problems == 0));
		json_object_set_new(jdoc, "negotiations", jneg);
		json_object_set_new(jdoc, "without_other_end", jalone);
		jneg = jalone = NULL;
		dump = json_dumps(jdoc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
		if (dump) {
			sb_adds(out, dump);
			sb_addc(out, '\n');
		}
		free(dump);
	}
	if (jneg)
		json_decref(jneg);
	if (jalone)
		json_decref(jalone);
	if (jdoc)
		json_decref(jdoc);
	sb_finish(&scratch);
	free(paired_b);
	all_free(&A);
	all_free(&B);
	return rc;
}

/*
 * A client's DART session and the head end's session of the same connection
 * (recon_client_matches): the client's events, the head end's exchanges, and
 * which end decided. Returns the exit status.
 */
static int
client_report(struct strbuf *out, const char *cw, const struct session *c, const char *dw,
	      const struct session *d)
{
	bool errors = false;
	size_t k;

	sb_adds(out, "the client log and the head end's log of one connection (same client "
		     "address and IKE ports): joined\n");
	sb_addf(out, "client    %s session %u  L%u-L%u  %s", cw, c->number, c->first_line,
		c->last_line, model_outcome_name(c->outcome));
	if (c->client_profile) {
		sb_adds(out, "  connection ");
		esc(out, c->client_profile);
	}
	sb_addc(out, '\n');
	sb_addf(out, "head end  %s session %u  L%u-L%u  %s", dw, d->number, d->first_line,
		d->last_line, model_outcome_name(d->outcome));
	if (d->failure.cause) {
		sb_addf(out, " at %s", d->failure.exchange ? d->failure.exchange : "?");
		if (d->failure.mid_known)
			sb_addf(out, " MID %u", d->failure.mid);
		sb_adds(out, " ");
		esc(out, d->failure.cause);
	}
	sb_addc(out, '\n');
	sb_adds(out, "\nwhat the client saw\n");
	for (k = 0; k < c->nclient; k++) {
		const struct client_event *ev = &c->client[k];

		sb_addf(out, "  %-9s %-18s L%-5u ", ev->time ? ev->time : "",
			ev->kind ? ev->kind : "-", ev->first_line);
		esc(out, ev->text ? ev->text : "");
		sb_addc(out, '\n');
		errors = errors || model_client_error(ev->kind);
	}
	sb_adds(out, "\nwhat the head end did\n");
	for (k = 0; k < d->nexch; k++) {
		const struct exchange *x = &d->exch[k];

		sb_addf(out, "  %-14s MID %-3u", x->type ? x->type : "?", x->mid);
		if (x->request)
			sb_addf(out, "  request %s L%u",
				x->request->dir == MODEL_DIR_IN ? "received" : "sent",
				x->request->first_line);
		if (x->response)
			sb_addf(out, "  response %s L%u",
				x->response->dir == MODEL_DIR_OUT ? "sent" : "received",
				x->response->first_line);
		else
			sb_adds(out, "  no response");
		sb_addc(out, '\n');
	}
	sb_addc(out, '\n');
	if (d->failure.cause) {
		const char *x = d->failure.explanation;

		sb_adds(out, "decided by the head end: ");
		esc(out, d->failure.cause);
		if (x) {
			sb_adds(out, ": ");
			escape_append(out, x, strlen(x));
		}
		sb_addc(out, '\n');
	} else if (errors) {
		sb_adds(out, "decided by the client: the head end's session is ");
		sb_adds(out, model_outcome_name(d->outcome));
		sb_adds(out, ", yet the client reported an error\n");
	} else {
		sb_adds(out, "both ends agree\n");
	}
	if (errors) {
		sb_adds(out, "the client reported: ");
		for (k = 0; k < c->nclient; k++)
			if (model_client_error(c->client[k].kind)) {
				esc(out, c->client[k].text ? c->client[k].text : "");
				break;
			}
		sb_addc(out, '\n');
	}
	return d->failure.cause || errors ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
}

/* Makes err's message its own: it names a file whose name is about to be freed. */
static void
detach_err(struct err *err)
{
	char msg[1024];
	enum err_code code = err->code;

	if (!err_is_set(err))
		return;
	err_format(err, msg, sizeof(msg));
	memset(err, 0, sizeof(*err));
	err_set(err, code, NULL, "%s", msg);
}

int
cmd_diff(const struct cli *cli, int argc, char **argv, struct err *err)
{
	static const struct option longopts[] = {
		{ "strict", no_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "ends", no_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	struct side a, b;
	struct grammar *g;
	struct strbuf out;
	struct diff d;
	bool strict = false, json = cli->json, ends = false;
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			strict = true;
			break;
		case 'j':
			json = true;
			break;
		case 'e':
			ends = true;
			break;
		default:
			err_set(err, ERR_USAGE, NULL, "diff: unknown option '%s'",
				argv[optind - 1]);
			return CLI_EXIT_TROUBLE;
		}
	}
	if (argc - optind != 2) {
		err_set(err, ERR_USAGE, NULL,
			"diff: two sessions to compare, A and B (each FILE or FILE:SEL)");
		return CLI_EXIT_TROUBLE;
	}
	g = cli_load_grammar(cli, err);
	if (!g)
		return CLI_EXIT_TROUBLE;
	side_init(&a, argv[optind]);
	side_init(&b, argv[optind + 1]);
	if (ends) {
		sb_init(&out);
		rc = run_ends(g, &a, &b, &out, json, err);
		if (out.len && rc != CLI_EXIT_TROUBLE)
			fwrite(out.buf, 1, out.len, stdout);
		sb_finish(&out);
		if (rc == CLI_EXIT_TROUBLE)
			detach_err(err);
		side_free(&a);
		side_free(&b);
		grammar_destroy(g);
		return rc;
	}
	if (!side_load(cli, g, &a, err) || !side_load(cli, g, &b, err)) {
		detach_err(err);
		side_free(&a);
		side_free(&b);
		grammar_destroy(g);
		return CLI_EXIT_TROUBLE;
	}
	if (!json && ((a.s->role == MODEL_ROLE_CLIENT && b.s->role != MODEL_ROLE_CLIENT &&
		       recon_client_matches(b.s, a.s)) ||
		      (b.s->role == MODEL_ROLE_CLIENT && a.s->role != MODEL_ROLE_CLIENT &&
		       recon_client_matches(a.s, b.s)))) {
		bool a_client = a.s->role == MODEL_ROLE_CLIENT;

		sb_init(&out);
		rc = client_report(&out, a_client ? "A" : "B", a_client ? a.s : b.s,
				   a_client ? "B" : "A", a_client ? b.s : a.s);
		fwrite(out.buf, 1, out.len, stdout);
		sb_finish(&out);
		side_free(&a);
		side_free(&b);
		grammar_destroy(g);
		return rc;
	}
	if (!json && diff_same_negotiation(a.s, b.s)) {
		/* the two ends of one negotiation: join them rather than compare */
		session_destroy(a.s);
		session_destroy(b.s);
		a.s = b.s = NULL;
		a.nsessions = b.nsessions = 0;
		sb_init(&out);
		sb_adds(&out,
			"A and B are the two ends of one negotiation (same SPIs, one initiator "
			"and one responder): joined as with --ends\n");
		rc = run_ends(g, &a, &b, &out, false, err);
		if (rc != CLI_EXIT_TROUBLE && out.len)
			fwrite(out.buf, 1, out.len, stdout);
		sb_finish(&out);
		side_free(&a);
		side_free(&b);
		grammar_destroy(g);
		return rc;
	}
	diff_sessions(a.s, b.s, strict, &d);
	sb_init(&out);
	if (json)
		json_report(&out, &a, &b, &d);
	else
		text_report(&out, &a, &b, &d);
	if (out.len)
		fwrite(out.buf, 1, out.len, stdout);
	rc = d.n ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
	sb_finish(&out);
	diff_free(&d);
	side_free(&a);
	side_free(&b);
	grammar_destroy(g);
	return rc;
}
