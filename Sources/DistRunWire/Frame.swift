// The unit of the wire protocol: a token, a 4-byte big-endian length and that many payload bytes.

import NIOCore

public struct Frame: Equatable, Sendable, CustomStringConvertible {
    /// Token (3 bytes) plus length (4 bytes).
    public static let headerBytes = 7

    public var token: Token
    public var payload: ByteBuffer

    public init(_ token: Token, _ payload: ByteBuffer = ByteBuffer()) {
        self.token = token
        self.payload = payload
    }

    public init(_ token: Token, text: String) {
        self.init(token, ByteBuffer(string: text))
    }

    /// The payload read as UTF-8 text (invalid sequences repaired).
    public var text: String { String(buffer: payload) }

    public var description: String { "\(token)[\(payload.readableBytes)]" }
}

extension ByteBuffer {
    /// Appends `frame` in wire form; returns the bytes written.
    @discardableResult
    public mutating func writeFrame(_ frame: Frame) -> Int {
        writeFrameHeader(frame.token, payloadBytes: frame.payload.readableBytes)
        var payload = frame.payload
        return Frame.headerBytes + writeBuffer(&payload)
    }

    /// Appends the header of a frame whose `payloadBytes` follow separately.
    public mutating func writeFrameHeader(_ token: Token, payloadBytes: Int) {
        // The header in one write: no Array, one capacity and exclusivity check.
        let token = token.bytes
        let length = UInt32(payloadBytes)
        writeWithUnsafeMutableBytes(minimumWritableBytes: Frame.headerBytes) { out in
            out[0] = token.0
            out[1] = token.1
            out[2] = token.2
            out.storeBytes(of: length.bigEndian, toByteOffset: 3, as: UInt32.self)
            return Frame.headerBytes
        }
    }
}

extension String {
    /// The longest prefix whose UTF-8 fits in `bytes`, cut between characters (cutting the
    /// bytes could split a character, whose repair would make the text longer, not shorter).
    public func prefixFitting(bytes limit: Int) -> String {
        guard utf8.count > limit else { return self }
        var result = ""
        var used = 0
        for character in self {
            let size = character.utf8.count
            guard used + size <= limit else { break }
            result.append(character)
            used += size
        }
        return result
    }
}
