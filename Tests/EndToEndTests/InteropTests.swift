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
