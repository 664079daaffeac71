/* ikescope timeline / sessions: reconstruct every session and show it. */
#include "cli-private.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ikescope/config.h"
#include "ikescope/grammar.h"
#include "ikescope/lexer.h"
#include "ikescope/reconstruct.h"
#include "ikescope/render.h"
#include "ikescope/verify.h"
#include "ikescope/xml.h"
#include "ikescope/util/escape.h"
#include "ikescope/util/lineindex.h"
#include "ikescope/util/strbuf.h"
#include "ikescope/util/xalloc.h"

enum view { VIEW_TIMELINE, VIEW_SESSIONS, VIEW_VERIFY };

struct run {
	const struct cli *cli;
	enum view view;
	bool json;
	struct render_opts ro;
	struct strbuf out;
	unsigned sessions, failed;
	bool header_done;
	/* verify: findings per severity, and the sessions that have one */
	unsigned findings[MODEL_SEVERITY_ERROR + 1], with_findings;
	enum model_severity fail_on;
	const struct config *config; /* --config, or NULL */
	const struct grammar *g;
	/* client sessions (DART inputs read first), waiting to be joined */
	bool hold;
	struct recon_clients clients;
	bool piped; /* the lexer on a thread of its own (cli_pipe_wanted) */
	enum recon_pipe_match side;
	struct line_index index; /* --raw: of the input being read */
	const char *input;       /* its name */
	/* --raw: client logs read first, kept open for the sessions joined later */
	struct kept_input {
		char *name;
		FILE *fp;
		struct line_index index;
	} * kept;
	size_t nkept;
	struct totals_s {
		uint64_t lines, records, noise, unrecognized;
	} tot;
};

/* --raw: the original lines, read again by offset from the input they came from. */
static uint32_t
raw_lines(void *ctx, const char *input, uint32_t first, uint32_t last, uint32_t max, line_fn fn,
	  void *fn_ctx)
{
	struct run *run = ctx;
	size_t i;

	if (!input || (run->input && !strcmp(input, run->input)))
		return line_index_read(&run->index, first, last, max, fn, fn_ctx);
	for (i = 0; i < run->nkept; i++)
		if (!strcmp(input, run->kept[i].name))
			return line_index_read(&run->kept[i].index, first, last, max, fn, fn_ctx);
	return 0;
}

static void
emit(struct run *run, struct session *s)
{
	size_t i;

	if (run->hold) {
		recon_clients_hold(&run->clients, s);
		return;
	}
	recon_clients_join(&run->clients, s);
	s->number = run->sessions + 1;
	if (run->config)
		verify_with_config(s, run->config);
	sb_reset(&run->out);
	if (run->json) {
		render_json_session(&run->out, s, run->sessions == 0, &run->ro);
	} else if (run->view == VIEW_SESSIONS) {
		if (!run->header_done)
			render_sessions_header(&run->out, &run->ro);
		run->header_done = true;
		render_sessions_row(&run->out, s, &run->ro);
	} else if (run->view == VIEW_VERIFY) {
		render_verify_session(&run->out, s, &run->ro);
	} else {
		render_timeline(&run->out, s, &run->ro);
	}
	if (run->out.len)
		fwrite(run->out.buf, 1, run->out.len, stdout);
	/* JSON Lines feed a pipeline: each session as soon as it ends */
	if (run->ro.json_lines)
		fflush(stdout);
	run->sessions++;
	for (i = 0; i < s->nfindings; i++)
		run->findings[s->findings[i].severity]++;
	run->with_findings += s->nfindings > 0;
	if (s->outcome == MODEL_OUTCOME_FAILED || s->outcome == MODEL_OUTCOME_INCOMPLETE)
		run->failed++;
	session_destroy(s);
}

/* A client profile larger than this is not a profile. */
#define PROFILE_MAX_BYTES (16u << 20)
#define PROFILE_MAX_HOSTS 1024

/*
 * --profile: reads and checks an AnyConnect client profile; its findings go
 * to a session that stands for the file. NULL with err set if unreadable.
 */
