/* ikescope: argument parsing, dispatch, error printing and exit status. */
#include "cli-private.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ikescope/grammar.h"
#include "ikescope/util/arena.h"
#include "ikescope/xml.h"
#include "ikescope/util/compiler.h"
#include "ikescope/util/xalloc.h"
#include "ikescope/version.h"

struct cmd {
	const char *name;
	int (*fn)(const struct cli *cli, int argc, char **argv, struct err *err);
	const char *args;
	const char *summary;
};

static const struct cmd cmds[] = {
	{ "diff", cmd_diff, "[--strict] [--json] [--ends] A B",
	  "what differs between two sessions (each FILE or FILE:SEL), or both ends" },
	{ "grammar", cmd_grammar,
	  "check [PATH...] | families | fields | kinds | classes | dialects",
	  "validate grammar files, list record families, fields, kinds, classes, dialects" },
	{ "lex", cmd_lex, "[--all] [--json] FILE...",
	  "print the records of logs and their families" },
	{ "redact", cmd_redact, "[--ips] [--names] [-o PATH] [--map FILE] FILE...",
	  "a copy of logs fit to share: secrets, keys, users (names, addresses)" },
	{ "sessions", cmd_sessions, "[--color=WHEN] [--json] FILE...",
	  "one row per reconstructed IKEv2 session" },
	{ "timeline", cmd_timeline, "[-v] [--raw] [--explain] [--color=WHEN] [--json] FILE...",
	  "every session as an annotated ladder (the default command)" },
	{ "tui", cmd_tui, "[--keys SCRIPT] [--size COLSxROWS] FILE...",
	  "browse sessions, ladders, findings and raw lines (curses)" },
	{ "verify", cmd_verify, "[--list] [--fail-on=LEVEL] [--json] FILE...",
	  "what the reference responder finds wrong in each session" },
};

static void
usage(FILE *fp)
{
	size_t i;

	fprintf(fp,
		"usage: ikescope [-hVv] [--json | --compact | --jsonl] [--raw] [--show-secrets]\n"
		"                [--stats] [--color=WHEN] [--config FILE] [--profile FILE]\n"
		"                [--grammars DIR] [--dialect NAME]\n"
		"                [COMMAND [ARGS]] FILE...\n\n"
		"commands:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(fp, "  %-8s %s\n           %s\n", cmds[i].name, cmds[i].args,
			cmds[i].summary);
	fprintf(fp,
		"\noptions:\n"
		"      --color=WHEN    colour the output: auto (the default), always, never\n"
		"      --compact       JSON as --json writes it, without indentation\n"
		"      --config FILE   check the sessions against this ASA running config\n"
		"      --dialect NAME  read every input as NAME (asa, ios, dart, show,\n"
		"                      strongswan, libreswan, fortigate), not as its first\n"
		"                      lines show\n"
		"      --grammars DIR  load grammar files from DIR instead of the built-in ones\n"
		"  -h, --help          show this help and exit\n"
		"      --json          JSON (lex: JSON Lines; sessions, timeline: one document)\n"
		"      --jsonl         JSON Lines: one session object per line, written as\n"
		"                      each session ends (earlier ones still open or not)\n"
		"      --profile FILE  check this AnyConnect client profile (against --config\n"
		"                      when given)\n"
		"      --raw           timeline: the original lines under each message and\n"
		"                      client event\n"
		"      --show-secrets  do not mask passwords, keys and tokens in the output\n"
		"      --stats         report lines, records, noise and unrecognized lines\n"
		"                      on standard error\n"
		"  -v, --verbose       timeline: every payload field\n"
		"  -V, --version       show the version and exit\n"
		"\nWithout a command, the FILEs are shown as a timeline. FILE may be - for\n"
		"standard input, or a directory (the files under it); with no FILE, a pipe\n"
		"or a file on standard input is read. See ikescope(1).\n"
		"exit status: 0 done (every session up), 1 findings or a session that failed,\n"
		"2 trouble\n");
}

void
cli_print_diags(const struct strbuf *diags)
{
	const char *p = diags->buf;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		fprintf(stderr, "ikescope: %.*s\n", (int)n, p);
		p += n + (nl ? 1 : 0);
	}
}

static struct grammar *
load_grammar(const struct cli *cli, struct err *err, bool say)
{
	struct strbuf diags;
	struct grammar *g;

	sb_init(&diags);
	if (cli->grammars)
		g = grammar_create_dir(cli->grammars, &diags, err);
	else
		g = grammar_create_builtin(&diags, err);
	if (say)
		cli_print_diags(&diags);
	sb_finish(&diags);
	if (g && cli->dialect)
		grammar_restrict_dialect(g,
					 gram_dialect_lookup(cli->dialect, strlen(cli->dialect)));
	return g;
}

/* IKESCOPE_SHAPES=off: the check that shapes change no answer (before any grammar is loaded) */
static void
shapes_from_env(void)
{
	if (getenv("IKESCOPE_SHAPES") && !strcmp(getenv("IKESCOPE_SHAPES"), "off"))
		grammar_use_shapes(false);
}

struct grammar *
cli_load_grammar(const struct cli *cli, struct err *err)
{
	shapes_from_env();
	return load_grammar(cli, err, true);
}

struct second_grammar {
	const struct cli *cli;
	struct grammar *g;
};

static void *
load_second(void *arg)
{
	struct second_grammar *sg = arg;
	struct err err = { 0 };

	sg->g = load_grammar(sg->cli, &err, false);
	arena_release_cache(); /* this thread's own */
	return NULL;
}

