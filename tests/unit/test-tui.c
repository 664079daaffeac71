/* Unit tests of tui/: the browser's frames and keys, without a terminal. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "ikescope/proto.h"
#include "ikescope/tui.h"
#include "ikescope/util/arena.h"

static struct session *s[3];
static struct render_opts ro;

static void
setup(void)
{
	static const char *const peers[] = { "192.0.2.1", "198.51.100.9", "203.0.113.4" };
	static const enum model_outcome outcomes[] = { MODEL_OUTCOME_UP, MODEL_OUTCOME_FAILED,
						       MODEL_OUTCOME_UP };
	size_t i;

	for (i = 0; i < 3; i++) {
		s[i] = session_create("t.log", 0);
		s[i]->number = (unsigned)i + 1;
		s[i]->peer = peers[i];
		s[i]->pport = 500;
		s[i]->role = MODEL_ROLE_RESPONDER;
		s[i]->outcome = outcomes[i];
		s[i]->first_line = (uint32_t)i * 10 + 1;
		s[i]->last_line = (uint32_t)i * 10 + 9;
		s[i]->spi_i = 0x1111111111111111ull * (i + 1);
		s[i]->has_spi_i = true;
	}
	s[1]->failure.cause = "NO_PROPOSAL_CHOSEN";
	s[1]->failure.exchange = "IKE_SA_INIT";
	s[1]->failure.explanation = "offered DH group 14";
	session_add_finding(s[1], "state.failed", MODEL_SEVERITY_WARN, "-", 7, true, 0,
			    "it failed");
	memset(&ro, 0, sizeof(ro));
}

static void
teardown(void)
{
	size_t i;

	for (i = 0; i < 3; i++)
		session_destroy(s[i]);
}

/* The frame as text. */
static char *
screen(struct tui *t, int rows, int cols)
{
	struct tui_line lines[64];
	struct strbuf out;

	cr_assert(rows <= 64);
	tui_frame(t, rows, cols, lines);
	sb_init(&out);
	tui_frame_text(lines, rows, &out);
	tui_frame_free(lines, rows);
	return sb_detach(&out);
}

static void
keys(struct tui *t, const char *script)
{
	int k;

	while ((k = tui_script_key(&script)) >= 0)
		cr_assert(tui_key(t, k), "the browser quit early");
}

Test(tui, the_list_shows_every_session_with_counts, .init = setup, .fini = teardown)
{
	struct tui *t = tui_create(s, 3, &ro, NULL, NULL);
	char *text = screen(t, 10, 120);

	cr_expect(strstr(text, "3 sessions: 2 up, 0 deleted, 1 failed") != NULL, "%s", text);
	cr_expect(strstr(text, "198.51.100.9:500") != NULL);
	cr_expect(strstr(text, "IKE_SA_INIT NO_PROPOSAL_CHOSEN") != NULL, "%s", text);
	cr_expect_eq(tui_current_view(t), TUI_LIST);
	free(text);
	tui_destroy(t);
}

Test(tui, keys_open_filter_sort_and_go_back, .init = setup, .fini = teardown)
{
	struct tui *t = tui_create(s, 3, &ro, NULL, NULL);
	char *text;

	keys(t, "j<enter>");
	cr_expect_eq(tui_current_view(t), TUI_SESSION);
	text = screen(t, 30, 100);
	cr_expect(strstr(text, "FAILURE") != NULL, "the failed one: %s", text);
	free(text);
	keys(t, "<esc>f203.0<enter>");
	text = screen(t, 10, 80);
	cr_expect(strstr(text, "203.0.113.4") && !strstr(text, "192.0.2.1"), "%s", text);
	free(text);
	keys(t, "f<bs><bs><bs><bs><bs>3333333333333333<enter>");
	text = screen(t, 10, 80);
	cr_expect(strstr(text, "1 of 3 sessions") != NULL, "a whole SPI: %s", text);
	free(text);
	keys(t, "f<bs><bs><bs><bs><bs><bs><bs><bs><bs><bs><bs><bs><bs><bs><bs><bs><enter>s");
	text = screen(t, 10, 80);
	cr_expect(strstr(text, "sorted by outcome") != NULL, "%s", text);
	cr_expect(strstr(text, "   2 ") < strstr(text, "   1 "), "failed first: %s", text);
	free(text);
	cr_expect(!tui_key(t, 'q'), "q on the list quits");
	tui_destroy(t);
}

Test(tui, findings_search_help_and_diff, .init = setup, .fini = teardown)
{
	struct tui *t = tui_create(s, 3, &ro, NULL, NULL);
	char *text;
	size_t i;

	keys(t, "F");
	text = screen(t, 10, 100);
	cr_expect(strstr(text, "state.failed") != NULL, "%s", text);
	free(text);
	keys(t, "<esc>/198\\.51<enter>");
	text = screen(t, 10, 80);
	cr_expect(strstr(text, "no match") == NULL, "%s", text);
	free(text);
	keys(t, "/(<enter>");
	text = screen(t, 10, 80);
	cr_expect(strstr(text, "/(/:") != NULL, "a bad pattern is said: %s", text);
	free(text);
	keys(t, "?");
	text = screen(t, 30, 120);
	for (i = 0; i < tui_nkeymap; i++)
		cr_expect(strstr(text, tui_keymap[i].what) != NULL, "help has %s",
			  tui_keymap[i].keys);
	free(text);
	keys(t, "<esc>gmjd");
	cr_expect_eq(tui_current_view(t), TUI_DIFF);
	text = screen(t, 20, 120);
	cr_expect(strstr(text, "first difference") != NULL, "%s", text);
	free(text);
	tui_destroy(t);
}

