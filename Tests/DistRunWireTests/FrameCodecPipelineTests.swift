// FrameDecoder and FrameEncoder inside a real NIO pipeline (EmbeddedChannel with
// ByteToMessageHandler and MessageToByteHandler): frames split across reads come out whole,
// frames written go out in wire form, and protocol errors (a bad token, a truncated frame at
// close) surface through the channel as the decoder's ProtocolError.

import DistRunWire
import NIOCore
import NIOEmbedded
import Testing

private func agentSideChannel() throws -> EmbeddedChannel {
    EmbeddedChannel(handlers: [
        ByteToMessageHandler(FrameDecoder(accepting: Token.clientTokens)),
        MessageToByteHandler(FrameEncoder()),
    ])
}

@Suite struct FrameCodecPipelineTests {
    @Test func framesSplitAcrossReadsArriveWhole() throws {
        let channel = try agentSideChannel()
        let sent: [Frame] = [
            ClientMessage.option(.stdin).frame, ClientMessage.command(["cat"]).frame,
            Frame(.input, text: "hello\n"), Frame(.endOfInput),
        ]
        for piece in chunks(wireBytes(sent), size: 5) {
            try channel.writeInbound(ByteBuffer(bytes: piece))
        }
        var received: [Frame] = []
        while let frame = try channel.readInbound(as: Frame.self) { received.append(frame) }
        #expect(received == sent)
        #expect(try channel.finish().isClean)
    }

    @Test func writtenFramesGoOutInWireForm() throws {
        let channel = try agentSideChannel()
        let reply: [Frame] = [AgentMessage.version(1).frame, AgentMessage.exitStatus(.exited(0)).frame]
        for frame in reply { try channel.writeOutbound(frame) }
        var written: [UInt8] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { written += buffer.readableBytesView }
        #expect(written == wireBytes(reply))
        #expect(written.prefix(8) == [0x56, 0x45, 0x52, 0, 0, 0, 1, 0x31])  // VER len=1 "1"
        _ = try channel.finish()
    }

    @Test func badTokenSurfacesAsProtocolError() throws {
        let channel = try agentSideChannel()
        #expect(throws: ProtocolError.unknownToken(.output)) {
            try channel.writeInbound(ByteBuffer(bytes: wireBytes([Frame(.output, text: "x")])))
        }
        _ = try? channel.finish()
    }

    @Test func closingInsideAFrameSurfacesAsTruncatedFrame() throws {
        let channel = try agentSideChannel()
        try channel.writeInbound(ByteBuffer(bytes: wireBytes([Frame(.input, text: "hello")]).prefix(9)))
        #expect(try channel.readInbound(as: Frame.self) == nil)
        #expect(throws: ProtocolError.truncatedFrame(expectedBytes: 12, receivedBytes: 9)) {
            try channel.finish()
        }
    }
}
