/*
 * The adapter for pasted show output (show crypto ikev2 sa [detail], show
 * crypto ipsec sa, show vpn-sessiondb): each line is a SHOW event on its
 * own; the tunnel line's role is a word ("INITIATOR", "RESPONDER").
 */
#include "ikescope/dialect.h"

#include "ikescope/event.h"

void
dialect_show_event(const struct lex_record *rec, const struct gram_match *m, struct ike_event *ev)
{
	const struct gram_value *v;

	dialect_common_event(rec, m, ev);
	if ((v = gram_match_value(m, GRAM_FIELD_ROLE)))
		ev->role = dialect_word_is(v, "INITIATOR")   ? IKE_ROLE_INITIATOR
			   : dialect_word_is(v, "RESPONDER") ? IKE_ROLE_RESPONDER
							     : IKE_ROLE_UNKNOWN;
}

/* show output prints the Cisco code base's words */
const struct dialect_words dialect_show_words = { .event = dialect_show_event,
						  DIALECT_CISCO_WORDS };