static struct session *
load_profile(const char *path, const struct config *config, struct err *err)
{
	struct xprofile_host *hosts;
	struct session *report;
	struct strbuf doc;
	char buf[65536];
	size_t n, count;
	bool well_formed;
	long error_line;
	FILE *fp;

	fp = cli_open_input(path, err);
	if (!fp)
		return NULL;
	sb_init(&doc);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		if (doc.len + n > PROFILE_MAX_BYTES) {
			err_set(err, ERR_INPUT, &(struct loc){ path, 0, 0 },
				"--profile: larger than %u MiB: not an AnyConnect profile",
				PROFILE_MAX_BYTES >> 20);
			sb_finish(&doc);
			if (fp != stdin)
				fclose(fp);
			return NULL;
		}
		sb_add(&doc, buf, n);
	}
	if (ferror(fp)) {
		err_set(err, ERR_IO, &(struct loc){ path, 0, 0 }, "--profile: cannot read: %s",
			strerror(errno));
		sb_finish(&doc);
		if (fp != stdin)
			fclose(fp);
		return NULL;
	}
	if (fp != stdin)
		fclose(fp);
	hosts = xcalloc(PROFILE_MAX_HOSTS, sizeof(*hosts));
	count = xprofile_parse(doc.buf ? doc.buf : "", doc.len, hosts, PROFILE_MAX_HOSTS,
			       &well_formed, &error_line);
	report = session_create(path, 0);
	verify_profile(report, path, well_formed, error_line, hosts,
		       count < PROFILE_MAX_HOSTS ? count : PROFILE_MAX_HOSTS, config);
	free(hosts);
	sb_finish(&doc);
	return report;
}

/* The profile's findings, before the sessions (text views). */
static void
show_profile(struct run *run, const struct session *p)
{
	sb_reset(&run->out);
	sb_adds(&run->out, "profile ");
	escape_append(&run->out, p->input, strlen(p->input));
	sb_addf(&run->out, "  %zu finding%s\n", p->nfindings, p->nfindings == 1 ? "" : "s");
	render_findings(&run->out, p, &run->ro);
	if (run->view != VIEW_VERIFY)
		sb_addc(&run->out, '\n');
	if (run->out.len)
		fwrite(run->out.buf, 1, run->out.len, stdout);
}

static void
session_cb(void *ctx, struct session *s)
{
	emit(ctx, s);
}

static void
line_cb(void *ctx, const struct lex_record *rec)
{
	struct run *run = ctx;

	line_index_note(&run->index, rec->first_line, rec->offset);
}

/* Lexes, recognizes and reconstructs one input. */
static bool
one_input(struct run *run, const struct grammar *g, struct recon *r, const char *path,
	  struct err *err)
{
	const char *name = strcmp(path, "-") ? path : "(stdin)";
	struct recon_reader rd = { .session = session_cb, .ctx = run };
	struct recon_input *ri;
	const struct lex_stats *ls;
	struct strbuf why;
	FILE *fp, *in;
	bool ok = true;

