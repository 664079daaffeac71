#ifndef IKESCOPE_GRAMMAR_PRIVATE_H
#define IKESCOPE_GRAMMAR_PRIVATE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "ikescope/grammar.h"

enum rule_kind {
	RULE_NOISE,
	RULE_STRIP,
	RULE_REPAIR,
	RULE_SPLIT,
	RULE_JOIN,
	RULE_BLOCK,
	RULE_FAMILY,
	RULE_MASK,
	RULE_IKE,
	RULE_DEFINE,
	RULE_KIND_COUNT
};

/* A pattern of a rule, with where it came from. */
struct pattern {
	pcre2_code *re;
	char *src;
};

enum { PAT_MAIN, PAT_SECOND, PAT_THIRD, PAT_FOURTH, PAT_COUNT };

struct setval {
	enum gram_field field;
	char *value;
};

struct group_field {
	uint32_t group;
	enum gram_field field;
};

struct rule {
	enum rule_kind kind;
	char *name;    /* stanza name; "family/variant" for families */
	char *file;
	uint32_t line;
	struct pattern pat[PAT_COUNT];
	/* family */
	enum gram_family family;
	char **literals;
	size_t nliterals;
	struct setval *sets;
	size_t nsets;
	struct group_field *groups;
	size_t ngroups;
	/* strip */
	unsigned what; /* enum lex_clean_flags */
	/* repair */
	char *replace;
	/* block */
	bool interleave;
	unsigned max_lines;
	/* mask */
	uint32_t secret_group;
};

struct grammar {
	struct rule *rules;
	size_t nrules;
	size_t nsources;
	/* per-kind index lists, in load order */
	size_t *by_kind[RULE_KIND_COUNT];
	size_t nby_kind[RULE_KIND_COUNT];
	pcre2_match_data *md;
	struct strbuf scratch;
};

#endif
