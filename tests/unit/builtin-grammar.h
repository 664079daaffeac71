/* Unit tests: the built-in grammar as g, loaded by setup() and freed by teardown(). */
#ifndef IKESCOPE_TEST_BUILTIN_GRAMMAR_H
#define IKESCOPE_TEST_BUILTIN_GRAMMAR_H

#include <criterion/criterion.h>

#include "ikescope/grammar.h"
#include "ikescope/util/strbuf.h"

static struct grammar *g;

static void
setup(void)
{
	struct err err = { 0 };
	struct strbuf diags;

	sb_init(&diags);
	g = grammar_create_builtin(&diags, &err);
	cr_assert_not_null(g, "built-in grammar: %s", diags.buf ? diags.buf : err.msg);
	sb_finish(&diags);
}

static void
teardown(void)
{
	grammar_destroy(g);
}

#endif
