/* ikescope lex: records of logs, with their families and fields. */
#include "cli-private.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/dialect.h"
#include "ikescope/grammar.h"
#include "ikescope/lexer.h"
#include "ikescope/render.h"
#include "ikescope/util/escape.h"
#include "ikescope/util/xalloc.h"

#define STATS_SHOW_UNRECOGNIZED 20

struct kind_count {
	const char *kind; /* borrowed from the grammar or the lexer */
	uint64_t n;
};

struct unrec {
	uint32_t line;
	bool ike;
	char *text;
};

struct input_stats {
	uint64_t families[GRAM_FAMILY_COUNT];
	struct kind_count *noise;
	size_t nnoise;
	uint64_t records, unrecognized, unrecognized_ike, attempts;
	struct unrec shown[STATS_SHOW_UNRECOGNIZED];
	size_t nshown;
	struct dialect_votes votes;
};

struct totals {
	uint64_t lines, records, noise, unrecognized, unrecognized_ike;
};

static void
count_noise(struct input_stats *st, const char *kind)
{
	size_t i;

	for (i = 0; i < st->nnoise; i++)
		if (!strcmp(st->noise[i].kind, kind)) {
			st->noise[i].n++;
			return;
		}
	st->noise = xreallocarray(st->noise, st->nnoise + 1, sizeof(*st->noise));
	st->noise[st->nnoise].kind = kind;
	st->noise[st->nnoise].n = 1;
	st->nnoise++;
}

static void
input_stats_finish(struct input_stats *st)
{
	size_t i;

	for (i = 0; i < st->nshown; i++)
		free(st->shown[i].text);
	free(st->noise);
}

static void
print_stats(const struct grammar *g, const struct render_opts *ro, const char *name,
	    const struct lex_stats *ls, const struct input_stats *st)
{
	struct strbuf out;
	size_t i;
	bool first;

	sb_init(&out);
	sb_adds(&out, "input: ");
	escape_append(&out, name, strlen(name));
	sb_addf(&out,
		"\n  lines: %llu, bytes: %llu, records: %llu, noise: %llu, unrecognized: %llu"
		" (with IKE content: %llu)\n",
		(unsigned long long)ls->lines, (unsigned long long)ls->bytes,
		(unsigned long long)(st->records - st->unrecognized),
		(unsigned long long)ls->noise_lines, (unsigned long long)st->unrecognized,
		(unsigned long long)st->unrecognized_ike);
	sb_adds(&out, "  families:");
	first = true;
	for (i = 0; i < GRAM_FAMILY_COUNT; i++) {
		if (!st->families[i])
			continue;
		sb_addf(&out, "%s %s %llu", first ? "" : ",", gram_family_name((enum gram_family)i),
			(unsigned long long)st->families[i]);
		first = false;
	}
	sb_adds(&out, first ? " none\n" : "\n");
	cli_dialect_line(&out, g, st->votes.leader);
	sb_adds(&out, "  noise:");
	for (i = 0; i < st->nnoise; i++)
		sb_addf(&out, "%s %s %llu", i ? "," : "", st->noise[i].kind,
			(unsigned long long)st->noise[i].n);
	sb_adds(&out, st->nnoise ? "\n" : " none\n");
	sb_addf(&out,
		"  repaired: bom %llu, crlf %llu, cr %llu, nul %llu, invalid-utf8 %llu, truncated "
		"%llu,"
		" no-final-newline %llu\n",
		(unsigned long long)ls->bom, (unsigned long long)ls->crlf_lines,
		(unsigned long long)ls->cr_lines, (unsigned long long)ls->nul_lines,
		(unsigned long long)ls->badutf8_lines, (unsigned long long)ls->truncated_lines,
		(unsigned long long)ls->unterminated);
	if (st->records)
		sb_addf(&out, "  pattern attempts per record: %.2f\n",
			(double)st->attempts / (double)st->records);
	if (st->unrecognized) {
		sb_addf(&out, "  unrecognized lines (first %zu):\n", st->nshown);
		for (i = 0; i < st->nshown; i++) {
			sb_adds(&out, "    ");
			escape_append(&out, name, strlen(name));
			sb_addf(&out, ":%u:%s ", st->shown[i].line,
				st->shown[i].ike ? " [ike]" : "");
			render_safe_text(&out, g, ro, st->shown[i].text, strlen(st->shown[i].text));
			sb_addc(&out, '\n');
		}
	}
	fputs(out.buf, stderr);
	sb_finish(&out);
}

