/* The Cisco spelling of transforms, to their IANA values. */
#include "ikescope/dialect.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static unsigned
id_of(unsigned type, const char *name)
{
	unsigned v = 9999;

	cr_assert(dialect_cisco_transform(type, name, &v), "%s (type %u) not known", name, type);
	return v;
}

Test(dialect, cisco_transform_names)
{
	unsigned v;

	cr_expect_eq(id_of(1, "AES-CBC"), 12);
	cr_expect_eq(id_of(1, "AES-CBC-256"), 12, "a key size is no other algorithm");
	cr_expect_eq(id_of(1, "AES-GCM-16"), 20);
	cr_expect_eq(id_of(1, "AES-GCM-256"), 20);
	cr_expect_eq(id_of(1, "3DES"), 3);
	cr_expect_eq(id_of(2, "SHA256"), 5);
	cr_expect_eq(id_of(2, "SHA1"), 2);
	cr_expect_eq(id_of(3, "SHA96"), 2, "the ASA's HMAC-SHA1-96");
	cr_expect_eq(id_of(3, "SHA256"), 12);
	cr_expect_eq(id_of(3, "MD596"), 1);
	cr_expect_eq(id_of(4, "DH_GROUP_2048_MODP/Group 14"), 14);
	cr_expect_eq(id_of(4, "Group 19"), 19);
	cr_expect_eq(id_of(5, "Don't use ESN"), 0);
	cr_expect(!dialect_cisco_transform(1, "SHA256", &v), "a PRF name is no cipher");
	cr_expect(!dialect_cisco_transform(1, "AES-CBC-x", &v));
	cr_expect(!dialect_cisco_transform(4, "Group 99", &v), "no such group");
	cr_expect(!dialect_cisco_transform(2, NULL, &v));
}

/* The types and texts of a split transform list, as "type:text|type:text". */
static void
split(const char *text, bool ike, char *out, size_t n)
{
	struct dialect_transform_word w[8];
	size_t k, m = dialect_cisco_transform_words(text, strlen(text), ike, w, 8);

	out[0] = '\0';
	for (k = 0; k < m; k++)
		snprintf(out + strlen(out), n - strlen(out), "%s%u:%.*s", k ? "|" : "", w[k].type,
			 (int)w[k].len, text + w[k].at);
}

Test(dialect, cisco_transform_lists_split_by_type)
{
	char got[256];

	split("AES-CBC-256 SHA256 SHA256 DH_GROUP_2048_MODP/Group 14", true, got, sizeof(got));
	cr_expect_str_eq(got, "1:AES-CBC-256|2:SHA256|3:SHA256|4:DH_GROUP_2048_MODP/Group 14");
	split("AES-CBC SHA256 Don't use ESN", false, got, sizeof(got));
	cr_expect_str_eq(got, "1:AES-CBC|3:SHA256|5:Don't use ESN");
	split("  AES-GCM-256  SHA384   Group 20 ", true, got, sizeof(got));
	cr_expect_str_eq(got, "1:AES-GCM-256|2:SHA384|4:Group 20",
			 "an AEAD cipher: a PRF, no INTEG");
	split("", true, got, sizeof(got));
	cr_expect_str_eq(got, "");
	cr_expect_str_eq(dialect_cisco_group_number("DH_GROUP_1024_MODP/Group 2"), "2");
	cr_expect_str_eq(dialect_cisco_group_number("MODP_2048"), "MODP_2048");
}
