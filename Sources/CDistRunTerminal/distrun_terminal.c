#include "distrun_terminal.h"
#include "sequence_watch.h"
#include "utf8_input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vterm.h>

// Bytes waiting for the caller: the live ones are [start, length). A buffer that grew past
// `buffer_keep_bytes` is freed once drained, so a burst does not pin memory in every terminal.
typedef struct {
    char *bytes;
    size_t start, length, capacity;
} Buffer;

enum { buffer_keep_bytes = 16 << 10 };

struct DrsTerm {
    VTerm *vt;
    VTermScreen *screen;
    VTermScreenCallbacks callbacks;  // libvterm keeps a pointer to it: it must live here
    Buffer output, scrollback;
    int alternate, cursor_visible;
    // Plain lines (see feed_plain_lines): on unless a test turns it off; off for good once the
    // watch saw a character set other than ASCII designated or a line made double width or height.
    int plain_lines_enabled;
    DrsSequenceWatch watch;   // libvterm's parser state, followed by the shim (see feed)
    int altscreen_allocated;  // allocated on first use: 80x24 cells cost 69 KB
    size_t rows_pushed;           // scrolled-off rows so far, to verify the screen scrolls whole
    VTermScreenCell *row_cells;   // one row, for pushing the screen's rows ourselves
    int row_cells_count;
    // libvterm 0.1.4 loses a UTF-8 character cut at the end of a write when text precedes it:
    // the incomplete tail waits here for the next write.
    char utf8_tail[4];
    size_t utf8_tail_length;
};

static void buffer_append(Buffer *buffer, const char *bytes, size_t length) {
    if (buffer->start > 0 && buffer->length + length > buffer->capacity) {
        memmove(buffer->bytes, buffer->bytes + buffer->start, buffer->length - buffer->start);
        buffer->length -= buffer->start;
        buffer->start = 0;
    }
    if (buffer->length + length > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity : 4096;
        while (capacity < buffer->length + length) capacity *= 2;
        char *grown = realloc(buffer->bytes, capacity);
        if (!grown) return;  // out of memory: drop rather than crash
        buffer->bytes = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->bytes + buffer->length, bytes, length);
    buffer->length += length;
}

static void buffer_consume(Buffer *buffer, size_t count) {
    buffer->start += count;
    if (buffer->start < buffer->length) return;
    buffer->start = buffer->length = 0;
    if (buffer->capacity > buffer_keep_bytes) {
        free(buffer->bytes);
        buffer->bytes = NULL;
        buffer->capacity = 0;
    }
}

static void on_output(const char *bytes, size_t length, void *user) {
    buffer_append(&((DrsTerm *)user)->output, bytes, length);
}

static int on_pushline(int cols, const VTermScreenCell *cells, void *user) {
    DrsTerm *term = user;
    int last = cols - 1;
    while (last >= 0 && (cells[last].chars[0] == 0 || cells[last].chars[0] == ' ')) last--;
    if (last >= 0 && cells[0].attrs.font == 1) buffer_append(&term->scrollback, "\x01", 1);
    char encoded[4];
    for (int col = 0; col <= last; col++) {
        if (cells[col].chars[0] == (uint32_t)-1) continue;  // right half of a wide character
        if (cells[col].chars[0] == 0) { buffer_append(&term->scrollback, " ", 1); continue; }
        for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && cells[col].chars[i]; i++) {
            buffer_append(&term->scrollback, encoded, drs_utf8_encode(cells[col].chars[i], encoded));
        }
    }
    buffer_append(&term->scrollback, "\n", 1);
    term->rows_pushed++;
    return 1;
}

static int on_settermprop(VTermProp prop, VTermValue *value, void *user) {
    DrsTerm *term = user;
    if (prop == VTERM_PROP_ALTSCREEN) term->alternate = value->boolean;
    if (prop == VTERM_PROP_CURSORVISIBLE) term->cursor_visible = value->boolean;
    return 1;
}

/// libvterm 0.1.4 cannot keep a one-column screen safe: a wide character's right half lands in a
/// column that does not exist, and a double-width row is zero columns wide there, which clamps
/// the cursor to column -1. So its screen is at least two columns wide; a one-column pane shows
/// the first.
static int libvterm_columns(int cols) { return cols < 2 ? 2 : cols; }

