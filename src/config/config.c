/*
 * The parts of an ASA running configuration that govern IKEv2. Commands
 * are read one line at a time; an indented line belongs to the command
 * above it. What is not about IKEv2 is counted and left alone.
 */
#include "ikescope/config.h"

#include <ctype.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/util/compiler.h"
#include "ikescope/util/xalloc.h"

enum context {
	CTX_NONE,
	CTX_POLICY,
	CTX_PROPOSAL,
	CTX_GROUP_GENERAL,
	CTX_GROUP_WEBVPN,
	CTX_GROUP_IPSEC,
	CTX_GROUP_POLICY,
	CTX_WEBVPN,
	CTX_INTERFACE,
	CTX_SKIP
};

struct parser {
	struct config *c;
	const char *name;
	uint32_t line;
	enum context ctx;
	size_t cur; /* index of the policy, proposal or tunnel group being read */
};

static void IKESCOPE_PRINTF_LIKE(2, 3) problem(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	sb_addf(&p->c->problems, "%s:%u: ", p->name, p->line);
	va_start(ap, fmt);
	sb_vaddf(&p->c->problems, fmt, ap);
	va_end(ap);
	sb_addc(&p->c->problems, '\n');
	p->c->nproblems++;
}

/* The words of a line, at most max (the rest is left in the last). */
static size_t
words(char *s, char **w, size_t max)
{
	size_t n = 0;

	while (*s && n < max) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		w[n++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		if (*s)
			*s++ = '\0';
	}
	return n;
}

static void
copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

static void
add_algs(char (*list)[24], size_t *n, char **w, size_t nw)
{
	size_t i;

	for (i = 0; i < nw && *n < CONFIG_MAX_ALGS; i++) {
		copy(list[*n], sizeof(list[0]), w[i]);
		for (char *q = list[*n]; *q; q++)
			*q = (char)tolower((unsigned char)*q);
		(*n)++;
	}
}

static struct config_tunnel_group *
group_named(struct config *c, const char *name, uint32_t line)
{
	size_t i;

	for (i = 0; i < c->ngroups; i++)
		if (!strcmp(c->groups[i].name, name))
			return &c->groups[i];
	c->groups = xreallocarray(c->groups, c->ngroups + 1, sizeof(*c->groups));
	memset(&c->groups[c->ngroups], 0, sizeof(c->groups[0]));
	copy(c->groups[c->ngroups].name, sizeof(c->groups[0].name), name);
	c->groups[c->ngroups].line = c->groups[c->ngroups].last_line = line;
	return &c->groups[c->ngroups++];
}

