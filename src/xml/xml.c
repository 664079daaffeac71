#include "ikescope/xml.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/util/xalloc.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

void
xdoc_info_init(struct xdoc_info *x)
{
	memset(x, 0, sizeof(*x));
	sb_init(&x->text);
	x->type = x->client = x->version = x->who = x->device = x->group_select = -1;
	x->tunnel_group = x->username = x->session_id = x->auth_id = -1;
}

void
xdoc_info_finish(struct xdoc_info *x)
{
	sb_finish(&x->text);
}

const char *
xdoc_value(const struct xdoc_info *x, long off)
{
	return off < 0 ? NULL : x->text.buf + off;
}

static long
keep(struct xdoc_info *x, const xmlChar *v)
{
	long off = (long)x->text.len;

	sb_adds(&x->text, v ? (const char *)v : "");
	sb_addc(&x->text, '\0');
	return off;
}

static long
keep_prop(struct xdoc_info *x, xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	long off;

	if (!v)
		return -1;
	off = keep(x, v);
	xmlFree(v);
	return off;
}

static long
keep_content(struct xdoc_info *x, xmlNodePtr n)
{
	xmlChar *v = xmlNodeGetContent(n);
	long off = keep(x, v);

	xmlFree(v);
	return off;
}

static bool
named(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static void
walk(struct xdoc_info *x, xmlNodePtr n, int depth)
{
	for (; n && depth < 16; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (named(n, "version") && x->version < 0) {
			x->version = keep_content(x, n);
			x->who = keep_prop(x, n, "who");
		} else if (named(n, "device-id") && x->device < 0) {
			x->device = keep_content(x, n);
		} else if (named(n, "group-select") && x->group_select < 0) {
			x->group_select = keep_content(x, n);
		} else if (named(n, "tunnel-group") && x->tunnel_group < 0) {
			x->tunnel_group = keep_content(x, n);
		} else if (named(n, "username") && x->username < 0) {
			x->username = keep_content(x, n);
		} else if (named(n, "session-id") && x->session_id < 0) {
			x->session_id = keep_content(x, n);
		} else if (named(n, "auth") && x->auth_id < 0) {
			x->auth_id = keep_prop(x, n, "id");
		}
		walk(x, n->children, depth + 1);
	}
}

/*
 * The documents of one log repeat from session to session (each client
 * sends the same hello, init and ack): the fields of the last few
 * documents are kept by their bytes. (The program is single-threaded.)
 */
#define XDOC_KEPT     32
#define XDOC_KEPT_MAX 8192 /* larger documents are parsed each time */

static struct kept_doc {
	uint64_t hash;
	char *doc;
	size_t len;
	struct xdoc_info info;
} kept[XDOC_KEPT];
static unsigned kept_next;

static uint64_t
doc_hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull ^ n, w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0x100000001b3ull;
		h ^= h >> 31;
	}
	for (; n; s++, n--)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

static void
info_copy(struct xdoc_info *to, const struct xdoc_info *from)
{
	to->well_formed = from->well_formed;
	to->has_dtd = from->has_dtd;
	to->type = from->type;
	to->client = from->client;
	to->version = from->version;
	to->who = from->who;
	to->device = from->device;
	to->group_select = from->group_select;
	to->tunnel_group = from->tunnel_group;
	to->username = from->username;
	to->session_id = from->session_id;
	to->auth_id = from->auth_id;
	sb_reset(&to->text);
	sb_add(&to->text, from->text.buf ? from->text.buf : "", from->text.len);
}

static xmlParserCtxtPtr ctxt;

void
xdoc_forget(void)
{
	size_t i;

	if (ctxt) {
		xmlFreeParserCtxt(ctxt);
		ctxt = NULL;
	}
	for (i = 0; i < XDOC_KEPT; i++) {
		if (!kept[i].doc)
			continue;
		free(kept[i].doc);
		xdoc_info_finish(&kept[i].info);
		kept[i].doc = NULL;
	}
}

static void parse(const char *doc, size_t len, struct xdoc_info *x);

void
xdoc_parse(const char *doc, size_t len, struct xdoc_info *x)
{
	struct kept_doc *k;
	uint64_t h;
	size_t i;

	if (len > XDOC_KEPT_MAX) {
		parse(doc, len, x);
		return;
	}
	h = doc_hash(doc, len);
	for (i = 0; i < XDOC_KEPT; i++) {
		k = &kept[i];
		if (k->doc && k->hash == h && k->len == len && !memcmp(k->doc, doc, len)) {
			info_copy(x, &k->info);
			return;
		}
	}
	parse(doc, len, x);
	k = &kept[kept_next++ % XDOC_KEPT];
	if (!k->doc)
		xdoc_info_init(&k->info);
	free(k->doc);
	k->doc = xmalloc(len ? len : 1);
	memcpy(k->doc, doc, len);
	k->len = len;
	k->hash = h;
	info_copy(&k->info, x);
}

