#ifndef IKESCOPE_GRAMMAR_H
#define IKESCOPE_GRAMMAR_H

/*
 * The pattern-grammar layer: loads grammars/ (PCRE2 patterns kept as
 * data), gives the lexer its dialect rules, and recognizes records into
 * families with typed fields. The format is described in grammars/README.md
 * and ikescope-grammar(5).
 *
 * Families and fields are C-known names (the code branches on them); a
 * grammar that names an unknown one fails to load.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikescope/util/compiler.h"
#include "ikescope/util/err.h"
#include "ikescope/util/strbuf.h"

struct lex_hint;

struct grammar;
struct lex_rules_ops;

/* Record families: X(enum suffix, name, summary). */
#define GRAM_FAMILIES(X)                                                                           \
	X(PACKET, "packet", "a packet sent or received (exchange, addresses, SPIs, MID)")          \
	X(EXCHANGE, "exchange", "exchange name and direction of a dumped message")                 \
	X(HEADER, "header", "IKE header field line (version, exchange type, flags, MID, length)")  \
	X(PAYLOAD, "payload", "payload header with next payload and declared length")              \
	X(PROPOSAL, "proposal", "proposal header in an SA payload")                                \
	X(TRANSFORM, "transform", "transform header or transform type/id line")                    \
	X(PROPOSAL_SUMMARY, "proposal.summary", "one-line summary of a proposal being sent")       \
	X(POLICY, "policy", "received/expected policy list and its entries")                       \
	X(KE, "ke", "key exchange DH group")                                                       \
	X(ID, "id", "identification payload type")                                                 \
	X(AUTH, "auth", "authentication method")                                                   \
	X(CERT, "cert", "certificate or certificate request encoding")                             \
	X(NOTIFY, "notify", "notify body: protocol, SPI size, type")                               \
	X(DELETE, "delete", "delete payload body")                                                 \
	X(TS, "ts", "traffic selector count, type, ports or addresses")                            \
	X(CFG, "cfg", "configuration payload type or attribute")                                   \
	X(EAP, "eap", "EAP code, id, length, type")                                                \
	X(DATA, "data", "size of encrypted, auth, certificate or EAP data")                        \
	X(HEXDUMP, "hexdump", "hex dump line")                                                     \
	X(DECRYPTED, "decrypted", "decrypted packet marker")                                       \
	X(CONSTRUCT, "construct", "payload being constructed or parsed")                           \
	X(SM, "sm", "state machine trace: SA, SPIs, role, MID, state, event")                      \
	X(ACTION, "action", "state machine action")                                                \
	X(TIMER, "timer", "timer started, stopped or expired")                                     \
	X(RETRANSMIT, "retransmit", "retransmission of a packet")                                  \
	X(FACT, "fact", "platform fact: tunnel group, user, auth method, crypto map, SPI, DPD")    \
	X(ERROR, "error", "failure reported by the device")                                        \
	X(STATUS, "status", "connection or negotiation status")                                    \
	X(MESSAGE, "message", "other device debug message")                                        \
	X(XML_TRACE, "xml.trace", "aggregate-auth XML building and logging lines")                 \
	X(XML, "xml", "an XML document (config-auth)")                                             \
	X(DART, "dart", "an AnyConnect DART log entry")                                            \
	X(SHOW, "show", "output of a show command")

#define GRAM_FAMILY_ENUM(e, name, summary) GRAM_FAMILY_##e,
enum gram_family { GRAM_FAMILIES(GRAM_FAMILY_ENUM) GRAM_FAMILY_COUNT };
#undef GRAM_FAMILY_ENUM

/*
 * The values of the kind field, per family: X(family enum suffix, name). The
 * code branches on them, so a grammar that sets (set.kind) or captures (a
 * (?<kind>A|B) group of plain words) another one fails to load.
 */
