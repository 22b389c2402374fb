// Incremental frame decoder. Contract (swift-nio's): `nil` means "need more bytes" and consumes
// nothing; the header's token and length are validated before any payload is waited for, so
// an oversize or unknown frame fails at once; bytes may arrive split at any position.

import NIOCore

public struct FrameDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = Frame

    public let accepted: Set<Token>
    public let limits: FrameLimits
    /// `accepted` packed into integers: a few comparisons per frame instead of hashing a Token.
    private let acceptedKeys: [UInt32]

    /// - Parameter accepted: the tokens this side may receive (`Token.clientTokens` on the agent).
    public init(accepting accepted: Set<Token>, limits: FrameLimits = FrameLimits()) {
        self.accepted = accepted
        self.limits = limits
        self.acceptedKeys = accepted.map(\.key)
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> Frame? {
        // The whole header in one read, no Array per frame.
        guard
            let (high, low, length) = buffer.getMultipleIntegers(
                at: buffer.readerIndex, as: (UInt16, UInt8, UInt32).self)
        else {
            // Reject a bad token as soon as its 3 bytes are here, before the length.
            if let (high, low) = buffer.getMultipleIntegers(at: buffer.readerIndex, as: (UInt16, UInt8).self) {
                try validate(Token((UInt8(truncatingIfNeeded: high >> 8), UInt8(truncatingIfNeeded: high), low)))
            }
            return nil
        }
        let token = Token((UInt8(truncatingIfNeeded: high >> 8), UInt8(truncatingIfNeeded: high), low))
        try validate(token)
        let limit = limits.maxPayloadBytes(for: token)
        guard length <= limit else { throw ProtocolError.payloadTooLarge(token, length: length, limit: limit) }
        guard buffer.readableBytes >= Frame.headerBytes + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: Frame.headerBytes)
        return Frame(token, buffer.readSlice(length: Int(length))!)
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> Frame? {
        if let frame = try decode(buffer: &buffer) { return frame }
        guard buffer.readableBytes > 0 else { return nil }
        let announced = buffer.getInteger(at: buffer.readerIndex + 3, endianness: .big, as: UInt32.self)
        let expected = announced.map { Frame.headerBytes + Int($0) } ?? Frame.headerBytes
        throw ProtocolError.truncatedFrame(expectedBytes: expected, receivedBytes: buffer.readableBytes)
    }

    private func validate(_ token: Token) throws {
        guard acceptedKeys.contains(token.key) else { throw ProtocolError.unknownToken(token) }
    }
}

extension Token {
    fileprivate var key: UInt32 { UInt32(bytes.0) << 16 | UInt32(bytes.1) << 8 | UInt32(bytes.2) }
}
