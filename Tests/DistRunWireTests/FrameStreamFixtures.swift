// Shared fixtures for the codec tests: an oracle stream that holds every token (including
// empty, binary and multi-byte-length payloads), ways to cut it into chunks, and a driver that
// feeds chunks to FrameDecoder exactly as ByteToMessageHandler does. The driver also checks the
// decoder contract on every call: a `nil` result must leave the reader index where it was.

import DistRunWire
import NIOCore
import Testing

/// Every token the protocol defines, in either direction.
let everyToken = Token.clientTokens.union(Token.agentTokens)

/// The oracle: frames whose wire form is the input of the chunk-split tests.
let oracleFrames: [Frame] = [
    Frame(.option, text: "version=1"),
    Frame(.option, text: "stdin"),
    Frame(.command, CommandArguments.encode(["bash", "-c", "echo \"Ola mundo\""])),
    Frame(.input),
    Frame(.input, ByteBuffer(bytes: Array(0...255) + Array(0...50))),  // length needs two bytes
    Frame(.endOfInput),
    Frame(.windowSize, text: "120x40"),
    Frame(.signal, text: "INT"),
    Frame(.pong),
    Frame(.ping),
    Frame(.version, text: "1"),
    Frame(.output, text: "Ola mundo\n"),
    Frame(.errorOutput, ByteBuffer(bytes: [0x00, 0xFF, 0x0A, 0x4F, 0x55, 0x54])),  // "OUT" inside a payload
    Frame(.exitStatus, text: "exit=3"),
    Frame(.failure, text: "unknown option 'pty'"),
    Frame(.sessionID, text: "0123456789abcdef0123456789abcdef"),
    Frame(.outputGap, text: "4096"),
    Frame(.endSession),
]

/// The wire bytes of `frames`, written with `ByteBuffer.writeFrame`.
func wireBytes(_ frames: [Frame]) -> [UInt8] {
    var buffer = ByteBuffer()
    for frame in frames { buffer.writeFrame(frame) }
    return Array(buffer.readableBytesView)
}

/// `bytes` cut into pieces of `size` bytes (the last may be shorter).
func chunks(_ bytes: [UInt8], size: Int) -> [ArraySlice<UInt8>] {
    stride(from: 0, to: bytes.count, by: size).map { bytes[$0..<min($0 + size, bytes.count)] }
}

/// Feeds `pieces` one by one, decoding until `nil` after each, then `decodeLast` at EOF. Pieces
/// of a `piecewise` frame are joined again (the decoder says when the next frame continues one).
func decodeStream(
    _ pieces: [ArraySlice<UInt8>], accepting tokens: Set<Token> = everyToken, limits: FrameLimits = FrameLimits(),
    piecewise: Set<Token> = []
) throws -> [Frame] {
    var decoder = FrameDecoder(accepting: tokens, limits: limits, piecewise: piecewise)
    var buffer = ByteBuffer()
    var frames: [Frame] = []
    var continuing = false
    func collect(_ frame: Frame, pending: Int) {
        if continuing {
            #expect(frames[frames.count - 1].token == frame.token)
            frames[frames.count - 1].payload.writeImmutableBuffer(frame.payload)
        } else {
            frames.append(frame)
        }
        continuing = pending > 0
    }
    for piece in pieces {
        buffer.writeBytes(piece)
        while true {
            let readerIndexBefore = buffer.readerIndex
            guard let frame = try decoder.decode(buffer: &buffer) else {
                #expect(buffer.readerIndex == readerIndexBefore, "nil must consume nothing")
                break
            }
            collect(frame, pending: decoder.pendingPieceBytes)
        }
    }
    while let frame = try decoder.decodeLast(buffer: &buffer, seenEOF: true) {
        collect(frame, pending: decoder.pendingPieceBytes)
    }
    #expect(buffer.readableBytes == 0)
    #expect(!continuing)
    return frames
}

/// Parses hex as written in docs/protocol.md: pairs of hex digits separated by white space.
func hexBytes(_ text: String) -> [UInt8] {
    text.split(whereSeparator: \.isWhitespace).map { UInt8($0, radix: 16)! }
}