#define GRAM_KINDS(X)                                                                              \
	X(CONSTRUCT, "construct")                                                                  \
	X(CONSTRUCT, "delete-reason")                                                              \
	X(CONSTRUCT, "encrypt")                                                                    \
	X(CONSTRUCT, "fragment")                                                                   \
	X(CONSTRUCT, "parse")                                                                      \
	X(DART, "assigned-address")                                                                \
	X(DART, "certificate-error")                                                               \
	X(DART, "certificate-warning")                                                             \
	X(DART, "connect-requested")                                                               \
	X(DART, "disconnected")                                                                    \
	X(DART, "error")                                                                           \
	X(DART, "gateway")                                                                         \
	X(DART, "ike-socket")                                                                      \
	X(DART, "partial")                                                                         \
	X(DART, "session-settings")                                                                \
	X(DART, "tunnel-up")                                                                       \
	X(DART, "warning")                                                                         \
	X(DATA, "Auth")                                                                            \
	X(DATA, "Cert")                                                                            \
	X(DATA, "CertReq")                                                                         \
	X(DATA, "Encrypted")                                                                       \
	X(DATA, "EAP")                                                                             \
	X(DATA, "Notify")                                                                          \
	X(DATA, "Vendor")                                                                          \
	X(DATA, "Nonce")                                                                           \
	X(DATA, "KE")                                                                              \
	X(DATA, "Hash")                                                                            \
	X(DATA, "Delete")                                                                          \
	X(DECRYPTED, "REAL")                                                                       \
	X(EAP, "aaa")                                                                              \
	X(EAP, "step")                                                                             \
	X(ERROR, "aborted")                                                                        \
	X(ERROR, "auth-method-mismatch")                                                           \
	X(ERROR, "profile-not-found")                                                              \
	X(ERROR, "auth-verify-failed")                                                             \
	X(ERROR, "authentication-failed")                                                          \
	X(ERROR, "cert-issuer-unknown")                                                            \
	X(ERROR, "exchange-failed")                                                                \
	X(ERROR, "failover-version")                                                               \
	X(ERROR, "missing-acl")                                                                    \
	X(ERROR, "no-matching-policy")                                                             \
	X(ERROR, "no-proxy-match")                                                                 \
	X(ERROR, "no-trustpoint")                                                                  \
	X(ERROR, "not-in-database")                                                                \
	X(ERROR, "other")                                                                          \
	X(ERROR, "peer-correlation")                                                               \
	X(ERROR, "peer-id-check-failed")                                                           \
	X(ERROR, "peer-not-in-map")                                                                \
	X(ERROR, "platform-errors")                                                                \
	X(ERROR, "policy-verify-failed")                                                           \
	X(ERROR, "sa-init-failed")                                                                 \
	X(ERROR, "trustpoint-hashes")                                                              \
	X(ERROR, "ts-unacceptable")                                                                \
	X(ERROR, "verify-failed")                                                                  \
	X(FACT, "anyconnect")                                                                      \
	X(FACT, "child-sa")                                                                        \
	X(FACT, "auth-method")                                                                     \
	X(FACT, "cert-digest")                                                                     \
	X(FACT, "cert-path")                                                                       \
	X(FACT, "config-mode")                                                                     \
	X(FACT, "crypto-engine")                                                                   \
	X(FACT, "crypto-map")                                                                      \
	X(FACT, "ddns")                                                                            \
	X(FACT, "dpd")                                                                             \
	X(FACT, "group-policy")                                                                    \
	X(FACT, "handle")                                                                          \
	X(FACT, "ike-policy")                                                                      \
	X(FACT, "ike-profile")                                                                     \
	X(FACT, "nat")                                                                             \
	X(FACT, "p1-id")                                                                           \
	X(FACT, "peer-cert")                                                                       \
	X(FACT, "peer-id-check")                                                                   \
	X(FACT, "peer-identity")                                                                   \
	X(FACT, "pfkey")                                                                           \
	X(FACT, "proxy-match")                                                                     \
	X(FACT, "psh")                                                                             \
	X(FACT, "psk")                                                                             \
	X(FACT, "redirect")                                                                        \
	X(FACT, "selector")                                                                        \
	X(FACT, "site-to-site")                                                                    \
	X(FACT, "spis-ready")                                                                      \
	X(FACT, "timeout")                                                                         \
	X(FACT, "trustpoint")                                                                      \
	X(FACT, "tunnel-group")                                                                    \
	X(FACT, "tunnel-group-lookup")                                                             \
	X(FACT, "tunnel-type")                                                                     \
	X(FACT, "username")                                                                        \
	X(FACT, "vid")                                                                             \
	X(HEADER, "contents")                                                                      \
	X(HEADER, "flags")                                                                         \
	X(HEADER, "length")                                                                        \
	X(HEADER, "notify")                                                                        \
	X(HEADER, "payload-list")                                                                  \
	X(HEADER, "spis")                                                                          \
	X(HEADER, "version")                                                                       \
	X(HEADER, "window")                                                                        \
	X(PACKET, "partial")                                                                       \
	X(PACKET, "event")                                                                         \
	X(PACKET, "wire")                                                                          \
	X(PACKET, "event-done")                                                                    \
	X(PAYLOAD, "partial")                                                                      \
	X(POLICY, "entry")                                                                         \
	X(POLICY, "protocol")                                                                      \
	X(POLICY, "transform")                                                                     \
	X(PROPOSAL_SUMMARY, "chosen")                                                              \
	X(RETRANSMIT, "exhausted")                                                                 \
	X(RETRANSMIT, "retransmit")                                                                \
	X(RETRANSMIT, "resent")                                                                    \
	X(SHOW, "bitmap")                                                                          \
	X(SHOW, "child-spis")                                                                      \
	X(SHOW, "counters")                                                                        \
	X(SHOW, "crypto-map")                                                                      \
	X(SHOW, "current-spi")                                                                     \
	X(SHOW, "detail")                                                                          \
	X(SHOW, "endpoints")                                                                       \
	X(SHOW, "header")                                                                          \
	X(SHOW, "ident")                                                                           \
	X(SHOW, "ike-spi")                                                                         \
	X(SHOW, "lifetime")                                                                        \
	X(SHOW, "peer")                                                                            \
	X(SHOW, "sas")                                                                             \
	X(SHOW, "selector")                                                                        \
	X(SHOW, "session")                                                                         \
	X(SHOW, "session-field")                                                                   \
	X(SHOW, "sessiondb-section")                                                               \
	X(SHOW, "spi")                                                                             \
	X(SHOW, "table-header")                                                                    \
	X(SHOW, "transform")                                                                       \
	X(SHOW, "transforms")                                                                      \
	X(SHOW, "tunnel")                                                                          \
	X(SM, "partial")                                                                           \
	X(STATUS, "auth-verified")                                                                 \
	X(STATUS, "child-delete")                                                                  \
	X(STATUS, "completed")                                                                     \
	X(STATUS, "connection")                                                                    \
	X(STATUS, "delete")                                                                        \
	X(STATUS, "delete-queued")                                                                 \
	X(STATUS, "deleting")                                                                      \
	X(STATUS, "deregistered")                                                                  \
	X(STATUS, "enabled")                                                                       \
	X(STATUS, "initiating")                                                                    \
	X(STATUS, "killed")                                                                        \
	X(STATUS, "rekeyed")                                                                       \
	X(STATUS, "sa-created")                                                                    \
	X(STATUS, "session")                                                                       \
	X(STATUS, "syslog")                                                                        \
	X(TIMER, "expired")                                                                        \
	X(TIMER, "lifetime")                                                                       \
	X(TIMER, "restart")                                                                        \
	X(TIMER, "start")                                                                          \
	X(TIMER, "stop")                                                                           \
	X(XML, "config-auth")                                                                      \
	X(XML, "other")                                                                            \
	X(XML_TRACE, "attribute")                                                                  \
	X(XML_TRACE, "document")                                                                   \
	X(XML_TRACE, "element")

