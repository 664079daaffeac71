#ifndef IKESCOPE_UTIL_XALLOC_H
#define IKESCOPE_UTIL_XALLOC_H

/*
 * Allocation that never returns NULL: on exhaustion these print
 * "ikescope: out of memory" and abort(). Callers free with free().
 */

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t size);
/* Overflow-checked array reallocation. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
