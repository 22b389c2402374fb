// Whole-screen state in TerminalEmulator: the alternate screen that full-screen programs switch
// to (xterm mode 1049: save cursor, switch, clear; and back), cursor visibility (DECTCEM, mode
// 25), and resizing. libvterm 0.1.4 does not reflow on resize: narrowing cuts rows, and rows
// pushed off the top by a shorter screen go to scrollback.

import Testing

import DistRunTerminal

@Suite struct TerminalEmulatorScreenTests {
    @Test func alternateScreenStartsBlankAndLeavingItRestoresTheMainScreen() {
        let terminal = TerminalEmulator(rows: 3, columns: 10)
        terminal.feed("main\r\n$ ")
        #expect(!terminal.isAlternateScreen)

        terminal.feed("\(esc)[?1049h")
        #expect(terminal.isAlternateScreen)
        #expect(terminal.screenText == ["", "", ""])
        terminal.feed("\(esc)[3;1Hfull screen")

        terminal.feed("\(esc)[?1049l")
        #expect(!terminal.isAlternateScreen)
        #expect(terminal.screenText == ["main", "$", ""])
        #expect(terminal.cursorPosition == [1, 2])
    }

    @Test func scrollingOnTheAlternateScreenFeedsNoScrollback() {
        let terminal = TerminalEmulator(rows: 2, columns: 10)
        terminal.feed("\(esc)[?1049ha\r\nb\r\nc\r\nd")
        #expect(terminal.screenText == ["c", "d"])
        #expect(terminal.takeScrollbackLines() == [])
    }

    /// libvterm 0.1.4 knows modes 1047 and 1049 but ignores 47, and a full reset (RIS, `ESC c`)
    /// clears the alternate screen without leaving it (xterm would return to the main screen).
    @Test func alternateScreenModesAsLibvtermImplementsThem() {
        let terminal = TerminalEmulator(rows: 2, columns: 10)
        terminal.feed("main\(esc)[?47h")
        #expect(!terminal.isAlternateScreen)
        terminal.feed("\(esc)[?1047h")
        #expect(terminal.isAlternateScreen)
        terminal.feed("alt\(esc)c")
        #expect(terminal.isAlternateScreen)
        #expect(terminal.screenText == ["", ""])
        terminal.feed("\(esc)[?1047l")
        #expect(!terminal.isAlternateScreen)
        #expect(terminal.rowText(0) == "main")
    }

    @Test func cursorVisibilityFollowsDECTCEM() {
        let terminal = TerminalEmulator(rows: 2, columns: 10)
        #expect(terminal.cursor.visible)
        terminal.feed("\(esc)[?25l")
        #expect(!terminal.cursor.visible)
        terminal.feed("\(esc)[?25h")
        #expect(terminal.cursor.visible)
    }

    @Test func growingKeepsTheCellsAndTheCursor() {
        let terminal = TerminalEmulator(rows: 2, columns: 4)
        terminal.feed("ab\r\n\(esc)[31mcd")
        terminal.resize(rows: 4, columns: 8)
        #expect((terminal.rows, terminal.columns) == (4, 8))
        #expect(terminal.screenText == ["ab", "cd", "", ""])
        #expect(terminal.cell(row: 1, column: 1).foreground == .indexed(1))
        #expect(terminal.cursorPosition == [1, 2])
        terminal.feed("\(esc)[4;8HZ")  // the new area is addressable
        #expect(terminal.cell(row: 3, column: 7).text == "Z")
    }

    @Test func shrinkingWithTheCursorAtTheBottomPushesTopRowsToScrollback() {
        let terminal = TerminalEmulator(rows: 3, columns: 10)
        terminal.feed("one\r\ntwo\r\nthree")
        terminal.resize(rows: 2, columns: 10)
        #expect(terminal.screenText == ["two", "three"])
        #expect(terminal.cursorPosition == [1, 5])
        #expect(text(terminal.takeScrollbackLines()) == "one\n")
    }

    @Test func narrowingCutsRowsBecauseLibvtermDoesNotReflow() {
        let terminal = TerminalEmulator(rows: 2, columns: 10)
        terminal.feed("abcdefgh")
        terminal.resize(rows: 2, columns: 3)
        #expect(terminal.columns == 3)
        #expect(terminal.screenText == ["abc", ""])
        #expect(terminal.cursorPosition == [0, 2])
    }

    @Test func resizingOnTheAlternateScreenKeepsBothScreensUsable() {
        let terminal = TerminalEmulator(rows: 2, columns: 6)
        terminal.feed("main\(esc)[?1049h\(esc)[Halt")
        terminal.resize(rows: 3, columns: 8)
        #expect(terminal.rowText(0) == "alt")
        terminal.feed("\(esc)[?1049l")
        #expect(terminal.screenText == ["main", "", ""])
    }

    /// While the alternate screen is active, libvterm 0.1.4 cuts the hidden main screen from the
    /// bottom when the screen gets shorter: the shell's last rows are gone after `vi` exits.
    @Test func shrinkingOnTheAlternateScreenCutsTheMainScreenFromTheBottom() {
        let terminal = TerminalEmulator(rows: 3, columns: 10)
        terminal.feed("1\r\n2\r\n$ \(esc)[?1049h")
        terminal.resize(rows: 2, columns: 10)
        terminal.feed("\(esc)[?1049l")
        #expect(terminal.screenText == ["1", "2"])
        #expect(terminal.takeScrollbackLines() == [])
    }

    @Test func sizesBelowOneAreClampedToOne() {
        let terminal = TerminalEmulator(rows: 0, columns: -3)
        #expect((terminal.rows, terminal.columns) == (1, 1))
        terminal.feed("x")
        #expect(terminal.rowText(0) == "x")
        terminal.resize(rows: 0, columns: 0)
        #expect((terminal.rows, terminal.columns) == (1, 1))
    }
}
