// The `OPT` payloads a client may send before `CMD`: `key` or `key=value`, ASCII.
// An agent rejects an option it does not know, so a client never silently loses a feature.

public enum ClientOption: Equatable, Sendable {
    /// `version=N`: the client speaks protocol version N; the agent answers with `VER`.
    case version(Int)
    /// `stdin`: connect the command's stdin to `INP` frames (otherwise it is at EOF at once).
    case stdin
    /// `stderr`: send stderr as `ERR` frames instead of merging it into `OUT`.
    case stderr

    public var payload: String {
        switch self {
        case .version(let number): "version=\(number)"
        case .stdin: "stdin"
        case .stderr: "stderr"
        }
    }

    public init(payload: String) throws {
        let parts = payload.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let key = String(parts[0])
        let value = parts.count > 1 ? String(parts[1]) : nil
        switch (key, value) {
        case ("version", let value?):
            guard let number = Int(value), number >= 0 else {
                throw ProtocolError.malformedPayload(.option, reason: "version '\(value)' is not a number")
            }
            self = .version(number)
        case ("stdin", nil): self = .stdin
        case ("stderr", nil): self = .stderr
        default: throw ProtocolError.unknownOption(payload)
        }
    }
}

public enum ProtocolVersion {
    /// The version this build speaks. 0 is the original design (no `OPT version`).
    public static let current = 1
}
