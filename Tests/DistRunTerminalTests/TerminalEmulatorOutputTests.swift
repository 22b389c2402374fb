// What TerminalEmulator hands back besides the screen: lines scrolled off the top
// (`takeScrollbackLines`, UTF-8 text, one "\n" per line, trailing blanks trimmed) and bytes for
// the program (`takeReplies`: answers to queries such as cursor position and device attributes).
// Both are queues: each byte comes out once, in order, however large the backlog.

import Testing

import DistRunTerminal

@Suite struct TerminalEmulatorOutputTests {
    @Test func linesPushedOffTheTopComeOutInOrderAndOnlyOnce() {
        let terminal = TerminalEmulator(rows: 3, columns: 10)
        terminal.feed("l1\r\nl2   \r\nl3\r\nl4\r\nl5\r\nl6")
        #expect(terminal.screenText == ["l4", "l5", "l6"])
        #expect(text(terminal.takeScrollbackLines()) == "l1\nl2\nl3\n")
        #expect(terminal.takeScrollbackLines() == [])
        terminal.feed("\r\nl7")
        #expect(text(terminal.takeScrollbackLines()) == "l4\n")
    }

    @Test func scrollbackIsUTF8WithWideAndCombiningCharactersAndInnerBlanks() {
        let terminal = TerminalEmulator(rows: 2, columns: 12)
        terminal.feed("日本 x\r\ne\u{301}  z  \r\n    \r\n\r\n")
        #expect(text(terminal.takeScrollbackLines()) == "日本 x\ne\u{301}  z\n\n")
    }

    /// libvterm 0.1.4 keeps no "this row continues" flag, so a line longer than the screen is
    /// wide scrolls off as several lines: scrollback holds rows, not the program's lines.
    @Test func aWrappedLineScrollsOffAsOneLinePerRow() {
        let terminal = TerminalEmulator(rows: 2, columns: 5)
        terminal.feed("abcdefghij\r\n\r\n")
        #expect(text(terminal.takeScrollbackLines()) == "abcde\nfghij\n")
    }

    /// More than the 16 KiB the shim's buffer keeps between drains: nothing lost, duplicated or
    /// reordered (3,000 plain lines in one feed also take the plain-lines shortcut).
    @Test func aLargeBacklogComesOutWhole() {
        let terminal = TerminalEmulator(rows: 3, columns: 20)
        terminal.feed((0..<3000).map { "line \($0)\r\n" }.joined())
        let expected = (0..<2998).map { "line \($0)\n" }.joined()
        #expect(expected.utf8.count > 16 << 10)
        #expect(text(terminal.takeScrollbackLines()) == expected)
    }

    /// libvterm erases instead of scrolling when a scroll covers the whole region, and only a
    /// real scroll reports lines: a one-row terminal, or `CSI n S` with n >= rows, loses them.
    @Test func scrollingAWholeScreenAtOnceFeedsNoScrollback() {
        let oneRow = TerminalEmulator(rows: 1, columns: 10)
        oneRow.feed("a\r\nb\r\nc")
        #expect(oneRow.screenText == ["c"])
        #expect(oneRow.takeScrollbackLines() == [])

        let twoRows = TerminalEmulator(rows: 2, columns: 10)
        twoRows.feed("a\r\nb\(esc)[2S")
        #expect(twoRows.screenText == ["", ""])
        #expect(twoRows.takeScrollbackLines() == [])
        twoRows.feed("\(esc)[Hc\r\nd\(esc)[1S")
        #expect(text(twoRows.takeScrollbackLines()) == "c\n")
    }

    @Test func aScrollRegionAtTheTopFeedsScrollbackLikeXterm() {
        let terminal = TerminalEmulator(rows: 4, columns: 10)
        terminal.feed("a\r\nb\r\nc\r\nd\(esc)[1;2r\(esc)[2;1H\n")
        #expect(terminal.screenText == ["b", "", "c", "d"])
        #expect(text(terminal.takeScrollbackLines()) == "a\n")
    }

    @Test func cursorPositionReportIsOneBased() {
        let terminal = TerminalEmulator(rows: 6, columns: 12)
        terminal.feed("\(esc)[5;10H\(esc)[6n")
        #expect(text(terminal.takeReplies()) == "\(esc)[5;10R")
        #expect(terminal.takeReplies() == [])
    }

    @Test func deviceAttributesGetAPrivateReply() {
        let terminal = TerminalEmulator(rows: 2, columns: 10)
        terminal.feed("\(esc)[c")
        let reply = text(terminal.takeReplies())
        #expect(reply.hasPrefix("\(esc)[?") && reply.hasSuffix("c"))
        #expect(reply == "\(esc)[?1;2c")  // libvterm 0.1.4 says "VT100 with advanced video"
    }

    @Test func repliesToSeveralQueriesComeOutInOrder() {
        let terminal = TerminalEmulator(rows: 2, columns: 10)
        terminal.feed("\(esc)[6nab\(esc)[5n\(esc)[6n")
        #expect(text(terminal.takeReplies()) == "\(esc)[1;1R\(esc)[0n\(esc)[1;3R")
    }

    /// Replies and encoded keys share one queue: `encode` returns whatever replies were still
    /// pending, ahead of the key. Both belong to the program, so sending the result keeps order.
    @Test func encodeAlsoReturnsRepliesStillPending() {
        let terminal = TerminalEmulator(rows: 2, columns: 10)
        terminal.feed("\(esc)[6n")
        #expect(text(terminal.encode(.enter)) == "\(esc)[1;1R\r")
        #expect(terminal.takeReplies() == [])
    }
}
