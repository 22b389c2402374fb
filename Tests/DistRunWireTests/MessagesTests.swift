// Typed messages (ClientMessage, AgentMessage): every case survives message → frame → wire
// bytes → FrameDecoder → message, and parsing a frame rejects tokens of the wrong direction
// and malformed payloads.

import DistRunWire
import NIOCore
import Testing

/// Encodes `frame` to bytes and decodes it back with a decoder for `tokens`.
private func overTheWire(_ frame: Frame, accepting tokens: Set<Token>) throws -> Frame {
    let frames = try decodeStream([wireBytes([frame])[...]], accepting: tokens)
    try #require(frames.count == 1)
    return frames[0]
}

@Suite struct MessagesTests {
    @Test(arguments: [
        ClientMessage.option(.version(1)), .option(.stdin), .option(.stderr),
        .command(["bash", "-c", "echo \"Ola mundo\""]), .command(["whoami"]),
        .input(ByteBuffer(bytes: [0, 1, 2, 0xFF])), .input(ByteBuffer()), .endOfInput, .endSession,
    ])
    func clientMessageRoundTrips(message: ClientMessage) throws {
        #expect(try ClientMessage(overTheWire(message.frame, accepting: Token.clientTokens)) == message)
    }

    @Test(arguments: [
        AgentMessage.version(1), .output(ByteBuffer(string: "Ola mundo\n")), .output(ByteBuffer()),
        .errorOutput(ByteBuffer(bytes: [0, 0xFF])), .exitStatus(.exited(3)), .exitStatus(.signaled(9)),
        .failure("OPT frame not allowed after CMD"), .outputGap(0), .outputGap(1 << 40),
        .sessionID(try! SessionID(payload: "0123456789abcdef0123456789abcdef")), .sessionID(SessionID.random()),
    ])
    func agentMessageRoundTrips(message: AgentMessage) throws {
        #expect(try AgentMessage(overTheWire(message.frame, accepting: Token.agentTokens)) == message)
    }

    @Test func commandKeepsItsThreeArguments() throws {
        let frame = ClientMessage.command(["bash", "-c", "echo \"Ola mundo\""]).frame
        guard case .command(let argv) = try ClientMessage(overTheWire(frame, accepting: Token.clientTokens)) else {
            Issue.record("not a command")
            return
        }
        #expect(argv == ["bash", "-c", "echo \"Ola mundo\""])
    }

    @Test func legacyCommandFrameParsesIntoWords() throws {
        #expect(try ClientMessage(Frame(.command, text: "ls  -l /tmp")) == .command(["ls", "-l", "/tmp"]))
    }

    @Test func wrongDirectionTokensAreRejected() {
        #expect(throws: ProtocolError.unknownToken(.output)) { try ClientMessage(Frame(.output, text: "x")) }
        #expect(throws: ProtocolError.unknownToken(.command)) { try AgentMessage(Frame(.command, text: "x")) }
    }

    @Test func malformedPayloadsAreRejected() {
        #expect(throws: ProtocolError.unknownOption("pty")) { try ClientMessage(Frame(.option, text: "pty")) }
        #expect(throws: ProtocolError.self) { try ClientMessage(Frame(.command)) }
        #expect(throws: ProtocolError.self) { try AgentMessage(Frame(.version, text: "one")) }
        #expect(throws: ProtocolError.self) { try AgentMessage(Frame(.exitStatus, text: "done")) }
    }
}

@Suite struct TextLimitTests {
    @Test func aReasonIsCutBetweenCharactersToFitItsCap() {
        let reason = String(repeating: "a", count: 4079) + "é" + String(repeating: "z", count: 20)
        let cut = reason.prefixFitting(bytes: 4080)
        #expect(cut.utf8.count <= 4080)
        #expect(cut == String(repeating: "a", count: 4079), "é (2 bytes) does not fit, and is not half-cut")
        #expect("short".prefixFitting(bytes: 4096) == "short")
    }
}
