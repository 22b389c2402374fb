// Ctrl-C during a run: the first ends the remote commands and lets the run report what it
// has; a second within a second exits at once (exit code 130), as impatient users expect.

import DistRunSession
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif

final class Interrupts {
    private let signals = SignalPipe([SIGINT, SIGTERM])
    private var last: Date?

    /// True once an interrupt has arrived; exits the process on a second one within a second.
    func check() -> Bool {
        guard !signals.takeAll().isEmpty else { return last != nil }
        if let last, Date().timeIntervalSince(last) < 1 {
            FileDescriptorWriter.writeAll(STDERR_FILENO, Array("distrun: interrupted again, exiting\n".utf8))
            exit(RunExitCode.interrupted)
        }
        last = Date()
        FileDescriptorWriter.writeAll(
            STDERR_FILENO, Array("distrun: interrupted, ending remote commands (again to quit now)\n".utf8))
        return true
    }
}
