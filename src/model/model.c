#include "ikescope/model.h"

#include <stdio.h>
#include <string.h>

#include "ikescope/util/arena.h"
#include "ikescope/util/compiler.h"
#include "ikescope/util/xalloc.h"

#define OUTCOME_NAME(e, name, summary) [MODEL_OUTCOME_##e] = name,
static const char *const outcome_names[] = { MODEL_OUTCOMES(OUTCOME_NAME) };
#undef OUTCOME_NAME
_Static_assert(ARRAY_SIZE(outcome_names) == MODEL_OUTCOME_COUNT, "outcome names out of sync");

const char *
model_outcome_name(enum model_outcome o)
{
	return (unsigned)o < MODEL_OUTCOME_COUNT ? outcome_names[o] : "?";
}

const char *
model_role_name(enum model_role r)
{
	switch (r) {
	case MODEL_ROLE_INITIATOR:
		return "initiator";
	case MODEL_ROLE_RESPONDER:
		return "responder";
	case MODEL_ROLE_CLIENT:
		return "client";
	default:
		return "unknown";
	}
}

bool
model_client_error(const char *kind)
{
	return kind && (!strcmp(kind, "error") || !strcmp(kind, "certificate-error"));
}

const char *
model_dir_arrow(enum model_dir d)
{
	return d == MODEL_DIR_IN ? "<-" : d == MODEL_DIR_OUT ? "->" : "--";
}

struct session *
session_create(const char *input, unsigned input_index)
{
	struct arena *a = arena_create();
	struct session *s = arena_alloc(a, sizeof(*s));

	s->arena = a;
	s->input = input;
	s->input_index = input_index;
	s->outcome = MODEL_OUTCOME_INCOMPLETE;
	return s;
}

void
session_destroy(struct session *s)
{
	if (s)
		arena_destroy(s->arena);
}

const char *
session_strndup(struct session *s, const char *p, size_t n)
{
	return arena_strndup(s->arena, p, n);
}

void
session_add_sa_id(struct session *s, uint32_t sa)
{
	if (session_has_sa_id(s, sa))
		return;
	s->sa_ids =
		arena_grow(s->arena, s->sa_ids, sizeof(*s->sa_ids), &s->cap_sa_ids, s->nsa_ids + 1);
	s->sa_ids[s->nsa_ids++] = sa;
}

bool
session_has_sa_id(const struct session *s, uint32_t sa)
{
	size_t i;

	for (i = 0; i < s->nsa_ids; i++)
		if (s->sa_ids[i] == sa)
			return true;
	return false;
}

struct message *
session_add_message(struct session *s, enum model_dir dir, uint32_t line)
{
	struct message *m = arena_alloc(s->arena, sizeof(*m));

	m->dir = dir;
	m->first_line = m->last_line = line;
	s->msgs = arena_grow(s->arena, s->msgs, sizeof(*s->msgs), &s->cap_msgs, s->nmsgs + 1);
	s->msgs[s->nmsgs++] = m;
	return m;
}

struct payload *
message_add_payload(struct session *s, struct message *m, uint32_t line)
{
	struct payload *p;

	m->p = arena_grow(s->arena, m->p, sizeof(*m->p), &m->cap_p, m->np + 1);
	p = &m->p[m->np++];
	memset(p, 0, sizeof(*p));
	p->line = line;
	return p;
}

void
session_spi_text(uint64_t spi, char *buf)
{
	snprintf(buf, 17, "%016llX", (unsigned long long)spi);
}
