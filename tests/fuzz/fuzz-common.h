/* What the libFuzzer harnesses share. */
#ifndef IKESCOPE_FUZZ_COMMON_H
#define IKESCOPE_FUZZ_COMMON_H

#include <stdlib.h>

#include "ikescope/grammar.h"
#include "ikescope/util/strbuf.h"

/* The built-in grammar, loaded once for the whole run. */
static inline struct grammar *
fuzz_grammar(void)
{
	static struct grammar *g;

	if (!g) {
		struct err err = { 0 };
		struct strbuf diags;

		sb_init(&diags);
		g = grammar_create_builtin(&diags, &err);
		sb_finish(&diags);
		if (!g)
			abort();
	}
	return g;
}

#endif
