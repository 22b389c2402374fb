// FrameDecoder and FrameEncoder inside a real NIO pipeline (EmbeddedChannel with
// ByteToMessageHandler and FrameEncoder): frames split across reads come out whole, frames
// written go out in wire form (a large payload as its own buffer, not copied), and protocol
// errors (a bad token, a truncated frame at close) surface through the channel as the
// decoder's ProtocolError.

import DistRunWire
import NIOCore
import NIOEmbedded
import Testing

private func agentSideChannel() throws -> EmbeddedChannel {
    EmbeddedChannel(handlers: [
        ByteToMessageHandler(FrameDecoder(accepting: Token.clientTokens)),
        FrameEncoder(),
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

    @Test func aLargePayloadFollowsItsHeaderWithoutACopy() throws {
        let channel = try agentSideChannel()
        let payload = ByteBuffer(repeating: 0x7A, count: FrameEncoder.separatePayloadBytes)
        try channel.writeOutbound(Frame(.output, payload))
        let header = try #require(try channel.readOutbound(as: ByteBuffer.self))
        let body = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(
            Array(header.readableBytesView) == Array(wireBytes([Frame(.output, payload)]).prefix(Frame.headerBytes)))
        let address = { (buffer: ByteBuffer) in buffer.withUnsafeReadableBytes { $0.baseAddress! } }
        #expect(address(body) == address(payload))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
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
