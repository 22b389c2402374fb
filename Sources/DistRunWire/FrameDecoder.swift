// Incremental frame decoder. Contract (swift-nio's): `nil` means "need more bytes" and consumes
// nothing; the header's token and length are validated before any payload is waited for, so
// an oversize or unknown frame fails at once; bytes may arrive split at any position.
//
// Tokens named `piecewise` (the client's `OUT` and `ERR`: a byte stream whose frame boundaries
// mean nothing) may come out as several frames of that token, one per arrival of their bytes,
// each a slice of the buffer it came in. Waiting for a whole 64 KiB frame that straddles two
// reads made ByteToMessageHandler join the reads, copying ~1.5 bytes per byte of output (see
// docs/benchmarks.md); a piece is never copied. A piecewise frame's header is taken as soon as
// it is whole, with whatever payload is there, possibly none (an empty piece), so that a read
// ending right after a header leaves nothing behind to be joined with the next read (with TLS
// the agent sends a large frame's header as a record of its own, so reads often end there).

import NIOCore

public struct FrameDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = Frame

    public let accepted: Set<Token>
    public let limits: FrameLimits
    public let piecewise: Set<Token>
    /// `accepted` packed into integers: a few comparisons per frame instead of hashing a Token.
    private let acceptedKeys: [UInt32]
    private let piecewiseKeys: [UInt32]
    /// The piecewise frame whose payload is still arriving: its token, length and bytes to come.
    private var open: (token: Token, length: Int, remaining: Int)?

    /// - Parameters:
    ///   - accepted: the tokens this side may receive (`Token.clientTokens` on the agent).
    ///   - piecewise: tokens whose payload may be delivered in pieces as it arrives.
    public init(accepting accepted: Set<Token>, limits: FrameLimits = FrameLimits(), piecewise: Set<Token> = []) {
        self.accepted = accepted
        self.limits = limits
        self.piecewise = piecewise
        self.acceptedKeys = accepted.map(\.key)
        self.piecewiseKeys = piecewise.map(\.key)
    }

    /// Payload bytes of a piecewise frame still to come: the next frames continue it.
    public var pendingPieceBytes: Int { open?.remaining ?? 0 }

    public mutating func decode(buffer: inout ByteBuffer) throws -> Frame? {
        if let open { return buffer.readableBytes > 0 ? nextPiece(of: open, from: &buffer) : nil }
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
        guard buffer.readableBytes - Frame.headerBytes >= Int(length) || piecewiseKeys.contains(token.key) else {
            return nil
        }
        buffer.moveReaderIndex(forwardBy: Frame.headerBytes)
        return nextPiece(of: (token, Int(length), Int(length)), from: &buffer)
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> Frame? {
        if let frame = try decode(buffer: &buffer) { return frame }
        if let open {
            let received = Frame.headerBytes + open.length - open.remaining
            throw ProtocolError.truncatedFrame(expectedBytes: Frame.headerBytes + open.length, receivedBytes: received)
        }
        guard buffer.readableBytes > 0 else { return nil }
        let announced = buffer.getInteger(at: buffer.readerIndex + 3, endianness: .big, as: UInt32.self)
        let expected = announced.map { Frame.headerBytes + Int($0) } ?? Frame.headerBytes
        throw ProtocolError.truncatedFrame(expectedBytes: expected, receivedBytes: buffer.readableBytes)
    }

    /// What is here of `frame`'s payload (all of it, unless piecewise), as a frame of its token.
    private mutating func nextPiece(
        of frame: (token: Token, length: Int, remaining: Int), from buffer: inout ByteBuffer
    ) -> Frame {
        let count = min(frame.remaining, buffer.readableBytes)
        let remaining = frame.remaining - count
        open = remaining > 0 ? (frame.token, frame.length, remaining) : nil
        return Frame(frame.token, buffer.readSlice(length: count)!)
    }

    private func validate(_ token: Token) throws {
        guard acceptedKeys.contains(token.key) else { throw ProtocolError.unknownToken(token) }
    }
}

extension Token {
    fileprivate var key: UInt32 { UInt32(bytes.0) << 16 | UInt32(bytes.1) << 8 | UInt32(bytes.2) }
}
