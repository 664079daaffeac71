/* A pattern the user types (the browser's search), for the modules that do not use PCRE2 themselves. */
#include "ikescope/grammar.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/util/xalloc.h"

struct gram_regex {
	pcre2_code *re;
	pcre2_match_data *md;
};

struct gram_regex *
gram_regex_compile(const char *pattern, bool caseless, char *error, size_t error_size)
{
	struct gram_regex *r;
	PCRE2_SIZE off = 0;
	int code = 0;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				       caseless ? PCRE2_CASELESS : 0, &code, &off, NULL);

	if (!re) {
		PCRE2_UCHAR msg[120];

		pcre2_get_error_message(code, msg, sizeof(msg));
		if (error && error_size)
			snprintf(error, error_size, "%s at %zu", (char *)msg, (size_t)off);
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	r->re = re;
	r->md = pcre2_match_data_create_from_pattern(re, NULL);
	return r;
}

bool
gram_regex_find(const struct gram_regex *r, const char *text, size_t len)
{
	return r && pcre2_match(r->re, (PCRE2_SPTR)text, len, 0, 0, r->md, NULL) >= 0;
}

void
gram_regex_free(struct gram_regex *r)
{
	if (!r)
		return;
	pcre2_match_data_free(r->md);
	pcre2_code_free(r->re);
	free(r);
}
