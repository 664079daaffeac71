/* ikescope tui: the interactive browser (src/tui/), or a key script run without a terminal. */
#include "cli-private.h"

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ikescope/grammar.h"
#include "ikescope/lexer.h"
#include "ikescope/reconstruct.h"
#include "ikescope/render.h"
#include "ikescope/tui.h"
#include "ikescope/util/lineindex.h"
#include "ikescope/util/strbuf.h"
#include "ikescope/util/xalloc.h"

/* An input kept open, to read its lines back by offset (the raw pane). */
struct input {
	char *name;
	FILE *fp;
	struct line_index index;
};

struct loaded {
	struct input *in;
	size_t nin;
	struct session **s;
	size_t n, cap;
	/*
	 * The client (DART) sessions, read first and kept whole; avail[i] is
	 * clients[i] until a device session takes it, and joined[k] (of
	 * s[k]) is 1 + the client it took, or 0.
	 */
	struct session **clients, **avail;
	size_t nclients;
	size_t *joined;
};

static uint32_t
raw_lines(void *ctx, const char *input, uint32_t first, uint32_t last, uint32_t max, line_fn fn,
	  void *fn_ctx)
{
	struct loaded *l = ctx;
	size_t i;

	for (i = 0; input && i < l->nin; i++)
		if (!strcmp(l->in[i].name, input))
			return line_index_read(&l->in[i].index, first, last, max, fn, fn_ctx);
	return 0;
}

/*
 * Reading the inputs a step at a time, so that the browser shows what is
 * read so far and stays responsive on a large log.
 */
struct loader {
	const struct grammar *g;
	struct recon *r;
	char **paths;
	size_t npaths, next;    /* the input to open next */
	struct recon_input *ri; /* the input being read, or NULL */
	struct loaded *l;       /* where its sessions go */
	struct input *in;
	bool *client;   /* of each path: a client log, read first */
	bool holding;   /* the input being read is one */
	bool leftovers; /* the clients no device session took are listed */
	size_t before;  /* sessions before this input */
	uint64_t lines; /* read so far, for the status line */
	bool failed;
	char progress[256];
};

/* Opens the next input that can be read; false when there is none. */
static bool
open_next(struct loader *ld, struct loaded *l)
{
	while (ld->next < ld->npaths) {
		const char *path = ld->paths[ld->next++];
		struct err err = { 0 };
		FILE *fp;

		if (!strcmp(path, "-")) {
			fprintf(stderr, "ikescope: tui: reads files, not standard input (its lines "
					"are read back)\n");
			ld->failed = true;
			continue;
		}
		fp = cli_open_input(path, &err);
		if (!fp) {
			char msg[512];

			err_format(&err, msg, sizeof(msg));
			fprintf(stderr, "ikescope: %s\n", msg);
			ld->failed = true;
			continue;
		}
		l->in = xreallocarray(l->in, l->nin + 1, sizeof(*l->in));
		ld->in = &l->in[l->nin++];
		ld->in->name = xstrdup(path);
		ld->in->fp = fp;
		line_index_init(&ld->in->index, fileno(fp));
		ld->ri = recon_input_open(ld->r, ld->g, fp, ld->in->name, NULL);
		ld->before = l->n;
		ld->holding = ld->client && ld->client[ld->next - 1];
		return true;
	}
	return false;
}

/* Lists a summary of s, with the client it took (1 + its index, or 0). */
static void
list_session(struct loaded *l, const struct session *s, size_t joined)
{
	if (l->n == l->cap) {
		l->cap = l->cap * 2 + 64;
		l->s = xreallocarray(l->s, l->cap, sizeof(*l->s));
		l->joined = xreallocarray(l->joined, l->cap, sizeof(*l->joined));
	}
	l->joined[l->n] = joined;
	l->s[l->n] = session_summary(s);
	l->s[l->n]->number = (unsigned)l->n + 1;
	l->n++;
}

