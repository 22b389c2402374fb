// A client written by someone else from docs/protocol.md alone (Tests/Interop/legacy_client.py),
// speaking only the original design's tokens, must work against the agent.

import Foundation
import Testing

@Suite struct InteropTests {
    @Test func aLegacyClientFromTheDocRunsWhoami() throws {
        let agent = try TestAgent()
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Interop/legacy_client.py")
        let client = try ChildProcess(
            "/usr/bin/env", ["python3", script.path, "127.0.0.1", String(agent.port), "whoami"])
        #expect(try client.waitForExit() == 0)
        #expect(client.stdout == NSUserName() + "\n")
    }
}

@Suite struct ResumeInteropTests {
    /// Tests/Interop/resume_client.py was written from docs/protocol.md alone (version 4): it drops
    /// the link after 5,000 bytes, resumes, and must get exactly `seq`'s output and its status.
    @Test func aKeptSessionClientFromTheDocResumesByteIdentical() throws {
        let agent = try TestAgent()
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Interop/resume_client.py")
        let client = try ChildProcess(
            "/usr/bin/env",
            ["python3", script.path, "127.0.0.1", String(agent.port), "5000", "--", "seq", "1", "100000"])
        #expect(try client.waitForExit() == 0, "\(client.stderr)")
        #expect(client.stdout == (1...100_000).map { "\($0)\n" }.joined())
        #expect(client.stderr.contains("EXT exit=0"))
    }
}
