/* Unit tests of config/: what an ASA config says about IKEv2, and what it allows. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/config.h"

static const char text[] = "hostname ASA\n"
			   "crypto ikev2 policy 10\n"
			   " encryption aes-256 AES\n"
			   " integrity sha256 sha\n"
			   " group 14 19\n"
			   " prf sha256\n"
			   " lifetime seconds 86400\n"
			   "crypto ikev2 policy\n"    /* 8: no priority */
			   "crypto ikev2 policy 20\n" /* 9 */
			   " group five\n"            /* 10: not a number */
			   " frobnicate on\n"         /* 11: not a setting */
			   "crypto ipsec ikev2 ipsec-proposal P1\r\n"
			   " protocol esp encryption aes-gcm-256 3des\n"
			   " protocol esp integrity sha-1 null\n"
			   "ip local pool POOL 10.2.2.1-10.2.2.10 mask 255.255.255.0\n"
			   "ip local pool BROKEN 10.0.0.1\n" /* 16: no range */
			   "tunnel-group TG type remote-access\n"
			   "tunnel-group TG general-attributes\n"
			   " address-pool POOL\n"
			   " default-group-policy GP\n"
			   "tunnel-group TG ipsec-attributes\n"
			   " ikev2 remote-authentication pre-shared-key s3cr3tkey\n"
			   "tunnel-group TG webvpn-attributes\n"
			   " group-alias Sales enable\n"
			   "crypto ikev2 enable outside client-services port 443\n";

Test(config, what_matters_to_ikev2_is_read)
{
	struct config c;

	config_parse("asa.cfg", text, sizeof(text) - 1, &c);
	cr_assert_eq(c.npolicies, 2);
	cr_expect_eq(c.policies[0].priority, 10);
	cr_expect_eq(c.policies[0].nencryption, 2);
	cr_expect_str_eq(c.policies[0].encryption[1], "aes", "names are kept in lower case");
	cr_expect_eq(c.policies[0].ngroups, 2);
	cr_expect_eq(c.policies[0].groups[1], 19);
	cr_expect_eq(c.policies[0].lifetime, 86400);
	cr_expect_eq(c.policies[0].line, 2);
	cr_expect_eq(c.policies[0].last_line, 7);
	cr_assert_eq(c.nproposals, 1);
	cr_expect_str_eq(c.proposals[0].name, "P1", "a CR before the line end is dropped");
	cr_expect_eq(c.proposals[0].nintegrity, 2);
	cr_assert_eq(c.npools, 1);
	cr_expect_str_eq(c.pools[0].last, "10.2.2.10");
	cr_assert_eq(c.ngroups, 1);
	cr_expect_str_eq(c.groups[0].pool, "POOL");
	cr_expect_str_eq(c.groups[0].group_policy, "GP");
	cr_expect_str_eq(c.groups[0].type, "remote-access");
	cr_expect_eq(config_tunnel_group(&c, "Sales"), &c.groups[0], "found by its alias");
	cr_expect_null(config_tunnel_group(&c, "Other"));
	cr_expect_eq(c.nikev2_interfaces, 1);
	cr_expect_eq(c.unknown, 1, "hostname");
	cr_expect_eq(c.lines, 25);
	config_free(&c);
}

Test(config, lines_that_cannot_be_read_are_reported_not_fatal)
{
	struct config c;

	config_parse("asa.cfg", text, sizeof(text) - 1, &c);
	cr_expect_eq(c.nproblems, 4);
	cr_expect(strstr(c.problems.buf, "asa.cfg:8: 'crypto ikev2 policy' needs a priority") !=
		  NULL);
	cr_expect(strstr(c.problems.buf, "asa.cfg:10: 'group five'") != NULL);
	cr_expect(strstr(c.problems.buf, "asa.cfg:11: 'frobnicate'") != NULL);
	cr_expect(strstr(c.problems.buf, "asa.cfg:16: 'ip local pool'") != NULL);
	cr_expect(!strstr(c.problems.buf, "s3cr3tkey"), "keys are never kept or shown");
	config_free(&c);
}

