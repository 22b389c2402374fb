// A copy of libvterm 0.1.4's parser states (parser.c), byte for byte, so the shim knows what
// libvterm is about to do with the bytes it is fed. What it watches for:
// - a private mode (ESC [ ? …): it may switch to the alternate screen, allocated only then;
// - a character set other than ASCII or a line size (ESC ( 0, ESC % G, ESC # 6 …): the
//   plain-lines shortcut is off from then on;
// - margins (CSI … r, CSI … s): a resize may leave them past the screen (see drs_term_resize);
// - line breaks inside a sequence or a string: the plain-lines shortcut, which takes what
//   follows a line feed as text, is off for that write.
// And what it changes, because libvterm 0.1.4 would write where it must not or never return:
// - a CSI's 17th argument: libvterm keeps 16 and writes the next ones past its array, over the
//   parser's callback pointers. The surplus arguments are left out, from their separator to
//   the final byte, so the sequence acts on its first 16 (xterm too ignores the surplus);
// - REP (CSI n b) repeats the last character printed, stepping by its width: after a
//   zero-width character, or none yet, it loops for ever; after a wide one at the last column
//   it writes past the row. ncurses sends REP only outside UTF-8 locales, right after the
//   character, for characters below 256; so REP is kept only when the text just before its
//   escape ended in a one-column character below U+0300, and otherwise CAN replaces its final
//   byte, which cancels it. Text ending in a line break (as plain lines do, which the shortcut
//   may skip) never counts as that character;
// - DECRC (ESC 8) after the screen shrank: libvterm puts the cursor back where DECSC (ESC 7)
//   saved it, which may now be below the last row, and the next character reads and writes row
//   data past the screen. Until the next ESC 7, it becomes CSI ? 1048 l, which in libvterm 0.1.4
//   restores the same things and then clamps the cursor to the screen, as every CSI does;
// - a string's terminator (ESC \) with a control between ESC and '\', or with '\' first in a
//   later write than its ESC: libvterm measures the string's last piece as -1 bytes long and
//   copies from past the end of the write. The control is left out; CAN replaces such a '\',
//   which drops the string (libvterm 0.1.4 never delivers a string cut across writes whole).
// As in libvterm, C0 controls inside a sequence run without ending it, NUL and DEL are skipped,
// CAN and SUB cancel, and a string (OSC, DCS) ends with BEL or ESC \. The flags only ever
// over-approximate: the watch must never miss what libvterm sees.

#include "sequence_watch.h"

#include <stdlib.h>
#include <string.h>

enum {
    ground, escape, escape_intermediate, designation, string, escape_in_string,
    csi_leader, csi_arguments, csi_intermediate, csi_dropping,
};
enum { csi_arguments_max = 16 };  // libvterm 0.1.4's CSI_ARGS_MAX
enum { cancel = 0x18, drop = -1, restore_clamped = -2 };

static int in_range(unsigned char byte, unsigned char low, unsigned char high) { return byte >= low && byte <= high; }

/// Whether text ending at `end` (exclusive, past `start`) ends in a character REP may repeat:
/// printable ASCII, or U+00A0 to U+02FF (one column wide, and not combining, in libvterm).
static int ends_in_narrow_glyph(const unsigned char *start, const unsigned char *end) {
    unsigned char last = end[-1];
    if (in_range(last, 0x20, 0x7E)) return 1;
    if (end - start < 2 || !in_range(last, 0x80, 0xBF)) return 0;
    unsigned char lead = end[-2];
    return in_range(lead, 0xC3, 0xCB) || (lead == 0xC2 && last >= 0xA0);
}

/// Passes the bytes from `at` that cannot change the state (text, a string's contents);
/// returns where the next byte that may starts.
static size_t pass_run(DrsSequenceWatch *watch, const unsigned char *bytes, size_t length, size_t at) {
    if (watch->state == ground) {
        const unsigned char *escape_at = memchr(bytes + at, 0x1B, length - at);
        size_t end = escape_at ? (size_t)(escape_at - bytes) : length;
        if (end > at) watch->last_glyph_narrow = ends_in_narrow_glyph(bytes + at, bytes + end);
        return end;
    }
    if (watch->state == string) {
        while (at < length && bytes[at] != 0x07 && bytes[at] != 0x1B && bytes[at] != 0x18 && bytes[at] != 0x1A) at++;
    }
    return at;
}

/// A byte after ESC and any intermediates. As in libvterm, '[', ']' and 'P' start a CSI, an OSC
/// or a DCS even after intermediates, and a byte past ASCII leaves it waiting in the escape.
static void watch_escape(DrsSequenceWatch *watch, unsigned char byte) {
    if (watch->state == designation && byte != 'B') watch->unusual_text_seen = 1;
    if (byte == '[') {
        watch->state = csi_leader;
        watch->csi_separators = 0;
        watch->csi_plain = 1;
    } else if (byte == ']' || byte == 'P') {
        watch->state = string;
        watch->lines_in_sequences = 1;
    } else if (in_range(byte, 0x20, 0x2F)) {
        if (byte == '%' || byte == '#') watch->unusual_text_seen = 1;  // another coding, a line size
        if (watch->state == escape) watch->state = strchr("()*+-./", byte) ? designation : escape_intermediate;
    } else if (byte < 0x80) {
        watch->state = ground;  // a final byte
    }
}