struct grammar *
cli_load_grammars(const struct cli *cli, bool second, struct grammar **g2, struct err *err)
{
	struct second_grammar sg = { cli, NULL };
	struct grammar *g;
	pthread_t t;
	bool started = false;

	shapes_from_env();
	*g2 = NULL;
	/* the two at once: loading one (its patterns compiled) takes a few milliseconds */
	if (second)
		started = pthread_create(&t, NULL, load_second, &sg) == 0;
	g = load_grammar(cli, err, true);
	if (started)
		pthread_join(t, NULL);
	else if (second && g)
		load_second(&sg);
	if (!g && sg.g) {
		grammar_destroy(sg.g);
		sg.g = NULL;
	}
	*g2 = sg.g;
	return g;
}

/* Prints the error if any and maps the result to the exit status. */
static int
finish(int rc, const struct err *err)
{
	if (err_is_set(err)) {
		char msg[512];

		err_format(err, msg, sizeof(msg));
		fprintf(stderr, "ikescope: %s\n", msg);
		if (err->code == ERR_USAGE)
			fprintf(stderr, "ikescope: try 'ikescope --help'\n");
		return CLI_EXIT_TROUBLE;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "ikescope: error writing standard output\n");
		return CLI_EXIT_TROUBLE;
	}
	return rc;
}

static void
bad_option(const char *arg)
{
	fprintf(stderr, "ikescope: unknown option or missing argument '%s'\n", arg);
	fprintf(stderr, "ikescope: try 'ikescope --help'\n");
}

enum {
	OPT_COLOR = 256,
	OPT_COMPACT,
	OPT_CONFIG,
	OPT_DIALECT,
	OPT_GRAMMARS,
	OPT_JSON,
	OPT_JSONL,
	OPT_PROFILE,
	OPT_RAW,
	OPT_SHOW_SECRETS,
	OPT_STATS
};

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "color", required_argument, NULL, OPT_COLOR },
		{ "compact", no_argument, NULL, OPT_COMPACT },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "dialect", required_argument, NULL, OPT_DIALECT },
		{ "grammars", required_argument, NULL, OPT_GRAMMARS },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "jsonl", no_argument, NULL, OPT_JSONL },
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "raw", no_argument, NULL, OPT_RAW },
		{ "show-secrets", no_argument, NULL, OPT_SHOW_SECRETS },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli cli = { 0 };
	struct err err = { 0 };
	const struct cmd *cmd = NULL;
	int c, rc;
	size_t i;

	atexit(arena_release_cache);
	atexit(xdoc_forget);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+hvV", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_COLOR:
			cli.color = optarg;
			break;
		case OPT_JSON:
			cli.json = true;
			break;
		case OPT_COMPACT:
			cli.json = cli.json_compact = true;
			break;
		case OPT_JSONL:
			cli.json = cli.json_lines = true;
			break;
		case 'v':
			cli.verbose = true;
			break;
		case OPT_RAW:
			cli.raw = true;
			break;
		case 'h':
			usage(stdout);
			return CLI_EXIT_OK;
		case 'V':
			printf("ikescope %s\n", IKESCOPE_VERSION);
			return CLI_EXIT_OK;
		case OPT_CONFIG:
			cli.config = optarg;
			break;
		case OPT_PROFILE:
			cli.profile = optarg;
			break;
		case OPT_GRAMMARS:
			cli.grammars = optarg;
			break;
		case OPT_DIALECT:
			if (gram_dialect_lookup(optarg, strlen(optarg)) == GRAM_DIALECT_COUNT) {
				fprintf(stderr, "ikescope: unknown dialect '%s' (known:", optarg);
				for (i = 0; i < GRAM_DIALECT_COUNT; i++)
					fprintf(stderr, " %s",
						gram_dialect_name((enum gram_dialect)i));
				fprintf(stderr, "; ikescope grammar dialects describes them)\n");
				return CLI_EXIT_TROUBLE;
			}
			cli.dialect = optarg;
			break;
		case OPT_SHOW_SECRETS:
			cli.show_secrets = true;
			break;
		case OPT_STATS:
			cli.stats = true;
			break;
		default:
			bad_option(argv[optind - 1]);
			return CLI_EXIT_TROUBLE;
		}
	}
	if (optind >= argc && cli_stdin_piped()) {
		/* cat LOG | ikescope: the timeline of standard input */
		char *args[] = { (char *)"timeline", (char *)"-", NULL };

		rc = cmd_timeline(&cli, 2, args, &err);
		return finish(rc, &err);
	}
	if (optind >= argc) {
		usage(stderr);
		return CLI_EXIT_TROUBLE;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(cmds[i].name, argv[optind]))
			cmd = &cmds[i];
	if (!cmd) {
		/* ikescope FILE... is ikescope timeline FILE... */
		if (!strcmp(argv[optind], "-") || access(argv[optind], F_OK) == 0 ||
		    strchr(argv[optind], '/') || strchr(argv[optind], '.')) {
			int n = argc - optind;
			char **args = xcalloc((size_t)n + 2, sizeof(*args));

			args[0] = (char *)"timeline";
			memcpy(args + 1, argv + optind, (size_t)n * sizeof(*args));
			rc = cmd_timeline(&cli, n + 1, args, &err);
			free(args);
			return finish(rc, &err);
		} else {
			fprintf(stderr, "ikescope: unknown command '%s'; try 'ikescope --help'\n",
				argv[optind]);
			return CLI_EXIT_TROUBLE;
		}
	}
	rc = cmd->fn(&cli, argc - optind, argv + optind, &err);
	return finish(rc, &err);
}