/* a line too long to read, last or not, is skipped whole and said, and reading ends */
Test(config, a_long_line_is_skipped_whole)
{
	static const char head[] = "hostname asa\n";
	size_t n = sizeof(head) - 1 + 3000, i;
	char *cfg = malloc(n + 40);
	struct config c;

	cr_assert_not_null(cfg);
	memcpy(cfg, head, sizeof(head) - 1);
	for (i = sizeof(head) - 1; i < n; i++)
		cfg[i] = 'x';
	/* first as the last line, without a newline; then followed by another line */
	config_parse("long.cfg", cfg, n, &c);
	cr_expect_eq(c.lines, 2);
	cr_expect(c.problems.buf && strstr(c.problems.buf, "long.cfg:2: line longer than"), "%s",
		  c.problems.buf ? c.problems.buf : "(none)");
	config_free(&c);
	memcpy(cfg + n, "\nhostname b\n", 12);
	config_parse("long.cfg", cfg, n + 12, &c);
	cr_expect_eq(c.lines, 3, "the line after the long one is its own line");
	config_free(&c);
	free(cfg);
}

Test(config, the_log_names_against_the_config_names)
{
	struct config c;
	const struct config_policy *p;

	config_parse("asa.cfg", text, sizeof(text) - 1, &c);
	p = &c.policies[0];
	cr_expect(config_policy_allows(p, 1, "AES-CBC", 0), "key length not shown");
	cr_expect(config_policy_allows(p, 1, "AES-CBC-256", 0));
	cr_expect(config_policy_allows(p, 1, "AES-CBC", 128), "plain aes is 128 bits");
	cr_expect_not(config_policy_allows(p, 1, "AES-CBC-192", 0));
	cr_expect_not(config_policy_allows(p, 1, "3DES", 0));
	cr_expect(config_policy_allows(p, 3, "SHA96", 0), "sha is HMAC-SHA1-96");
	cr_expect(config_policy_allows(p, 3, "SHA256", 0));
	cr_expect_not(config_policy_allows(p, 3, "MD596", 0));
	cr_expect(config_policy_allows(p, 2, "SHA256", 0));
	cr_expect_not(config_policy_allows(p, 2, "SHA1", 0));
	cr_expect(config_policy_allows(p, 4, "DH_GROUP_2048_MODP/Group 14", 0));
	cr_expect_not(config_policy_allows(p, 4, "DH_GROUP_1024_MODP/Group 2", 0));
	cr_expect(config_proposal_allows(&c.proposals[0], 1, "AES-GCM-256", 0));
	cr_expect_not(config_proposal_allows(&c.proposals[0], 1, "AES-CBC", 0));
	cr_expect(config_proposal_allows(&c.proposals[0], 3, "SHA96", 0));
	config_free(&c);
}

Test(config, interfaces_and_where_ikev2_is_on)
{
	static const char t[] = "interface GigabitEthernet0/0\n"
				" nameif outside\n"
				" security-level 0\n"
				" ip address 10.0.0.1 255.255.255.0 standby 10.0.0.2\n"
				"!\n"
				"interface GigabitEthernet0/1\n"
				" nameif inside\n"
				" ip address 192.168.0.1 255.255.255.0\n"
				"crypto ikev2 enable outside\n";
	const struct config_interface *in;
	struct config c;

	config_parse("asa.cfg", t, sizeof(t) - 1, &c);
	cr_assert_eq(c.ninterfaces, 2);
	in = config_interface_at(&c, "10.0.0.1");
	cr_assert_not_null(in);
	cr_expect_str_eq(in->nameif, "outside");
	cr_expect_eq(in->line, 1);
	cr_expect_eq(in->last_line, 4);
	cr_expect(config_ikev2_on(&c, "outside"));
	cr_expect(!config_ikev2_on(&c, "inside"));
	cr_expect_null(config_interface_at(&c, "10.0.0.2"), "a standby address is not the unit's");
	cr_expect_eq(c.unknown, 0);
	config_free(&c);
}

