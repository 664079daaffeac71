/*
 * The adapter for pasted show output (show crypto ikev2 sa [detail], show
 * crypto ipsec sa, show vpn-sessiondb): each line is a SHOW event on its
 * own; the tunnel line's role is a word ("INITIATOR", "RESPONDER").
 */
#include "ikescope/dialect.h"

#include <string.h>

#include "ikescope/event.h"

static bool
word_is(const struct gram_value *v, const char *w)
{
	return v && v->len == strlen(w) && !memcmp(v->p, w, v->len);
}

void
dialect_show_event(const struct lex_record *rec, const struct gram_match *m, struct ike_event *ev)
{
	const struct gram_value *v;

	dialect_common_event(rec, m, ev);
	if ((v = gram_match_value(m, GRAM_FIELD_ROLE)))
		ev->role = word_is(v, "INITIATOR")   ? IKE_ROLE_INITIATOR
			   : word_is(v, "RESPONDER") ? IKE_ROLE_RESPONDER
						     : IKE_ROLE_UNKNOWN;
}