DrsTerm *drs_term_new(int rows, int cols) {
    DrsTerm *term = calloc(1, sizeof *term);
    if (!term) return NULL;
    term->vt = vterm_new(rows, libvterm_columns(cols));
    vterm_set_utf8(term->vt, 1);
    term->screen = vterm_obtain_screen(term->vt);
    term->plain_lines_enabled = 1;
    term->callbacks.sb_pushline = on_pushline;
    term->callbacks.settermprop = on_settermprop;
    term->cursor_visible = 1;
    vterm_screen_set_callbacks(term->screen, &term->callbacks, term);
    vterm_output_set_callback(term->vt, on_output, term);
    vterm_screen_reset(term->screen, 1);  // before any input, or libvterm 0.1.4 crashes
    return term;
}

void drs_term_free(DrsTerm *term) {
    if (!term) return;
    vterm_free(term->vt);
    free(term->output.bytes);
    free(term->scrollback.bytes);
    free(term->row_cells);
    free(term);
}

// MARK: Plain lines
//
// A flood of plain lines costs libvterm a scroll of the whole screen per line (a memmove of
// every row) and a row of cells per pushed line; most of those lines only pass through on
// their way to the scrollback. So a run of plain lines (printable ASCII, each ending in CR LF)
// long enough to scroll the screen over is handled as its end result: the screen's rows are
// pushed as a scroll would push them, the rows that would scroll off are written straight to
// the scrollback (cut at the width and trimmed as on_pushline does), the screen is erased, and
// only the rows that stay on screen go through libvterm. The result is the same screen, cursor
// and scrollback as feeding every byte (a differential test checks it), provided that:
// - the screen scrolls whole: the line before the shortcut was fed normally, its line feed
//   pushed exactly one row and left the cursor at column 0 of the last row (so the primary
//   screen, no top, bottom, left or right margin);
// - if a line is wider than the screen, autowrap is on: a wide line fed normally, from that
//   state, pushed one row per screen width;
// - no character set other than ASCII was ever designated (DEC line drawing maps letters) and
//   no line made double width or height (ESC # 3 to 6: libvterm keeps that per screen row);
// - the pen is in the primary font (on_pushline marks font-1 rows as stderr);
// - libvterm takes every line as text: no sequence or string is open across a line break in
//   the write (see sequence_watch.c).
// Anything else goes through libvterm unchanged.

static int is_plain_byte(unsigned char byte) { return byte >= 0x20 && byte < 0x7F; }

static int rows_of_line(size_t length, int cols) { return length == 0 ? 1 : (int)((length + cols - 1) / cols); }

static int cursor_at_bottom_left(DrsTerm *term, int rows) {
    VTermPos pos;
    vterm_state_get_cursorpos(vterm_obtain_state(term->vt), &pos);
    return pos.row == rows - 1 && pos.col == 0;
}

/// Pushes the screen's rows 0 ..< count to the scrollback, as scrolling them off would.
static void push_screen_rows(DrsTerm *term, int count, int cols) {
    if (term->row_cells_count < cols) {
        free(term->row_cells);
        term->row_cells = calloc((size_t)cols, sizeof *term->row_cells);
        term->row_cells_count = term->row_cells ? cols : 0;
        if (!term->row_cells) return;
    }
    for (int row = 0; row < count; row++) {
        for (int col = 0; col < cols; col++) {
            vterm_screen_get_cell(term->screen, (VTermPos){.row = row, .col = col}, &term->row_cells[col]);
        }
        on_pushline(cols, term->row_cells, term);
    }
}

/// Writes rows of plain text to the scrollback as on_pushline would: trailing blanks trimmed.
static void push_text_row(DrsTerm *term, const char *text, size_t length) {
    while (length > 0 && text[length - 1] == ' ') length--;
    buffer_append(&term->scrollback, text, length);
    buffer_append(&term->scrollback, "\n", 1);
    term->rows_pushed++;
}

typedef struct {
    size_t start, length;  // the line's text, without its CR LF
} PlainLine;

