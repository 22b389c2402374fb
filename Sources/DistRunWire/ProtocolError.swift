// Everything that makes a peer's byte stream or frame sequence invalid. The description is the
// human-readable reason sent in a `BAD` frame, so it names the offending token and numbers.

public enum ProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownToken(Token)
    case payloadTooLarge(Token, length: UInt32, limit: Int)
    case truncatedFrame(expectedBytes: Int, receivedBytes: Int)
    case unexpectedFrame(Token, phase: String)
    case malformedPayload(Token, reason: String)
    case unknownOption(String)

    public var description: String {
        switch self {
        case .unknownToken(let token):
            "unknown token '\(token)'"
        case .payloadTooLarge(let token, let length, let limit):
            "\(token) frame of \(length) bytes is over the limit of \(limit) bytes"
        case .truncatedFrame(let expected, let received):
            "truncated frame: connection ended after \(received) of \(expected) bytes"
        case .unexpectedFrame(let token, let phase):
            "\(token) frame not allowed \(phase)"
        case .malformedPayload(let token, let reason):
            "malformed \(token) frame: \(reason)"
        case .unknownOption(let name):
            "unknown option '\(name)'"
        }
    }
}