Test(tui, text_from_the_log_never_reaches_the_terminal_raw, .init = setup, .fini = teardown)
{
	struct tui *t;
	char *text;

	s[0]->user = "evil\x1b]0;title\x07";
	t = tui_create(s, 3, &ro, NULL, NULL);
	text = screen(t, 10, 80);
	cr_expect(strchr(text, '\x1b') == NULL && strchr(text, '\x07') == NULL, "escaped");
	free(text);
	tui_destroy(t);
	s[0]->user = NULL;
}

Test(tui, a_small_screen_and_script_keys)
{
	const char *p = "a<enter><lt>\n<pgdn>";

	cr_expect_eq(tui_script_key(&p), 'a');
	cr_expect_eq(tui_script_key(&p), TUI_KEY_ENTER);
	cr_expect_eq(tui_script_key(&p), '<');
	cr_expect_eq(tui_script_key(&p), TUI_KEY_ENTER);
	cr_expect_eq(tui_script_key(&p), TUI_KEY_PGDN);
	cr_expect_eq(tui_script_key(&p), -1);
}

Test(tui, the_man_page_lists_every_key)
{
	char path[512], buf[1 << 16];
	FILE *fp;
	size_t n, i;

	snprintf(path, sizeof(path), "%s/man/ikescope.1", BUILD_ROOT);
	fp = fopen(path, "r");
	cr_assert_not_null(fp, "%s", path);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	for (i = 0; i < tui_nkeymap; i++)
		cr_expect(strstr(buf, tui_keymap[i].what) != NULL, "man page lacks '%s'",
			  tui_keymap[i].keys);
}

Test(tui, the_ladder_and_the_selected_message, .init = setup, .fini = teardown)
{
	struct message *q = session_add_message(s[1], MODEL_DIR_IN, 12);
	struct message *a = session_add_message(s[1], MODEL_DIR_OUT, 15);
	struct payload *n = message_add_payload(s[1], a, 16);
	struct tui *t;
	char *text;

	q->exchange = a->exchange = "IKE_SA_INIT";
	q->last_line = 14;
	a->last_line = 17;
	a->response = true;
	n->type = "NOTIFY";
	n->ptype = PROTO_PAYLOAD_NOTIFY;
	n->notify = "NO_PROPOSAL_CHOSEN";
	s[1]->failure.line = 16;
	s[1]->exch = arena_alloc(s[1]->arena, sizeof(*s[1]->exch));
	memset(s[1]->exch, 0, sizeof(*s[1]->exch));
	s[1]->nexch = s[1]->cap_exch = 1;
	s[1]->exch[0].type = "IKE_SA_INIT";
	s[1]->exch[0].request = q;
	s[1]->exch[0].response = a;
	t = tui_create(s, 3, &ro, NULL, NULL);
	keys(t, "j<enter>");
	text = screen(t, 16, 100);
	cr_expect(strstr(text, "IKE_SA_INIT      0  local |<----------| peer  request") != NULL,
		  "%s", text);
	cr_expect(strstr(text, "---------->| peer  response FAILURE NO_PROPOSAL_CHOSEN") != NULL,
		  "%s", text);
	cr_expect(strstr(text, "message 1 of 2: L12-L14") != NULL, "%s", text);
	free(text);
	keys(t, "j");
	text = screen(t, 16, 100);
	cr_expect(strstr(text, "message 2 of 2: L15-L17") != NULL, "%s", text);
	cr_expect(strstr(text, "NOTIFY  NO_PROPOSAL_CHOSEN") != NULL, "the detail: %s", text);
	free(text);
	tui_destroy(t);
}

Test(tui, sessions_arrive_while_the_inputs_are_read, .init = setup, .fini = teardown)
{
	struct tui *t = tui_create(s, 1, &ro, NULL, NULL);
	char *text;

	tui_set_sessions(t, s, 1, "reading big.log: line 1000, 1 sessions so far");
	text = screen(t, 8, 100);
	cr_expect(strstr(text, "1 session:") != NULL, "%s", text);
	cr_expect(strstr(text, "reading big.log: line 1000") != NULL, "%s", text);
	free(text);
	keys(t, "j");
	tui_set_sessions(t, s, 3, NULL);
	text = screen(t, 8, 100);
	cr_expect(strstr(text, "3 sessions:") != NULL, "%s", text);
	cr_expect(strstr(text, "reading") == NULL, "done: %s", text);
	cr_expect(strstr(text, "203.0.113.4") != NULL, "%s", text);
	free(text);
	tui_destroy(t);
}

Test(tui, a_summary_keeps_what_the_list_shows_and_no_messages, .init = setup, .fini = teardown)
{
	struct session *sum;

	session_add_message(s[1], MODEL_DIR_IN, 12);
	s[1]->user = "Anu";
	sum = session_summary(s[1]);
	cr_expect_eq(sum->nmsgs, 0);
	cr_expect_eq(sum->number, 2);
	cr_expect_str_eq(sum->peer, "198.51.100.9");
	cr_expect_str_eq(sum->user, "Anu");
	cr_expect_str_eq(sum->failure.cause, "NO_PROPOSAL_CHOSEN");
	cr_expect_eq(sum->nfindings, 1);
	cr_expect_str_eq(sum->findings[0].message, "it failed");
	cr_expect_eq(sum->first_line, 11);
	s[1]->user = NULL;
	session_destroy(sum);
}