/* A line indented under the command being read. */
static void
sub_line(struct parser *p, char **w, size_t n)
{
	struct config *c = p->c;

	if (p->ctx == CTX_POLICY) {
		struct config_policy *pol = &c->policies[p->cur];

		pol->last_line = p->line;
		if (!strcmp(w[0], "encryption")) {
			add_algs(pol->encryption, &pol->nencryption, w + 1, n - 1);
		} else if (!strcmp(w[0], "integrity")) {
			add_algs(pol->integrity, &pol->nintegrity, w + 1, n - 1);
		} else if (!strcmp(w[0], "prf")) {
			add_algs(pol->prf, &pol->nprf, w + 1, n - 1);
		} else if (!strcmp(w[0], "group")) {
			size_t i;

			for (i = 1; i < n; i++) {
				char *end;
				unsigned long g = strtoul(w[i], &end, 10);

				if (*end || !g || g > 65535) {
					problem(p, "'group %s': a D-H group is a number", w[i]);
					continue;
				}
				if (pol->ngroups < CONFIG_MAX_ALGS)
					pol->groups[pol->ngroups++] = (unsigned)g;
			}
		} else if (!strcmp(w[0], "lifetime") && n >= 3 && !strcmp(w[1], "seconds")) {
			pol->lifetime = (unsigned)strtoul(w[2], NULL, 10);
		} else {
			problem(p, "'%s' is not a crypto ikev2 policy setting", w[0]);
		}
	} else if (p->ctx == CTX_PROPOSAL) {
		struct config_proposal *pr = &c->proposals[p->cur];

		pr->last_line = p->line;
		if (n >= 3 && !strcmp(w[0], "protocol") && !strcmp(w[1], "esp") &&
		    !strcmp(w[2], "encryption"))
			add_algs(pr->encryption, &pr->nencryption, w + 3, n - 3);
		else if (n >= 3 && !strcmp(w[0], "protocol") && !strcmp(w[1], "esp") &&
			 !strcmp(w[2], "integrity"))
			add_algs(pr->integrity, &pr->nintegrity, w + 3, n - 3);
		else
			problem(p, "'%s' is not an ipsec-proposal setting", w[0]);
	} else if (p->ctx == CTX_GROUP_GENERAL) {
		struct config_tunnel_group *g = &c->groups[p->cur];

		g->last_line = p->line;
		if (!strcmp(w[0], "address-pool") && n >= 2)
			copy(g->pool, sizeof(g->pool), w[n - 1]);
		else if (!strcmp(w[0], "default-group-policy") && n >= 2)
			copy(g->group_policy, sizeof(g->group_policy), w[1]);
	} else if (p->ctx == CTX_INTERFACE) {
		struct config_interface *in = &c->interfaces[p->cur];

		in->last_line = p->line;
		if (!strcmp(w[0], "nameif") && n >= 2)
			copy(in->nameif, sizeof(in->nameif), w[1]);
		else if (!strcmp(w[0], "ip") && n >= 3 && !strcmp(w[1], "address"))
			copy(in->address, sizeof(in->address), w[2]);
	} else if (p->ctx == CTX_GROUP_WEBVPN) {
		struct config_tunnel_group *g = &c->groups[p->cur];

		g->last_line = p->line;
		if (!strcmp(w[0], "group-alias") && n >= 2 && g->naliases < 4)
			copy(g->aliases[g->naliases++], sizeof(g->aliases[0]), w[1]);
	} else if (p->ctx == CTX_GROUP_POLICY) {
		struct config_group_policy *gp = &c->gpolicies[p->cur];
		size_t i;

		gp->last_line = p->line;
		if (!strcmp(w[0], "anyconnect") && n >= 4 && !strcmp(w[1], "profiles") &&
		    !strcmp(w[2], "value"))
			copy(gp->profile, sizeof(gp->profile), w[3]);
		if (!strcmp(w[0], "vpn-tunnel-protocol")) {
			gp->nprotocols = 0;
			gp->protocol_line = p->line;
			for (i = 1; i < n && gp->nprotocols < 6; i++)
				copy(gp->protocols[gp->nprotocols++], sizeof(gp->protocols[0]),
				     w[i]);
		}
	} else if (p->ctx == CTX_WEBVPN) {
		if (!strcmp(w[0], "anyconnect") && n >= 4 && !strcmp(w[1], "profiles") &&
		    c->nprofiles < 8) {
			struct config_profile *pr = &c->profiles[c->nprofiles++];

			copy(pr->name, sizeof(pr->name), w[2]);
			copy(pr->path, sizeof(pr->path), w[3]);
			pr->line = p->line;
		}
	} else if (p->ctx == CTX_GROUP_IPSEC) {
		/* the methods only: what follows pre-shared-key is a key, never kept */
		struct config_tunnel_group *g = &c->groups[p->cur];

		if (!strcmp(w[0], "ikev2") && n >= 3 && !strcmp(w[1], "remote-authentication")) {
			copy(g->remote_auth, sizeof(g->remote_auth), w[2]);
			g->auth_line = p->line;
		} else if (!strcmp(w[0], "ikev2") && n >= 3 &&
			   !strcmp(w[1], "local-authentication")) {
			copy(g->local_auth, sizeof(g->local_auth), w[2]);
			if (!g->auth_line)
				g->auth_line = p->line;
		}
	}
}

static struct config_map_entry *
map_entry_named(struct config *c, const char *map, unsigned seq, bool dynamic, uint32_t line)
{
	struct config_map_entry *e;
	size_t i;

	for (i = 0; i < c->nmaps; i++)
		if (c->maps[i].seq == seq && c->maps[i].dynamic == dynamic &&
		    !strcmp(c->maps[i].map, map))
			return &c->maps[i];
	c->maps = xreallocarray(c->maps, c->nmaps + 1, sizeof(*c->maps));
	e = &c->maps[c->nmaps++];
	memset(e, 0, sizeof(*e));
	copy(e->map, sizeof(e->map), map);
	e->seq = seq;
	e->dynamic = dynamic;
	e->line = line;
	return e;
}

