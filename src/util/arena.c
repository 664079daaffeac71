#include "ikescope/util/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/util/xalloc.h"

/*
 * Under AddressSanitizer a block an array grew out of is poisoned, not
 * reused: a pointer kept into the old array is then reported where it is
 * used, instead of writing into whatever took the block.
 */
#if defined(__SANITIZE_ADDRESS__)
#define ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_ASAN 1
#endif
#endif
#ifdef ARENA_ASAN
#include <sanitizer/asan_interface.h>
#define ARENA_POISON(p, n)   ASAN_POISON_MEMORY_REGION(p, n)
#define ARENA_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define ARENA_ASAN           0
#define ARENA_POISON(p, n)   ((void)(p), (void)(n))
#define ARENA_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

struct chunk {
	struct chunk *next;
	size_t size, used;
	max_align_t data[];
};

/* Blocks an array grew out of, kept for the arena's next allocations that fit. */
#define ARENA_FREE_BLOCKS 16
#define ARENA_FREE_MIN    256 /* smaller blocks are not worth keeping */

struct arena {
	struct chunk *head;
	size_t used;
	struct {
		void *p;
		size_t size;
	} freed[ARENA_FREE_BLOCKS];
	unsigned nfreed;
};

#define CHUNK_MIN 4096
/* Chunks stop growing below the size malloc would map afresh (and fault in) each time. */
#define ARENA_CHUNK_MAX (64u << 10)

/*
 * Chunks of arenas destroyed, kept for the next arenas by size (CHUNK_MIN
 * << class): a session is made and freed for every few hundred lines of a
 * log. At most ARENA_CACHE_BYTES are kept, per thread (the lexer's thread
 * and the reconstructor's each have their own).
 */
#define ARENA_CLASSES     5
#define ARENA_CACHE_BYTES (4u << 20)
static _Thread_local struct chunk *cache[ARENA_CLASSES];
static _Thread_local size_t cached_bytes;

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

	ARENA_UNPOISON(c->data, c->size);

	/* under AddressSanitizer every chunk is freed: a pointer kept into one is reported */
	if (!ARENA_ASAN && k >= 0 && cached_bytes + c->size <= ARENA_CACHE_BYTES) {
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
	/* the smallest block an array left that holds it */
	if (a->nfreed && size >= ARENA_FREE_MIN) {
		unsigned i, best = a->nfreed;

		for (i = 0; i < a->nfreed; i++)
			if (a->freed[i].size >= size &&
			    (best == a->nfreed || a->freed[i].size < a->freed[best].size))
				best = i;
		if (best < a->nfreed) {
			p = a->freed[best].p;
			a->freed[best] = a->freed[--a->nfreed];
			return p;
		}
	}
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
	old = array ? *cap : 0;
	/* the array made last in the newest chunk grows where it is, if the chunk has room */
	if (array && a->head) {
		const size_t align = sizeof(max_align_t);
		struct chunk *c = a->head;
		size_t have = (old * elem + align - 1) / align * align;
		size_t need = (ncap * elem + align - 1) / align * align;

		if ((char *)array + have == (char *)c->data + c->used &&
		    c->used - have + need <= c->size) {
			c->used += need - have;
			a->used += need - have;
			memset((char *)array + old * elem, 0, (ncap - old) * elem);
			*cap = ncap;
			return array;
		}
	}
	/* the old elements are copied; only the new ones are zeroed */
	p = alloc_raw(a, ncap * elem);
	if (old)
		memcpy(p, array, old * elem);
	/* the block left behind serves a later allocation (the smallest kept gives way) */
	if (old && ARENA_ASAN) {
		ARENA_POISON(array, old * elem);
	} else if (old && old * elem >= ARENA_FREE_MIN) {
		const size_t align = sizeof(max_align_t);
		size_t have = old * elem / align * align;
		unsigned i, k = 0;

		if (a->nfreed < ARENA_FREE_BLOCKS) {
			k = a->nfreed++;
		} else {
			for (i = 1; i < ARENA_FREE_BLOCKS; i++)
				if (a->freed[i].size < a->freed[k].size)
					k = i;
			if (a->freed[k].size >= have)
				k = ARENA_FREE_BLOCKS;
		}
		if (k < ARENA_FREE_BLOCKS) {
			a->freed[k].p = array;
			a->freed[k].size = have;
		}
	}
	memset((char *)p + old * elem, 0, (ncap - old) * elem);
	*cap = ncap;
	return p;
}

size_t
arena_used(const struct arena *a)
{
	return a->used;
}
