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

struct render_ctx {
	struct render_opts ro;
	struct strbuf out;
};

static void
render_one(void *ctx, struct session *s)
{
	struct render_ctx *c = ctx;

	sb_reset(&c->out);
	render_timeline(&c->out, s, &c->ro);
	render_json_session(&c->out, s, true, &c->ro);
	session_destroy(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct grammar *g = fuzz_grammar();
	/* the three JSON layouts in turn */
	struct render_ctx c = {
		.ro = { .grammar = g, .json_compact = size % 3 == 1, .json_lines = size % 3 == 2 }
	};
	struct recon_reader rd = { .session = render_one, .ctx = &c };
	struct err err = { 0 };
	struct recon *r;
	FILE *fp;

	/* fmemopen() takes no empty buffer */
	fp = size ? fmemopen((void *)data, size, "rb") : fopen("/dev/null", "rb");
	if (!fp)
		return 0;
	sb_init(&c.out);
	r = recon_create(g);
	recon_read(r, g, fp, "fuzz.log", &rd, NULL, &err);
	recon_destroy(r);
	fclose(fp);
	sb_finish(&c.out);
	return 0;
}