/*
 * The neutral values a value map may give the class fields: X(field enum
 * suffix, value). A map that gives another fails to load.
 */
#define GRAM_CLASSES(X)                                                                            \
	X(STATE_CLASS, "negotiating")                                                              \
	X(STATE_CLASS, "established")                                                              \
	X(STATE_CLASS, "deleting")                                                                 \
	X(STATE_CLASS, "ended")                                                                    \
	X(EVENT_CLASS, "established")                                                              \
	X(EVENT_CLASS, "failed")                                                                   \
	X(EVENT_CLASS, "auth-failed")                                                              \
	X(EVENT_CLASS, "cert-failed")                                                              \
	X(EVENT_CLASS, "aborted")                                                                  \
	X(EVENT_CLASS, "freed")                                                                    \
	X(SIDE, "local")                                                                           \
	X(SIDE, "peer")                                                                            \
	X(NAT, "detected")                                                                         \
	X(NAT, "none")                                                                             \
	X(AUTH_ROLE, "peer-used")                                                                  \
	X(AUTH_ROLE, "local-used")                                                                 \
	X(AUTH_ROLE, "peer-expected")                                                              \
	X(CHILD_STEP, "inbound-allocated")                                                         \
	X(CHILD_STEP, "outbound-installed")                                                        \
	X(CHILD_STEP, "inbound-installed")                                                         \
	X(CHILD_STEP, "deleted")                                                                   \
	X(EAP_RESULT, "success")                                                                   \
	X(EAP_RESULT, "failure")                                                                   \
	X(SHOW_FIELD, "username")                                                                  \
	X(SHOW_FIELD, "assigned-address")                                                          \
	X(SHOW_FIELD, "public-address")                                                            \
	X(SHOW_FIELD, "group-policy")                                                              \
	X(POLICY, "received")                                                                      \
	X(POLICY, "expected")

