/*
 * The ASA adapter: debug crypto ikev2 protocol/platform, debug
 * aggregate-auth xml and the ASA's (and FTD's) IKE syslog messages. The
 * IKEv2 records are those of the code base the ASA shares with IOS
 * (cisco.c); the aggregate-auth XML documents become XML events, read by
 * src/xml/.
 */
#include "ikescope/dialect.h"
#include "ikescope/event.h"

void
dialect_asa_event(const struct lex_record *rec, const struct gram_match *m, struct ike_event *ev)
{
	dialect_cisco_event(rec, m, ev);
}

const struct dialect_words dialect_asa_words = { .event = dialect_asa_event, DIALECT_CISCO_WORDS };
