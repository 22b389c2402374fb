// Text placement in TerminalEmulator: printing, CR/LF, cursor addressing, erasing, scroll
// regions, wide and combining characters, DEC line drawing, and input split across feeds (the
// one-feed screen is the oracle; one libvterm UTF-8 split bug is a known issue). Escape sequences
// follow ECMA-48 / xterm as libvterm 0.1.4 implements them; the API is 0-based, the wire 1-based.

import Testing

import DistRunTerminal

@Suite struct TerminalEmulatorTextTests {
    @Test func crLFStartsTheNextLineAndTheCursorFollowsTheText() {
        let terminal = TerminalEmulator(rows: 4, columns: 20)
        terminal.feed("hello\r\nworld")
        #expect(terminal.screenText == ["hello", "world", "", ""])
        #expect(terminal.cursorPosition == [1, 5])
    }

    /// A PTY's `onlcr` turns "\n" into "\r\n". Output that did not come through one (a pipe, a log)
    /// has bare "\n", which only moves down: the caller must convert it to "\r\n" before feeding.
    @Test func bareLineFeedWithoutCarriageReturnMakesAStaircase() {
        let terminal = TerminalEmulator(rows: 3, columns: 10)
        terminal.feed("ab\ncd\nef")
        #expect(terminal.screenText == ["ab", "  cd", "    ef"])
        #expect(terminal.cursorPosition == [2, 6])
    }

    @Test func textLongerThanARowWrapsOntoTheNext() {
        let terminal = TerminalEmulator(rows: 3, columns: 5)
        terminal.feed("abcdefg")
        #expect(terminal.screenText == ["abcde", "fg", ""])
        #expect(terminal.cursorPosition == [1, 2])
    }

    @Test func cursorPositionIsOneBasedOnTheWireAndZeroBasedInTheAPI() {
        let terminal = TerminalEmulator(rows: 6, columns: 12)
        terminal.feed("\(esc)[5;10HX")
        #expect(terminal.cell(row: 4, column: 9).text == "X")
        #expect(terminal.cursorPosition == [4, 10])
        terminal.feed("\(esc)[H")
        #expect(terminal.cursorPosition == [0, 0])
    }

    @Test func eraseDisplayBlanksEveryCellAndLeavesTheCursor() {
        let terminal = TerminalEmulator(rows: 3, columns: 10)
        terminal.feed("one\r\ntwo\r\nthree\(esc)[2;2H\(esc)[2J")
        #expect(terminal.screenText == ["", "", ""])
        #expect(terminal.cursorPosition == [1, 1])
    }

    @Test func eraseLineClearsToTheEndFromTheStartOrWhole() {
        let terminal = TerminalEmulator(rows: 3, columns: 10)
        terminal.feed("abcdef\r\nabcdef\r\nabcdef")
        terminal.feed("\(esc)[1;4H\(esc)[K\(esc)[2;3H\(esc)[1K\(esc)[3;2H\(esc)[2K")
        #expect(terminal.screenText == ["abc", "   def", ""])
        #expect(terminal.cursorPosition == [2, 1])
    }

    @Test func lineFeedAtTheBottomOfAScrollRegionScrollsOnlyTheRegion() {
        let terminal = TerminalEmulator(rows: 5, columns: 10)
        terminal.feed("a\r\nb\r\nc\r\nd\r\ne")
        terminal.feed("\(esc)[2;4r\(esc)[4;1H\n\nX")
        #expect(terminal.screenText == ["a", "d", "", "X", "e"])
        #expect(terminal.takeScrollbackLines() == [])  // a region below the top feeds no scrollback
    }

    @Test func wideCharactersTakeTwoCellsAndMarkTheRightHalf() {
        let terminal = TerminalEmulator(rows: 2, columns: 10)
        terminal.feed("日本x")
        let cells = terminal.screenCells[0]
        #expect(cells[0].text == "日" && cells[0].width == 2 && !cells[0].isRightHalf)
        #expect(cells[1].isRightHalf && cells[1].text.isEmpty)
        #expect(cells[2].text == "本" && cells[2].width == 2)
        #expect(cells[3].isRightHalf)
        #expect(cells[4].text == "x" && cells[4].width == 1 && !cells[4].isRightHalf)
        #expect(terminal.rowText(0) == "日本x")
        #expect(terminal.cursorPosition == [0, 5])
    }

