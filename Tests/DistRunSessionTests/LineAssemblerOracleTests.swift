// LineAssembler against an oracle, byte for byte: the whole stream split on `\n` at once, each
// line cut into pieces of maxLineBytes, each piece prefixed. Streams hold what the memchr fast
// path and the output buffer's growth could get wrong: lines cut at every chunk boundary, empty
// lines, `\r`, NUL and invalid UTF-8, lines of exactly the limit and one past it, lines far
// longer than any buffer, no trailing newline, and output appended after bytes already there.

import DistRunSession
import NIOCore
import DistRunTestSupport
import Testing

/// The expected output, computed from the whole stream at once.
private func oracle(_ stream: [UInt8], prefix: [UInt8], maxLineBytes: Int) -> [UInt8] {
    var lines = stream.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    let unfinished = lines.removeLast()
    if !unfinished.isEmpty { lines.append(unfinished) }
    var out: [UInt8] = []
    for line in lines {
        for start in stride(from: line.startIndex, to: max(line.endIndex, line.startIndex + 1), by: maxLineBytes) {
            out += prefix + line[start..<min(start + maxLineBytes, line.endIndex)] + [UInt8(ascii: "\n")]
        }
    }
    return out
}

/// Feeds `stream` cut at `cuts` (ascending offsets) into `out`, then flushes.
private func assemble(
    _ stream: [UInt8], cuts: [Int], prefix: String, maxLineBytes: Int, into out: inout ByteBuffer
) {
    var assembler = LineAssembler(prefix: prefix, maxLineBytes: maxLineBytes)
    for (start, end) in zip([0] + cuts, cuts + [stream.count]) {
        assembler.append(ByteBuffer(bytes: stream[start..<end]), into: &out)
    }
    assembler.flush(into: &out)
}

private func assembled(_ stream: [UInt8], cuts: [Int], prefix: String = "h1: ", maxLineBytes: Int) -> [UInt8] {
    var out = ByteBuffer()
    assemble(stream, cuts: cuts, prefix: prefix, maxLineBytes: maxLineBytes, into: &out)
    return Array(out.readableBytesView)
}

/// Lines of awkward lengths and bytes, around a limit of `maxLineBytes`.
private func awkwardStream(maxLineBytes: Int, lines: Int, seed: UInt64) -> [UInt8] {
    var random = SplitMix64(seed: seed)
    let lengths = [
        0, 0, 1, 2, maxLineBytes - 1, maxLineBytes, maxLineBytes + 1, 2 * maxLineBytes, 5 * maxLineBytes + 3,
    ]
    let alphabet: [UInt8] = [
        UInt8(ascii: "a"), UInt8(ascii: "Z"), UInt8(ascii: "\r"), 0, 0xFF, 0xC3, UInt8(ascii: " "),
    ]
    var stream: [UInt8] = []
    for _ in 0..<lines {
        let length =
            Bool.random(using: &random)
            ? lengths.randomElement(using: &random)! : Int.random(in: 0...80, using: &random)
        stream += (0..<length).map { _ in alphabet.randomElement(using: &random)! }
        stream.append(UInt8(ascii: "\n"))
    }
    return stream
}

/// Where two outputs first differ (nil if equal): a short failure message, not two arrays of bytes.
private func firstDifference(_ got: [UInt8], _ expected: [UInt8]) -> String? {
    guard got != expected else { return nil }
    let offset = zip(got, expected).enumerated().first { $1.0 != $1.1 }?.offset ?? min(got.count, expected.count)
    let context = { (bytes: [UInt8]) in
        String(decoding: bytes[max(0, offset - 20)..<min(bytes.count, offset + 20)], as: UTF8.self)
    }
    return
        "at byte \(offset) of \(expected.count) (got \(got.count)): \(context(got).debugDescription) vs \(context(expected).debugDescription)"
}

private func cuts(every size: Int, in count: Int) -> [Int] {
    Array(stride(from: size, to: count, by: size))
}

@Suite struct LineAssemblerOracleTests {
    static let maxLineBytes = 16