/*
 * Dialects: X(enum suffix, name, summary). A grammar file declares the
 * dialects its rules belong to ([dialect NAME...]); a file without one is
 * common to all. Each dialect has its adapter in src/dialect/.
 */
#define GRAM_DIALECTS(X)                                                                           \
	X(ASA, "asa", "Cisco ASA: debug crypto ikev2 protocol/platform, debug aggregate-auth xml") \
	X(IOS, "ios", "Cisco IOS and IOS-XE: debug crypto ikev2, show monitor event-trace")        \
	X(DART, "dart", "Cisco AnyConnect / Secure Client DART log")                               \
	X(SHOW, "show", "pasted show crypto ikev2 / ipsec sa and show vpn-sessiondb output")       \
	X(STRONGSWAN, "strongswan",                                                                \
	  "strongSwan charon: syslog, journal and file log lines, swanctl output")                 \
	X(LIBRESWAN, "libreswan", "libreswan pluto: syslog, journal and console lines")            \
	X(FORTIGATE, "fortigate", "FortiGate diagnose debug application ike -1")

#define GRAM_DIALECT_ENUM(e, n, s) GRAM_DIALECT_##e,
enum gram_dialect { GRAM_DIALECTS(GRAM_DIALECT_ENUM) GRAM_DIALECT_COUNT };
#undef GRAM_DIALECT_ENUM

const char *gram_dialect_name(enum gram_dialect d);
const char *gram_dialect_summary(enum gram_dialect d);
/* GRAM_DIALECT_COUNT if unknown. */
enum gram_dialect gram_dialect_lookup(const char *name, size_t len);

/* True if name (len bytes) is a kind of family f. */
bool gram_kind_is_known(enum gram_family f, const char *name, size_t len);
/* The kinds of family f, space-separated, into out (appended). */
void gram_kind_list(enum gram_family f, struct strbuf *out);

/* Field types. */
enum gram_type {
	GRAM_TYPE_STR,  /* text */
	GRAM_TYPE_UINT, /* decimal number */
	GRAM_TYPE_HEX,  /* hexadecimal number, with or without 0x */
	GRAM_TYPE_SPI,  /* 64- or 32-bit SPI, kept as upper-case hex text */
	GRAM_TYPE_ADDR, /* IPv4 or IPv6 address */
};

