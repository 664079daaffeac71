/*
 * libFuzzer: bytes as a log through ikescope redact with every option:
 * learning from records, sessions and lines, choosing pseudonyms, and
 * writing every line again.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/grammar.h"
#include "ikescope/lexer.h"
#include "ikescope/model.h"
#include "ikescope/reconstruct.h"
#include "ikescope/redact.h"
#include "ikescope/util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct grammar *g;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct redactor *rd;
	struct lex_record rec;
	struct gram_match m;
	struct err err = { 0 };
	struct session *s;
	struct strbuf out;
	struct recon *r;
	struct lex *lx;
	const char *p = (const char *)data, *end = p + size;
	uint32_t line = 1;
	FILE *fp;

	if (!g) {
		struct strbuf diags;

		sb_init(&diags);
		g = grammar_create_builtin(&diags, &err);
		sb_finish(&diags);
		if (!g)
			abort();
	}
	if (!size)
		return 0;
	fp = fmemopen((void *)data, size, "rb");
	if (!fp)
		return 0;
	rd = redact_create(g, REDACT_IPS | REDACT_NAMES);
	redact_begin_input(rd, 0);
	r = recon_create(g);
	recon_begin_input(r, "fuzz.log");
	lx = lex_create(fp, "fuzz.log", grammar_lex_ops(), g, NULL);
	while (lex_next(lx, &rec, &err)) {
		bool matched = !(rec.flags & LEX_REC_NOISE) &&
			       grammar_match_hinted(g, rec.text, rec.len, &rec.hint, &m);

		redact_learn_record(rd, &rec, matched ? &m : NULL);
		recon_feed(r, &rec, matched ? &m : NULL);
		while ((s = recon_next(r))) {
			redact_learn_session(rd, s);
			session_destroy(s);
		}
	}
	recon_end_input(r);
	while ((s = recon_next(r))) {
		redact_learn_session(rd, s);
		session_destroy(s);
	}
	lex_destroy(lx);
	recon_destroy(r);
	fclose(fp);
	for (p = (const char *)data; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		redact_learn_line(rd, p, n);
		p += n + (nl != NULL);
	}
	sb_init(&out);
	if (redact_plan(rd, &err)) {
		redact_begin_input(rd, 0);
		for (p = (const char *)data; p < end; line++) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

			sb_reset(&out);
			redact_line(rd, 0, line, p, n, &out);
			p += n + (nl != NULL);
		}
	}
	sb_finish(&out);
	redact_destroy(rd);
	return 0;
}
