// The client's memory of agents, like OpenSSH's known_hosts: one `ADDRESS FINGERPRINT` a line.
// The first connection to an address pins the agent's key (trust on first use, recorded at
// once); a different key later is refused loudly, since it means a new agent or an attacker.

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif
import NIOConcurrencyHelpers

public final class KnownAgents: Sendable {
    public static let fileName = "known-agents"

    public enum Verdict: Equatable, Sendable {
        /// The key matches the one pinned for this address.
        case known
        /// First meeting: the key is now pinned.
        case pinned
        /// The address had another key: refuse.
        case changed(expected: Fingerprint)
    }

    private let path: String?
    private let entries: NIOLockedValueBox<[String: Fingerprint]>
    private let firstSaveFailure = NIOLockedValueBox<String?>(nil)

    /// Loads `path` (a missing file is an empty list); nil keeps the list in memory only.
    public init(path: String?) throws {
        self.path = path
        var entries: [String: Fingerprint] = [:]
        if let path, let data = FileManager.default.contents(atPath: path) {
            let text = String(decoding: data, as: UTF8.self)
            for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
            {
                let fields = line.prefix { $0 != "#" }.split(whereSeparator: \.isWhitespace)
                guard !fields.isEmpty else { continue }
                guard fields.count >= 2, let fingerprint = Fingerprint(parsing: String(fields[1])) else {
                    throw TrustError.badLine(file: path, line: index + 1, message: "expected 'ADDRESS SHA256:…'")
                }
                entries[String(fields[0])] = fingerprint
            }
        }
        self.entries = NIOLockedValueBox(entries)
    }

    /// Checks `fingerprint` for `address` (`host:port`), pinning it on first use.
    public func verify(address: String, fingerprint: Fingerprint) -> Verdict {
        let verdict = entries.withLockedValue { entries -> Verdict in
            switch entries[address] {
            case .some(fingerprint): return .known
            case .some(let expected): return .changed(expected: expected)
            case .none:
                entries[address] = fingerprint
                return .pinned
            }
        }
        if verdict == .pinned { save("\(address) \(fingerprint)\n") }
        return verdict
    }

    public func pin(address: String, fingerprint: Fingerprint) {
        _ = entries.withLockedValue { $0[address] = fingerprint }
        save("\(address) \(fingerprint)\n")
    }

    /// Why a newly pinned key could not be written (a read-only folder, a full disk): the
    /// connection goes on, but the user must hear that the pin will not last.
    public var saveFailure: String? { firstSaveFailure.withLockedValue { $0 } }

    private func save(_ line: String) {
        guard let path else { return }
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        let bytes = Array(line.utf8)
        let written = fd >= 0 ? Glibc.write(fd, bytes, bytes.count) : -1
        let reason = written == bytes.count ? nil : String(cString: strerror(errno))
        if fd >= 0 { close(fd) }
        guard let reason else { return }
        firstSaveFailure.withLockedValue { failure in
            if failure == nil {
                failure = "cannot save new agent keys to \(path): \(reason); they are trusted for this run only"
            }
        }
    }
}
