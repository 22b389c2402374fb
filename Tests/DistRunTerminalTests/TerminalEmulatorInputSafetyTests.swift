// Output that made libvterm 0.1.4 write where it must not, or never return, and that any remote
// program may send; the C shim changes it before libvterm sees it (sequence_watch.c and
// utf8_input.c say why each one fails). Each test checks that the terminal survives and shows
// what a terminal should; without the shim's changes they crash, hang (REP), or find the cursor
// or the text in the wrong place. Well-formed output next to them renders as before.

import Testing

import DistRunTerminal

@Suite struct TerminalEmulatorInputSafetyTests {
    /// libvterm keeps 16 CSI arguments and wrote further ones over its parser's callbacks.
    @Test func argumentsPastTheSixteenthAreLeftOut() {
        let terminal = TerminalEmulator(rows: 2, columns: 10)
        let fifteenZeros = Array(repeating: "0", count: 15).joined(separator: ";")
        terminal.feed("\(esc)[\(fifteenZeros);1;4;7mx\(esc)[m")  // 16th: bold; 17th, 18th dropped
        #expect(attributes(of: terminal.cell(row: 0, column: 0)) == ["bold"])
        terminal.feed("\(esc)[2;3" + String(repeating: ";", count: 40) + "9Hy")  // row 2, column 3
        #expect(terminal.screenText == ["x", "  y"])
    }

    @Test(arguments: 1...4)
    func surplusArgumentsSplitAcrossFeedsAreLeftOutToo(chunkSize: Int) {
        let input = Array(("\(esc)[" + String(repeating: "1;", count: 30) + "2mx").utf8)
        let terminal = TerminalEmulator(rows: 1, columns: 4)
        for start in stride(from: 0, to: input.count, by: chunkSize) {
            terminal.feed(Array(input[start..<min(start + chunkSize, input.count)]))
        }
        #expect(terminal.rowText(0) == "x")
        #expect(attributes(of: terminal.cell(row: 0, column: 0)) == ["bold"])
    }

    /// REP repeats the last character by stepping its width: after none, or a zero-width one,
    /// libvterm looped for ever; after a wide one at the last column it wrote past the row.
    @Test(arguments: ["", "\(esc)[2;3H\u{301}", "日\(esc)[5G"])
    func repeatIsCancelledUnlessAOneColumnCharacterPrecedesIt(before: String) {
        let terminal = TerminalEmulator(rows: 2, columns: 5)
        terminal.feed(before + "\(esc)[3b")
        terminal.feed("\r\nok")
        #expect(terminal.rowText(1) == "ok")
        #expect(terminal.cell(row: 1, column: 2) == .blank)
    }

    /// ncurses sends REP right after the character, only for characters below 256.
    @Test func repeatAfterAnASCIIOrLatinCharacterStillRepeats() {
        let terminal = TerminalEmulator(rows: 2, columns: 10)
        terminal.feed("ab\(esc)[3b\r\n\(esc)[1mé\(esc)[2b")
        #expect(terminal.screenText == ["abbbb", "ééé"])
        #expect(attributes(of: terminal.cell(row: 1, column: 2)) == ["bold"])
    }

    /// libvterm's decoder kept a sequence cut by a control character and then decoded one
    /// character more than it had bytes for, past the end of a stack array.
    @Test func aUTF8SequenceCutByAControlBecomesAReplacementWhereItStands() {
        let terminal = TerminalEmulator(rows: 2, columns: 10)
        terminal.feed([0xE6] + Array("\r\n".utf8) + [0xE6, 0x97] + Array("\(esc)[1mA".utf8))
        #expect(terminal.screenText == ["\u{FFFD}", "\u{FFFD}A"])
        #expect(attributes(of: terminal.cell(row: 1, column: 1)) == ["bold"])
    }

    /// U+0080 to U+009F had width -1: the cursor went left, off the screen from column 0.
    @Test func aC1ControlSpelledInUTF8IsAReplacementOneColumnWide() {
        let terminal = TerminalEmulator(rows: 1, columns: 10)
        terminal.feed("\u{85}\u{9B}x")
        #expect(terminal.rowText(0) == "\u{FFFD}\u{FFFD}x")
        #expect(terminal.cursorPosition == [0, 3])
    }

    /// In one column a wide character's right half went into a column that does not exist, and
    /// a double-width row was zero columns wide, which put the cursor in column -1. libvterm's
    /// screen is two columns wide instead; the pane shows the first.
    @Test func aOneColumnScreenTakesWideCharactersAndDoubleWidthRows() {
        let terminal = TerminalEmulator(rows: 3, columns: 1)
        terminal.feed("日x\r\n\(esc)#6*")
        #expect(terminal.columns == 1)
        #expect(terminal.screenText == ["日", "x", "*"])
        terminal.feed("\(esc)[X")  // erases at the cursor: the '*', not a cell before the row
        #expect(terminal.screenText == ["日", "x", ""])
        #expect(terminal.cursor.column >= 0)
    }

    /// libvterm lists these combining marks as wide too: each added two columns to its base,
    /// past the row. They are left out; the base keeps its own width.
    @Test func combiningMarksLibvtermCallsWideAreLeftOut() {
        let terminal = TerminalEmulator(rows: 2, columns: 3)
        terminal.feed("'\u{302E}\u{302E}\r\nか\u{3099}")
        #expect(terminal.screenText == ["'", "か"])
        #expect(terminal.cursorPosition == [1, 2])
    }

    /// A control between a string's ESC and '\', or a '\' first in the write after its ESC,
    /// made libvterm measure the string's end as -1 bytes and copy from past the write (seen
    /// under ASan: Fuzz/corpus/terminal). The control is left out; such a '\' drops the string.
    @Test func stringTerminatorsLibvtermWouldMismeasureAreMadeSafe() {
        let terminal = TerminalEmulator(rows: 2, columns: 6)
        terminal.feed("\(esc)]0;title\(esc)\n\\x")  // the line feed is left out
        #expect(terminal.screenText == ["x", ""])
        terminal.feed("\(esc)]0;title\(esc)")
        terminal.feed("\\y")
        #expect(terminal.screenText == ["xy", ""])
    }
}
