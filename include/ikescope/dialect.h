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
#include <stddef.h>

struct ike_event;
struct lex_record;
struct gram_match;

/* The event a recognized record makes (m: what the grammar recognized in rec). */
void dialect_event(const struct lex_record *rec, const struct gram_match *m, struct ike_event *ev);
/* A transform of a Cisco transform list: its RFC 7296 type (1 ENCR, 2 PRF, 3 INTEG, 4 D-H, 5 ESN), where it is in the text and how long. */
struct dialect_transform_word {
	unsigned type;
	size_t at, len;
};

/*
 * Splits a transform list as Cisco devices print it in proposal summaries
 * and policy lists ("AES-CBC-256 SHA256 SHA256 DH_GROUP_2048_MODP/Group 14",
 * "AES-CBC SHA256 Don't use ESN") into at most max transforms; ike: of an IKE
 * proposal (its first hash is the PRF). Returns their number.
 */
size_t dialect_cisco_transform_words(const char *text, size_t len, bool ike,
				     struct dialect_transform_word *out, size_t max);
/* The group number in a D-H group's Cisco name ("14" of ".../Group 14"), or name itself. */
const char *dialect_cisco_group_number(const char *name);

struct strbuf;

/*
 * A DART entry's description as one line (dart.c): the entry's "File:",
 * "Line:" and "Function:" lines left out, white space folded, at most max
 * bytes, cut on a character boundary. Appended to out.
 */
void dialect_dart_description(const char *p, size_t n, size_t max, struct strbuf *out);

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
