/* Unit tests of util/: strbuf, escaping, errors, allocation helpers, line index. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/util/err.h"
#include "ikescope/util/arena.h"
#include "ikescope/util/escape.h"
#include "ikescope/util/lineindex.h"
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

struct seen {
	struct strbuf sb;
	uint32_t first, last, n;
	bool cut;
};

static void
collect(void *ctx, uint32_t line, const char *p, size_t n, bool cut)
{
	struct seen *s = ctx;

	if (!s->n)
		s->first = line;
	s->last = line;
	s->n++;
	s->cut |= cut;
	sb_add(&s->sb, p, n);
	sb_addc(&s->sb, '|');
}

/* A file of line NNNN\r\n lines, one very long line and no final newline. */
static FILE *
lines_file(unsigned nlines, unsigned long_at)
{
	FILE *fp = tmpfile();
	unsigned i, j;

	cr_assert_not_null(fp);
	for (i = 1; i <= nlines; i++) {
		if (i == long_at) {
			for (j = 0; j < LINEINDEX_MAX_LEN + 100; j++)
				fputc('x', fp);
			fputs("\n", fp);
		} else {
			fprintf(fp, "line %u%s", i, i == nlines ? "" : "\r\n");
		}
	}
	fflush(fp);
	return fp;
}

Test(util, line_index_reads_lines_again_from_checkpoints)
{
	FILE *fp = lines_file(3000, 1500);
	struct line_index li;
	struct seen s = { 0 };
	uint64_t off = 0;
	unsigned i;
	char want[64];

	/* note every line as a reader would, from its offset */
	line_index_init(&li, fileno(fp));
	for (i = 1; i <= 3000; i++) {
		line_index_note(&li, i, off);
		off += i == 1500 ? LINEINDEX_MAX_LEN + 101
				 : strlen("line ") +
					   (unsigned)snprintf(want, sizeof(want), "%u", i) + 2;
	}
	cr_assert_lt(li.n, 10, "sparse: %zu checkpoints", li.n);

	sb_init(&s.sb);
	cr_assert_eq(line_index_read(&li, 1027, 1029, 100, collect, &s), 3);
	cr_assert_str_eq(s.sb.buf, "line 1027|line 1028|line 1029|");
	cr_assert_eq(s.first, 1027);
	cr_assert_eq(s.last, 1029);
	cr_assert(!s.cut);

	/* a long line is cut, and reported as cut */
	sb_reset(&s.sb);
	s.n = 0;
	cr_assert_eq(line_index_read(&li, 1500, 1500, 100, collect, &s), 1);
	cr_assert(s.cut);
	cr_assert_eq(s.sb.len, LINEINDEX_MAX_LEN + 1);

	/* the limit on lines, and the end of the file (no final newline) */
	sb_reset(&s.sb);
	s.n = 0;
	cr_assert_eq(line_index_read(&li, 10, 2000, 5, collect, &s), 5);
	sb_reset(&s.sb);
	s.n = 0;
	cr_assert_eq(line_index_read(&li, 2999, 4000, 100, collect, &s), 2);
	cr_assert_str_eq(s.sb.buf, "line 2999|line 3000|");
	cr_assert_eq(line_index_read(&li, 5, 4, 100, collect, &s), 0);
	cr_assert_eq(line_index_read(&li, 0, 4, 100, collect, &s), 0);

	sb_finish(&s.sb);
	line_index_free(&li);
	fclose(fp);
}

/* Chunks of destroyed arenas serve later ones: what they held is never seen again. */
Test(arena, reused_chunks_come_back_zeroed)
{
	struct arena *a = arena_create();
	unsigned char *p;
	size_t i, j;

	for (i = 0; i < 200; i++)
		memset(arena_alloc(a, 1000), 0xab, 1000);
	arena_destroy(a);
	a = arena_create();
	for (i = 0; i < 200; i++) {
		p = arena_alloc(a, 1000);
		for (j = 0; j < 1000; j++)
			cr_assert_eq(p[j], 0, "byte %zu of allocation %zu", j, i);
	}
	cr_expect_geq(arena_used(a), 200 * 1000);
	arena_destroy(a);
	arena_release_cache();
	arena_release_cache();
}

/* ---- the JSON writer ---- */

#include "ikescope/util/jsonw.h"

static void
nested(struct jw *w)
{
	jw_object(w);
	jw_kint(w, "n", -42);
	jw_key(w, "list");
	jw_array(w);
	jw_int(w, 1);
	jw_str(w, NULL);
	jw_object(w);
	jw_end(w);
	jw_array(w);
	jw_end(w);
	jw_end(w);
	jw_kbool(w, "ok", true);
	jw_knull(w, "none");
	jw_end(w);
}

