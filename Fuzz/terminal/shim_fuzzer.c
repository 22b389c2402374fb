// libFuzzer entry point for the terminal shim (Sources/CDistRunTerminal) over libvterm 0.1.4:
// a remote program's output, cut into writes, with resizes between them. Input: byte 0 picks
// the rows (1 + b % 12), byte 1 the columns (1 + b % 16); then the output, where 0xFF r c
// resizes the same way and 0xFE ends a write (neither byte occurs in UTF-8). Checked: no crash
// or hang, the shim's memory (ASan, UBSan), the cursor on the screen after every step; and, when
// built against libvterm's source (Fuzz/run.sh terminal with LIBVTERM_SRC set), libvterm's own
// memory and its parser state against the shim's copy of it (sequence_watch.c).
#include "../../Sources/CDistRunTerminal/distrun_terminal.c"
#include "../../Sources/CDistRunTerminal/sequence_watch.c"
#include "../../Sources/CDistRunTerminal/utf8_input.c"

#include <stdio.h>

#ifdef DRS_FUZZ_LIBVTERM_INTERNALS
#include "vterm_internal.h"

/// Whether the watch is where libvterm's parser is.
static int watch_matches_parser(const DrsSequenceWatch *watch, const VTerm *vt) {
    int parser = vt->parser.state, intermediates = vt->parser.intermedlen > 0;
    switch (watch->state) {
    case ground: return parser == NORMAL;
    case escape: return parser == ESC;
    case escape_intermediate: case designation: return parser == ESC && intermediates;
    case string: return parser == STRING;
    case escape_in_string: return parser == ESC_IN_STRING;
    case csi_leader: return parser == CSI_LEADER;
    case csi_arguments: case csi_dropping: return parser == CSI_ARGS;
    default: return parser == CSI_INTERMED;
    }
}
#endif

static void check(DrsTerm *term) {
    int rows, cols, row, col, visible;
    vterm_get_size(term->vt, &rows, &cols);
    drs_term_cursor(term, &row, &col, &visible);
    if (row < 0 || col < 0 || row >= rows || col >= cols) {
        fprintf(stderr, "cursor off the screen: %d,%d on %dx%d\n", row, col, rows, cols);
        abort();
    }
#ifdef DRS_FUZZ_LIBVTERM_INTERNALS
    if (!watch_matches_parser(&term->watch, term->vt)) {
        fprintf(stderr, "watch state %d, libvterm's parser %d\n", term->watch.state, term->vt->parser.state);
        abort();
    }
#endif
}

static int rows_from(unsigned char byte) { return 1 + byte % 12; }
static int columns_from(unsigned char byte) { return 1 + byte % 16; }

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
    if (size < 2) return 0;
    DrsTerm *term = drs_term_new(rows_from(data[0]), columns_from(data[1]));
    size_t from = 2;
    for (size_t at = 2; at <= size; at++) {
        int resize = at + 2 < size && data[at] == 0xFF;
        if (at < size && !resize && data[at] != 0xFE) continue;
        drs_term_write(term, (const char *)data + from, at - from);
        check(term);
        if (resize) {
            drs_term_resize(term, rows_from(data[at + 1]), columns_from(data[at + 2]));
            check(term);
            at += 2;
        }
        from = at + 1;
    }
    drs_term_free(term);
    return 0;
}
