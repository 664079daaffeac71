#ifndef IKESCOPE_UTIL_ESCAPE_H
#define IKESCOPE_UTIL_ESCAPE_H

/*
 * Making untrusted bytes safe to show on a terminal: C0 and C1 control
 * characters, DEL and bytes that are not valid UTF-8 become \xNN, so a log
 * line can never move the cursor or retitle the terminal.
 */

#include <stdbool.h>
#include <stddef.h>

#include "ikescope/util/strbuf.h"

void escape_append(struct strbuf *out, const char *p, size_t n);
/* Length of the valid UTF-8 sequence at p (1-4), or 0 if invalid. */
size_t escape_utf8_len(const unsigned char *p, size_t n);
/* Appends the four characters \xNN that stand for byte c. */
void escape_byte(struct strbuf *out, unsigned char c);
bool escape_is_clean(const char *p, size_t n);

#endif
