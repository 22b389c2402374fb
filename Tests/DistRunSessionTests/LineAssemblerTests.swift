// LineAssembler: output cut into whole, prefixed, newline-terminated lines. The result must not
// depend on how the stream was chunked: every split position (including inside a UTF-8
// character) and byte-at-a-time feeding are checked against the text split into lines by hand.
// A partial line waits for flush, empty lines survive, and no emitted line exceeds maxLineBytes.

import DistRunSession
import NIOCore
import Testing

/// Feeds `chunks` in order, then flushes; returns everything written.
private func assemble(_ chunks: [[UInt8]], prefix: String = "[h] ", maxLineBytes: Int = 64 << 10) -> String {
    var assembler = LineAssembler(prefix: prefix, maxLineBytes: maxLineBytes)
    var out = ByteBuffer()
    for chunk in chunks { assembler.append(ByteBuffer(bytes: chunk), into: &out) }
    assembler.flush(into: &out)
    return String(buffer: out)
}

/// Output lines with the prefix removed (every line must carry it).
private func bodies(_ output: String, prefix: String) -> [Substring] {
    output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
        #expect(line.hasPrefix(prefix), "line without prefix: \(line)")
        return line.dropFirst(prefix.count)
    }
}

@Suite struct LineAssemblerTests {
    static let text = Array("first line\n\nsecond — ünïcode ✓\n\n\nthird\tcol\nunfinished".utf8)
    /// `text` split into lines by hand; the unfinished last line gains a newline at flush.
    static let expected = [
        "first line", "", "second — ünïcode ✓", "", "", "third\tcol", "unfinished",
    ].map { "[h] \($0)\n" }.joined()

    @Test func oneChunkMatchesTheHandSplitLines() {
        #expect(assemble([Self.text]) == Self.expected)
    }

    @Test func twoChunksSplitAtEveryBytePositionMatchOneChunk() {
        for cut in 0...Self.text.count {
            let chunks = [Array(Self.text[..<cut]), Array(Self.text[cut...])]
            #expect(assemble(chunks) == Self.expected, "cut at byte \(cut)")
        }
    }

    @Test func threeChunksSplitAtEveryPairOfPositionsMatchOneChunk() {
        for first in 0...Self.text.count {
            for second in first...Self.text.count {
                let chunks = [Self.text[..<first], Self.text[first..<second], Self.text[second...]].map { Array($0) }
                #expect(assemble(chunks) == Self.expected, "cuts at \(first), \(second)")
            }
        }
    }

    @Test func byteAtATimeMatchesOneChunk() {
        #expect(assemble(Self.text.map { [$0] }) == Self.expected)
    }

    @Test func partialLineIsHeldUntilFlushWhichAddsTheNewline() {
        var assembler = LineAssembler(prefix: "p: ")
        var out = ByteBuffer()
        assembler.append(ByteBuffer(string: "abc"), into: &out)
        assembler.append(ByteBuffer(string: "de"), into: &out)
        #expect(out.readableBytes == 0, "nothing may be written before the line ends")
        assembler.flush(into: &out)
        #expect(String(buffer: out) == "p: abcde\n")
        assembler.flush(into: &out)
        #expect(String(buffer: out) == "p: abcde\n", "a second flush writes nothing")
    }

    @Test func completedLineIsWrittenAtOnceAndFlushThenWritesNothing() {
        var assembler = LineAssembler(prefix: "p: ")
        var out = ByteBuffer()
        assembler.append(ByteBuffer(string: "done\nrest"), into: &out)
        #expect(String(buffer: out) == "p: done\n")
        assembler.append(ByteBuffer(string: "\n"), into: &out)
        #expect(String(buffer: out) == "p: done\np: rest\n")
        assembler.flush(into: &out)
        #expect(String(buffer: out) == "p: done\np: rest\n")
    }

    @Test func emptyLinesAreKeptWithTheirPrefix() {
        #expect(assemble([Array("\n\nx\n\n".utf8)], prefix: "> ") == "> \n> \n> x\n> \n")
    }

    @Test(arguments: ["", "web-1: ", "[db ✓] "])
    func prefixIsAppliedToEveryLine(prefix: String) {
        let output = assemble([Array("a\nbb\n\nccc".utf8)], prefix: prefix)
        #expect(output == ["a", "bb", "", "ccc"].map { prefix + $0 + "\n" }.joined())
    }

    @Test func longPartialLineIsEmittedInPiecesOfMaxBytes() {
        var assembler = LineAssembler(prefix: "", maxLineBytes: 4)
        var out = ByteBuffer()
        assembler.append(ByteBuffer(string: "abcdefghij"), into: &out)
        #expect(String(buffer: out) == "abcd\nefgh\n", "must not buffer past maxLineBytes")
        assembler.append(ByteBuffer(string: "\n"), into: &out)
        #expect(String(buffer: out) == "abcd\nefgh\nij\n")
    }

    @Test func longLineFedByteAtATimeNeverExceedsMaxBytes() {
        let line = Array(repeating: UInt8(ascii: "x"), count: 23) + [UInt8(ascii: "\n")]
        let lines = bodies(assemble(line.map { [$0] }, prefix: "h ", maxLineBytes: 5), prefix: "h ")
        #expect(lines.allSatisfy { $0.utf8.count <= 5 }, "\(lines)")
        #expect(lines.joined() == String(repeating: "x", count: 23))
    }

    /// A complete over-long line arriving in one chunk must be cut too, not written whole.
    @Test func longCompleteLineInOneChunkIsEmittedInPieces() {
        let output = assemble([Array("abcdefghij\nxy\n".utf8)], prefix: "", maxLineBytes: 4)
        #expect(output == "abcd\nefgh\nij\nxy\n")
    }

    /// A line of exactly maxLineBytes is not over the limit: it must come out as one line, with
    /// no extra empty line, however it was chunked.
    @Test func lineOfExactlyMaxBytesIsOneLineHoweverChunked() {
        #expect(assemble([Array("abcd\n".utf8)], prefix: "", maxLineBytes: 4) == "abcd\n")
        #expect(assemble([Array("abcd".utf8), Array("\n".utf8)], prefix: "", maxLineBytes: 4) == "abcd\n")
        let twoPieces = assemble([Array("abcdefgh".utf8), Array("\nz\n".utf8)], prefix: "", maxLineBytes: 4)
        #expect(twoPieces == "abcd\nefgh\nz\n")
    }
}
