/*
 * Answers about a text, kept by content.
 *
 * Debug logs repeat themselves: the same transform, payload and state lines
 * come back in every session. Every question the lexer and the matcher ask
 * about a text depends on that text alone, so the answers are kept in one
 * entry per distinct text and found again by a hash of its bytes. The table
 * and its storage are bounded: when either is full, the entries looked up
 * again since the last time it was full are kept (copied, with what they
 * point to, into fresh storage) and the others dropped, so that a log of
 * lines seen once (keys, tokens, XML of every session) does not push out
 * the shapes every session repeats.
 */
#include "grammar-private.h"

#include <string.h>

#include "ikescope/util/arena.h"
#include "ikescope/util/xalloc.h"

/*
 * A 64-bit hash of the bytes, sixteen at a time in two independent lanes
 * (the multiplications do not wait on each other); the final mix brings
 * the high bits of the lanes down to the bits the table index uses.
 */
uint64_t
memo_hash(const char *s, size_t n)
{
	const uint64_t k1 = 0x9e3779b97f4a7c15ull, k2 = 0xc2b2ae3d27d4eb4full;
	uint64_t a = 0x243f6a8885a308d3ull ^ (n * k2), b = 0x13198a2e03707344ull, w, v, h;
	const size_t len = n;
	size_t i;

	for (; n >= 16; s += 16, n -= 16) {
		memcpy(&w, s, 8);
		memcpy(&v, s + 8, 8);
		a = (a ^ w) * k1;
		b = (b ^ v) * k2;
	}
	if (n >= 8) {
		memcpy(&w, s, 8);
		a = (a ^ w) * k1;
		s += 8;
		n -= 8;
	}
	if (n) {
		/* the last bytes: the eight that end the text, when it has eight */
		if (len >= 8) {
			memcpy(&w, s + n - 8, 8);
		} else {
			for (w = 0, i = 0; i < n; i++)
				w |= (uint64_t)(unsigned char)s[i] << (8 * i);
		}
		b = (b ^ w) * k2;
	}
	h = a ^ (b << 32 | b >> 32);
	h ^= h >> 29;
	h *= k1;
	h ^= h >> 32;
	h *= k2;
	return h ^ (h >> 29);
}

void
memo_init(struct memo *m)
{
	memset(m, 0, sizeof(*m));
	m->slots = xcalloc(MEMO_SLOTS, sizeof(*m->slots));
	m->entries = xcalloc(MEMO_ENTRIES, sizeof(*m->entries));
	m->max_entries = MEMO_ENTRIES;
	m->max_bytes = MEMO_MAX_BYTES;
	m->arena = arena_create();
}

void
memo_finish(struct memo *m)
{
	free(m->slots);
	free(m->entries);
	arena_destroy(m->arena);
	memo_release(m, UINT64_MAX);
	free(m->retired);
	free(m->retired_gen);
	memset(m, 0, sizeof(*m));
}

static void *
dup_in(struct arena *a, const void *p, size_t n)
{
	void *q;

	if (!p || !n)
		return NULL;
	q = arena_alloc(a, n);
	memcpy(q, p, n);
	return q;
}

/* e's values, cuts and windows copied into a (the entry itself is the caller's). */
static void
copy_answers(struct arena *a, struct memo_entry *e)
{
	size_t i;

	e->values = dup_in(a, e->values, e->nvalues * sizeof(*e->values));
	e->cuts = dup_in(a, e->cuts, e->ncuts * sizeof(*e->cuts));
	e->noise_win = dup_in(a, e->noise_win, e->noise_win_len);
	for (i = 0; i < MEMO_CHECKS; i++)
		e->check_win[i] = dup_in(a, e->check_win[i], e->check_win_len[i]);
}

/* Puts entry e (at index i) in the slots by its hash. */
static void
slot_in(struct memo *m, const struct memo_entry *e, size_t i)
{
	uint64_t h = memo_hash(e->text, e->len);
	size_t k;

	for (k = h & (MEMO_SLOTS - 1); m->slots[k]; k = (k + 1) & (MEMO_SLOTS - 1))
		;
	m->slots[k] = (h & 0xffffffff00000000ull) | (uint64_t)(i + 1);
}

/*
 * The memo is full: the entries looked up again since it was last full
 * move to fresh storage, the rest go. Handed-out entries become invalid
 * (resets counts up), as when it was emptied whole.
 */