/// A byte after a CSI's arguments: an intermediate, the final byte, or one that makes the
/// sequence invalid. Returns what libvterm gets instead of it.
static int watch_csi_end(DrsSequenceWatch *watch, unsigned char byte) {
    if (in_range(byte, 0x20, 0x2F)) {
        watch->state = csi_intermediate;
        watch->csi_plain = 0;
        return byte;
    }
    watch->state = ground;
    if (!in_range(byte, 0x40, 0x7E)) return byte;
    if (byte == 'r' || byte == 's') watch->margins_maybe_set = 1;
    if (byte == 'b' && watch->csi_plain && !watch->last_glyph_narrow) return cancel;
    return byte;
}

static int watch_csi(DrsSequenceWatch *watch, unsigned char byte) {
    int is_argument = in_range(byte, '0', '9') || byte == ';' || byte == ':';
    switch (watch->state) {
    case csi_leader:
        if (in_range(byte, 0x3C, 0x3F)) {
            if (byte == '?') watch->altscreen_wanted = 1;
            watch->csi_plain = 0;
            return byte;
        }
        watch->state = csi_arguments;
        // fall through
    case csi_arguments:
        if ((byte == ';' || byte == ':') && ++watch->csi_separators >= csi_arguments_max) {
            watch->state = csi_dropping;
            return drop;
        }
        return is_argument ? byte : watch_csi_end(watch, byte);
    case csi_dropping:
        return is_argument ? drop : watch_csi_end(watch, byte);
    default:  // csi_intermediate
        if (in_range(byte, 0x20, 0x2F) || in_range(byte, 0x40, 0x7E)) return watch_csi_end(watch, byte);
        watch->state = ground;
        return byte;
    }
}

/// Follows one byte (not one pass_run passes), the first libvterm gets in this write if
/// `starts_write`; returns what libvterm gets instead: the byte, `cancel`, `drop` or
/// `restore_clamped`.
static int watch_byte(DrsSequenceWatch *watch, unsigned char byte, int starts_write) {
    int is_control = byte < 0x20 || byte == 0x7F;
    if (watch->state == escape_in_string) {
        if (is_control && byte != 0x1B && byte != 0x18 && byte != 0x1A) return drop;
        if (byte == '\\' && starts_write) {
            watch->state = ground;
            return cancel;
        }
    }
    if (byte == 0x1B) {
        watch->state = watch->state == string ? escape_in_string : escape;
        return byte;
    }
    if (byte == 0x18 || byte == 0x1A || (byte == 0x07 && watch->state == string)) {
        watch->state = ground;
        return byte;
    }
    if (is_control || watch->state == ground || watch->state == string) {
        if (watch->state != ground) watch->lines_in_sequences = 1;
        return byte;
    }
    if (watch->state == escape_in_string) watch->state = byte == '\\' ? ground : escape;
    if (watch->state == escape && (byte == '7' || byte == '8')) {
        watch->state = ground;
        if (byte == '7') watch->saved_cursor_maybe_outside = 0;
        return byte == '8' && watch->saved_cursor_maybe_outside ? restore_clamped : byte;
    }
    if (watch->state == escape || watch->state == escape_intermediate || watch->state == designation) {
        watch_escape(watch, byte);
        return byte;
    }
    return watch->state == ground ? byte : watch_csi(watch, byte);
}

/// Copies what libvterm may see of `bytes[from ..< length]` to `out`; returns the length copied.
static size_t copy_safe(DrsSequenceWatch *watch, const unsigned char *bytes, size_t from, size_t length, char *out) {
    size_t copied = 0;
    for (size_t at = from; at < length; at++) {
        size_t run_end = pass_run(watch, bytes, length, at);
        memcpy(out + copied, bytes + at, run_end - at);
        copied += run_end - at;
        if (run_end == length) break;
        at = run_end;
        int safe = watch_byte(watch, bytes[at], from + copied == 0);  // bytes before `from` are fed as they are
        if (safe == restore_clamped) {
            memcpy(out + copied, "[?1048l", 7);  // after the ESC already copied
            copied += 7;
        } else if (safe != drop) {
            out[copied++] = (char)safe;
        }
    }
    return copied;
}

size_t drs_watch_write(DrsSequenceWatch *watch, const unsigned char *bytes, size_t length, char **safe) {
    DrsSequenceWatch at_start = *watch;
    *safe = NULL;
    watch->lines_in_sequences = watch->state != ground;
    for (size_t at = pass_run(watch, bytes, length, 0); at < length; at = pass_run(watch, bytes, length, at + 1)) {
        DrsSequenceWatch before = *watch;
        if (watch_byte(watch, bytes[at], at == 0) == bytes[at]) continue;
        *watch = before;
        // Each '8' of ESC 8 grows by 6 bytes: one at the start (its ESC in the last write), then
        // one in two bytes at most.
        if (!(*safe = malloc(4 * length + 6))) {
            *watch = at_start;  // libvterm sees none of it
            return 0;
        }
        memcpy(*safe, bytes, at);
        return at + copy_safe(watch, bytes, at, length, *safe + at);
    }
    return length;
}
