// Writes frames in wire form. The payload is appended by reference where NIO can (no per-byte work).

import NIOCore

public struct FrameEncoder: MessageToByteEncoder, Sendable {
    public typealias OutboundIn = Frame

    public init() {}

    public func encode(data frame: Frame, out: inout ByteBuffer) throws {
        out.writeFrame(frame)
    }
}