/*
 * crypto map NAME SEQ match address ACL | set peer A... | set ikev2
 * ipsec-proposal P... | ipsec-isakmp dynamic DYN; crypto map NAME interface
 * IF. The same with crypto dynamic-map.
 */
static void
map_line(struct parser *p, char **w, size_t n)
{
	bool dynamic = !strcmp(w[1], "dynamic-map");
	struct config_map_entry *e;
	char *end = NULL;
	unsigned long seq;
	size_t i;

	p->ctx = CTX_NONE;
	if (!strcmp(w[3], "interface") || !strcmp(w[3], "client"))
		return; /* which interface the map is on; not an entry */
	seq = strtoul(w[3], &end, 10);
	if (*end || n < 5) {
		problem(p, "'crypto %s %s' needs a sequence number and a setting", w[1], w[2]);
		return;
	}
	e = map_entry_named(p->c, w[2], (unsigned)seq, dynamic, p->line);
	e->last_line = p->line;
	if (!strcmp(w[4], "match") && n >= 7 && !strcmp(w[5], "address")) {
		copy(e->acl, sizeof(e->acl), w[6]);
	} else if (!strcmp(w[4], "set") && n >= 7 && !strcmp(w[5], "peer")) {
		for (i = 6; i < n && e->npeers < 4; i++)
			copy(e->peers[e->npeers++], sizeof(e->peers[0]), w[i]);
	} else if (!strcmp(w[4], "set") && n >= 8 && !strcmp(w[5], "ikev2") &&
		   !strcmp(w[6], "ipsec-proposal")) {
		for (i = 7; i < n && e->nproposals < 4; i++)
			copy(e->proposals[e->nproposals++], sizeof(e->proposals[0]), w[i]);
	} else if (!strcmp(w[4], "ipsec-isakmp") && n >= 7 && !strcmp(w[5], "dynamic")) {
		copy(e->dynamic_map, sizeof(e->dynamic_map), w[6]);
	}
	/* other settings (pfs, security-association lifetime, ...) are not checked */
}

static bool
dotted(const char *text, uint32_t *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, text, &a) != 1)
		return false;
	*out = ntohl(a.s_addr);
	return true;
}

/* An address operand at w[*i]: any, any4, host A, A MASK. False if not one read here. */
static bool
operand(char **w, size_t n, size_t *i, uint32_t *lo, uint32_t *hi)
{
	uint32_t a, m;

	if (*i >= n)
		return false;
	if (!strcmp(w[*i], "any") || !strcmp(w[*i], "any4")) {
		*lo = 0;
		*hi = UINT32_MAX;
		(*i)++;
		return true;
	}
	if (!strcmp(w[*i], "host") && *i + 1 < n && dotted(w[*i + 1], &a)) {
		*lo = *hi = a;
		*i += 2;
		return true;
	}
	if (*i + 1 < n && dotted(w[*i], &a) && dotted(w[*i + 1], &m)) {
		*lo = a & m;
		*hi = *lo | ~m;
		*i += 2;
		return true;
	}
	return false;
}

/* access-list NAME [extended] permit|deny ip SRC DST */
static void
acl_line(struct parser *p, char **w, size_t n)
{
	struct config *c = p->c;
	struct config_ace ace;
	size_t i = 2;

	p->ctx = CTX_NONE;
	memset(&ace, 0, sizeof(ace));
	if (i < n && !strcmp(w[i], "extended"))
		i++;
	if (i < n && (!strcmp(w[i], "remark") || !strcmp(w[i], "standard") ||
		      !strcmp(w[i], "webtype") || !strcmp(w[i], "ethertype")))
		return;
	if (i + 1 >= n || (strcmp(w[i], "permit") && strcmp(w[i], "deny"))) {
		problem(p, "'access-list %s' needs permit or deny", w[1]);
		return;
	}
	ace.permit = !strcmp(w[i], "permit");
	i++;
	if (strcmp(w[i], "ip")) {
		/* a port-specific or object-based entry: beyond what IKEv2 selectors need */
		c->unknown++;
		return;
	}
	i++;
	if (!operand(w, n, &i, &ace.src_lo, &ace.src_hi) ||
	    !operand(w, n, &i, &ace.dst_lo, &ace.dst_hi)) {
		c->unknown++; /* object groups and the like */
		return;
	}
	copy(ace.acl, sizeof(ace.acl), w[1]);
	ace.line = p->line;
	c->aces = xreallocarray(c->aces, c->naces + 1, sizeof(*c->aces));
	c->aces[c->naces++] = ace;
}

