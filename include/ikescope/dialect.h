#ifndef IKESCOPE_DIALECT_H
#define IKESCOPE_DIALECT_H

/*
 * The dialect adapters: the only code that knows what a vendor's words
 * mean. Each turns what the grammar recognized in a record into an event
 * (event.h), and knows its dialect's spelling of IKEv2 values in protocol
 * terms (proto.h). cisco.c: ASA, IOS and IOS-XE debug output, the
 * AnyConnect client's DART log and pasted show output.
 */

#include <stdbool.h>

struct ike_event;
struct lex_record;
struct gram_match;

/* The event a recognized record makes (m: what the grammar recognized in rec). */
void dialect_event(const struct lex_record *rec, const struct gram_match *m, struct ike_event *ev);
/* The Cisco adapter (cisco.c). */
void dialect_cisco_event(const struct lex_record *rec, const struct gram_match *m,
			 struct ike_event *ev);

/*
 * The IANA value of a transform of type type (1 encryption, 2 PRF, 3
 * integrity, 4 D-H group, 5 ESN) as a Cisco device names it ("AES-CBC",
 * "AES-GCM-256", "SHA96", "SHA256", "DH_GROUP_2048_MODP/Group 14", "Don't
 * use ESN"). False if the name is not known for that type.
 */
bool dialect_cisco_transform(unsigned type, const char *name, unsigned *iana);

#endif
