// Kept sessions on a real agent, frame by frame: a command started with `keep` survives its
// connection; a new connection resumes it from the byte offset it had, and what both
// connections received together is exactly the command's output. A replay buffer too small
// for what was missed reports the exact loss in `GAP`; `BYE` and the grace period end it.

import DistRunWire
import Foundation
import NIOCore
import Testing

@Suite struct KeptSessionTests {
    /// Output bytes (`OUT` and `ERR`) in `frames`: the offset to resume from.
    private func outputBytes(_ frames: [Frame]) -> UInt64 {
        UInt64(frames.filter { [.output, .errorOutput].contains($0.token) }.map(\.payload.readableBytes).reduce(0, +))
    }

    private func sessionID(_ frames: [Frame]) throws -> SessionID {
        let frame = try #require(frames.first { $0.token == .sessionID }, "no SID frame")
        return try SessionID(payload: frame.text)
    }

    /// Starts `script` as a kept session, reads until `text` shows, and drops the connection.
    private func startAndDrop(_ agent: TestAgent, _ script: String, after text: String) throws -> (SessionID, [Frame]) {
        let first = try RawClient(port: agent.port)
        first.send(.option(.version(4)), .option(.keep(seconds: nil)), .command(["bash", "-c", script]))
        try first.waitForOutput(containing: text)
        let frames = try first.framesReceived()
        return (try sessionID(frames), frames)
    }

    private func resume(_ agent: TestAgent, _ id: SessionID, at offset: UInt64) throws -> [Frame] {
        let second = try RawClient(port: agent.port)
        second.send(.option(.version(4)), .option(.resume(SessionResume(id: id, offset: offset))))
        return try second.readAllFrames()
    }

    @Test func aResumedSessionDeliversExactlyTheOutputMissed() throws {
        let agent = try TestAgent()
        let script = "seq 1 3000; sleep 1; seq 3001 60000"
        let (id, before) = try startAndDrop(agent, script, after: "3000\n")
        #expect(before.first == Frame(.version, text: "4"))
        #expect(before.dropFirst().first?.token == .sessionID, "SID comes before any output")
        let after = try resume(agent, id, at: outputBytes(before))
        #expect(after.first?.token == .version)
        #expect(try sessionID(after) == id)
        #expect(!after.contains { $0.token == .outputGap })
        let expected = (1...60000).map { "\($0)\n" }.joined()
        #expect(before.outputText + after.outputText == expected)
        #expect(after.exitStatus == .exited(0))
    }

    @Test func aResumeFromBeforeTheBufferIsToldTheExactLoss() throws {
        let agent = try TestAgent(extraArguments: ["--replay-bytes", "1000"])
        let scratch = try Scratch()
        let done = scratch.url.appendingPathComponent("done").path
        let script = "echo start; sleep 0.5; seq 1 5000; touch \(done)"
        let (id, before) = try startAndDrop(agent, script, after: "start\n")
        try ChildProcess.waitUntil("the command to write everything", seconds: 10) {
            FileManager.default.fileExists(atPath: done)
        }
        let offset = outputBytes(before)
        let frames = try resume(agent, id, at: offset)
        let expected = Array(("start\n" + (1...5000).map { "\($0)\n" }.joined()).utf8)
        let gap = try #require(frames.first { $0.token == .outputGap }.flatMap { UInt64($0.text) }, "no GAP frame")
        #expect(gap > 0)
        // What follows the gap is exactly the rest of the output: the loss reported is the real one.
        #expect(Array(frames.outputText.utf8) == Array(expected[Int(offset + gap)...]))
        #expect(frames.exitStatus == .exited(0))
    }

    @Test func aResumedConnectionOwesNoCommandFrame() throws {
        let agent = try TestAgent(extraArguments: ["--handshake-timeout", "1"])
        let (id, before) = try startAndDrop(agent, "echo up; sleep 2; echo late", after: "up\n")
        let frames = try resume(agent, id, at: outputBytes(before))
        #expect(frames.failureReason == nil, "not dropped by the CMD deadline")
        #expect(frames.outputText == "late\n")
    }

    @Test func anExitStatusLostWithTheLinkIsReplayedUntilTheClientSaysBye() throws {
        let agent = try TestAgent()
        let first = try RawClient(port: agent.port)
        first.send(.option(.version(4)), .option(.keep(seconds: nil)), .command(["seq", "1", "1000"]))
        let finished = try first.readAllFrames()
        #expect(finished.exitStatus == .exited(0))
        // The link drops before our BYE: the agent cannot know EXT arrived, so it keeps the session.
        let id = try sessionID(finished)
        let again = try RawClient(port: agent.port)
        again.send(.option(.version(4)), .option(.resume(SessionResume(id: id, offset: 0))))
        let replayed = try again.readAllFrames()
        #expect(replayed.outputText == (1...1000).map { "\($0)\n" }.joined())
        #expect(replayed.exitStatus == .exited(0))
        again.send(.endSession)
        _ = try again.readRaw()  // the agent closes once it has forgotten the session
        #expect(try resume(agent, id, at: 0).failureReason?.hasPrefix("no session") == true)
    }

    @Test func unknownSessionsAndImpossibleOffsetsAreRefused() throws {
        let agent = try TestAgent()
        let unknown = try resume(agent, SessionID.random(), at: 0)
        #expect(unknown.failureReason?.hasPrefix("no session") == true)
        let (id, before) = try startAndDrop(agent, "echo hi; sleep 5", after: "hi\n")
        let beyond = try resume(agent, id, at: outputBytes(before) + 10)
        #expect(beyond.failureReason == "cannot resume at offset 13: the session has produced only 3 bytes")
    }

    @Test func byeEndsAKeptSessionAtOnce() throws {
        let agent = try TestAgent()
        let marker = "\(UInt32.random(in: 1...UInt32.max))"
        let client = try RawClient(port: agent.port)
        client.send(
            .option(.version(4)), .option(.keep(seconds: nil)), .command(["bash", "-c", "echo up; sleep 9\(marker)"]))
        try client.waitForOutput(containing: "up")
        client.send(.endSession)
        try ChildProcess.waitUntil("the kept command to end", seconds: 10) {
            processes(matching: "sleep 9\(marker)").isEmpty
        }
    }

    @Test func aKeptSessionEndsWhenNobodyResumesItInTime() throws {
        let agent = try TestAgent(extraArguments: ["--keep-seconds", "3"])
        let marker = "\(UInt32.random(in: 1...UInt32.max))"
        let (id, _) = try startAndDrop(agent, "echo up; sleep 9\(marker)", after: "up")
        #expect(!processes(matching: "sleep 9\(marker)").isEmpty, "the command outlives its connection")
        try ChildProcess.waitUntil("the grace period to end the command", seconds: 10) {
            processes(matching: "sleep 9\(marker)").isEmpty
        }
        #expect(try resume(agent, id, at: 0).failureReason?.hasPrefix("no session") == true)
    }
}
