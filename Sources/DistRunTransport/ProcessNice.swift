// `nice -n 10 distrund` (or systemd's Nice=) sets the nice of the process's first thread only:
// Linux keeps one per thread, a new thread takes its creator's, and Swift's concurrency runtime
// runs `main` on threads of its own at nice 0 (one even at -4), from which the event loops'
// threads are made. So the agent's work, and the commands it starts (they take the nice of the
// event-loop thread that starts them), ran at 0 whatever the agent was started with.

import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

public enum ProcessNice {
    /// The nice the process was started with: its first thread's (0 if it cannot be read).
    public static var startedWith: Int32 {
        errno = 0
        let nice = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(getpid()))
        return nice == -1 && errno != 0 ? 0 : nice
    }

    /// Gives every event loop of `group` the nice the process was started with.
    public static func apply(to group: EventLoopGroup) async {
        let nice = startedWith
        for loop in group.makeIterator() {
            try? await loop.submit { setForCallingThread(nice) }.get()
        }
    }

    /// Gives the calling thread the nice the process was started with (a thread that will run
    /// one job for the life of the process, such as the dashboard's frame loop).
    public static func applyToCallingThread() { setForCallingThread(startedWith) }

    /// On Linux, PRIO_PROCESS with 0 is the calling thread alone.
    private static func setForCallingThread(_ nice: Int32) {
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice)
    }
}
