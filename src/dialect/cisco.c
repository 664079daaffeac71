/*
 * The Cisco spelling of IKEv2 transforms, as ASA, IOS and IOS-XE print
 * them in payload dumps, proposal summaries and policy lists, mapped to
 * the IANA values of proto.h. A key size in the name ("AES-CBC-256") is
 * the key length attribute, not another algorithm.
 */
#include "ikescope/dialect.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ikescope/proto.h"

struct spelling {
	unsigned type;
	const char *name; /* a prefix when it ends in '-': the key size may follow */
	unsigned iana;
};

static const struct spelling spellings[] = {
	/* encryption: the key size may follow ("AES-CBC-256", "AES-GCM-128") */
	{ 1, "AES-CBC", 12 },
	{ 1, "AES-GCM-8", 18 },
	{ 1, "AES-GCM-12", 19 },
	{ 1, "AES-GCM", 20 },
	{ 1, "AES-GMAC", 21 },
	{ 1, "AES-CTR", 13 },
	{ 1, "3DES", 3 },
	{ 1, "DES", 2 },
	{ 1, "NULL", 11 },
	/* PRF */
	{ 2, "MD5", 1 },
	{ 2, "SHA1", 2 },
	{ 2, "SHA", 2 },
	{ 2, "SHA256", 5 },
	{ 2, "SHA384", 6 },
	{ 2, "SHA512", 7 },
	{ 2, "AES-XCBC", 4 },
	{ 2, "AES-CMAC", 8 },
	/* integrity: the ASA names HMAC-SHA1-96 "SHA96" */
	{ 3, "MD596", 1 },
	{ 3, "MD5", 1 },
	{ 3, "SHA96", 2 },
	{ 3, "SHA1", 2 },
	{ 3, "SHA", 2 },
	{ 3, "AES-XCBC-96", 5 },
	{ 3, "SHA256", 12 },
	{ 3, "SHA384", 13 },
	{ 3, "SHA512", 14 },
	{ 3, "NULL", 0 },
	/* ESN */
	{ 5, "Don't use ESN", 0 },
	{ 5, "Use ESN", 1 },
};

/* True if name is s, or s followed by "-" and a key size ("AES-CBC-256"). */
static bool
names(const char *name, const char *s)
{
	size_t n;
	const char *k;

	/* most names differ at once: no call for them */
	if ((name[0] | 0x20) != (s[0] | 0x20))
		return false;
	n = strlen(s);
	if (strncasecmp(name, s, n))
		return false;
	if (!name[n])
		return true;
	if (name[n] != '-' || !name[n + 1])
		return false;
	for (k = name + n + 1; *k >= '0' && *k <= '9'; k++)
		;
	return !*k;
}

bool
dialect_cisco_transform(unsigned type, const char *name, unsigned *iana)
{
	size_t i;

	if (!name)
		return false;
	if (type == 4) {
		/* "DH_GROUP_2048_MODP/Group 14", "Group 14" */
		const char *g = strstr(name, "Group ");
		char *end;
		unsigned long v;

		if (!g)
			return false;
		v = strtoul(g + 6, &end, 10);
		if (end == g + 6 || *end || !proto_dh_name((unsigned)v))
			return false;
		*iana = (unsigned)v;
		return true;
	}
	for (i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++)
		if (spellings[i].type == type && names(name, spellings[i].name)) {
			*iana = spellings[i].iana;
			return true;
		}
	return false;
}
