// The one hand-off from the network threads to a front end. Event loops push; the front end's
// thread takes batches. Output is counted per host: a host whose queued output passes the high
// watermark is told to pause (its connection stops reading, so TCP pushes back on the agent)
// and is resumed once its output is below the low watermark again: once taken, or, for a front
// end that keeps a backlog of its own, once it reports the output applied (`.whenApplied`), so
// that it can take everything at once and still hold only a bounded amount per host. So each
// host's pending output is bounded and a slow terminal never grows memory. The lock guards only
// the arrays; resume callbacks run after it is released.

import CDistRunSystem
#if canImport(Glibc)
    import Glibc
#endif
import NIOConcurrencyHelpers
import NIOCore

public final class HostEventQueue: Sendable {
    public static let defaultHighWatermarkBytes = 1 << 20
    public static let defaultLowWatermarkBytes = 256 << 10

    /// When a host's output stops counting against its watermarks.
    public enum OutputRelease: Sendable {
        /// As soon as a take hands it over.
        case whenTaken
        /// When the front end calls `markApplied` for it.
        case whenApplied
    }

    private struct State {
        var events: [HostEvent] = []
        var queuedBytes: [HostID: Int] = [:]
        var resumers: [HostID: @Sendable () -> Void] = [:]
    }

    private let highWatermarkBytes: Int
    private let lowWatermarkBytes: Int
    private let release: OutputRelease
    // Condition value: 1 while events are waiting, 0 when empty.
    private let condition = ConditionLock(value: 0)
    private let state = NIOLockedValueBox(State())
    private let wakePipe: (read: CInt, write: CInt)

    /// Becomes readable while events are waiting: a front end polls it beside its terminal.
    public var wakeDescriptor: CInt { wakePipe.read }

    public init(
        highWatermarkBytes: Int = HostEventQueue.defaultHighWatermarkBytes,
        lowWatermarkBytes: Int = HostEventQueue.defaultLowWatermarkBytes,
        release: OutputRelease = .whenTaken
    ) {
        self.highWatermarkBytes = highWatermarkBytes
        self.lowWatermarkBytes = lowWatermarkBytes
        self.release = release
        var fds: [CInt] = [0, 0]
        precondition(drs_pipe(&fds, 1) == 0, "cannot create the event queue's wake-up pipe")
        wakePipe = (fds[0], fds[1])
    }

    deinit {
        close(wakePipe.read)
        close(wakePipe.write)
    }

    /// Queues `event`. Returns true when its host should stop producing until `resume` is called
    /// through `resumeWhenDrained`.
    @discardableResult
    public func push(_ event: HostEvent) -> Bool {
        condition.lock()
        let (overWatermark, wasEmpty) = state.withLockedValue { state in
            let wasEmpty = state.events.isEmpty
            state.events.append(event)
            guard case .output(let host, _, let bytes) = event else { return (false, wasEmpty) }
            state.queuedBytes[host, default: 0] += bytes.readableBytes
            return (state.queuedBytes[host]! > highWatermarkBytes, wasEmpty)
        }
        condition.unlock(withValue: 1)
        if wasEmpty {
            var byte: UInt8 = 1
            _ = write(wakePipe.write, &byte, 1)
        }
        return overWatermark
    }

    /// Calls `resume` once `host`'s queued output is below the low watermark (at once if it is).
    public func resumeWhenDrained(host: HostID, _ resume: @escaping @Sendable () -> Void) {
        let drained = state.withLockedValue { state in
            if state.queuedBytes[host, default: 0] <= lowWatermarkBytes { return true }
            state.resumers[host] = resume
            return false
        }
        if drained { resume() }
    }

    /// With `.whenApplied`: `bytes` of `host`'s taken output are applied and no longer count.
    public func markApplied(_ bytes: Int, of host: HostID) {
        let resume = state.withLockedValue { state -> (@Sendable () -> Void)? in
            let queued = max(0, state.queuedBytes[host, default: 0] - bytes)
            state.queuedBytes[host] = queued == 0 ? nil : queued
            guard queued <= lowWatermarkBytes else { return nil }
            return state.resumers.removeValue(forKey: host)
        }
        resume?()
    }

    /// Waits up to `timeoutSeconds` for events and takes all of them (empty on timeout).
    public func take(timeoutSeconds: Double) -> [HostEvent] {
        guard condition.lock(whenValue: 1, timeoutSeconds: timeoutSeconds) else { return [] }
        let (events, resumers) = takeLocked()
        condition.unlock(withValue: 0)
        resumers.forEach { $0() }
        return events
    }

    /// Takes whatever is queued, without waiting.
    public func takeAvailable() -> [HostEvent] {
        condition.lock()
        let (events, resumers) = takeLocked()
        condition.unlock(withValue: 0)
        resumers.forEach { $0() }
        return events
    }

    private func takeLocked() -> ([HostEvent], [@Sendable () -> Void]) {
        var scratch = [UInt8](repeating: 0, count: 64)
        while read(wakePipe.read, &scratch, scratch.count) > 0 {}
        return state.withLockedValue { state in
            let events = state.events
            state.events = []
            guard release == .whenTaken else { return (events, []) }
            state.queuedBytes = [:]
            let resumers = Array(state.resumers.values)
            state.resumers = [:]
            return (events, resumers)
        }
    }
}
