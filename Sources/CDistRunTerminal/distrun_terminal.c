#include "distrun_terminal.h"

#include <stdlib.h>
#include <string.h>
#include <vterm.h>

typedef struct {
    char *bytes;
    size_t length, capacity;
} Buffer;

struct DrsTerm {
    VTerm *vt;
    VTermScreen *screen;
    VTermScreenCallbacks callbacks;  // libvterm keeps a pointer to it: it must live here
    Buffer output, scrollback;
    int alternate, cursor_visible;
    // libvterm 0.1.4 loses a UTF-8 character cut at the end of a write when text precedes it:
    // the incomplete tail waits here for the next write.
    char utf8_tail[4];
    size_t utf8_tail_length;
};

static void buffer_append(Buffer *buffer, const char *bytes, size_t length) {
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

static size_t buffer_take(Buffer *buffer, char *out, size_t capacity) {
    size_t count = buffer->length < capacity ? buffer->length : capacity;
    memcpy(out, buffer->bytes, count);
    memmove(buffer->bytes, buffer->bytes + count, buffer->length - count);
    buffer->length -= count;
    return count;
}

static size_t utf8_encode(uint32_t c, char *out) {
    if (c < 0x80) { out[0] = (char)c; return 1; }
    if (c < 0x800) { out[0] = (char)(0xC0 | c >> 6); out[1] = (char)(0x80 | (c & 0x3F)); return 2; }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | c >> 12); out[1] = (char)(0x80 | ((c >> 6) & 0x3F)); out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | c >> 18); out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F)); out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
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
            buffer_append(&term->scrollback, encoded, utf8_encode(cells[col].chars[i], encoded));
        }
    }
    buffer_append(&term->scrollback, "\n", 1);
    return 1;
}

static int on_settermprop(VTermProp prop, VTermValue *value, void *user) {
    DrsTerm *term = user;
    if (prop == VTERM_PROP_ALTSCREEN) term->alternate = value->boolean;
    if (prop == VTERM_PROP_CURSORVISIBLE) term->cursor_visible = value->boolean;
    return 1;
}

DrsTerm *drs_term_new(int rows, int cols) {
    DrsTerm *term = calloc(1, sizeof *term);
    if (!term) return NULL;
    term->vt = vterm_new(rows, cols);
    vterm_set_utf8(term->vt, 1);
    term->screen = vterm_obtain_screen(term->vt);
    term->callbacks.sb_pushline = on_pushline;
    term->callbacks.settermprop = on_settermprop;
    term->cursor_visible = 1;
    vterm_screen_set_callbacks(term->screen, &term->callbacks, term);
    vterm_output_set_callback(term->vt, on_output, term);
    vterm_screen_enable_altscreen(term->screen, 1);
    vterm_screen_reset(term->screen, 1);  // before any input, or libvterm 0.1.4 crashes
    return term;
}

void drs_term_free(DrsTerm *term) {
    if (!term) return;
    vterm_free(term->vt);
    free(term->output.bytes);
    free(term->scrollback.bytes);
    free(term);
}

/// How many bytes at the end of `bytes` start a UTF-8 character that is not complete yet.
static size_t incomplete_utf8_tail(const unsigned char *bytes, size_t length) {
    for (size_t back = 1; back <= 3 && back <= length; back++) {
        unsigned char byte = bytes[length - back];
        if ((byte & 0xC0) == 0x80) continue;  // a continuation byte: keep looking for the lead
        size_t needed = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
        return needed > back ? back : 0;
    }
    return 0;
}

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
        if (length == 0 && incomplete_utf8_tail((const unsigned char *)joined, joined_length) == joined_length) {
            memcpy(term->utf8_tail, joined, joined_length);
            term->utf8_tail_length = joined_length;
            return;
        }
        vterm_input_write(term->vt, joined, joined_length);
    }
    size_t tail = incomplete_utf8_tail((const unsigned char *)bytes, length);
    if (length > 0) vterm_input_write(term->vt, bytes, length - tail);
    memcpy(term->utf8_tail, bytes + length - tail, tail);
    term->utf8_tail_length = tail;
}

void drs_term_resize(DrsTerm *term, int rows, int cols) { vterm_set_size(term->vt, rows, cols); }

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

size_t drs_term_take_output(DrsTerm *term, char *buffer, size_t capacity) {
    return buffer_take(&term->output, buffer, capacity);
}

size_t drs_term_take_scrollback(DrsTerm *term, char *buffer, size_t capacity) {
    return buffer_take(&term->scrollback, buffer, capacity);
}
