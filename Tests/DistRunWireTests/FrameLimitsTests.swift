// Per-token payload caps (FrameLimits) and how FrameDecoder enforces them: the cap is checked on
// the 7-byte header alone, so a peer announcing 4 GiB is refused before a single payload byte
// arrives. The default caps must match the table in docs/protocol.md ("Size limits").

import DistRunWire
import NIOCore
import Testing

/// A 7-byte frame header: the token's three bytes and a big-endian length.
private func header(_ token: Token, length: UInt32) -> ByteBuffer {
    var buffer = ByteBuffer(bytes: [token.bytes.0, token.bytes.1, token.bytes.2])
    buffer.writeInteger(length, endianness: .big)
    return buffer
}

@Suite struct FrameLimitsTests {
    @Test func defaultCapsMatchTheProtocolDocument() {
        let limits = FrameLimits()
        let documented: [Token: Int] = [
            .command: 1_048_576, .input: 1_048_576, .output: 1_048_576, .errorOutput: 1_048_576,
            .option: 4096, .failure: 4096, .version: 64, .exitStatus: 64, .endOfInput: 0,
            .windowSize: 64, .signal: 64, .ping: 0, .pong: 0, .sessionID: 64, .outputGap: 64, .endSession: 0,
        ]
        #expect(Set(documented.keys) == everyToken)
        for (token, cap) in documented {
            #expect(limits.maxPayloadBytes(for: token) == cap, "\(token)")
        }
    }

    @Test func oversizeLengthIsRejectedFromTheHeaderAlone() throws {
        var buffer = header(.input, length: 0xFFFF_FFFF)
        var decoder = FrameDecoder(accepting: Token.clientTokens)
        let error = #expect(throws: ProtocolError.self) { try decoder.decode(buffer: &buffer) }
        #expect(error == .payloadTooLarge(.input, length: 0xFFFF_FFFF, limit: 1_048_576))
        #expect(error?.description == "INP frame of 4294967295 bytes is over the limit of 1048576 bytes")
    }

    @Test func aLengthExactlyAtTheCapWaitsForItsPayload() throws {
        var buffer = header(.input, length: 1_048_576)
        var decoder = FrameDecoder(accepting: Token.clientTokens)
        #expect(try decoder.decode(buffer: &buffer) == nil)
        #expect(buffer.readerIndex == 0)
    }

    @Test(arguments: [(Token.option, UInt32(5000)), (.option, 4097), (.endOfInput, 1), (.command, 1_048_577)])
    func clientTokenOverItsCapIsRejected(token: Token, length: UInt32) throws {
        var buffer = header(token, length: length)
        var decoder = FrameDecoder(accepting: Token.clientTokens)
        let limit = FrameLimits().maxPayloadBytes(for: token)
        #expect(throws: ProtocolError.payloadTooLarge(token, length: length, limit: limit)) {
            try decoder.decode(buffer: &buffer)
        }
    }

    @Test(arguments: [(Token.version, UInt32(65)), (.exitStatus, 65), (.failure, 4097), (.output, 1_048_577)])
    func agentTokenOverItsCapIsRejected(token: Token, length: UInt32) throws {
        var buffer = header(token, length: length)
        var decoder = FrameDecoder(accepting: Token.agentTokens)
        let limit = FrameLimits().maxPayloadBytes(for: token)
        #expect(throws: ProtocolError.payloadTooLarge(token, length: length, limit: limit)) {
            try decoder.decode(buffer: &buffer)
        }
    }

    @Test func controlFramesAtTheirCapDecode() throws {
        let option = Frame(.option, ByteBuffer(repeating: UInt8(ascii: "a"), count: 4096))
        let status = Frame(.exitStatus, ByteBuffer(repeating: UInt8(ascii: "9"), count: 64))
        #expect(try decodeStream([wireBytes([option, status])[...]]) == [option, status])
    }

    @Test func customDataCapIsHonouredAndLeavesControlCapsAlone() throws {
        let limits = FrameLimits(maxDataPayloadBytes: 16)
        let fits = Frame(.input, ByteBuffer(repeating: 7, count: 16))
        #expect(try decodeStream([wireBytes([fits])[...]], limits: limits) == [fits])

        var tooLarge = header(.input, length: 17)
        var decoder = FrameDecoder(accepting: Token.clientTokens, limits: limits)
        #expect(throws: ProtocolError.payloadTooLarge(.input, length: 17, limit: 16)) {
            try decoder.decode(buffer: &tooLarge)
        }
        #expect(limits.maxPayloadBytes(for: .option) == 4096)
    }
}
