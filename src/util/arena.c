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

/*
 * Chunks of arenas destroyed, kept for the next arenas by size (CHUNK_MIN
 * << class): a session is made and freed for every few hundred lines of a
 * log. At most ARENA_CACHE_BYTES are kept. (The program is single-threaded.)
 */
#define ARENA_CLASSES     5
#define ARENA_CACHE_BYTES (4u << 20)
static struct chunk *cache[ARENA_CLASSES];
static size_t cached_bytes;

/* The class of a chunk of this size, or -1 if it is not one of the sizes kept. */
static int
size_class(size_t size)
{
	int k;

	for (k = 0; k < ARENA_CLASSES; k++)
		if (size == (size_t)CHUNK_MIN << k)
			return k;
	return -1;
}

static struct chunk *
chunk_new(size_t cap)
{
	int k = size_class(cap);
	struct chunk *c;

	if (k >= 0 && cache[k]) {
		c = cache[k];
		cache[k] = c->next;
		cached_bytes -= cap;
	} else {
		c = xmalloc(sizeof(*c) + cap);
	}
	c->size = cap;
	c->used = 0;
	return c;
}

static void
chunk_free(struct chunk *c)
{
	int k = size_class(c->size);

	if (k >= 0 && cached_bytes + c->size <= ARENA_CACHE_BYTES) {
		c->next = cache[k];
		cache[k] = c;
		cached_bytes += c->size;
		return;
	}
	free(c);
}

void
arena_release_cache(void)
{
	int k;

	for (k = 0; k < ARENA_CLASSES; k++) {
		while (cache[k]) {
			struct chunk *c = cache[k];

			cache[k] = c->next;
			free(c);
		}
	}
	cached_bytes = 0;
}

struct arena *
arena_create(void)
{
	return xcalloc(1, sizeof(struct arena));
}

struct arena *
arena_create_sized(size_t size)
{
	const size_t align = sizeof(max_align_t);
	struct arena *a = arena_create();

	a->head = chunk_new(size ? (size + align - 1) / align * align : align);
	a->head->next = NULL;
	return a;
}

void
arena_destroy(struct arena *a)
{
	struct chunk *c, *n;

	if (!a)
		return;
	for (c = a->head; c; c = n) {
		n = c->next;
		chunk_free(c);
	}
	free(a);
}

/* Memory from the arena, not zeroed. */
static void *
alloc_raw(struct arena *a, size_t size)
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
		if (c) {
			size_t next = c->size * 2 < ARENA_CHUNK_MAX ? c->size * 2 : ARENA_CHUNK_MAX;

			if (next > cap)
				cap = next;
		}
		c = chunk_new(cap);
		c->next = a->head;
		a->head = c;
	}
	p = (char *)c->data + c->used;
	c->used += size;
	a->used += size;
	return p;
}

void *
arena_alloc(struct arena *a, size_t size)
{
	void *p = alloc_raw(a, size);

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
	size_t ncap, old;
	void *p;

	if (want <= *cap)
		return array;
	ncap = *cap ? *cap * 2 : 4;
	while (ncap < want)
		ncap *= 2;
	if (elem && ncap > SIZE_MAX / elem)
		abort();
	/* the old elements are copied; only the new ones are zeroed */
	old = array ? *cap : 0;
	p = alloc_raw(a, ncap * elem);
	if (old)
		memcpy(p, array, old * elem);
	memset((char *)p + old * elem, 0, (ncap - old) * elem);
	*cap = ncap;
	return p;
}

size_t
arena_used(const struct arena *a)
{
	return a->used;
}
