// How the manager's connections read (SocketReading), over loopback TCP to an agent in this
// process: shared fairly, no piece of output is larger than one 32 KiB read; for throughput,
// reads grow past that once output has piled up. Either way every byte arrives.

import DistRunAgent
import DistRunClient
import Logging
import NIOCore
import NIOPosix
import Testing

struct SocketReadingTests {
    static let outputBytes = 8_000_000

    @Test func sharedFairlyReadsAtMost32KiBAtATime() async throws {
        let pieces = try await outputPieces(reading: .sharedFairly)
        #expect(pieces.reduce(0, +) == Self.outputBytes)
        #expect(pieces.max()! <= 32 << 10)
    }

    @Test func throughputReadsGrowPast32KiB() async throws {
        let pieces = try await outputPieces(reading: .throughput)
        #expect(pieces.reduce(0, +) == Self.outputBytes)
        #expect(pieces.max()! > 32 << 10)
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
        var pieces: [Int] = []
        var final: HostState?
        let deadline = ContinuousClock.now + .seconds(60)
        while final == nil && ContinuousClock.now < deadline {
            for event in manager.events.take(timeoutSeconds: 0.5) {
                switch event {
                case .output(_, _, let bytes): pieces.append(bytes.readableBytes)
                case .stateChanged(_, let state) where state.isFinal: final = state
                default: break
                }
            }
        }
        #expect(final == .exited(.exited(0)))
        try await agent.close()
        return pieces
    }
}