static void
top_line(struct parser *p, char **w, size_t n)
{
	struct config *c = p->c;

	p->ctx = CTX_SKIP;
	if (n >= 2 && !strcmp(w[0], "interface")) {
		c->interfaces =
			xreallocarray(c->interfaces, c->ninterfaces + 1, sizeof(*c->interfaces));
		memset(&c->interfaces[c->ninterfaces], 0, sizeof(c->interfaces[0]));
		copy(c->interfaces[c->ninterfaces].name, sizeof(c->interfaces[0].name), w[1]);
		c->interfaces[c->ninterfaces].line = c->interfaces[c->ninterfaces].last_line =
			p->line;
		p->cur = c->ninterfaces++;
		p->ctx = CTX_INTERFACE;
	} else if (n >= 3 && !strcmp(w[0], "crypto") && !strcmp(w[1], "ikev2") &&
		   !strcmp(w[2], "policy")) {
		char *end = NULL;
		unsigned long pri = n >= 4 ? strtoul(w[3], &end, 10) : 0;

		if (n < 4 || *end) {
			problem(p, "'crypto ikev2 policy' needs a priority number");
			return;
		}
		c->policies = xreallocarray(c->policies, c->npolicies + 1, sizeof(*c->policies));
		memset(&c->policies[c->npolicies], 0, sizeof(c->policies[0]));
		c->policies[c->npolicies].priority = (unsigned)pri;
		c->policies[c->npolicies].line = c->policies[c->npolicies].last_line = p->line;
		p->cur = c->npolicies++;
		p->ctx = CTX_POLICY;
	} else if (n >= 4 && !strcmp(w[0], "crypto") && !strcmp(w[1], "ipsec") &&
		   !strcmp(w[2], "ikev2") && !strcmp(w[3], "ipsec-proposal")) {
		if (n < 5) {
			problem(p, "'crypto ipsec ikev2 ipsec-proposal' needs a name");
			return;
		}
		c->proposals =
			xreallocarray(c->proposals, c->nproposals + 1, sizeof(*c->proposals));
		memset(&c->proposals[c->nproposals], 0, sizeof(c->proposals[0]));
		copy(c->proposals[c->nproposals].name, sizeof(c->proposals[0].name), w[4]);
		c->proposals[c->nproposals].line = c->proposals[c->nproposals].last_line = p->line;
		p->cur = c->nproposals++;
		p->ctx = CTX_PROPOSAL;
	} else if (n >= 3 && !strcmp(w[0], "ip") && !strcmp(w[1], "local") &&
		   !strcmp(w[2], "pool")) {
		char *dash = n >= 5 ? strchr(w[4], '-') : NULL;
		struct config_pool *pool;

		if (!dash) {
			problem(p, "'ip local pool' needs a name and FIRST-LAST addresses");
			return;
		}
		*dash = '\0';
		c->pools = xreallocarray(c->pools, c->npools + 1, sizeof(*c->pools));
		pool = &c->pools[c->npools++];
		memset(pool, 0, sizeof(*pool));
		copy(pool->name, sizeof(pool->name), w[3]);
		copy(pool->first, sizeof(pool->first), w[4]);
		copy(pool->last, sizeof(pool->last), dash + 1);
		pool->line = p->line;
		p->ctx = CTX_NONE;
	} else if (n >= 3 && !strcmp(w[0], "tunnel-group")) {
		struct config_tunnel_group *g = group_named(c, w[1], p->line);

		g->last_line = p->line;
		p->cur = (size_t)(g - c->groups);
		if (!strcmp(w[2], "type") && n >= 4)
			copy(g->type, sizeof(g->type), w[3]);
		else if (!strcmp(w[2], "general-attributes"))
			p->ctx = CTX_GROUP_GENERAL;
		else if (!strcmp(w[2], "webvpn-attributes"))
			p->ctx = CTX_GROUP_WEBVPN;
		else if (!strcmp(w[2], "ipsec-attributes"))
			p->ctx = CTX_GROUP_IPSEC; /* the methods; the keys are not kept */
	} else if (n == 1 && !strcmp(w[0], "webvpn")) {
		p->ctx = CTX_WEBVPN;
	} else if (n >= 3 && !strcmp(w[0], "group-policy")) {
		struct config_group_policy *gp = NULL;
		size_t i;

		for (i = 0; i < c->ngpolicies && !gp; i++)
			if (!strcmp(c->gpolicies[i].name, w[1]))
				gp = &c->gpolicies[i];
		if (!gp) {
			c->gpolicies = xreallocarray(c->gpolicies, c->ngpolicies + 1,
						     sizeof(*c->gpolicies));
			gp = &c->gpolicies[c->ngpolicies++];
			memset(gp, 0, sizeof(*gp));
			copy(gp->name, sizeof(gp->name), w[1]);
			gp->line = p->line;
		}
		gp->last_line = p->line;
		p->cur = (size_t)(gp - c->gpolicies);
		p->ctx = !strcmp(w[2], "attributes") ? CTX_GROUP_POLICY : CTX_NONE;
	} else if (n >= 4 && !strcmp(w[0], "crypto") && !strcmp(w[1], "ca") &&
		   !strcmp(w[2], "trustpoint")) {
		if (c->ntrustpoints < 8) {
			c->trustpoint_lines[c->ntrustpoints] = p->line;
			copy(c->trustpoints[c->ntrustpoints++], sizeof(c->trustpoints[0]), w[3]);
		}
		p->ctx = CTX_SKIP; /* enrollment and the like */
	} else if (n >= 4 && !strcmp(w[0], "crypto") &&
		   (!strcmp(w[1], "map") || !strcmp(w[1], "dynamic-map"))) {
		map_line(p, w, n);
	} else if (n >= 2 && !strcmp(w[0], "access-list")) {
		acl_line(p, w, n);
	} else if (n >= 4 && !strcmp(w[0], "crypto") && !strcmp(w[1], "ikev2") &&
		   !strcmp(w[2], "enable")) {
		if (c->nikev2_interfaces < 4) {
			c->ikev2_enable_lines[c->nikev2_interfaces] = p->line;
			copy(c->ikev2_interfaces[c->nikev2_interfaces++],
			     sizeof(c->ikev2_interfaces[0]), w[3]);
		}
		p->ctx = CTX_NONE;
	} else {
		c->unknown++;
	}
}