/// Feeds a run of plain lines (`lines[0 ..< count]`, contiguous in `bytes`, each followed by
/// CR LF): normally until the conditions above are verified, then the rest by the shortcut.
static void feed_plain_lines(DrsTerm *term, const char *bytes, const PlainLine *lines, size_t count) {
    int rows, cols;
    vterm_get_size(term->vt, &rows, &cols);
    size_t widest = 0;
    for (size_t i = 0; i < count; i++) widest = lines[i].length > widest ? lines[i].length : widest;
    int scrolls_whole = 0, wraps = widest <= (size_t)cols;
    size_t next = 0;
    // Lines fed normally while looking for proof; a screen that never scrolls whole stops it.
    while (next < count && !(scrolls_whole && wraps) && next < (size_t)rows + 4) {
        const PlainLine *line = &lines[next++];
        size_t pushed = term->rows_pushed;
        vterm_input_write(term->vt, bytes + line->start, line->length);
        size_t before_line_feed = term->rows_pushed;
        vterm_input_write(term->vt, "\r\n", 2);
        int at_bottom = term->rows_pushed - before_line_feed == 1 && cursor_at_bottom_left(term, rows);
        if (scrolls_whole && at_bottom && line->length > (size_t)cols &&
            term->rows_pushed - pushed == (size_t)rows_of_line(line->length, cols)) {
            wraps = 1;
        }
        scrolls_whole = at_bottom;
    }
    size_t remaining_rows = 0;
    for (size_t i = next; i < count; i++) remaining_rows += (size_t)rows_of_line(lines[i].length, cols);
    VTermValue font;
    vterm_state_get_penattr(vterm_obtain_state(term->vt), VTERM_ATTR_FONT, &font);
    if (!scrolls_whole || !wraps || font.number != 0 || remaining_rows < 2 * (size_t)rows + 2) {
        if (next < count) {
            size_t start = lines[next].start, end = lines[count - 1].start + lines[count - 1].length + 2;
            vterm_input_write(term->vt, bytes + start, end - start);
        }
        return;
    }
    // The screen's rows above the cursor scroll off first, then the run's rows but the last
    // `rows - 1`, which stay on screen above the cursor's (blank) row.
    push_screen_rows(term, rows - 1, cols);
    size_t skipped = remaining_rows - (size_t)(rows - 1), emitted = 0, kept_from = 0;
    for (size_t i = next; i < count && emitted < skipped; i++) {
        const char *text = bytes + lines[i].start;
        int pieces = rows_of_line(lines[i].length, cols);
        for (int piece = 0; piece < pieces; piece++, emitted++) {
            size_t offset = (size_t)piece * (size_t)cols;
            if (emitted == skipped) {
                kept_from = lines[i].start + offset;
                break;
            }
            size_t length = lines[i].length - offset < (size_t)cols ? lines[i].length - offset : (size_t)cols;
            push_text_row(term, text + offset, length);
            if (piece == pieces - 1) kept_from = lines[i].start + lines[i].length + 2;
        }
    }
    vterm_input_write(term->vt, "\x1b[H\x1b[2J", 7);
    size_t end = lines[count - 1].start + lines[count - 1].length + 2;
    vterm_input_write(term->vt, bytes + kept_from, end - kept_from);
}

/// Feeds bytes libvterm may see as they are: runs of plain lines through feed_plain_lines, the
/// rest to libvterm.
static void feed_safe(DrsTerm *term, const char *bytes, size_t length) {
    if (term->watch.altscreen_wanted && !term->altscreen_allocated) {
        vterm_screen_enable_altscreen(term->screen, 1);
        term->altscreen_allocated = 1;
    }
    if (!term->plain_lines_enabled || term->watch.unusual_text_seen || term->watch.lines_in_sequences ||
        term->alternate) {
        vterm_input_write(term->vt, bytes, length);
        return;
    }
    enum { batch = 1024 };
    PlainLine lines[batch];
    size_t count = 0, normal_from = 0, position = 0;
    while (position < length) {
        // One line: up to and including the next LF (or the end).
        size_t start = position;
        while (position < length && is_plain_byte((unsigned char)bytes[position])) position++;
        int plain = position + 1 < length && bytes[position] == '\r' && bytes[position + 1] == '\n';
        if (plain) {
            if (count == 0 && start > normal_from) vterm_input_write(term->vt, bytes + normal_from, start - normal_from);
            lines[count++] = (PlainLine){start, position - start};
            position += 2;
            normal_from = position;
            if (count < batch) continue;
        } else {
            const char *newline = memchr(bytes + position, '\n', length - position);
            position = newline ? (size_t)(newline - bytes) + 1 : length;
        }
        if (count > 0) {
            feed_plain_lines(term, bytes, lines, count);
            count = 0;
        }
    }
    if (count > 0) feed_plain_lines(term, bytes, lines, count);
    if (length > normal_from) vterm_input_write(term->vt, bytes + normal_from, length - normal_from);
}