Test(config, crypto_maps_and_access_lists)
{
	static const char t[] =
		"access-list VPN extended permit ip 10.1.0.0 255.255.0.0 host 10.9.9.9\n"
		"access-list VPN extended deny ip any any\n"
		"access-list VPN remark not an entry\n"
		"access-list WEB extended permit tcp any any eq 443\n"
		"access-list OBJ extended permit ip object-group A object-group B\n"
		"access-list BAD frobnicate\n"
		"crypto map M 10 match address VPN\n"
		"crypto map M 10 set peer 192.0.2.1 192.0.2.2\n"
		"crypto map M 10 set ikev2 ipsec-proposal P1 P2\n"
		"crypto map M 20 ipsec-isakmp dynamic DYN\n"
		"crypto dynamic-map DYN 5 set ikev2 ipsec-proposal P1\n"
		"crypto map M interface outside\n"
		"crypto map M ten match address VPN\n";
	const struct config_map_entry *e;
	struct config c;
	bool permits;

	config_parse("asa.cfg", t, sizeof(t) - 1, &c);
	cr_assert_eq(c.nmaps, 3);
	e = config_map_entry(&c, "M", 10);
	cr_assert_not_null(e);
	cr_expect_str_eq(e->acl, "VPN");
	cr_expect_eq(e->npeers, 2);
	cr_expect_str_eq(e->proposals[1], "P2");
	cr_expect_eq(e->line, 7);
	cr_expect_eq(e->last_line, 9);
	cr_expect_str_eq(config_map_entry(&c, "M", 20)->dynamic_map, "DYN");
	cr_expect(config_map_entry(&c, "DYN", 5)->dynamic);
	cr_expect_null(config_map_entry(&c, "M", 30));
	cr_expect_eq(c.naces, 2, "ip entries with addresses only");
	cr_expect(config_acl_permits(&c, "VPN", 0x0A010200, 0x0A0102FF, 0x0A090909, 0x0A090909,
				     &permits));
	cr_expect(permits, "10.1.2.0/24 to 10.9.9.9");
	cr_expect(config_acl_permits(&c, "VPN", 0x0A020000, 0x0A0200FF, 0x0A090909, 0x0A090909,
				     &permits));
	cr_expect(!permits, "10.2.0.0/24 falls to the deny");
	cr_expect(!config_acl_permits(&c, "NONE", 0, 0, 0, 0, &permits), "no such list");
	cr_expect(strstr(c.problems.buf, "asa.cfg:6: 'access-list BAD'") != NULL);
	cr_expect(strstr(c.problems.buf, "asa.cfg:13: 'crypto map M'") != NULL);
	config_free(&c);
}

Test(config, tunnel_group_authentication_methods_without_keys)
{
	static const char t[] = "tunnel-group 1.1.1.2 type ipsec-l2l\n"
				"tunnel-group 1.1.1.2 ipsec-attributes\n"
				" ikev2 remote-authentication certificate\n"
				" ikev2 local-authentication pre-shared-key T0pS3cret\n";
	struct config c;

	config_parse("asa.cfg", t, sizeof(t) - 1, &c);
	cr_assert_eq(c.ngroups, 1);
	cr_expect_str_eq(c.groups[0].remote_auth, "certificate");
	cr_expect_str_eq(c.groups[0].local_auth, "pre-shared-key");
	cr_expect_eq(c.groups[0].auth_line, 3);
	cr_expect_eq(c.groups[0].last_line, 2, "the lines with keys are not the group's to show");
	cr_expect(!memmem(&c.groups[0], sizeof(c.groups[0]), "T0pS3cret", 9), "no key kept");
	config_free(&c);
}

Test(config, group_policies_and_trustpoints)
{
	static const char t[] = "group-policy GP internal\n"
				"group-policy GP attributes\n"
				" vpn-tunnel-protocol ikev2 ssl-client\n"
				" webvpn\n"
				"  anyconnect profiles value P type user\n"
				"crypto ca trustpoint TP\n"
				" enrollment self\n";
	const struct config_group_policy *gp;
	struct config c;

	config_parse("asa.cfg", t, sizeof(t) - 1, &c);
	gp = config_group_policy(&c, "GP");
	cr_assert_not_null(gp);
	cr_expect_eq(gp->nprotocols, 2);
	cr_expect_str_eq(gp->protocols[1], "ssl-client");
	cr_expect_eq(gp->line, 1);
	cr_expect_eq(gp->last_line, 5);
	cr_expect_eq(gp->protocol_line, 3);
	cr_expect_null(config_group_policy(&c, "Other"));
	cr_assert_eq(c.ntrustpoints, 1);
	cr_expect_str_eq(c.trustpoints[0], "TP");
	cr_expect_eq(c.nproblems, 0, "%s", c.problems.buf ? c.problems.buf : "");
	config_free(&c);
}

Test(config, the_client_profiles_the_head_end_pushes)
{
	static const char t[] = "webvpn\n"
				" enable outside\n"
				" anyconnect profiles AC disk0:/ac-ikev2.xml\n"
				"group-policy GP attributes\n"
				" webvpn\n"
				"  anyconnect profiles value AC type user\n";
	struct config c;

	config_parse("asa.cfg", t, sizeof(t) - 1, &c);
	cr_assert_eq(c.nprofiles, 1);
	cr_expect_str_eq(c.profiles[0].name, "AC");
	cr_expect_str_eq(c.profiles[0].path, "disk0:/ac-ikev2.xml");
	cr_expect_eq(c.profiles[0].line, 3);
	cr_expect_str_eq(config_group_policy(&c, "GP")->profile, "AC");
	config_free(&c);
}