    @Test func combiningMarksStayInTheCellOfTheirBase() {
        let terminal = TerminalEmulator(rows: 2, columns: 10)
        terminal.feed("e\u{301}\u{302}z")
        #expect(terminal.cell(row: 0, column: 0).text.unicodeScalars.map(\.value) == [0x65, 0x301, 0x302])
        #expect(terminal.cell(row: 0, column: 1).text == "z")
        #expect(terminal.cursorPosition == [0, 2])
    }

    @Test func decSpecialGraphicsDrawsBoxesUntilASCIIIsSelectedAgain() {
        let terminal = TerminalEmulator(rows: 3, columns: 10)
        terminal.feed("\(esc)(0lqk\r\nx x\r\nmqj\(esc)(Blqk")
        #expect(terminal.screenText == ["┌─┐", "│ │", "└─┘lqk"])
    }

    @Test func oscSequencesSuchAsTheWindowTitleAreNotPrinted() {
        let terminal = TerminalEmulator(rows: 2, columns: 10)
        terminal.feed("\(esc)]0;title\u{7}a\(esc)]2;other\(esc)\\b")
        #expect(terminal.rowText(0) == "ab")
    }

    @Test func cellsOutsideTheScreenReadAsBlank() {
        let terminal = TerminalEmulator(rows: 2, columns: 3)
        terminal.feed("abc\r\ndef")
        for (row, column) in [(-1, 0), (0, -1), (2, 0), (0, 3)] {
            #expect(terminal.cell(row: row, column: column) == .blank)
        }
    }

    /// Bytes from a PTY arrive in arbitrary chunks: an escape sequence split across feeds must
    /// give the same screen as one feed (the one-feed screen is the oracle).
    @Test(arguments: 1...9)
    func escapeSequencesSplitAcrossFeedsGiveTheSameScreen(chunkSize: Int) {
        let input = Array(
            ("plain\r\n\(esc)[1;31mred\(esc)[0m \(esc)[38;2;9;8;7mrgb\r\n\(esc)(0lqk\(esc)(B"
                + "\(esc)]0;title\u{7}\(esc)[3;5Hend\(esc)[?25l\(esc)[6n").utf8)
        let whole = TerminalEmulator(rows: 4, columns: 16)
        whole.feed(input)
        let chunked = TerminalEmulator(rows: 4, columns: 16)
        for start in stride(from: 0, to: input.count, by: chunkSize) {
            chunked.feed(Array(input[start..<min(start + chunkSize, input.count)]))
        }
        #expect(whole.screenText == ["plain", "red rgb", "┌─┐ end", ""])
        #expect(chunked.screenCells == whole.screenCells)
        #expect(chunked.cursorPosition == whole.cursorPosition)
        #expect(!chunked.cursor.visible)
        #expect(chunked.takeReplies() == whole.takeReplies())
    }

    @Test func utf8FedOneByteAtATimeGivesTheSameScreen() {
        let input = Array("日本 é\u{301} 😀x".utf8)
        let whole = TerminalEmulator(rows: 1, columns: 12)
        whole.feed(input)
        let bytewise = TerminalEmulator(rows: 1, columns: 12)
        for byte in input { bytewise.feed([byte]) }
        #expect(whole.rowText(0) == "日本 é\u{301} 😀x")
        #expect(bytewise.screenCells == whole.screenCells)
    }

    /// libvterm 0.1.4 drops a UTF-8 character cut at the end of a write when text precedes it. A
    /// PTY read can end anywhere, so the shim holds back an incomplete trailing sequence.
    @Test(
        arguments: [
            ([0x6F, 0xE6], [0x97, 0xA5]),  // "o" + 日 split 1|2: shows "o��"
            ([0x6F, 0xE6, 0x97], [0xA5]),  // "o" + 日 split 2|1: shows "o�"
            ([0x61, 0xC3], [0xA9]),  // "a" + é split 1|1: shows "a�"
        ] as [([UInt8], [UInt8])])
    func aUTF8CharacterSplitAfterTextSurvives(first: [UInt8], second: [UInt8]) {
        let expected = String(decoding: first + second, as: UTF8.self)
        let terminal = TerminalEmulator(rows: 1, columns: 10)
        terminal.feed(first)
        terminal.feed(second)
        #expect(terminal.rowText(0) == expected)
    }
}