/// Feeds complete UTF-8 after following its escape sequences; the rare sequences libvterm would
/// write past an array for, or never return from (see sequence_watch.c), are changed in a copy.
static void feed_watched(DrsTerm *term, const char *bytes, size_t length) {
    char *safe;
    size_t safe_length = drs_watch_write(&term->watch, (const unsigned char *)bytes, length, &safe);
    feed_safe(term, safe ? safe : bytes, safe_length);
    free(safe);
}

/// Feeds complete UTF-8; characters libvterm would mishandle become U+FFFD first (see
/// utf8_input.c).
static void feed(DrsTerm *term, const char *bytes, size_t length) {
    if (drs_utf8_find_unsafe((const unsigned char *)bytes, length) == length) {
        feed_watched(term, bytes, length);
        return;
    }
    char *repaired = malloc(3 * length);
    if (!repaired) return;  // out of memory: drop rather than crash
    size_t repaired_length = drs_utf8_replace_unsafe((const unsigned char *)bytes, length, repaired);
    feed_watched(term, repaired, repaired_length);
    free(repaired);
}

void drs_term_set_plain_lines(DrsTerm *term, int enabled) { term->plain_lines_enabled = enabled; }

void drs_term_write(DrsTerm *term, const char *bytes, size_t length) {
    if (term->utf8_tail_length > 0) {
        // Complete the held-back character first, then go on with the rest.
        size_t take = 0;
        while (take < length && term->utf8_tail_length + take < 4 && ((unsigned char)bytes[take] & 0xC0) == 0x80) take++;
        char joined[4];
        memcpy(joined, term->utf8_tail, term->utf8_tail_length);
        memcpy(joined + term->utf8_tail_length, bytes, take);
        size_t joined_length = term->utf8_tail_length + take;
        term->utf8_tail_length = 0;
        bytes += take;
        length -= take;
        if (length == 0 && drs_utf8_incomplete_tail((const unsigned char *)joined, joined_length) == joined_length) {
            memcpy(term->utf8_tail, joined, joined_length);
            term->utf8_tail_length = joined_length;
            return;
        }
        feed(term, joined, joined_length);
    }
    size_t tail = drs_utf8_incomplete_tail((const unsigned char *)bytes, length);
    if (length > 0) feed(term, bytes, length - tail);
    memcpy(term->utf8_tail, bytes + length - tail, tail);
    term->utf8_tail_length = tail;
}

/// Two things libvterm 0.1.4 gets wrong when the screen gets smaller, both fixed here after the
/// resize:
/// - it clamps the bottom and right margins but not the top and left ones: a top margin past
///   the new last row makes the next line feed or scroll move a negative number of rows (a
///   memmove of negative size). The margins are reset, as xterm does on every resize;
/// - when it pushes rows below the cursor off the top (to keep them on screen), the cursor
///   goes up with them, above row 0, and later text indexes rows before the screen. The cursor
///   is put back on row 0, as xterm clamps it.
/// Both are done by writing sequences to libvterm: CAN first ends any sequence the resize cut
/// (the program redraws on SIGWINCH); CUP then puts the cursor back where libvterm left it.
void drs_term_resize(DrsTerm *term, int rows, int cols) {
    int old_rows, old_cols;
    vterm_get_size(term->vt, &old_rows, &old_cols);
    cols = libvterm_columns(cols);
    vterm_set_size(term->vt, rows, cols);
    int shrunk = rows < old_rows || cols < old_cols;
    if (shrunk) term->watch.saved_cursor_maybe_outside = 1;  // see sequence_watch.c
    int margins_past_screen = term->watch.margins_maybe_set && shrunk;
    VTermPos cursor;
    vterm_state_get_cursorpos(vterm_obtain_state(term->vt), &cursor);
    if (!margins_past_screen && cursor.row >= 0) return;
    char repair[64];
    int length = snprintf(repair, sizeof repair, "\x18%s\x1b[%d;%dH", margins_past_screen ? "\x1b[r\x1b[s" : "",
                          (cursor.row < 0 ? 0 : cursor.row) + 1, cursor.col + 1);
    feed_watched(term, repair, (size_t)length);
    if (margins_past_screen) term->watch.margins_maybe_set = 0;
}

