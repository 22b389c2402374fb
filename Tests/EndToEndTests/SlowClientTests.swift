// Slow-loris clients against a real agent: a client that begins a frame and then trickles it
// one byte a second is dropped at the frame deadline with a `BAD` naming it, and clients that
// behave are served meanwhile as fast as ever; a client that never sends its command is
// dropped at the handshake timeout; but a client that is merely slow to read keeps its session.

import DistRunWire
import DistRunTestSupport
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing

@Suite struct SlowClientTests {
    @Test func tricklingClientsAreDroppedAtTheFrameDeadlineAndDoNotSlowOthers() async throws {
        let frameTimeout = 3.0
        let agent = try TestAgent(extraArguments: ["--frame-timeout", "\(frameTimeout)"])
        var command = ByteBuffer()
        command.writeFrame(ClientMessage.command(["echo", "never runs"]).frame)
        let header = Array(command.readableBytesView.prefix(Frame.headerBytes))
        let payload = Array(command.readableBytesView.dropFirst(Frame.headerBytes))
        // Times are taken on the threads that wait: resuming the test itself may lag.
        // When `BAD` came (the deadline), and when the connection ended (a linger later at most).
        let dropped = NIOLockedValueBox<[(reason: String?, at: Date, seconds: Double, ended: Double)]>([])
        let tricklers = DispatchGroup()
        for _ in 0..<20 {
            // A thread each, not Dispatch: its pool would run only a few blocked clients at a time.
            tricklers.enter()
            Thread {
                let client = try? RawClient(port: agent.port, timeoutSeconds: 10)
                let started = Date()
                client?.send(header)  // no version option: VER would end the trickle at once
                client?.trickle(payload, intervalSeconds: 1)
                let answered = Date()
                let reason = (try? client?.readAllFrames())?.failureReason
                let ended = Date().timeIntervalSince(started)
                dropped.withLockedValue { $0.append((reason, answered, answered.timeIntervalSince(started), ended)) }
                tricklers.leave()
            }.start()
        }
        // Meanwhile a well-behaved client runs command after command, each promptly.
        let (served, servedAt) = try await blocking {
            let results = try (0..<10).map { index in
                let began = Date()
                let client = try RawClient(port: agent.port)
                client.send(.option(.version(1)), .command(["echo", "served \(index)"]))
                return (try client.readAllFrames().outputText, Date().timeIntervalSince(began))
            }
            return (results, Date())
        }
        for (index, result) in served.enumerated() {
            #expect(result.0 == "served \(index)\n")
            #expect(result.1 < 1, "command \(index) was slowed down: \(result.1) s")
        }
        #expect(try await blocking { tricklers.wait(timeout: .now() + 10) } == .success)
        let results = dropped.withLockedValue { $0 }
        #expect(results.count == 20)
        #expect(results.allSatisfy { $0.at > servedAt }, "served while the tricklers were still connected")
        for result in results {
            #expect(
                result.reason?.hasPrefix("frame deadline passed: a frame must arrive whole within 3 s") == true,
                "\(result.reason ?? "no BAD")")
            #expect(
                result.seconds >= frameTimeout && result.seconds < frameTimeout + 2, "dropped after \(result.seconds) s"
            )
            // The agent lingers 2 s for the client to hang up first; under load its FIN was seen
            // to come only then.
            #expect(result.ended < frameTimeout + 2 + 2, "the connection ended after \(result.ended) s")
        }
    }

    @Test func aClientThatStopsReadingForAWhileKeepsItsSessionAndGetsEveryByte() async throws {
        // More output than the socket buffers hold, so the agent's TCP sees a zero window for
        // the whole pause. An agent whose kernel gave up on a zero window (TCP_USER_TIMEOUT
        // counts window probes) dropped such a client after 10 s.
        let agent = try TestAgent()
        let frames = try await blocking {
            let client = try RawClient(port: agent.port, timeoutSeconds: 10)
            client.send(.option(.version(1)), .command(["seq", "1", "3000000"]))
            Thread.sleep(forTimeInterval: 12)  // the behaviour under test: a reader that pauses
            return try client.readAllFrames()
        }
        #expect(frames.exitStatus == .exited(0), "\(frames.failureReason ?? "no EXT")")
        let text = frames.outputText
        #expect(text.hasPrefix("1\n2\n") && text.hasSuffix("\n2999999\n3000000\n"))
        #expect(text.utf8.count == 22_888_896)
    }

    @Test func aPausedReaderIsNotTakenForDeadByTheKeepalive() async throws {
        // A version-3 client that stops reading cannot see PNG, so it cannot answer: while the
        // agent's output waits for it, the keepalive must not end the session (three 1 s
        // intervals pass during the pause).
        let agent = try TestAgent(extraArguments: ["--keepalive-seconds", "1"])
        let frames = try await blocking {
            let client = try RawClient(port: agent.port, timeoutSeconds: 10)
            client.send(.option(.version(3)), .command(["seq", "1", "3000000"]))
            Thread.sleep(forTimeInterval: 5)
            return try client.readAllFrames()
        }
        #expect(frames.exitStatus == .exited(0), "\(frames.failureReason ?? "no EXT")")
        #expect(frames.outputText.utf8.count == 22_888_896)
    }

    @Test func aClientThatNeverSendsItsCommandIsDroppedAtTheHandshakeTimeout() async throws {
        let agent = try TestAgent(extraArguments: ["--handshake-timeout", "1"])
        let (frames, seconds) = try await blocking {
            let started = Date()
            let client = try RawClient(port: agent.port, timeoutSeconds: 5)
            client.send(.option(.version(1)), .option(.stderr))
            // VER comes at once: the time that counts is when BAD has come too.
            var frames: [Frame] = []
            while frames.last?.token != .failure && client.waitUntilReadable(seconds: 5) {
                guard client.readAvailable() else { break }
                frames = try client.framesReceived()
            }
            let seconds = Date().timeIntervalSince(started)
            return (try client.readAllFrames(), seconds)
        }
        #expect(frames.map(\.token) == [.version, .failure])
        #expect(frames.failureReason == "command deadline passed: no CMD frame (or resume) within 1 s of connecting")
        #expect(seconds < 3)
    }
}
