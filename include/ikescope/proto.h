#ifndef IKESCOPE_PROTO_H
#define IKESCOPE_PROTO_H

/*
 * IKEv2 itself: the values RFC 7296 and the IANA "Internet Key Exchange
 * Version 2 (IKEv2) Parameters" registries give exchanges, payloads,
 * notifies, transforms, D-H groups, authentication methods, ID types,
 * configuration attributes, traffic selector types and EAP. One table each,
 * as X-macro lists; no other module keeps a table of protocol names. A
 * vendor's spelling of these names is its dialect's business.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exchange types (RFC 7296 3.1 and later RFCs): X(enum suffix, value, name). */
#define PROTO_EXCHANGES(X)                                                                         \
	X(IKE_SA_INIT, 34, "IKE_SA_INIT")                                                          \
	X(IKE_AUTH, 35, "IKE_AUTH")                                                                \
	X(CREATE_CHILD_SA, 36, "CREATE_CHILD_SA")                                                  \
	X(INFORMATIONAL, 37, "INFORMATIONAL")                                                      \
	X(IKE_SESSION_RESUME, 38, "IKE_SESSION_RESUME")                                            \
	X(GSA_AUTH, 39, "GSA_AUTH")                                                                \
	X(GSA_REGISTRATION, 40, "GSA_REGISTRATION")                                                \
	X(GSA_REKEY, 41, "GSA_REKEY")                                                              \
	X(IKE_INTERMEDIATE, 43, "IKE_INTERMEDIATE")                                                \
	X(IKE_FOLLOWUP_KE, 44, "IKE_FOLLOWUP_KE")

/*
 * Payload types (RFC 7296 3.2): X(enum suffix, value, name, short name as
 * RFC 7296 writes it in message diagrams).
 */
#define PROTO_PAYLOADS(X)                                                                          \
	X(NONE, 0, "No Next Payload", "NONE")                                                      \
	X(SA, 33, "Security Association", "SA")                                                    \
	X(KE, 34, "Key Exchange", "KE")                                                            \
	X(IDI, 35, "Identification - Initiator", "IDi")                                            \
	X(IDR, 36, "Identification - Responder", "IDr")                                            \
	X(CERT, 37, "Certificate", "CERT")                                                         \
	X(CERTREQ, 38, "Certificate Request", "CERTREQ")                                           \
	X(AUTH, 39, "Authentication", "AUTH")                                                      \
	X(NONCE, 40, "Nonce", "N")                                                                 \
	X(NOTIFY, 41, "Notify", "NOTIFY")                                                          \
	X(DELETE, 42, "Delete", "D")                                                               \
	X(VENDOR, 43, "Vendor ID", "V")                                                            \
	X(TSI, 44, "Traffic Selector - Initiator", "TSi")                                          \
	X(TSR, 45, "Traffic Selector - Responder", "TSr")                                          \
	X(SK, 46, "Encrypted and Authenticated", "SK")                                             \
	X(CP, 47, "Configuration", "CP")                                                           \
	X(EAP, 48, "Extensible Authentication", "EAP")                                             \
	X(GSPM, 49, "Generic Secure Password Methods", "GSPM")                                     \
	X(SKF, 53, "Encrypted and Authenticated Fragment", "SKF")

