/* The IKEv2 value tables: values, names, sizes and the error boundary of notifies. */
#include "ikescope/proto.h"

#include <criterion/criterion.h>
#include <string.h>

Test(proto, names_and_values_agree)
{
	unsigned v = 0;

	cr_expect_str_eq(proto_exchange_name(34), "IKE_SA_INIT");
	cr_expect_str_eq(proto_exchange_name(43), "IKE_INTERMEDIATE");
	cr_expect_null(proto_exchange_name(42));
	cr_expect(proto_exchange_value("CREATE_CHILD_SA", &v) && v == 36);
	cr_expect(!proto_exchange_value("IKE_SA_INITX", &v));
	cr_expect_str_eq(proto_payload_short(40), "N");
	cr_expect_str_eq(proto_payload_short(53), "SKF");
	cr_expect(proto_notify_value("NO_PROPOSAL_CHOSEN", &v) && v == 14);
	cr_expect(proto_notify_value("IKEV2_FRAGMENTATION_SUPPORTED", &v) && v == 16430);
	cr_expect_str_eq(proto_auth_method_name(2), "pre-shared key");
	cr_expect_str_eq(proto_dh_name(19), "ECP_256");
	cr_expect_str_eq(proto_integ_name(12), "AUTH_HMAC_SHA2_256_128");
	cr_expect_str_eq(proto_eap_code_name(4), "failure");
}

/* RFC 7296 3.10.1: below 16384 a notify is an error, from it on a status */
Test(proto, notify_errors_are_below_16384)
{
	cr_expect(proto_notify_is_error("NO_PROPOSAL_CHOSEN"));
	cr_expect(proto_notify_is_error("AUTHENTICATION_FAILED"));
	cr_expect(proto_notify_is_error("TS_UNACCEPTABLE"));
	cr_expect(proto_notify_is_error("STATE_NOT_FOUND"));
	cr_expect(!proto_notify_is_error("INITIAL_CONTACT"));
	cr_expect(!proto_notify_is_error("NAT_DETECTION_SOURCE_IP"));
	cr_expect(!proto_notify_is_error("NOT_A_NOTIFY"));
	cr_expect(!proto_notify_is_error(NULL));
}

Test(proto, sizes)
{
	unsigned iv, block, icv;

	cr_expect_eq(proto_dh_ke_bytes(14), 256);
	cr_expect_eq(proto_dh_ke_bytes(19), 64);
	cr_expect_eq(proto_dh_ke_bytes(31), 32);
	cr_expect_eq(proto_dh_ke_bytes(36), 0, "ML-KEM sizes differ by direction");
	cr_expect_eq(proto_dh_ke_bytes(99), 0);
	cr_expect_eq(proto_prf_bytes(2), 20);
	cr_expect_eq(proto_prf_bytes(7), 64);
	cr_expect_eq(proto_integ_icv_bytes(2), 12);
	cr_expect_eq(proto_integ_icv_bytes(14), 32);
	cr_assert(proto_encr_sizes(12, &iv, &block, &icv));
	cr_expect(iv == 16 && block == 16 && icv == 0, "AES-CBC");
	cr_assert(proto_encr_sizes(20, &iv, &block, &icv));
	cr_expect(iv == 8 && block == 1 && icv == 16, "AES-GCM-16");
	cr_assert(proto_encr_sizes(28, &iv, &block, &icv));
	cr_expect(iv == 8 && block == 1 && icv == 16, "ChaCha20-Poly1305");
	cr_expect(!proto_encr_sizes(4, &iv, &block, &icv), "RC5: not known");
}

/* every table: values unique and in order, names unique */
#define ROW3(e, v, n)          { v, n },
#define ROW4(e, v, n, a)       { v, n },
#define ROW6(e, v, n, a, b, c) { v, n },
struct row {
	unsigned v;
	const char *n;
};

static void
check(const struct row *r, size_t n, const char *what)
{
	size_t i, j;

	for (i = 1; i < n; i++)
		cr_expect_gt(r[i].v, r[i - 1].v, "%s: %s after %s", what, r[i].n, r[i - 1].n);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			cr_expect(strcmp(r[i].n, r[j].n), "%s: %s twice", what, r[i].n);
}

Test(proto, tables_are_ordered_and_unique)
{
	static const struct row x[] = { PROTO_EXCHANGES(ROW3) }, p[] = { PROTO_PAYLOADS(ROW4) },
				n[] = { PROTO_NOTIFIES(ROW3) }, e[] = { PROTO_ENCRS(ROW6) },
				f[] = { PROTO_PRFS(ROW4) }, i[] = { PROTO_INTEGS(ROW4) },
				d[] = { PROTO_DH_GROUPS(ROW4) }, a[] = { PROTO_AUTH_METHODS(ROW3) },
				id[] = { PROTO_ID_TYPES(ROW3) }, c[] = { PROTO_CFG_ATTRS(ROW3) },
				t[] = { PROTO_EAP_TYPES(ROW3) };

	check(x, sizeof(x) / sizeof(x[0]), "exchanges");
	check(p, sizeof(p) / sizeof(p[0]), "payloads");
	check(n, sizeof(n) / sizeof(n[0]), "notifies");
	check(e, sizeof(e) / sizeof(e[0]), "encryption");
	check(f, sizeof(f) / sizeof(f[0]), "PRFs");
	check(i, sizeof(i) / sizeof(i[0]), "integrity");
	check(d, sizeof(d) / sizeof(d[0]), "D-H groups");
	check(a, sizeof(a) / sizeof(a[0]), "auth methods");
	check(id, sizeof(id) / sizeof(id[0]), "ID types");
	check(c, sizeof(c) / sizeof(c[0]), "CFG attributes");
	check(t, sizeof(t) / sizeof(t[0]), "EAP types");
}
