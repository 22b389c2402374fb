// `distrun` end to end: real agents on ephemeral loopback ports, a real hosts file.

import Foundation
import Testing

@Suite struct CLITests {
    let scratch: Scratch

    init() throws { scratch = try Scratch() }

    private func distrun(_ arguments: [String], stdin: String? = nil) throws -> (code: Int32, out: String, err: String)
    {
        let child = try ChildProcess(
            Products.path("distrun"), ["--insecure-no-auth"] + arguments, currentDirectory: scratch.url)
        if let stdin { child.writeStdin(stdin) }
        child.closeStdin()
        let code = try child.waitForExit()
        return (code, child.stdout, child.stderr)
    }

    @Test func twoAgentsOnTwoPortsRunTheCommandWithPrefixedLines() throws {
        let (one, two) = (try TestAgent(), try TestAgent())
        _ = try scratch.write(
            "hosts.conf", "# two agents\n\(one.hostsLine(name: "one"))\n\(two.hostsLine(name: "two"))\n")
        let result = try distrun(["--", "bash", "-c", "echo \"Ola mundo\"; printf 'no newline'"])
        #expect(result.code == 0)
        let lines = result.out.split(separator: "\n").sorted()
        #expect(lines == ["one: Ola mundo", "one: no newline", "two: Ola mundo", "two: no newline"])
        #expect(result.err.contains("2 hosts: 2 ok"))
    }

    @Test func anUnreachableHostIsNamedWhileTheOthersSucceed() throws {
        let agent = try TestAgent()
        let hosts = try scratch.write("h.conf", "\(agent.hostsLine(name: "alive"))\n127.0.0.1:1 dead\n")
        let result = try distrun(["-H", hosts, "--", "echo", "hi"])
        #expect(result.code == 2)
        #expect(result.out == "alive: hi\n")
        #expect(result.err.contains("dead") && result.err.contains("unreachable: connection refused"))
        #expect(result.err.contains("failed hosts: dead"))
    }

    /// Turning such values into nanoseconds overflowed and trapped; they now mean "practically never".
    @Test func hugeTimeoutsMeanNeverRatherThanACrash() throws {
        let agent = try TestAgent(extraArguments: ["--frame-timeout", "inf", "--keep-seconds", "1e300"])
        let hosts = try scratch.write("h.conf", agent.hostsLine(name: "a") + "\n")
        let result = try distrun(["-H", hosts, "--connect-timeout", "inf", "--timeout", "1e300", "--", "echo", "hi"])
        #expect(result.code == 0, "\(result.err)")
        #expect(result.out == "a: hi\n")
    }

    /// `nice` (or systemd's Nice=) on the agent reaches its commands: the event-loop threads
    /// that start them were made at nice 0 by Swift's concurrency runtime.
    @Test func commandsRunAtTheNiceTheAgentWasStartedWith() throws {
        let agent = try TestAgent(launcher: ["/usr/bin/nice", "-n", "7"])
        let hosts = try scratch.write("h.conf", agent.hostsLine(name: "niced") + "\n")
        let result = try distrun(["-H", hosts, "--", "nice"])
        #expect(result.code == 0)
        #expect(result.out == "niced: 7\n")
    }

    @Test func exitCodeSaysWhetherACommandFailed() throws {
        let agent = try TestAgent()
        let hosts = try scratch.write("h.conf", agent.hostsLine(name: "a") + "\n")
        #expect(try distrun(["-H", hosts, "--", "bash", "-c", "exit 3"]).code == 1)
        let killed = try distrun(["-H", hosts, "--", "bash", "-c", "kill -KILL $$"])
        #expect(killed.code == 1)
        #expect(killed.err.contains("killed by SIGKILL"))
    }

    @Test func dashTForwardsStdinToEveryHost() throws {
        let (one, two) = (try TestAgent(), try TestAgent())
        let hosts = try scratch.write("h.conf", one.hostsLine(name: "one") + "\n" + two.hostsLine(name: "two") + "\n")
        let result = try distrun(["-H", hosts, "-t", "--", "wc", "-l"], stdin: "a\nb\nc\n")
        #expect(result.out.split(separator: "\n").sorted() == ["one: 3", "two: 3"])
        #expect(result.code == 0)
    }

    @Test func separateStderrGoesToStderr() throws {
        let agent = try TestAgent()
        let hosts = try scratch.write("h.conf", agent.hostsLine(name: "a") + "\n")
        let result = try distrun(["-H", hosts, "--stderr", "--", "bash", "-c", "echo out; echo err >&2"])
        #expect(result.out == "a: out\n")
        #expect(result.err.hasPrefix("a: err\n"))
    }

