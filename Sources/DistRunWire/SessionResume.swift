// Kept sessions (version 4): the id an agent gives a session started with the `keep` option,
// and the `resume=ID@OFFSET` option a client sends instead of `CMD` to reattach to it.

/// A kept session's id: 32 lower-case hex digits (128 random bits), unguessable.
public struct SessionID: Hashable, Sendable, CustomStringConvertible {
    public let text: String

    public init(payload: String) throws {
        guard payload.utf8.count == 32,
            payload.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { throw ProtocolError.malformedPayload(.sessionID, reason: "'\(payload)' is not 32 hex digits") }
        text = payload
    }

    public static func random() -> SessionID {
        var generator = SystemRandomNumberGenerator()
        let digits = (0..<2).map { _ in generator.next() as UInt64 }
            .map { String($0, radix: 16) }
            .map { String(repeating: "0", count: 16 - $0.count) + $0 }
        return try! SessionID(payload: digits.joined())
    }

    public var description: String { text }
}

/// Where a reconnecting client resumes: the session, and how many bytes of its output (`OUT`
/// and `ERR` payloads together, counted from the start of the session) it already has.
public struct SessionResume: Equatable, Sendable {
    public var id: SessionID
    public var offset: UInt64

    public init(id: SessionID, offset: UInt64) {
        self.id = id
        self.offset = offset
    }

    public var payload: String { "\(id)@\(offset)" }

    public init(payload: String) throws {
        let parts = payload.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let offset = UInt64(parts[1]) else {
            throw ProtocolError.malformedPayload(.option, reason: "resume '\(payload)' is not ID@OFFSET")
        }
        do {
            id = try SessionID(payload: String(parts[0]))
        } catch {
            throw ProtocolError.malformedPayload(.option, reason: "resume '\(payload)': the id is not 32 hex digits")
        }
        self.offset = offset
    }
}