/* Fields: X(enum suffix, name, type, summary). */
#define GRAM_FIELDS(X)                                                                             \
	X(KIND, "kind", STR, "sub-kind of the record within its family")                           \
	X(LEVEL, "level", UINT, "debug level of the line")                                         \
	X(FACILITY, "facility", STR, "debug facility (PROTO, PLAT)")                               \
	X(SA, "sa", UINT, "device SA number, as in (6):")                                          \
	X(SESSION, "session", UINT, "device session id")                                           \
	X(DIR, "dir", STR, "direction: in or out")                                                 \
	X(EXCHANGE, "exchange", STR, "exchange type name")                                         \
	X(MSGTYPE, "msgtype", STR, "REQUEST or RESPONSE")                                          \
	X(SRC, "src", ADDR, "source address")                                                      \
	X(SPORT, "sport", UINT, "source port")                                                     \
	X(DST, "dst", ADDR, "destination address")                                                 \
	X(DPORT, "dport", UINT, "destination port")                                                \
	X(LOCAL, "local", ADDR, "local address")                                                   \
	X(LPORT, "lport", UINT, "local port")                                                      \
	X(REMOTE, "remote", ADDR, "remote address")                                                \
	X(RPORT, "rport", UINT, "remote port")                                                     \
	X(VRF, "vrf", STR, "VRF tag")                                                              \
	X(SPI_I, "spi_i", SPI, "initiator SPI")                                                    \
	X(SPI_R, "spi_r", SPI, "responder SPI")                                                    \
	X(SPI, "spi", SPI, "IPsec or other SPI")                                                   \
	X(MID, "mid", UINT, "message ID, decimal")                                                 \
	X(MIDX, "midx", HEX, "message ID, hexadecimal")                                            \
	X(NEXT, "next", STR, "next payload")                                                       \
	X(VERSION, "version", STR, "IKE version")                                                  \
	X(FLAGS, "flags", STR, "header flags")                                                     \
	X(LENGTH, "length", UINT, "declared length")                                               \
	X(PAYLOAD, "payload", STR, "payload type")                                                 \
	X(PAYLOADS, "payloads", STR,                                                               \
	  "payload names of a one-line list, NOTIFY(NAME) for a notify")                           \
	X(LAST, "last", HEX, "last proposal or last transform byte")                               \
	X(PROPOSAL, "proposal", UINT, "proposal number")                                           \
	X(PROTOCOL, "protocol", STR, "protocol id (IKE, ESP, AH)")                                 \
	X(SPI_SIZE, "spi_size", UINT, "SPI size")                                                  \
	X(NTRANS, "ntrans", UINT, "number of transforms")                                          \
	X(TTYPE, "ttype", UINT, "transform type")                                                  \
	X(TID, "tid", STR, "transform id")                                                         \
	X(KEYLEN, "keylen", UINT, "key length")                                                    \
	X(TRANSFORMS, "transforms", STR, "transform names of a summary line")                      \
	X(GROUP, "group", UINT, "DH group number")                                                 \
	X(ID_TYPE, "id_type", STR, "identification type")                                          \
	X(AUTH_METHOD, "auth_method", STR, "authentication method")                                \
	X(ENCODING, "encoding", STR, "certificate encoding")                                       \
	X(NOTIFY, "notify", STR, "notify message type")                                            \
	X(QUANTITY, "count", UINT, "a count (SPIs, TSs, transforms, retransmissions)")             \
	X(TS_TYPE, "ts_type", STR, "traffic selector type")                                        \
	X(IP_PROTO, "ip_proto", UINT, "IP protocol of a traffic selector")                         \
	X(PORT_START, "port_start", UINT, "first port")                                            \
	X(PORT_END, "port_end", UINT, "last port")                                                 \
	X(ADDR_START, "addr_start", ADDR, "first address")                                         \
	X(ADDR_END, "addr_end", ADDR, "last address")                                              \
	X(CFG_TYPE, "cfg_type", STR, "configuration payload type")                                 \
	X(ATTR, "attr", STR, "configuration attribute name")                                       \
	X(ATTR_TYPE, "attr_type", UINT, "configuration attribute number")                          \
	X(EAP_CODE, "eap_code", STR, "EAP code")                                                   \
	X(EAP_ID, "eap_id", UINT, "EAP identifier")                                                \
	X(EAP_TYPE, "eap_type", STR, "EAP type")                                                   \
	X(BYTES, "bytes", UINT, "a size in bytes")                                                 \
	X(HEX, "hex", STR, "hex bytes of a dump line")                                             \
	X(ROLE, "role", STR, "I or R")                                                             \
	X(STATE, "state", STR, "state machine state")                                              \
	X(EVENT, "event", STR, "state machine event")                                              \
	X(ACTION, "action", STR, "state machine action")                                           \
	X(TIMER, "timer", STR, "what a timer waits for")                                           \
	X(SECONDS, "seconds", UINT, "a duration in seconds")                                       \
	X(PEER, "peer", ADDR, "peer address")                                                      \
	X(PORT, "port", UINT, "a port")                                                            \
	X(IDENTITY, "identity", STR, "an IKE identity")                                            \
	X(TUNNEL_GROUP, "tunnel_group", STR, "tunnel group")                                       \
	X(GROUP_POLICY, "group_policy", STR, "group policy")                                       \
	X(USERNAME, "username", STR, "user name")                                                  \
	X(TRUSTPOINT, "trustpoint", STR, "trust point")                                            \
	X(MAP, "map", STR, "crypto map name")                                                      \
	X(SEQ, "seq", UINT, "crypto map sequence")                                                 \
	X(STATUS, "status", STR, "status word")                                                    \
	X(REASON, "reason", STR, "a reason")                                                       \
	X(VALUE, "value", STR, "a value")                                                          \
	X(VENDOR, "vendor", STR, "vendor ID name")                                                 \
	X(POLICY, "policy", STR, "received or expected")                                           \
	X(TEXT, "text", STR, "message text")                                                       \
	X(ELEMENT, "element", STR, "XML element name")                                             \
	X(ATTRIBUTE, "attribute", STR, "XML attribute name")                                       \
	X(CONFIG_AUTH, "config_auth", STR, "config-auth type of an XML document")                  \
	X(DATE, "date", STR, "date")                                                               \
	X(TIME, "time", STR, "time of day")                                                        \
	X(SEVERITY, "severity", STR, "DART entry type")                                            \
	X(SOURCE, "source", STR, "DART source process")                                            \
	X(FUNCTION, "function", STR, "DART function")                                              \
	X(DESCRIPTION, "description", STR, "DART description text")                                \
	X(FRAGMENT, "fragment", UINT, "fragment number")                                           \
	X(MTU, "mtu", UINT, "an MTU")                                                              \
	X(COMMAND, "command", STR, "a show command")                                               \
	X(STATE_CLASS, "state_class", STR, "what a state means, set by a value map")               \
	X(EVENT_CLASS, "event_class", STR, "what a state machine event means, set by a value map") \
	X(SIDE, "side", STR, "whose a value is: local or peer, set by a value map")                \
	X(NAT, "nat", STR, "what NAT detection found: detected or none, set by a value map")       \
	X(AUTH_ROLE, "auth_role", STR,                                                             \
	  "whose authentication method a line names, and how, set by a value map")                 \
	X(CHILD_STEP, "child_step", STR, "a step of a child SA's install, set by a value map")     \
	X(EAP_RESULT, "eap_result", STR, "how EAP ended: success or failure, set by a value map")  \
	X(SHOW_FIELD, "show_field", STR,                                                           \
	  "what a labelled field of show output holds, set by a value map")                        \
	X(SPI_IN, "spi_in", HEX, "a child SA's inbound SPI (hex), as it is installed")             \
	X(SPI_OUT, "spi_out", HEX, "a child SA's outbound SPI (hex), as it is installed")          \
	X(TS_LOCAL, "ts_local", STR, "a child SA's local traffic selectors, as one text")          \
	X(TS_REMOTE, "ts_remote", STR, "a child SA's remote traffic selectors, as one text")       \
	X(CHILD, "child", STR, "a child SA's name as the device gives it (net{3})")                \
	X(COPY, "copy", STR, "the line is a second copy of another one (a daemon logging twice)")  \
	X(CONN, "conn", STR, "the name of the connection (configuration) a line names")            \
	X(HOST, "host", STR, "the host name a syslog header gives the line's device")              \
	X(CHILD_SA, "child_sa", UINT, "the SA number a line gives a child SA of its IKE SA")

