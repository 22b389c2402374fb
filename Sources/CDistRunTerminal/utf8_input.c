// UTF-8 checks the shim makes before libvterm 0.1.4 sees the bytes. Three kinds of character
// make it write where it must not:
// - a sequence cut short. libvterm's decoder keeps a started sequence across a control
//   character: after "\xE6\n" it still waits, and the next text decodes to one code point more
//   than it has bytes (U+FFFD for the cut sequence, then the character). on_text sizes its code
//   point array by the bytes it was given, so it writes past the end of a stack array. The cut
//   sequence becomes U+FFFD where it stands, which is where xterm shows it too. libvterm still
//   takes the 5- and 6-byte forms (lead bytes 0xF8 to 0xFD), so they count as sequences here;
// - a C1 control spelled in UTF-8 (U+0080 to U+009F): libvterm prints it with width -1, which
//   moves the cursor left, off the screen from column 0, and later writes go before the row.
//   It becomes U+FFFD, one column wide;
// - the combining marks libvterm's width table also lists as wide (U+302A to U+302F, U+3099
//   and U+309A, the kana voicing marks of decomposed Japanese): each adds two columns to its
//   base character, and a base with a few of them is wider than the screen, whose right halves
//   go past the row. They are dropped: the base character shows without its mark, and the
//   columns stay aligned.
#include "utf8_input.h"

#include <string.h>

size_t drs_utf8_encode(uint32_t c, char *out) {
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

size_t drs_utf8_incomplete_tail(const unsigned char *bytes, size_t length) {
    for (size_t back = 1; back <= 3 && back <= length; back++) {
        unsigned char byte = bytes[length - back];
        if ((byte & 0xC0) == 0x80) continue;  // a continuation byte: keep looking for the lead
        size_t needed = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
        return needed > back ? back : 0;
    }
    return 0;
}

/// The continuation bytes libvterm's decoder waits for after `lead`; 0 if it starts nothing.
static size_t continuations_after(unsigned char lead) {
    if (lead < 0xC0 || lead >= 0xFE) return 0;
    return lead < 0xE0 ? 1 : lead < 0xF0 ? 2 : lead < 0xF8 ? 3 : lead < 0xFC ? 4 : 5;
}

/// Whether the complete character at `at` is one of the wide combining marks.
static int is_wide_combining_mark(const unsigned char *bytes, size_t at) {
    if (bytes[at] != 0xE3) return 0;
    unsigned char second = bytes[at + 1], third = bytes[at + 2];
    return (second == 0x80 && third >= 0xAA && third <= 0xAF) || (second == 0x82 && (third == 0x99 || third == 0x9A));
}

/// The length of the character at `at` (a lead byte) if it must change, else 0; `*dropped`
/// says it goes without a replacement.
static size_t unsafe_length(const unsigned char *bytes, size_t length, size_t at, int *dropped) {
    size_t needed = continuations_after(bytes[at]), present = 0;
    while (present < needed && at + 1 + present < length && (bytes[at + 1 + present] & 0xC0) == 0x80) present++;
    *dropped = 0;
    if (present < needed) return present + 1;
    if (bytes[at] == 0xC2 && bytes[at + 1] < 0xA0) return 2;  // U+0080 to U+009F
    *dropped = is_wide_combining_mark(bytes, at);
    return *dropped ? 3 : 0;
}

size_t drs_utf8_find_unsafe(const unsigned char *bytes, size_t length) {
    size_t at = 0;
    while (at < length) {
        uint64_t word;
        if (length - at >= sizeof word) {  // ASCII eight bytes at a time: the common case
            memcpy(&word, bytes + at, sizeof word);
            if ((word & 0x8080808080808080ULL) == 0) {
                at += sizeof word;
                continue;
            }
        }
        int dropped;
        if (bytes[at] >= 0xC0 && unsafe_length(bytes, length, at, &dropped) > 0) return at;
        at++;
    }
    return length;
}

size_t drs_utf8_replace_unsafe(const unsigned char *bytes, size_t length, char *out) {
    size_t written = 0;
    for (size_t at = 0; at < length;) {
        int dropped = 0;
        size_t unsafe = bytes[at] >= 0xC0 ? unsafe_length(bytes, length, at, &dropped) : 0;
        if (unsafe > 0) {
            if (!dropped) written += drs_utf8_encode(0xFFFD, out + written);
            at += unsafe;
        } else {
            out[written++] = (char)bytes[at++];
        }
    }
    return written;
}
