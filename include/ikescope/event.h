#ifndef IKESCOPE_EVENT_H
#define IKESCOPE_EVENT_H

/*
 * Events: what one record of a log says, in neutral terms. A dialect
 * adapter (src/dialect/) makes them from what the grammar recognized; the
 * reconstructor reads events only, never the grammar's families or a
 * vendor's words.
 *
 * Each event carries the device's own SA handle (opaque: the ASA's "(6)",
 * IOS's "SA ID = 1") and session number when the line gives them, the IKE
 * SPIs and the message ID decoded, the direction and role, the lines it
 * spans and its text (for evidence), and its attributes: values named by
 * the grammar's fields, already in the project's terms where a value map
 * gave them one.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikescope/grammar.h"

/* Event kinds: X(enum suffix, name, summary). */
#define IKE_EVENTS(X)                                                                              \
	X(PACKET, "packet", "a packet sent or received: addresses, ports, SPIs, exchange, MID")    \
	X(EXCHANGE, "exchange", "the exchange and direction of a message being dumped")            \
	X(HEADER, "header", "a field of a message header, or its list of payloads")                \
	X(PAYLOAD, "payload", "a payload header: its type and length")                             \
	X(PROPOSAL, "proposal", "a proposal of an SA payload")                                     \
	X(TRANSFORM, "transform", "a transform of a proposal")                                     \
	X(PROPOSAL_SUMMARY, "proposal.summary", "a proposal summed up before it is sent")          \
	X(POLICY, "policy", "a policy received or expected, as the device compared them")          \
	X(PAYLOAD_DETAIL, "payload.detail",                                                        \
	  "a field of a payload body: KE group, ID, AUTH, CERT, notify, delete, TS, CFG, EAP")     \
	X(DECRYPTED, "decrypted", "the inner payloads of an encrypted message follow")             \
	X(CONSTRUCT, "construct", "a payload being built or parsed")                               \
	X(STATE, "state", "a state machine step: the device's state and event, and their classes") \
	X(ACTION, "action", "a state machine action")                                              \
	X(TIMER, "timer", "a timer started, stopped or run out")                                   \
	X(RETRANSMIT, "retransmit", "a message sent again, or no more tries")                      \
	X(CONTEXT, "context",                                                                      \
	  "what the device says of the session: tunnel group, user, auth method, NAT, SPIs")       \
	X(VERDICT, "verdict", "the device's error or refusal")                                     \
	X(STATUS, "status", "the SA up, down, deleted")                                            \
	X(EAP_STEP, "eap.step", "a step of the EAP conversation as the platform logs it")          \
	X(XML_TRACE, "xml.trace", "the device building or logging an XML document")                \
	X(XML, "xml", "an XML document of the EAP conversation")                                   \
	X(CLIENT, "client", "an entry of the client's log")                                        \
	X(SHOW, "show", "a line of pasted show output")                                            \
	X(MESSAGE, "message", "another debug line of the device")

#define IKE_EVENT_ENUM(e, name, summary) IKE_EVENT_##e,
enum ike_event_kind { IKE_EVENTS(IKE_EVENT_ENUM) IKE_EVENT_COUNT };
#undef IKE_EVENT_ENUM

const char *ike_event_name(enum ike_event_kind k);

/* What a payload detail is a field of. */
enum ike_detail {
	IKE_DETAIL_NONE,
	IKE_DETAIL_KE,
	IKE_DETAIL_ID,
	IKE_DETAIL_AUTH,
	IKE_DETAIL_CERT,
	IKE_DETAIL_NOTIFY,
	IKE_DETAIL_DELETE,
	IKE_DETAIL_TS,
	IKE_DETAIL_CFG,
	IKE_DETAIL_EAP,
	IKE_DETAIL_DATA, /* the size of a payload's data */
	IKE_DETAIL_HEX,  /* a line of a hex dump */
};

enum ike_event_dir { IKE_DIR_UNKNOWN, IKE_DIR_IN, IKE_DIR_OUT };
enum ike_event_role { IKE_ROLE_UNKNOWN, IKE_ROLE_INITIATOR, IKE_ROLE_RESPONDER };
/*
 * A daemon that logs each event twice (strongSwan's charon to syslog and
 * charon-systemd to the journal, on one host): the record of the first
 * kind, which may have a twin, and the second copy. The reconstructor takes
 * one of each pair.
 */
enum ike_event_copy { IKE_COPY_NONE, IKE_COPY_FIRST, IKE_COPY_SECOND };

#define IKE_EVENT_MAX_ATTRS GRAM_MAX_VALUES

struct ike_event {
	enum ike_event_kind kind;
	enum ike_detail detail; /* IKE_EVENT_PAYLOAD_DETAIL: of which payload */
	uint32_t first_line, last_line;
	const char *text; /* the record, for evidence (borrowed) */
	size_t len;
	const char *stamp; /* the record's timestamp as printed, or NULL (borrowed) */
	size_t stamp_len;
	bool incomplete; /* a record of several lines whose end never came */
	/* the dialect whose adapter made it; GRAM_DIALECT_COUNT: not known */
	enum gram_dialect dialect;
	/* the device's own SA handle and session number */
	bool has_handle, has_session;
	uint32_t handle, session;
	/*
	 * IKE SPIs; a whole one (16 hex digits) names an SA, a cut one does
	 * not. A zero responder SPI is not one.
	 */
	bool has_spi_i, has_spi_r, spi_i_whole, spi_r_whole;
	uint64_t spi_i, spi_r;
	bool has_mid;
	uint32_t mid;
	enum ike_event_dir dir;
	enum ike_event_role role;
	bool response; /* the message is a response, as the line says */
	enum ike_event_copy copy;
	/* attributes, borrowed (they point into the record's text or the grammar's constants) */
	size_t nattrs;
	const struct gram_value *attrs;
	const uint8_t *at; /* 1 + index in attrs of field f's first value, 0: none */
};

/* The attribute f of ev, or NULL. */
static inline const struct gram_value *
ike_event_attr(const struct ike_event *ev, enum gram_field f)
{
	return ev->at[f] ? &ev->attrs[ev->at[f] - 1] : NULL;
}

/*
 * A number attribute (decimal, or hex with or without 0x, per base); false
 * if absent, empty, not a number or too big.
 */
bool ike_value_num(const struct gram_value *v, int base, unsigned long long *out);

#endif
