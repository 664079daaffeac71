#ifndef IKESCOPE_VERIFY_H
#define IKESCOPE_VERIFY_H

/*
 * The reference responder: re-checks what a reconstructed session claims
 * (payload lengths, proposal choice, message IDs, EAP ids) and adds a
 * finding to the session for each thing that is wrong or could not be
 * checked. The findings are one table (VERIFY_FINDINGS): a stable dotted
 * id, a severity, the reference it rests on, and a summary.
 */

#include <stdbool.h>
#include <stddef.h>

#include "ikescope/model.h"

/* X(enum suffix, id, severity, reference, summary) */
#define VERIFY_FINDINGS(X)                                                                         \
	X(LENGTH_SA, "length.sa", WARN, "RFC 7296 3.3",                                            \
	  "SA payload length is not 4 + the lengths of its proposals")                             \
	X(LENGTH_PROPOSAL, "length.proposal", WARN, "RFC 7296 3.3.1",                              \
	  "proposal length is not 8 + SPI size + the lengths of its transforms")                   \
	X(LENGTH_TRANSFORM, "length.transform", WARN, "RFC 7296 3.3.2",                            \
	  "transform length is not 8, or 12 with a key length attribute")                          \
	X(PROPOSAL_TRANSFORMS, "proposal.transforms", WARN, "RFC 7296 3.3.1",                      \
	  "more transforms listed than the proposal's #trans")                                     \
	X(LENGTH_KE, "length.ke", WARN, "RFC 7296 3.4",                                            \
	  "KE payload length is not 8 + the public value size of its group")                       \
	X(LENGTH_NONCE, "length.nonce", WARN, "RFC 7296 3.9", "nonce is not 16 to 256 bytes long") \
	X(LENGTH_TS, "length.ts", WARN, "RFC 7296 3.13",                                           \
	  "traffic selector payload length is not 8 + the lengths of its selectors")               \
	X(LENGTH_EAP, "length.eap", WARN, "RFC 7296 3.16",                                         \
	  "EAP payload length is not the EAP message length + 4")                                  \
	X(LENGTH_MESSAGE, "length.message", WARN, "RFC 7296 3.1",                                  \
	  "message length is not the 28-byte header + its payloads (all of them shown)")           \
	X(LENGTH_ID, "length.id", WARN, "RFC 7296 3.5",                                            \
	  "ID payload length is not 8 + its identification data")                                  \
	X(LENGTH_CERT, "length.cert", WARN, "RFC 7296 3.6, 3.7",                                   \
	  "CERT/CERTREQ length is not 5 + its data, or CERTREQ data is not 20 bytes per CA")       \
	X(LENGTH_AUTH, "length.auth", WARN, "RFC 7296 3.8, 2.15",                                  \
	  "AUTH length is not 8 + its data, or the data does not fit the method and PRF")          \
	X(LENGTH_CFG, "length.cfg", WARN, "RFC 7296 3.15",                                         \
	  "CFG payload length is not 8 + 4 + the length of each attribute")                        \
	X(LENGTH_SK, "length.sk", WARN, "RFC 7296 3.14",                                           \
	  "encrypted payload is not 4 + IV + whole cipher blocks + ICV for the chosen transforms") \
	X(LENGTH_HEX, "length.hex", WARN, "RFC 7296 3.2",                                          \
	  "the hex dump after a payload holds more bytes than its length leaves for data")         \
	X(FLAG_LAST, "flag.last", WARN, "RFC 7296 3.3.1, 3.3.2",                                   \
	  "a last-proposal or last-transform flag disagrees with what follows it")                 \
	X(PROPOSAL_COUNT, "proposal.count", ERROR, "RFC 7296 2.7",                                 \
	  "the responder returned more than one proposal")                                         \
	X(PROPOSAL_NUMBER, "proposal.number", ERROR, "RFC 7296 3.3.1",                             \
	  "the chosen proposal's number was not offered")                                          \
	X(PROPOSAL_NOT_OFFERED, "proposal.not-offered", ERROR, "RFC 7296 2.7",                     \
	  "a chosen transform is not in the offered proposal")                                     \
	X(PROPOSAL_TYPES, "proposal.types", ERROR, "RFC 7296 3.3.3",                               \
	  "the chosen proposal has two transforms of one type, or lacks a required one")           \
	X(PROPOSAL_AEAD, "proposal.aead-integrity", ERROR, "RFC 5282 8",                           \
	  "a combined-mode (AEAD) cipher was chosen together with an integrity algorithm")         \
	X(KE_GROUP, "ke.group", ERROR, "RFC 7296 1.2",                                             \
	  "the KE payload's group is not the chosen D-H group")                                    \
	X(TS_WIDENED, "ts.widened", ERROR, "RFC 7296 2.9",                                         \
	  "a returned traffic selector is not within the offered ones")                            \
	X(KE_INVALID, "ke.invalid", ERROR, "RFC 7296 1.3, 3.10.1",                                 \
	  "INVALID_KE_PAYLOAD names a group that was not offered, or the one already sent")        \
	X(MID_GAP, "mid.gap", WARN, "RFC 7296 2.2",                                                \
	  "requests of one side skip a message ID (a lost message or lost log lines)")             \
	X(MID_REUSED, "mid.reused", WARN, "RFC 7296 2.2",                                          \
	  "a side uses one message ID for requests of two exchanges")                              \
	X(RETRANSMIT, "mid.retransmit", WARN, "RFC 7296 2.1",                                      \
	  "a request was sent more than once: what the repeats say about the path")                \
	X(EAP_ID, "eap.id", WARN, "RFC 3748 4.1",                                                  \
	  "an EAP response answers no request with its identifier")                                \
	X(EAP_CFG_EARLY, "eap.cfg-early", ERROR, "RFC 7296 2.16",                                  \
	  "the configuration (CFG_REPLY) was sent before EAP succeeded")                           \
	X(EAP_AUTH_EARLY, "eap.auth-early", WARN, "RFC 7296 2.16",                                 \
	  "the initiator sent AUTH in its first IKE_AUTH request, yet EAP followed")               \
	X(EAP_DATA, "length.eap-data", WARN, "RFC 3748 4",                                         \
	  "EAP data is not the EAP message length - 5")                                            \
	X(ANYCONNECT_IDI, "anyconnect.idi", WARN, "AnyConnect",                                    \
	  "an aggregate-auth session whose IDi is not *$AnyConnectClient$*")                       \
	X(EAP_XML, "eap.xml", WARN, "aggregate-auth",                                              \
	  "a config-auth document is not well-formed XML")                                         \
	X(EAP_ORDER, "eap.order", WARN, "aggregate-auth",                                          \
	  "config-auth documents out of order (hello, init, auth-request, auth-reply, complete, "  \
	  "ack)")                                                                                  \
	X(STATE_FAILED, "state.failed", WARN, "Cisco states",                                      \
	  "the state machine took a failure or abort event")                                       \
	X(TIMER_EXPIRED, "timer.expired", WARN, "Cisco states", "a negotiation timer ran out")     \
	X(STATE_ROLE, "state.role", WARN, "Cisco states",                                          \
	  "a state of the other role (I_ for a responder, R_ for an initiator)")                   \
	X(LOG_UNRECOGNIZED, "log.unrecognized", INFO, "-",                                         \
	  "lines amid the session were not recognized: what they said is not in the analysis")     \
	X(LOG_SPLIT, "log.split", INFO, "-",                                                       \
	  "payload lines with no payload header before them: a dump split by other lines or cut")  \
	X(TS_ASSIGNED, "ts.assigned", WARN, "RFC 7296 2.19",                                       \
	  "the client's returned traffic selector is not narrowed to the address assigned to it")  \
	X(LOG_EVICTED, "log.evicted", WARN, "-",                                                   \
	  "too many sessions were open at once: this one was finished early")                      \
	X(LOG_TRUNCATED, "log.truncated", INFO, "-",                                               \
	  "the log ends in the middle of the negotiation: what came after was not checked")        \
	X(SHOW_MISMATCH, "show.mismatch", WARN, "show output",                                     \
	  "pasted show output disagrees with the debug output about the same SA")                  \
	X(CLIENT_ASSIGNED, "client.assigned", WARN, "client log",                                  \
	  "the address the client applied is not the one the CFG_REPLY assigned")                  \
	X(CONFIG_POLICY, "config.policy", ERROR, "config",                                         \
	  "the IKE SA's transforms are not those of a crypto ikev2 policy")                        \
	X(CONFIG_PROPOSAL, "config.proposal", ERROR, "config",                                     \
	  "the child SA's transforms are not those of an ipsec-proposal")                          \
	X(CONFIG_DISAGREES, "config.disagrees", ERROR, "config",                                   \
	  "the device refused an offer that a policy or ipsec-proposal of the config accepts")     \
	X(CONFIG_CRYPTO_MAP, "config.crypto-map", ERROR, "config",                                 \
	  "the crypto map entry the log matched is not in the config, or names another peer")      \
	X(CONFIG_ACL, "config.acl", WARN, "config",                                                \
	  "the child SA's selectors are not what the crypto map's access list permits")            \
	X(CONFIG_TUNNEL_GROUP, "config.tunnel-group", ERROR, "config",                             \
	  "the session's tunnel group is not in the config")                                       \
	X(CONFIG_GROUP_POLICY, "config.group-policy", ERROR, "config",                             \
	  "the tunnel group's group-policy is missing, or its vpn-tunnel-protocol lacks ikev2")    \
	X(CONFIG_TRUSTPOINT, "config.trustpoint", WARN, "config",                                  \
	  "the log uses a trustpoint the config does not define")                                  \
	X(CONFIG_AUTH, "config.auth", ERROR, "config",                                             \
	  "an AUTH method is not the one the tunnel group's ipsec-attributes set")                 \
	X(CONFIG_POOL, "config.pool", WARN, "config",                                              \
	  "the address assigned is not in the tunnel group's pool")                                \
	X(PROFILE_XML, "profile.xml", ERROR, "AnyConnect profile",                                 \
	  "the client profile is not well-formed XML")                                             \
	X(PROFILE_USER_GROUP, "profile.user-group", ERROR, "AnyConnect profile",                   \
	  "a host entry's UserGroup is not a tunnel-group or group-alias of the config")           \
	X(PROFILE_PROTOCOL, "profile.protocol", WARN, "AnyConnect profile",                        \
	  "a host entry's PrimaryProtocol is not IPsec, so the client does not use IKEv2")         \
	X(PROFILE_HOST_ADDRESS, "profile.host-address", WARN, "AnyConnect profile",                \
	  "a host entry's address is not an interface with IKEv2 enabled")                         \
	X(PROFILE_NOT_PUSHED, "profile.not-pushed", INFO, "AnyConnect profile",                    \
	  "the profile given is not one the config pushes (anyconnect profiles)")                  \
	X(PARTIAL, "verify.partial", INFO, "-",                                                    \
	  "a payload is shown only in part: what is missing was not checked")

#define VERIFY_FINDING_ENUM(e, id, sev, ref, summary) VERIFY_##e,
enum verify_finding { VERIFY_FINDINGS(VERIFY_FINDING_ENUM) VERIFY_FINDING_COUNT };
#undef VERIFY_FINDING_ENUM

struct verify_info {
	const char *id;
	enum model_severity severity;
	const char *reference;
	const char *summary;
};

const struct verify_info *verify_info(enum verify_finding f);
/* Checks a finished session and adds its findings (in line order). */
void verify_session(struct session *s);

struct config;
/* Checks a session against the device's config (after verify_session). */
void verify_with_config(struct session *s, const struct config *c);

struct xprofile_host;
/*
 * Checks the host entries of an AnyConnect client profile against the
 * config (c may be NULL: then only what the profile alone tells); the
 * findings go to report, a session that stands for the profile. When the
 * profile is not well-formed, error_line is where its parser gave up.
 */
void verify_profile(struct session *report, const char *file, bool well_formed, long error_line,
		    const struct xprofile_host *hosts, size_t n, const struct config *c);

#endif
