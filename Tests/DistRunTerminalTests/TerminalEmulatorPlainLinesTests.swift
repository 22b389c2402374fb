// The shortcut for long runs of plain lines (printable ASCII, each ending in CR LF) in the C
// shim: one feed that scrolls the screen over many times must give the same screen, cursor and
// scrollback as the same bytes fed one at a time, which never hold a whole line and so go
// through libvterm row by row (the oracle). The preludes put the terminal in the states where
// the shortcut must stand aside or take care: a screen not full yet, a scroll region, the
// alternate screen, DEC line drawing, a double-width line, the stderr font, no autowrap,
// insert mode, colours.

import Testing

import DistRunTerminal

@Suite struct TerminalEmulatorPlainLinesTests {
    static let preludes: [(name: String, bytes: String)] = [
        ("fresh screen", ""),
        ("full screen", String(repeating: "x\r\n", count: 40)),
        ("scroll region", "\(esc)[2;4r"),
        ("scroll region at the top", "\(esc)[1;3r"),
        ("alternate screen", "\(esc)[?1049h"),
        ("DEC line drawing", "\(esc)(0"),
        ("double width line", "\(esc)#6"),
        ("stderr font", "\(esc)[11m"),
        ("no autowrap", "\(esc)[?7l"),
        ("insert mode", "\(esc)[4h"),
        ("colours", "\(esc)[1;31;44m"),
        ("cursor mid-screen", "\(esc)[3;5Hab"),
    ]

    @Test(arguments: preludes.indices, [(rows: 5, columns: 20), (rows: 24, columns: 80), (rows: 3, columns: 7)])
    func oneFeedGivesTheSameAsByteByByte(prelude: Int, size: (rows: Int, columns: Int)) {
        let input = Self.preludes[prelude].bytes + plainLines(count: 300, columns: size.columns, seed: UInt64(prelude))
        let whole = TerminalEmulator(rows: size.rows, columns: size.columns)
        whole.feed(input)
        let bytewise = TerminalEmulator(rows: size.rows, columns: size.columns)
        for byte in input.utf8 { bytewise.feed([byte]) }
        #expect(whole.screenCells == bytewise.screenCells, "\(Self.preludes[prelude].name)")
        #expect(whole.cursorPosition == bytewise.cursorPosition, "\(Self.preludes[prelude].name)")
        #expect(text(whole.takeScrollbackLines()) == text(bytewise.takeScrollbackLines()))
    }

    /// After a run, what follows (an escape sequence, a partial line) lands where it should.
    @Test func whatFollowsARunLandsAsByteByByte() {
        let input =
            plainLines(count: 100, columns: 10, seed: 7) + "\(esc)[32mgreen\(esc)[0m tail"
            + plainLines(count: 50, columns: 10, seed: 8) + "partial"
        let whole = TerminalEmulator(rows: 4, columns: 10)
        whole.feed(input)
        let bytewise = TerminalEmulator(rows: 4, columns: 10)
        for byte in input.utf8 { bytewise.feed([byte]) }
        #expect(whole.screenCells == bytewise.screenCells)
        #expect(whole.cursorPosition == bytewise.cursorPosition)
        #expect(text(whole.takeScrollbackLines()) == text(bytewise.takeScrollbackLines()))
    }

    /// Lines of printable ASCII of varied length: empty, wider than the screen, trailing blanks.
    private func plainLines(count: Int, columns: Int, seed: UInt64) -> String {
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        return (0..<count).map { _ in
            let length = next(4) == 0 ? 0 : next(3 * columns + 2)
            let characters = (0..<length).map { _ in Character(Unicode.Scalar(UInt8(0x20 + next(95)))) }
            return String(characters) + (next(5) == 0 ? "   " : "") + "\r\n"
        }.joined()
    }
}
