/* ikescope redact: a copy of each log fit to share (secrets, key material, names, addresses). */
#include "cli-private.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ikescope/grammar.h"
#include "ikescope/lexer.h"
#include "ikescope/model.h"
#include "ikescope/reconstruct.h"
#include "ikescope/redact.h"
#include "ikescope/util/xalloc.h"

/* A physical line longer than this is handled in pieces of this size. */
#define PIECE (1u << 20)

struct input {
	const char *path, *name;
	FILE *fp; /* seekable */
};

/*
 * Reads the next piece of a physical line: up to its newline (kept out of
 * buf, said in *nl) or PIECE bytes. False at the end.
 */
static bool
next_piece(FILE *fp, struct strbuf *buf, bool *nl)
{
	int c;

	sb_reset(buf);
	*nl = false;
	while ((c = getc_unlocked(fp)) != EOF) {
		if (c == '\n') {
			*nl = true;
			return true;
		}
		sb_addc(buf, (char)c);
		if (buf->len >= PIECE)
			return true;
	}
	return buf->len > 0;
}

static bool
learn(struct redactor *rd, struct input *in, unsigned index, struct err *err)
{
	struct lex_stats stats;
	struct strbuf piece;
	bool nl;

	if (!redact_learn_stream(rd, in->fp, in->name, index, &stats, err))
		return false;
	cli_report_input(in->name, in->fp, &stats);
	if (fseek(in->fp, 0, SEEK_SET) != 0) {
		err_set(err, ERR_IO, &(struct loc){ in->name, 0, 0 }, "%s", strerror(errno));
		return false;
	}
	sb_init(&piece);
	while (next_piece(in->fp, &piece, &nl))
		redact_learn_line(rd, piece.buf, piece.len);
	sb_finish(&piece);
	if (ferror(in->fp)) {
		err_set(err, ERR_IO, &(struct loc){ in->name, 0, 0 }, "%s", strerror(errno));
		return false;
	}
	return true;
}

static bool
write_one(struct redactor *rd, struct input *in, unsigned index, FILE *out, const char *outname,
	  struct err *err)
{
	struct strbuf piece, line;
	uint32_t number = 1;
	bool nl;

	if (fseek(in->fp, 0, SEEK_SET) != 0) {
		err_set(err, ERR_IO, &(struct loc){ in->name, 0, 0 }, "%s", strerror(errno));
		return false;
	}
	redact_begin_input(rd, index);
	sb_init(&piece);
	sb_init(&line);
	while (next_piece(in->fp, &piece, &nl)) {
		sb_reset(&line);
		redact_line(rd, index, number, piece.buf ? piece.buf : "", piece.len, &line);
		if (nl) {
			sb_addc(&line, '\n');
			number++;
		}
		if (line.len && fwrite(line.buf, 1, line.len, out) != line.len)
			break;
	}
	sb_finish(&piece);
	sb_finish(&line);
	if (ferror(in->fp)) {
		err_set(err, ERR_IO, &(struct loc){ in->name, 0, 0 }, "%s", strerror(errno));
		return false;
	}
	if (fflush(out) != 0 || ferror(out)) {
		err_set(err, ERR_IO, &(struct loc){ outname, 0, 0 }, "cannot write: %s",
			strerror(errno));
		return false;
	}
	return true;
}

/* DIR/BASENAME of path, made unique among the n names given before. */
static char *
output_name(const char *dir, const char *path, char **taken, size_t n)
{
	const char *base = strcmp(path, "-") ? strrchr(path, '/') : NULL;
	char *name;
	size_t i, k = 1;

	base = base ? base + 1 : strcmp(path, "-") ? path : "stdin.log";
	for (;;) {
		bool clash = false;

		name = xmalloc(strlen(dir) + strlen(base) + 24);
		if (k == 1)
			sprintf(name, "%s/%s", dir, base);
		else
			sprintf(name, "%s/%zu-%s", dir, k, base);
		for (i = 0; i < n; i++)
			clash = clash || !strcmp(taken[i], name);
		if (!clash)
			return name;
		free(name);
		k++;
	}
}