#define GRAM_FIELD_ENUM(e, name, type, summary) GRAM_FIELD_##e,
enum gram_field { GRAM_FIELDS(GRAM_FIELD_ENUM) GRAM_FIELD_COUNT };
#undef GRAM_FIELD_ENUM

/*
 * True if field f takes declared values only: the class fields (GRAM_CLASSES)
 * and the fields that name protocol values (exchange, payload, notify).
 */
bool gram_field_has_values(enum gram_field f);
/* True if text (len bytes) is a value field f may take. */
bool gram_value_is_known(enum gram_field f, const char *text, size_t len);
/* The declared values of class field f, space-separated, into out (appended). */
void gram_class_list(enum gram_field f, struct strbuf *out);

const char *gram_family_name(enum gram_family f);
const char *gram_family_summary(enum gram_family f);
/* GRAM_FAMILY_COUNT if unknown. */
enum gram_family gram_family_lookup(const char *name);
const char *gram_field_name(enum gram_field f);
enum gram_type gram_field_type(enum gram_field f);
/* GRAM_FIELD_COUNT if unknown. */
enum gram_field gram_field_lookup(const char *name, size_t len);

struct gram_value {
	enum gram_field field;
	const char *p; /* borrowed: into the record text or the grammar */
	size_t len;
};

