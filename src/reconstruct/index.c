/*
 * The open sessions by key: the device's SA handle and the initiator SPI.
 * A record finds its session through these, never by walking the sessions
 * in flight, so the work per record does not grow with their number.
 */
#include <stdlib.h>

#include "ikescope/util/xalloc.h"
#include "recon-private.h"

#define INDEX_FIRST_BUCKETS 256

static size_t
slot(const struct recon_index *ix, uint64_t key)
{
	return (size_t)((key * 0x9E3779B97F4A7C15ull) >> 32) & (ix->nbuckets - 1);
}

static void
grow(struct recon_index *ix)
{
	size_t n = ix->nbuckets ? ix->nbuckets * 2 : INDEX_FIRST_BUCKETS, i;
	struct recon_index_node **old = ix->buckets, *e, *next;
	size_t nold = ix->nbuckets;

	ix->buckets = xcalloc(n, sizeof(*ix->buckets));
	ix->nbuckets = n;
	for (i = 0; i < nold; i++)
		for (e = old[i]; e; e = next) {
			size_t k = slot(ix, e->key);

			next = e->next;
			e->next = ix->buckets[k];
			ix->buckets[k] = e;
		}
	free(old);
}

void
recon_index_add(struct recon_index *ix, uint64_t key, struct session *s)
{
	struct recon_index_node *e;
	size_t k;

	if (ix->count + 1 > ix->nbuckets)
		grow(ix);
	k = slot(ix, key);
	for (e = ix->buckets[k]; e; e = e->next)
		if (e->key == key && e->s == s)
			return;
	e = xmalloc(sizeof(*e));
	e->key = key;
	e->s = s;
	e->next = ix->buckets[k];
	ix->buckets[k] = e;
	ix->count++;
}

void
recon_index_remove(struct recon_index *ix, uint64_t key, const struct session *s)
{
	struct recon_index_node **link, *e;

	if (!ix->nbuckets)
		return;
	for (link = &ix->buckets[slot(ix, key)]; (e = *link); link = &e->next)
		if (e->key == key && e->s == s) {
			*link = e->next;
			free(e);
			ix->count--;
			return;
		}
}

const struct recon_index_node *
recon_index_first(const struct recon_index *ix, uint64_t key)
{
	const struct recon_index_node *e;

	if (!ix->count)
		return NULL;
	for (e = ix->buckets[slot(ix, key)]; e; e = e->next)
		if (e->key == key)
			return e;
	return NULL;
}

const struct recon_index_node *
recon_index_next(const struct recon_index_node *e)
{
	uint64_t key = e->key;

	for (e = e->next; e; e = e->next)
		if (e->key == key)
			return e;
	return NULL;
}

void
recon_index_free(struct recon_index *ix)
{
	size_t i;
	struct recon_index_node *e, *next;

	for (i = 0; i < ix->nbuckets; i++)
		for (e = ix->buckets[i]; e; e = next) {
			next = e->next;
			free(e);
		}
	free(ix->buckets);
	ix->buckets = NULL;
	ix->nbuckets = ix->count = 0;
}

/* ---- the open sessions' keys ---- */

void
recon_set_spi_i(struct recon *r, struct session *s, uint64_t spi)
{
	if (s->has_spi_i) {
		if (s->spi_i == spi)
			return;
		recon_index_remove(&r->by_spi, s->spi_i, s);
	}
	s->spi_i = spi;
	s->has_spi_i = true;
	recon_index_add(&r->by_spi, spi, s);
}

void
recon_add_sa_id(struct recon *r, struct session *s, uint32_t sa)
{
	if (session_has_sa_id(s, sa))
		return;
	session_add_sa_id(s, sa);
	recon_index_add(&r->by_sa, sa, s);
}

void
recon_unindex(struct recon *r, const struct session *s)
{
	size_t i;

	if (s->has_spi_i)
		recon_index_remove(&r->by_spi, s->spi_i, s);
	for (i = 0; i < s->nsa_ids; i++)
		recon_index_remove(&r->by_sa, s->sa_ids[i], s);
}