/* Notify message types (RFC 7296 3.10.1, IANA): X(enum suffix, value, name). */
#define PROTO_NOTIFIES(X)                                                                          \
	X(UNSUPPORTED_CRITICAL_PAYLOAD, 1, "UNSUPPORTED_CRITICAL_PAYLOAD")                         \
	X(INVALID_IKE_SPI, 4, "INVALID_IKE_SPI")                                                   \
	X(INVALID_MAJOR_VERSION, 5, "INVALID_MAJOR_VERSION")                                       \
	X(INVALID_SYNTAX, 7, "INVALID_SYNTAX")                                                     \
	X(INVALID_MESSAGE_ID, 9, "INVALID_MESSAGE_ID")                                             \
	X(INVALID_SPI, 11, "INVALID_SPI")                                                          \
	X(NO_PROPOSAL_CHOSEN, 14, "NO_PROPOSAL_CHOSEN")                                            \
	X(INVALID_KE_PAYLOAD, 17, "INVALID_KE_PAYLOAD")                                            \
	X(AUTHENTICATION_FAILED, 24, "AUTHENTICATION_FAILED")                                      \
	X(SINGLE_PAIR_REQUIRED, 34, "SINGLE_PAIR_REQUIRED")                                        \
	X(NO_ADDITIONAL_SAS, 35, "NO_ADDITIONAL_SAS")                                              \
	X(INTERNAL_ADDRESS_FAILURE, 36, "INTERNAL_ADDRESS_FAILURE")                                \
	X(FAILED_CP_REQUIRED, 37, "FAILED_CP_REQUIRED")                                            \
	X(TS_UNACCEPTABLE, 38, "TS_UNACCEPTABLE")                                                  \
	X(INVALID_SELECTORS, 39, "INVALID_SELECTORS")                                              \
	X(UNACCEPTABLE_ADDRESSES, 40, "UNACCEPTABLE_ADDRESSES")                                    \
	X(UNEXPECTED_NAT_DETECTED, 41, "UNEXPECTED_NAT_DETECTED")                                  \
	X(USE_ASSIGNED_HOA, 42, "USE_ASSIGNED_HoA")                                                \
	X(TEMPORARY_FAILURE, 43, "TEMPORARY_FAILURE")                                              \
	X(CHILD_SA_NOT_FOUND, 44, "CHILD_SA_NOT_FOUND")                                            \
	X(INVALID_GROUP_ID, 45, "INVALID_GROUP_ID")                                                \
	X(AUTHORIZATION_FAILED, 46, "AUTHORIZATION_FAILED")                                        \
	X(STATE_NOT_FOUND, 47, "STATE_NOT_FOUND")                                                  \
	X(INITIAL_CONTACT, 16384, "INITIAL_CONTACT")                                               \
	X(SET_WINDOW_SIZE, 16385, "SET_WINDOW_SIZE")                                               \
	X(ADDITIONAL_TS_POSSIBLE, 16386, "ADDITIONAL_TS_POSSIBLE")                                 \
	X(IPCOMP_SUPPORTED, 16387, "IPCOMP_SUPPORTED")                                             \
	X(NAT_DETECTION_SOURCE_IP, 16388, "NAT_DETECTION_SOURCE_IP")                               \
	X(NAT_DETECTION_DESTINATION_IP, 16389, "NAT_DETECTION_DESTINATION_IP")                     \
	X(COOKIE, 16390, "COOKIE")                                                                 \
	X(USE_TRANSPORT_MODE, 16391, "USE_TRANSPORT_MODE")                                         \
	X(HTTP_CERT_LOOKUP_SUPPORTED, 16392, "HTTP_CERT_LOOKUP_SUPPORTED")                         \
	X(REKEY_SA, 16393, "REKEY_SA")                                                             \
	X(ESP_TFC_PADDING_NOT_SUPPORTED, 16394, "ESP_TFC_PADDING_NOT_SUPPORTED")                   \
	X(NON_FIRST_FRAGMENTS_ALSO, 16395, "NON_FIRST_FRAGMENTS_ALSO")                             \
	X(MOBIKE_SUPPORTED, 16396, "MOBIKE_SUPPORTED")                                             \
	X(ADDITIONAL_IP4_ADDRESS, 16397, "ADDITIONAL_IP4_ADDRESS")                                 \
	X(ADDITIONAL_IP6_ADDRESS, 16398, "ADDITIONAL_IP6_ADDRESS")                                 \
	X(NO_ADDITIONAL_ADDRESSES, 16399, "NO_ADDITIONAL_ADDRESSES")                               \
	X(UPDATE_SA_ADDRESSES, 16400, "UPDATE_SA_ADDRESSES")                                       \
	X(COOKIE2, 16401, "COOKIE2")                                                               \
	X(NO_NATS_ALLOWED, 16402, "NO_NATS_ALLOWED")                                               \
	X(AUTH_LIFETIME, 16403, "AUTH_LIFETIME")                                                   \
	X(MULTIPLE_AUTH_SUPPORTED, 16404, "MULTIPLE_AUTH_SUPPORTED")                               \
	X(ANOTHER_AUTH_FOLLOWS, 16405, "ANOTHER_AUTH_FOLLOWS")                                     \
	X(REDIRECT_SUPPORTED, 16406, "REDIRECT_SUPPORTED")                                         \
	X(REDIRECT, 16407, "REDIRECT")                                                             \
	X(REDIRECTED_FROM, 16408, "REDIRECTED_FROM")                                               \
	X(TICKET_LT_OPAQUE, 16409, "TICKET_LT_OPAQUE")                                             \
	X(TICKET_REQUEST, 16410, "TICKET_REQUEST")                                                 \
	X(TICKET_ACK, 16411, "TICKET_ACK")                                                         \
	X(TICKET_NACK, 16412, "TICKET_NACK")                                                       \
	X(TICKET_OPAQUE, 16413, "TICKET_OPAQUE")                                                   \
	X(LINK_ID, 16414, "LINK_ID")                                                               \
	X(USE_WESP_MODE, 16415, "USE_WESP_MODE")                                                   \
	X(ROHC_SUPPORTED, 16416, "ROHC_SUPPORTED")                                                 \
	X(EAP_ONLY_AUTHENTICATION, 16417, "EAP_ONLY_AUTHENTICATION")                               \
	X(CHILDLESS_IKEV2_SUPPORTED, 16418, "CHILDLESS_IKEV2_SUPPORTED")                           \
	X(QUICK_CRASH_DETECTION, 16419, "QUICK_CRASH_DETECTION")                                   \
	X(IKEV2_MESSAGE_ID_SYNC_SUPPORTED, 16420, "IKEV2_MESSAGE_ID_SYNC_SUPPORTED")               \
	X(IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED, 16421, "IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED")       \
	X(IKEV2_MESSAGE_ID_SYNC, 16422, "IKEV2_MESSAGE_ID_SYNC")                                   \
	X(IPSEC_REPLAY_COUNTER_SYNC, 16423, "IPSEC_REPLAY_COUNTER_SYNC")                           \
	X(SECURE_PASSWORD_METHODS, 16424, "SECURE_PASSWORD_METHODS")                               \
	X(PSK_PERSIST, 16425, "PSK_PERSIST")                                                       \
	X(PSK_CONFIRM, 16426, "PSK_CONFIRM")                                                       \
	X(ERX_SUPPORTED, 16427, "ERX_SUPPORTED")                                                   \
	X(IFOM_CAPABILITY, 16428, "IFOM_CAPABILITY")                                               \
	X(SENDER_REQUEST_ID, 16429, "SENDER_REQUEST_ID")                                           \
	X(IKEV2_FRAGMENTATION_SUPPORTED, 16430, "IKEV2_FRAGMENTATION_SUPPORTED")                   \
	X(SIGNATURE_HASH_ALGORITHMS, 16431, "SIGNATURE_HASH_ALGORITHMS")                           \
	X(CLONE_IKE_SA_SUPPORTED, 16432, "CLONE_IKE_SA_SUPPORTED")                                 \
	X(CLONE_IKE_SA, 16433, "CLONE_IKE_SA")                                                     \
	X(PUZZLE, 16434, "PUZZLE")                                                                 \
	X(USE_PPK, 16435, "USE_PPK")                                                               \
	X(PPK_IDENTITY, 16436, "PPK_IDENTITY")                                                     \
	X(NO_PPK_AUTH, 16437, "NO_PPK_AUTH")                                                       \
	X(INTERMEDIATE_EXCHANGE_SUPPORTED, 16438, "INTERMEDIATE_EXCHANGE_SUPPORTED")               \
	X(IP4_ALLOWED, 16439, "IP4_ALLOWED")                                                       \
	X(IP6_ALLOWED, 16440, "IP6_ALLOWED")                                                       \
	X(ADDITIONAL_KEY_EXCHANGE, 16441, "ADDITIONAL_KEY_EXCHANGE")                               \
	X(USE_AGGFRAG, 16442, "USE_AGGFRAG")                                                       \
	X(SUPPORTED_AUTH_METHODS, 16443, "SUPPORTED_AUTH_METHODS")