static void
loader_session(void *ctx, struct session *s)
{
	struct loader *ld = ctx;
	struct loaded *l = ld->l;
	size_t best;

	if (ld->holding) {
		/* kept whole: it is joined to a device session, or listed at the end */
		s->input = ld->in->name;
		l->clients = xreallocarray(l->clients, l->nclients + 1, sizeof(*l->clients));
		l->avail = xreallocarray(l->avail, l->nclients + 1, sizeof(*l->avail));
		l->clients[l->nclients] = l->avail[l->nclients] = s;
		l->nclients++;
		return;
	}
	/* a summary is kept; the whole session is rebuilt when it is opened */
	best = recon_client_best(s, l->avail, l->nclients);
	if (best < l->nclients) {
		recon_join_client(s, l->avail[best]);
		l->avail[best] = NULL;
	}
	s->number = (unsigned)l->n + 1;
	list_session(l, s, best < l->nclients ? best + 1 : 0);
	session_destroy(s);
}

/* Lists the client sessions no device session took, once every input is read. */
static void
list_leftovers(struct loader *ld, struct loaded *l)
{
	size_t i;

	if (ld->leftovers)
		return;
	ld->leftovers = true;
	for (i = 0; i < l->nclients; i++)
		if (l->avail[i]) {
			l->avail[i]->number = (unsigned)l->n + 1;
			list_session(l, l->avail[i], 0);
			l->avail[i] = NULL;
		}
}

static void
loader_line(void *ctx, const struct lex_record *rec)
{
	struct loader *ld = ctx;

	line_index_note(&ld->in->index, rec->first_line, rec->offset);
}

/* Reads up to max records; true once every input is read. */
static bool
load_step(struct loader *ld, struct loaded *l, size_t max)
{
	struct recon_reader rd = { .session = loader_session, .line = loader_line, .ctx = ld };
	struct err err = { 0 };
	size_t k;

	ld->l = l;
	if (!ld->ri && !open_next(ld, l)) {
		list_leftovers(ld, l);
		ld->progress[0] = '\0';
		return true;
	}
	if (recon_input_step(ld->ri, max, &rd, &err)) {
		ld->lines = recon_input_line(ld->ri);
	} else {
		ld->lines = recon_input_line(ld->ri);
		if (err_is_set(&err)) {
			char msg[512];

			err_format(&err, msg, sizeof(msg));
			fprintf(stderr, "ikescope: %s\n", msg);
			ld->failed = true;
		}
		recon_input_close(ld->ri);
		ld->ri = NULL;
		/* the reconstructor lends an input's name only until the next input */
		for (k = ld->before; k < l->n; k++)
			l->s[k]->input = ld->in->name;
	}
	snprintf(ld->progress, sizeof(ld->progress), "reading %s: line %llu, %zu sessions so far",
		 ld->in ? ld->in->name : "", (unsigned long long)ld->lines, l->n);
	return false;
}

static void
loaded_free(struct loaded *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		session_destroy(l->s[i]);
	free(l->s);
	free(l->joined);
	for (i = 0; i < l->nclients; i++)
		session_destroy(l->clients[i]);
	free(l->clients);
	free(l->avail);
	for (i = 0; i < l->nin; i++) {
		line_index_free(&l->in[i].index);
		fclose(l->in[i].fp);
		free(l->in[i].name);
	}
	free(l->in);
}

/* ---- a session rebuilt from its lines ---- */

struct rebuild_ctx {
	const struct grammar *g;
	struct loaded *l;
};

static void
collect_line(void *ctx, uint32_t line, const char *p, size_t n, bool cut)
{
	struct strbuf *out = ctx;

	(void)line;
	(void)cut;
	sb_add(out, p, n);
	sb_addc(out, '\n');
}

/* Of the sessions a rebuild hands out, the one that begins where the summary's did. */
struct rebuilt {
	const struct session *sum;
	struct session *best;
};

static void
rebuilt_session(void *ctx, struct session *s)
{
	struct rebuilt *rb = ctx;
	const struct session *sum = rb->sum;
	bool same = s->first_line == sum->first_line &&
		    (!sum->has_spi_i || (s->has_spi_i && s->spi_i == sum->spi_i));

	if (!rb->best && same)
		rb->best = s;
	else
		session_destroy(s);
}

