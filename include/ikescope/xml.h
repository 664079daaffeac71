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
	bool has_dtd;       /* a DOCTYPE or ENTITY declaration: neither expanded nor fetched */
	struct strbuf text; /* the values, NUL-separated */
	long type, client, version, who, device, group_select, tunnel_group, username, session_id,
		auth_id;
};

void xdoc_info_init(struct xdoc_info *x);
void xdoc_info_finish(struct xdoc_info *x);
/* Parses doc; fills x (x->well_formed false if it is not well-formed XML). */
void xdoc_parse(const char *doc, size_t len, struct xdoc_info *x);
/* A HostEntry of an AnyConnect client profile (empty strings when absent). */
struct xprofile_host {
	char name[128], address[128], user_group[128], protocol[32];
	long line;
};

/*
 * Reads the HostEntry elements of an AnyConnect client profile into hosts
 * (at most max); returns how many there are (which may pass max). *well_formed
 * is false if the document is not well-formed XML; *error_line then gets the
 * line where the parser gave up (0 if unknown).
 */
size_t xprofile_parse(const char *doc, size_t len, struct xprofile_host *hosts, size_t max,
		      bool *well_formed, long *error_line);

/* Frees the documents kept to answer a repeated one without parsing it again. */
void xdoc_forget(void);
/* The value at an offset, or NULL. Borrowed from x. */
const char *xdoc_value(const struct xdoc_info *x, long off);

#endif