int
cmd_redact(const struct cli *cli, int argc, char **argv, struct err *err)
{
	static const struct option longopts[] = {
		{ "ips", no_argument, NULL, 'i' },
		{ "names", no_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "map", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	const char *output = NULL, *map = NULL;
	struct input *in = NULL;
	char **outnames = NULL;
	struct redactor *rd = NULL;
	struct grammar *g = NULL;
	unsigned flags = 0;
	size_t nin = 0, i;
	int c, rc = CLI_EXIT_TROUBLE;
	bool outdir = false;
	struct stat st;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			flags |= REDACT_IPS;
			break;
		case 'n':
			flags |= REDACT_NAMES;
			break;
		case 'o':
			output = optarg;
			break;
		case 'm':
			map = optarg;
			break;
		default:
			err_set(err, ERR_USAGE, NULL, "redact: unknown option '%s'",
				argv[optind - 1]);
			return CLI_EXIT_TROUBLE;
		}
	}
	if (!cli_default_stdin(&argc, &argv, optind)) {
		err_set(err, ERR_USAGE, NULL, "redact: no input files (use - for standard input)");
		return CLI_EXIT_TROUBLE;
	}
	cli_expand_inputs(&argc, &argv, optind);
	outdir = output && stat(output, &st) == 0 && S_ISDIR(st.st_mode);
	if (argc - optind > 1 && !outdir) {
		err_set(err, ERR_USAGE, NULL,
			"redact: several inputs are written to a directory: give -o DIR (an "
			"existing directory)");
		return CLI_EXIT_TROUBLE;
	}
	g = cli_load_grammar(cli, err);
	if (!g)
		return CLI_EXIT_TROUBLE;
	rd = redact_create(g, flags);
	in = xcalloc((size_t)(argc - optind), sizeof(*in));
	for (i = 0; i < (size_t)(argc - optind); i++) {
		const char *path = argv[optind + (int)i];
		FILE *fp = cli_open_input_as_is(path, err), *sk;

		if (!fp)
			goto close_inputs;
		in[nin].path = path;
		in[nin].name = strcmp(path, "-") ? path : "(stdin)";
		sk = cli_seekable(fp, in[nin].name, err);
		if (!sk) {
			if (fp != stdin)
				fclose(fp);
			goto close_inputs;
		}
		if (sk != fp && fp != stdin)
			fclose(fp);
		in[nin++].fp = sk;
		if (!learn(rd, &in[nin - 1], (unsigned)(nin - 1), err))
			goto close_inputs;
	}
	if (!redact_plan(rd, err))
		goto close_inputs;
	outnames = xcalloc(nin + 1, sizeof(*outnames));
	for (i = 0; i < nin; i++) {
		FILE *out = stdout;
		char *oname = xstrdup("standard output");
		bool ok;

		if (output) {
			free(oname);
			oname = outdir ? output_name(output, in[i].path, outnames, i)
				       : xstrdup(output);
			out = fopen(oname, "wb");
			if (!out) {
				err_set(err, ERR_IO, &(struct loc){ oname, 0, 0 }, "%s",
					strerror(errno));
				free(oname);
				goto close_inputs;
			}
		}
		ok = write_one(rd, &in[i], (unsigned)i, out, oname, err);
		if (out != stdout && fclose(out) != 0 && ok) {
			err_set(err, ERR_IO, &(struct loc){ oname, 0, 0 }, "%s", strerror(errno));
			ok = false;
		}
		outnames[i] = oname;
		if (!ok)
			goto close_inputs;
	}
	if (map) {
		FILE *fp = fopen(map, "w");

		if (!fp) {
			err_set(err, ERR_IO, &(struct loc){ map, 0, 0 }, "%s", strerror(errno));
			goto close_inputs;
		}
		redact_write_map(rd, fp);
		if (fclose(fp) != 0) {
			err_set(err, ERR_IO, &(struct loc){ map, 0, 0 }, "%s", strerror(errno));
			goto close_inputs;
		}
	}
	fflush(stdout);
	fprintf(stderr, "ikescope: redacted %zu input%s: secrets masked, key material zeroed", nin,
		nin == 1 ? "" : "s");
	{
		static const char *const kinds[][2] = {
			{ "user", "user name" },       { "group", "group name" },
			{ "host", "host name" },       { "domain", "domain name" },
			{ "net", "IPv4 network" },     { "net6", "IPv6 network" },
			{ "conn", "connection name" },
		};
		size_t k;

		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			size_t n = redact_count(rd, kinds[k][0]);

			if ((k == 1 || k == 2 || k == 3) && !(flags & REDACT_NAMES))
				continue;
			if ((k == 4 || k == 5) && !(flags & REDACT_IPS))
				continue;
			/* only the daemons that name connections have them */
			if (k == 6 && !n)
				continue;
			fprintf(stderr, ", %zu %s%s", n, kinds[k][1], n == 1 ? "" : "s");
		}
		fprintf(stderr, " replaced\n");
	}
	rc = CLI_EXIT_OK;
close_inputs:
	for (i = 0; i < nin; i++)
		if (in[i].fp != stdin)
			fclose(in[i].fp);
	for (i = 0; outnames && outnames[i]; i++)
		free(outnames[i]);
	free(outnames);
	free(in);
	redact_destroy(rd);
	grammar_destroy(g);
	return rc;
}
