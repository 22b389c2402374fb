// Shrinking a screen that libvterm 0.1.4 cannot shrink safely on its own, after output any
// remote program may send: a top margin left past the new last row (the next scroll moves a
// negative number of rows and crashes), a cursor pushed above row 0 with the rows below it, and
// a cursor saved (ESC 7) below the new last row and restored (ESC 8): later text indexes rows
// outside the screen. The C shim resets the margins, as xterm does on a resize, and keeps the
// cursor on the screen; growing keeps the program's margins. Without the shim's repair these
// tests crash the test process or find the cursor off the screen.

import Testing

import DistRunTerminal

@Suite struct TerminalEmulatorResizeSafetyTests {
    /// A line feed at the bottom, scroll up, scroll down, and origin mode each scroll the region.
    @Test(arguments: ["\r\n\r\n\r\n", "\(esc)[S", "\(esc)[T", "\(esc)[?6h\r\n\r\n\r\n"])
    func aTopMarginBelowTheShrunkScreenIsReset(scroll: String) {
        let terminal = TerminalEmulator(rows: 10, columns: 10)
        terminal.feed("\(esc)[5;9r")  // rows 5 to 9 scroll; the cursor goes home
        terminal.resize(rows: 3, columns: 5)
        terminal.feed(scroll + "ok")
        #expect(terminal.screenText.contains("ok"))
        #expect(terminal.cursor.row >= 0 && terminal.cursor.row < 3)
    }

    @Test func afterTheResetTheWholeShrunkScreenScrolls() {
        let terminal = TerminalEmulator(rows: 10, columns: 10)
        terminal.feed("\(esc)[5;9r")
        terminal.resize(rows: 3, columns: 5)
        terminal.feed("a\r\nb\r\nc\r\nd")
        #expect(terminal.screenText == ["b", "c", "d"])
        #expect(text(terminal.takeScrollbackLines()) == "a\n")
        #expect(terminal.cursorPosition == [2, 1])
    }

    @Test func leftAndRightMarginsPastTheShrunkScreenAreResetToo() {
        let terminal = TerminalEmulator(rows: 4, columns: 10)
        terminal.feed("\(esc)[?69h\(esc)[5;9s")  // columns 5 to 9, with DECLRMM on
        terminal.resize(rows: 4, columns: 3)
        terminal.feed("\(esc)[Habcdef")
        #expect(terminal.screenText == ["abc", "def", "", ""])
    }

    /// The reset keeps the cursor where libvterm put it on the smaller screen.
    @Test func theCursorStaysWhereItWasWhenMarginsAreReset() {
        let terminal = TerminalEmulator(rows: 10, columns: 10)
        terminal.feed("\(esc)[2;8r\(esc)[3;4H")
        terminal.resize(rows: 5, columns: 8)
        #expect(terminal.cursorPosition == [2, 3])
        terminal.feed("x")
        #expect(terminal.cell(row: 2, column: 3).text == "x")
    }

    /// Only shrinking resets: on a taller screen the program's region still scrolls alone.
    @Test func growingKeepsTheProgramsMargins() {
        let terminal = TerminalEmulator(rows: 5, columns: 10)
        terminal.feed("\(esc)[1;3r")
        terminal.resize(rows: 8, columns: 10)
        terminal.feed("\(esc)[5;1Hfixed\(esc)[1;1Ha\r\nb\r\nc\r\nd")
        #expect(terminal.screenText == ["b", "c", "d", "", "fixed", "", "", ""])
    }

    /// Rows below the cursor are pushed off the top to stay on screen; the cursor went up with
    /// them, above the screen.
    @Test func aCursorAboveTheShrunkScreenIsPutOnRowZero() {
        let terminal = TerminalEmulator(rows: 5, columns: 5)
        terminal.feed("\(esc)[5;1Hx\(esc)[H")
        terminal.resize(rows: 2, columns: 5)
        #expect(terminal.cursorPosition == [0, 0])
        terminal.feed("ab\(esc)#6")  // a double-width row: libvterm writes the cursor row's line info
        #expect(terminal.screenText == ["ab", "x"])
        #expect(text(terminal.takeScrollbackLines()) == "\n\n\n")
    }

    /// DECRC put the cursor back below the last row; it is clamped, as xterm does.
    @Test func aCursorRestoredBelowTheShrunkScreenIsClampedToIt() {
        let terminal = TerminalEmulator(rows: 10, columns: 10)
        terminal.feed("\(esc)[9;1H\(esc)7")
        terminal.resize(rows: 3, columns: 10)
        terminal.feed("\(esc)8")
        #expect(terminal.cursorPosition == [2, 0])
        terminal.feed("x\(esc)[2;5H\(esc)7\(esc)[H\(esc)8y")  // saved again: restored as it is
        #expect(terminal.screenText == ["", "    y", "x"])
    }
}