static void
silent(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

/*
 * libxml2 prints some errors (encoding conversions) on stderr whatever the
 * parse options say: they are silenced once, before the first parse. What
 * went wrong is still known from the parse result and xmlGetLastError().
 */
static void
quiet_libxml(void)
{
	static bool done;

	if (!done) {
		xmlSetGenericErrorFunc(NULL, silent);
		done = true;
	}
}

/*
 * True if libxml2 reads doc as UTF-8 without being told to: it begins with
 * '<' and an ASCII byte (not UTF-16 or another encoding that it would detect),
 * and its XML declaration, if any, names no encoding or UTF-8.
 */
static bool
utf8_as_declared(const char *doc, size_t len)
{
	const char *end, *e, *v, *lim;
	size_t i;

	if (len < 2 || doc[0] != '<' || !doc[1] || (unsigned char)doc[1] >= 0x80)
		return false;
	if (len < 5 || memcmp(doc, "<?xml", 5))
		return true;
	/* the end of the declaration, within its first 256 bytes (a loop: GCC's
	 * -Wnonnull sees a null doc in memmem here under UBSan) */
	lim = doc + (len < 256 ? len : 256);
	for (end = doc + 5; end + 1 < lim && !(end[0] == '?' && end[1] == '>'); end++)
		;
	if (end + 1 >= lim)
		return false;
	if (!(e = memmem(doc, (size_t)(end - doc), "encoding", 8)))
		return true;
	for (v = e + 8; v < end && (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n'); v++)
		;
	if (v >= end || *v++ != '=')
		return false;
	while (v < end && (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n'))
		v++;
	if (v >= end || (*v != '"' && *v != '\''))
		return false;
	for (i = 0; i < 5 && v + 1 + i < end; i++)
		if ((v[1 + i] | (i == 3 ? 0 : 0x20)) != "utf-8"[i])
			return false;
	return i == 5 && v + 6 < end && v[6] == v[0];
}

static void
parse(const char *doc, size_t len, struct xdoc_info *x)
{
	/* no network, no entity expansion, no DTD, no messages on stderr */
	const int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
			 XML_PARSE_NOBLANKS | XML_PARSE_NOCDATA;
	const char *enc;
	xmlDocPtr d;
	xmlNodePtr root;

	if (len > 1u << 20 || len > (size_t)INT32_MAX)
		return;
	quiet_libxml();
	x->has_dtd = memmem(doc, len, "<!DOCTYPE", 9) || memmem(doc, len, "<!ENTITY", 8);
	/* one parser context for all documents (a new one per document cost a fifth of the
	 * parse); a document that begins as UTF-8 text and declares no other encoding is read
	 * as it is, without the pass that converts its bytes from the encoding named */
	if (!ctxt)
		ctxt = xmlNewParserCtxt();
	enc = utf8_as_declared(doc, len) ? NULL : "UTF-8";
	d = ctxt ? xmlCtxtReadMemory(ctxt, doc, (int)len, NULL, enc, opts)
		 : xmlReadMemory(doc, (int)len, NULL, "UTF-8", opts);
	if (!d)
		return;
	root = xmlDocGetRootElement(d);
	if (root && named(root, "config-auth")) {
		x->well_formed = true;
		x->type = keep_prop(x, root, "type");
		x->client = keep_prop(x, root, "client");
		walk(x, root->children, 0);
	} else if (root) {
		x->well_formed = true;
	}
	xmlFreeDoc(d);
}

/* ---- AnyConnect client profiles ---- */

/*
 * The text of n itself, trimmed: not that of its child elements (a
 * PrimaryProtocol holds its options as children).
 */
static void
text_of(xmlNodePtr n, char *out, size_t size)
{
	xmlChar *v = NULL;
	xmlNodePtr c;
	size_t i = 0, j = 0;

	for (c = n->children; c; c = c->next)
		if (c->type == XML_TEXT_NODE && c->content)
			v = xmlStrcat(v, c->content);
	if (v) {
		const char *t = (const char *)v;
		size_t len = strlen(t);

		while (i < len && (t[i] == ' ' || t[i] == '\n' || t[i] == '\t' || t[i] == '\r'))
			i++;
		while (len > i && (t[len - 1] == ' ' || t[len - 1] == '\n' || t[len - 1] == '\t' ||
				   t[len - 1] == '\r'))
			len--;
		for (; i < len && j + 1 < size; i++)
			out[j++] = t[i];
	}
	out[j] = '\0';
	xmlFree(v);
}

static void
hosts_in(xmlNodePtr n, struct xprofile_host *hosts, size_t max, size_t *count, int depth)
{
	for (; n && depth < 16; n = n->next) {
		xmlNodePtr c;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (named(n, "HostEntry")) {
			if (*count < max) {
				struct xprofile_host *h = &hosts[*count];

				memset(h, 0, sizeof(*h));
				h->line = xmlGetLineNo(n);
				for (c = n->children; c; c = c->next) {
					if (named(c, "HostName"))
						text_of(c, h->name, sizeof(h->name));
					else if (named(c, "HostAddress"))
						text_of(c, h->address, sizeof(h->address));
					else if (named(c, "UserGroup"))
						text_of(c, h->user_group, sizeof(h->user_group));
					else if (named(c, "PrimaryProtocol"))
						text_of(c, h->protocol, sizeof(h->protocol));
				}
			}
			(*count)++;
			continue;
		}
		hosts_in(n->children, hosts, max, count, depth + 1);
	}
}

size_t
xprofile_parse(const char *doc, size_t len, struct xprofile_host *hosts, size_t max,
	       bool *well_formed, long *error_line)
{
	const int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
			 XML_PARSE_NOBLANKS | XML_PARSE_NOCDATA;
	xmlDocPtr d;
	size_t count = 0;

	*well_formed = false;
	*error_line = 0;
	if (len > (size_t)INT32_MAX)
		return 0;
	quiet_libxml();
	xmlResetLastError();
	d = xmlReadMemory(doc, (int)len, NULL, NULL, opts);
	if (!d) {
		const xmlError *e = xmlGetLastError();

		if (e)
			*error_line = e->line;
		return 0;
	}
	*well_formed = true;
	hosts_in(xmlDocGetRootElement(d), hosts, max, &count, 0);
	xmlFreeDoc(d);
	return count;
}
