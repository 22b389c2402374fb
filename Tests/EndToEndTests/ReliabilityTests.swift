// `distrun` under load and under faults, end to end: real agents, real commands, loopback TCP,
// and a FaultProxy where the network has to misbehave. Large streams arrive byte for byte
// (SHA-256 of what `--outdir` wrote against the generator's), and so do frames split into
// tiny pieces both ways; a killed agent, a cut connection and a blackholed host each fail only
// their own host, by name, while the others finish; a Ctrl-C in a 50-host run still prints
// what arrived and the summary.
//
// Serialized: the streams load both cores, and the other tests here measure time. Waits run off
// the test thread pool (`blocking`), so other suites' tests keep running meanwhile.

import DistRunTestSupport
import Foundation
import Testing

/// Numbered lines cut to `bytes`: every line is different, so a lost, repeated or reordered
/// piece changes the hash (a stream of zeros would hide reordering). `seq` is cheap enough that
/// the agent and the client, not the generator, set the pace.
private func numberedLines(bytes: Int) -> String { "seq 1 999999999 | head -c \(bytes)" }

/// SHA-256 of `numberedLines(bytes: 1 << 30)`, computed once with `sha256sum` (making it in
/// the test would cost another gibibyte through a pipe and a hash, on two cores).
private let numberedGibibyteSHA256 = "5d4406b85df2402c69b2d17c415f342960e73bc32a2385730f19e023b1900ca9"

/// `sha256sum`'s hashes of `files`, in order.
private func sha256(_ files: [String]) async throws -> [String] {
    let (code, output) = try await blocking { try spawnAndWait(["/usr/bin/env", "sha256sum", "--"] + files) }
    guard code == 0 else { throw TimedOut(description: "sha256sum failed: \(output)") }
    return output.split(separator: "\n").map { String($0.prefix(64)) }
}

/// What `bash -c SCRIPT` prints.
private func shell(_ script: String) async throws -> String {
    try await blocking { try spawnAndWait(["/bin/bash", "--norc", "-c", script]).1 }
}

/// Runs `distrun --insecure-no-auth ARGUMENTS` in `scratch`, waits for it to exit, and says
/// how long it ran (timed on the waiting thread: resuming the test may take longer).
private func distrun(_ arguments: [String], in scratch: Scratch, seconds: Double = 30) async throws -> (
    run: ChildProcess, seconds: Double
) {
    try await blocking {
        let started = Date()
        let child = try ChildProcess(
            Products.path("distrun"), ["--insecure-no-auth"] + arguments, currentDirectory: scratch.url)
        child.closeStdin()
        try child.waitForExit(seconds: seconds)
        return (child, Date().timeIntervalSince(started))
    }
}

/// `name: text` lines of `host`, without the prefix.
private func lines(of host: String, in output: String) -> [String] {
    output.split(separator: "\n").compactMap { line in
        guard line.hasPrefix(host + ":") else { return nil }
        return line.dropFirst(host.count + 1).trimmingCharacters(in: .whitespaces)
    }
}

@Suite(.serialized) struct ReliabilityTests {
    let scratch: Scratch

    init() throws { scratch = try Scratch() }

    @Test(.timeLimit(.minutes(2))) func aGibibyteFromOneHostArrivesIntact() async throws {
        let agent = try TestAgent()
        let hosts = try scratch.write("h.conf", agent.hostsLine(name: "big") + "\n")
        let (run, seconds) = try await distrun(
            ["-H", hosts, "--outdir", "out", "--", "bash", "--norc", "-c", numberedLines(bytes: 1 << 30)],
            in: scratch, seconds: 110)
        #expect(run.process.terminationStatus == 0, "\(run.stderr)")
        let file = scratch.url.appendingPathComponent("out/big.out").path
        let size = try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int
        #expect(size == 1 << 30)
        #expect(try await sha256([file]) == [numberedGibibyteSHA256])
        print("1 GiB from one host in \(String(format: "%.1f", seconds)) s")
    }