/* First status notify type: below it, a notify reports an error (RFC 7296 3.10.1). */
#define PROTO_NOTIFY_FIRST_STATUS 16384

/* Transform types (RFC 7296 3.3.2, RFC 9370): X(enum suffix, value, name). */
#define PROTO_TRANSFORM_TYPES(X)                                                                   \
	X(ENCR, 1, "encryption")                                                                   \
	X(PRF, 2, "PRF")                                                                           \
	X(INTEG, 3, "integrity")                                                                   \
	X(KE, 4, "D-H group")                                                                      \
	X(ESN, 5, "ESN")

/*
 * Encryption algorithms (transform type 1): X(enum suffix, value, name, IV
 * bytes in SK, block bytes the padding aligns to, ICV bytes of an AEAD (0:
 * not AEAD)); 0 where not known.
 */
#define PROTO_ENCRS(X)                                                                             \
	X(DES_IV64, 1, "ENCR_DES_IV64", 0, 0, 0)                                                   \
	X(DES, 2, "ENCR_DES", 8, 8, 0)                                                             \
	X(3DES, 3, "ENCR_3DES", 8, 8, 0)                                                           \
	X(RC5, 4, "ENCR_RC5", 0, 0, 0)                                                             \
	X(IDEA, 5, "ENCR_IDEA", 0, 0, 0)                                                           \
	X(CAST, 6, "ENCR_CAST", 0, 0, 0)                                                           \
	X(BLOWFISH, 7, "ENCR_BLOWFISH", 0, 0, 0)                                                   \
	X(3IDEA, 8, "ENCR_3IDEA", 0, 0, 0)                                                         \
	X(DES_IV32, 9, "ENCR_DES_IV32", 0, 0, 0)                                                   \
	X(NULL, 11, "ENCR_NULL", 0, 1, 0)                                                          \
	X(AES_CBC, 12, "ENCR_AES_CBC", 16, 16, 0)                                                  \
	X(AES_CTR, 13, "ENCR_AES_CTR", 8, 1, 0)                                                    \
	X(AES_CCM_8, 14, "ENCR_AES_CCM_8", 8, 1, 8)                                                \
	X(AES_CCM_12, 15, "ENCR_AES_CCM_12", 8, 1, 12)                                             \
	X(AES_CCM_16, 16, "ENCR_AES_CCM_16", 8, 1, 16)                                             \
	X(AES_GCM_8, 18, "ENCR_AES_GCM_8", 8, 1, 8)                                                \
	X(AES_GCM_12, 19, "ENCR_AES_GCM_12", 8, 1, 12)                                             \
	X(AES_GCM_16, 20, "ENCR_AES_GCM_16", 8, 1, 16)                                             \
	X(NULL_AUTH_AES_GMAC, 21, "ENCR_NULL_AUTH_AES_GMAC", 8, 1, 16)                             \
	X(CAMELLIA_CBC, 23, "ENCR_CAMELLIA_CBC", 16, 16, 0)                                        \
	X(CAMELLIA_CTR, 24, "ENCR_CAMELLIA_CTR", 8, 1, 0)                                          \
	X(CAMELLIA_CCM_8, 25, "ENCR_CAMELLIA_CCM_8", 8, 1, 8)                                      \
	X(CAMELLIA_CCM_12, 26, "ENCR_CAMELLIA_CCM_12", 8, 1, 12)                                   \
	X(CAMELLIA_CCM_16, 27, "ENCR_CAMELLIA_CCM_16", 8, 1, 16)                                   \
	X(CHACHA20_POLY1305, 28, "ENCR_CHACHA20_POLY1305", 8, 1, 16)