	fp = cli_open_input(path, err);
	if (!fp)
		return false;
	in = fp;
	if (run->ro.raw) {
		in = cli_seekable(fp, name, err);
		if (!in) {
			if (fp != stdin)
				fclose(fp);
			return false;
		}
		line_index_init(&run->index, fileno(in));
		run->input = name;
		rd.line = line_cb;
	}
	ri = recon_input_open(r, g, in, name, NULL);
	if (run->piped)
		recon_input_run_piped(ri, run->side, &rd, err);
	else
		while (recon_input_step(ri, SIZE_MAX, &rd, err))
			;
	if (err_is_set(err))
		ok = false;
	fflush(stdout);
	ls = recon_input_lex_stats(ri);
	cli_report_input(name, in, ls);
	sb_init(&why);
	if (ok && recon_input_silence(r, name, &why))
		fprintf(stderr, "ikescope: %s\n", why.buf);
	sb_finish(&why);
	if (run->cli->stats) {
		fflush(stdout);
		fprintf(stderr,
			"input: %s\n  lines: %llu, records: %llu, noise: %llu, unrecognized: "
			"%llu\n",
			name, (unsigned long long)ls->lines,
			(unsigned long long)recon_input_records(ri),
			(unsigned long long)ls->noise_lines,
			(unsigned long long)recon_input_unrecognized(ri));
		{
			struct strbuf d;

			sb_init(&d);
			cli_dialect_line(&d, g, recon_dialect(r));
			fputs(d.buf, stderr);
			sb_finish(&d);
		}
	}
	run->tot.lines += ls->lines;
	run->tot.records += recon_input_records(ri);
	run->tot.noise += ls->noise_lines;
	run->tot.unrecognized += recon_input_unrecognized(ri);
	recon_input_close(ri);
	run->input = NULL;
	if (run->ro.raw && run->hold) {
		/* its sessions wait to be joined: keep the lines reachable */
		struct kept_input *k;

		run->kept = xreallocarray(run->kept, run->nkept + 1, sizeof(*run->kept));
		k = &run->kept[run->nkept++];
		k->name = xstrdup(name);
		k->fp = in;
		k->index = run->index;
		if (in != fp && fp != stdin)
			fclose(fp);
		return ok;
	}
	if (run->ro.raw)
		line_index_free(&run->index);
	if (in != fp)
		fclose(in);
	if (fp != stdin)
		fclose(fp);
	return ok;
}

static bool
want_color(const char *when, bool *out)
{
	if (!strcmp(when, "always")) {
		*out = true;
	} else if (!strcmp(when, "never")) {
		*out = false;
	} else if (!strcmp(when, "auto")) {
		const char *nc = getenv("NO_COLOR");
		const char *term = getenv("TERM");

		*out = isatty(STDOUT_FILENO) && !(nc && *nc) && !(term && !strcmp(term, "dumb"));
	} else {
		return false;
	}
	return true;
}

/* ikescope verify --list: the registry of findings. */
static void
list_findings(void)
{
	int f;

	printf("%-22s %-5s %-16s %s\n", "ID", "LEVEL", "REFERENCE", "SUMMARY");
	for (f = 0; f < VERIFY_FINDING_COUNT; f++) {
		const struct verify_info *v = verify_info((enum verify_finding)f);

		printf("%-22s %-5s %-16s %s\n", v->id, model_severity_name(v->severity),
		       v->reference, v->summary);
	}
}

