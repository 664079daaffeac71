#ifndef IKESCOPE_CONFIG_H
#define IKESCOPE_CONFIG_H

/*
 * An ASA running configuration, as far as IKEv2 goes: the IKEv2 policies,
 * the IPsec proposals, the crypto maps that name them, the address pools,
 * the tunnel groups and the interfaces IKEv2 is enabled on. A line that
 * cannot be read is reported with its number and skipped; nothing is fatal.
 * Pre-shared keys and passwords are never kept.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikescope/util/err.h"
#include "ikescope/util/strbuf.h"

#define CONFIG_MAX_ALGS 8

/* crypto ikev2 policy N */
struct config_policy {
	unsigned priority;
	/* the algorithms as the config names them: aes-192, sha, sha256, ... */
	char encryption[CONFIG_MAX_ALGS][24], integrity[CONFIG_MAX_ALGS][24],
		prf[CONFIG_MAX_ALGS][24];
	size_t nencryption, nintegrity, nprf;
	unsigned groups[CONFIG_MAX_ALGS];
	size_t ngroups;
	unsigned lifetime;
	uint32_t line, last_line;
};

/* crypto ipsec ikev2 ipsec-proposal NAME */
struct config_proposal {
	char name[64];
	char encryption[CONFIG_MAX_ALGS][24], integrity[CONFIG_MAX_ALGS][24];
	size_t nencryption, nintegrity;
	uint32_t line, last_line;
};

/* ip local pool NAME FIRST-LAST */
struct config_pool {
	char name[64];
	char first[48], last[48];
	uint32_t line;
};

/* tunnel-group NAME ... */
struct config_tunnel_group {
	char name[64];
	char type[32];
	char pool[64];
	char group_policy[64];
	char aliases[4][64];
	size_t naliases;
	/* ipsec-attributes: ikev2 remote-/local-authentication METHOD (keys not kept) */
	char remote_auth[24], local_auth[24];
	uint32_t auth_line;
	uint32_t line, last_line;
};

/* group-policy NAME internal | attributes */
struct config_group_policy {
	char name[64];
	char protocols[6][24]; /* vpn-tunnel-protocol */
	size_t nprotocols;
	char profile[64]; /* webvpn: anyconnect profiles value NAME */
	uint32_t line, last_line, protocol_line;
};

/* interface NAME: its nameif and address */
struct config_interface {
	char name[64], nameif[64], address[48];
	uint32_t line, last_line;
};

/* crypto map NAME SEQ ... (or crypto dynamic-map NAME SEQ ...) */
struct config_map_entry {
	char map[64];
	unsigned seq;
	bool dynamic;      /* a crypto dynamic-map entry */
	char acl[64];      /* match address */
	char peers[4][48]; /* set peer */
	size_t npeers;
	char proposals[4][64]; /* set ikev2 ipsec-proposal */
	size_t nproposals;
	char dynamic_map[64]; /* ipsec-isakmp dynamic NAME */
	uint32_t line, last_line;
};

/* access-list NAME [extended] permit|deny ip SRC DST (addresses as ranges) */
struct config_ace {
	char acl[64];
	bool permit;
	uint32_t src_lo, src_hi, dst_lo, dst_hi; /* IPv4, host order */
	uint32_t line;
};

struct config {
	char *name;
	struct config_group_policy *gpolicies;
	size_t ngpolicies;
	/* webvpn: anyconnect profiles NAME PATH (the client profiles the head end pushes) */
	struct config_profile {
		char name[64], path[128];
		uint32_t line;
	} profiles[8];
	size_t nprofiles;
	char trustpoints[8][64]; /* crypto ca trustpoint NAME */
	uint32_t trustpoint_lines[8];
	size_t ntrustpoints;
	struct config_map_entry *maps;
	size_t nmaps;
	struct config_ace *aces;
	size_t naces;
	struct config_interface *interfaces;
	size_t ninterfaces;
	struct config_policy *policies;
	size_t npolicies;
	struct config_proposal *proposals;
	size_t nproposals;
	struct config_pool *pools;
	size_t npools;
	struct config_tunnel_group *groups;
	size_t ngroups;
	char ikev2_interfaces[4][64]; /* crypto ikev2 enable IF */
	uint32_t ikev2_enable_lines[4];
	size_t nikev2_interfaces;
	/* the text, to show the lines that govern a step (--explain) */
	char *text;
	size_t *line_at; /* offset of line n + 1 */
	size_t nline_at;
	/* lines not read: "NAME:LINE: message", one per line of text */
	struct strbuf problems;
	size_t nproblems;
	size_t lines, unknown; /* lines read; of them, commands not about IKEv2 */
};

/* Reads the config at path; false (err set) only if it cannot be read. */
bool config_load(const char *path, struct config *c, struct err *err);
/* Reads config text (name for messages). */
void config_parse(const char *name, const char *text, size_t len, struct config *c);
void config_free(struct config *c);

const struct config_tunnel_group *config_tunnel_group(const struct config *c, const char *name);
/* Line n (1-based) of the config, without its end; *len gets its length. NULL if none. */
const char *config_line(const struct config *c, uint32_t n, size_t *len);
const struct config_pool *config_pool(const struct config *c, const char *name);
const struct config_group_policy *config_group_policy(const struct config *c, const char *name);
/* The entry SEQ of crypto map (or dynamic-map) NAME, or NULL. */
const struct config_map_entry *config_map_entry(const struct config *c, const char *map,
						unsigned seq);
/* True if access list acl has an entry; *permits set if a permit holds both ranges. */
bool config_acl_permits(const struct config *c, const char *acl, uint32_t src_lo, uint32_t src_hi,
			uint32_t dst_lo, uint32_t dst_hi, bool *permits);
/* The interface whose address is addr, or NULL. */
const struct config_interface *config_interface_at(const struct config *c, const char *addr);
/* True if IKEv2 is enabled on the interface of this nameif. */
bool config_ikev2_on(const struct config *c, const char *nameif);

/*
 * True if an IKEv2 transform the log names (type 1 encryption, 2 PRF, 3
 * integrity, 4 D-H group; id as printed: "AES-CBC", "SHA96", "SHA1",
 * "DH_GROUP_768_MODP/Group 1") is allowed by a config algorithm list.
 * keylen is the key length in bits when known, else 0.
 */
bool config_policy_allows(const struct config_policy *p, unsigned type, const char *id,
			  unsigned keylen);
bool config_proposal_allows(const struct config_proposal *p, unsigned type, const char *id,
			    unsigned keylen);

#endif
