// Incremental frame decoder. Contract (swift-nio's): `nil` means "need more bytes" and consumes
// nothing; the header's token and length are validated before any payload is waited for, so
// an oversize or unknown frame fails at once; bytes may arrive split at any position.

import NIOCore

public struct FrameDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = Frame

    public let accepted: Set<Token>
    public let limits: FrameLimits

    /// - Parameter accepted: the tokens this side may receive (`Token.clientTokens` on the agent).
    public init(accepting accepted: Set<Token>, limits: FrameLimits = FrameLimits()) {
        self.accepted = accepted
        self.limits = limits
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> Frame? {
        guard let header = buffer.getBytes(at: buffer.readerIndex, length: 3),
            let length = buffer.getInteger(at: buffer.readerIndex + 3, endianness: .big, as: UInt32.self)
        else {
            // Reject a bad token as soon as its 3 bytes are here, before the length.
            if let partial = buffer.getBytes(at: buffer.readerIndex, length: min(3, buffer.readableBytes)),
                partial.count == 3
            {
                try validate(Token((partial[0], partial[1], partial[2])))
            }
            return nil
        }
        let token = Token((header[0], header[1], header[2]))
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
        guard accepted.contains(token) else { throw ProtocolError.unknownToken(token) }
    }
}
