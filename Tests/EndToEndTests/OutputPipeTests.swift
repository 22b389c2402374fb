// A command's output pipe: one that a command fills (here, while its client pauses reading) is
// enlarged to 1 MiB, so a fast command and the agent wake each other less often; a quiet
// command keeps Linux's default 64 KiB. The command reads its own stdout pipe's size.

import DistRunWire
import DistRunTestSupport
import Foundation
import Testing

@Suite struct OutputPipeTests {
    /// Prints the size of the command's stdout pipe (F_GETPIPE_SZ) on stderr.
    private static let printPipeSize = "python3 -c 'import fcntl, sys; print(fcntl.fcntl(1, 1032), file=sys.stderr)'"

    private func run(_ script: String, pauseSeconds: Double) async throws -> [Frame] {
        let agent = try TestAgent()
        return try await blocking {
            let client = try RawClient(port: agent.port, timeoutSeconds: 20)
            client.send(.option(.version(1)), .option(.stderr), .command(["sh", "-c", script]))
            Thread.sleep(forTimeInterval: pauseSeconds)
            return try client.readAllFrames()
        }
    }

    @Test func aPipeTheCommandFillsIsEnlarged() async throws {
        let frames = try await run("head -c 32000000 /dev/zero; \(Self.printPipeSize)", pauseSeconds: 2)
        #expect(frames.exitStatus == .exited(0), "\(frames.failureReason ?? "no EXT")")
        let output = frames.filter { $0.token == .output }.map(\.payload.readableBytes).reduce(0, +)
        #expect(output == 32_000_000)
        #expect(frames.errorText == "1048576\n")
    }

    @Test func aQuietCommandKeepsTheDefaultPipe() async throws {
        let frames = try await run("echo hello; \(Self.printPipeSize)", pauseSeconds: 0)
        #expect(frames.outputText == "hello\n")
        #expect(frames.errorText == "65536\n")
    }
}
