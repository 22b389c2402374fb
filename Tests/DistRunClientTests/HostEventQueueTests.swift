// HostEventQueue: the hand-off from network threads to the front end. Events come out in push
// order; a host whose queued output passes the high watermark is told to pause, and its resume
// callback runs once a take has drained it below the low watermark (or, with `.whenApplied`,
// once the front end reports it applied). Watermarks count per host.
// take(timeoutSeconds:) returns [] on timeout and wakes as soon as another thread pushes.

import DistRunClient
import Foundation
import NIOCore
import Testing

/// A counter the queue's @Sendable callbacks can bump from any thread.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}

private func output(_ host: HostID, _ byteCount: Int, _ stream: StreamKind = .stdout) -> HostEvent {
    .output(host, stream, ByteBuffer(repeating: UInt8(ascii: "x"), count: byteCount))
}

@Suite struct HostEventQueueTests {
    @Test func eventsComeOutInPushOrderAndOnlyOnce() {
        let queue = HostEventQueue()
        let events: [HostEvent] = [
            .stateChanged(0, .connecting), .stateChanged(1, .running), output(1, 3), output(0, 1, .stderr),
            .stateChanged(0, .exited(.exited(0))), output(1, 2),
        ]
        for event in events { queue.push(event) }
        #expect(queue.takeAvailable() == events)
        #expect(queue.takeAvailable().isEmpty)
        queue.push(.stateChanged(2, .running))
        #expect(queue.take(timeoutSeconds: 1) == [.stateChanged(2, .running)])
    }

    @Test func eachProducerThreadsEventsStayInOrder() async {
        let queue = HostEventQueue()
        let perHost = 500
        await withTaskGroup(of: Void.self) { group in
            for host in 0..<4 {
                group.addTask { for index in 0..<perHost { queue.push(output(host, index + 1)) } }
            }
        }
        let taken = queue.takeAvailable()
        #expect(taken.count == 4 * perHost)
        for host in 0..<4 {
            let sizes = taken.compactMap { event -> Int? in
                guard case .output(host, _, let bytes) = event else { return nil }
                return bytes.readableBytes
            }
            #expect(sizes == Array(1...perHost), "host \(host) out of order")
        }
    }

    @Test func pushAsksToPauseOnlyPastTheHighWatermark() {
        let queue = HostEventQueue(highWatermarkBytes: 10, lowWatermarkBytes: 4)
        #expect(queue.push(output(0, 6)) == false)
        #expect(queue.push(.stateChanged(0, .running)) == false)
        #expect(queue.push(output(0, 4)) == false, "exactly at the high watermark is not past it")
        #expect(queue.push(output(0, 1)) == true)
        #expect(queue.push(output(0, 1)) == true, "still over")
        _ = queue.takeAvailable()
        #expect(queue.push(output(0, 10)) == false, "a take resets the count")
    }

    @Test func resumeRunsAtOnceWhenUnderTheLowWatermark() {
        let queue = HostEventQueue(highWatermarkBytes: 10, lowWatermarkBytes: 4)
        let resumed = Counter()
        queue.resumeWhenDrained(host: 0) { resumed.increment() }
        #expect(resumed.value == 1, "nothing queued")
        queue.push(output(0, 4))
        queue.resumeWhenDrained(host: 0) { resumed.increment() }
        #expect(resumed.value == 2, "at the low watermark counts as drained")
    }

    @Test(arguments: [false, true])
    func resumeWaitsForATakeWhenAboveTheLowWatermark(useTimedTake: Bool) {
        let queue = HostEventQueue(highWatermarkBytes: 10, lowWatermarkBytes: 4)
        let resumed = Counter()
        #expect(queue.push(output(0, 11)))
        queue.resumeWhenDrained(host: 0) { resumed.increment() }
        #expect(resumed.value == 0)
        queue.push(output(0, 1))
        queue.push(.stateChanged(0, .running))
        #expect(resumed.value == 0, "pushing more must not resume")
        let taken = useTimedTake ? queue.take(timeoutSeconds: 1) : queue.takeAvailable()
        #expect(taken.count == 3)
        #expect(resumed.value == 1)
        _ = queue.takeAvailable()
        #expect(resumed.value == 1, "a resume callback runs once")
    }

