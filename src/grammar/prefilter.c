/*
 * The literal prefilter: one Aho-Corasick automaton over every literal of
 * every rule. One pass over a text tells which literals occur in it, so a
 * rule whose literals are all absent costs a bit test, not a regex run.
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
	free(pf->next);
	free(pf->dfa);
	free(pf->out);
	free(pf->out_start);
	free(pf->out_ids);
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

void
prefilter_build(struct prefilter *pf)
{
	uint32_t *fail, *queue, nstates = 1, cap, head = 0, tail = 0;
	size_t i, j, total = 1;
	unsigned c;

	/* byte classes: each byte used by a literal gets its own, the rest share 0 */
	memset(pf->cls, 0, sizeof(pf->cls));
	pf->ncls = 1;
	for (i = 0; i < pf->nlits; i++)
		for (j = 0; j < pf->litlens[i]; j++) {
			unsigned char b = (unsigned char)pf->lits[i][j];

			if (!pf->cls[b])
				pf->cls[b] = (uint8_t)pf->ncls++;
		}
	/* a power of two, so that a row offset gives its state by a shift */
	for (pf->cls_shift = 0; (1u << pf->cls_shift) < pf->ncls; pf->cls_shift++)
		;
	pf->ncls = 1u << pf->cls_shift;
	for (i = 0; i < pf->nlits; i++)
		total += pf->litlens[i];
	cap = (uint32_t)total;
	pf->nwords = (pf->nlits + 63) / 64;
	if (!pf->nwords)
		pf->nwords = 1;
	pf->next = xcalloc((size_t)cap * pf->ncls, sizeof(*pf->next));
	pf->out = xcalloc((size_t)cap * pf->nwords, sizeof(*pf->out));
	/* the trie; 0 in next[] means "no edge yet" (the root is never a target) */
	for (i = 0; i < pf->nlits; i++) {
		uint32_t s = 0;

		for (j = 0; j < pf->litlens[i]; j++) {
			uint32_t *e = &pf->next[(size_t)s * pf->ncls +
						pf->cls[(unsigned char)pf->lits[i][j]]];

			if (!*e)
				*e = nstates++;
			s = *e;
		}
		pf->out[(size_t)s * pf->nwords + i / 64] |= 1ull << (i % 64);
	}
	pf->nstates = nstates;
	/* failure links, breadth first, turning the trie into a DFA */
	fail = xcalloc(nstates, sizeof(*fail));
	queue = xcalloc(nstates, sizeof(*queue));
	for (c = 0; c < pf->ncls; c++) {
		uint32_t t = pf->next[c];

		if (t) {
			fail[t] = 0;
			queue[tail++] = t;
		}
	}
	while (head < tail) {
		uint32_t s = queue[head++];

		for (j = 0; j < pf->nwords; j++)
			pf->out[(size_t)s * pf->nwords + j] |=
				pf->out[(size_t)fail[s] * pf->nwords + j];
		for (c = 0; c < pf->ncls; c++) {
			uint32_t *e = &pf->next[(size_t)s * pf->ncls + c];
			uint32_t f = pf->next[(size_t)fail[s] * pf->ncls + c];

			if (*e) {
				fail[*e] = f;
				queue[tail++] = *e;
			} else {
				*e = f;
			}
		}
	}
	free(fail);
	free(queue);
	/* per state, the literals that end there, as a list (usually one) */
	pf->out_start = xcalloc((size_t)nstates + 1, sizeof(*pf->out_start));
	for (i = 0; i < nstates; i++) {
		size_t nout = 0;

		for (j = 0; j < pf->nwords; j++)
			nout += (size_t)__builtin_popcountll(pf->out[i * pf->nwords + j]);
		pf->out_start[i + 1] = pf->out_start[i] + (uint32_t)nout;
	}
	/* the scan's table: next states as row offsets, the top bit marking output */
	pf->dfa = xcalloc((size_t)nstates * pf->ncls, sizeof(*pf->dfa));
	for (i = 0; i < (size_t)nstates * pf->ncls; i++) {
		uint32_t t = pf->next[i];

		pf->dfa[i] = t * pf->ncls |
			     (pf->out_start[t + 1] > pf->out_start[t] ? PREFILTER_OUT : 0);
	}
	pf->out_ids =
		xcalloc(pf->out_start[nstates] ? pf->out_start[nstates] : 1, sizeof(*pf->out_ids));
	for (i = 0; i < nstates; i++) {
		uint32_t k = pf->out_start[i];

		for (j = 0; j < pf->nwords; j++) {
			uint64_t bits = pf->out[i * pf->nwords + j];

			while (bits) {
				pf->out_ids[k++] =
					(uint32_t)(j * 64 + (size_t)__builtin_ctzll(bits));
				bits &= bits - 1;
			}
		}
	}
}

void
prefilter_scan(const struct prefilter *pf, const char *s, size_t n, uint64_t *present)
{
	const unsigned char *p = (const unsigned char *)s;
	const uint32_t *dfa = pf->dfa;
	const uint8_t *cls = pf->cls;
	uint32_t st = 0;
	size_t i;

	memset(present, 0, pf->nwords * sizeof(*present));
	if (!pf->nlits)
		return;
	for (i = 0; i < n; i++) {
		st = dfa[(st & ~PREFILTER_OUT) + cls[p[i]]];
		if (st & PREFILTER_OUT) {
			uint32_t state = (st & ~PREFILTER_OUT) >> pf->cls_shift, k, e;

			for (k = pf->out_start[state], e = pf->out_start[state + 1]; k < e; k++)
				present[pf->out_ids[k] / 64] |= 1ull << (pf->out_ids[k] % 64);
		}
	}
}