/*
 * The whole session behind a summary: its lines read again and
 * reconstructed alone (numbered as in the file); of what comes out, the
 * session that begins where the summary's did, with its initiator SPI.
 */
static struct session *
rebuild(void *ctx, const struct session *sum)
{
	struct rebuild_ctx *rc = ctx;
	struct lex_options opt = { 0 };
	struct rebuilt rb = { sum, NULL };
	struct recon_reader rd = { .session = rebuilt_session, .ctx = &rb };
	struct input *in = NULL;
	struct recon_input *ri;
	struct strbuf text;
	struct recon *r;
	struct err err = { 0 };
	FILE *fp;
	size_t i;

	for (i = 0; i < rc->l->nin && !in; i++)
		if (sum->input && !strcmp(rc->l->in[i].name, sum->input))
			in = &rc->l->in[i];
	if (!in || !sum->first_line)
		return NULL;
	sb_init(&text);
	line_index_read(&in->index, sum->first_line, sum->last_line,
			sum->last_line - sum->first_line + 1, collect_line, &text);
	fp = fmemopen(text.buf ? text.buf : (char *)"", text.len, "rb");
	if (!fp) {
		sb_finish(&text);
		return NULL;
	}
	opt.first_line = sum->first_line;
	r = recon_create(rc->g);
	ri = recon_input_open(r, rc->g, fp, in->name, &opt);
	while (recon_input_step(ri, SIZE_MAX, &rd, &err))
		;
	recon_input_close(ri);
	fclose(fp);
	sb_finish(&text);
	if (rb.best) {
		size_t k = sum->number ? sum->number - 1 : rc->l->n;

		rb.best->number = sum->number;
		rb.best->input = sum->input; /* r lends its name only while it lives */
		/* the client session it was joined to when the log was read */
		if (k < rc->l->n && rc->l->s[k] == sum && rc->l->joined[k])
			recon_join_client(rb.best, rc->l->clients[rc->l->joined[k] - 1]);
	}
	recon_destroy(r);
	return rb.best;
}

/* ---- a key script, without a terminal ---- */

static void
dump(struct tui *t, int rows, int cols)
{
	struct tui_line *lines = xcalloc((size_t)rows, sizeof(*lines));
	struct strbuf out;

	tui_frame(t, rows, cols, lines);
	sb_init(&out);
	tui_frame_text(lines, rows, &out);
	fwrite(out.buf, 1, out.len, stdout);
	sb_finish(&out);
	tui_frame_free(lines, rows);
	free(lines);
}

/* Runs the keys of script; each "<dump>" prints the screen, and so does the end. */
static void
run_script(struct tui *t, const char *script, int rows, int cols)
{
	const char *p = script;
	bool dumped_last = false;

	while (*p) {
		int key;

		if (!strncmp(p, "<dump>", 6)) {
			p += 6;
			dump(t, rows, cols);
			printf("%.*s\n", cols,
			       "----------------------------------------------------------------"
			       "----------------------------------------------------------------"
			       "----------------------------------------------------------------");
			dumped_last = true;
			continue;
		}
		if (!strncmp(p, "<resize ", 8)) {
			int c = 0, r = 0;

			if (sscanf(p + 8, "%dx%d>", &c, &r) == 2 && c > 0 && r > 0) {
				cols = c;
				rows = r;
			}
			p = strchr(p, '>') ? strchr(p, '>') + 1 : p + strlen(p);
			dumped_last = false;
			continue;
		}
		key = tui_script_key(&p);
		if (key < 0)
			break;
		dumped_last = false;
		if (!tui_key(t, key))
			return; /* quit: nothing more to show */
	}
	if (!dumped_last)
		dump(t, rows, cols);
}

/* ---- the terminal ---- */

struct terminal_load {
	struct loader *ld;
	struct loaded *l;
};

