#ifndef IKESCOPE_UTIL_ARENA_H
#define IKESCOPE_UTIL_ARENA_H

/*
 * Bump allocator for data that lives and dies together (one session). There
 * is no per-object free: arena_destroy() releases everything at once.
 */

#include <stddef.h>

struct arena;

/* Caller frees with arena_destroy(). */
struct arena *arena_create(void);
/* The same, its first chunk holding size bytes exactly: for data whose size is known. */
struct arena *arena_create_sized(size_t size);
void arena_destroy(struct arena *a);
/* Zeroed memory, aligned for any object; never NULL (aborts on OOM). */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
/*
 * Grows an arena array to hold at least want elements: returns the (possibly
 * moved) array and updates *cap. The old space is not reused.
 */
void *arena_grow(struct arena *a, void *array, size_t elem, size_t *cap, size_t want);
/* Frees the chunks kept from destroyed arenas for later ones (at exit, for leak checkers). */
void arena_release_cache(void);
/* Bytes handed out so far (for memory accounting). */
size_t arena_used(const struct arena *a);

#endif
