#include "ikescope/xml.h"

#include <stdint.h>
#include <string.h>

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

void
xdoc_parse(const char *doc, size_t len, struct xdoc_info *x)
{
	/* no network, no entity expansion, no DTD, no messages on stderr */
	const int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
			 XML_PARSE_NOBLANKS | XML_PARSE_NOCDATA;
	xmlDocPtr d;
	xmlNodePtr root;

	if (len > 1u << 20 || len > (size_t)INT32_MAX)
		return;
	d = xmlReadMemory(doc, (int)len, NULL, "UTF-8", opts);
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
