// Commands on pseudo-terminals and signals, at the protocol level and through `distrun -t --pty`.

import DistRunWire
import Foundation
import NIOCore
import Testing

@Suite struct AgentTerminalTests {
    let agent: TestAgent

    init() throws { agent = try TestAgent() }

    private func client(_ messages: ClientMessage...) throws -> RawClient {
        let client = try RawClient(port: agent.port)
        var buffer = ByteBuffer()
        for message in [ClientMessage.option(.version(2))] + messages { buffer.writeFrame(message.frame) }
        client.send(Array(buffer.readableBytesView))
        return client
    }

    @Test func ttyAndTermAndSizeAreThoseOfThePseudoTerminal() throws {
        let frames = try client(
            .option(.pty(WindowSize(columns: 100, rows: 30))), .option(.term("screen")),
            .command(["bash", "-c", "tty; stty size; echo $TERM"])
        ).readAllFrames()
        let lines = frames.outputText.split(separator: "\r\n")
        #expect(lines.first?.hasPrefix("/dev/pts/") == true)
        #expect(lines.dropFirst().first == "30 100")
        #expect(lines.dropFirst(2).first == "screen")
        #expect(frames.exitStatus == .exited(0))
    }

    @Test func aWindowSizeFrameResizesTheTerminal() throws {
        let connection = try client(
            .option(.pty(WindowSize(columns: 80, rows: 24))),
            .command(["bash", "-c", "trap 'stty size; exit 0' WINCH; echo ready; while :; do sleep 0.05; done"]))
        try connection.waitForOutput(containing: "ready")
        connection.send(.windowSize(WindowSize(columns: 132, rows: 43)))
        #expect(try connection.readAllFrames().outputText.contains("43 132"))
    }

    @Test func controlCInterruptsSleepOnATerminal() throws {
        let connection = try client(
            .option(.pty(WindowSize(columns: 80, rows: 24))), .command(["bash", "-c", "echo ready; exec sleep 100"]))
        try connection.waitForOutput(containing: "ready")
        connection.send(.input(ByteBuffer(bytes: [0x03])))
        #expect(try connection.readAllFrames().exitStatus == .signaled(2))
    }

    @Test func aSignalFrameInterruptsACommandOnPipes() throws {
        let connection = try client(.command(["bash", "-c", "echo ready; exec sleep 100"]))
        try connection.waitForOutput(containing: "ready")
        connection.send(.signal(.INT))
        #expect(try connection.readAllFrames().exitStatus == .signaled(2))
    }

    @Test func windowSizeWithoutATerminalIsRefused() throws {
        let connection = try client(.command(["sleep", "5"]), .windowSize(WindowSize(columns: 10, rows: 10)))
        #expect(try connection.readAllFrames().failureReason == "WIN frame not allowed without the pty option")
    }
}

@Suite struct InteractiveCLITests {
    @Test func distrunWithPtyDrivesViLikeSshT() throws {
        let agent = try TestAgent()
        let scratch = try Scratch()
        let hosts = try scratch.write("one.conf", agent.hostsLine(name: "one") + "\n")
        let file = scratch.url.appendingPathComponent("notes.txt").path
        let tmux = try TmuxSession(
            command: "'\(Products.path("distrun"))' --insecure-no-auth -t --pty -H '\(hosts)' -- vi '\(file)'",
            width: 90, height: 20)
        try tmux.waitFor(text: "~")
        try tmux.type("iworks like ssh -t")
        try tmux.press("Escape")
        try tmux.type(":wq")
        try tmux.press("Enter")
        try tmux.waitFor(text: "DISTRUN-EXIT=0")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "works like ssh -t\n")
    }
}