void
config_parse(const char *name, const char *text, size_t len, struct config *c)
{
	struct parser p = { c, name, 0, CTX_NONE, 0 };
	const char *end = text + len;
	char buf[1024];
	size_t cap_line_at = 0;

	memset(c, 0, sizeof(*c));
	c->name = xstrdup(name);
	sb_init(&c->problems);
	c->text = xmalloc(len + 1);
	memcpy(c->text, text, len);
	c->text[len] = '\0';
	while (text < end) {
		const char *nl = memchr(text, '\n', (size_t)(end - text));
		size_t n = nl ? (size_t)(nl - text) : (size_t)(end - text);
		char *w[32];
		size_t nw;
		bool indented;

		p.line++;
		c->lines++;
		/* grown by doubling: a config of many short lines costs no quadratic copying */
		if (c->nline_at == cap_line_at) {
			cap_line_at = cap_line_at ? cap_line_at * 2 : 256;
			c->line_at = xreallocarray(c->line_at, cap_line_at, sizeof(*c->line_at));
		}
		c->line_at[c->nline_at++] = (size_t)(text - (end - len));
		/* past the whole line, long or not (a long last line has no newline after it) */
		text = nl ? nl + 1 : end;
		if (n >= sizeof(buf)) {
			problem(&p, "line longer than %zu bytes, not read", sizeof(buf) - 1);
			n = 0;
		}
		memcpy(buf, text - n - (nl ? 1 : 0), n);
		buf[n] = '\0';
		while (n && (buf[n - 1] == '\r' || buf[n - 1] == ' '))
			buf[--n] = '\0';
		indented = buf[0] == ' ' || buf[0] == '\t';
		nw = words(buf, w, 32);
		if (!nw || w[0][0] == '!' || w[0][0] == ':')
			continue;
		if (indented && p.ctx != CTX_NONE && p.ctx != CTX_SKIP)
			sub_line(&p, w, nw);
		else if (!indented)
			top_line(&p, w, nw);
	}
}

