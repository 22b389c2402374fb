// The agent over real loopback TCP with real child processes, driven frame by frame.

import DistRunWire
import Foundation
import NIOCore
import Testing

@Suite struct AgentProtocolTests {
    let agent: TestAgent

    init() throws { agent = try TestAgent() }

    private func run(_ messages: ClientMessage...) throws -> [Frame] {
        let client = try RawClient(port: agent.port)
        var buffer = ByteBuffer()
        for message in [ClientMessage.option(.version(1))] + messages { buffer.writeFrame(message.frame) }
        client.send(Array(buffer.readableBytesView))
        return try client.readAllFrames()
    }

    @Test func whoamiPrintsTheAgentsUser() throws {
        let frames = try run(.command(["whoami"]))
        #expect(frames.first == Frame(.version, text: "1"))
        #expect(frames.outputText == NSUserName() + "\n")
        #expect(frames.exitStatus == .exited(0))
        #expect(frames.last?.token == .exitStatus)
    }

    @Test func argumentsKeepTheirSpaces() throws {
        let frames = try run(.command(["bash", "-c", "echo \"Ola mundo\"; printf '<%s>' \"$@\"", "x", "a b", " c "]))
        #expect(frames.outputText == "Ola mundo\n<a b>< c >")
    }

    @Test func legacyWordsCommandIsSplitOnSpaces() throws {
        let client = try RawClient(port: agent.port)
        client.send(Array(ByteBuffer(string: "CMD\u{0}\u{0}\u{0}\u{10}printf  <%s> a b").readableBytesView))
        let frames = try client.readAllFrames()
        #expect(frames.outputText == "<a><b>")
        #expect(frames.allSatisfy { $0.token == .output }, "a version-0 client gets only OUT frames")
    }

    @Test func exitCodesAndSignalsAreReported() throws {
        #expect(try run(.command(["true"])).exitStatus == .exited(0))
        #expect(try run(.command(["bash", "-c", "exit 3"])).exitStatus == .exited(3))
        #expect(try run(.command(["bash", "-c", "kill -KILL $$"])).exitStatus == .signaled(9))
        #expect(try run(.command(["bash", "-c", "kill -TERM $$"])).exitStatus == .signaled(15))
    }

    @Test func stderrIsMergedUnlessAskedFor() throws {
        let script = "echo out; echo err >&2"
        let merged = try run(.command(["bash", "-c", script]))
        #expect(merged.outputText == "out\nerr\n")
        let separate = try run(.option(.stderr), .command(["bash", "-c", script]))
        #expect(separate.outputText == "out\n")
        #expect(separate.errorText == "err\n")
    }

    @Test func withoutTheStdinOptionBashEndsAtOnce() throws {
        let frames = try run(.command(["bash", "--norc"]))
        #expect(frames.exitStatus == .exited(0))
    }

    @Test func catReturnsAllItsInputAfterEndOfInput() throws {
        let client = try RawClient(port: agent.port)
        client.send(.option(.version(1)), .option(.stdin), .command(["cat"]))
        let line = String(repeating: "0123456789abcdef", count: 64) + "\n"
        for _ in 0..<300 { client.send(.input(ByteBuffer(string: line))) }  // ~300 KB, more than a pipe holds
        client.send(.endOfInput)
        let frames = try client.readAllFrames()
        #expect(frames.outputText == String(repeating: line, count: 300))
        #expect(frames.exitStatus == .exited(0))
    }

    @Test func aCommandThatCannotStartIsReportedWithAReason() throws {
        let frames = try run(.command(["no-such-program-4711"]))
        #expect(frames.failureReason == "cannot run 'no-such-program-4711': No such file or directory")
    }

    @Test func severalClientsAreServedAtOnce() throws {
        // Ten `cat`s all alive together: each answers only after all ten were started.
        let clients = try (0..<10).map { _ in try RawClient(port: agent.port) }
        for client in clients { client.send(.option(.version(1)), .option(.stdin), .command(["cat"])) }
        for (index, client) in clients.enumerated() {
            client.send(.input(ByteBuffer(string: "client \(index)\n")), .endOfInput)
        }
        for (index, client) in clients.enumerated() {
            let frames = try client.readAllFrames()
            #expect(frames.outputText == "client \(index)\n")
        }
    }
}

@Suite struct AgentProtocolErrorTests {
    let agent: TestAgent

    init() throws { agent = try TestAgent() }

    private func failure(after bytes: [UInt8], halfClose: Bool = false) throws -> String? {
        let client = try RawClient(port: agent.port)
        client.send(.option(.version(1)))
        client.send(bytes)
        if halfClose { client.shutdownWrite() }
        return try client.readAllFrames().failureReason
    }

    @Test func oversizeLengthIsRejectedFromTheHeader() throws {
        // Only the header is sent: the agent must not wait for 4 GiB of payload.
        let reason = try failure(after: Array("INP".utf8) + [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(reason == "INP frame of 4294967295 bytes is over the limit of 1048576 bytes")
    }

    @Test func garbageTokenIsRejected() throws {
        #expect(try failure(after: Array("GET / HTTP/1.1\r\n".utf8)) == "unknown token 'GET'")
    }

    @Test func truncatedFrameIsRejected() throws {
        let reason = try failure(after: Array("CMD".utf8) + [0, 0, 0, 10] + Array("ab".utf8), halfClose: true)
        #expect(reason == "truncated frame: connection ended after 9 of 17 bytes")
    }

    @Test func framesInTheWrongPhaseAreRejected() throws {
        var input = ByteBuffer()
        input.writeFrame(ClientMessage.input(ByteBuffer(string: "x")).frame)
        #expect(try failure(after: Array(input.readableBytesView)) == "INP frame not allowed before CMD")
        var unknown = ByteBuffer()
        unknown.writeFrame(Frame(.option, text: "teleport"))
        #expect(try failure(after: Array(unknown.readableBytesView)) == "unknown option 'teleport'")
    }

    @Test func theFrameLimitIsConfigurable() throws {
        let small = try TestAgent(extraArguments: ["--max-frame", "2048"])
        let client = try RawClient(port: small.port)
        var buffer = ByteBuffer()
        buffer.writeFrame(ClientMessage.command(["echo", String(repeating: "x", count: 3000)]).frame)
        client.send(Array(buffer.readableBytesView))
        #expect(try client.readAllFrames().failureReason == "CMD frame of 3006 bytes is over the limit of 2048 bytes")
    }
}
