/*
 * libFuzzer: bytes as a log, through the whole pipeline (lexer, grammar,
 * reconstructor, verifier, text and JSON output). Crashes, leaks and
 * undefined behaviour are what it looks for.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz-common.h"
#include "ikescope/grammar.h"
#include "ikescope/lexer.h"
#include "ikescope/reconstruct.h"
#include "ikescope/render.h"
#include "ikescope/util/arena.h"
#include "ikescope/util/strbuf.h"
#include "ikescope/xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct grammar *g;
	struct render_opts ro = { 0 };
	struct lex_record rec;
	struct gram_match m;
	struct err err = { 0 };
	struct session *s;
	struct strbuf out;
	struct recon *r;
	struct lex *lx;
	FILE *fp;

	g = fuzz_grammar();
	fp = fmemopen((void *)data, size ? size : 1, "rb");
	if (!fp)
		return 0;
	if (!size)
		setvbuf(fp, NULL, _IONBF, 0);
	ro.grammar = g;
	sb_init(&out);
	r = recon_create(g);
	recon_begin_input(r, "fuzz.log");
	lx = lex_create(fp, "fuzz.log", grammar_lex_ops(), g, NULL);
	for (;;) {
		bool more = size && lex_next(lx, &rec, &err), matched;

		if (more) {
			matched = !(rec.flags & LEX_REC_NOISE) &&
				  grammar_match_hinted(g, rec.text, rec.len, &rec.hint, &m);
			recon_feed(r, &rec, matched ? &m : NULL);
		} else {
			recon_end_input(r);
		}
		while ((s = recon_next(r))) {
			sb_reset(&out);
			render_timeline(&out, s, &ro);
			render_json_session(&out, s, true);
			session_destroy(s);
		}
		if (!more)
			break;
	}
	lex_destroy(lx);
	recon_destroy(r);
	fclose(fp);
	sb_finish(&out);
	return 0;
}