static void
memo_evict(struct memo *m)
{
	struct arena *fresh = arena_create();
	size_t i, kept = 0;

	memset(m->slots, 0, MEMO_SLOTS * sizeof(*m->slots));
	for (i = 0; i < m->used; i++) {
		struct memo_entry *e = &m->entries[i], *p, **link;

		/* at most half stay, so that room is made */
		if (!e->hot || kept >= m->max_entries / 2 || arena_used(fresh) >= m->max_bytes / 2)
			continue;
		e->text = arena_strndup(fresh, e->text, e->len);
		copy_answers(fresh, e);
		/* the pieces of a line, and the plan's piece among them */
		for (link = &e->pieces; (p = *link); link = &(*link)->next_piece) {
			struct memo_entry *q = arena_alloc(fresh, sizeof(*q));

			*q = *p;
			copy_answers(fresh, q);
			if (e->plan_piece == p)
				e->plan_piece = q;
			*link = q;
		}
		e->hot = false;
		if (kept != i) {
			/* a plan that takes the whole line names the entry itself */
			bool self = e->plan_piece == e;

			m->entries[kept] = *e;
			if (self)
				m->entries[kept].plan_piece = &m->entries[kept];
		}
		slot_in(m, &m->entries[kept], kept);
		kept++;
	}
	if (m->keep_retired) {
		m->retired = xreallocarray(m->retired, m->nretired + 1, sizeof(*m->retired));
		m->retired_gen =
			xreallocarray(m->retired_gen, m->nretired + 1, sizeof(*m->retired_gen));
		m->retired[m->nretired] = m->arena;
		m->retired_gen[m->nretired++] = m->resets;
	} else {
		arena_destroy(m->arena);
	}
	m->arena = fresh;
	m->used = kept;
	m->resets++;
}

void
memo_release(struct memo *m, uint64_t gen)
{
	size_t i, k = 0;

	for (i = 0; i < m->nretired; i++) {
		if (m->retired_gen[i] < gen) {
			arena_destroy(m->retired[i]);
		} else {
			m->retired[k] = m->retired[i];
			m->retired_gen[k++] = m->retired_gen[i];
		}
	}
	m->nretired = k;
}

void *
memo_alloc(struct memo *m, size_t size)
{
	return arena_alloc(m->arena, size);
}

/*
 * A slot holds the upper half of the hash and 1 + the entry's index (0: empty),
 * so that a probe reads the small slot table only.
 */
struct memo_entry *
memo_get(struct memo *m, const char *s, size_t n)
{
	struct memo_entry *e;
	uint64_t h, tag;
	size_t i;

	if (n > MEMO_MAX_TEXT)
		return NULL;
	h = memo_hash(s, n);
	tag = h & 0xffffffff00000000ull;
	for (i = h & (MEMO_SLOTS - 1); m->slots[i]; i = (i + 1) & (MEMO_SLOTS - 1)) {
		if ((m->slots[i] & 0xffffffff00000000ull) != tag)
			continue;
		e = &m->entries[(m->slots[i] & 0xffffffffu) - 1];
		if (e->len == n && !memcmp(e->text, s, n)) {
			e->hot = true;
			return e;
		}
	}
	if (m->used >= m->max_entries || arena_used(m->arena) >= m->max_bytes) {
		memo_evict(m);
		for (i = h & (MEMO_SLOTS - 1); m->slots[i]; i = (i + 1) & (MEMO_SLOTS - 1))
			;
	}
	e = &m->entries[m->used];
	memset(e, 0, sizeof(*e));
	m->made++;
	m->slots[i] = tag | (uint64_t)(m->used + 1);
	m->used++;
	e->text = arena_strndup(m->arena, s, n);
	e->len = (uint32_t)n;
	return e;
}

struct memo_entry *
memo_piece(struct memo *m, struct memo_entry *line, uint32_t at, uint32_t n)
{
	struct memo_entry *e;

	if (at == 0 && n == line->len)
		return line;
	for (e = line->pieces; e; e = e->next_piece)
		if (e->at == at && e->len == n)
			return e;
	e = arena_alloc(m->arena, sizeof(*e));
	e->len = n;
	e->at = at;
	e->next_piece = line->pieces;
	line->pieces = e;
	return e;
}
