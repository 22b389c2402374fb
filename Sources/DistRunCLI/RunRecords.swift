// What `--record` and `--failed` write after a run: one JSON line per host for tools, and the
// hosts that failed in hosts.conf form, so `distrun -H FILE` runs them again.

import DistRunClient
import DistRunSession
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif

extension FleetRun {
    static func writeRecords(_ report: RunReport, _ options: RunOptions) {
        if let path = options.recordFile {
            write(report.records.map(jsonLine).joined(), to: path)
        }
        if let path = options.failedHostsFile {
            let failed = report.records.filter { $0.state != .exited(.exited(0)) }
            write(failed.map { "\($0.endpoint.address) \($0.endpoint.name)\n" }.joined(), to: path)
        }
    }

    private static func write(_ text: String, to path: String) {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            FileDescriptorWriter.writeAll(STDERR_FILENO, Array("distrun: cannot write \(path): \(error)\n".utf8))
        }
    }

    static func jsonLine(_ record: HostRecord) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = (try? encoder.encode(RecordLine(record))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// One host's `--record` line. `duration_s` and `error` are always there (null when they do not
/// apply); `exit_code` and `signal` only when the command ended that way.
private struct RecordLine: Encodable {
    var host: String
    var address: String
    var start: String
    var durationSeconds: Double?
    var bytesOut: Int
    var bytesErr: Int
    var bytesLost: UInt64
    var status = "unfinished"
    var exitCode: Int32?
    var signal: Int32?
    var timedOut = false
    var unreachable = false
    var error: String?

    enum CodingKeys: String, CodingKey {
        case host, address, start, status, signal, unreachable, error
        case durationSeconds = "duration_s", bytesOut = "bytes_out", bytesErr = "bytes_err"
        case bytesLost = "bytes_lost", exitCode = "exit_code", timedOut = "timed_out"
    }

    init(_ record: HostRecord) {
        host = record.endpoint.name
        address = record.endpoint.address
        start = record.startedWall.formatted(.iso8601)
        durationSeconds = record.duration.map {
            Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18
        }
        bytesOut = record.outputBytes
        bytesErr = record.errorBytes
        bytesLost = record.lostBytes
        switch record.state {
        case .exited(.exited(let code)): status = code == 0 ? "ok" : "failed"; exitCode = code
        case .exited(.signaled(let number)): status = "failed"; signal = number
        case .failed(let failure):
            status = failure.kind.rawValue
            timedOut = failure.kind == .timedOut
            unreachable = failure.kind == .unreachable
            error = failure.reason
        case .connecting, .running, .reconnecting: break
        }
    }

    func encode(to encoder: Encoder) throws {
        var fields = encoder.container(keyedBy: CodingKeys.self)
        try fields.encode(host, forKey: .host)
        try fields.encode(address, forKey: .address)
        try fields.encode(start, forKey: .start)
        try fields.encode(durationSeconds, forKey: .durationSeconds)  // null while unknown
        try fields.encode(bytesOut, forKey: .bytesOut)
        try fields.encode(bytesErr, forKey: .bytesErr)
        try fields.encode(bytesLost, forKey: .bytesLost)
        try fields.encode(status, forKey: .status)
        try fields.encodeIfPresent(exitCode, forKey: .exitCode)
        try fields.encodeIfPresent(signal, forKey: .signal)
        try fields.encode(timedOut, forKey: .timedOut)
        try fields.encode(unreachable, forKey: .unreachable)
        try fields.encode(error, forKey: .error)  // null unless the host failed
    }
}
