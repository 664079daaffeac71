#ifndef IKESCOPE_UTIL_ERR_H
#define IKESCOPE_UTIL_ERR_H

/*
 * Errors: the tool could not do what was asked. Findings about the input
 * are a different channel. The err parameter is always last and may be NULL.
 */

#include <stdbool.h>
#include <stdint.h>

#include "ikescope/util/compiler.h"

#define ERR_CODES(X)                                                                               \
	X(ERR_NONE, "no error")                                                                    \
	X(ERR_IO, "input/output error")                                                            \
	X(ERR_USAGE, "usage error")                                                                \
	X(ERR_GRAMMAR, "grammar error")                                                            \
	X(ERR_INPUT, "input error")                                                                \
	X(ERR_INTERNAL, "internal error")

#define ERR_ENUM(name, text) name,
enum err_code { ERR_CODES(ERR_ENUM) ERR_CODE_COUNT };
#undef ERR_ENUM

/* A place in an input: name (borrowed), 1-based line and column (0 = unknown). */
struct loc {
	const char *file;
	uint32_t line;
	uint32_t col;
};

struct err {
	enum err_code code;
	int sys_errno;
	struct loc loc;
	char msg[256];
};

void err_set(struct err *err, enum err_code code, const struct loc *loc, const char *fmt, ...)
	IKESCOPE_PRINTF_LIKE(4, 5);
bool err_is_set(const struct err *err);
const char *err_code_name(enum err_code code);
/* Writes "file:line:col: msg" (the parts that are known) into buf. */
void err_format(const struct err *err, char *buf, unsigned size);

#endif
