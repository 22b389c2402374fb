// Interrupting a run, and what a run leaves behind for tools and reruns.

import Foundation
import Testing

@Suite struct RunRecordTests {
    @Test func controlCEndsTheRemoteCommandsButPrintsTheOutputAndSummary() throws {
        let agent = try TestAgent()
        let scratch = try Scratch()
        let hosts = try scratch.write(
            "h.conf", (1...5).map { agent.hostsLine(name: "w\($0)") }.joined(separator: "\n") + "\n")
        let marker = "3\(Int.random(in: 100_000...999_999)).5"
        let client = try ChildProcess(
            Products.path("distrun"),
            ["--insecure-no-auth", "-H", hosts, "--", "bash", "-c", "echo started; sleep \(marker)"])
        try ChildProcess.waitUntil("five started lines") { client.stdout.components(separatedBy: "started").count == 6 }
        client.kill(SIGINT)
        #expect(try client.waitForExit() == 130)
        #expect(client.stderr.contains("5 hosts: 0 ok"))
        #expect(client.stderr.components(separatedBy: "cancelled: interrupted").count == 6)
        try ChildProcess.waitUntil("the remote sleeps to end") { processes(matching: "sleep \(marker)").isEmpty }
    }

    @Test func recordAndFailedDescribeTheRunAndRerunOnlyTheFailures() throws {
        let agent = try TestAgent()
        let scratch = try Scratch()
        let hosts = try scratch.write(
            "h.conf", "\(agent.hostsLine(name: "good"))\n\(agent.hostsLine(name: "other"))\n127.0.0.1:1 gone\n")
        let record = scratch.url.appendingPathComponent("run.jsonl").path
        let failed = scratch.url.appendingPathComponent("failed.conf").path
        let first = try ChildProcess(
            Products.path("distrun"),
            [
                "--insecure-no-auth", "-H", hosts, "--record", record, "--failed", failed, "--",
                "bash", "-c", "echo out; echo err >&2",
            ])
        _ = try first.waitForExit()
        let lines = try String(contentsOfFile: record, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        let gone = try #require(lines.first { $0.contains("\"host\":\"gone\"") })
        #expect(gone.contains("\"unreachable\":true") && gone.contains("\"status\":\"unreachable\""))
        let good = try #require(lines.first { $0.contains("\"host\":\"good\"") })
        #expect(good.contains("\"exit_code\":0") && good.contains("\"bytes_out\":8"))
        #expect(try String(contentsOfFile: failed, encoding: .utf8) == "127.0.0.1:1 gone\n", "only the failure")
        let rerun = try ChildProcess(Products.path("distrun"), ["--insecure-no-auth", "-H", failed, "--", "true"])
        #expect(try rerun.waitForExit() == 2)
        #expect(rerun.stderr.contains("1 hosts") && rerun.stderr.contains("gone"))
    }
}

@Suite struct DeadHostTests {
    @Test func aHostThatAcceptsButNeverAnswersTimesOutWhileTheOthersFinish() throws {
        let agent = try TestAgent()
        let blackhole = try ListeningSocketThatNeverAccepts()
        let scratch = try Scratch()
        let hosts = try scratch.write(
            "h.conf", "\(agent.hostsLine(name: "alive"))\n127.0.0.1:\(blackhole.port) stalled\n")
        let started = Date()
        let client = try ChildProcess(
            Products.path("distrun"),
            ["--insecure-no-auth", "--connect-timeout", "1", "-H", hosts, "--", "echo", "done"])
        #expect(try client.waitForExit() == 2)
        #expect(Date().timeIntervalSince(started) < 1 + 2, "within the connect timeout + 2 s")
        #expect(client.stdout == "alive:   done\n")
        #expect(client.stderr.contains("timed out: no answer from the agent within 1 s"))
    }
}

/// A loopback port whose connections complete (the kernel's backlog) but get no answer: a
/// stalled or blackholed agent.
final class ListeningSocketThatNeverAccepts {
    let fd: CInt
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound, listen(fd, 16) == 0 else { throw TimedOut(description: "cannot listen: errno \(errno)") }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}

@Suite struct ScaleTests {
    @Test func aThousandHostsOnOneAgentAllReportTheirOutputAndStatus() throws {
        let agent = try TestAgent()
        let scratch = try Scratch()
        let hosts = try scratch.write(
            "h.conf", (1...1000).map { agent.hostsLine(name: "h\($0)") }.joined(separator: "\n") + "\n")
        let client = try ChildProcess(
            Products.path("distrun"),
            ["--insecure-no-auth", "--connect-timeout", "30", "-H", hosts, "--", "echo", "hi"])
        #expect(try client.waitForExit(seconds: 60) == 0, "\(client.stderr.suffix(500))")
        let lines = client.stdout.split(separator: "\n")
        #expect(lines.count == 1000, "\(lines.count) lines; last: \(lines.suffix(2))")
        #expect(lines.allSatisfy { $0.hasSuffix(" hi") && $0.contains(":") })
        #expect(client.stderr.contains("1000 hosts: 1000 ok"))
    }
}
