// How the manager's connections read (SocketReading), over loopback TCP to an agent in this
// process: shared fairly, no piece of output is larger than one 32 KiB read; for throughput,
// reads grow past that once output has piled up. Either way every byte arrives.

import DistRunAgent
import DistRunClient
import DistRunTestSupport
import Logging
import NIOCore
import NIOPosix
import Testing

struct SocketReadingTests {
    static let outputBytes = 8_000_000

    @Test func sharedFairlyReadsAtMost32KiBAtATime() async throws {
        let pieces = try await outputPieces(reading: .sharedFairly)
        #expect(pieces.reduce(0, +) == Self.outputBytes)
        #expect((pieces.max() ?? 0) <= 32 << 10 && !pieces.isEmpty)
    }

    @Test func throughputReadsGrowPast32KiB() async throws {
        let pieces = try await outputPieces(reading: .throughput)
        #expect(pieces.reduce(0, +) == Self.outputBytes)
        #expect((pieces.max() ?? 0) > 32 << 10)
    }

    /// The sizes of the output events of `head -c outputBytes /dev/zero`, taken only after half a
    /// second, so that output piles up in the socket (a paused connection) before it is read.
    private func outputPieces(reading: SocketReading) async throws -> [Int] {
        let agent = try await AgentServer.start(
            AgentConfiguration(port: 0), group: MultiThreadedEventLoopGroup.singleton,
            logger: Logger(label: "test-agent"))
        let host = HostEndpoint(host: "127.0.0.1", port: agent.localAddress.port!)
        let manager = ConnectionManager(
            hosts: [host], job: JobSpec(argv: ["head", "-c", "\(Self.outputBytes)", "/dev/zero"]),
            security: .insecureNoAuth, reading: reading)
        manager.start()
        try await Task.sleep(for: .milliseconds(500))
        let (pieces, final) = try await blocking { Self.takeUntilFinal(manager.events) }
        #expect(final == .exited(.exited(0)))
        try await agent.close()
        return pieces
    }

    /// The sizes of the output events, and the final state (nil if none came within 60 s).
    private static func takeUntilFinal(_ events: HostEventQueue) -> ([Int], HostState?) {
        var pieces: [Int] = []
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            for event in events.take(timeoutSeconds: 0.5) {
                switch event {
                case .output(_, _, let bytes): pieces.append(bytes.readableBytes)
                case .stateChanged(_, let state) where state.isFinal: return (pieces, state)
                default: break
                }
            }
        }
        return (pieces, nil)
    }
}