bool
config_load(const char *path, struct config *c, struct err *err)
{
	FILE *fp = fopen(path, "rb");
	struct strbuf text;
	char chunk[65536];
	size_t got;

	if (!fp) {
		err_set(err, ERR_IO, &(struct loc){ path, 0, 0 }, "cannot read the config: %s",
			strerror(errno));
		return false;
	}
	sb_init(&text);
	while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0 && text.len < (16u << 20))
		sb_add(&text, chunk, got);
	fclose(fp);
	config_parse(path, text.buf ? text.buf : "", text.len, c);
	sb_finish(&text);
	return true;
}

void
config_free(struct config *c)
{
	free(c->name);
	free(c->interfaces);
	free(c->maps);
	free(c->gpolicies);
	free(c->aces);
	free(c->text);
	free(c->line_at);
	free(c->policies);
	free(c->proposals);
	free(c->pools);
	free(c->groups);
	sb_finish(&c->problems);
	memset(c, 0, sizeof(*c));
}

const struct config_tunnel_group *
config_tunnel_group(const struct config *c, const char *name)
{
	size_t i, j;

	for (i = 0; name && i < c->ngroups; i++) {
		if (!strcmp(c->groups[i].name, name))
			return &c->groups[i];
		for (j = 0; j < c->groups[i].naliases; j++)
			if (!strcmp(c->groups[i].aliases[j], name))
				return &c->groups[i];
	}
	return NULL;
}

const char *
config_line(const struct config *c, uint32_t n, size_t *len)
{
	const char *p, *nl;

	if (!n || n > c->nline_at)
		return NULL;
	p = c->text + c->line_at[n - 1];
	nl = strchr(p, '\n');
	*len = nl ? (size_t)(nl - p) : strlen(p);
	while (*len && p[*len - 1] == '\r')
		(*len)--;
	return p;
}

const struct config_group_policy *
config_group_policy(const struct config *c, const char *name)
{
	size_t i;

	for (i = 0; name && i < c->ngpolicies; i++)
		if (!strcmp(c->gpolicies[i].name, name))
			return &c->gpolicies[i];
	return NULL;
}

const struct config_map_entry *
config_map_entry(const struct config *c, const char *map, unsigned seq)
{
	size_t i;

	for (i = 0; map && i < c->nmaps; i++)
		if (c->maps[i].seq == seq && !strcmp(c->maps[i].map, map))
			return &c->maps[i];
	return NULL;
}

bool
config_acl_permits(const struct config *c, const char *acl, uint32_t src_lo, uint32_t src_hi,
		   uint32_t dst_lo, uint32_t dst_hi, bool *permits)
{
	bool any = false;
	size_t i;

	*permits = false;
	for (i = 0; acl && i < c->naces; i++) {
		const struct config_ace *a = &c->aces[i];

		if (strcmp(a->acl, acl))
			continue;
		any = true;
		/* first match decides, as the ASA reads an ACL */
		if (src_lo >= a->src_lo && src_hi <= a->src_hi && dst_lo >= a->dst_lo &&
		    dst_hi <= a->dst_hi) {
			*permits = a->permit;
			return true;
		}
	}
	return any;
}

const struct config_interface *
config_interface_at(const struct config *c, const char *addr)
{
	size_t i;

	for (i = 0; addr && i < c->ninterfaces; i++)
		if (!strcmp(c->interfaces[i].address, addr))
			return &c->interfaces[i];
	return NULL;
}

bool
config_ikev2_on(const struct config *c, const char *nameif)
{
	size_t i;

	for (i = 0; nameif && i < c->nikev2_interfaces; i++)
		if (!strcmp(c->ikev2_interfaces[i], nameif))
			return true;
	return false;
}

const struct config_pool *
config_pool(const struct config *c, const char *name)
{
	size_t i;

	for (i = 0; name && i < c->npools; i++)
		if (!strcmp(c->pools[i].name, name))
			return &c->pools[i];
	return NULL;
}

/* ---- algorithm names: the log's against the config's ---- */

