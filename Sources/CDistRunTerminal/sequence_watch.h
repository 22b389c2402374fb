// Follows escape sequences through the bytes fed to libvterm 0.1.4, for the shim to act on them
// before libvterm does (see sequence_watch.c). Private to the shim.
#ifndef DISTRUN_SEQUENCE_WATCH_H
#define DISTRUN_SEQUENCE_WATCH_H

#include <stddef.h>

typedef struct {
    int state;               // where libvterm's parser is: ground, escape, string, CSI arguments…
    int csi_separators;      // ';' and ':' in the CSI so far, each a new argument for libvterm
    int csi_plain;           // the CSI has no leader and no intermediate byte so far
    int last_glyph_narrow;   // the text before the escape ended in a character one column wide
    int altscreen_wanted;    // a private mode was set or reset (ESC [ ? …)
    int unusual_text_seen;   // a character set other than ASCII was designated, or a line size
    int margins_maybe_set;   // a CSI ending in 'r' or 's' (DECSTBM, DECSLRM) passed
    int lines_in_sequences;  // this write has line breaks libvterm may not take as text
    int saved_cursor_maybe_outside;  // the screen shrank since the cursor was last saved (ESC 7)
} DrsSequenceWatch;

/// Follows one write of `length` bytes to libvterm and returns how many bytes to feed: of
/// `bytes` if `*safe` is NULL, else of `*safe`, a changed copy (up to 4 * `length` + 6 bytes) the
/// caller frees (none at all if out of memory).
size_t drs_watch_write(DrsSequenceWatch *watch, const unsigned char *bytes, size_t length, char **safe);

#endif
