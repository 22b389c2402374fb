// Keeps docs/protocol.md true: the hex of its "Worked example, byte by byte" is copied here
// verbatim, decoded with the side's FrameDecoder into the documented frames and messages, and
// the messages are encoded back to exactly those bytes. If the doc or the codec drifts, this fails.

import DistRunWire
import NIOCore
import Testing

@Suite struct ProtocolDocExampleTests {
    static let clientBytes = hexBytes(
        """
        4f 50 54 00 00 00 09 76 65 72 73 69 6f 6e 3d 31
        4f 50 54 00 00 00 06 73 74 64 65 72 72
        43 4d 44 00 00 00 21
           62 61 73 68 00
           2d 63 00
           65 63 68 6f 20 22 4f 6c 61 20 6d 75 6e 64 6f 22
           3b 20 65 78 69 74 20 33 00
        """)
    static let agentBytes = hexBytes(
        """
        56 45 52 00 00 00 01 31
        4f 55 54 00 00 00 0a 4f 6c 61 20 6d 75 6e 64 6f 0a
        45 58 54 00 00 00 06 65 78 69 74 3d 33
        """)

    @Test func clientFramesOfTheVersion1Example() throws {
        let frames = try decodeStream(chunks(Self.clientBytes, size: 1), accepting: Token.clientTokens)
        let messages = try frames.map(ClientMessage.init)
        let command = ClientMessage.command(["bash", "-c", "echo \"Ola mundo\"; exit 3"])
        #expect(messages == [.option(.version(1)), .option(.stderr), command])
        #expect(wireBytes(messages.map(\.frame)) == Self.clientBytes)
    }

    @Test func agentFramesOfTheVersion1Example() throws {
        let frames = try decodeStream(chunks(Self.agentBytes, size: 1), accepting: Token.agentTokens)
        let messages = try frames.map(AgentMessage.init)
        #expect(messages == [.version(1), .output(ByteBuffer(string: "Ola mundo\n")), .exitStatus(.exited(3))])
        #expect(wireBytes(messages.map(\.frame)) == Self.agentBytes)
    }

    @Test func version0WhoamiExample() throws {
        let client = hexBytes("43 4d 44 00 00 00 06 77 68 6f 61 6d 69")
        let agent = hexBytes("4f 55 54 00 00 00 05 72 6f 6f 74 0a")
        let command = try decodeStream([client[...]], accepting: Token.clientTokens).map(ClientMessage.init)
        let output = try decodeStream([agent[...]], accepting: Token.agentTokens).map(AgentMessage.init)
        #expect(command == [.command(["whoami"])])
        #expect(output == [.output(ByteBuffer(string: "root\n"))])
    }
}