/* A cipher as a family and key bits (0: not said): "AES-CBC-256" -> aes, 256. */
static void
cipher(const char *id, char *family, size_t size, unsigned *bits)
{
	char low[32];
	size_t i, n;

	for (i = 0; id[i] && i < sizeof(low) - 1; i++)
		low[i] = (char)tolower((unsigned char)id[i]);
	low[i] = '\0';
	*bits = 0;
	n = strlen(low);
	/* a key length at the end: -128, -192, -256 */
	if (n > 4 && low[n - 4] == '-' && isdigit((unsigned char)low[n - 3])) {
		*bits = (unsigned)atoi(low + n - 3);
		low[n - 4] = '\0';
	}
	/* the log's AES-CBC is the config's aes; AES-GCM-16 is aes-gcm */
	if (!strcmp(low, "aes-cbc"))
		copy(family, size, "aes");
	else if (!strncmp(low, "aes-gcm", 7))
		copy(family, size, "aes-gcm");
	else
		copy(family, size, low);
}

static bool
cipher_allowed(char (*list)[24], size_t n, const char *id, unsigned keylen)
{
	char fam[32], cfam[32];
	unsigned bits, cbits;
	size_t i;

	cipher(id, fam, sizeof(fam), &bits);
	if (!bits)
		bits = keylen;
	for (i = 0; i < n; i++) {
		cipher(list[i], cfam, sizeof(cfam), &cbits);
		/* the config's plain aes is AES with 128-bit keys */
		if (!cbits && (!strcmp(cfam, "aes") || !strcmp(cfam, "aes-gcm")))
			cbits = 128;
		if (!strcmp(fam, cfam) && (!bits || bits == cbits))
			return true;
	}
	return false;
}

/* An integrity or PRF name reduced to the config's: SHA96/SHA1/sha-1 -> sha, MD596 -> md5. */
static void
hash_name(const char *id, char *out, size_t size)
{
	char low[32];
	size_t i, j;

	for (i = 0, j = 0; id[i] && j < sizeof(low) - 1; i++)
		if (id[i] != '-' && id[i] != '_')
			low[j++] = (char)tolower((unsigned char)id[i]);
	low[j] = '\0';
	if (!strcmp(low, "sha96") || !strcmp(low, "sha1") || !strcmp(low, "sha"))
		copy(out, size, "sha");
	else if (!strcmp(low, "md596") || !strcmp(low, "md5"))
		copy(out, size, "md5");
	else if (!strncmp(low, "sha256", 6))
		copy(out, size, "sha256");
	else if (!strncmp(low, "sha384", 6))
		copy(out, size, "sha384");
	else if (!strncmp(low, "sha512", 6))
		copy(out, size, "sha512");
	else
		copy(out, size, low);
}

static bool
hash_allowed(char (*list)[24], size_t n, const char *id)
{
	char a[32], b[32];
	size_t i;

	hash_name(id, a, sizeof(a));
	for (i = 0; i < n; i++) {
		hash_name(list[i], b, sizeof(b));
		if (!strcmp(a, b))
			return true;
	}
	return false;
}

bool
config_policy_allows(const struct config_policy *p, unsigned type, const char *id, unsigned keylen)
{
	const char *g;
	size_t i;

	if (!id)
		return true;
	switch (type) {
	case 1:
		return cipher_allowed((char(*)[24])p->encryption, p->nencryption, id, keylen);
	case 2:
		return hash_allowed((char(*)[24])p->prf, p->nprf, id);
	case 3:
		return hash_allowed((char(*)[24])p->integrity, p->nintegrity, id);
	case 4:
		g = strstr(id, "Group ");
		if (!g)
			return true; /* not a name this reads */
		for (i = 0; i < p->ngroups; i++)
			if (p->groups[i] == (unsigned)atoi(g + 6))
				return true;
		return false;
	default:
		return true;
	}
}

bool
config_proposal_allows(const struct config_proposal *p, unsigned type, const char *id,
		       unsigned keylen)
{
	if (!id)
		return true;
	if (type == 1)
		return cipher_allowed((char(*)[24])p->encryption, p->nencryption, id, keylen);
	if (type == 3)
		return hash_allowed((char(*)[24])p->integrity, p->nintegrity, id);
	return true;
}