/* Pseudorandom functions (type 2): X(enum suffix, value, name, output bytes). */
#define PROTO_PRFS(X)                                                                              \
	X(HMAC_MD5, 1, "PRF_HMAC_MD5", 16)                                                         \
	X(HMAC_SHA1, 2, "PRF_HMAC_SHA1", 20)                                                       \
	X(HMAC_TIGER, 3, "PRF_HMAC_TIGER", 24)                                                     \
	X(AES128_XCBC, 4, "PRF_AES128_XCBC", 16)                                                   \
	X(HMAC_SHA2_256, 5, "PRF_HMAC_SHA2_256", 32)                                               \
	X(HMAC_SHA2_384, 6, "PRF_HMAC_SHA2_384", 48)                                               \
	X(HMAC_SHA2_512, 7, "PRF_HMAC_SHA2_512", 64)                                               \
	X(AES128_CMAC, 8, "PRF_AES128_CMAC", 16)

/* Integrity algorithms (type 3): X(enum suffix, value, name, ICV bytes). */
#define PROTO_INTEGS(X)                                                                            \
	X(NONE, 0, "NONE", 0)                                                                      \
	X(HMAC_MD5_96, 1, "AUTH_HMAC_MD5_96", 12)                                                  \
	X(HMAC_SHA1_96, 2, "AUTH_HMAC_SHA1_96", 12)                                                \
	X(DES_MAC, 3, "AUTH_DES_MAC", 8)                                                           \
	X(KPDK_MD5, 4, "AUTH_KPDK_MD5", 16)                                                        \
	X(AES_XCBC_96, 5, "AUTH_AES_XCBC_96", 12)                                                  \
	X(HMAC_MD5_128, 6, "AUTH_HMAC_MD5_128", 16)                                                \
	X(HMAC_SHA1_160, 7, "AUTH_HMAC_SHA1_160", 20)                                              \
	X(AES_CMAC_96, 8, "AUTH_AES_CMAC_96", 12)                                                  \
	X(AES_128_GMAC, 9, "AUTH_AES_128_GMAC", 16)                                                \
	X(AES_192_GMAC, 10, "AUTH_AES_192_GMAC", 16)                                               \
	X(AES_256_GMAC, 11, "AUTH_AES_256_GMAC", 16)                                               \
	X(HMAC_SHA2_256_128, 12, "AUTH_HMAC_SHA2_256_128", 16)                                     \
	X(HMAC_SHA2_384_192, 13, "AUTH_HMAC_SHA2_384_192", 24)                                     \
	X(HMAC_SHA2_512_256, 14, "AUTH_HMAC_SHA2_512_256", 32)

