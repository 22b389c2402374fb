// The agent's deadlines on slow clients: FrameDeadlineTracker with a manual clock (frame
// boundaries found at every chunk size, an incomplete frame expiring, the command deadline,
// paused reading), and FrameDeadlineHandler in an EmbeddedChannel whose clock the test moves:
// bytes pass through untouched, and at the deadline the client gets `BAD` and the channel
// closes. The linger before the close and paused reading need a real socket (EndToEndTests).

@testable import DistRunAgent
import DistRunWire
import Logging
import NIOCore
import NIOEmbedded
import Testing

private let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

private func wire(_ messages: [ClientMessage]) -> ByteBuffer {
    var buffer = ByteBuffer()
    for message in messages { buffer.writeFrame(message.frame) }
    return buffer
}

private func tracker(frame: Int64 = 30, command: Int64 = 10) -> FrameDeadlineTracker {
    FrameDeadlineTracker(frameTimeout: .seconds(frame), commandTimeout: .seconds(command), connectedAt: start)
}

@Suite struct FrameDeadlineTrackerTests {
    @Test(arguments: [1, 2, 3, 6, 7, 8, 13, 64, 4096])
    func wholeFramesAtAnyChunkSizeLeaveNoFrameOpenAndCountTheCommand(chunkSize: Int) {
        var tracker = tracker()
        var bytes = wire([
            .option(.version(3)), .option(.stdin), .command(["cat"]), .input(ByteBuffer(string: "hello")), .endOfInput,
        ])
        while let chunk = bytes.readSlice(length: min(chunkSize, bytes.readableBytes)), chunk.readableBytes > 0 {
            tracker.received(chunk, at: start)
        }
        #expect(tracker.frameStartedAt == nil)
        #expect(tracker.nextDeadline == nil, "no frame open and the command has come")
        #expect(tracker.expiry(at: start + .hours(1)) == nil)
    }

    @Test func anIncompleteFrameExpiresAtTheFrameTimeoutFromItsFirstByte() {
        var tracker = tracker(frame: 2)
        tracker.received(wire([.command(["true"])]), at: start)
        var input = wire([.input(ByteBuffer(string: "0123456789"))])
        tracker.received(input.readSlice(length: 9)!, at: start + .seconds(5))
        #expect(tracker.nextDeadline == start + .seconds(7))
        tracker.received(input.readSlice(length: 1)!, at: start + .seconds(6))  // a trickle does not help
        #expect(tracker.expiry(at: start + .milliseconds(6999)) == nil)
        let expiry = tracker.expiry(at: start + .seconds(7))
        #expect(expiry == .frame(token: .input, receivedBytes: 10, frameBytes: 17, timeout: .seconds(2)))
        #expect(
            expiry?.description
                == "frame deadline passed: a frame must arrive whole within 2 s of its first byte "
                + "(INP frame: 10 of 17 bytes came)")
    }

    @Test func aTrickledHeaderExpiresToo() {
        var tracker = tracker(frame: 1)
        tracker.received(ByteBuffer(string: "CMD\0"), at: start)
        #expect(
            tracker.expiry(at: start + .seconds(1))
                == .frame(token: nil, receivedBytes: 4, frameBytes: nil, timeout: .seconds(1)))
    }

    @Test func noCommandWithinTheCommandTimeoutExpires() {
        var tracker = tracker(command: 10)
        tracker.received(wire([.option(.version(3))]), at: start + .seconds(1))
        #expect(tracker.nextDeadline == start + .seconds(10))
        #expect(tracker.expiry(at: start + .milliseconds(9999)) == nil)
        let expiry = tracker.expiry(at: start + .seconds(10))
        #expect(expiry == .command(timeout: .seconds(10)))
        #expect(expiry?.description == "command deadline passed: no CMD frame (or resume) within 10 s of connecting")
    }

    @Test func pausedReadingRestartsAnIncompleteFramesClock() {
        var tracker = tracker(frame: 2)
        tracker.received(wire([.command(["cat"])]), at: start)
        tracker.received(ByteBuffer(string: "INP\0\0\0\u{10}abc"), at: start)
        tracker.readingPaused(at: start + .seconds(2))
        #expect(tracker.expiry(at: start + .seconds(3)) == nil)
        #expect(tracker.nextDeadline == start + .seconds(4))
    }

    @Test func anEmptyFrameEndsWithItsHeader() {
        var tracker = tracker()
        tracker.received(wire([.command(["cat"]), .endOfInput]), at: start)
        #expect(tracker.frameStartedAt == nil)
    }
}

@Suite struct FrameDeadlineHandlerTests {
    private func channel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(
            FrameDeadlineHandler(
                frameTimeout: .seconds(2), commandTimeout: .seconds(10), failureLinger: .seconds(1),
                logger: Logger(label: "test")))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    private func sentFrames(_ channel: EmbeddedChannel) throws -> [Frame] {
        var bytes = ByteBuffer()
        while var buffer = try channel.readOutbound(as: ByteBuffer.self) { bytes.writeBuffer(&buffer) }
        var decoder = FrameDecoder(accepting: Token.agentTokens)
        var frames: [Frame] = []
        while let frame = try decoder.decode(buffer: &bytes) { frames.append(frame) }
        return frames
    }

    @Test func bytesPassThroughUntouchedAndTimelyFramesKeepTheConnection() throws {
        let channel = try channel()
        let bytes = wire([.option(.version(3)), .command(["cat"])])
        try channel.writeInbound(bytes)
        #expect(try channel.readInbound(as: ByteBuffer.self) == bytes)
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(channel.isActive)
        #expect(try sentFrames(channel).isEmpty)
        _ = try channel.finish()
    }

    @Test func aTricklingClientGetsBadAtTheFrameDeadlineAndIsClosed() throws {
        let channel = try channel()
        try channel.writeInbound(wire([.option(.version(3))]))
        try channel.writeInbound(ByteBuffer(string: "CMD\0\0\0\u{20}ba"))
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        try channel.writeInbound(ByteBuffer(string: "s"))
        #expect(try sentFrames(channel).isEmpty)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        let frames = try sentFrames(channel)
        #expect(frames.map(\.token) == [.failure])
        #expect(frames.first?.text.hasPrefix("frame deadline passed: a frame must arrive whole within 2 s") == true)
        #expect(frames.first?.text.hasSuffix("(CMD frame: 10 of 39 bytes came)") == true)
        #expect(!channel.isActive)  // EmbeddedChannel closes at once; a real one lingers first
    }

    @Test func aClientThatNeverSendsItsCommandGetsBadAtTheCommandDeadline() throws {
        let channel = try channel()
        try channel.writeInbound(wire([.option(.version(3))]))
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(9999))
        #expect(try sentFrames(channel).isEmpty)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(
            try sentFrames(channel).map(\.text) == [
                "command deadline passed: no CMD frame (or resume) within 10 s of connecting"
            ])
    }
}
