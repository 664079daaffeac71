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

/*
 * Reads the side's file and keeps the session it names: by selector, else
 * the only one, or the first that failed, or the first.
 */
static bool
side_load(const struct cli *cli, const struct grammar *g, struct side *sd, struct err *err)
{
	struct session *first = NULL, *failed = NULL, *s;
	struct lex_record rec;
	struct gram_match m;
	enum sel_kind kind;
	unsigned long num = 0;
	struct recon *r;
	struct lex *lx;
	FILE *fp;
	bool ok = true;

	(void)cli;
	if (!sel_parse(sd->sel, &kind, &num)) {
		err_set(err, ERR_USAGE, NULL,
			"diff: '%s': a selector is a session number (as 'sessions' numbers them), "
			"sa=N (the device's SA number) or an initiator SPI prefix of 4 to 16 hex "
			"digits",
			sd->sel);
		return false;
	}
	fp = cli_open_input(sd->path, err);
	if (!fp)
		return false;
	r = recon_create(g);
	recon_begin_input(r, strcmp(sd->path, "-") ? sd->path : "(stdin)");
	lx = lex_create(fp, strcmp(sd->path, "-") ? sd->path : "(stdin)", grammar_lex_ops(),
			(void *)g, NULL);
	for (;;) {
		bool more = lex_next(lx, &rec, err), matched = false;

		if (more && !(rec.flags & LEX_REC_NOISE))
			matched = grammar_match_hinted(g, rec.text, rec.len, &rec.hint, &m);
		if (more)
			recon_feed(r, &rec, matched ? &m : NULL);
		else
			recon_end_input(r);
		while ((s = recon_next(r))) {
			bool failing = s->outcome == MODEL_OUTCOME_FAILED ||
				       s->outcome == MODEL_OUTCOME_INCOMPLETE;

			s->number = ++sd->nsessions;
			if (kind == SEL_DEFAULT) {
				if (!first) {
					first = s;
					if (failing)
						failed = s;
					continue;
				}
				if (!failed && failing) {
					failed = s;
					continue;
				}
			} else if (!first && picks(s, kind, num, sd->sel)) {
				first = s;
				continue;
			}
			session_destroy(s);
		}
		if (!more)
			break;
	}
	if (err_is_set(err))
		ok = false;
	lex_destroy(lx);
	recon_destroy(r);
	if (fp != stdin)
		fclose(fp);
	sd->s = failed ? failed : first;
	if (failed && first && failed != first)
		session_destroy(first);
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

int
cmd_diff(const struct cli *cli, int argc, char **argv, struct err *err)
{
	static const struct option longopts[] = {
		{ "strict", no_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct side a, b;
	struct grammar *g;
	struct strbuf out;
	struct diff d;
	bool strict = false, json = cli->json;
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
	if (!side_load(cli, g, &a, err) || !side_load(cli, g, &b, err)) {
		/* the message names the file, whose name is freed below */
		char msg[1024];
		enum err_code code = err->code;

		err_format(err, msg, sizeof(msg));
		memset(err, 0, sizeof(*err));
		err_set(err, code, NULL, "%s", msg);
		side_free(&a);
		side_free(&b);
		grammar_destroy(g);
		return CLI_EXIT_TROUBLE;
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
