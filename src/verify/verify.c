/*
 * The reference responder: what a session's messages claim, checked again
 * against RFC 7296 (payload lengths, the proposal chosen, message IDs) and
 * RFC 3748 (EAP identifiers). Sizes are those of the IKEv2 facts reference.
 * What the log does not show is not a defect: a proposal listed in part is
 * checked as far as it is shown, and said so at info level.
 */
#include "ikescope/verify.h"

#include "ikescope/config.h"
#include "ikescope/proto.h"
#include "ikescope/util/compiler.h"
#include "ikescope/util/strbuf.h"
#include "ikescope/xml.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define VERIFY_INFO(e, id, sev, ref, summary)                                                      \
	[VERIFY_##e] = { id, MODEL_SEVERITY_##sev, ref, summary },
static const struct verify_info infos[] = { VERIFY_FINDINGS(VERIFY_INFO) };
#undef VERIFY_INFO
_Static_assert(sizeof(infos) / sizeof(infos[0]) == VERIFY_FINDING_COUNT,
	       "finding table out of sync");

const struct verify_info *
verify_info(enum verify_finding f)
{
	return (unsigned)f < VERIFY_FINDING_COUNT ? &infos[f] : NULL;
}

static void IKESCOPE_PRINTF_LIKE(6, 0)
	vadd(struct session *s, enum verify_finding f, bool mid_known, uint32_t mid, uint32_t line,
	     const char *fmt, va_list ap)
{
	char text[512];

	vsnprintf(text, sizeof(text), fmt, ap);
	session_add_finding(s, infos[f].id, infos[f].severity, infos[f].reference, line, mid_known,
			    mid, text);
}

/* A finding about message m (NULL: none) at an input line. */
static void IKESCOPE_PRINTF_LIKE(5, 6)
	add(struct session *s, enum verify_finding f, const struct message *m, uint32_t line,
	    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(s, f, m && m->mid_known, m ? m->mid : 0, line, fmt, ap);
	va_end(ap);
}

/* A finding at a message ID with no message to hand. */
static void IKESCOPE_PRINTF_LIKE(5, 6) add_mid(struct session *s, enum verify_finding f,
					       uint32_t mid, uint32_t line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(s, f, true, mid, line, fmt, ap);
	va_end(ap);
}

/* Bytes of a D-H group's public value (the KE data), or 0 if not known here. */
static unsigned
ke_size(unsigned group)
{
	return proto_dh_ke_bytes(group);
}

static bool
is(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static void
check_sa(struct session *s, const struct message *m, const struct payload *p)
{
	unsigned sum = 4;
	bool whole = p->nprops > 0;
	size_t i, j;

	for (i = 0; i < p->nprops; i++) {
		const struct proposal *pr = &p->props[i];
		unsigned psum = 8 + pr->spi_size;
		bool pwhole = pr->nt > 0 && (!pr->ntrans || pr->nt == pr->ntrans);

		if (!pr->length)
			whole = false;
		sum += pr->length;
		for (j = 0; j < pr->nt; j++) {
			const struct transform *t = &pr->t[j];

			if (!t->length)
				pwhole = false;
			psum += t->length;
			if (t->length && t->length != 8 && t->length != 12)
				add(s, VERIFY_LENGTH_TRANSFORM, m, t->line,
				    "transform %s has length %u, not 8 or 12", t->id ? t->id : "?",
				    t->length);
			else if (t->length == 8 && t->keylen)
				add(s, VERIFY_LENGTH_TRANSFORM, m, t->line,
				    "transform %s shows a key length (%u) but has length 8, "
				    "without "
				    "the attribute",
				    t->id ? t->id : "?", t->keylen);
		}
		/* "last transform": 3 while more follow, 0 on the last */
		for (j = 0; j < pr->nt; j++) {
			const struct transform *t = &pr->t[j];
			bool final = pr->ntrans ? j + 1 == pr->ntrans : false;

			if (!t->has_last)
				continue;
			if (j + 1 < pr->nt && t->last == 0)
				add(s, VERIFY_FLAG_LAST, m, t->line,
				    "transform %s of proposal %u is flagged as the last, but %zu "
				    "more follow",
				    t->id ? t->id : "?", pr->num, pr->nt - j - 1);
			else if (final && t->last != 0)
				add(s, VERIFY_FLAG_LAST, m, t->line,
				    "transform %s is the last of proposal %u's %u, but is flagged "
				    "0x%x (more follow)",
				    t->id ? t->id : "?", pr->num, pr->ntrans, t->last);
		}
		if (pr->has_last && i + 1 < p->nprops && pr->last == 0)
			add(s, VERIFY_FLAG_LAST, m, pr->line,
			    "proposal %u is flagged as the last, but %zu more follow", pr->num,
			    p->nprops - i - 1);
		if (pr->ntrans && pr->nt > pr->ntrans)
			add(s, VERIFY_PROPOSAL_TRANSFORMS, m, pr->line,
			    "proposal %u declares %u transforms (#trans) but %zu are listed",
			    pr->num, pr->ntrans, pr->nt);
		else if (pr->ntrans && pr->nt < pr->ntrans)
			add(s, VERIFY_PARTIAL, m, pr->line,
			    "proposal %u lists %zu of its %u transforms: its length was not "
			    "checked",
			    pr->num, pr->nt, pr->ntrans);
		if (pwhole && pr->length && psum != pr->length)
			add(s, VERIFY_LENGTH_PROPOSAL, m, pr->line,
			    "proposal %u has length %u; 8 + SPI size %u + its transforms make %u",
			    pr->num, pr->length, pr->spi_size, psum);
	}
	/* the SA shown whole, its last proposal must say so */
	if (whole && p->length && sum == p->length && p->props[p->nprops - 1].has_last &&
	    p->props[p->nprops - 1].last != 0)
		add(s, VERIFY_FLAG_LAST, m, p->props[p->nprops - 1].line,
		    "proposal %u ends the SA payload, but is flagged 0x%x (more follow)",
		    p->props[p->nprops - 1].num, p->props[p->nprops - 1].last);
	if (whole && p->length && sum != p->length)
		add(s, VERIFY_LENGTH_SA, m, p->line,
		    "SA payload has length %u; 4 + its %zu proposal%s make %u", p->length,
		    p->nprops, p->nprops == 1 ? "" : "s", sum);
}

/* What the IKE SA uses (from the IKE_SA_INIT response), for AUTH and SK sizes. */
struct ike_algs {
	const struct transform *encr, *prf, *integ;
};

static const struct payload *first_of(const struct message *m, unsigned type);

static struct ike_algs
ike_algs(const struct session *s)
{
	struct ike_algs a = { 0 };
	size_t i, j;

	for (i = 0; i < s->nexch; i++) {
		const struct payload *sa;

		if (!is(s->exch[i].type, "IKE_SA_INIT") || !s->exch[i].response)
			continue;
		sa = first_of(s->exch[i].response, PROTO_PAYLOAD_SA);
		if (!sa || sa->nprops != 1)
			continue;
		for (j = 0; j < sa->props[0].nt; j++) {
			const struct transform *t = &sa->props[0].t[j];

			if (t->type == 1)
				a.encr = t;
			else if (t->type == 2)
				a.prf = t;
			else if (t->type == 3)
				a.integ = t;
		}
	}
	return a;
}

/* The transform ID of t, as its dialect's adapter found it; false if not known. */
static bool
iana_of(const struct transform *t, unsigned *out)
{
	if (!t)
		return false;
	if (t->has_iana)
		*out = t->iana;
	return t->has_iana;
}

/* Bytes of the PRF's output (the AUTH data of a shared-key AUTH), 0 if unknown. */
static unsigned
prf_size(const struct transform *t)
{
	unsigned v;

	return iana_of(t, &v) ? proto_prf_bytes(v) : 0;
}

/* Bytes of the integrity algorithm's ICV, 0 if unknown. */
static unsigned
icv_size(const struct transform *t)
{
	unsigned v;

	return iana_of(t, &v) ? proto_integ_icv_bytes(v) : 0;
}

/* A CBC cipher's block (= IV) size, 0 if the cipher is no CBC cipher known here. */
static unsigned
cbc_block(const struct transform *t)
{
	unsigned v, iv, block, icv;

	if (!iana_of(t, &v) || !proto_encr_sizes(v, &iv, &block, &icv))
		return 0;
	return iv == block && block > 1 && !icv ? block : 0;
}

static bool
is_aead(const struct transform *t)
{
	unsigned v, iv, block, icv;

	return iana_of(t, &v) && proto_encr_sizes(v, &iv, &block, &icv) && icv;
}

/* The payload types the checks tell apart, read once per payload. */
enum ptype {
	PT_OTHER,
	PT_SA,
	PT_KE,
	PT_NONCE,
	PT_ID,
	PT_CERT,
	PT_CERTREQ,
	PT_AUTH,
	PT_CFG,
	PT_SK,
	PT_TS,
	PT_VID,
	PT_NOTIFY
};

static enum ptype
ptype_of(unsigned t)
{
	switch (t) {
	case PROTO_PAYLOAD_SA:
		return PT_SA;
	case PROTO_PAYLOAD_SK:
		return PT_SK;
	case PROTO_PAYLOAD_KE:
		return PT_KE;
	case PROTO_PAYLOAD_NONCE:
		return PT_NONCE;
	case PROTO_PAYLOAD_NOTIFY:
		return PT_NOTIFY;
	case PROTO_PAYLOAD_IDI:
	case PROTO_PAYLOAD_IDR:
		return PT_ID;
	case PROTO_PAYLOAD_CERT:
		return PT_CERT;
	case PROTO_PAYLOAD_CERTREQ:
		return PT_CERTREQ;
	case PROTO_PAYLOAD_CP:
		return PT_CFG;
	case PROTO_PAYLOAD_AUTH:
		return PT_AUTH;
	case PROTO_PAYLOAD_TSI:
	case PROTO_PAYLOAD_TSR:
		return PT_TS;
	case PROTO_PAYLOAD_VENDOR:
		return PT_VID;
	default:
		return PT_OTHER;
	}
}

/* Bytes that come before a payload's hex-dumped data, 0 if not known for its type. */
static unsigned
hex_header(const struct payload *p, enum ptype pt)
{
	if (pt == PT_VID || pt == PT_NONCE)
		return 4;
	if (pt == PT_KE || pt == PT_ID)
		return 8;
	if (pt == PT_NOTIFY && p->notify)
		return 8 + p->spi_size;
	return 0;
}

static void
check_payload(struct session *s, const struct message *m, const struct payload *p,
	      const struct ike_algs *algs)
{
	size_t i;
	enum ptype pt;
	unsigned hh;

	if (!p->type)
		return;
	pt = ptype_of(p->ptype);
	hh = p->hex_bytes ? hex_header(p, pt) : 0;
	if (hh && p->length && p->length >= hh && p->hex_bytes > p->length - hh)
		add(s, VERIFY_LENGTH_HEX, m, p->line,
		    "%s payload has length %u, room for %u bytes of data, but its hex dump shows "
		    "%u",
		    p->type, p->length, p->length - hh, p->hex_bytes);
	if (pt == PT_ID) {
		unsigned fixed = proto_id_fixed_bytes(p->idt);

		if (p->length && fixed && p->length != 8 + fixed)
			add(s, VERIFY_LENGTH_ID, m, p->line,
			    "%s of type %s has length %u, not 8 + %u = %u", p->type, p->id_type,
			    p->length, fixed, 8 + fixed);
		else if (p->length && p->length < 8)
			add(s, VERIFY_LENGTH_ID, m, p->line,
			    "%s has length %u, less than its 8-byte header", p->type, p->length);
	} else if (pt == PT_CERT || pt == PT_CERTREQ) {
		if (p->length && p->data_bytes && p->length != 5 + p->data_bytes)
			add(s, VERIFY_LENGTH_CERT, m, p->line,
			    "%s payload has length %u; 5 + its %u bytes of data make %u", p->type,
			    p->length, p->data_bytes, 5 + p->data_bytes);
		else if (pt == PT_CERTREQ && p->data_bytes && p->data_bytes % 20)
			add(s, VERIFY_LENGTH_CERT, m, p->line,
			    "CERTREQ data is %u bytes, not a whole number of 20-byte CA key hashes",
			    p->data_bytes);
	} else if (pt == PT_AUTH) {
		unsigned want = prf_size(algs->prf);

		if (p->length && p->data_bytes && p->length != 8 + p->data_bytes)
			add(s, VERIFY_LENGTH_AUTH, m, p->line,
			    "AUTH payload has length %u; 8 + its %u bytes of data make %u",
			    p->length, p->data_bytes, 8 + p->data_bytes);
		else if (p->data_bytes && want && p->authm == PROTO_AUTH_PSK &&
			 p->data_bytes != want)
			add(s, VERIFY_LENGTH_AUTH, m, p->line,
			    "shared-key AUTH data is %u bytes; the IKE SA's PRF %s gives %u",
			    p->data_bytes, algs->prf->id, want);
	} else if (pt == PT_CFG) {
		unsigned sum = 8;

		for (i = 0; i < p->nattrs; i++)
			sum += 4 + p->attrs[i].length;
		if (p->nattrs && p->length && sum != p->length && p->gaps)
			add(s, VERIFY_PARTIAL, m, p->line,
			    "CFG payload has length %u; 8 + its %zu attribute%s make %u, but %u "
			    "line%s amid its dump %s not recognized: the copy may have lost "
			    "attributes, and its length was not checked",
			    p->length, p->nattrs, p->nattrs == 1 ? "" : "s", sum, p->gaps,
			    p->gaps == 1 ? "" : "s", p->gaps == 1 ? "was" : "were");
		else if (p->nattrs && p->length && sum != p->length)
			add(s, VERIFY_LENGTH_CFG, m, p->line,
			    "CFG payload has length %u; 8 + its %zu attribute%s make %u", p->length,
			    p->nattrs, p->nattrs == 1 ? "" : "s", sum);
	} else if (pt == PT_SK) {
		unsigned block = cbc_block(algs->encr), icv = icv_size(algs->integ);

		if (p->length && p->data_bytes && p->length != 4 + p->data_bytes)
			add(s, VERIFY_LENGTH_SK, m, p->line,
			    "encrypted payload has length %u; 4 + its %u bytes of data make %u",
			    p->length, p->data_bytes, 4 + p->data_bytes);
		else if (p->data_bytes && block && icv &&
			 (p->data_bytes < block + block + icv ||
			  (p->data_bytes - block - icv) % block))
			add(s, VERIFY_LENGTH_SK, m, p->line,
			    "encrypted data is %u bytes; with %s (IV and block %u) and %s (ICV %u) "
			    "it must be %u + a multiple of %u",
			    p->data_bytes, algs->encr->id, block, algs->integ->id, icv, block + icv,
			    block);
	}
	if (pt == PT_SA) {
		check_sa(s, m, p);
	} else if (pt == PT_KE) {
		unsigned size = ke_size(p->group);

		if (p->length && size && p->length != 8 + size)
			add(s, VERIFY_LENGTH_KE, m, p->line,
			    "KE payload of group %u has length %u, not 8 + %u = %u", p->group,
			    p->length, size, 8 + size);
	} else if (pt == PT_NONCE) {
		/* the nonce: the ASA prints its payload as "N" */
		if (p->length && (p->length < 4 + 16 || p->length > 4 + 256))
			add(s, VERIFY_LENGTH_NONCE, m, p->line,
			    "nonce payload has length %u: %d bytes of nonce, not 16 to 256",
			    p->length, (int)p->length - 4);
	} else if (pt == PT_TS) {
		unsigned sum = 8;
		bool whole = p->nts > 0;

		for (i = 0; i < p->nts; i++) {
			if (!p->ts[i].length)
				whole = false;
			sum += p->ts[i].length;
		}
		if (whole && p->length && sum != p->length)
			add(s, VERIFY_LENGTH_TS, m, p->line,
			    "%s payload has length %u; 8 + its %zu selector%s make %u", p->type,
			    p->length, p->nts, p->nts == 1 ? "" : "s", sum);
	}
	if (p->has_eap && p->eap_length && p->length && p->length != p->eap_length + 4)
		add(s, VERIFY_LENGTH_EAP, m, p->line,
		    "EAP payload has length %u; its EAP message of %u bytes + 4 make %u", p->length,
		    p->eap_length, p->eap_length + 4);
	else if (p->has_eap && p->eap_type && p->eap_length >= 5 && p->data_bytes &&
		 p->data_bytes != p->eap_length - 5)
		add(s, VERIFY_EAP_DATA, m, p->line,
		    "EAP message of %u bytes carries %u bytes of data; its 5-byte header leaves "
		    "%u",
		    p->eap_length, p->data_bytes, p->eap_length - 5);
}

/*
 * The message length against the header and its payloads, when the chain of
 * payloads outside encryption is shown whole: each one names the next, the
 * last names none.
 */
static void
check_message_length(struct session *s, const struct message *m)
{
	const struct payload *prev = NULL;
	unsigned sum = 28;
	size_t i, n = 0;

	if (!m->length || !m->has_header)
		return;
	for (i = 0; i < m->np; i++) {
		const struct payload *p = &m->p[i];

		if (p->inner)
			continue;
		if (!p->length || !p->type || !p->next)
			return;
		if (prev && !is(prev->next, p->type))
			return; /* a payload not shown between them */
		sum += p->length;
		prev = p;
		n++;
	}
	if (!n || !is(prev->next, "NONE"))
		return;
	if (sum != m->length)
		add(s, VERIFY_LENGTH_MESSAGE, m, m->first_line,
		    "message declares %u bytes; the 28-byte header and its %zu payload%s make %u",
		    m->length, n, n == 1 ? "" : "s", sum);
}

static const struct payload *
first_of(const struct message *m, unsigned type)
{
	size_t i;

	for (i = 0; m && i < m->np; i++)
		if (m->p[i].ptype == type)
			return &m->p[i];
	return NULL;
}

/* The D-H group a transform names, or 0. */
static unsigned
group_of(const struct transform *t)
{
	return t->type == 4 && t->has_iana ? t->iana : 0;
}

static bool
same_transform(const struct transform *a, const struct transform *b)
{
	return a->type == b->type && is(a->id, b->id) &&
	       (!a->keylen || !b->keylen || a->keylen == b->keylen);
}

/*
 * The offer a response answers: its own request's payload; for IKE_AUTH,
 * else that of the last IKE_AUTH request before it that had one (with EAP,
 * the child SA offered in the first IKE_AUTH is answered in the last).
 */
static const struct payload *
offer_for(const struct session *s, size_t xi, unsigned type)
{
	const struct payload *p = first_of(s->exch[xi].request, type);

	while (!p && xi > 0 && is(s->exch[xi].type, "IKE_AUTH")) {
		xi--;
		if (is(s->exch[xi].type, "IKE_AUTH"))
			p = first_of(s->exch[xi].request, type);
	}
	return p;
}

/*
 * The chosen proposal, shown whole: one transform of each type, the required
 * ones present (RFC 7296 3.3.3), no integrity beside an AEAD cipher.
 */
static void
check_types(struct session *s, const struct exchange *x, const struct proposal *chosen)
{
	static const char *const names[] = { "", "encryption", "PRF", "integrity", "D-H", "ESN" };
	unsigned count[6] = { 0 };
	const struct transform *encr = NULL, *integ = NULL;
	bool esp = is(chosen->protocol, "ESP"), aead;
	/* what is missing can be told only when #trans says all are listed */
	bool whole = chosen->ntrans && chosen->nt == chosen->ntrans;
	unsigned t;
	size_t i;

	if (!chosen->nt || (chosen->ntrans && chosen->nt < chosen->ntrans))
		return;
	for (i = 0; i < chosen->nt; i++) {
		t = chosen->t[i].type;
		if (t >= 1 && t <= 5)
			count[t]++;
		if (t == 1)
			encr = &chosen->t[i];
		/* integrity NONE (0), as an AEAD's proposal may name it */
		if (t == 3 && chosen->t[i].id && !(chosen->t[i].has_iana && !chosen->t[i].iana))
			integ = &chosen->t[i];
	}
	for (t = 1; t <= 5; t++)
		if (count[t] > 1)
			add(s, VERIFY_PROPOSAL_TYPES, x->response, chosen->line,
			    "%s response chose %u %s transforms in proposal %u; a responder picks "
			    "one of each type",
			    x->type, count[t], names[t], chosen->num);
	aead = is_aead(encr);
	if (aead && integ)
		add(s, VERIFY_PROPOSAL_AEAD, x->response, integ->line,
		    "%s response chose %s with integrity %s; a combined-mode cipher takes no "
		    "integrity transform",
		    x->type, encr->id, integ->id);
	if (!whole)
		return;
	if (is(x->type, "IKE_SA_INIT")) {
		const unsigned need[] = { 1, 2, 4 };

		for (i = 0; i < 3; i++)
			if (!count[need[i]])
				add(s, VERIFY_PROPOSAL_TYPES, x->response, chosen->line,
				    "%s response chose no %s transform in proposal %u", x->type,
				    names[need[i]], chosen->num);
		if (!aead && encr && !count[3])
			add(s, VERIFY_PROPOSAL_TYPES, x->response, chosen->line,
			    "%s response chose no integrity transform for %s, which needs one",
			    x->type, encr->id);
	} else if (esp) {
		if (!count[1])
			add(s, VERIFY_PROPOSAL_TYPES, x->response, chosen->line,
			    "%s response chose no encryption transform for ESP proposal %u",
			    x->type, chosen->num);
		if (!count[5])
			add(s, VERIFY_PROPOSAL_TYPES, x->response, chosen->line,
			    "%s response chose no ESN transform for ESP proposal %u (ESP "
			    "requires one)",
			    x->type, chosen->num);
	}
}

/* The proposal a responder chose, against the offer it answers. */
static void
check_choice(struct session *s, size_t xi)
{
	const struct exchange *x = &s->exch[xi];
	const struct payload *offer = offer_for(s, xi, PROTO_PAYLOAD_SA);
	const struct payload *answer = first_of(x->response, PROTO_PAYLOAD_SA);
	const struct proposal *chosen, *offered = NULL;
	size_t i, j;

	if (!offer || !answer || !answer->nprops)
		return;
	if (answer->nprops > 1)
		add(s, VERIFY_PROPOSAL_COUNT, x->response, answer->line,
		    "%s response returns %zu proposals; a responder chooses exactly one", x->type,
		    answer->nprops);
	chosen = &answer->props[0];
	for (i = 0; i < offer->nprops; i++)
		if (offer->props[i].num == chosen->num)
			offered = &offer->props[i];
	if (!offered) {
		if (offer->nprops)
			add(s, VERIFY_PROPOSAL_NUMBER, x->response, chosen->line,
			    "%s response chose proposal %u; the offer numbered its proposals 1 to "
			    "%u",
			    x->type, chosen->num, offer->props[offer->nprops - 1].num);
		return;
	}
	/* an offer listed in part cannot show that a transform was not in it */
	if (!offered->nt || (offered->ntrans && offered->nt < offered->ntrans))
		return;
	for (i = 0; i < chosen->nt; i++) {
		bool found = false;

		for (j = 0; j < offered->nt && !found; j++)
			found = same_transform(&chosen->t[i], &offered->t[j]);
		if (!found)
			add(s, VERIFY_PROPOSAL_NOT_OFFERED, x->response, chosen->t[i].line,
			    "%s response chose %s (transform type %u), which proposal %u of the "
			    "offer does not list",
			    x->type, chosen->t[i].id ? chosen->t[i].id : "?", chosen->t[i].type,
			    offered->num);
	}
	check_types(s, x, chosen);
	/* the responder's KE is of the group it chose */
	{
		const struct payload *ke = first_of(x->response, PROTO_PAYLOAD_KE);

		for (i = 0; ke && ke->group && i < chosen->nt; i++) {
			unsigned g = chosen->t[i].type == 4 ? group_of(&chosen->t[i]) : 0;

			if (g && g != ke->group)
				add(s, VERIFY_KE_GROUP, x->response, ke->line,
				    "%s response chose D-H group %u but its KE payload is of group "
				    "%u",
				    x->type, g, ke->group);
		}
	}
}

/* An address as 16 bytes (IPv4 mapped), for comparing; false if it is not one. */
static bool
address(const char *text, unsigned char out[16])
{
	struct in6_addr a6;
	struct in_addr a4;

	if (!text)
		return false;
	if (inet_pton(AF_INET, text, &a4) == 1) {
		memset(out, 0, 10);
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &a4, 4);
		return true;
	}
	if (inet_pton(AF_INET6, text, &a6) == 1) {
		memcpy(out, &a6, 16);
		return true;
	}
	return false;
}

/* True if the selector r is within o (protocol, ports, addresses); false if unknown. */
static bool
ts_within(const struct ts_range *r, const struct ts_range *o, bool *known)
{
	unsigned char rs[16], re[16], os[16], oe[16];

	*known = address(r->addr_start, rs) && address(r->addr_end, re) &&
		 address(o->addr_start, os) && address(o->addr_end, oe);
	if (!*known)
		return false;
	return (!o->proto || o->proto == r->proto) && r->port_start >= o->port_start &&
	       r->port_end <= o->port_end && memcmp(rs, os, 16) >= 0 && memcmp(re, oe, 16) <= 0;
}

/* A responder may narrow the selectors offered, never widen them (RFC 7296 2.9). */
static void
check_ts(struct session *s, size_t xi, unsigned ptype)
{
	const char *type = proto_payload_short(ptype);
	const struct exchange *x = &s->exch[xi];
	const struct payload *offer = offer_for(s, xi, ptype);
	const struct payload *answer = first_of(x->response, ptype);
	size_t i, j;

	if (!offer || !answer || answer == offer)
		return;
	for (i = 0; i < answer->nts; i++) {
		const struct ts_range *r = &answer->ts[i];
		bool within = false, known = true;

		for (j = 0; j < offer->nts && !within && known; j++)
			within = ts_within(r, &offer->ts[j], &known);
		if (!within && known && offer->nts)
			add(s, VERIFY_TS_WIDENED, x->response, r->line ? r->line : answer->line,
			    "%s response returns %s %s-%s ports %u-%u, which no offered %s "
			    "selector holds",
			    x->type ? x->type : "?", type, r->addr_start, r->addr_end,
			    r->port_start, r->port_end, type);
	}
}

/*
 * A remote-access client given an address (CFG_REPLY) gets its traffic
 * selector narrowed to that address: the TSi of the last IKE_AUTH response
 * this device sent (RFC 7296 2.19).
 */
static void
check_assigned_ts(struct session *s)
{
	const struct payload *tsi = NULL;
	size_t i;

	if (!s->assigned_ip || s->role != MODEL_ROLE_RESPONDER)
		return;
	for (i = 0; i < s->nexch; i++)
		if (is(s->exch[i].type, "IKE_AUTH") && s->exch[i].response &&
		    s->exch[i].response->dir == MODEL_DIR_OUT &&
		    first_of(s->exch[i].response, PROTO_PAYLOAD_TSI))
			tsi = first_of(s->exch[i].response, PROTO_PAYLOAD_TSI);
	if (!tsi)
		return;
	for (i = 0; i < tsi->nts; i++)
		if (is(tsi->ts[i].addr_start, s->assigned_ip) &&
		    is(tsi->ts[i].addr_end, s->assigned_ip))
			return;
	if (tsi->nts)
		add(s, VERIFY_TS_ASSIGNED, NULL, tsi->line,
		    "the client was assigned %s, but the TSi returned to it is %s-%s, not narrowed "
		    "to that address",
		    s->assigned_ip, tsi->ts[0].addr_start ? tsi->ts[0].addr_start : "?",
		    tsi->ts[0].addr_end ? tsi->ts[0].addr_end : "?");
}

/* Each side numbers its requests 0, 1, 2...: a jump means a message the log does not show. */
static void
check_mids(struct session *s)
{
	int dir;

	for (dir = MODEL_DIR_IN; dir <= MODEL_DIR_OUT; dir++) {
		const struct message *prev = NULL;
		size_t i;

		for (i = 0; i < s->nmsgs; i++) {
			const struct message *m = s->msgs[i];

			if (m->dir != (enum model_dir)dir || !m->mid_known || !m->response_known ||
			    m->response)
				continue;
			if (prev && m->mid > prev->mid + 1)
				add(s, VERIFY_MID_GAP, m, m->first_line,
				    "%s request with message ID %u follows %u: %u missing",
				    dir == MODEL_DIR_IN ? "received" : "sent", m->mid, prev->mid,
				    m->mid - prev->mid - 1);
			if (!prev || m->mid > prev->mid)
				prev = m;
		}
	}
}

/* A side that numbers requests of two exchanges alike. */
static void
check_mid_reuse(struct session *s)
{
	size_t i, j;

	for (i = 0; i < s->nmsgs; i++) {
		const struct message *a = s->msgs[i];

		if (!a->mid_known || !a->response_known || a->response || !a->exchange)
			continue;
		for (j = 0; j < i; j++) {
			const struct message *b = s->msgs[j];

			if (b->dir == a->dir && b->mid_known && b->response_known && !b->response &&
			    b->mid == a->mid && b->exchange && !is(a->exchange, b->exchange)) {
				add(s, VERIFY_MID_REUSED, a, a->first_line,
				    "%s request with message ID %u; the %s request of line %u had "
				    "it "
				    "too",
				    a->exchange, a->mid, b->exchange, b->first_line);
				break;
			}
		}
	}
}

/* With EAP, the configuration comes only once EAP has succeeded (RFC 7296 2.16). */
static void
check_cfg_after_eap(struct session *s)
{
	uint32_t eap_seen = 0, success = 0;
	size_t i, j;

	for (i = 0; i < s->nmsgs; i++)
		for (j = 0; j < s->msgs[i]->np; j++) {
			const struct payload *p = &s->msgs[i]->p[j];

			if (p->has_eap && !eap_seen)
				eap_seen = p->line;
			if (p->has_eap && is(p->eap_code, "success") && !success)
				success = p->line;
		}
	if (!eap_seen)
		return;
	for (i = 0; i < s->nmsgs; i++)
		for (j = 0; j < s->msgs[i]->np; j++) {
			const struct payload *p = &s->msgs[i]->p[j];

			if (p->cfgt == PROTO_CFG_REPLY && p->line > eap_seen &&
			    (!success || p->line < success))
				add(s, VERIFY_EAP_CFG_EARLY, s->msgs[i], p->line,
				    "CFG_REPLY sent %s EAP succeeded",
				    success ? "before" : "though no EAP success was seen and");
		}
}

/* Each EAP response answers a request with its identifier (RFC 3748 4.1). */
static void
check_eap(struct session *s)
{
	unsigned char asked[256];
	bool any = false;
	size_t i, j;

	memset(asked, 0, sizeof(asked));
	for (i = 0; i < s->nmsgs; i++) {
		const struct message *m = s->msgs[i];

		for (j = 0; j < m->np; j++) {
			const struct payload *p = &m->p[j];

			if (!p->has_eap || !p->eap_code)
				continue;
			if (!strcmp(p->eap_code, "request")) {
				asked[p->eap_id & 0xff] = 1;
				any = true;
			} else if (!strcmp(p->eap_code, "response") && any &&
				   !asked[p->eap_id & 0xff]) {
				add(s, VERIFY_EAP_ID, m, p->line,
				    "EAP response with identifier %u answers no request seen",
				    p->eap_id);
			}
		}
	}
}

/* The config-auth documents of the AnyConnect exchange, in order. */
static const char *const xml_order[] = { "hello",      "init",     "auth-request",
					 "auth-reply", "complete", "ack" };

/* The rank of a config-auth document in the exchange, or -1. */
static int
xml_rank(const char *type)
{
	size_t i;

	for (i = 0; type && i < sizeof(xml_order) / sizeof(xml_order[0]); i++)
		if (!strcmp(type, xml_order[i]))
			return (int)i;
	return -1;
}

/* The aggregate-auth documents: well-formed, and in the order of the exchange. */
static void
check_xml(struct session *s)
{
	int last = -1;
	size_t i, j;

	for (i = 0; i < s->nmsgs; i++) {
		const struct message *m = s->msgs[i];

		for (j = 0; j < m->nxml; j++) {
			const struct xml_doc *x = &m->xml[j];
			int rank = xml_rank(x->type);

			if (x->has_dtd)
				add(s, VERIFY_EAP_XML, m, x->first_line,
				    "the config-auth document of lines %u-%u declares a DOCTYPE or "
				    "entities, which AnyConnect never sends: they were neither "
				    "expanded nor fetched%s",
				    x->first_line, x->last_line,
				    x->well_formed ? "" : ", and it is not well-formed XML");
			else if (!x->well_formed && !x->incomplete)
				add(s, VERIFY_EAP_XML, m, x->first_line,
				    "the config-auth document of lines %u-%u is not well-formed "
				    "XML",
				    x->first_line, x->last_line);
			if (rank < 0)
				continue;
			/* another round of auth-request after auth-reply is allowed */
			if (rank < last && !(rank == 2 && last == 3))
				add(s, VERIFY_EAP_ORDER, m, x->first_line,
				    "config-auth %s comes after %s", x->type, xml_order[last]);
			last = rank;
		}
	}
}

/* Where the state machine broke: its first failure or abort event; timers that ran out. */
static void
check_states(struct session *s)
{
	size_t i;

	for (i = 0; i < s->nstates; i++) {
		const struct state_step *st = &s->states[i];

		if (st->event_class != MODEL_EVENT_AUTH_FAILED &&
		    st->event_class != MODEL_EVENT_CERT_FAILED &&
		    st->event_class != MODEL_EVENT_FAILED && st->event_class != MODEL_EVENT_ABORTED)
			continue;
		add_mid(s, VERIFY_STATE_FAILED, st->mid, st->line,
			"the state machine took %s in state %s", st->event,
			st->state ? st->state : "?");
		break;
	}
	for (i = 0; i < s->ntimers; i++)
		if (is(s->timers[i].what, "expired"))
			add(s, VERIFY_TIMER_EXPIRED, NULL, s->timers[i].line,
			    "the %s timer ran out",
			    s->timers[i].timer ? s->timers[i].timer : "negotiation");
}

/* INVALID_KE_PAYLOAD names a group of the offer, other than the one sent (RFC 7296 1.3). */
static void
check_invalid_ke(struct session *s, size_t xi)
{
	const struct exchange *x = &s->exch[xi];
	const struct payload *offer = first_of(x->request, PROTO_PAYLOAD_SA),
			     *ke = first_of(x->request, PROTO_PAYLOAD_KE);
	size_t i, j, k;

	for (i = 0; x->response && i < x->response->np; i++) {
		const struct payload *n = &x->response->p[i];
		unsigned g;
		bool offered = false, shown = false;

		if (!is(n->notify, "INVALID_KE_PAYLOAD") || n->nvalue < 2)
			continue;
		g = (unsigned)n->value[0] << 8 | n->value[1];
		if (ke && ke->group && ke->group == g) {
			add(s, VERIFY_KE_INVALID, x->response, n->line,
			    "INVALID_KE_PAYLOAD asks for D-H group %u, the group of the KE payload "
			    "already sent",
			    g);
			continue;
		}
		for (k = 0; offer && k < offer->nprops; k++)
			for (j = 0; j < offer->props[k].nt; j++)
				if (offer->props[k].t[j].type == 4) {
					shown = true;
					offered = offered || group_of(&offer->props[k].t[j]) == g;
				}
		if (shown && !offered)
			add(s, VERIFY_KE_INVALID, x->response, n->line,
			    "INVALID_KE_PAYLOAD asks for D-H group %u, which the offer does not "
			    "list",
			    g);
		return;
	}
}

/* What repeated requests say about the path between the two ends. */
static void
check_retransmits(struct session *s)
{
	size_t i, j;

	for (i = 0; i < s->nexch; i++) {
		const struct exchange *x = &s->exch[i];
		const struct message *q = x->request;

		if (!q || q->dir != MODEL_DIR_OUT || !q->retransmits)
			continue;
		if (x->response)
			add(s, VERIFY_RETRANSMIT, q, q->first_line,
			    "%s request sent %u times before the reply of line %u came: packets "
			    "are lost or delayed on the path",
			    x->type ? x->type : "the", q->retransmits + 1, x->response->first_line);
		else
			add(s, VERIFY_RETRANSMIT, q, q->first_line,
			    "%s request sent %u times and never answered: the peer does not get "
			    "it, or its replies do not come back (UDP 500/4500 filtered, routing, "
			    "NAT)",
			    x->type ? x->type : "the", q->retransmits + 1);
	}
	/* an IKE_SA_INIT received again after another SA answered it, taken for a new SA */
	if (s->copy) {
		const struct message *q = NULL;
		char spi[17];

		for (i = 0; i < s->nmsgs && !q; i++)
			if (s->msgs[i]->dir == MODEL_DIR_IN &&
			    is(s->msgs[i]->exchange, "IKE_SA_INIT"))
				q = s->msgs[i];
		session_spi_text(s->copy_of_spi_r, spi);
		add(s, VERIFY_RETRANSMIT, q, q ? q->first_line : s->first_line,
		    "the peer sent this IKE_SA_INIT request again, with the same initiator SPI, "
		    "after this device had answered it (line %u, responder SPI %s, the session "
		    "from line %u), and this device took the copy for a new SA: the first reply "
		    "did not reach the peer, or the peer tried again",
		    s->copy_of_answer_line, spi, s->copy_of_first_line);
	}
	/* a request received again after this device answered it */
	for (i = 0; i < s->nmsgs; i++) {
		const struct message *a = s->msgs[i];

		if (a->dir != MODEL_DIR_IN || !a->mid_known || !a->response_known || a->response)
			continue;
		for (j = i + 1; j < s->nmsgs; j++) {
			const struct message *b = s->msgs[j];

			if (b->dir == MODEL_DIR_OUT && b->mid_known && b->mid == a->mid &&
			    b->response_known && b->response) {
				size_t k;

				for (k = j + 1; k < s->nmsgs; k++) {
					const struct message *c = s->msgs[k];

					if (c->dir == MODEL_DIR_IN && c->mid_known &&
					    c->mid == a->mid && c->response_known && !c->response &&
					    is(c->exchange, a->exchange)) {
						add(s, VERIFY_RETRANSMIT, c, c->first_line,
						    "the peer sent %s request %u again after this "
						    "device answered it (line %u): the reply did "
						    "not "
						    "reach the peer (lost on the way back: NAT, a "
						    "firewall, or dropped fragments)",
						    a->exchange ? a->exchange : "its", a->mid,
						    b->first_line);
						break;
					}
				}
				break;
			}
		}
	}
}

/*
 * AnyConnect (aggregate auth): the client names itself *$AnyConnectClient$*
 * in IDi, and leaves AUTH out of its first IKE_AUTH request to ask for EAP.
 */
static void
check_anyconnect(struct session *s)
{
	static const char aci[] = "*$AnyConnectClient$*";
	const struct message *first = NULL;
	bool eap = false, xml = false;
	size_t i, j;

	for (i = 0; i < s->nmsgs; i++) {
		const struct message *m = s->msgs[i];

		xml = xml || m->nxml > 0;
		for (j = 0; j < m->np; j++)
			eap = eap || m->p[j].has_eap;
	}
	for (i = 0; i < s->nexch && !first; i++)
		if (is(s->exch[i].type, "IKE_AUTH"))
			first = s->exch[i].request;
	if (!first)
		return;
	if (eap && s->role == MODEL_ROLE_RESPONDER) {
		const struct payload *auth = first_of(first, PROTO_PAYLOAD_AUTH);

		if (auth && first_of(first, PROTO_PAYLOAD_IDI))
			add(s, VERIFY_EAP_AUTH_EARLY, first, auth->line,
			    "the first IKE_AUTH request carries AUTH (%s), yet EAP followed: an "
			    "initiator that wants EAP leaves AUTH out",
			    auth->auth_method ? auth->auth_method : "?");
	}
	if (xml) {
		const struct payload *idi = first_of(first, PROTO_PAYLOAD_IDI);

		if (idi && idi->nvalue &&
		    (idi->nvalue != sizeof(aci) - 1 || memcmp(idi->value, aci, sizeof(aci) - 1))) {
			char text[MODEL_VALUE_MAX * 4 + 1];
			size_t k, n = 0;

			for (k = 0; k < idi->nvalue && n + 5 < sizeof(text); k++)
				n += (size_t)snprintf(text + n, sizeof(text) - n,
						      idi->value[k] >= 0x20 && idi->value[k] < 0x7f
							      ? "%c"
							      : "\\x%02x",
						      idi->value[k]);
			add(s, VERIFY_ANYCONNECT_IDI, first, idi->line,
			    "the client's IDi is '%s', not '%s': the head end does not take it for "
			    "an AnyConnect client",
			    text, aci);
		}
	}
}

/* Responder states start R_, initiator states I_: one of the other role is out of place. */
static void
check_state_role(struct session *s)
{
	const char *own = s->role == MODEL_ROLE_RESPONDER   ? "R_"
			  : s->role == MODEL_ROLE_INITIATOR ? "I_"
							    : NULL;
	const char *other = own && own[0] == 'R' ? "I_" : "R_";
	size_t i;

	if (!own)
		return;
	for (i = 0; i < s->nstates; i++) {
		const struct state_step *st = &s->states[i];

		if (st->state && !strncmp(st->state, other, 2)) {
			add_mid(s, VERIFY_STATE_ROLE, st->mid, st->line,
				"state %s belongs to the %s, but this device is the %s here",
				st->state, other[0] == 'I' ? "initiator" : "responder",
				model_role_name(s->role));
			return;
		}
	}
}

/* Pasted show output against the debug output of the same SA. */
/* The address the joined client applied against the one the CFG_REPLY gave. */
static void
check_client_assigned(struct session *s)
{
	if (s->cfg_assigned_ip && s->assigned_ip)
		add(s, VERIFY_CLIENT_ASSIGNED, NULL, s->cfg_assigned_line,
		    "the CFG_REPLY assigns %s, but the client applied %s and the show output "
		    "gives it too (line %u): this copy of the log disagrees with itself, and %s "
		    "is taken",
		    s->cfg_assigned_ip, s->assigned_ip, s->show.assigned_line, s->assigned_ip);
	else if (s->client_assigned_ip && s->assigned_ip)
		add(s, VERIFY_CLIENT_ASSIGNED, NULL, s->cfg_assigned_line,
		    "the CFG_REPLY assigns %s, but the client applied %s", s->assigned_ip,
		    s->client_assigned_ip);
}

static void
check_show(struct session *s)
{
	const struct show_facts *f = &s->show;
	size_t i, j;

	if (!f->seen)
		return;
	for (i = 0; i < s->nexch; i++) {
		const struct payload *sa = is(s->exch[i].type, "IKE_SA_INIT")
						   ? first_of(s->exch[i].response, PROTO_PAYLOAD_SA)
						   : NULL;

		if (!sa || sa->nprops != 1)
			continue;
		for (j = 0; j < sa->props[0].nt; j++) {
			const struct transform *t = &sa->props[0].t[j];
			unsigned g = t->type == 4 ? group_of(t) : 0;

			if (g && f->group && g != f->group)
				add(s, VERIFY_SHOW_MISMATCH, NULL, f->line,
				    "show output gives the IKE SA D-H group %u; IKE_SA_INIT (line "
				    "%u) chose group %u",
				    f->group, t->line, g);
			if (t->type == 1 && f->encr && t->id &&
			    strncasecmp(t->id, f->encr, strlen(f->encr)))
				add(s, VERIFY_SHOW_MISMATCH, NULL, f->line,
				    "show output gives the IKE SA encryption %s; IKE_SA_INIT (line "
				    "%u) chose %s",
				    f->encr, t->line, t->id);
			if (t->type == 1 && f->keysize && t->keylen && f->keysize != t->keylen)
				add(s, VERIFY_SHOW_MISMATCH, NULL, f->line,
				    "show output gives an IKE SA key of %u bits; IKE_SA_INIT (line "
				    "%u) chose %u",
				    f->keysize, t->line, t->keylen);
		}
		break;
	}
	if (f->lifetime && s->lifetime_seconds && f->lifetime != s->lifetime_seconds)
		add(s, VERIFY_SHOW_MISMATCH, NULL, f->line,
		    "show output gives a lifetime of %u s; the debug output %u s", f->lifetime,
		    s->lifetime_seconds);
	if (f->assigned && s->assigned_ip && strcmp(f->assigned, s->assigned_ip) &&
	    !s->cfg_assigned_ip)
		add(s, VERIFY_SHOW_MISMATCH, NULL, f->assigned_line ? f->assigned_line : f->line,
		    "show output gives assigned address %s; the debug output %s", f->assigned,
		    s->assigned_ip);
	if (f->tunnel_group && f->tunnel_group[0] && s->tunnel_group &&
	    strcmp(f->tunnel_group, s->tunnel_group))
		add(s, VERIFY_SHOW_MISMATCH, NULL,
		    f->tunnel_group_line ? f->tunnel_group_line : f->line,
		    "show output gives tunnel group %s; the debug output %s", f->tunnel_group,
		    s->tunnel_group);
	if (f->user && s->user && strcasecmp(f->user, s->user))
		add(s, VERIFY_SHOW_MISMATCH, NULL, f->user_line ? f->user_line : f->line,
		    "show output gives user %s; the debug output %s", f->user, s->user);
}

static int
by_line(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;

	int c;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	c = strcmp(x->id, y->id);
	return c ? c : strcmp(x->message, y->message);
}

void
verify_session(struct session *s)
{
	size_t i, j;

	struct ike_algs algs = ike_algs(s);

	for (i = 0; i < s->nmsgs; i++) {
		for (j = 0; j < s->msgs[i]->np; j++)
			check_payload(s, s->msgs[i], &s->msgs[i]->p[j], &algs);
		check_message_length(s, s->msgs[i]);
	}
	for (i = 0; i < s->nexch; i++) {
		if (!s->exch[i].response)
			continue;
		check_choice(s, i);
		check_invalid_ke(s, i);
		check_ts(s, i, PROTO_PAYLOAD_TSI);
		check_ts(s, i, PROTO_PAYLOAD_TSR);
	}
	check_mids(s);
	check_mid_reuse(s);
	check_eap(s);
	check_cfg_after_eap(s);
	check_xml(s);
	check_states(s);
	check_state_role(s);
	check_retransmits(s);
	check_anyconnect(s);
	check_show(s);
	if (s->unrecognized)
		add(s, VERIFY_LOG_UNRECOGNIZED, NULL, s->unrecognized_line,
		    "%u line%s amid this session %s not recognized (the first at line %u): what "
		    "they said is not in the analysis (ikescope --stats lists them)",
		    s->unrecognized, s->unrecognized == 1 ? "" : "s",
		    s->unrecognized == 1 ? "was" : "were", s->unrecognized_line);
	if (s->orphans)
		add(s, VERIFY_LOG_SPLIT, NULL, s->orphan_line,
		    "%u payload line%s with no payload header before %s (the first at line %u): a "
		    "dump split by the lines of another SA, or cut where the log was published; "
		    "%s not in the analysis",
		    s->orphans, s->orphans == 1 ? "" : "s", s->orphans == 1 ? "it" : "them",
		    s->orphan_line, s->orphans == 1 ? "it is" : "they are");
	if (s->evicted)
		add(s, VERIFY_LOG_EVICTED, NULL, s->last_line,
		    "more than %d sessions were open at once; this one, idle the longest, was "
		    "finished early after line %u (what came later for it makes a session of its "
		    "own)",
		    MODEL_MAX_OPEN_SESSIONS, s->last_line);
	check_assigned_ts(s);
	check_client_assigned(s);
	if (s->outcome == MODEL_OUTCOME_INCOMPLETE)
		add(s, VERIFY_LOG_TRUNCATED, NULL, s->last_line,
		    "the log ends at line %u in the middle of the negotiation: what came after "
		    "was not checked",
		    s->last_line);
	if (s->nfindings > 1)
		qsort(s->findings, s->nfindings, sizeof(*s->findings), by_line);
}

/* ---- against the device's config ---- */

/* Appends "TYPE ID" for the transforms of pr that a check refuses; their number. */
static size_t
refused(const struct proposal *pr, const void *rule,
	bool (*allows)(const void *rule, unsigned type, const char *id, unsigned keylen),
	struct strbuf *out)
{
	static const char *const names[] = { "?", "encryption", "PRF", "integrity", "D-H" };
	size_t i, n = 0;

	for (i = 0; i < pr->nt; i++) {
		const struct transform *t = &pr->t[i];

		if (t->type > 4 || allows(rule, t->type, t->id, t->keylen))
			continue;
		sb_addf(out, "%s%s %s", n ? ", " : "", names[t->type], t->id);
		n++;
	}
	return n;
}

static bool
policy_allows(const void *rule, unsigned type, const char *id, unsigned keylen)
{
	return config_policy_allows(rule, type, id, keylen);
}

static bool
proposal_allows(const void *rule, unsigned type, const char *id, unsigned keylen)
{
	return config_proposal_allows(rule, type, id, keylen);
}

/* What a policy allows, as the config says it ("aes-192; sha; prf sha; group 2"). */
static void
policy_text(const struct config_policy *p, struct strbuf *out)
{
	size_t i;

	sb_addf(out, "policy %u (lines %u-%u):", p->priority, p->line, p->last_line);
	for (i = 0; i < p->nencryption; i++)
		sb_addf(out, " %s", p->encryption[i]);
	sb_adds(out, ";");
	for (i = 0; i < p->nintegrity; i++)
		sb_addf(out, " %s", p->integrity[i]);
	sb_adds(out, "; prf");
	for (i = 0; i < p->nprf; i++)
		sb_addf(out, " %s", p->prf[i]);
	sb_adds(out, "; group");
	for (i = 0; i < p->ngroups; i++)
		sb_addf(out, " %u", p->groups[i]);
}

static void
proposal_text(const struct config_proposal *p, struct strbuf *out)
{
	size_t i;

	sb_addf(out, "ipsec-proposal %s (lines %u-%u):", p->name, p->line, p->last_line);
	for (i = 0; i < p->nencryption; i++)
		sb_addf(out, " %s", p->encryption[i]);
	sb_adds(out, ";");
	for (i = 0; i < p->nintegrity; i++)
		sb_addf(out, " %s", p->integrity[i]);
}

/* The transforms chosen for an SA, against every policy (IKE) or proposal (child). */
static void
check_chosen(struct session *s, const struct config *c, const struct exchange *x,
	     const struct proposal *chosen)
{
	bool ike = is(chosen->protocol, "IKE") || is(x->type, "IKE_SA_INIT");
	size_t i, n = ike ? c->npolicies : c->nproposals;
	struct strbuf why, what;

	if (!n)
		return;
	for (i = 0; i < n; i++) {
		struct strbuf none;
		size_t bad;

		sb_init(&none);
		bad = ike ? refused(chosen, &c->policies[i], policy_allows, &none)
			  : refused(chosen, &c->proposals[i], proposal_allows, &none);
		sb_finish(&none);
		if (!bad)
			return; /* this one allows them all */
	}
	/* none does: say what the first refuses, and what it has */
	sb_init(&why);
	sb_init(&what);
	if (ike) {
		refused(chosen, &c->policies[0], policy_allows, &why);
		policy_text(&c->policies[0], &what);
	} else {
		refused(chosen, &c->proposals[0], proposal_allows, &why);
		proposal_text(&c->proposals[0], &what);
	}
	add(s, ike ? VERIFY_CONFIG_POLICY : VERIFY_CONFIG_PROPOSAL, x->response, chosen->line,
	    "%s chose %s, which no %s of %s allows (%s%s)", x->type ? x->type : "?",
	    why.buf ? why.buf : "?", ike ? "crypto ikev2 policy" : "ipsec-proposal", c->name,
	    what.buf ? what.buf : "", n > 1 ? ", ..." : "");
	sb_finish(&why);
	sb_finish(&what);
}

typedef bool (*allows_fn)(const void *rule, unsigned type, const char *id, unsigned keylen);

/*
 * True if a rule takes one offered transform of each type the proposal
 * offers (encryption, PRF, integrity, D-H for IKE; encryption, integrity for
 * ESP). A proposal listed in part never fits: what is missing is not known.
 */
static bool
offer_fits(const struct proposal *pr, const void *rule, allows_fn allows, bool ike)
{
	unsigned type;
	size_t i;

	if (!pr->nt || (pr->ntrans && pr->nt < pr->ntrans))
		return false;
	for (type = 1; type <= (ike ? 4u : 3u); type++) {
		bool offered = false, ok = false;

		for (i = 0; i < pr->nt && !ok; i++)
			if (pr->t[i].type == type) {
				offered = true;
				ok = allows(rule, type, pr->t[i].id, pr->t[i].keylen);
			}
		if (offered && !ok)
			return false;
	}
	return true;
}

static bool
refused_here(const struct exchange *x)
{
	size_t i;

	for (i = 0; x->response && x->response->dir == MODEL_DIR_OUT && i < x->response->np; i++)
		if (is(x->response->p[i].notify, "NO_PROPOSAL_CHOSEN"))
			return true;
	return false;
}

/*
 * This device answered NO_PROPOSAL_CHOSEN: a policy (IKE_SA_INIT) or
 * ipsec-proposal (child SA) of the config that takes the offer means the
 * config is not the one the device ran.
 */
static void
check_refusal(struct session *s, const struct config *c, size_t xi)
{
	const struct exchange *x = &s->exch[xi];
	const struct payload *offer;
	bool ike = is(x->type, "IKE_SA_INIT");
	size_t i, k, n = ike ? c->npolicies : c->nproposals;

	if (!n || !refused_here(x))
		return;
	offer = offer_for(s, xi, PROTO_PAYLOAD_SA);
	for (i = 0; offer && i < offer->nprops; i++)
		for (k = 0; k < n; k++) {
			struct strbuf what;
			bool fits = ike ? offer_fits(&offer->props[i], &c->policies[k],
						     policy_allows, true)
					: offer_fits(&offer->props[i], &c->proposals[k],
						     proposal_allows, false);

			if (!fits)
				continue;
			sb_init(&what);
			if (ike)
				policy_text(&c->policies[k], &what);
			else
				proposal_text(&c->proposals[k], &what);
			add(s, VERIFY_CONFIG_DISAGREES, x->response, x->response->first_line,
			    "this device answered %s with NO_PROPOSAL_CHOSEN, yet offered proposal "
			    "%u fits %s's %s. The config is not the one the device ran, or that "
			    "%s is not applied",
			    x->type ? x->type : "the offer", offer->props[i].num, c->name,
			    what.buf ? what.buf : "?", ike ? "policy" : "proposal");
			sb_finish(&what);
			return;
		}
}

static bool ipv4(const char *text, uint32_t *out);

/* "psk" or "cert" for an AUTH method (PROTO_AUTH_*), or NULL. */
static const char *
auth_kind(unsigned method)
{
	if (method == PROTO_AUTH_PSK)
		return "psk";
	if (proto_auth_is_signature(method))
		return "cert";
	return NULL;
}

/* The same for a config method (an EAP peer's AUTH is made with the shared EAP key). */
static const char *
config_auth_kind(const char *method)
{
	if (!strcmp(method, "pre-shared-key") || !strcmp(method, "eap"))
		return "psk";
	if (!strcmp(method, "certificate"))
		return "cert";
	return NULL;
}

/* The AUTH methods each side used against the tunnel group's ipsec-attributes. */
static void
check_auth_methods(struct session *s, const struct config_tunnel_group *g)
{
	int dir;

	for (dir = MODEL_DIR_IN; dir <= MODEL_DIR_OUT; dir++) {
		const char *want = dir == MODEL_DIR_IN ? g->remote_auth : g->local_auth;
		const struct payload *auth = NULL;
		const char *got, *need;
		size_t i;

		for (i = 0; i < s->nmsgs && !auth; i++)
			if (s->msgs[i]->dir == (enum model_dir)dir)
				auth = first_of(s->msgs[i], PROTO_PAYLOAD_AUTH);
		if (!want[0] || !auth)
			continue;
		got = auth_kind(auth->authm);
		need = config_auth_kind(want);
		if (got && need && strcmp(got, need))
			add(s, VERIFY_CONFIG_AUTH, NULL, auth->line,
			    "%s authenticated with %s, but tunnel group %s sets ikev2 "
			    "%s-authentication %s (line %u)",
			    dir == MODEL_DIR_IN ? "the peer" : "this device", auth->auth_method,
			    g->name, dir == MODEL_DIR_IN ? "remote" : "local", want, g->auth_line);
	}
}

/* An IPv4 selector range as numbers; false if it is not one. */
static bool
range4(const struct ts_range *r, uint32_t *lo, uint32_t *hi)
{
	return r && ipv4(r->addr_start, lo) && ipv4(r->addr_end, hi) && *lo <= *hi;
}

/* The local and remote selectors of the first child SA a response gave (or a request offered). */
static bool
child_selectors(const struct session *s, bool offered, const struct ts_range **local,
		const struct ts_range **remote, uint32_t *line)
{
	size_t i;

	for (i = 0; i < s->nexch; i++) {
		const struct message *m = offered ? s->exch[i].request : s->exch[i].response;
		const struct payload *tsi = first_of(m, PROTO_PAYLOAD_TSI),
				     *tsr = first_of(m, PROTO_PAYLOAD_TSR);
		bool we_initiated;

		if (!tsi || !tsr || !tsi->nts || !tsr->nts)
			continue;
		/* TSi is the initiator's side of the exchange */
		we_initiated = s->exch[i].request && s->exch[i].request->dir == MODEL_DIR_OUT;
		*local = we_initiated ? &tsi->ts[0] : &tsr->ts[0];
		*remote = we_initiated ? &tsr->ts[0] : &tsi->ts[0];
		*line = tsi->line;
		return true;
	}
	return false;
}

static void
map_text(const struct config_map_entry *e, struct strbuf *out)
{
	sb_addf(out, "crypto %s %s %u (line %u)", e->dynamic ? "dynamic-map" : "map", e->map,
		e->seq, e->line);
}

static void
acl_text(const struct config *c, const char *acl, struct strbuf *out)
{
	size_t i, n = 0;

	for (i = 0; i < c->naces; i++) {
		size_t len;
		const char *t;

		if (strcmp(c->aces[i].acl, acl))
			continue;
		t = config_line(c, c->aces[i].line, &len);
		if (t)
			sb_addf(out, "%s%.*s (line %u)", n++ ? "; " : "", (int)len, t,
				c->aces[i].line);
	}
}

/* The crypto map entry the log matched, its peer and its access list. */
static void
check_crypto_map(struct session *s, const struct config *c)
{
	const struct config_map_entry *e;
	const struct ts_range *local, *remote;
	uint32_t line, llo, lhi, rlo, rhi;
	bool permits;
	size_t i;

	if (!s->crypto_map || !c->nmaps)
		return;
	e = config_map_entry(c, s->crypto_map, s->crypto_map_seq);
	if (!e) {
		add(s, VERIFY_CONFIG_CRYPTO_MAP, NULL, s->crypto_map_line,
		    "the log matched crypto map %s seq %u, which %s does not have", s->crypto_map,
		    s->crypto_map_seq, c->name);
		return;
	}
	if (e->npeers && s->peer) {
		bool found = false;

		for (i = 0; i < e->npeers && !found; i++)
			found = !strcmp(e->peers[i], s->peer);
		if (!found) {
			struct strbuf t;

			sb_init(&t);
			map_text(e, &t);
			add(s, VERIFY_CONFIG_CRYPTO_MAP, NULL, s->crypto_map_line,
			    "the peer is %s, but %s of %s sets peer %s%s", s->peer, t.buf, c->name,
			    e->peers[0], e->npeers > 1 ? " and others" : "");
			sb_finish(&t);
		}
	}
	if (!e->acl[0] || !child_selectors(s, false, &local, &remote, &line) ||
	    !range4(local, &llo, &lhi) || !range4(remote, &rlo, &rhi))
		return;
	if (!config_acl_permits(c, e->acl, llo, lhi, rlo, rhi, &permits)) {
		struct strbuf t;

		sb_init(&t);
		map_text(e, &t);
		add(s, VERIFY_CONFIG_ACL, NULL, line,
		    "%s of %s matches access-list %s, which the config does not have", t.buf,
		    c->name, e->acl);
		sb_finish(&t);
	} else if (!permits) {
		struct strbuf t, a;

		sb_init(&t);
		sb_init(&a);
		map_text(e, &t);
		acl_text(c, e->acl, &a);
		add(s, VERIFY_CONFIG_ACL, NULL, line,
		    "the child SA protects %s-%s to %s-%s, which access-list %s of %s does not "
		    "permit (%s)",
		    local->addr_start, local->addr_end, remote->addr_start, remote->addr_end,
		    e->acl, t.buf, a.buf ? a.buf : "");
		sb_finish(&t);
		sb_finish(&a);
	}
}

/*
 * A crypto map failure (no proxy match, missing ACL, peer not in the map):
 * the explanation gains the config's entry and what its access list permits.
 */
static void
explain_map_failure(struct session *s, const struct config *c)
{
	static const char *const kinds[] = { "no-proxy-match", "missing-acl", "peer-not-in-map" };
	const struct evidence *e = NULL;
	const struct config_map_entry *m = NULL;
	const struct ts_range *local, *remote;
	struct strbuf out;
	size_t i, k;
	uint32_t line;

	if (!s->failure.explanation || !c->nmaps)
		return;
	for (i = 0; i < s->nevidence && !e; i++)
		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			if (is(s->evidence[i].kind, kinds[k]))
				e = &s->evidence[i];
	if (!e && !is(s->failure.cause, "TS_UNACCEPTABLE"))
		return;
	if (!e && s->crypto_map)
		m = config_map_entry(c, s->crypto_map, s->crypto_map_seq);
	if (e && e->map)
		m = config_map_entry(c, e->map, e->map_seq);
	sb_init(&out);
	sb_adds(&out, s->failure.explanation);
	if (child_selectors(s, true, &local, &remote, &line))
		sb_addf(&out, ". The offer protects %s-%s to %s-%s (line %u)", local->addr_start,
			local->addr_end, remote->addr_start, remote->addr_end, line);
	for (i = 0; !m && i < c->nmaps; i++) {
		/* the entry for this peer, else the only one */
		for (k = 0; s->peer && k < c->maps[i].npeers; k++)
			if (!strcmp(c->maps[i].peers[k], s->peer))
				m = &c->maps[i];
	}
	if (!m && c->nmaps == 1)
		m = &c->maps[0];
	if (m) {
		size_t at;

		sb_adds(&out, ". In ");
		sb_adds(&out, c->name);
		sb_adds(&out, ", ");
		at = out.len;
		map_text(m, &out);
		failure_add_evidence(s, c->name, m->line, out.buf + at);
		if (m->acl[0]) {
			size_t before = out.len;

			sb_addf(&out, " matches access-list %s: ", m->acl);
			acl_text(c, m->acl, &out);
			if (out.len == before + strlen(" matches access-list : ") + strlen(m->acl))
				sb_adds(&out, "not in the config");
		} else {
			sb_adds(&out, " has no match address");
		}
		if (m->npeers)
			sb_addf(&out, "; set peer %s", m->peers[0]);
	}
	s->failure.explanation = session_strndup(s, out.buf, out.len);
	sb_finish(&out);
}

/* An authentication failure's explanation gains the tunnel group's methods. */
static void
explain_auth_with_config(struct session *s, const struct config *c)
{
	const struct config_tunnel_group *g;
	struct strbuf out;

	if (!s->failure.explanation || !s->tunnel_group ||
	    !(is(s->failure.cause, "AUTHENTICATION_FAILED") ||
	      is(s->failure.cause, "CERTIFICATE_INVALID") ||
	      is(s->failure.cause, "PEER_ID_MISMATCH")))
		return;
	g = config_tunnel_group(c, s->tunnel_group);
	if (!g || (!g->remote_auth[0] && !g->local_auth[0]))
		return;
	sb_init(&out);
	sb_adds(&out, s->failure.explanation);
	sb_addf(&out, ". In %s, tunnel group %s (line %u) sets", c->name, g->name, g->auth_line);
	if (g->remote_auth[0])
		sb_addf(&out, " ikev2 remote-authentication %s", g->remote_auth);
	if (g->local_auth[0])
		sb_addf(&out, "%s ikev2 local-authentication %s", g->remote_auth[0] ? "," : "",
			g->local_auth);
	failure_add_evidence(s, c->name, g->auth_line,
			     out.buf + strlen(s->failure.explanation) + 2);
	s->failure.explanation = session_strndup(s, out.buf, out.len);
	sb_finish(&out);
}

/* A proposal failure's explanation gains what the config offers. */
static void
explain_with_config(struct session *s, const struct config *c)
{
	bool ike = is(s->failure.exchange, "IKE_SA_INIT");
	size_t i, n = ike ? c->npolicies : c->nproposals;
	struct strbuf out;

	if (!n || !is(s->failure.cause, "NO_PROPOSAL_CHOSEN") || !s->failure.explanation)
		return;
	sb_init(&out);
	sb_adds(&out, s->failure.explanation);
	sb_addf(&out, ". %s has ", c->name);
	for (i = 0; i < n && i < 4; i++) {
		size_t at;

		if (i)
			sb_adds(&out, i + 1 == n || i == 3 ? " and " : ", ");
		at = out.len;
		if (ike)
			policy_text(&c->policies[i], &out);
		else
			proposal_text(&c->proposals[i], &out);
		failure_add_evidence(s, c->name, ike ? c->policies[i].line : c->proposals[i].line,
				     out.buf + at);
	}
	if (n > 4)
		sb_addf(&out, " (%zu more)", n - 4);
	s->failure.explanation = session_strndup(s, out.buf, out.len);
	sb_finish(&out);
}

/* An IPv4 address as a number; false if it is not one. */
static bool
ipv4(const char *text, uint32_t *out)
{
	struct in_addr a;

	if (!text || inet_pton(AF_INET, text, &a) != 1)
		return false;
	*out = ntohl(a.s_addr);
	return true;
}

void
verify_with_config(struct session *s, const struct config *c)
{
	const struct config_tunnel_group *g = NULL;
	size_t i;

	for (i = 0; i < s->nexch; i++) {
		const struct payload *sa = first_of(s->exch[i].response, PROTO_PAYLOAD_SA);

		if (sa && sa->nprops)
			check_chosen(s, c, &s->exch[i], &sa->props[0]);
		check_refusal(s, c, i);
	}
	explain_with_config(s, c);
	explain_map_failure(s, c);
	explain_auth_with_config(s, c);
	check_crypto_map(s, c);
	if (s->tunnel_group && c->ngroups) {
		g = config_tunnel_group(c, s->tunnel_group);
		if (!g)
			add(s, VERIFY_CONFIG_TUNNEL_GROUP, NULL, s->first_line,
			    "tunnel group %s is not in %s (neither a name nor a group-alias)",
			    s->tunnel_group, c->name);
	}
	if (g)
		check_auth_methods(s, g);
	if (g && g->group_policy[0] && c->ngpolicies) {
		const struct config_group_policy *gp = config_group_policy(c, g->group_policy);

		if (!gp) {
			add(s, VERIFY_CONFIG_GROUP_POLICY, NULL, s->first_line,
			    "tunnel group %s (line %u) names group-policy %s, which %s does not "
			    "have",
			    g->name, g->line, g->group_policy, c->name);
		} else if (gp->nprotocols) {
			bool ikev2 = false;

			for (i = 0; i < gp->nprotocols; i++)
				ikev2 = ikev2 || !strcmp(gp->protocols[i], "ikev2");
			if (!ikev2)
				add(s, VERIFY_CONFIG_GROUP_POLICY, NULL, s->first_line,
				    "group-policy %s of tunnel group %s sets vpn-tunnel-protocol "
				    "%s%s "
				    "(line %u), without ikev2: the head end refuses IKEv2 sessions "
				    "of "
				    "this group",
				    gp->name, g->name, gp->protocols[0],
				    gp->nprotocols > 1 ? " ..." : "", gp->protocol_line);
		}
	}
	/* the group an AnyConnect client selected in its config-auth init */
	for (i = 0; c->ngroups && i < s->nmsgs; i++) {
		size_t j;

		for (j = 0; j < s->msgs[i]->nxml; j++) {
			const struct xml_doc *x = &s->msgs[i]->xml[j];

			if (x->group_select && x->group_select[0] &&
			    !config_tunnel_group(c, x->group_select))
				add(s, VERIFY_CONFIG_TUNNEL_GROUP, s->msgs[i], x->first_line,
				    "the client selected group %s, which is no tunnel-group or "
				    "group-alias of %s",
				    x->group_select, c->name);
		}
	}
	if (s->trustpoint && c->ntrustpoints) {
		bool found = false;

		for (i = 0; i < c->ntrustpoints && !found; i++)
			found = !strcmp(c->trustpoints[i], s->trustpoint);
		if (!found)
			add(s, VERIFY_CONFIG_TRUSTPOINT, NULL, s->trustpoint_line,
			    "the log uses trustpoint %s, which %s does not define (crypto ca "
			    "trustpoint)",
			    s->trustpoint, c->name);
	}
	if (g && g->pool[0] && s->assigned_ip) {
		const struct config_pool *pool = config_pool(c, g->pool);
		uint32_t a, lo, hi;

		if (pool && ipv4(s->assigned_ip, &a) && ipv4(pool->first, &lo) &&
		    ipv4(pool->last, &hi) && (a < lo || a > hi))
			add(s, VERIFY_CONFIG_POOL, NULL, s->first_line,
			    "assigned %s, outside pool %s %s-%s of tunnel group %s (%s line %u)",
			    s->assigned_ip, pool->name, pool->first, pool->last, g->name, c->name,
			    pool->line);
	}
	if (s->nfindings > 1)
		qsort(s->findings, s->nfindings, sizeof(*s->findings), by_line);
}

/* ---- an AnyConnect client profile ---- */

static bool
is_address(const char *s)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

void
verify_profile(struct session *report, const char *file, bool well_formed, long error_line,
	       const struct xprofile_host *hosts, size_t n, const struct config *c)
{
	size_t i;

	if (!well_formed) {
		add(report, VERIFY_PROFILE_XML, NULL,
		    error_line > 0 && error_line <= UINT32_MAX ? (uint32_t)error_line : 0,
		    "%s is not well-formed XML: the client cannot read its host list", file);
		return;
	}
	if (c && c->nprofiles) {
		/* the file the head end pushes, by its name */
		const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
		bool pushed = false;

		for (i = 0; i < c->nprofiles && !pushed; i++) {
			const char *p = c->profiles[i].path, *b = strrchr(p, '/'),
				   *colon = strrchr(p, ':');
			const char *pb = b ? b + 1 : colon ? colon + 1 : p;

			pushed = !strcasecmp(pb, base);
		}
		if (!pushed)
			add(report, VERIFY_PROFILE_NOT_PUSHED, NULL, 0,
			    "%s pushes %s (anyconnect profiles %s, line %u), not a file named %s: "
			    "the client may run another profile than this one",
			    c->name, c->profiles[0].path, c->profiles[0].name, c->profiles[0].line,
			    base);
	}
	for (i = 0; i < n; i++) {
		const struct xprofile_host *h = &hosts[i];
		const char *name = h->name[0] ? h->name : h->address;
		uint32_t line = h->line > 0 ? (uint32_t)h->line : 0;

		if (h->protocol[0] && strcasecmp(h->protocol, "IPsec"))
			add(report, VERIFY_PROFILE_PROTOCOL, NULL, line,
			    "host entry %s has PrimaryProtocol %s: the client connects with it, "
			    "not IKEv2",
			    name, h->protocol);
		if (!c)
			continue;
		if (h->user_group[0] && c->ngroups && !config_tunnel_group(c, h->user_group))
			add(report, VERIFY_PROFILE_USER_GROUP, NULL, line,
			    "host entry %s names UserGroup %s, which is not a tunnel-group or "
			    "group-alias of %s: the client shows \"Invalid Host Entry. Please "
			    "re-enter\"",
			    name, h->user_group, c->name);
		/* an address (a name is resolved by the client: nothing to check here) */
		if (is_address(h->address) && c->ninterfaces) {
			const struct config_interface *in = config_interface_at(c, h->address);

			if (!in)
				add(report, VERIFY_PROFILE_HOST_ADDRESS, NULL, line,
				    "host entry %s points at %s, which is no interface address of "
				    "%s",
				    name, h->address, c->name);
			else if (!config_ikev2_on(c, in->nameif))
				add(report, VERIFY_PROFILE_HOST_ADDRESS, NULL, line,
				    "host entry %s points at interface %s (%s), where %s does not "
				    "enable IKEv2 (crypto ikev2 enable %s)",
				    name, in->nameif, h->address, c->name, in->nameif);
		}
	}
}