    @Test(arguments: [1, 2, 3, 7, 15, 16, 17, 64, 1000, Int.max])
    func fixedChunkSizesMatchTheOracle(chunkBytes: Int) {
        let stream = awkwardStream(maxLineBytes: Self.maxLineBytes, lines: 400, seed: 7)
        for ending in [[], Array("no newline".utf8), Array("\r".utf8)] {
            let whole = stream + ending
            let expected = oracle(whole, prefix: Array("h1: ".utf8), maxLineBytes: Self.maxLineBytes)
            let got = assembled(whole, cuts: cuts(every: chunkBytes, in: whole.count), maxLineBytes: Self.maxLineBytes)
            #expect(firstDifference(got, expected) == nil, "chunks of \(chunkBytes), ending \(ending)")
        }
    }

    @Test func randomChunkingsMatchTheOracle() {
        var random = SplitMix64(seed: 42)
        for seed in 0..<200 as Range<UInt64> {
            let stream = awkwardStream(maxLineBytes: Self.maxLineBytes, lines: 40, seed: seed) + [UInt8(ascii: "x")]
            let cutCount = Int.random(in: 0...20, using: &random)
            let cuts = Set((0..<cutCount).map { _ in Int.random(in: 0...stream.count, using: &random) }).sorted()
            let expected = oracle(stream, prefix: Array("h1: ".utf8), maxLineBytes: Self.maxLineBytes)
            let got = assembled(stream, cuts: cuts, maxLineBytes: Self.maxLineBytes)
            #expect(firstDifference(got, expected) == nil, "seed \(seed), cuts \(cuts)")
        }
    }

    /// Lines far longer than the default limit and than the output buffer's first growth, in
    /// chunks the size the client reads, around the limit, and in one chunk.
    @Test func hugeLinesAreCutIntoPiecesOfTheDefaultLimit() {
        let limit = LineAssembler.defaultMaxLineBytes
        let huge = [UInt8](repeating: UInt8(ascii: "x"), count: 3 * (1 << 20) + 5)
        let stream = Array("before\n".utf8) + huge + Array("\nafter\n".utf8) + huge
        let expected = oracle(stream, prefix: Array("h1: ".utf8), maxLineBytes: limit)
        for chunkBytes in [256 << 10, limit, limit - 1, limit + 1, stream.count] {
            let got = assembled(stream, cuts: cuts(every: chunkBytes, in: stream.count), maxLineBytes: limit)
            #expect(firstDifference(got, expected) == nil, "chunks of \(chunkBytes)")
        }
    }

    /// A chunk of empty lines with a long prefix: the output is many times the chunk, so the
    /// assembler fills the buffer's free space several times within one chunk.
    @Test func outputManyTimesTheChunkComesOutWhole() {
        let prefix = String(repeating: "p", count: 100) + ": "
        let stream = [UInt8](repeating: UInt8(ascii: "\n"), count: 50_000) + Array("end".utf8)
        let expected = oracle(stream, prefix: Array(prefix.utf8), maxLineBytes: 64 << 10)
        let got = assembled(stream, cuts: [], prefix: prefix, maxLineBytes: 64 << 10)
        #expect(firstDifference(got, expected) == nil)
    }

    /// Lines go after what the buffer already holds, read or not.
    @Test func outputIsAppendedAfterTheBufferedBytes() {
        let stream = Array("one\ntwo\nthr".utf8)
        var out = ByteBuffer(string: "old: line\nkept: line\n")
        out.moveReaderIndex(forwardBy: 10)
        assemble(stream, cuts: [5], prefix: "h: ", maxLineBytes: 64, into: &out)
        #expect(String(buffer: out) == "kept: line\nh: one\nh: two\nh: thr\n")
    }

    @Test func crIsKeptAndNeverEndsALine() {
        let got = assembled(Array("a\r\nb\rc\r\n\r\n\r".utf8), cuts: [2, 3], prefix: "h: ", maxLineBytes: 64)
        #expect(got == Array("h: a\r\nh: b\rc\r\nh: \r\nh: \r\n".utf8))
    }

    @Test func anEmptyChunkWritesNothingAndChangesNothing() {
        var assembler = LineAssembler(prefix: "h: ")
        var out = ByteBuffer()
        assembler.append(ByteBuffer(string: "ab"), into: &out)
        assembler.append(ByteBuffer(), into: &out)
        #expect(out.readableBytes == 0)
        assembler.append(ByteBuffer(string: "c\n"), into: &out)
        #expect(String(buffer: out) == "h: abc\n")
    }
}
