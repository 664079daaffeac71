#include "ikescope/render.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ikescope/grammar.h"
#include "ikescope/lexer.h"

static json_t *
safe_string(const struct grammar *g, const struct render_opts *o, const char *s, size_t n)
{
	struct strbuf masked;
	json_t *j;

	/* the lexer made the text valid UTF-8; control characters are escaped by Jansson */
	if (o->show_secrets || !g)
		return json_stringn_nocheck(s, n);
	sb_init(&masked);
	grammar_mask(g, s, n, &masked);
	j = json_stringn_nocheck(masked.buf ? masked.buf : "", masked.len);
	sb_finish(&masked);
	return j;
}

static json_t *
typed_value(const struct grammar *g, const struct render_opts *o, const struct gram_value *v)
{
	char buf[32];
	char *end;
	unsigned long long n;

	switch (gram_field_type(v->field)) {
	case GRAM_TYPE_UINT:
	case GRAM_TYPE_HEX:
		if (v->len == 0 || v->len >= sizeof(buf))
			break;
		memcpy(buf, v->p, v->len);
		buf[v->len] = '\0';
		n = strtoull(buf, &end, gram_field_type(v->field) == GRAM_TYPE_HEX ? 16 : 10);
		if (*end || n > (1ull << 53))
			break;
		return json_integer((json_int_t)n);
	case GRAM_TYPE_SPI: {
		struct strbuf sb;
		json_t *j;

		sb_init(&sb);
		render_field_value(&sb, g, o, v);
		j = json_stringn(sb.buf ? sb.buf : "", sb.len);
		sb_finish(&sb);
		return j;
	}
	default:
		break;
	}
	return safe_string(g, o, v->p, v->len);
}

void
render_json_record(struct strbuf *out, const struct grammar *g, const struct render_opts *o,
		   const struct lex_record *rec, const struct gram_match *m, bool ike)
{
	json_t *root = json_object();
	json_t *flags = json_array();
	char *dump;
	size_t i;

	json_object_set_new(root, "input", json_string_nocheck(rec->input));
	json_object_set_new(root, "line", json_integer(rec->first_line));
	json_object_set_new(root, "last_line", json_integer(rec->last_line));
	json_object_set_new(root, "offset", json_integer((json_int_t)rec->offset));
	if (rec->flags & LEX_REC_NOISE) {
		json_object_set_new(root, "noise", json_string(rec->kind ? rec->kind : "?"));
	} else if (m) {
		json_t *fields = json_object();

		json_object_set_new(root, "family", json_string(gram_family_name(m->family)));
		json_object_set_new(root, "rule", json_string(m->rule));
		for (i = 0; i < m->nvalues; i++) {
			const char *name = gram_field_name(m->values[i].field);

			if (json_object_get(fields, name))
				continue;
			json_object_set_new(fields, name, typed_value(g, o, &m->values[i]));
		}
		json_object_set_new(root, "fields", fields);
	} else {
		json_object_set_new(root, "family", json_null());
		json_object_set_new(root, "ike", json_boolean(ike));
	}
	for (i = 0; i < 32; i++) {
		const char *name = (rec->flags >> i & 1) ? lex_flag_name(1u << i) : NULL;

		if (name)
			json_array_append_new(flags, json_string(name));
	}
	if (rec->flags & LEX_REC_BLOCK)
		json_object_set_new(root, "block", json_string(rec->kind ? rec->kind : "?"));
	json_object_set_new(root, "flags", flags);
	json_object_set_new(root, "text", safe_string(g, o, rec->text, rec->len));
	dump = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	if (dump) {
		sb_adds(out, dump);
		free(dump);
	}
	sb_addc(out, '\n');
	json_decref(root);
}