static int
run_view(const struct cli *cli, enum view view, int argc, char **argv, struct err *err)
{
	static const struct option longopts[] = {
		{ "color", required_argument, NULL, 'c' },   { "json", no_argument, NULL, 'j' },
		{ "raw", no_argument, NULL, 'r' },           { "verbose", no_argument, NULL, 'v' },
		{ "list", no_argument, NULL, 'l' },          { "explain", no_argument, NULL, 'e' },
		{ "fail-on", required_argument, NULL, 'f' }, { NULL, 0, NULL, 0 },
	};
	const char *cmd = view == VIEW_SESSIONS ? "sessions"
			  : view == VIEW_VERIFY ? "verify"
						: "timeline";
	struct run run;
	struct config config;
	struct session *profile = NULL;
	struct grammar *g, *g2 = NULL;
	struct recon *r;
	bool failed_input = false, raw = cli->raw, explain = false, *client;
	int c, i, pass;
	size_t k;

	memset(&run, 0, sizeof(run));
	run.fail_on = MODEL_SEVERITY_ERROR;
	run.cli = cli;
	run.view = view;
	run.ro.show_secrets = cli->show_secrets;
	run.ro.json_compact = cli->json_compact;
	run.ro.json_lines = cli->json_lines;
	run.json = cli->json;
	run.ro.verbose = cli->verbose;
	if (!want_color(cli->color ? cli->color : "auto", &run.ro.color)) {
		err_set(err, ERR_USAGE, NULL, "--color takes auto, always or never, not '%s'",
			cli->color);
		return CLI_EXIT_TROUBLE;
	}
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+jvr", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (!want_color(optarg, &run.ro.color)) {
				err_set(err, ERR_USAGE, NULL,
					"%s: --color takes auto, always or never, not '%s'", cmd,
					optarg);
				return CLI_EXIT_TROUBLE;
			}
			break;
		case 'j':
			run.json = true;
			break;
		case 'v':
			run.ro.verbose = true;
			break;
		case 'r':
			raw = true;
			break;
		case 'e':
			if (view != VIEW_TIMELINE) {
				err_set(err, ERR_USAGE, NULL, "%s: unknown option '%s'", cmd,
					argv[optind - 1]);
				return CLI_EXIT_TROUBLE;
			}
			explain = true;
			break;
		case 'l':
		case 'f':
			if (view != VIEW_VERIFY) {
				err_set(err, ERR_USAGE, NULL, "%s: unknown option '%s'", cmd,
					argv[optind - 1]);
				return CLI_EXIT_TROUBLE;
			}
			if (c == 'l') {
				list_findings();
				return CLI_EXIT_OK;
			}
			if (!model_severity_lookup(optarg, &run.fail_on)) {
				err_set(err, ERR_USAGE, NULL,
					"verify: --fail-on takes info, warn or error, not '%s'",
					optarg);
				return CLI_EXIT_TROUBLE;
			}
			break;
		default:
			err_set(err, ERR_USAGE, NULL, "%s: unknown option '%s'", cmd,
				argv[optind - 1]);
			return CLI_EXIT_TROUBLE;
		}
	}
	if (run.json)
		run.ro.color = false;
	if (raw && view == VIEW_TIMELINE && !run.json) {
		run.ro.raw = raw_lines;
		run.ro.raw_ctx = &run;
	} else if (raw) {
		err_set(err, ERR_USAGE, NULL, "--raw goes with the timeline, not %s",
			run.json ? "--json" : cmd);
		return CLI_EXIT_TROUBLE;
	}
	if (!cli_default_stdin(&argc, &argv, optind)) {
		err_set(err, ERR_USAGE, NULL, "%s: no input files (use - for standard input)", cmd);
		return CLI_EXIT_TROUBLE;
	}
	cli_expand_inputs(&argc, &argv, optind);
	if (explain && !cli->config) {
		err_set(err, ERR_USAGE, NULL, "timeline: --explain needs --config FILE");
		return CLI_EXIT_TROUBLE;
	}
	if (cli->config) {
		if (!config_load(cli->config, &config, err))
			return CLI_EXIT_TROUBLE;
		run.config = &config;
		if (explain && !run.json)
			run.ro.explain = &config;
		/* what could not be read, line by line; never fatal */
		if (config.problems.len) {
			const char *p = config.problems.buf, *nl;

			for (; (nl = strchr(p, '\n')); p = nl + 1)
				fprintf(stderr, "ikescope: %.*s\n", (int)(nl - p), p);
		}
		if (cli->stats)
			fprintf(stderr,
				"config: %s: %zu lines, %zu policies, %zu ipsec-proposals, %zu "
				"tunnel groups, %zu pools; %zu commands not about IKEv2, %zu "
				"problems\n",
				config.name, config.lines, config.npolicies, config.nproposals,
				config.ngroups, config.npools, config.unknown, config.nproblems);
	}
	if (cli->profile) {
		profile = load_profile(cli->profile, run.config, err);
		if (!profile) {
			if (run.config)
				config_free(&config);
			return CLI_EXIT_TROUBLE;
		}
	}
	/* a large input: the lexer and its grammar on a thread, the rest with a grammar of its own */
	run.piped = cli_pipe_wanted((const char *const *)argv + optind, (size_t)(argc - optind),
				    &run.side);
	g = cli_load_grammars(cli, run.piped, &g2, err);
	if (!g) {
		if (run.config)
			config_free(&config);
		if (profile)
			session_destroy(profile);
		return CLI_EXIT_TROUBLE;
	}
	run.piped = g2 != NULL;
	/* the reconstructor's grammar matches only records the lexer's gave no answer for */
	if (g2)
		grammar_small_memo(g2, 8);
	run.g = g2 ? g2 : g;
	run.ro.grammar = run.g;
	run.ro.show_input = argc - optind > 1;
	r = recon_create(run.g);
	/* a feed: each session as soon as it ends */
	if (run.ro.json_lines)
		recon_hand_out_as_ended(r);
	sb_init(&run.out);
	if (run.json) {
		render_json_begin(&run.out, (const char *const *)argv + optind,
				  (size_t)(argc - optind), &run.ro);
		if (run.out.len)
			fwrite(run.out.buf, 1, run.out.len, stdout);
	} else if (profile) {
		show_profile(&run, profile);
	}
	if (profile) {
		size_t f;

		for (f = 0; f < profile->nfindings; f++)
			run.findings[profile->findings[f].severity]++;
	}
	/* with several inputs, client logs first: their sessions wait to be joined */
	client = xcalloc((size_t)argc, sizeof(*client));
	if (argc - optind > 1)
		for (i = optind; i < argc; i++)
			client[i] = cli_client_log(g, argv[i]);
	for (pass = 0; pass < 2; pass++) {
		run.hold = pass == 0;
		for (i = optind; i < argc; i++) {
			struct err one = { 0 };

			if (client[i] != (pass == 0))
				continue;
			if (!one_input(&run, g, r, argv[i], &one)) {
				char msg[512];

				fflush(stdout);
				err_format(&one, msg, sizeof(msg));
				fprintf(stderr, "ikescope: %s\n", msg);
				failed_input = true;
			}
		}
	}
	/* client sessions no device session took */
	{
		struct session *left;

		while ((left = recon_clients_next(&run.clients)))
			emit(&run, left);
		recon_clients_free(&run.clients);
	}
	free(client);
	for (k = 0; k < run.nkept; k++) {
		line_index_free(&run.kept[k].index);
		if (run.kept[k].fp != stdin)
			fclose(run.kept[k].fp);
		free(run.kept[k].name);
	}
	free(run.kept);
	if (run.json) {
		sb_reset(&run.out);
		render_json_end(&run.out, profile, &run.ro);
		if (run.out.len)
			fwrite(run.out.buf, 1, run.out.len, stdout);
	} else if (view == VIEW_VERIFY) {
		unsigned total = run.findings[MODEL_SEVERITY_INFO] +
				 run.findings[MODEL_SEVERITY_WARN] +
				 run.findings[MODEL_SEVERITY_ERROR];

		printf("%s%u finding%s (%u error, %u warn, %u info) in %u of %u session%s%s\n",
		       total ? "\n" : "", total, total == 1 ? "" : "s",
		       run.findings[MODEL_SEVERITY_ERROR], run.findings[MODEL_SEVERITY_WARN],
		       run.findings[MODEL_SEVERITY_INFO], run.with_findings, run.sessions,
		       run.sessions == 1 ? "" : "s",
		       profile && profile->nfindings ? " and the profile" : "");
	}
	if (cli->stats) {
		fflush(stdout);
		fprintf(stderr, "lines: %llu, records: %llu, noise: %llu, unrecognized: %llu\n",
			(unsigned long long)run.tot.lines, (unsigned long long)run.tot.records,
			(unsigned long long)run.tot.noise,
			(unsigned long long)run.tot.unrecognized);
	}
	sb_finish(&run.out);
	recon_destroy(r);
	grammar_destroy(g);
	grammar_destroy(g2);
	if (run.config)
		config_free(&config);
	if (profile)
		session_destroy(profile);
	if (failed_input)
		return CLI_EXIT_TROUBLE;
	if (view == VIEW_VERIFY) {
		enum model_severity v;

		for (v = run.fail_on; v <= MODEL_SEVERITY_ERROR; v++)
			if (run.findings[v])
				return CLI_EXIT_FINDINGS;
		return CLI_EXIT_OK;
	}
	return run.failed || !run.sessions ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
}

int
cmd_verify(const struct cli *cli, int argc, char **argv, struct err *err)
{
	return run_view(cli, VIEW_VERIFY, argc, argv, err);
}

int
cmd_timeline(const struct cli *cli, int argc, char **argv, struct err *err)
{
	return run_view(cli, VIEW_TIMELINE, argc, argv, err);
}

int
cmd_sessions(const struct cli *cli, int argc, char **argv, struct err *err)
{
	return run_view(cli, VIEW_SESSIONS, argc, argv, err);
}
