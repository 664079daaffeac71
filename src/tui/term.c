/* The browser on a terminal: curses draws the frames tui.c lays out and reads the keys. */
#include "ikescope/tui.h"

#include <curses.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>

#include "ikescope/util/xalloc.h"

static bool curses_on;

static void
curses_off(void)
{
	if (curses_on) {
		endwin();
		curses_on = false;
	}
}

/* Killed (TERM, HUP): the terminal back as it was, then leave. */
static void
on_signal(int sig)
{
	curses_off();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int
key_of(int c)
{
	switch (c) {
	case KEY_UP:
		return TUI_KEY_UP;
	case KEY_DOWN:
		return TUI_KEY_DOWN;
	case KEY_LEFT:
		return TUI_KEY_LEFT;
	case KEY_RIGHT:
		return TUI_KEY_RIGHT;
	case KEY_PPAGE:
		return TUI_KEY_PGUP;
	case KEY_NPAGE:
		return TUI_KEY_PGDN;
	case KEY_HOME:
		return TUI_KEY_HOME;
	case KEY_END:
		return TUI_KEY_END;
	case KEY_ENTER:
	case '\n':
	case '\r':
		return TUI_KEY_ENTER;
	case 27:
		return TUI_KEY_ESC;
	case '\t':
		return TUI_KEY_TAB;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		return TUI_KEY_BACKSPACE;
	case KEY_RESIZE:
		return TUI_KEY_RESIZE;
	default:
		return c;
	}
}

static attr_t
attr_of(enum tui_style style, bool color)
{
	switch (style) {
	case TUI_HEADER:
		return A_BOLD;
	case TUI_SELECTED:
	case TUI_STATUS:
		return A_REVERSE;
	case TUI_GOOD:
		return color ? COLOR_PAIR(1) : A_NORMAL;
	case TUI_BAD:
		return color ? COLOR_PAIR(2) : A_BOLD;
	case TUI_WARN:
		return color ? COLOR_PAIR(3) : A_NORMAL;
	case TUI_MARK:
		return color ? COLOR_PAIR(4) | A_BOLD : A_UNDERLINE;
	default:
		return A_NORMAL;
	}
}

bool
tui_run_terminal(struct tui *t, tui_load_fn *load, void *ctx)
{
	bool loading = load != NULL, color;

	setlocale(LC_ALL, "");
	if (!initscr())
		return false;
	curses_on = true;
	atexit(curses_off);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	raw(); /* Ctrl-C arrives as a key: the terminal is restored before leaving */
	noecho();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	color = has_colors() && !getenv("NO_COLOR");
	if (color) {
		start_color();
		use_default_colors();
		init_pair(1, COLOR_GREEN, -1);
		init_pair(2, COLOR_RED, -1);
		init_pair(3, COLOR_YELLOW, -1);
		init_pair(4, COLOR_CYAN, -1);
	}
	for (;;) {
		int rows = LINES, cols = COLS, r, c;
		struct tui_line *lines;

		if (loading) {
			/* a slice of the log, then the screen and the keys again */
			loading = load(ctx, t);
			timeout(loading ? 0 : -1);
		}
		lines = xcalloc((size_t)(rows > 0 ? rows : 1), sizeof(*lines));
		erase();
		tui_frame(t, rows, cols, lines);
		for (r = 0; r < rows; r++) {
			attrset(attr_of(lines[r].style, color));
			mvaddstr(r, 0, lines[r].text ? lines[r].text : "");
		}
		attrset(A_NORMAL);
		refresh();
		tui_frame_free(lines, rows);
		free(lines);
		c = getch();
		if (c == ERR && loading)
			continue;       /* no key yet: read on */
		if (c == 3 || c == ERR) /* Ctrl-C, or no terminal any more */
			break;
		if (!tui_key(t, key_of(c)))
			break;
	}
	curses_off();
	return true;
}
