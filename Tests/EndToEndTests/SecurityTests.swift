// Authentication end to end: keys made by the real keygen commands, a TLS agent, and clients
// with the right key, a wrong key, no key, no TLS, or a changed agent key. A refused client
// must never get a process started on the agent.

import Foundation
import Testing

/// Agent and client keys in a private folder, the client authorized.
final class TrustedSetup: @unchecked Sendable {
    let scratch: Scratch
    let agentKeys: URL
    let clientKeys: URL
    let agentFingerprint: String
    let clientFingerprint: String

    init() throws {
        scratch = try Scratch()
        agentKeys = scratch.url.appendingPathComponent("agent")
        clientKeys = scratch.url.appendingPathComponent("client")
        agentFingerprint = try Self.keygen("distrund", agentKeys)
        clientFingerprint = try Self.keygen("distrun", clientKeys)
        try (clientFingerprint + "  test client\n").write(
            to: agentKeys.appendingPathComponent("authorized-clients"), atomically: true, encoding: .utf8)
    }

    /// Runs `PROGRAM keygen --keys FOLDER` and returns the fingerprint it printed.
    static func keygen(_ program: String, _ folder: URL) throws -> String {
        let child = try ChildProcess(Products.path(program), ["keygen", "--keys", folder.path])
        #expect(try child.waitForExit() == 0, "\(program) keygen: \(child.stderr)")
        let line = child.stdout.split(separator: "\n").first { $0.hasPrefix("Fingerprint: ") }
        return String(try #require(line).dropFirst("Fingerprint: ".count))
    }

    func distrun(_ agent: TestAgent, keys: URL? = nil, _ command: [String]) throws -> (
        code: Int32, out: String, err: String
    ) {
        let hosts = try scratch.write("hosts.conf", agent.hostsLine(name: "secure") + "\n")
        let child = try ChildProcess(
            Products.path("distrun"), ["--keys", (keys ?? clientKeys).path, "-H", hosts, "--"] + command)
        child.closeStdin()
        let code = try child.waitForExit()
        return (code, child.stdout, child.stderr)
    }
}

/// A `sleep` whose unusual length marks this test's process in the process table.
private func markedSleep() -> String { "4\(Int.random(in: 100_000...999_999)).5" }

@Suite struct SecurityTests {
    @Test func keygenWritesOwnerOnlyFilesAndPrintsTheFingerprint() throws {
        let setup = try TrustedSetup()
        #expect(setup.clientFingerprint.hasPrefix("SHA256:") && setup.clientFingerprint.count == 50)
        for file in ["client/client-key.pem", "client/client-cert.pem", "agent/agent-key.pem"] {
            let attributes = try FileManager.default.attributesOfItem(
                atPath: setup.scratch.url.appendingPathComponent(file).path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(file)")
        }
    }

    @Test func anAuthorizedClientRunsACommandAndPinsTheAgent() throws {
        let setup = try TrustedSetup()
        let agent = try TestAgent(keys: setup.agentKeys)
        let result = try setup.distrun(agent, ["echo", "over TLS"])
        #expect(result.code == 0, "\(result.err)")
        #expect(result.out == "secure: over TLS\n")
        let known = try String(contentsOf: setup.clientKeys.appendingPathComponent("known-agents"), encoding: .utf8)
        #expect(known == "127.0.0.1:\(agent.port) \(setup.agentFingerprint)\n")
    }

    @Test func anUnauthorizedKeyIsRefusedAndNothingRuns() throws {
        let setup = try TrustedSetup()
        let stranger = setup.scratch.url.appendingPathComponent("stranger")
        _ = try TrustedSetup.keygen("distrun", stranger)
        let agent = try TestAgent(keys: setup.agentKeys)
        let marker = markedSleep()
        let result = try setup.distrun(agent, keys: stranger, ["sleep", marker])
        #expect(result.code == 2)
        #expect(result.err.contains("not authorized: this client's key"))
        #expect(processes(matching: "sleep \(marker)").isEmpty)
    }

    @Test func aChangedAgentKeyIsRefusedLoudly() throws {
        let setup = try TrustedSetup()
        let agent = try TestAgent(keys: setup.agentKeys)
        let other = try TrustedSetup.keygen("distrund", setup.scratch.url.appendingPathComponent("impostor"))
        try "127.0.0.1:\(agent.port) \(other)\n".write(
            to: setup.clientKeys.appendingPathComponent("known-agents"), atomically: true, encoding: .utf8)
        let marker = markedSleep()
        let result = try setup.distrun(agent, ["sleep", marker])
        #expect(result.code == 2)
        #expect(result.err.contains("agent key changed: known-agents has \(other)"))
        #expect(processes(matching: "sleep \(marker)").isEmpty)
    }

    @Test func aClientWithoutAKeyIsRefused() throws {
        let setup = try TrustedSetup()
        let agent = try TestAgent(keys: setup.agentKeys)
        // Python's TLS client, with no certificate, then the frames of a command.
        let script = """
            import socket, ssl, struct, sys
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
            s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1]))))
            try:
                cmd = b"sleep\\0" + sys.argv[2].encode() + b"\\0"
                s.sendall(b"CMD" + struct.pack(">I", len(cmd)) + cmd)
                print("read", s.recv(100))
            except (ssl.SSLError, OSError) as error:
                print("refused", error)
            """
        let marker = markedSleep()
        let client = try ChildProcess("/usr/bin/env", ["python3", "-c", script, String(agent.port), marker])
        #expect(try client.waitForExit() == 0, "\(client.stderr)")
        #expect(client.stdout.hasPrefix("refused") || client.stdout.hasPrefix("read b''"), "\(client.stdout)")
        #expect(processes(matching: "sleep \(marker)").isEmpty)
    }

    @Test func aPlaintextClientIsRefusedQuickly() throws {
        let setup = try TrustedSetup()
        let agent = try TestAgent(keys: setup.agentKeys)
        let marker = markedSleep()
        let client = try RawClient(port: agent.port, timeoutSeconds: 3)
        client.send(.option(.version(2)), .command(["sleep", marker]))
        let reply = try client.readRaw()  // throws unless the agent closes within 3 s
        #expect(reply.count < 100, "at most a TLS alert comes back")
        #expect(processes(matching: "sleep \(marker)").isEmpty)
    }

    @Test func aSilentClientIsDroppedAtTheHandshakeDeadline() throws {
        let setup = try TrustedSetup()
        let agent = try TestAgent(keys: setup.agentKeys, extraArguments: ["--handshake-timeout", "1"])
        let client = try RawClient(port: agent.port, timeoutSeconds: 6)
        // Within the 6 s read timeout means the 1 s deadline acted (the default is 10 s).
        #expect(try client.readRaw().isEmpty)
    }

    @Test func twoHundredIdleConnectionsDoNotLockOutAnAuthorizedClient() throws {
        let setup = try TrustedSetup()
        let agent = try TestAgent(keys: setup.agentKeys)
        let idle = try (0..<200).map { _ in try RawClient(port: agent.port) }
        let result = try setup.distrun(agent, ["echo", "still served"])
        #expect(result.code == 0, "\(result.err)")
        #expect(result.out == "secure: still served\n")
        _ = idle
    }

    @Test func aDoubleForkedSleepDoesNotOutliveItsKilledClient() throws {
        let setup = try TrustedSetup()
        let agent = try TestAgent(keys: setup.agentKeys)
        let hosts = try setup.scratch.write("hosts.conf", agent.hostsLine(name: "secure") + "\n")
        let marker = markedSleep()
        let client = try ChildProcess(
            Products.path("distrun"),
            [
                "--keys", setup.clientKeys.path, "-H", hosts, "--", "bash", "-c",
                "(sleep \(marker) &); echo started; sleep \(marker)",
            ])
        try client.waitForStdout(containing: "started")
        #expect(processes(matching: "sleep \(marker)").count >= 2)
        client.kill(SIGKILL)
        try ChildProcess.waitUntil("every sleep to end", seconds: 10) { processes(matching: "sleep \(marker)").isEmpty }
    }
}

@Suite struct RunAsTests {
    @Test(.enabled(if: getuid() == 0, "needs root")) func commandsRunAsTheGivenUser() throws {
        let agent = try TestAgent(extraArguments: ["--user", "nobody"])
        let client = try RawClient(port: agent.port)
        client.send(.option(.version(2)), .command(["bash", "-c", "whoami; echo $HOME"]))
        let frames = try client.readAllFrames()
        #expect(frames.outputText.hasPrefix("nobody\n"))
        #expect(frames.exitStatus == .exited(0))
    }
}

@Suite struct KeepaliveTests {
    @Test func aClientThatNeverAnswersTheKeepaliveIsDropped() throws {
        let agent = try TestAgent(extraArguments: ["--keepalive-seconds", "0.5"])
        let marker = "5\(Int.random(in: 100_000...999_999)).5"
        let client = try RawClient(port: agent.port, timeoutSeconds: 8)
        client.send(.option(.version(3)), .command(["sleep", marker]))
        // Pings arrive; unanswered, the agent gives up after three intervals and ends the command.
        let frames = try client.readAllFrames()
        #expect(frames.contains { $0.token == .ping })
        try ChildProcess.waitUntil("the command to end") { processes(matching: "sleep \(marker)").isEmpty }
    }

    @Test func aClientThatAnswersStaysConnected() throws {
        let agent = try TestAgent(extraArguments: ["--keepalive-seconds", "0.3"])
        let scratch = try Scratch()
        let hosts = try scratch.write("h.conf", agent.hostsLine(name: "quiet") + "\n")
        let client = try ChildProcess(
            Products.path("distrun"),
            ["--insecure-no-auth", "-H", hosts, "--", "bash", "-c", "sleep 2; echo still here"])
        #expect(try client.waitForExit() == 0)
        #expect(client.stdout == "quiet: still here\n")
    }
}
