// FrameDecoder with piecewise tokens (the client's OUT and ERR): a data frame comes out in pieces
// as its bytes arrive (from the moment its header is whole, so possibly an empty first piece),
// each a slice of the buffer it came in, and the pieces joined are the oracle's frames whatever
// the chunking; other tokens still come out whole; `nil` consumes nothing; EOF inside a
// piecewise frame counts the bytes already delivered.

import DistRunWire
import NIOCore
import Testing

@Suite struct FrameDecoderPiecewiseTests {
    let stream = wireBytes(oracleFrames)
    let piecewise: Set<Token> = [.output, .errorOutput, .input]

    @Test func joinedPiecesAreTheOracleAtEverySplitAndChunkSize() throws {
        #expect(try decodeStream([stream[...]], piecewise: piecewise) == oracleFrames)
        for position in 0...stream.count {
            let frames = try decodeStream([stream[..<position], stream[position...]], piecewise: piecewise)
            #expect(frames == oracleFrames, "split at byte \(position)")
        }
        for size in Array(1...64) + [100, 255, 256, 257, 511, stream.count - 1] {
            #expect(try decodeStream(chunks(stream, size: size), piecewise: piecewise) == oracleFrames, "\(size)")
        }
    }

    @Test func aDataFrameComesOutAsItsBytesArriveWithoutCopying() throws {
        let frame = wireBytes([Frame(.output, text: "hello world")])  // 7 + 11 bytes
        var decoder = FrameDecoder(accepting: Token.agentTokens, piecewise: [.output])
        var buffer = ByteBuffer(bytes: frame.prefix(Frame.headerBytes - 1))
        #expect(try decoder.decode(buffer: &buffer) == nil)  // part of a header is not taken
        #expect(buffer.readerIndex == 0)
        buffer.writeBytes(frame[Frame.headerBytes - 1..<Frame.headerBytes])
        #expect(try decoder.decode(buffer: &buffer) == Frame(.output))  // a whole one is, as an empty piece
        #expect(decoder.pendingPieceBytes == 11)
        #expect(try decoder.decode(buffer: &buffer) == nil)
        buffer.writeBytes(frame[Frame.headerBytes..<12])
        let first = try #require(try decoder.decode(buffer: &buffer))
        #expect(first == Frame(.output, text: "hello"))
        #expect(decoder.pendingPieceBytes == 6)
        #expect(try decoder.decode(buffer: &buffer) == nil)

        var rest = ByteBuffer(bytes: frame[12...] + wireBytes([AgentMessage.exitStatus(.exited(0)).frame]))
        let start = rest.withUnsafeReadableBytes { $0.baseAddress! }
        let second = try #require(try decoder.decode(buffer: &rest))
        #expect(second == Frame(.output, text: " world"))
        #expect(second.payload.withUnsafeReadableBytes { $0.baseAddress! } == start)  // a slice, not a copy
        #expect(decoder.pendingPieceBytes == 0)
        #expect(try decoder.decode(buffer: &rest) == AgentMessage.exitStatus(.exited(0)).frame)
    }

    @Test func otherTokensStillWaitForTheWholeFrame() throws {
        let frame = wireBytes([Frame(.failure, text: "no such session")])
        var decoder = FrameDecoder(accepting: Token.agentTokens, piecewise: [.output])
        var buffer = ByteBuffer(bytes: frame.dropLast())
        #expect(try decoder.decode(buffer: &buffer) == nil)
        #expect(buffer.readerIndex == 0)
        buffer.writeBytes(frame.suffix(1))
        #expect(try decoder.decode(buffer: &buffer) == Frame(.failure, text: "no such session"))
    }

    @Test func anOversizePiecewiseFrameIsRejectedOnItsHeader() throws {
        var buffer = ByteBuffer(bytes: Array("OUT".utf8) + [0, 0x20, 0, 1, 0x41])  // 2 MiB + 1 announced
        var decoder = FrameDecoder(accepting: Token.agentTokens, piecewise: [.output])
        #expect(throws: ProtocolError.payloadTooLarge(.output, length: (2 << 20) + 1, limit: 1 << 20)) {
            try decoder.decode(buffer: &buffer)
        }
    }

    @Test func endOfStreamInsideAPiecewiseFrameCountsWhatWasDelivered() throws {
        var buffer = ByteBuffer(bytes: wireBytes([Frame(.output, text: "hello")]).prefix(10))
        var decoder = FrameDecoder(accepting: Token.agentTokens, piecewise: [.output])
        #expect(try decoder.decode(buffer: &buffer) == Frame(.output, text: "hel"))
        #expect(throws: ProtocolError.truncatedFrame(expectedBytes: 12, receivedBytes: 10)) {
            try decoder.decodeLast(buffer: &buffer, seenEOF: true)
        }
    }
}
