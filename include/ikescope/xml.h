#ifndef IKESCOPE_XML_H
#define IKESCOPE_XML_H

/*
 * The XML adapter (the only user of libxml2): reads an aggregate-auth
 * config-auth document from the log into neutral fields. Parsing never
 * touches the network and never expands entities or loads a DTD, so a
 * hostile document cannot make it fetch or grow anything.
 */

#include <stdbool.h>
#include <stddef.h>

#include "ikescope/util/strbuf.h"

/* Fields of a config-auth document; each value is an offset into text (or -1). */
struct xdoc_info {
	bool well_formed;
	struct strbuf text; /* the values, NUL-separated */
	long type, client, version, who, device, group_select, tunnel_group, username, session_id,
		auth_id;
};

void xdoc_info_init(struct xdoc_info *x);
void xdoc_info_finish(struct xdoc_info *x);
/* Parses doc; fills x (x->well_formed false if it is not well-formed XML). */
void xdoc_parse(const char *doc, size_t len, struct xdoc_info *x);
/* Frees the documents kept to answer a repeated one without parsing it again. */
void xdoc_forget(void);
/* The value at an offset, or NULL. Borrowed from x. */
const char *xdoc_value(const struct xdoc_info *x, long off);

#endif
