// Ending a command means ending its whole process group (the command leads a new session),
// so grandchildren in the group go too: hang up first, then kill after a grace period.

import Foundation
import NIOCore

public enum ProcessGroup {
    /// SIGHUP and SIGTERM (and SIGCONT so stopped members see them), then SIGKILL after `grace`.
    /// The group id is the leader's pid; Linux hands out pids in sequence, so it cannot name
    /// another group within the grace period.
    public static func terminate(_ pgid: pid_t, grace: TimeAmount, on loop: EventLoop) {
        for signal in [SIGHUP, SIGTERM, SIGCONT] { kill(-pgid, signal) }
        loop.scheduleTask(in: grace) { kill(-pgid, SIGKILL) }
    }
}