#define GRAM_MAX_VALUES 32

struct gram_match {
	enum gram_family family;
	const char *rule;  /* borrowed: "family/variant" of the matching rule */
	unsigned dialects; /* bit d: the rule is of dialect d; 0: common to all */
	size_t nvalues;
	struct gram_value values[GRAM_MAX_VALUES];
	uint64_t has[(GRAM_FIELD_COUNT + 63) / 64]; /* bit f: field f has a value */
	uint8_t at[GRAM_FIELD_COUNT]; /* 1 + index of field f's first value, 0: none */
	unsigned attempts;            /* regex attempts made for this record */
};

_Static_assert(GRAM_MAX_VALUES < 255, "gram_match.at holds a value index in a byte");

/* The first value of field f in m, or NULL. */
static inline const struct gram_value *
gram_match_value(const struct gram_match *m, enum gram_field f)
{
	return m->at[f] ? &m->values[m->at[f] - 1] : NULL;
}

/* One source of grammar text (file name is used in messages). */
struct gram_source {
	const char *name;
	const char *text;
	size_t len;
};

/*
 * Loads grammar sources, in the order given; a later stanza with the same
 * kind and name replaces an earlier one. All problems are collected into
 * *diags (one "file:line:col: message" per line) before failing.
 * Returns NULL on failure (err set). Caller frees with grammar_destroy().
 */
struct grammar *grammar_create(const struct gram_source *src, size_t nsrc, struct strbuf *diags,
			       struct err *err);
/* Loads every *.gram file of dir in version order. */
struct grammar *grammar_create_dir(const char *dir, struct strbuf *diags, struct err *err);
/*
 * Loads grammar paths in the order given: a directory stands for its *.gram
 * files in version order, a file for itself.
 */
struct grammar *grammar_create_paths(char *const *paths, size_t npaths, struct strbuf *diags,
				     struct err *err);
/* The grammars built into the binary. */
struct grammar *grammar_create_builtin(struct strbuf *diags, struct err *err);
void grammar_destroy(struct grammar *g);

/* Lexer rules backed by this grammar; pass g as the ctx. Borrowed, static. */
const struct lex_rules_ops *grammar_lex_ops(void);

/* Recognizes a record. Returns false if no family matched (m->attempts still set). */
bool grammar_match(const struct grammar *g, const char *text, size_t len, struct gram_match *m);
/* The same for a record from the lexer, with the hint it carries (may be NULL). */
bool grammar_match_hinted(const struct grammar *g, const char *text, size_t len,
			  const struct lex_hint *hint, struct gram_match *m);
/*
 * A match as the grammar keeps it, without its values: what another
 * instance of the same grammar, on another thread, makes the match from
 * (grammar_match_answer()). It points into the first grammar's storage,
 * which grammar_keep_answers() keeps until grammar_release_answers().
 */
struct gram_answer {
	const void *values;
	int32_t family; /* index among the family rules, -1: none matched */
	uint32_t attempts;
	uint32_t nvalues;
};

/*
 * The answer for a record from the lexer, as grammar_match_hinted() would
 * match it, found from its hint (worked out and kept if not yet known).
 * False if the hint does not name it (or rules that read the real text may
 * answer it): then match it with grammar_match_hinted().
 */
