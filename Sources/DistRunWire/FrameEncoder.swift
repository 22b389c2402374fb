// Writes frames in wire form. A large payload is not copied: its header goes out as a buffer of
// its own, followed by the payload buffer itself (a `writev` in plaintext; with TLS, one more
// small record). Copying every output byte into a fresh frame buffer (MessageToByteHandler)
// cost the agent about half as many instructions as encrypting them (see docs/benchmarks.md).
// Small frames are copied into one buffer, which costs less than a second write.

import NIOCore

public final class FrameEncoder: ChannelOutboundHandler, RemovableChannelHandler {
    public typealias OutboundIn = Frame
    public typealias OutboundOut = ByteBuffer

    /// Payloads from this size on follow their header as a buffer of their own.
    public static let separatePayloadBytes = 8 << 10

    public init() {}

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let frame = unwrapOutboundIn(data)
        let payloadBytes = frame.payload.readableBytes
        guard payloadBytes >= Self.separatePayloadBytes else {
            var buffer = context.channel.allocator.buffer(capacity: Frame.headerBytes + payloadBytes)
            buffer.writeFrame(frame)
            return context.write(wrapOutboundOut(buffer), promise: promise)
        }
        var header = context.channel.allocator.buffer(capacity: Frame.headerBytes)
        header.writeFrameHeader(frame.token, payloadBytes: payloadBytes)
        context.write(wrapOutboundOut(header), promise: nil)
        context.write(wrapOutboundOut(frame.payload), promise: promise)
    }
}
