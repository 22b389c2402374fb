// When a client goes away, nothing of its command may stay running on the agent.

import Foundation
import Testing

@Suite struct ProcessCleanupTests {
    @Test func killingTheClientEndsTheCommandsWholeProcessGroup() throws {
        let agent = try TestAgent()
        let scratch = try Scratch()
        let hosts = try scratch.write("h.conf", agent.hostsLine(name: "a") + "\n")
        // A unique sleep length marks this test's processes; one runs in the background.
        let marker = "1000\(Int.random(in: 100_000...999_999))"
        let client = try ChildProcess(
            Products.path("distrun"),
            ["--insecure-no-auth", "-H", hosts, "--", "bash", "-c", "sleep \(marker) & echo started; sleep \(marker)"])
        try client.waitForStdout(containing: "started")
        #expect(processes(matching: "sleep \(marker)").count >= 2, "two sleeps (and bash) are running")
        client.kill(SIGKILL)
        try ChildProcess.waitUntil("the command's processes to end", seconds: 10) {
            processes(matching: "sleep \(marker)").isEmpty
        }
    }

    @Test func theAgentReapsItsChildren() throws {
        let agent = try TestAgent()
        let client = try RawClient(port: agent.port)
        client.send(.option(.version(1)), .command(["true"]))
        _ = try client.readAllFrames()
        try ChildProcess.waitUntil("no zombie children of the agent") {
            zombieChildren(of: agent.child.process.processIdentifier).isEmpty
        }
    }
}

/// Children of `pid` in state Z, from /proc.
func zombieChildren(of pid: Int32) -> [Int32] {
    processes(matching: "").filter { child in
        guard let stat = try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
        return fields.count > 1 && fields[0] == "Z" && Int32(fields[1]) == pid
    }
}