    @Test(.timeLimit(.minutes(2))) func fiftyHostsOfTwentyMegabytesEachArriveIntact() async throws {
        let agents = try (0..<5).map { _ in try TestAgent() }
        let names = (1...50).map { "h\($0)" }
        let hosts = try scratch.write(
            "h.conf",
            names.enumerated().map { agents[$0.offset % 5].hostsLine(name: $0.element) }.joined(separator: "\n"))
        let generator = numberedLines(bytes: 20_000_000)
        let expected = try await shell(generator + " | sha256sum")
        let (run, seconds) = try await distrun(
            ["-H", hosts, "--outdir", "out", "--", "bash", "--norc", "-c", generator], in: scratch, seconds: 110)
        #expect(run.process.terminationStatus == 0, "\(run.stderr.suffix(500))")
        #expect(run.stderr.contains("50 hosts: 50 ok"))
        let files = names.map { scratch.url.appendingPathComponent("out/\($0).out").path }
        let hashes = try await sha256(files)
        #expect(hashes.count == 50)
        for (name, hash) in zip(names, hashes) { #expect(hash == String(expected.prefix(64)), "\(name)") }
        print("50 hosts x 20 MB in \(String(format: "%.1f", seconds)) s")
    }

    @Test func killingOneAgentMidStreamLosesThatHostOnlyAndTheRunSaysSo() async throws {
        let agents = try (0..<10).map { _ in try TestAgent() }
        let names = (1...10).map { "h\($0)" }
        let hosts = try scratch.write(
            "h.conf", zip(agents, names).map { $0.hostsLine(name: $1) }.joined(separator: "\n") + "\n")
        let child = try ChildProcess(
            Products.path("distrun"),
            [
                "--insecure-no-auth", "-H", hosts, "--", "bash", "--norc", "-c",
                "for i in $(seq 1 40); do echo line-$i; sleep 0.05; done",
            ])
        try await blocking {
            try ChildProcess.waitUntil("every host streaming") {
                names.allSatisfy { lines(of: $0, in: child.stdout).contains("line-2") }
            }
        }
        agents[3].child.kill(SIGKILL)
        #expect(try await blocking { try child.waitForExit() } == 2)
        let summary = child.stderr
        #expect(summary.contains("10 hosts: 9 ok, 0 command failed, 1 host failed"), "\(summary)")
        #expect(summary.contains("failed hosts: h4\n"))
        let line = summary.split(separator: "\n").first { $0.hasPrefix("  h4 ") }
        #expect(line?.contains("lost: connection closed before the exit status arrived") == true, "\(summary)")
        for name in names where name != "h4" {
            #expect(lines(of: name, in: child.stdout) == (1...40).map { "line-\($0)" }, "\(name)")
        }
    }

    @Test func aBlackholedHostTimesOutWithinTheConnectTimeoutWhileTheOthersFinish() async throws {
        let agent = try TestAgent()
        let proxy = try FaultProxy(agentPort: agent.port)
        proxy.set(.stall)
        let hosts = try scratch.write(
            "h.conf",
            (1...3).map { agent.hostsLine(name: "ok\($0)") }.joined(separator: "\n") + "\n"
                + proxy.hostsLine(name: "hole") + "\n")
        let (run, seconds) = try await distrun(
            ["--connect-timeout", "1", "-H", hosts, "--", "echo", "done"], in: scratch)
        #expect(run.process.terminationStatus == 2)
        #expect(seconds < 1 + 2, "reported after \(seconds) s")
        for name in ["ok1", "ok2", "ok3"] { #expect(lines(of: name, in: run.stdout) == ["done"]) }
        #expect(proxy.connectionCount == 1, "the proxy accepted the connection and held it")
        #expect(run.stderr.contains("timed out: no answer from the agent within 1 s"), "\(run.stderr)")
        #expect(run.stderr.contains("failed hosts: hole\n"))
    }

    @Test func aConnectionCutMidStreamIsLostWithTheBytesBeforeTheCutIntact() async throws {
        let agent = try TestAgent()
        let proxy = try FaultProxy(agentPort: agent.port)
        proxy.cut(afterAgentBytes: 300_000)
        let hosts = try scratch.write(
            "h.conf", agent.hostsLine(name: "direct") + "\n" + proxy.hostsLine(name: "cut") + "\n")
        let generator = numberedLines(bytes: 4_000_000)
        let (run, _) = try await distrun(
            ["-H", hosts, "--outdir", "out", "--", "bash", "--norc", "-c", generator], in: scratch)
        #expect(run.process.terminationStatus == 2)
        let line = run.stderr.split(separator: "\n").first { $0.hasPrefix("  cut ") }
        #expect(line?.contains("lost: connection closed before the exit status arrived") == true, "\(run.stderr)")
        #expect(run.stderr.contains("failed hosts: cut\n"))
        let expected = try await shell(generator)
        let direct = try Data(contentsOf: scratch.url.appendingPathComponent("out/direct.out"))
        let cut = try Data(contentsOf: scratch.url.appendingPathComponent("out/cut.out"))
        #expect(direct == Data(expected.utf8))
        #expect(cut.count > 150_000 && cut.count < 300_000, "what came before the cut, less a partial frame")
        #expect(Data(expected.utf8).prefix(cut.count) == cut, "a prefix of the stream, nothing garbled")
    }

    @Test func aConnectionCutWhileTheCommandWaitsIsLostAndTheAgentEndsTheCommand() async throws {
        let agent = try TestAgent()
        let proxy = try FaultProxy(agentPort: agent.port)
        let hosts = try scratch.write("h.conf", proxy.hostsLine(name: "far") + "\n")
        let marker = "7\(Int.random(in: 100_000...999_999)).5"
        let child = try ChildProcess(
            Products.path("distrun"),
            ["--insecure-no-auth", "-H", hosts, "--", "bash", "--norc", "-c", "echo started; sleep \(marker)"])
        try await blocking { try child.waitForStdout(containing: "started") }
        proxy.cut()
        #expect(try await blocking { try child.waitForExit() } == 2)
        #expect(child.stderr.contains("far  "), "\(child.stderr)")
        #expect(child.stderr.contains("lost: connection closed before the exit status arrived"), "\(child.stderr)")
        try await blocking {
            try ChildProcess.waitUntil("the remote sleep to end") { processes(matching: "sleep \(marker)").isEmpty }
        }
    }

    @Test func framesSplitIntoTinyPiecesBothWaysArriveIntact() async throws {
        let agent = try TestAgent()
        let proxy = try FaultProxy(agentPort: agent.port)
        proxy.set(.chunked(bytes: 5, delayMicroseconds: 50))
        let hosts = try scratch.write(
            "h.conf", proxy.hostsLine(name: "split") + "\n" + agent.hostsLine(name: "whole") + "\n")
        let input = (1...1500).map { "input line \($0)\n" }.joined()
        let child = try ChildProcess(
            Products.path("distrun"), ["--insecure-no-auth", "-t", "-H", hosts, "--", "cat"],
            currentDirectory: scratch.url)
        child.writeStdin(input)
        child.closeStdin()
        #expect(try await blocking { try child.waitForExit() } == 0, "\(child.stderr)")
        let sent = input.split(separator: "\n").map(String.init)
        #expect(lines(of: "split", in: child.stdout) == sent)
        #expect(lines(of: "whole", in: child.stdout) == sent)
    }

    @Test func controlCDuringAFiftyHostRunPrintsThePartialOutputAndTheSummary() async throws {
        let agent = try TestAgent()
        let names = (1...50).map { "w\($0)" }
        let hosts = try scratch.write("h.conf", names.map { agent.hostsLine(name: $0) }.joined(separator: "\n") + "\n")
        let marker = "6\(Int.random(in: 100_000...999_999)).5"
        let child = try ChildProcess(
            Products.path("distrun"),
            ["--insecure-no-auth", "-H", hosts, "--", "bash", "--norc", "-c", "echo started; sleep \(marker)"])
        try await blocking {
            try ChildProcess.waitUntil("fifty started lines") {
                child.stdout.components(separatedBy: " started\n").count == 51
            }
        }
        child.kill(SIGINT)
        #expect(try await blocking { try child.waitForExit() } == 130)
        for name in names { #expect(lines(of: name, in: child.stdout) == ["started"], "\(name)") }
        #expect(child.stderr.contains("50 hosts: 0 ok, 0 command failed, 50 host failed"), "\(child.stderr)")
        #expect(child.stderr.components(separatedBy: "cancelled: interrupted").count == 51)
        try await blocking {
            try ChildProcess.waitUntil("the remote sleeps to end") { processes(matching: "sleep \(marker)").isEmpty }
        }
    }
}