bool grammar_answer_hinted(const struct grammar *g, const char *text, size_t len,
			   const struct lex_hint *hint, struct gram_answer *a);
/* Makes m from answer a for text, with g another instance of a's grammar. */
bool grammar_match_answer(const struct grammar *g, const struct gram_answer *a, const char *text,
			  struct gram_match *m);
/*
 * With keep on, the storage answers point into outlives the memo's resets
 * until released; grammar_answers_gen() counts the resets. (As matching,
 * these change the grammar's scratch state: one thread at a time.)
 */
void grammar_keep_answers(const struct grammar *g, bool keep);
uint64_t grammar_answers_gen(const struct grammar *g);
/* Frees what answers given while grammar_answers_gen() was below gen point into. */
void grammar_release_answers(const struct grammar *g, uint64_t gen);
/*
 * Keeps the grammar's table of answers by shape to a fraction (1/share) of
 * its size: for an instance that matches few records, mostly of content of
 * their own, which would fill it with answers never asked again.
 */
void grammar_small_memo(struct grammar *g, unsigned share);
/* True if unrecognized text carries IKE content (the grammar's [ike] rules). */
bool grammar_is_ike(const struct grammar *g, const char *text, size_t len);
/* False if text cannot hold a secret (no mask rule's literal occurs in it). */
bool grammar_may_hold_secret(const struct grammar *g, const char *text, size_t len);
/* Appends text to out with secrets masked. */
void grammar_mask(const struct grammar *g, const char *text, size_t len, struct strbuf *out);
/* True if the n bytes at offset at of text lie (in part) in a secret the masks hide. */
bool grammar_masks_span(const struct grammar *g, const char *text, size_t len, size_t at, size_t n);
/* The same; with zero_keys, key material (a mask with key = yes) is zeros of its length. */
void grammar_mask_as(const struct grammar *g, const char *text, size_t len, bool zero_keys,
		     struct strbuf *out);

/*
 * A pattern a user gives (the browser's search: PCRE2 syntax), for the
 * modules that do not use PCRE2 themselves. NULL if it does not compile,
 * with why (and where) in error.
 */
struct gram_regex;
struct gram_regex *gram_regex_compile(const char *pattern, bool caseless, char *error,
				      size_t error_size);
/* True if the pattern matches somewhere in text[0, len). */
bool gram_regex_find(const struct gram_regex *r, const char *text, size_t len);
void gram_regex_free(struct gram_regex *r);

/*
 * Whether rules read shapes (numbers as zeros, the default) or every text as
 * it is: the answers must be the same, only slower. Call before loading a
 * grammar; it holds for the whole process.
 */
void grammar_use_shapes(bool on);

/*
 * From now on only the families of dialect d and the common ones are tried.
 * Call before the grammar reads anything.
 */
void grammar_restrict_dialect(struct grammar *g, enum gram_dialect d);
/* The dialect the grammar is restricted to, GRAM_DIALECT_COUNT if none. */
enum gram_dialect grammar_only_dialect(const struct grammar *g);
/*
 * The dialect whose "detect" pattern matches text, or GRAM_DIALECT_COUNT
 * if none does (the first dialect stanza in load order wins).
 */
enum gram_dialect grammar_detect_dialect(const struct grammar *g, const char *text, size_t len);
/* The number of family rules of dialect d (common ones not counted). */
size_t grammar_dialect_rules(const struct grammar *g, enum gram_dialect d);
/* Appends the files that declare dialect d, space-separated; returns their number. */
size_t grammar_dialect_files(const struct grammar *g, enum gram_dialect d, struct strbuf *out);

/* Counts for --stats and tests. */
size_t grammar_rule_count(const struct grammar *g);
size_t grammar_map_count(const struct grammar *g);
size_t grammar_source_count(const struct grammar *g);
/*
 * Rules read the shape of a text, its numbers read as zeros, except those
 * that name a digit: these read the real text. Appends one line per such
 * rule ("FILE:LINE: KIND NAME") to out; returns their number.
 */
size_t grammar_describe_exact(const struct grammar *g, struct strbuf *out);

/* Built-in grammar files. */
size_t grammar_builtin_count(void);
const struct gram_source *grammar_builtin(size_t i);

#endif
