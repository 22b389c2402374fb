// The `OPT` payloads a client may send before `CMD`: `key` or `key=value`, ASCII.
// An agent rejects an option it does not know, so a client never silently loses a feature.

public enum ClientOption: Equatable, Sendable {
    /// `version=N`: the client speaks protocol version N; the agent answers with `VER`.
    case version(Int)
    /// `stdin`: connect the command's stdin to `INP` frames (otherwise it is at EOF at once).
    case stdin
    /// `stderr`: send stderr as `ERR` frames instead of merging it into `OUT`.
    case stderr
    /// `pty=COLSxROWS`: run the command on a pseudo-terminal of that size (version 2).
    case pty(WindowSize)
    /// `term=NAME`: the `TERM` the command sees on its pseudo-terminal (version 2).
    case term(String)
    /// `keep` or `keep=SECONDS`: the command outlives a dropped connection for that long (the
    /// agent's grace period when absent or larger), and can be resumed (version 4).
    case keep(seconds: Int?)
    /// `resume=ID@OFFSET`: reattach to a kept session instead of sending `CMD` (version 4).
    case resume(SessionResume)

    public var payload: String {
        switch self {
        case .version(let number): "version=\(number)"
        case .stdin: "stdin"
        case .stderr: "stderr"
        case .pty(let size): "pty=\(size.payload)"
        case .term(let name): "term=\(name)"
        case .keep(let seconds): seconds.map { "keep=\($0)" } ?? "keep"
        case .resume(let resume): "resume=\(resume.payload)"
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
        case ("pty", let value?): self = .pty(try WindowSize(payload: value))
        case ("term", let value?):
            guard !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || "-_.+".contains($0) }) else {
                throw ProtocolError.malformedPayload(.option, reason: "terminal type '\(value)' is not a name")
            }
            self = .term(value)
        case ("keep", nil): self = .keep(seconds: nil)
        case ("keep", let value?):
            guard let seconds = Int(value), seconds > 0 else {
                throw ProtocolError.malformedPayload(.option, reason: "keep '\(value)' is not a number of seconds")
            }
            self = .keep(seconds: seconds)
        case ("resume", let value?): self = .resume(try SessionResume(payload: value))
        default: throw ProtocolError.unknownOption(payload)
        }
    }
}

public enum ProtocolVersion {
    /// The version this build speaks. 0 is the original design (no `OPT version`).
    /// 1 added versions, argv commands, stdin and stderr options, EOF, EXT and BAD;
    /// 2 added pseudo-terminals (`pty`, `term`, `WIN`) and signals (`SIG`);
    /// 3 added the keepalive (`PNG`, `PON`);
    /// 4 added kept sessions (`keep`, `resume`, `SID`, `GAP`, `BYE`).
    public static let current = 4
}
