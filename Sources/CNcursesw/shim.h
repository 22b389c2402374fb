// ncursesw for Swift. SwiftPM drops pkg-config's -D_XOPEN_SOURCE, so the wide-character API is
// switched on here; the functions below wrap macros and C globals Swift cannot use directly
// (attribute bit masks, getmaxyx, stdscr, ESCDELAY) so that Swift 6 sees plain functions.
#ifndef DISTRUN_CNCURSESW_SHIM_H
#define DISTRUN_CNCURSESW_SHIM_H

#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

static inline WINDOW *drs_stdscr(void) { return stdscr; }
static inline int drs_lines(void) { return LINES; }
static inline int drs_cols(void) { return COLS; }
static inline int drs_colors(void) { return COLORS; }
static inline int drs_color_pairs(void) { return COLOR_PAIRS; }
static inline void drs_set_escdelay(int ms) { set_escdelay(ms); }

static inline attr_t drs_attr_normal(void) { return A_NORMAL; }
static inline attr_t drs_attr_bold(void) { return A_BOLD; }
static inline attr_t drs_attr_dim(void) { return A_DIM; }
static inline attr_t drs_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t drs_attr_reverse(void) { return A_REVERSE; }
static inline attr_t drs_attr_italic(void) { return A_ITALIC; }
static inline attr_t drs_attr_standout(void) { return A_STANDOUT; }

/// Sets the attributes and colour pair for following output on `win`.
static inline int drs_attr_set(WINDOW *win, attr_t attrs, short pair) { return wattr_set(win, attrs, pair, NULL); }

/// Writes `count` wide characters at (y, x) on `win`.
static inline int drs_put(WINDOW *win, int y, int x, const wchar_t *text, int count) {
    return mvwaddnwstr(win, y, x, text, count);
}

#endif