/*
 * Key exchange methods, D-H groups (type 4; RFC 3526, 5114, 5903, 7919,
 * 8031, 9370): X(enum suffix, value, name, bytes of the KE payload's data;
 * 0 where not known: ML-KEM's differ by direction).
 */
#define PROTO_DH_GROUPS(X)                                                                         \
	X(NONE, 0, "NONE", 0)                                                                      \
	X(MODP_768, 1, "MODP_768", 96)                                                             \
	X(MODP_1024, 2, "MODP_1024", 128)                                                          \
	X(MODP_1536, 5, "MODP_1536", 192)                                                          \
	X(MODP_2048, 14, "MODP_2048", 256)                                                         \
	X(MODP_3072, 15, "MODP_3072", 384)                                                         \
	X(MODP_4096, 16, "MODP_4096", 512)                                                         \
	X(MODP_6144, 17, "MODP_6144", 768)                                                         \
	X(MODP_8192, 18, "MODP_8192", 1024)                                                        \
	X(ECP_256, 19, "ECP_256", 64)                                                              \
	X(ECP_384, 20, "ECP_384", 96)                                                              \
	X(ECP_521, 21, "ECP_521", 132)                                                             \
	X(MODP_1024_160, 22, "MODP_1024_160", 128)                                                 \
	X(MODP_2048_224, 23, "MODP_2048_224", 256)                                                 \
	X(MODP_2048_256, 24, "MODP_2048_256", 256)                                                 \
	X(ECP_192, 25, "ECP_192", 48)                                                              \
	X(ECP_224, 26, "ECP_224", 56)                                                              \
	X(BRAINPOOL_P224R1, 27, "ECP_224_BP", 56)                                                  \
	X(BRAINPOOL_P256R1, 28, "ECP_256_BP", 64)                                                  \
	X(BRAINPOOL_P384R1, 29, "ECP_384_BP", 96)                                                  \
	X(BRAINPOOL_P512R1, 30, "ECP_512_BP", 128)                                                 \
	X(CURVE25519, 31, "CURVE_25519", 32)                                                       \
	X(CURVE448, 32, "CURVE_448", 56)                                                           \
	X(GOST3410_2012_256, 33, "GOST3410_2012_256", 64)                                          \
	X(GOST3410_2012_512, 34, "GOST3410_2012_512", 128)                                         \
	X(ML_KEM_512, 35, "ML_KEM_512", 0)                                                         \
	X(ML_KEM_768, 36, "ML_KEM_768", 0)                                                         \
	X(ML_KEM_1024, 37, "ML_KEM_1024", 0)

/* Authentication methods (RFC 7296 3.8, RFC 7427): X(enum suffix, value, name). */
#define PROTO_AUTH_METHODS(X)                                                                      \
	X(RSA_SIG, 1, "RSA signature")                                                             \
	X(PSK, 2, "pre-shared key")                                                                \
	X(DSS_SIG, 3, "DSS signature")                                                             \
	X(ECDSA_256, 9, "ECDSA P-256")                                                             \
	X(ECDSA_384, 10, "ECDSA P-384")                                                            \
	X(ECDSA_521, 11, "ECDSA P-521")                                                            \
	X(GSPAM, 12, "generic secure password")                                                    \
	X(NULL_AUTH, 13, "NULL authentication")                                                    \
	X(DIGITAL_SIG, 14, "digital signature")

