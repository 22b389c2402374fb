// Scrollback: raw pipe output becomes clean, numbered lines. Checks line splitting and the
// unfinished line, the line editing (`\r\n`, `\r` overwrite, `\b`, tabs, erase in line), removal
// of every kind of escape sequence, chunk independence (every split point and byte-at-a-time
// against a single append as oracle), UTF-8 repair against the standard library's decoder,
// stdout/stderr kept apart, eviction with stable absolute numbers, long-line cutting, and the
// storage staying close to the size of the text it holds. Search tests live in
// ScrollbackTests+Search.swift.

import DistRunTestSupport
import Testing

@testable import DistRunDashboardModel

/// Every kept line's text, oldest first.
func texts(_ scrollback: Scrollback) -> [String] {
    (scrollback.firstLine..<scrollback.endLine).map(scrollback.text(ofLine:))
}

/// A scrollback fed `chunks` in order on stdout.
func scrollback(_ chunks: [UInt8]..., maxLines: Int = Scrollback.defaultMaxLines) -> Scrollback {
    var scrollback = Scrollback(maxLines: maxLines)
    for chunk in chunks { scrollback.append(chunk) }
    return scrollback
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite struct ScrollbackTests {
    @Test func splitsLinesOnNewline() {
        let lines = scrollback(bytes("one\ntwo\n\nfour\n"))
        #expect(texts(lines) == ["one", "two", "", "four"])
        #expect(lines.firstLine == 0 && lines.endLine == 4 && lines.lineCount == 4)
    }

    @Test func unfinishedLineIsVisibleThenCompleted() {
        var lines = Scrollback()
        #expect(lines.lineCount == 0)
        lines.append(bytes("$ prompt"))
        #expect(texts(lines) == ["$ prompt"])
        lines.append(bytes(" typed\nnext"))
        #expect(texts(lines) == ["$ prompt typed", "next"])
        lines.append(bytes("\n"))
        #expect(texts(lines) == ["$ prompt typed", "next"])
    }

    static let editCases: [LineCase<[String]>] = [
        LineCase("a\r\nb\r\n", ["a", "b"]),
        LineCase("10%\r20%\r30%\n", ["30%"]),
        LineCase("100%\r5%\n", ["5%0%"]),  // plain overwrite, as a terminal shows it
        LineCase("100%\r5%\u{1B}[K\n", ["5%"]),  // erase to end of line
        LineCase("old text\u{1B}[2Knew\n", ["new"]),  // erase whole line
        LineCase("abc\rab\u{8}X\n", ["aXc"]),  // mid-line: moves back, then overwrite
        LineCase("abc\u{8}\n", ["ab"]),  // at the end of the line it erases
        LineCase("ab\u{8}\u{8}\u{8}x\n", ["x"]),
        LineCase("né\u{8}e\n", ["ne"]),  // one character, two bytes
        LineCase("\r\u{8}\n", [""]),
        LineCase("a\tb\n", ["a       b"]),
        LineCase("12345678\tx\n", ["12345678        x"]),
        LineCase("né\tx\n", ["né      x"]),  // columns count characters, not bytes
        LineCase("abcdefghij\r\tX\n", ["abcdefghXj"]),  // a tab moves over existing text
    ]

    @Test(arguments: editCases)
    func editsTheLineLikeATerminal(example: LineCase<[String]>) {
        #expect(texts(scrollback(bytes(example.input))) == example.expected)
    }

    static let escapeCases: [LineCase<String>] = [
        LineCase("\u{1B}[1;31mred\u{1B}[0m plain\n", "red plain"),  // CSI
        LineCase("\u{1B}[?25lhidden cursor\u{1B}[?25h\n", "hidden cursor"),  // private CSI
        LineCase("\u{1B}]0;window title\u{7}text\n", "text"),  // OSC ended by BEL
        LineCase("\u{1B}]8;;https://x.org\u{1B}\\link\u{1B}]8;;\u{1B}\\\n", "link"),  // OSC ended by ESC \
        LineCase("\u{1B}Pq#0;2;0;0;0\u{1B}\\dcs\n", "dcs"),  // DCS
        LineCase("\u{1B}=keypad\u{1B}>\n", "keypad"),  // two-byte ESC X
        LineCase("\u{1B}(Bcharset\u{1B}[m\n", "charset"),  // ESC with an intermediate byte
        LineCase("a\u{0}b\u{7}c\u{7F}d\u{C}e\u{1A}f\n", "abcdef"),  // other C0 and DEL dropped
        LineCase("c1\u{85}\u{9B}\n", "c1"),  // C1 controls dropped
        LineCase("\u{1B}[31\u{18}cancelled\n", "cancelled"),  // CAN aborts a sequence
    ]

    @Test(arguments: escapeCases)
    func removesEscapeSequencesAndControls(example: LineCase<String>) {
        let input = bytes(example.input)
        #expect(texts(scrollback(input)) == [example.expected])
        for split in 0...input.count {
            #expect(texts(scrollback(Array(input[..<split]), Array(input[split...]))) == [example.expected])
        }
    }

    /// A stream with every kind of sequence, multi-byte characters and invalid bytes.
    static let mixedStream: [UInt8] =
        bytes("\u{1B}[1;31mé✓\u{1B}[0m 🎉\r\nx\u{1B}]0;tïtle\u{7}y\u{1B}]8;;u\u{1B}\\z\u{1B}(B\u{1B}=\tq\n")
        + [0xE2, 0x82, 0x41, 0xFF, 0xF0, 0x9F, 0x8E] + bytes("\u{1B}[0m\n\u{1B}Pdata\u{1B}\\end 50%\r60%\u{1B}[K\u{8}")

    @Test func resultDoesNotDependOnChunking() {
        let oracle = scrollback(Self.mixedStream)
        #expect(texts(oracle) == ["é✓ 🎉", "xyz     q", "\u{FFFD}A\u{FFFD}\u{FFFD}", "60"])
        for split in 0...Self.mixedStream.count {
            let halves = scrollback(Array(Self.mixedStream[..<split]), Array(Self.mixedStream[split...]))
            #expect(texts(halves) == texts(oracle), "split at \(split)")
        }
        let byteAtATime = Self.mixedStream.reduce(into: Scrollback()) { $0.append([$1]) }
        #expect(texts(byteAtATime) == texts(oracle))
    }

    /// Fuzz: streams dense in escapes, controls and broken UTF-8, cut into random chunks.
    @Test func randomStreamsDoNotDependOnChunking() {
        let alphabet = bytes("\u{1B}\u{1B}[]P\\\u{7}\u{18}0;2K?m\r\n\t\u{8}aé✓") + [0xFF, 0xC3, 0x9B, 0xF0]
        var generator = SplitMix64(seed: 7)
        for _ in 0..<300 {
            let stream = (0..<Int.random(in: 0...200, using: &generator)).map { _ in
                alphabet.randomElement(using: &generator)!
            }
            var chunked = Scrollback(maxLines: 4)
            var rest = stream[...]
            while !rest.isEmpty {
                let size = Int.random(in: 1...7, using: &generator)
                chunked.append(rest.prefix(size))
                rest = rest.dropFirst(size)
            }
            let oracle = scrollback(stream, maxLines: 4)
            #expect(texts(chunked) == texts(oracle) && chunked.firstLine == oracle.firstLine, "stream \(stream)")
        }
    }

    @Test func utf8SplitAcrossAppendsIsJoined() {
        let text = bytes("héllo ✓ 🎉 日本\n")
        for split in 0...text.count {
            #expect(texts(scrollback(Array(text[..<split]), Array(text[split...]))) == ["héllo ✓ 🎉 日本"])
        }
    }

    /// Random bytes (no controls) must decode exactly as the standard library does, minus C1.
    @Test func invalidUTF8BecomesReplacementCharacters() {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<200 {
            let input = (0..<Int.random(in: 1...40, using: &generator)).map { _ in
                let byte = UInt8.random(in: 0...0xFF, using: &generator)
                return byte < 0x80 ? UInt8(ascii: "a") + byte % 26 : byte
            }
            let expected = String(decoding: input, as: UTF8.self).unicodeScalars.filter {
                !(0x80...0x9F).contains($0.value)
            }
            let lines = scrollback(input, [UInt8(ascii: "\n")])
            #expect(texts(lines) == [String(String.UnicodeScalarView(expected))], "input \(input)")
        }
    }

    @Test func stdoutAndStderrKeepSeparateUnfinishedLines() {
        var lines = Scrollback()
        lines.append(bytes("out-"), from: .stdout)
        lines.append(bytes("err line\nerr-"), from: .stderr)
        #expect(texts(lines) == ["err line", "out-", "err-"])
        lines.append(bytes("rest\n"), from: .stdout)
        #expect(texts(lines) == ["err line", "out-rest", "err-"])
        #expect([0, 1, 2].map(lines.source(ofLine:)) == [.stderr, .stdout, .stderr])
        // Escape state is per source too: a stderr sequence cut in half does not eat stdout text.
        lines.append(bytes("\u{1B}[3"), from: .stderr)
        lines.append(bytes("kept\n"), from: .stdout)
        lines.append(bytes("1mred\n"), from: .stderr)
        #expect(texts(lines) == ["err line", "out-rest", "kept", "err-red"])
    }

    @Test func evictionKeepsMaxLinesWithStableNumbers() {
        var lines = scrollback(bytes((0..<12).map { "line \($0)\n" }.joined()), maxLines: 5)
        #expect(lines.firstLine == 7 && lines.endLine == 12 && lines.lineCount == 5)
        #expect(texts(lines) == (7..<12).map { "line \($0)" })
        #expect(lines.text(ofLine: 9) == "line 9")
        lines.append(bytes("partial"))  // the unfinished line counts towards maxLines
        #expect(lines.firstLine == 8 && lines.lineCount == 5 && lines.text(ofLine: 12) == "partial")
        lines.append(bytes(" done\n"))
        #expect(texts(lines) == (8..<12).map { "line \($0)" } + ["partial done"])
    }

    @Test func evictionAcrossBlocksKeepsTextsAndFreesBlocks() {
        let lines = (0..<5_000).map { "\($0) " + String(repeating: "x", count: $0 % 1_500) + "\n" }
        var scrollback = Scrollback(maxLines: 300)
        for line in lines { scrollback.append(bytes(line)) }
        #expect(scrollback.firstLine == 4_700 && scrollback.endLine == 5_000)
        #expect(texts(scrollback) == lines[4_700...].map { String($0.dropLast()) })
        let keptBytes = lines[4_700...].reduce(0) { $0 + $1.utf8.count }
        #expect(scrollback.storedBytes < keptBytes + 3 * Scrollback.maxLineBytes)
    }

    @Test func longLinesAreCutIntoPieces() {
        let limit = Scrollback.maxLineBytes
        #expect(texts(scrollback(bytes(String(repeating: "a", count: limit) + "\n"))).map(\.count) == [limit])
        let long = scrollback(bytes(String(repeating: "b", count: 2 * limit + 100) + "\nnext\n"))
        #expect(texts(long).map(\.utf8.count) == [limit, limit, 100, 4])
        // Cuts fall between characters: 3-byte characters give pieces of 21,845 characters.
        let wide = texts(scrollback(bytes(String(repeating: "✓", count: 30_000) + "\n")))
        #expect(wide.map(\.unicodeScalars.count) == [limit / 3, 30_000 - limit / 3])
        #expect(wide.allSatisfy { $0.allSatisfy { $0 == "✓" } })
    }

    @Test func acceptsRawBuffersAndNonContiguousSequences() {
        var lines = Scrollback()
        bytes("raw\n").withUnsafeBytes { lines.append($0) }
        lines.append(bytes("lazy\n").lazy.map { $0 }, from: .stderr)
        #expect(texts(lines) == ["raw", "lazy"])
        #expect(lines.source(ofLine: 1) == .stderr)
    }

    @Test func storageStaysCloseToTheTextSize() {
        let line = bytes(String(repeating: "0123456789", count: 8) + "\n")
        var lines = Scrollback()
        for _ in 0..<Scrollback.defaultMaxLines { lines.append(line) }
        let textBytes = Scrollback.defaultMaxLines * (line.count - 1)
        let ratio = Double(lines.storedBytes) / Double(textBytes)
        print("scrollback storage: \(lines.storedBytes) bytes for \(textBytes) text bytes, ratio \(ratio)")
        #expect(ratio < 1.5)
        for _ in 0..<Scrollback.defaultMaxLines { lines.append(line) }  // all evicted and replaced
        #expect(Double(lines.storedBytes) / Double(textBytes) < 1.5)
    }
}

/// An input and what it should show; described escaped so test logs carry no raw escapes.
struct LineCase<Expected: Sendable>: Sendable, CustomTestStringConvertible {
    let input: String
    let expected: Expected

    init(_ input: String, _ expected: Expected) {
        self.input = input
        self.expected = expected
    }

    var testDescription: String { input.debugDescription }
}
