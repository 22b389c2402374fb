// A terminal emulator over libvterm, as plain C functions Swift can call without libvterm's
// macros, unions, bitfields or callbacks: output meant for the program (query replies, encoded
// keys) and lines scrolled off the top are collected in buffers that the caller drains.
#ifndef DISTRUN_TERMINAL_H
#define DISTRUN_TERMINAL_H

#include <stddef.h>
#include <stdint.h>

typedef struct DrsTerm DrsTerm;

enum { DRS_COLOR_DEFAULT = 0, DRS_COLOR_INDEXED = 1, DRS_COLOR_RGB = 2 };

typedef struct {
    uint32_t chars[6];  // 0-terminated code points; chars[0] == 0 for an empty cell
    int width;          // 1, or 2 for a wide character (the next cell is its right half)
    int bold, underline, italic, blink, reverse, strike;
    int font;  // SGR 10-19: 0 primary, 1-9 alternative fonts (the dashboard marks stderr with 1)
    int fg_kind, fg_index, fg_red, fg_green, fg_blue;
    int bg_kind, bg_index, bg_red, bg_green, bg_blue;
} DrsCell;

DrsTerm *drs_term_new(int rows, int cols);
void drs_term_free(DrsTerm *term);
void drs_term_write(DrsTerm *term, const char *bytes, size_t length);
void drs_term_resize(DrsTerm *term, int rows, int cols);
/// 0, or -1 for a position outside the screen.
int drs_term_cell(DrsTerm *term, int row, int col, DrsCell *cell);
void drs_term_cursor(DrsTerm *term, int *row, int *col, int *visible);
int drs_term_alternate_screen(DrsTerm *term);

/// Keys: libvterm's VTermKey numbers; modifiers: 1 shift, 2 alt, 4 ctrl.
void drs_term_key(DrsTerm *term, int key, int modifiers);
void drs_term_char(DrsTerm *term, uint32_t codepoint, int modifiers);
/// Wraps following characters as a paste (bracketed only if the program asked for it).
void drs_term_paste(DrsTerm *term, int starting);

/// The bytes waiting, without copying: valid until the next call on `term`; the clear functions
/// drop them once read. Output: for the program (query replies, encoded keys). Scrollback: the
/// scrolled-off lines, UTF-8, each ending in '\n'; a line whose first character was in font 1
/// (stderr, for the dashboard) starts with byte 0x01.
size_t drs_term_peek_output(DrsTerm *term, const char **bytes);
void drs_term_clear_output(DrsTerm *term);
size_t drs_term_peek_scrollback(DrsTerm *term, const char **bytes);
void drs_term_clear_scrollback(DrsTerm *term);

/// Runs of plain lines that scroll the screen over skip libvterm's row-by-row scrolling (same
/// result, see distrun_terminal.c); on by default, off only to compare the two in tests.
void drs_term_set_plain_lines(DrsTerm *term, int enabled);

#endif
