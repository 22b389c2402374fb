// What `--record` and `--failed` write after a run: one JSON line per host for tools, and the
// hosts that failed in hosts.conf form, so `distrun -H FILE` runs them again.

import DistRunClient
import DistRunSession
import Foundation

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
        var fields: [String: Any] = [
            "host": record.endpoint.name, "address": record.endpoint.address,
            "start": ISO8601DateFormatter().string(from: record.startedWall),
            "duration_s": record.duration.map {
                Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18
            } ?? NSNull(),
            "bytes_out": record.outputBytes, "bytes_err": record.errorBytes, "bytes_lost": record.lostBytes,
        ]
        var failure: HostFailure?
        switch record.state {
        case .exited(.exited(let code)): fields["status"] = code == 0 ? "ok" : "failed"; fields["exit_code"] = code
        case .exited(.signaled(let signal)): fields["status"] = "failed"; fields["signal"] = signal
        case .failed(let hostFailure): fields["status"] = hostFailure.kind.rawValue; failure = hostFailure
        case .connecting, .running, .reconnecting: fields["status"] = "unfinished"
        }
        fields["timed_out"] = failure?.kind == .timedOut
        fields["unreachable"] = failure?.kind == .unreachable
        fields["error"] = failure?.reason ?? NSNull()
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
