// Reaps the agent's commands. One thread polls a pidfd per child (plus a wake-up pipe), and
// reaps exactly the pids it was given, so it never steals another part of the process's
// children (tests run agents in-process beside Foundation's Process). Callbacks run on the
// reaper thread and must hop to their own event loop.

import CDistRunSystem
import DistRunWire
import Foundation
import NIOConcurrencyHelpers

public final class ChildReaper: Sendable {
    public typealias ExitHandler = @Sendable (TerminationStatus) -> Void

    private struct Watched {
        var pid: pid_t
        var onExit: ExitHandler
    }

    private struct State {
        var watched: [CInt: Watched] = [:]  // keyed by pidfd
        /// Children the orphan scan reaped before `watch` was called for them (a command that
        /// ended at once), so their status is not lost; bounded.
        var reapedEarly: [pid_t: TerminationStatus] = [:]
        var reapedEarlyOrder: [pid_t] = []
    }

    // One lock orders `watch` against the orphan scan: a child is either watched or reaped by
    // the scan, never both (or a pidfd could point at a child that is already gone).
    private let state = NIOLockedValueBox(State())
    private let reapsOrphans = NIOLockedValueBox(false)
    private let wakeRead: CInt
    private let wakeWrite: CInt

    public static let shared = ChildReaper()

    private init() {
        var fds: [CInt] = [0, 0]
        precondition(drs_pipe(&fds, 1) == 0, "pipe2 failed: \(errno)")
        (wakeRead, wakeWrite) = (fds[0], fds[1])
        let thread = Thread { [self] in run() }
        thread.name = "distrun-reaper"
        thread.start()
    }

    /// Calls `onExit` once `pid` has ended and been reaped. `pid` must be a child not yet reaped.
    public func watch(pid: pid_t, onExit: @escaping ExitHandler) {
        enum Outcome { case watched, alreadyEnded(TerminationStatus), noDescriptor }
        let outcome = state.withLockedValue { state -> Outcome in
            if let status = state.reapedEarly.removeValue(forKey: pid) { return .alreadyEnded(status) }
            let pidfd = drs_pidfd_open(pid)
            guard pidfd >= 0 else { return .noDescriptor }
            state.watched[pidfd] = Watched(pid: pid, onExit: onExit)
            return .watched
        }
        switch outcome {
        case .watched:
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        case .alreadyEnded(let status):
            onExit(status)
        case .noDescriptor:
            // Out of descriptors: wait for this one child on a thread of its own instead.
            Thread { onExit(Self.reap(pid, blocking: true) ?? .signaled(SIGKILL)) }.start()
        }
    }

    /// Hangs up the process group of every child not yet reaped: for a process that hosts agents
    /// and is about to exit (the dashboard's local agents).
    public func hangUpAll() {
        let pids = state.withLockedValue { $0.watched.values.map(\.pid) }
        for pid in pids { for signal in [SIGHUP, SIGTERM, SIGCONT] { kill(-pid, signal) } }
    }

    /// Makes this process the subreaper of its descendants: a command's double-forked children
    /// come back to it when their parent dies, and are reaped here (once a second) instead of
    /// staying zombies. For the agent process only: it reaps children it was not told about.
    public func adoptOrphans() {
        guard drs_become_subreaper() == 0 else { return }
        reapsOrphans.withLockedValue { $0 = true }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    private func run() {
        while true {
            var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            fds += state.withLockedValue { $0.watched.keys.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) } }
            let orphans = reapsOrphans.withLockedValue { $0 }
            _ = poll(&fds, nfds_t(fds.count), orphans ? 1000 : -1)
            if fds[0].revents != 0 { drainWakeups() }
            for entry in fds.dropFirst() where entry.revents != 0 {
                reapExited(pidfd: entry.fd)
            }
            if orphans { reapAdoptedOrphans() }
        }
    }

    /// Reaps exited children nobody watches (adopted orphans); stops at a watched one, which its
    /// pidfd reports.
    private func reapAdoptedOrphans() {
        state.withLockedValue { state in
            while case let pid = drs_peek_exited_child(), pid > 0 {
                guard !state.watched.values.contains(where: { $0.pid == pid }) else { return }
                guard let status = Self.reap(pid, blocking: false) else { return }
                state.reapedEarly[pid] = status
                state.reapedEarlyOrder.append(pid)
                if state.reapedEarlyOrder.count > 1024 {
                    state.reapedEarly.removeValue(forKey: state.reapedEarlyOrder.removeFirst())
                }
            }
        }
    }

    private func reapExited(pidfd: CInt) {
        let reaped = state.withLockedValue { state -> (Watched, TerminationStatus)? in
            guard let child = state.watched[pidfd], let status = Self.reap(child.pid, blocking: false) else {
                return nil
            }
            state.watched.removeValue(forKey: pidfd)
            return (child, status)
        }
        guard let (child, status) = reaped else { return }
        close(pidfd)
        child.onExit(status)
    }

    private static func reap(_ pid: pid_t, blocking: Bool) -> TerminationStatus? {
        var status: CInt = 0
        var result: pid_t
        repeat { result = waitpid(pid, &status, blocking ? 0 : WNOHANG) } while result < 0 && errno == EINTR
        guard result == pid else { return nil }
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift cannot import.
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signaled(signal)
    }

    private func drainWakeups() {
        var scratch = [UInt8](repeating: 0, count: 64)
        while read(wakeRead, &scratch, scratch.count) > 0 {}
    }
}
