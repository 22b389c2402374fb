// The outcome of one run across the fleet: each host's final state and timing, the summary
// table printed at the end, and the process exit code derived from it.

import DistRunClient
import DistRunWire
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

public struct HostRecord: Sendable {
    public var endpoint: HostEndpoint
    public var state = HostState.connecting
    public var startedAt: ContinuousClock.Instant
    /// The same moment on the wall clock, for records.
    public var startedWall = Date()
    public var endedAt: ContinuousClock.Instant?
    public var outputBytes = 0
    public var errorBytes = 0
    /// Output lost while the host was disconnected (a resumed session's replay fell short).
    public var lostBytes: UInt64 = 0

    public init(endpoint: HostEndpoint, startedAt: ContinuousClock.Instant) {
        self.endpoint = endpoint
        self.startedAt = startedAt
    }

    public mutating func count(_ bytes: Int, from stream: StreamKind) {
        if stream == .stderr { errorBytes += bytes } else { outputBytes += bytes }
    }

    public var duration: Duration? { endedAt.map { $0 - startedAt } }
}

/// Exit codes of `distrun`, most serious first when several apply.
public enum RunExitCode {
    public static let success: Int32 = 0
    /// Every host ran the command, and some command exited non-zero or was killed by a signal.
    public static let commandFailed: Int32 = 1
    /// Some host was unreachable, timed out, refused the session or lost its connection.
    public static let hostFailed: Int32 = 2
    /// Bad command line or hosts file.
    public static let usage: Int32 = 64
    /// Ctrl-C (or SIGTERM) ended the run; the output so far and the summary were still printed.
    public static let interrupted: Int32 = 130
}

public struct RunReport: Sendable {
    public var records: [HostRecord]
    /// The user interrupted the run (its remote commands were ended).
    public var interrupted = false

    public init(records: [HostRecord]) { self.records = records }

    public var isComplete: Bool { records.allSatisfy(\.state.isFinal) }

    public var failedHosts: [HostRecord] {
        records.filter { if case .failed = $0.state { true } else { false } }
    }

    public var exitCode: Int32 {
        if interrupted { return RunExitCode.interrupted }
        if !failedHosts.isEmpty { return RunExitCode.hostFailed }
        let allSucceeded = records.allSatisfy { $0.state == .exited(.exited(0)) }
        return allSucceeded ? RunExitCode.success : RunExitCode.commandFailed
    }

    /// The table printed after a run, one host a line, then the hosts that could not run.
    public func summary() -> String {
        let nameWidth = records.map(\.endpoint.name.count).max() ?? 0
        var lines = records.map { record in
            let name = record.endpoint.name + String(repeating: " ", count: nameWidth - record.endpoint.name.count)
            let time = record.duration.map { formatSeconds($0) } ?? "        -"
            return "  \(name)  \(time)  \(record.state)"
        }
        let ok = records.filter { $0.state == .exited(.exited(0)) }.count
        let failed = failedHosts
        lines.insert(
            "distrun: \(records.count) hosts: \(ok) ok, \(records.count - ok - failed.count) command failed, "
                + "\(failed.count) host failed", at: 0)
        if !failed.isEmpty {
            lines.append("distrun: failed hosts: " + failed.map(\.endpoint.name).joined(separator: " "))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// `   12.34s`: right-aligned, two decimals.
func formatSeconds(_ duration: Duration) -> String {
    let hundredths = duration.components.seconds * 100 + duration.components.attoseconds / 10_000_000_000_000_000
    let text = "\(hundredths / 100).\(String(hundredths % 100 + 100).dropFirst())s"
    return String(repeating: " ", count: max(0, 9 - text.count)) + text
}
