#include "ikescope/util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define ERR_NAME(name, text) [name] = text,
static const char *const err_names[] = { ERR_CODES(ERR_NAME) };
#undef ERR_NAME
_Static_assert(ARRAY_SIZE(err_names) == ERR_CODE_COUNT, "err_names out of sync");

void
err_set(struct err *err, enum err_code code, const struct loc *loc, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	err->code = code;
	err->sys_errno = 0;
	if (loc)
		err->loc = *loc;
	else
		memset(&err->loc, 0, sizeof(err->loc));
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

bool
err_is_set(const struct err *err)
{
	return err && err->code != ERR_NONE;
}

const char *
err_code_name(enum err_code code)
{
	if ((unsigned)code >= ERR_CODE_COUNT)
		return "unknown error";
	return err_names[code];
}

void
err_format(const struct err *err, char *buf, unsigned size)
{
	if (err->loc.file && err->loc.line && err->loc.col)
		snprintf(buf, size, "%s:%u:%u: %s", err->loc.file, err->loc.line, err->loc.col,
			 err->msg);
	else if (err->loc.file && err->loc.line)
		snprintf(buf, size, "%s:%u: %s", err->loc.file, err->loc.line, err->msg);
	else if (err->loc.file)
		snprintf(buf, size, "%s: %s", err->loc.file, err->msg);
	else
		snprintf(buf, size, "%s", err->msg);
}
