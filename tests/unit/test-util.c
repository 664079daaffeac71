/* Unit tests of util/: strbuf, escaping, errors, allocation helpers. */
#include <criterion/criterion.h>
#include <string.h>

#include "ikescope/util/err.h"
#include "ikescope/util/escape.h"
#include "ikescope/util/strbuf.h"
#include "ikescope/util/xalloc.h"

Test(util, strbuf_grows_and_formats)
{
	struct strbuf sb;
	int i;

	sb_init(&sb);
	for (i = 0; i < 1000; i++)
		sb_addf(&sb, "%d,", i % 10);
	cr_assert_eq(sb.len, 2000);
	cr_assert_eq(sb.buf[sb.len], '\0');
	cr_assert_eq(strncmp(sb.buf, "0,1,2,", 6), 0);
	sb_truncate(&sb, 3);
	cr_assert_str_eq(sb.buf, "0,1");
	sb_adds(&sb, "  \t");
	sb_rtrim(&sb);
	cr_assert_str_eq(sb.buf, "0,1");
	sb_finish(&sb);
	cr_assert_null(sb.buf);
}

Test(util, strbuf_detach_of_empty_is_empty_string)
{
	struct strbuf sb;
	char *p;

	sb_init(&sb);
	p = sb_detach(&sb);
	cr_assert_str_eq(p, "");
	free(p);
}

struct escape_case {
	const char *in;
	size_t len;
	const char *out;
};

static const struct escape_case escape_cases[] = {
	{ "plain text", 10, "plain text" },
	{ "tab\tkept", 8, "tab\tkept" },
	{ "\x1b]0;owned\x07", 10, "\\x1b]0;owned\\x07" },
	{ "\x1b[2J", 4, "\\x1b[2J" },
	{ "cr\rlf\n", 6, "cr\\x0dlf\\x0a" },
	{ "del\x7f", 4, "del\\x7f" },
	{ "bad \xff\xfe", 6, "bad \\xff\\xfe" },
	{ "c1 \xc2\x9b", 5, "c1 \\u009b" },
	{ "utf8 \xc3\xa9\xe2\x80\x93", 10, "utf8 \xc3\xa9\xe2\x80\x93" },
	{ "overlong \xc0\xaf", 11, "overlong \\xc0\\xaf" },
	{ "nul\0x", 5, "nul\\x00x" },
};

Test(util, escape_makes_untrusted_bytes_safe)
{
	size_t i;

	for (i = 0; i < sizeof(escape_cases) / sizeof(escape_cases[0]); i++) {
		struct strbuf sb;

		sb_init(&sb);
		escape_append(&sb, escape_cases[i].in, escape_cases[i].len);
		cr_assert_str_eq(sb.buf ? sb.buf : "", escape_cases[i].out, "case %zu", i);
		cr_assert(escape_is_clean(sb.buf ? sb.buf : "", sb.len) ||
				  strchr(escape_cases[i].out, '\t'),
			  "case %zu output not clean", i);
		sb_finish(&sb);
	}
}

Test(util, escape_is_clean_rejects_controls)
{
	cr_assert(escape_is_clean("abc", 3));
	cr_assert_not(escape_is_clean("a\x1b", 2));
	cr_assert_not(escape_is_clean("a\xff", 2));
}

Test(util, err_format_gnu_style)
{
	struct err err = { 0 };
	struct loc loc = { "grammars/30-x.gram", 12, 7 };
	char buf[300];

	cr_assert_not(err_is_set(&err));
	err_set(&err, ERR_GRAMMAR, &loc, "unknown field '%s'", "spi_x");
	cr_assert(err_is_set(&err));
	err_format(&err, buf, sizeof(buf));
	cr_assert_str_eq(buf, "grammars/30-x.gram:12:7: unknown field 'spi_x'");
	loc.col = 0;
	err_set(&err, ERR_IO, &loc, "boom");
	err_format(&err, buf, sizeof(buf));
	cr_assert_str_eq(buf, "grammars/30-x.gram:12: boom");
	err_set(&err, ERR_IO, NULL, "plain");
	err_format(&err, buf, sizeof(buf));
	cr_assert_str_eq(buf, "plain");
	err_set(NULL, ERR_IO, NULL, "ignored");
	cr_assert_str_eq(err_code_name(ERR_USAGE), "usage error");
}

Test(util, xstrndup_copies_exactly)
{
	char *p = xstrndup("abcdef", 3);

	cr_assert_str_eq(p, "abc");
	free(p);
	p = xreallocarray(NULL, 10, 4);
	memset(p, 0, 40);
	free(p);
}
