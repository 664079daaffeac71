#include "ikescope/util/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/util/xalloc.h"

struct chunk {
	struct chunk *next;
	size_t size, used;
	max_align_t data[];
};

struct arena {
	struct chunk *head;
	size_t used;
};

#define CHUNK_MIN 4096
/* Chunks stop growing below the size malloc would map afresh (and fault in) each time. */
#define ARENA_CHUNK_MAX (64u << 10)

struct arena *
arena_create(void)
{
	return xcalloc(1, sizeof(struct arena));
}

void
arena_destroy(struct arena *a)
{
	struct chunk *c, *n;

	if (!a)
		return;
	for (c = a->head; c; c = n) {
		n = c->next;
		free(c);
	}
	free(a);
}

void *
arena_alloc(struct arena *a, size_t size)
{
	const size_t align = sizeof(max_align_t);
	struct chunk *c = a->head;
	void *p;

	size = (size + align - 1) / align * align;
	if (!size)
		size = align;
	if (!c || c->size - c->used < size) {
		size_t cap = size > CHUNK_MIN ? size : CHUNK_MIN;

		/* grow chunk sizes with the arena, so big sessions take few chunks */
		if (c && c->size * 2 > cap && c->size < ARENA_CHUNK_MAX)
			cap = c->size * 2;
		c = xmalloc(sizeof(*c) + cap);
		c->size = cap;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	p = (char *)c->data + c->used;
	c->used += size;
	a->used += size;
	memset(p, 0, size);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

void *
arena_grow(struct arena *a, void *array, size_t elem, size_t *cap, size_t want)
{
	size_t ncap;
	void *p;

	if (want <= *cap)
		return array;
	ncap = *cap ? *cap * 2 : 4;
	while (ncap < want)
		ncap *= 2;
	if (elem && ncap > SIZE_MAX / elem)
		abort();
	p = arena_alloc(a, ncap * elem);
	if (array && *cap)
		memcpy(p, array, *cap * elem);
	*cap = ncap;
	return p;
}

size_t
arena_used(const struct arena *a)
{
	return a->used;
}