static bool
lex_one(const struct cli *cli, const struct grammar *g, const char *path, bool json, bool all,
	struct totals *tot, struct err *err)
{
	const struct render_opts ro = { .show_secrets = cli->show_secrets };
	const char *name = strcmp(path, "-") ? path : "(stdin)";
	struct input_stats st;
	struct lex_record rec;
	struct gram_match m;
	struct strbuf out;
	struct lex *lx;
	FILE *fp;
	bool ok = true;

	fp = cli_open_input(path, err);
	if (!fp)
		return false;
	memset(&st, 0, sizeof(st));
	dialect_votes_init(&st.votes);
	sb_init(&out);
	lx = lex_create(fp, name, grammar_lex_ops(), (void *)g, NULL);
	while (lex_next(lx, &rec, err)) {
		bool matched = false, ike = false;

		if (rec.flags & LEX_REC_NOISE) {
			count_noise(&st, rec.kind ? rec.kind : "?");
			if (!all)
				continue;
		} else {
			st.records++;
			matched = grammar_match_hinted(g, rec.text, rec.len, &rec.hint, &m);
			st.attempts += m.attempts;
			if (matched) {
				st.families[m.family]++;
				dialect_vote(&st.votes, g, rec.text, rec.len);
			} else {
				ike = grammar_is_ike(g, rec.text, rec.len);
				st.unrecognized++;
				st.unrecognized_ike += ike;
				if (st.nshown < STATS_SHOW_UNRECOGNIZED) {
					st.shown[st.nshown].line = rec.first_line;
					st.shown[st.nshown].ike = ike;
					st.shown[st.nshown].text =
						xstrndup(rec.text, rec.len > 200 ? 200 : rec.len);
					st.nshown++;
				}
			}
		}
		sb_reset(&out);
		if (json)
			render_json_record(&out, g, &ro, &rec, matched ? &m : NULL, ike);
		else
			render_text_record(&out, g, &ro, &rec, matched ? &m : NULL, ike);
		fwrite(out.buf, 1, out.len, stdout);
	}
	if (err_is_set(err))
		ok = false;
	fflush(stdout); /* keep the records before what is said of them on a shared terminal */
	cli_report_input(name, fp, lex_stats(lx));
	if (cli->stats) {
		print_stats(g, &ro, name, lex_stats(lx), &st);
	}
	tot->lines += lex_stats(lx)->lines;
	tot->records += st.records - st.unrecognized;
	tot->noise += lex_stats(lx)->noise_lines;
	tot->unrecognized += st.unrecognized;
	tot->unrecognized_ike += st.unrecognized_ike;
	lex_destroy(lx);
	input_stats_finish(&st);
	sb_finish(&out);
	if (fp != stdin)
		fclose(fp);
	return ok;
}

int
cmd_lex(const struct cli *cli, int argc, char **argv, struct err *err)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct totals tot = { 0 };
	struct grammar *g;
	bool json = cli->json, all = false, failed = false;
	int c, i;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+aj", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			all = true;
			break;
		case 'j':
			json = true;
			break;
		default:
			err_set(err, ERR_USAGE, NULL, "lex: unknown option '%s'", argv[optind - 1]);
			return CLI_EXIT_TROUBLE;
		}
	}
	if (!cli_default_stdin(&argc, &argv, optind)) {
		err_set(err, ERR_USAGE, NULL, "lex: no input files (use - for standard input)");
		return CLI_EXIT_TROUBLE;
	}
	cli_expand_inputs(&argc, &argv, optind);
	g = cli_load_grammar(cli, err);
	if (!g)
		return CLI_EXIT_TROUBLE;
	for (i = optind; i < argc; i++) {
		struct err one = { 0 };

		if (!lex_one(cli, g, argv[i], json, all, &tot, &one)) {
			char msg[512];

			fflush(stdout);
			err_format(&one, msg, sizeof(msg));
			fprintf(stderr, "ikescope: %s\n", msg);
			failed = true;
		}
	}
	if (cli->stats)
		fprintf(stderr, "lines: %llu, records: %llu, noise: %llu, unrecognized: %llu\n",
			(unsigned long long)tot.lines, (unsigned long long)tot.records,
			(unsigned long long)tot.noise, (unsigned long long)tot.unrecognized);
	grammar_destroy(g);
	return failed ? CLI_EXIT_TROUBLE : CLI_EXIT_OK;
}