    @Test func watermarksArePerHost() {
        let queue = HostEventQueue(highWatermarkBytes: 10, lowWatermarkBytes: 4)
        let resumedBusy = Counter()
        let resumedQuiet = Counter()
        #expect(queue.push(output(0, 20)) == true)
        #expect(queue.push(output(1, 3)) == false, "host 1 is under its own watermark")
        #expect(queue.push(output(1, 7)) == false)
        queue.resumeWhenDrained(host: 1) { resumedQuiet.increment() }
        #expect(resumedQuiet.value == 0, "host 1 has 10 bytes, above its low watermark")
        queue.resumeWhenDrained(host: 2) { resumedQuiet.increment() }
        #expect(resumedQuiet.value == 1, "host 2 has nothing queued, whatever host 0 holds")
        queue.resumeWhenDrained(host: 0) { resumedBusy.increment() }
        #expect(resumedBusy.value == 0)
        #expect(queue.push(output(1, 1)) == true, "host 1 passes its own high watermark")
        _ = queue.takeAvailable()
        #expect(resumedBusy.value == 1)
        #expect(resumedQuiet.value == 2)
    }

    @Test func whenAppliedTakenOutputCountsUntilMarkedApplied() {
        let queue = HostEventQueue(highWatermarkBytes: 10, lowWatermarkBytes: 4, release: .whenApplied)
        let resumed = Counter()
        #expect(queue.push(output(0, 12)))
        queue.resumeWhenDrained(host: 0) { resumed.increment() }
        #expect(queue.takeAvailable() == [output(0, 12)])
        #expect(resumed.value == 0, "taken is not applied")
        #expect(queue.push(output(0, 1)), "taken output still counts against the watermark")
        queue.markApplied(8, of: 0)
        #expect(resumed.value == 0, "5 bytes left, above the low watermark")
        queue.markApplied(1, of: 0)
        #expect(resumed.value == 1, "at the low watermark")
        queue.markApplied(4, of: 0)
        #expect(resumed.value == 1, "a resume callback runs once")
        #expect(queue.push(output(0, 10)) == false, "nothing counts once all is applied")
    }

    @Test func whenAppliedCountsPerHost() {
        let queue = HostEventQueue(highWatermarkBytes: 10, lowWatermarkBytes: 4, release: .whenApplied)
        let resumed = Counter()
        #expect(queue.push(output(0, 11)))
        #expect(queue.push(output(1, 11)))
        queue.resumeWhenDrained(host: 0) { resumed.increment() }
        queue.resumeWhenDrained(host: 1) { resumed.increment() }
        _ = queue.takeAvailable()
        queue.markApplied(11, of: 1)
        #expect(resumed.value == 1, "only host 1 was applied")
        queue.markApplied(100, of: 7)
        #expect(queue.push(output(7, 10)) == false, "applying more than was queued counts as none")
    }

    @Test func timedTakeReturnsEmptyAfterTheTimeout() {
        let queue = HostEventQueue()
        let clock = ContinuousClock()
        let elapsed = clock.measure { #expect(queue.take(timeoutSeconds: 0.2).isEmpty) }
        #expect(elapsed >= .milliseconds(150), "returned after \(elapsed), before the timeout")
        #expect(elapsed < .seconds(5))
    }

    @Test func timedTakeReturnsQueuedEventsWithoutWaiting() {
        let queue = HostEventQueue()
        queue.push(.stateChanged(0, .running))
        let clock = ContinuousClock()
        var taken: [HostEvent] = []
        let elapsed = clock.measure { taken = queue.take(timeoutSeconds: 30) }
        #expect(taken == [.stateChanged(0, .running)])
        #expect(elapsed < .seconds(5))
    }

    /// The consumer blocks in take with a long timeout; a separate thread pushes once told the
    /// consumer is about to wait. Getting the event (not []) proves the push woke the taker.
    @Test func timedTakeWakesWhenAnotherThreadPushes() {
        let queue = HostEventQueue()
        let consumerWaiting = DispatchSemaphore(value: 0)
        let rounds = 20
        let pusher = Thread {
            for round in 0..<rounds {
                consumerWaiting.wait()
                queue.push(.stateChanged(round, .running))
            }
        }
        pusher.start()
        let clock = ContinuousClock()
        for round in 0..<rounds {
            consumerWaiting.signal()
            var taken: [HostEvent] = []
            let elapsed = clock.measure { taken = queue.take(timeoutSeconds: 30) }
            #expect(taken == [.stateChanged(round, .running)], "round \(round)")
            #expect(elapsed < .seconds(10), "round \(round) woke only after \(elapsed)")
        }
    }

    @Test func pushFromAsyncCodeWakesATakeOnAnotherThread() async {
        let queue = HostEventQueue()
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<[HostEvent], Never>) in
            Thread { continuation.resume(returning: queue.take(timeoutSeconds: 30)) }.start()
            // Pushed from async code, not from a new Task: tests that block the few cooperative
            // threads could starve such a Task past the timeout.
            queue.push(output(3, 5))
        }
        #expect(result == [output(3, 5)])
    }
}
