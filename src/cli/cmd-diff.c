/* ikescope diff: the semantic difference of two sessions. */
#include "cli-private.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "ikescope/diff.h"
#include "ikescope/grammar.h"
#include "ikescope/lexer.h"
#include "ikescope/reconstruct.h"
#include "ikescope/render.h"
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

/*
 * --ends: pairs the sessions of A and B, one report per negotiation, then
 * the sessions with no other end. Text into out, or with json the document.
 */
static int
run_ends(const struct grammar *g, struct side *a, struct side *b, struct strbuf *out, bool json,
	 bool compact, struct err *err)
{
	struct ends_pairing p;
	struct all A, B;
	int rc;

	if (!load_all(g, a, &A, err))
		return CLI_EXIT_TROUBLE;
	if (!load_all(g, b, &B, err)) {
		all_free(&A);
		return CLI_EXIT_TROUBLE;
	}
	diff_pair_ends(A.s, A.n, B.s, B.n, &p);
	rc = p.problems ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
	if (!p.negotiations) {
		err_set(err, ERR_INPUT, NULL,
			"diff --ends: no session of A has its other end in B (same SPIs, one "
			"initiator and one responder)");
		rc = CLI_EXIT_TROUBLE;
	} else if (json) {
		render_ends_json(out, a->arg, A.n, b->arg, B.n, &p, compact);
	} else {
		render_ends_text(out, a->arg, A.n, b->arg, B.n, &p);
	}
	ends_pairing_free(&p);
	all_free(&A);
	all_free(&B);
	return rc;
}

/* The view of a side the renderers read. */
static struct diff_side
view(const struct side *sd)
{
	struct diff_side v = { sd->arg, sd->path, sd->sel, sd->s, sd->nsessions };

	return v;
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
		rc = run_ends(g, &a, &b, &out, json, cli->json_compact || cli->json_lines, err);
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

		const struct session *cs = a_client ? a.s : b.s, *ds = a_client ? b.s : a.s;
		const struct client_event *error;

		sb_init(&out);
		render_client_join(&out, a_client ? "A" : "B", cs, a_client ? "B" : "A", ds);
		rc = diff_client(cs, ds, &error) == CLIENT_AGREE ? CLI_EXIT_OK : CLI_EXIT_FINDINGS;
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
		rc = run_ends(g, &a, &b, &out, false, false, err);
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
	{
		struct diff_side va = view(&a), vb = view(&b);

		if (json)
			render_diff_json(&out, &va, &vb, &d, cli->json_compact || cli->json_lines);
		else
			render_diff_text(&out, &va, &vb, &d);
	}
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
