// Dropped links with kept sessions, through the fault proxy: `distrun --keep` and the dashboard
// reconnect and resume, so the output is byte-identical to the command's; when the agent's
// replay buffer is too small the loss reported is exactly the bytes missing; a host whose agent
// dies shows lost, then failed after its retries, while the others finish.

import Foundation
import Testing

/// `seq 1 N` as bytes: what the commands below print.
private func sequence(_ count: Int) -> [UInt8] { Array((1...count).map { "\($0)\n" }.joined().utf8) }

@Suite struct ReconnectTests {
    @Test func aCutLinkIsResumedAndTheOutputIsByteIdentical() throws {
        let agent = try TestAgent()
        let proxy = try FaultProxy(agentPort: agent.port)
        proxy.cut(afterAgentBytes: 200_000)
        let scratch = try Scratch()
        let hosts = try scratch.write("h.conf", proxy.hostsLine(name: "far") + "\n")
        let outdir = scratch.url.appendingPathComponent("out")
        let client = try ChildProcess(
            Products.path("distrun"),
            ["--insecure-no-auth", "--keep", "-H", hosts, "--outdir", outdir.path, "--", "seq", "1", "300000"])
        // Only the first connection is cut: the resumed one must carry the rest.
        try ChildProcess.waitUntil("the first connection to be cut") { client.stderr.contains("lost (") }
        proxy.cut(afterAgentBytes: Int.max)
        #expect(try client.waitForExit() == 0)
        #expect(client.stderr.contains("far: lost (connection closed"))
        #expect(client.stderr.contains("retrying in"))
        let received = try Data(contentsOf: outdir.appendingPathComponent("far.out"))
        #expect(Array(received) == sequence(300_000))
    }

    @Test func whenTheReplayBufferIsTooSmallTheLossReportedIsTheRealGap() throws {
        let agent = try TestAgent(extraArguments: ["--replay-bytes", "1000"])
        let proxy = try FaultProxy(agentPort: agent.port)
        proxy.cut(afterAgentBytes: 50_000)
        let scratch = try Scratch()
        let hosts = try scratch.write("h.conf", proxy.hostsLine(name: "far") + "\n")
        let record = scratch.url.appendingPathComponent("run.jsonl").path
        let outdir = scratch.url.appendingPathComponent("out")
        let client = try ChildProcess(
            Products.path("distrun"),
            [
                "--insecure-no-auth", "--keep", "-H", hosts, "--outdir", outdir.path, "--record", record, "--",
                "seq", "1", "300000",
            ])
        try ChildProcess.waitUntil("the first connection to be cut") { client.stderr.contains("lost (") }
        proxy.cut(afterAgentBytes: Int.max)
        #expect(try client.waitForExit() == 0)
        let line = try #require(client.stderr.split(separator: "\n").first { $0.contains("bytes of output lost") })
        let lost = try #require(Int(line.split(separator: " ")[2]), "no count in '\(line)'")
        let expected = sequence(300_000)
        let received = Array(try Data(contentsOf: outdir.appendingPathComponent("far.out")))
        // What arrived is the start of the output, then (after exactly `lost` bytes) its end.
        let kept = zip(received, expected).prefix { $0 == $1 }.count
        #expect(lost > 0)
        #expect(received.count + lost == expected.count)
        #expect(Array(received[kept...]) == Array(expected[(kept + lost)...]))
        #expect(try String(contentsOfFile: record, encoding: .utf8).contains("\"bytes_lost\":\(lost)"))
    }

    @Test func aKilledAgentsHostIsLostThenFailedWhileTheOthersFinish() throws {
        let agents = try (0..<10).map { _ in try TestAgent() }
        let scratch = try Scratch()
        let hosts = try scratch.write(
            "h.conf", agents.enumerated().map { $1.hostsLine(name: "h\($0)") }.joined(separator: "\n") + "\n")
        let client = try ChildProcess(
            Products.path("distrun"),
            [
                "--insecure-no-auth", "--keep", "--retries", "2", "-H", hosts, "--", "bash", "-c",
                "for i in $(seq 1 30); do echo line-$i; sleep 0.1; done",
            ])
        try client.waitForStdout(containing: "h3:")
        agents[3].child.kill(SIGKILL)
        #expect(try client.waitForExit(seconds: 30) == 2)
        #expect(client.stderr.contains("h3: lost (connection closed before the exit status arrived), retrying in"))
        #expect(
            client.stderr.contains("lost: connection lost; 2 reconnect attempts failed, the last: connection refused"))
        #expect(client.stderr.contains("failed hosts: h3"))
        for host in 0..<10 where host != 3 {
            #expect(client.stdout.contains("h\(host): line-30\n"), "h\(host) finished")
        }
    }

    @Test func theDashboardShowsALostHostRetryingThenResumesIt() throws {
        let agent = try TestAgent()
        let proxy = try FaultProxy(agentPort: agent.port)
        let scratch = try Scratch()
        let hosts = try scratch.write("h.conf", proxy.hostsLine(name: "far") + "\n")
        let tmux = try TmuxSession(
            command: TmuxSession.dashboard(
                "--insecure-no-auth --no-pty -H '\(hosts)' -- bash -c 'for i in $(seq 1 600); do echo tick-$i; sleep 0.05; done'"
            ))
        try tmux.waitFor(text: "1 running")
        proxy.set(.stall)
        proxy.cut()
        try tmux.waitFor("the host lost and retrying") { $0.contains("lost, retrying in") }
        let lostAt = tick(in: tmux.screen())
        proxy.set(.passThrough)
        try tmux.waitFor("the session resumed and streaming", seconds: 40) {
            $0.contains("1 running") && tick(in: $0) > lostAt + 20
        }
        // Everything missed was replayed: no tick is missing from the pane's scrollback.
        #expect(!tmux.screen().contains("bytes of output lost"))
    }

    @Test func quittingTheDashboardEndsItsKeptSessionsAtOnce() throws {
        let agent = try TestAgent()
        let marker = "\(UInt32.random(in: 1...UInt32.max))"
        let scratch = try Scratch()
        let hosts = try scratch.write("h.conf", agent.hostsLine(name: "far") + "\n")
        let tmux = try TmuxSession(
            command: TmuxSession.dashboard("--insecure-no-auth -H '\(hosts)' -- bash -c 'sleep $((9\(marker)))'"))
        try tmux.waitFor(text: "1 running")
        // (The tmux command line holds "$((9…))", so only the agent's command matches.)
        #expect(!processes(matching: "sleep 9\(marker)").isEmpty)
        try tmux.press("C-]", "q")
        try tmux.waitFor(text: "still running. Quit")
        try tmux.press("y")
        try tmux.waitFor(text: "DISTRUN-EXIT=0")
        // BYE reached the agent: the command does not wait out the ten-minute grace period.
        try ChildProcess.waitUntil("the kept command to end", seconds: 10) {
            processes(matching: "sleep 9\(marker)").isEmpty
        }
    }
}

/// The highest `tick-N` on the screen.
private func tick(in screen: String) -> Int {
    screen.components(separatedBy: "tick-").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }.max() ?? 0
}
