// The token table and how FrameDecoder uses it: each side accepts only the tokens of the other
// side's direction, an unknown or garbage token fails as soon as its 3 bytes are in (before the
// length or payload), reserved names stay unknown, and error text shows bytes readably.

import DistRunWire
import NIOCore
import Testing

@Suite struct TokenTests {
    @Test func directionsAreDisjointAndMatchTheDocument() {
        #expect(
            Token.clientTokens.map(\.description).sorted() == [
                "BYE", "CMD", "EOF", "INP", "OPT", "PON", "SIG", "WIN",
            ])
        #expect(
            Token.agentTokens.map(\.description).sorted() == [
                "BAD", "ERR", "EXT", "GAP", "OUT", "PNG", "SID", "VER",
            ])
        #expect(Token.clientTokens.isDisjoint(with: Token.agentTokens))
    }

    @Test(arguments: ["XYZ", "RSM", "ACK", "opt", "win", "pon"])
    func unknownTokenIsRejectedAfterThreeBytes(name: String) throws {
        let bytes = Array(name.utf8)
        var decoder = FrameDecoder(accepting: Token.clientTokens.union(Token.agentTokens))
        var buffer = ByteBuffer(bytes: bytes.prefix(2))
        #expect(try decoder.decode(buffer: &buffer) == nil, "two bytes cannot be judged yet")
        buffer.writeInteger(bytes[2])
        #expect(throws: ProtocolError.unknownToken(Token((bytes[0], bytes[1], bytes[2])))) {
            try decoder.decode(buffer: &buffer)
        }
    }

    @Test func garbageBytesAreRejectedAsAnUnknownToken() throws {
        var buffer = ByteBuffer(bytes: [0x00, 0xFF, 0x10])
        var decoder = FrameDecoder(accepting: Token.clientTokens)
        #expect(throws: ProtocolError.unknownToken(Token((0x00, 0xFF, 0x10)))) {
            try decoder.decode(buffer: &buffer)
        }
    }

    @Test func agentRejectsAnAgentOnlyToken() throws {
        var buffer = ByteBuffer(bytes: wireBytes([Frame(.output, text: "hi")]))
        var decoder = FrameDecoder(accepting: Token.clientTokens)
        #expect(throws: ProtocolError.unknownToken(.output)) { try decoder.decode(buffer: &buffer) }
    }

    @Test func clientRejectsAClientOnlyToken() throws {
        var buffer = ByteBuffer(bytes: wireBytes([Frame(.command, text: "whoami")]))
        var decoder = FrameDecoder(accepting: Token.agentTokens)
        #expect(throws: ProtocolError.unknownToken(.command)) { try decoder.decode(buffer: &buffer) }
    }

    @Test func unknownTokenReasonMatchesTheDocument() {
        #expect(ProtocolError.unknownToken(Token("XYZ")).description == "unknown token 'XYZ'")
    }

    @Test func nonPrintableBytesAreShownAsTwoHexDigits() {
        #expect(Token((0x41, 0xFF, 0x7F)).description == "A\\xff\\x7f")
        #expect(Token((0x00, 0x05, 0x41)).description == "\\x00\\x05A")
    }
}
