#include "ikescope/render.h"

#include <string.h>

#include "ikescope/grammar.h"
#include "ikescope/lexer.h"
#include "ikescope/util/escape.h"

void
render_safe_text(struct strbuf *out, const struct grammar *g, const struct render_opts *o,
		 const char *s, size_t n)
{
	struct strbuf masked;

	if (o->show_secrets || !g) {
		escape_append(out, s, n);
		return;
	}
	sb_init(&masked);
	grammar_mask(g, s, n, &masked);
	escape_append(out, masked.buf ? masked.buf : "", masked.len);
	sb_finish(&masked);
}

void
render_field_value(struct strbuf *out, const struct grammar *g, const struct render_opts *o,
		   const struct gram_value *v)
{
	size_t i;

	if (gram_field_type(v->field) == GRAM_TYPE_SPI) {
		/* one spelling for SPIs: upper case, no 0x */
		i = (v->len > 2 && v->p[0] == '0' && (v->p[1] == 'x' || v->p[1] == 'X')) ? 2 : 0;
		for (; i < v->len; i++) {
			char c = v->p[i];

			sb_addc(out, (char)(c >= 'a' && c <= 'f' ? c - 'a' + 'A' : c));
		}
		return;
	}
	render_safe_text(out, g, o, v->p, v->len);
}

static void
loc(struct strbuf *out, const struct lex_record *rec)
{
	escape_append(out, rec->input, strlen(rec->input));
	if (rec->first_line == rec->last_line)
		sb_addf(out, ":%u", rec->first_line);
	else
		sb_addf(out, ":%u-%u", rec->first_line, rec->last_line);
}

static bool
needs_quotes(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return true;
	for (i = 0; i < n; i++)
		if (s[i] == ' ' || s[i] == '"' || s[i] == '\t')
			return true;
	return false;
}

void
render_text_record(struct strbuf *out, const struct grammar *g, const struct render_opts *o,
		   const struct lex_record *rec, const struct gram_match *m, bool ike)
{
	size_t i;

	loc(out, rec);
	if (rec->flags & LEX_REC_NOISE) {
		sb_adds(out, "  noise:");
		sb_adds(out, rec->kind ? rec->kind : "?");
	} else if (m) {
		sb_adds(out, "  ");
		sb_adds(out, gram_family_name(m->family));
		for (i = 0; i < m->nvalues; i++) {
			const struct gram_value *v = &m->values[i];

			if (v->field == GRAM_FIELD_DESCRIPTION || v->field == GRAM_FIELD_TEXT)
				continue;
			struct strbuf val;

			sb_init(&val);
			/* a value inside a secret of the record (a mask needs its context) */
			if (!o->show_secrets && g && v->p >= rec->text &&
			    v->p + v->len <= rec->text + rec->len &&
			    grammar_masks_span(g, rec->text, rec->len, (size_t)(v->p - rec->text),
					       v->len))
				sb_adds(&val, "********");
			else
				render_field_value(&val, g, o, v);
			sb_addc(out, ' ');
			sb_adds(out, gram_field_name(v->field));
			sb_addc(out, '=');
			if (needs_quotes(val.buf ? val.buf : "", val.len)) {
				sb_addc(out, '"');
				sb_add(out, val.buf, val.len);
				sb_addc(out, '"');
			} else {
				sb_add(out, val.buf ? val.buf : "", val.len);
			}
			sb_finish(&val);
		}
	} else {
		sb_adds(out, ike ? "  ?ike" : "  ?");
	}
	/* remarks a reader must see; the other flags are in --json */
	if (rec->flags & LEX_REC_TRUNCATED)
		sb_addf(out, " [%s]", lex_flag_name(LEX_REC_TRUNCATED));
	if (rec->flags & LEX_REC_INCOMPLETE)
		sb_addf(out, " [%s]", lex_flag_name(LEX_REC_INCOMPLETE));
	sb_adds(out, "  | ");
	if (rec->flags & LEX_REC_BLOCK) {
		/* blocks span lines: show them on one line */
		struct strbuf tmp;
		const char *p = rec->text;
		size_t n = rec->len, j;

		sb_init(&tmp);
		for (j = 0; j < n; j++)
			sb_addc(&tmp, p[j] == '\n' ? ' ' : p[j]);
		render_safe_text(out, g, o, tmp.buf ? tmp.buf : "", tmp.len);
		sb_finish(&tmp);
	} else {
		render_safe_text(out, g, o, rec->text, rec->len);
	}
	sb_addc(out, '\n');
}
