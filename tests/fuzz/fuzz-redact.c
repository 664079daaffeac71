/*
 * libFuzzer: bytes as a log through ikescope redact with every option:
 * learning from records, sessions and lines, choosing pseudonyms, and
 * writing every line again.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "ikescope/grammar.h"
#include "ikescope/lexer.h"
#include "ikescope/redact.h"
#include "ikescope/util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct grammar *g;
	struct redactor *rd;
	struct err err = { 0 };
	struct strbuf out;
	const char *p = (const char *)data, *end = p + size;
	uint32_t line = 1;
	FILE *fp;

	g = fuzz_grammar();
	if (!size)
		return 0;
	fp = fmemopen((void *)data, size, "rb");
	if (!fp)
		return 0;
	rd = redact_create(g, REDACT_IPS | REDACT_NAMES);
	redact_learn_stream(rd, fp, "fuzz.log", 0, NULL, &err);
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