static bool
terminal_load(void *ctx, struct tui *t)
{
	struct terminal_load *tl = ctx;
	bool loading = !load_step(tl->ld, tl->l, 20000);

	tui_set_sessions(t, tl->l->s, tl->l->n, loading ? tl->ld->progress : NULL);
	return loading;
}

int
cmd_tui(const struct cli *cli, int argc, char **argv, struct err *err)
{
	static const struct option longopts[] = {
		{ "keys", required_argument, NULL, 'k' },
		{ "size", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *keys = getenv("IKESCOPE_TUI_KEYS");
	struct render_opts ro;
	struct loaded l;
	struct grammar *g;
	struct recon *r;
	struct tui *t;
	struct loader ld;
	struct rebuild_ctx rb;
	int c, cols = 80, rows = 24, rc = CLI_EXIT_OK;
	bool failed = false;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (c) {
		case 'k':
			keys = optarg;
			break;
		case 's':
			if (sscanf(optarg, "%dx%d", &cols, &rows) != 2 || cols < 20 || rows < 3 ||
			    cols > 1000 || rows > 1000) {
				err_set(err, ERR_USAGE, NULL,
					"tui: --size takes COLSxROWS (at least 20x3), not '%s'",
					optarg);
				return CLI_EXIT_TROUBLE;
			}
			break;
		default:
			err_set(err, ERR_USAGE, NULL, "tui: unknown option '%s'", argv[optind - 1]);
			return CLI_EXIT_TROUBLE;
		}
	}
	if (optind >= argc) {
		err_set(err, ERR_USAGE, NULL, "tui: no input files");
		return CLI_EXIT_TROUBLE;
	}
	cli_expand_inputs(&argc, &argv, optind);
	if (!keys && (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO))) {
		err_set(err, ERR_USAGE, NULL,
			"tui: standard input and output must be a terminal (--keys SCRIPT runs "
			"without one)");
		return CLI_EXIT_TROUBLE;
	}
	g = cli_load_grammar(cli, err);
	if (!g)
		return CLI_EXIT_TROUBLE;
	memset(&l, 0, sizeof(l));
	r = recon_create(g);
	memset(&ld, 0, sizeof(ld));
	ld.g = g;
	ld.r = r;
	ld.npaths = (size_t)(argc - optind);
	/* with several inputs the client logs are read first, to join their sessions */
	ld.paths = xcalloc(ld.npaths, sizeof(*ld.paths));
	ld.client = xcalloc(ld.npaths, sizeof(*ld.client));
	{
		size_t k = 0, pass, i;
		bool *is = xcalloc(ld.npaths, sizeof(*is));

		for (i = 0; ld.npaths > 1 && i < ld.npaths; i++)
			is[i] = cli_client_log(g, argv[optind + (int)i]);
		for (pass = 0; pass < 2; pass++)
			for (i = 0; i < ld.npaths; i++)
				if (is[i] == (pass == 0)) {
					ld.client[k] = is[i];
					ld.paths[k++] = argv[optind + (int)i];
				}
		free(is);
	}
	if (keys) /* a script sees the whole input, as a test wants */
		while (!load_step(&ld, &l, SIZE_MAX))
			;
	/* the sessions borrow their input names from r: it lives as long as they do */
	memset(&ro, 0, sizeof(ro));
	ro.show_secrets = cli->show_secrets;
	ro.grammar = g;
	ro.show_input = argc - optind > 1;
	t = tui_create(l.s, l.n, &ro, raw_lines, &l);
	rb.g = g;
	rb.l = &l;
	tui_set_rebuild(t, rebuild, &rb);
	if (keys)
		run_script(t, keys, rows, cols);
	else if (!tui_run_terminal(t, terminal_load, &(struct terminal_load){ &ld, &l }))
		rc = CLI_EXIT_TROUBLE;
	failed = ld.failed;
	recon_input_close(ld.ri);
	tui_destroy(t);
	loaded_free(&l);
	free(ld.paths);
	free(ld.client);
	recon_destroy(r);
	grammar_destroy(g);
	return failed ? CLI_EXIT_TROUBLE : rc;
}