/* Identification types (RFC 7296 3.5): X(enum suffix, value, name). */
#define PROTO_ID_TYPES(X)                                                                          \
	X(IPV4_ADDR, 1, "ID_IPV4_ADDR")                                                            \
	X(FQDN, 2, "ID_FQDN")                                                                      \
	X(RFC822_ADDR, 3, "ID_RFC822_ADDR")                                                        \
	X(IPV6_ADDR, 5, "ID_IPV6_ADDR")                                                            \
	X(DER_ASN1_DN, 9, "ID_DER_ASN1_DN")                                                        \
	X(DER_ASN1_GN, 10, "ID_DER_ASN1_GN")                                                       \
	X(KEY_ID, 11, "ID_KEY_ID")                                                                 \
	X(FC_NAME, 12, "ID_FC_NAME")                                                               \
	X(NULL_ID, 13, "ID_NULL")

/* Traffic selector types (RFC 7296 3.13.1): X(enum suffix, value, name). */
#define PROTO_TS_TYPES(X)                                                                          \
	X(IPV4_ADDR_RANGE, 7, "TS_IPV4_ADDR_RANGE")                                                \
	X(IPV6_ADDR_RANGE, 8, "TS_IPV6_ADDR_RANGE")

/* Configuration payload types (RFC 7296 3.15): X(enum suffix, value, name). */
#define PROTO_CFG_TYPES(X)                                                                         \
	X(REQUEST, 1, "CFG_REQUEST")                                                               \
	X(REPLY, 2, "CFG_REPLY")                                                                   \
	X(SET, 3, "CFG_SET")                                                                       \
	X(ACK, 4, "CFG_ACK")

/* Configuration attributes (RFC 7296 3.15.1): X(enum suffix, value, name). */
#define PROTO_CFG_ATTRS(X)                                                                         \
	X(INTERNAL_IP4_ADDRESS, 1, "INTERNAL_IP4_ADDRESS")                                         \
	X(INTERNAL_IP4_NETMASK, 2, "INTERNAL_IP4_NETMASK")                                         \
	X(INTERNAL_IP4_DNS, 3, "INTERNAL_IP4_DNS")                                                 \
	X(INTERNAL_IP4_NBNS, 4, "INTERNAL_IP4_NBNS")                                               \
	X(INTERNAL_ADDRESS_EXPIRY, 5, "INTERNAL_ADDRESS_EXPIRY")                                   \
	X(INTERNAL_IP4_DHCP, 6, "INTERNAL_IP4_DHCP")                                               \
	X(APPLICATION_VERSION, 7, "APPLICATION_VERSION")                                           \
	X(INTERNAL_IP6_ADDRESS, 8, "INTERNAL_IP6_ADDRESS")                                         \
	X(INTERNAL_IP6_DNS, 10, "INTERNAL_IP6_DNS")                                                \
	X(INTERNAL_IP6_DHCP, 12, "INTERNAL_IP6_DHCP")                                              \
	X(INTERNAL_IP4_SUBNET, 13, "INTERNAL_IP4_SUBNET")                                          \
	X(SUPPORTED_ATTRIBUTES, 14, "SUPPORTED_ATTRIBUTES")                                        \
	X(INTERNAL_IP6_SUBNET, 15, "INTERNAL_IP6_SUBNET")

/* EAP codes (RFC 3748 4): X(enum suffix, value, name). */
#define PROTO_EAP_CODES(X)                                                                         \
	X(REQUEST, 1, "request")                                                                   \
	X(RESPONSE, 2, "response")                                                                 \
	X(SUCCESS, 3, "success")                                                                   \
	X(FAILURE, 4, "failure")

/* EAP method types (IANA): X(enum suffix, value, name). */
#define PROTO_EAP_TYPES(X)                                                                         \
	X(IDENTITY, 1, "Identity")                                                                 \
	X(NOTIFICATION, 2, "Notification")                                                         \
	X(NAK, 3, "Nak")                                                                           \
	X(MD5, 4, "MD5-Challenge")                                                                 \
	X(OTP, 5, "One-Time Password")                                                             \
	X(GTC, 6, "Generic Token Card")                                                            \
	X(TLS, 13, "EAP-TLS")                                                                      \
	X(SIM, 18, "EAP-SIM")                                                                      \
	X(TTLS, 21, "EAP-TTLS")                                                                    \
	X(AKA, 23, "EAP-AKA")                                                                      \
	X(PEAP, 25, "PEAP")                                                                        \
	X(MSCHAPV2, 26, "EAP-MSCHAP-V2")                                                           \
	X(FAST, 43, "EAP-FAST")                                                                    \
	X(AKA_PRIME, 50, "EAP-AKA'")                                                               \
	X(EXPANDED, 254, "Expanded Type")

