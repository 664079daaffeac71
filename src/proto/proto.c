/*
 * The IKEv2 value tables of proto.h, made from their X-macro lists, and
 * their look-ups. Tables are small and sorted by value; a linear search
 * is as fast as anything for them.
 */
#include "ikescope/proto.h"

#include <string.h>
#include <strings.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct named {
	unsigned value;
	const char *name;
	size_t len; /* of name */
};

static const char *
name_of(const struct named *t, size_t n, unsigned v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].value == v)
			return t[i].name;
	return NULL;
}

static bool
value_of(const struct named *t, size_t n, const char *name, unsigned *out)
{
	size_t i;

	for (i = 0; name && i < n; i++)
		if (!strcmp(t[i].name, name)) {
			*out = t[i].value;
			return true;
		}
	return false;
}

#define NAMED3(e, v, name)          { v, name, sizeof(name) - 1 },
#define NAMED4(e, v, name, x)       { v, name, sizeof(name) - 1 },
#define NAMED5(e, v, name, x, y)    { v, name, sizeof(name) - 1 },
#define NAMED6(e, v, name, x, y, z) { v, name, sizeof(name) - 1 },

static const struct named exchanges[] = { PROTO_EXCHANGES(NAMED3) };
static const struct named payloads[] = { PROTO_PAYLOADS(NAMED4) };
static const struct named notifies[] = { PROTO_NOTIFIES(NAMED3) };
static const struct named transform_types[] = { PROTO_TRANSFORM_TYPES(NAMED3) };
static const struct named encrs[] = { PROTO_ENCRS(NAMED6) };
static const struct named prfs[] = { PROTO_PRFS(NAMED4) };
static const struct named integs[] = { PROTO_INTEGS(NAMED4) };
static const struct named dh_groups[] = { PROTO_DH_GROUPS(NAMED4) };
static const struct named auth_methods[] = { PROTO_AUTH_METHODS(NAMED3) };
static const struct named id_types[] = { PROTO_ID_TYPES(NAMED3) };
static const struct named ts_types[] = { PROTO_TS_TYPES(NAMED3) };
static const struct named cfg_types[] = { PROTO_CFG_TYPES(NAMED3) };
static const struct named cfg_attrs[] = { PROTO_CFG_ATTRS(NAMED3) };
static const struct named eap_codes[] = { PROTO_EAP_CODES(NAMED3) };
static const struct named eap_types[] = { PROTO_EAP_TYPES(NAMED3) };

#define SHORT(e, v, name, shortname) { v, shortname, sizeof(shortname) - 1 },
static const struct named payload_shorts[] = { PROTO_PAYLOADS(SHORT) };
#undef SHORT

#define NAME_FN(fn, table)                                                                         \
	const char *fn(unsigned v)                                                                 \
	{                                                                                          \
		return name_of(table, ARRAY_SIZE(table), v);                                       \
	}

NAME_FN(proto_exchange_name, exchanges)
NAME_FN(proto_payload_name, payloads)
NAME_FN(proto_payload_short, payload_shorts)
NAME_FN(proto_notify_name, notifies)
NAME_FN(proto_transform_type_name, transform_types)
NAME_FN(proto_encr_name, encrs)
NAME_FN(proto_prf_name, prfs)
NAME_FN(proto_integ_name, integs)
NAME_FN(proto_dh_name, dh_groups)
NAME_FN(proto_auth_method_name, auth_methods)
NAME_FN(proto_id_type_name, id_types)
NAME_FN(proto_ts_type_name, ts_types)
NAME_FN(proto_cfg_type_name, cfg_types)
NAME_FN(proto_cfg_attr_name, cfg_attrs)
NAME_FN(proto_eap_code_name, eap_codes)
NAME_FN(proto_eap_type_name, eap_types)

#define VALUE_FN(fn, table)                                                                        \
	bool fn(const char *name, unsigned *out)                                                   \
	{                                                                                          \
		return value_of(table, ARRAY_SIZE(table), name, out);                              \
	}

VALUE_FN(proto_exchange_value, exchanges)
VALUE_FN(proto_notify_value, notifies)
VALUE_FN(proto_auth_method_value, auth_methods)
VALUE_FN(proto_id_type_value, id_types)
VALUE_FN(proto_cfg_type_value, cfg_types)
VALUE_FN(proto_cfg_attr_value, cfg_attrs)

