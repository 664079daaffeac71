/*
 * The IOS / IOS-XE adapter: debug crypto ikev2 (the "(SESSION ID = n,SA
 * ID = m)" prefix: the SA ID is the SA handle, the session ID groups the
 * SAs of one peer) and show monitor event-trace crypto ikev2, whose "(I)" /
 * "(R)" is the SA's role. The records are those of the code base IOS
 * shares with the ASA (cisco.c).
 */
#include "ikescope/dialect.h"
#include "ikescope/event.h"

void
dialect_ios_event(const struct lex_record *rec, const struct gram_match *m, struct ike_event *ev)
{
	dialect_cisco_event(rec, m, ev);
}

const struct dialect_words dialect_ios_words = { .event = dialect_ios_event, DIALECT_CISCO_WORDS };