#define PROTO_PAYLOAD_ENUM(e, v, name, shortname) PROTO_PAYLOAD_##e = v,
enum proto_payload_type { PROTO_PAYLOADS(PROTO_PAYLOAD_ENUM) };
#undef PROTO_PAYLOAD_ENUM

#define PROTO_AUTH_ENUM(e, v, name) PROTO_AUTH_##e = v,
enum proto_auth_method { PROTO_AUTH_METHODS(PROTO_AUTH_ENUM) };
#undef PROTO_AUTH_ENUM
#define PROTO_CFG_ENUM(e, v, name) PROTO_CFG_##e = v,
enum proto_cfg_type { PROTO_CFG_TYPES(PROTO_CFG_ENUM) };
enum proto_cfg_attr { PROTO_CFG_ATTRS(PROTO_CFG_ENUM) };
#undef PROTO_CFG_ENUM
#define PROTO_ID_ENUM(e, v, name) PROTO_ID_##e = v,
enum proto_id_type { PROTO_ID_TYPES(PROTO_ID_ENUM) };
#undef PROTO_ID_ENUM

/* A value's name in one of the tables, or NULL if the table has none. */
const char *proto_exchange_name(unsigned v);
const char *proto_payload_name(unsigned v);
/* The short name (SA, KE, IDi, N, ...) of a payload type, or NULL. */
const char *proto_payload_short(unsigned v);
const char *proto_notify_name(unsigned v);
const char *proto_transform_type_name(unsigned v);
const char *proto_encr_name(unsigned v);
const char *proto_prf_name(unsigned v);
const char *proto_integ_name(unsigned v);
const char *proto_dh_name(unsigned v);
const char *proto_auth_method_name(unsigned v);
const char *proto_id_type_name(unsigned v);
const char *proto_ts_type_name(unsigned v);
const char *proto_cfg_type_name(unsigned v);
const char *proto_cfg_attr_name(unsigned v);
const char *proto_eap_code_name(unsigned v);
const char *proto_eap_type_name(unsigned v);

/* The value of a name in one of the tables (exact, case-sensitive); false if none. */
bool proto_exchange_value(const char *name, unsigned *out);
bool proto_notify_value(const char *name, unsigned *out);
bool proto_auth_method_value(const char *name, unsigned *out);
/* A transform of type type (1 ENCR, 2 PRF, 3 INTEG, 4 D-H) by its protocol name ("ENCR_AES_CBC"). */
bool proto_transform_value(unsigned type, const char *name, unsigned *out);
bool proto_id_type_value(const char *name, unsigned *out);
bool proto_cfg_type_value(const char *name, unsigned *out);
bool proto_cfg_attr_value(const char *name, unsigned *out);
/* A payload type by its name or its short name (n bytes). */
bool proto_payload_value(const char *name, size_t n, unsigned *out);
/* The same in any case ("Ke", "nonce"). */
bool proto_payload_value_icase(const char *name, size_t n, unsigned *out);

/* True if the notify named reports an error (type below 16384). */
bool proto_notify_is_error(const char *name);

/* True if AUTH method m is a signature (RSA, DSS, ECDSA, RFC 7427's). */
bool proto_auth_is_signature(unsigned m);
/* Bytes of an ID payload's data for ID type t when fixed (4, 16), else 0. */
unsigned proto_id_fixed_bytes(unsigned t);

/* Bytes of the KE payload's data for D-H group g, 0 if not known. */
unsigned proto_dh_ke_bytes(unsigned g);
/* Bytes of PRF p's output, 0 if not known. */
unsigned proto_prf_bytes(unsigned p);
/* Bytes of integrity algorithm i's ICV, 0 if not known. */
unsigned proto_integ_icv_bytes(unsigned i);
/*
 * What cipher e puts in an SK payload: false if not known; else *iv the IV
 * bytes, *block what the padding aligns to, *aead_icv the ICV bytes of an
 * AEAD (0: the ICV is the integrity algorithm's).
 */
bool proto_encr_sizes(unsigned e, unsigned *iv, unsigned *block, unsigned *aead_icv);

#endif
