#ifndef IKESCOPE_TUI_H
#define IKESCOPE_TUI_H

/*
 * The interactive browser, as pure functions: a state, keys that change it,
 * and the frame (rows of text, each with a style) that it shows. The curses
 * front end only reads keys and draws frames; scripted runs and tests use
 * the same functions without a terminal.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikescope/model.h"
#include "ikescope/render.h"
#include "ikescope/util/strbuf.h"

enum tui_view { TUI_LIST, TUI_SESSION, TUI_RAW, TUI_FINDINGS, TUI_HELP, TUI_DIFF, TUI_TIMELINE };

enum tui_style {
	TUI_NORMAL,
	TUI_HEADER,   /* titles, column heads */
	TUI_SELECTED, /* the selected row */
	TUI_GOOD,     /* up, deleted after up */
	TUI_BAD,      /* failed, errors */
	TUI_WARN,     /* incomplete, warnings */
	TUI_STATUS,   /* the status line */
	TUI_MARK      /* a highlighted line (the session's lines in the raw log, a search hit) */
};

/* Keys beyond plain characters. */
enum {
	TUI_KEY_UP = 0x101,
	TUI_KEY_DOWN,
	TUI_KEY_LEFT,
	TUI_KEY_RIGHT,
	TUI_KEY_PGUP,
	TUI_KEY_PGDN,
	TUI_KEY_HOME,
	TUI_KEY_END,
	TUI_KEY_ENTER,
	TUI_KEY_ESC,
	TUI_KEY_TAB,
	TUI_KEY_BACKSPACE,
	TUI_KEY_RESIZE
};

/* One key of the keymap: what the help and the man page list. */
struct tui_keydef {
	const char *keys;  /* as written in the help */
	const char *where; /* the views it works in */
	const char *what;
};
extern const struct tui_keydef tui_keymap[];
extern const size_t tui_nkeymap;

/* Reads the original lines of an input back (the raw pane); see render_opts.raw. */
typedef uint32_t (*tui_raw_fn)(void *ctx, const char *input, uint32_t first, uint32_t last,
			       uint32_t max, line_fn fn, void *fn_ctx);

/* The whole session behind a summary (session_summary), rebuilt from its input; NULL if not. */
typedef struct session *(*tui_full_fn)(void *ctx, const struct session *summary);

struct tui_line {
	char *text; /* escaped, at most the screen's width in cells */
	enum tui_style style;
};

struct tui;

/* A browser over sessions (borrowed; they outlive it). ro: how sessions are rendered. */
struct tui *tui_create(struct session **sessions, size_t n, const struct render_opts *ro,
		       tui_raw_fn raw, void *raw_ctx);
void tui_destroy(struct tui *t);
/*
 * More sessions were read (the array may have moved); progress (NULL: done)
 * is shown in the status line while the inputs are still being read.
 */
/* The sessions given are summaries: open ones are rebuilt by full. */
void tui_set_rebuild(struct tui *t, tui_full_fn full, void *ctx);
void tui_set_sessions(struct tui *t, struct session **sessions, size_t n, const char *progress);
/* One key; returns false once the browser is to quit. */
bool tui_key(struct tui *t, int key);
/* The frame for a screen of rows x cols: rows lines (the last is the status line). */
void tui_frame(struct tui *t, int rows, int cols, struct tui_line *out);
void tui_frame_free(struct tui_line *lines, int rows);
enum tui_view tui_current_view(const struct tui *t);
/* Writes the frame as plain text (for --keys runs, exports and tests). */
void tui_frame_text(const struct tui_line *lines, int rows, struct strbuf *out);
/* Reads a key script ("jj<enter>/EAP<enter>q"): the next key, or -1 at its end. */
int tui_script_key(const char **script);

/*
 * Reads a slice of the inputs and gives t what was read (tui_set_sessions);
 * returns true while more is to be read.
 */
typedef bool tui_load_fn(void *ctx, struct tui *t);
/*
 * The browser on the terminal (curses, src/tui/term.c) until the user
 * quits: load (NULL: all is read) is called between keys until it is done.
 * False if the terminal cannot be used.
 */
bool tui_run_terminal(struct tui *t, tui_load_fn *load, void *ctx);

#endif
