/* ikescope grammar: validate grammar files; list families, fields, kinds, classes and dialects. */
#include "cli-private.h"

#include <stdio.h>
#include <string.h>

#include "ikescope/grammar.h"
#include "ikescope/util/strbuf.h"

static const char *const type_names[] = {
	[GRAM_TYPE_STR] = "text", [GRAM_TYPE_UINT] = "number",  [GRAM_TYPE_HEX] = "hex-number",
	[GRAM_TYPE_SPI] = "spi",  [GRAM_TYPE_ADDR] = "address",
};

int
cmd_grammar(const struct cli *cli, int argc, char **argv, struct err *err)
{
	struct grammar *g;
	size_t i;

	if (argc < 2) {
		err_set(err, ERR_USAGE, NULL,
			"grammar: expected check, families, fields, kinds, classes or dialects");
		return CLI_EXIT_TROUBLE;
	}
	if (!strcmp(argv[1], "families") && argc == 2) {
		for (i = 0; i < GRAM_FAMILY_COUNT; i++)
			printf("%-17s %s\n", gram_family_name((enum gram_family)i),
			       gram_family_summary((enum gram_family)i));
		return CLI_EXIT_OK;
	}
	if (!strcmp(argv[1], "kinds") && argc == 2) {
		struct strbuf list;

		sb_init(&list);
		for (i = 0; i < GRAM_FAMILY_COUNT; i++) {
			sb_reset(&list);
			gram_kind_list((enum gram_family)i, &list);
			if (list.len)
				printf("%-17s %s\n", gram_family_name((enum gram_family)i),
				       list.buf);
		}
		sb_finish(&list);
		return CLI_EXIT_OK;
	}
	if (!strcmp(argv[1], "classes") && argc == 2) {
		struct strbuf list;

		sb_init(&list);
		for (i = 0; i < GRAM_FIELD_COUNT; i++) {
			sb_reset(&list);
			gram_class_list((enum gram_field)i, &list);
			if (list.len)
				printf("%-13s %s\n", gram_field_name((enum gram_field)i), list.buf);
		}
		sb_finish(&list);
		printf("%-13s %s\n", "exchange", "an IKEv2 exchange type name (IKE_SA_INIT, ...)");
		printf("%-13s %s\n", "payload", "an IKEv2 payload type name or short name");
		printf("%-13s %s\n", "notify", "an IKEv2 notify message type name");
		return CLI_EXIT_OK;
	}
	if (!strcmp(argv[1], "dialects") && argc == 2) {
		struct strbuf files;

		/* the grammar in use (built-in, or --grammars) says which files are of each */
		g = cli_load_grammar(cli, err);
		if (!g)
			return CLI_EXIT_TROUBLE;
		sb_init(&files);
		for (i = 0; i < GRAM_DIALECT_COUNT; i++) {
			enum gram_dialect d = (enum gram_dialect)i;

			sb_reset(&files);
			grammar_dialect_files(g, d, &files);
			printf("%-5s %s\n      %zu rules in %s\n", gram_dialect_name(d),
			       gram_dialect_summary(d), grammar_dialect_rules(g, d),
			       files.len ? files.buf : "no file");
		}
		sb_finish(&files);
		grammar_destroy(g);
		return CLI_EXIT_OK;
	}
	if (!strcmp(argv[1], "fields") && argc == 2) {
		for (i = 0; i < GRAM_FIELD_COUNT; i++)
			printf("%-13s %s\n", gram_field_name((enum gram_field)i),
			       type_names[gram_field_type((enum gram_field)i)]);
		return CLI_EXIT_OK;
	}
	if (strcmp(argv[1], "check")) {
		err_set(err, ERR_USAGE, NULL,
			"grammar: expected check [PATH...], families, fields, kinds, classes or "
			"dialects");
		return CLI_EXIT_TROUBLE;
	}
	if (argc > 2) {
		struct strbuf diags;

		sb_init(&diags);
		g = grammar_create_paths(argv + 2, (size_t)(argc - 2), &diags, err);
		cli_print_diags(&diags);
		sb_finish(&diags);
	} else {
		g = cli_load_grammar(cli, err);
	}
	if (!g)
		return CLI_EXIT_TROUBLE;
	printf("%s: %zu files, %zu rules, %zu value maps: ok\n",
	       argc > 2        ? "grammar"
	       : cli->grammars ? cli->grammars
			       : "built-in grammar",
	       grammar_source_count(g), grammar_rule_count(g), grammar_map_count(g));
	{
		struct strbuf exact;
		size_t n;

		sb_init(&exact);
		n = grammar_describe_exact(g, &exact);
		if (n) {
			printf("%zu rule%s name digits and read the real text, not its shape:\n", n,
			       n == 1 ? "" : "s");
			fputs(exact.buf, stdout);
		}
		sb_finish(&exact);
	}
	grammar_destroy(g);
	return CLI_EXIT_OK;
}
