// FrameDecoder's streaming contract, checked against the oracle in FrameStreamFixtures: the same
// frames come out whether the bytes arrive in one buffer, split in two at every position, one
// byte at a time, or at many chunk sizes; `nil` means "need more bytes" and consumes nothing;
// at EOF a partial frame is a truncatedFrame error with honest byte counts, and a clean end is nil.

import DistRunWire
import NIOCore
import Testing

@Suite struct FrameDecoderTests {
    let stream = wireBytes(oracleFrames)

    @Test func decodesEveryTokenFromOneBuffer() throws {
        #expect(Set(oracleFrames.map(\.token)) == everyToken)
        #expect(try decodeStream([stream[...]]) == oracleFrames)
    }

    @Test func decodesTheStreamSplitInTwoAtEveryBytePosition() throws {
        for position in 0...stream.count {
            let frames = try decodeStream([stream[..<position], stream[position...]])
            #expect(frames == oracleFrames, "split at byte \(position)")
        }
    }

    @Test func decodesTheStreamOneByteAtATime() throws {
        #expect(try decodeStream(chunks(stream, size: 1)) == oracleFrames)
    }

    @Test func decodesTheStreamAtManyChunkSizes() throws {
        for size in Array(2...64) + [100, 255, 256, 257, 511, stream.count - 1, stream.count] {
            #expect(try decodeStream(chunks(stream, size: size)) == oracleFrames, "chunks of \(size) bytes")
        }
    }

    @Test func returnsNilAndConsumesNothingUntilTheFrameIsComplete() throws {
        let frame = wireBytes([Frame(.output, text: "hello")])  // 7 + 5 bytes
        var decoder = FrameDecoder(accepting: Token.agentTokens)
        var buffer = ByteBuffer()
        for byte in frame.dropLast() {
            buffer.writeInteger(byte)
            #expect(try decoder.decode(buffer: &buffer) == nil)
            #expect(buffer.readerIndex == 0)
        }
        buffer.writeInteger(frame.last!)
        #expect(try decoder.decode(buffer: &buffer) == Frame(.output, text: "hello"))
        #expect(buffer.readableBytes == 0)
    }

    @Test func leavesTheNextFramesBytesInTheBuffer() throws {
        var buffer = ByteBuffer(bytes: wireBytes([Frame(.output, text: "a")]) + [0x45, 0x52])  // + "ER"
        var decoder = FrameDecoder(accepting: Token.agentTokens)
        #expect(try decoder.decode(buffer: &buffer) == Frame(.output, text: "a"))
        #expect(try decoder.decode(buffer: &buffer) == nil)
        #expect(Array(buffer.readableBytesView) == [0x45, 0x52])
    }

    @Test func cleanEndOfStreamIsNil() throws {
        var decoder = FrameDecoder(accepting: Token.clientTokens)
        var buffer = ByteBuffer()
        #expect(try decoder.decodeLast(buffer: &buffer, seenEOF: true) == nil)
    }

    @Test func endOfStreamInsideThePayloadIsTruncatedWithBothCounts() throws {
        // INP announcing 5 bytes (12 in all) but the connection ends after 10.
        var buffer = ByteBuffer(bytes: wireBytes([Frame(.input, text: "hello")]).prefix(10))
        var decoder = FrameDecoder(accepting: Token.clientTokens)
        #expect(try decoder.decode(buffer: &buffer) == nil)
        #expect(throws: ProtocolError.truncatedFrame(expectedBytes: 12, receivedBytes: 10)) {
            try decoder.decodeLast(buffer: &buffer, seenEOF: true)
        }
        #expect(
            ProtocolError.truncatedFrame(expectedBytes: 12, receivedBytes: 10).description
                == "truncated frame: connection ended after 10 of 12 bytes")
    }

    @Test func endOfStreamInsideTheHeaderIsTruncatedAgainstTheHeaderSize() throws {
        var buffer = ByteBuffer(bytes: [0x49, 0x4E, 0x50, 0x00, 0x00])  // "INP" + half a length
        var decoder = FrameDecoder(accepting: Token.clientTokens)
        #expect(throws: ProtocolError.truncatedFrame(expectedBytes: 7, receivedBytes: 5)) {
            try decoder.decodeLast(buffer: &buffer, seenEOF: true)
        }
    }

    @Test func endOfStreamDeliversCompleteFramesBeforeReportingTheTruncatedOne() throws {
        let bytes = wireBytes([Frame(.output, text: "done"), Frame(.output, text: "cut")]).dropLast()
        var buffer = ByteBuffer(bytes: bytes)
        var decoder = FrameDecoder(accepting: Token.agentTokens)
        #expect(try decoder.decodeLast(buffer: &buffer, seenEOF: true) == Frame(.output, text: "done"))
        #expect(throws: ProtocolError.truncatedFrame(expectedBytes: 10, receivedBytes: 9)) {
            try decoder.decodeLast(buffer: &buffer, seenEOF: true)
        }
    }
}