static void convert_color(const VTermScreen *screen, VTermColor color, int *kind, int *index, int *r, int *g, int *b) {
    (void)screen;
    if (VTERM_COLOR_IS_DEFAULT_FG(&color) || VTERM_COLOR_IS_DEFAULT_BG(&color)) {
        *kind = DRS_COLOR_DEFAULT;
    } else if (VTERM_COLOR_IS_INDEXED(&color)) {
        *kind = DRS_COLOR_INDEXED;
        *index = color.indexed.idx;
    } else {
        *kind = DRS_COLOR_RGB;
        *r = color.rgb.red;
        *g = color.rgb.green;
        *b = color.rgb.blue;
    }
}

int drs_term_cell(DrsTerm *term, int row, int col, DrsCell *out) {
    int rows, cols;
    vterm_get_size(term->vt, &rows, &cols);
    if (row < 0 || col < 0 || row >= rows || col >= cols) return -1;
    VTermScreenCell cell;
    VTermPos pos = {.row = row, .col = col};
    if (!vterm_screen_get_cell(term->screen, pos, &cell)) return -1;
    memset(out, 0, sizeof *out);
    for (int i = 0; i < 6 && i < VTERM_MAX_CHARS_PER_CELL; i++) out->chars[i] = cell.chars[i];
    out->width = cell.width;
    out->bold = cell.attrs.bold;
    out->underline = cell.attrs.underline;
    out->italic = cell.attrs.italic;
    out->blink = cell.attrs.blink;
    out->reverse = cell.attrs.reverse;
    out->strike = cell.attrs.strike;
    out->font = cell.attrs.font;
    convert_color(term->screen, cell.fg, &out->fg_kind, &out->fg_index, &out->fg_red, &out->fg_green, &out->fg_blue);
    convert_color(term->screen, cell.bg, &out->bg_kind, &out->bg_index, &out->bg_red, &out->bg_green, &out->bg_blue);
    return 0;
}

void drs_term_cursor(DrsTerm *term, int *row, int *col, int *visible) {
    VTermPos pos;
    vterm_state_get_cursorpos(vterm_obtain_state(term->vt), &pos);
    *row = pos.row;
    *col = pos.col;
    *visible = term->cursor_visible;
}

int drs_term_alternate_screen(DrsTerm *term) { return term->alternate; }

void drs_term_key(DrsTerm *term, int key, int modifiers) { vterm_keyboard_key(term->vt, (VTermKey)key, (VTermModifier)modifiers); }

void drs_term_char(DrsTerm *term, uint32_t codepoint, int modifiers) {
    vterm_keyboard_unichar(term->vt, codepoint, (VTermModifier)modifiers);
}

void drs_term_paste(DrsTerm *term, int starting) {
    if (starting) vterm_keyboard_start_paste(term->vt); else vterm_keyboard_end_paste(term->vt);
}


static size_t buffer_peek(const Buffer *buffer, const char **bytes) {
    *bytes = buffer->bytes ? buffer->bytes + buffer->start : "";
    return buffer->length - buffer->start;
}

size_t drs_term_peek_output(DrsTerm *term, const char **bytes) { return buffer_peek(&term->output, bytes); }

void drs_term_clear_output(DrsTerm *term) {
    buffer_consume(&term->output, term->output.length - term->output.start);
}

size_t drs_term_peek_scrollback(DrsTerm *term, const char **bytes) { return buffer_peek(&term->scrollback, bytes); }

void drs_term_clear_scrollback(DrsTerm *term) {
    buffer_consume(&term->scrollback, term->scrollback.length - term->scrollback.start);
}