bool
proto_transform_value(unsigned type, const char *name, unsigned *out)
{
	switch (type) {
	case 1:
		return value_of(encrs, ARRAY_SIZE(encrs), name, out);
	case 2:
		return value_of(prfs, ARRAY_SIZE(prfs), name, out);
	case 3:
		return value_of(integs, ARRAY_SIZE(integs), name, out);
	case 4:
		return value_of(dh_groups, ARRAY_SIZE(dh_groups), name, out);
	default:
		return false;
	}
}

bool
proto_auth_is_signature(unsigned m)
{
	return m == PROTO_AUTH_RSA_SIG || m == PROTO_AUTH_DSS_SIG || m == PROTO_AUTH_ECDSA_256 ||
	       m == PROTO_AUTH_ECDSA_384 || m == PROTO_AUTH_ECDSA_521 ||
	       m == PROTO_AUTH_DIGITAL_SIG;
}

unsigned
proto_id_fixed_bytes(unsigned t)
{
	return t == PROTO_ID_IPV4_ADDR ? 4 : t == PROTO_ID_IPV6_ADDR ? 16 : 0;
}

/* True if the n bytes at name are t's name (in any case when icase). */
static bool
names_n(const struct named *t, const char *name, size_t n, bool icase)
{
	if (t->len != n || !n)
		return false;
	return icase ? !strncasecmp(t->name, name, n) : !memcmp(t->name, name, n);
}

bool
proto_payload_value(const char *name, size_t n, unsigned *out)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(payloads); i++)
		if (names_n(&payload_shorts[i], name, n, false) ||
		    names_n(&payloads[i], name, n, false)) {
			*out = payloads[i].value;
			return true;
		}
	return false;
}

bool
proto_payload_value_icase(const char *name, size_t n, unsigned *out)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(payloads); i++)
		if (names_n(&payload_shorts[i], name, n, true) ||
		    names_n(&payloads[i], name, n, true)) {
			*out = payloads[i].value;
			return true;
		}
	return false;
}

bool
proto_notify_is_error(const char *name)
{
	size_t i;

	/* the table is in value order: the errors come first */
	for (i = 0;
	     name && i < ARRAY_SIZE(notifies) && notifies[i].value < PROTO_NOTIFY_FIRST_STATUS; i++)
		if (notifies[i].name[0] == name[0] && !strcmp(notifies[i].name, name))
			return true;
	return false;
}

/* ---- sizes ---- */

struct sized {
	unsigned value, a, b, c;
};

#define SIZED4(e, v, name, x)       { v, x, 0, 0 },
#define SIZED6(e, v, name, x, y, z) { v, x, y, z },
static const struct sized dh_sizes[] = { PROTO_DH_GROUPS(SIZED4) };
static const struct sized prf_sizes[] = { PROTO_PRFS(SIZED4) };
static const struct sized integ_sizes[] = { PROTO_INTEGS(SIZED4) };
static const struct sized encr_sizes[] = { PROTO_ENCRS(SIZED6) };

static const struct sized *
sized_of(const struct sized *t, size_t n, unsigned v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].value == v)
			return &t[i];
	return NULL;
}

unsigned
proto_dh_ke_bytes(unsigned g)
{
	const struct sized *x = sized_of(dh_sizes, ARRAY_SIZE(dh_sizes), g);

	return x ? x->a : 0;
}

unsigned
proto_prf_bytes(unsigned p)
{
	const struct sized *x = sized_of(prf_sizes, ARRAY_SIZE(prf_sizes), p);

	return x ? x->a : 0;
}

unsigned
proto_integ_icv_bytes(unsigned i)
{
	const struct sized *x = sized_of(integ_sizes, ARRAY_SIZE(integ_sizes), i);

	return x ? x->a : 0;
}

bool
proto_encr_sizes(unsigned e, unsigned *iv, unsigned *block, unsigned *aead_icv)
{
	const struct sized *x = sized_of(encr_sizes, ARRAY_SIZE(encr_sizes), e);

	if (!x || !x->b)
		return false;
	*iv = x->a;
	*block = x->b;
	*aead_icv = x->c;
	return true;
}
