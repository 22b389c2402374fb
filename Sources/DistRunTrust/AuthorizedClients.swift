// The agent's list of clients it admits, like OpenSSH's authorized_keys: one fingerprint a
// line, optionally followed by a note (whose key it is); `#` comments and blank lines ignored.
//
//     # ops laptop
//     SHA256:2d3W7sW0xb7YtQd1OQ3cLZ6yJ1ZJ9xQvHn8y8rYpVtE  alice@laptop

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

public struct AuthorizedClients: Sendable {
    public static let fileName = "authorized-clients"

    public let fingerprints: Set<Fingerprint>

    public init(_ fingerprints: Set<Fingerprint>) { self.fingerprints = fingerprints }

    public func admits(_ fingerprint: Fingerprint) -> Bool { fingerprints.contains(fingerprint) }

    public static func parse(_ text: String, file: String) throws -> AuthorizedClients {
        var fingerprints: Set<Fingerprint> = []
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let content = line.prefix { $0 != "#" }
            guard let first = content.split(whereSeparator: \.isWhitespace).first else { continue }
            guard let fingerprint = Fingerprint(parsing: String(first)) else {
                throw TrustError.badLine(
                    file: file, line: index + 1,
                    message: "'\(first)' is not a key fingerprint (SHA256: and 43 base64 characters, as keygen prints)")
            }
            fingerprints.insert(fingerprint)
        }
        return AuthorizedClients(fingerprints)
    }

    /// Reads the file; a missing file admits nobody (and says so).
    public static func load(_ path: String) throws -> AuthorizedClients {
        guard let data = FileManager.default.contents(atPath: path) else { return AuthorizedClients([]) }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }
}
