/*
 * The literal prefilter: which literals of which rules occur in a text, so
 * that a rule whose literals are all absent costs a bit test, not a regex
 * run.
 *
 * One pass over the text: at each byte, a bit table of the byte pairs that
 * begin some literal (8 KiB, so it stays in the first-level cache) says
 * whether anything can start there; only then are the few literals with
 * that first pair compared. One-byte literals are listed by their byte.
 */
#include "grammar-private.h"

#include <stdlib.h>
#include <string.h>

#include "ikescope/util/xalloc.h"

void
prefilter_init(struct prefilter *pf)
{
	memset(pf, 0, sizeof(*pf));
}

void
prefilter_finish(struct prefilter *pf)
{
	size_t i;

	for (i = 0; i < pf->nlits; i++)
		free(pf->lits[i]);
	free(pf->lits);
	free(pf->litlens);
	free(pf->ids);
	free(pf->buckets);
	prefilter_init(pf);
}

uint32_t
prefilter_add(struct prefilter *pf, const char *lit, size_t len)
{
	size_t i;

	for (i = 0; i < pf->nlits; i++)
		if (pf->litlens[i] == len && !memcmp(pf->lits[i], lit, len))
			return (uint32_t)i;
	pf->lits = xreallocarray(pf->lits, pf->nlits + 1, sizeof(*pf->lits));
	pf->litlens = xreallocarray(pf->litlens, pf->nlits + 1, sizeof(*pf->litlens));
	pf->lits[pf->nlits] = xstrndup(lit, len);
	pf->litlens[pf->nlits] = len;
	return (uint32_t)pf->nlits++;
}

static uint32_t
pair_key(const char *s)
{
	return (uint32_t)(unsigned char)s[0] << 8 | (unsigned char)s[1];
}

static struct prefilter_bucket *
bucket(struct prefilter *pf, uint32_t key)
{
	uint32_t i = (key * 2654435761u) >> 16 & pf->bucket_mask;

	while (pf->buckets[i].key && pf->buckets[i].key != key + 1)
		i = (i + 1) & pf->bucket_mask;
	return &pf->buckets[i];
}

static const struct prefilter_bucket *
find_bucket(const struct prefilter *pf, uint32_t key)
{
	uint32_t i = (key * 2654435761u) >> 16 & pf->bucket_mask;

	while (pf->buckets[i].key) {
		if (pf->buckets[i].key == key + 1)
			return &pf->buckets[i];
		i = (i + 1) & pf->bucket_mask;
	}
	return NULL;
}

void
prefilter_build(struct prefilter *pf)
{
	uint32_t next = 0, fill[256];
	size_t i, nb;

	pf->nwords = (pf->nlits + 63) / 64;
	if (!pf->nwords)
		pf->nwords = 1;
	pf->ids = xcalloc(pf->nlits ? pf->nlits : 1, sizeof(*pf->ids));
	/* at least twice as many buckets as literals: the table stays half empty */
	for (nb = 64; nb < 2 * pf->nlits; nb *= 2)
		;
	pf->buckets = xcalloc(nb, sizeof(*pf->buckets));
	pf->bucket_mask = (uint32_t)nb - 1;
	/* count, then place: one-byte literals first, then each pair's list */
	for (i = 0; i < pf->nlits; i++) {
		if (pf->litlens[i] == 1) {
			pf->single_count[(unsigned char)pf->lits[i][0]]++;
		} else if (pf->litlens[i] > 1) {
			uint32_t k = pair_key(pf->lits[i]);
			struct prefilter_bucket *b = bucket(pf, k);

			b->key = k + 1;
			b->count++;
			pf->pairs[k / 64] |= 1ull << (k % 64);
		}
	}
	for (i = 0; i < 256; i++) {
		pf->single_start[i] = next;
		fill[i] = next;
		next += pf->single_count[i];
	}
	for (i = 0; i <= pf->bucket_mask; i++) {
		if (!pf->buckets[i].key)
			continue;
		pf->buckets[i].start = next;
		next += pf->buckets[i].count;
		pf->buckets[i].count = 0;
	}
	for (i = 0; i < pf->nlits; i++) {
		if (pf->litlens[i] == 1) {
			pf->ids[fill[(unsigned char)pf->lits[i][0]]++] = (uint32_t)i;
		} else if (pf->litlens[i] > 1) {
			struct prefilter_bucket *b = bucket(pf, pair_key(pf->lits[i]));

			pf->ids[b->start + b->count++] = (uint32_t)i;
		}
	}
}

/* memcmp(a, b, n) == 0 for the few bytes of a literal, without a call */
static inline bool
same_tail(const unsigned char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] != (unsigned char)b[i])
			return false;
	return true;
}

void
prefilter_scan(const struct prefilter *pf, const char *s, size_t n, uint64_t *present)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, j;

	memset(present, 0, pf->nwords * sizeof(*present));
	for (i = 0; i < n; i++) {
		uint32_t k;

		if (pf->single_count[p[i]])
			for (j = 0; j < pf->single_count[p[i]]; j++) {
				uint32_t id = pf->ids[pf->single_start[p[i]] + j];

				present[id / 64] |= 1ull << (id % 64);
			}
		if (i + 1 >= n)
			break;
		k = (uint32_t)p[i] << 8 | p[i + 1];
		if (pf->pairs[k / 64] >> (k % 64) & 1) {
			const struct prefilter_bucket *b = find_bucket(pf, k);

			for (j = 0; j < b->count; j++) {
				uint32_t id = pf->ids[b->start + j];
				size_t len = pf->litlens[id];

				if (len <= n - i && same_tail(p + i + 2, pf->lits[id] + 2, len - 2))
					present[id / 64] |= 1ull << (id % 64);
			}
		}
	}
}