    @Test func outdirWritesAFilePerHostAndStream() throws {
        let agent = try TestAgent()
        let hosts = try scratch.write("h.conf", agent.hostsLine(name: "web-1") + "\n")
        let result = try distrun([
            "-H", hosts, "--stderr", "--outdir", "out", "--", "bash", "-c", "echo out; echo err >&2",
        ])
        #expect(result.code == 0)
        let directory = scratch.url.appendingPathComponent("out")
        #expect(try String(contentsOf: directory.appendingPathComponent("web-1.out"), encoding: .utf8) == "out\n")
        #expect(try String(contentsOf: directory.appendingPathComponent("web-1.err"), encoding: .utf8) == "err\n")
    }

    @Test func outdirFollowsASymbolicLinkAsTheShellDoes() throws {
        let agent = try TestAgent()
        let hosts = try scratch.write("h.conf", agent.hostsLine(name: "web-1") + "\n")
        let target = try scratch.write("elsewhere.txt", "old contents that get truncated\n")
        let directory = scratch.url.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let link = directory.appendingPathComponent("web-1.out").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let result = try distrun(["-H", hosts, "--outdir", "out", "--", "echo", "through the link"])
        #expect(result.code == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "through the link\n")
    }

    @Test func timeoutEndsASlowHost() throws {
        let agent = try TestAgent()
        let hosts = try scratch.write("h.conf", agent.hostsLine(name: "slow") + "\n")
        let result = try distrun(["-H", hosts, "--timeout", "0.5", "--", "sleep", "30"])
        #expect(result.code == 2)
        #expect(result.err.contains("timed out after 0.5 s"))
    }

    @Test func aBadHostsLineIsAnErrorNamingFileAndLine() throws {
        _ = try scratch.write("hosts.conf", "ok-host\nweb:99999\n")
        let result = try distrun(["--", "true"])
        #expect(result.code == 64)
        #expect(result.err.contains("hosts.conf:2: bad port '99999'"))
    }

    @Test func aMissingHostsFileIsNamed() throws {
        let result = try distrun(["-H", "nope.conf", "--", "true"])
        #expect(result.code == 64)
        #expect(result.err.contains("nope.conf: cannot read hosts file"))
    }

    @Test func anOutputFileThatCannotBeOpenedIsNamedWithTheReason() throws {
        let agent = try TestAgent()
        _ = try scratch.write("hosts.conf", agent.hostsLine(name: "web") + "\n")
        try FileManager.default.createDirectory(
            at: scratch.url.appendingPathComponent("out/web.out"), withIntermediateDirectories: true)
        let result = try distrun(["--outdir", "out", "--", "true"])
        #expect(result.code == 64)
        #expect(result.err.contains("cannot write out/web.out: Is a directory"))
    }

    /// The client links FoundationEssentials only: Foundation itself would bring ICU and about
    /// 6 MiB of resident libraries to every run (docs/benchmarks.md). An `import Foundation` in
    /// any module `distrun` is built from fails this. Nor does it need the dashboard's libvterm
    /// and curses: it must run on a host that has neither.
    @Test func distrunLoadsNeitherFoundationNorICUNorTheDashboardsLibraries() throws {
        let ldd = try ChildProcess("/usr/bin/ldd", [Products.path("distrun")])
        _ = try ldd.waitForExit()
        #expect(ldd.stdout.contains("libc.so"), "ldd listed the libraries")
        let foundation = ["libFoundation.so", "libFoundationInternationalization.so", "lib_FoundationICU.so"]
        for library in foundation + ["libvterm.so", "libncursesw.so"] {
            #expect(!ldd.stdout.contains(library))
        }
    }
}

@Suite struct AgentStartupTests {
    /// Clients take 50 s of silence as a lost agent: a longer ping interval would cut every
    /// quiet command (`sleep 120`) at 55 s.
    @Test func theAgentRefusesAKeepaliveClientsWouldTakeForALostAgent() throws {
        for seconds in ["60", "0"] {
            let child = try ChildProcess(
                Products.path("distrund"), ["--insecure-no-auth", "--port", "0", "--keepalive-seconds", seconds])
            #expect(try child.waitForExit() == 64)
            #expect(child.stderr.contains("--keepalive-seconds must be more than 0 and at most 15"))
        }
    }

    @Test func theAgentRefusesToListenBeyondLoopback() throws {
        let child = try ChildProcess(
            Products.path("distrund"), ["--insecure-no-auth", "--listen", "0.0.0.0", "--port", "0"])
        #expect(try child.waitForExit() == 2)
        #expect(child.stderr.contains("refusing to listen on 0.0.0.0"))
    }
}
