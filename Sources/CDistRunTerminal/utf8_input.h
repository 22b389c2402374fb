// UTF-8 as the shim hands it to libvterm 0.1.4 (see utf8_input.c). Private to the shim.
#ifndef DISTRUN_UTF8_INPUT_H
#define DISTRUN_UTF8_INPUT_H

#include <stddef.h>
#include <stdint.h>

/// Encodes one code point; returns its length (1 to 4 bytes written to `out`).
size_t drs_utf8_encode(uint32_t codepoint, char *out);
/// How many bytes at the end of `bytes` start a UTF-8 character that is not complete yet.
size_t drs_utf8_incomplete_tail(const unsigned char *bytes, size_t length);
/// Where the first character libvterm must not see starts (a sequence cut short by a byte that
/// is not a continuation or by the end of `bytes`, a C1 control, a wide combining mark), or
/// `length` if none.
size_t drs_utf8_find_unsafe(const unsigned char *bytes, size_t length);
/// Copies `bytes` to `out` (room for 3 * `length` bytes) with each of those characters replaced
/// by U+FFFD, or left out (the marks); returns the length written.
size_t drs_utf8_replace_unsafe(const unsigned char *bytes, size_t length, char *out);

#endif
