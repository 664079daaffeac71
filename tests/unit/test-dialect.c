/* The dialect adapters: the Cisco spelling of transforms, the input's dialect, the events' adapter. */
#include "ikescope/dialect.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "ikescope/event.h"
#include "ikescope/grammar.h"
#include "ikescope/lexer.h"

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

/*
 * The input's dialect is what most of its first records show; the event of
 * a rule common to all, or shared by several dialects, is the input's
 * dialect's; a rule of one dialect only makes an event of that dialect.
 */
Test(dialect, votes_and_the_adapter_of_an_event)
{
	static const char asa[] =
		"[dialect asa]\ndetect = ^A-\n[family message a]\nregex = ^A-(?<text>.*)$\n";
	static const char both[] =
		"[dialect asa ios]\n[family message b]\nregex = ^B (?<text>.*)$\n";
	static const char ios[] =
		"[dialect ios]\ndetect = ^I:\n[family message i]\nregex = ^I:(?<text>.*)$\n";
	struct gram_source src[] = {
		{ "a.gram", asa, sizeof(asa) - 1 },
		{ "b.gram", both, sizeof(both) - 1 },
		{ "i.gram", ios, sizeof(ios) - 1 },
	};
	struct grammar *g = grammar_create(src, 3, NULL, NULL);
	struct dialect_votes v;
	struct lex_record rec = { 0 };
	struct gram_match m;
	struct ike_event ev;

	cr_assert_not_null(g);
	dialect_votes_init(&v);
	cr_expect_eq(v.leader, GRAM_DIALECT_COUNT);
	dialect_vote(&v, g, "I:1", 3);
	cr_expect_eq(v.leader, GRAM_DIALECT_IOS);
	dialect_vote(&v, g, "A-1", 3);
	cr_expect_eq(v.leader, GRAM_DIALECT_IOS, "a tie keeps the first");
	dialect_vote(&v, g, "A-2", 3);
	dialect_vote(&v, g, "no vote", 7);
	cr_expect_eq(v.leader, GRAM_DIALECT_ASA);
	cr_expect_eq(v.total, 3);

	rec.text = "B x";
	rec.len = 3;
	cr_assert(grammar_match(g, rec.text, rec.len, &m));
	dialect_event(&rec, &m, GRAM_DIALECT_IOS, &ev);
	cr_expect_eq(ev.dialect, GRAM_DIALECT_IOS);
	dialect_event(&rec, &m, GRAM_DIALECT_SHOW, &ev);
	cr_expect_eq(ev.dialect, GRAM_DIALECT_ASA, "not of the input's dialect: the rule's first");
	rec.text = "A-x";
	cr_assert(grammar_match(g, rec.text, rec.len, &m));
	dialect_event(&rec, &m, GRAM_DIALECT_IOS, &ev);
	cr_expect_eq(ev.dialect, GRAM_DIALECT_ASA);
	grammar_destroy(g);
}