Test(util, json_writer_indents_as_jansson_does)
{
	struct strbuf sb;
	struct jw w;

	sb_init(&sb);
	jw_init(&w, &sb, 2, 0);
	nested(&w);
	cr_assert_str_eq(sb.buf, "{\n  \"n\": -42,\n  \"list\": [\n    1,\n    null,\n    {},\n"
				 "    []\n  ],\n  \"ok\": true,\n  \"none\": null\n}");
	sb_reset(&sb);
	jw_init(&w, &sb, 0, 0);
	nested(&w);
	cr_assert_str_eq(sb.buf, "{\"n\":-42,\"list\":[1,null,{},[]],\"ok\":true,\"none\":null}");
	/* numbers at both ends, and indentation deeper than one run of spaces */
	sb_reset(&sb);
	jw_init(&w, &sb, 0, 0);
	jw_array(&w);
	jw_int(&w, 0);
	jw_int(&w, -9223372036854775807LL - 1);
	jw_int(&w, 9223372036854775807LL);
	jw_end(&w);
	cr_assert_str_eq(sb.buf, "[0,-9223372036854775808,9223372036854775807]");
	sb_reset(&sb);
	jw_init(&w, &sb, 8, 9);
	jw_object(&w);
	jw_kint(&w, "deep", 1);
	jw_end(&w);
	cr_assert_eq(sb.len, strlen("{\n") + 80 + strlen("\"deep\": 1\n") + 72 + 1, "%s", sb.buf);
	/* inside two levels already open: the lines carry their indentation */
	sb_reset(&sb);
	jw_init(&w, &sb, 2, 2);
	jw_object(&w);
	jw_kint(&w, "a", 1);
	jw_end(&w);
	cr_assert_str_eq(sb.buf, "{\n      \"a\": 1\n    }");
	sb_finish(&sb);
}

Test(util, json_writer_escapes_to_ascii)
{
	struct strbuf sb;
	struct jw w;

	sb_init(&sb);
	jw_init(&w, &sb, 0, 0);
	jw_array(&w);
	jw_str(&w, "a\"b\\c/\b\f\n\r\t\x01\x1f\x7f");
	jw_str(&w, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	jw_str(&w, "bad \xc3");         /* cut short */
	jw_str(&w, "\xed\xa0\x80");     /* a surrogate */
	jw_str(&w, "\xc0\xaf");         /* overlong */
	jw_str(&w, "\xf4\x90\x80\x80"); /* past U+10FFFF */
	jw_strn_nocheck(&w, "x\0y\xff", 4);
	jw_end(&w);
	cr_assert_str_eq(sb.buf, "[\"a\\\"b\\\\c/\\b\\f\\n\\r\\t\\u0001\\u001F\x7f\","
				 "\"caf\\u00E9 \\u20AC \\uD83D\\uDE00\",\"?\",\"?\",\"?\",\"?\","
				 "\"x\\u0000y\\uFFFD\"]");
	cr_assert(jw_utf8_valid("plain", 5));
	cr_assert_not(jw_utf8_valid("a\0b", 3));
	sb_finish(&sb);
}

/* One byte in a long plain string, at every place: sixteen bytes are looked at at a time. */
Test(util, json_writer_escapes_a_byte_anywhere_in_a_long_string)
{
	struct strbuf sb, want;
	struct jw w;
	char s[48];
	int c;
	size_t at;

	sb_init(&sb);
	sb_init(&want);
	for (c = 0; c < 256; c++) {
		for (at = 0; at < sizeof(s); at++) {
			memset(s, 'a', sizeof(s));
			s[at] = (char)c;
			sb_reset(&sb);
			jw_init(&w, &sb, 0, 0);
			jw_strn_nocheck(&w, s, sizeof(s));
			sb_reset(&want);
			sb_addc(&want, '"');
			sb_add(&want, s, at);
			if (c == '"' || c == '\\')
				sb_addf(&want, "\\%c", c);
			else if (c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t')
				sb_addf(&want, "\\%c",
					"bfnrt"[strchr("\b\f\n\r\t", c) - "\b\f\n\r\t"]);
			else if (c < 0x20)
				sb_addf(&want, "\\u%04X", c);
			else if (c >= 0x80)
				sb_adds(&want, "\\uFFFD");
			else
				sb_addc(&want, (char)c);
			sb_add(&want, s + at + 1, sizeof(s) - at - 1);
			sb_addc(&want, '"');
			cr_assert_str_eq(sb.buf, want.buf, "byte 0x%02x at %zu", c, at);
			cr_assert_eq(jw_utf8_valid(s, sizeof(s)), c > 0 && c < 0x80,
				     "byte 0x%02x at %zu", c, at);
		}
	}
	sb_finish(&sb);
	sb_finish(&want);
}
