// The handlers on a command's pipe channels. They only forward to the owning CommandSession,
// which lives on the same event loop.

import DistRunWire
import NIOCore

/// Reads stdout or stderr and hands each chunk to the session as `token` frames.
final class OutputPipeHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let token: Token
    private let session: NIOLoopBound<CommandSession>
    /// Bytes read since the last `channelReadComplete`.
    private var readBytes = 0

    init(token: Token, session: NIOLoopBound<CommandSession>) {
        self.token = token
        self.session = session
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        readBytes += bytes.readableBytes
        session.value.commandProduced(token, bytes)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        session.value.outputReadsEnded(token, readBytes: readBytes)
        readBytes = 0
        session.value.flushOutput()
    }

    func channelInactive(context: ChannelHandlerContext) { session.value.outputClosed() }

    /// Only a terminal channel is also written to: a full terminal holds back the client's input.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        session.value.stdinWritabilityChanged(context.channel.isWritable)
    }

    /// EIO from a terminal master means every writer is gone: the end of output, like EOF.
    func errorCaught(context: ChannelHandlerContext, error: Error) { context.close(promise: nil) }
}

/// Writes to the command's stdin and reports when the pipe is full.
final class InputPipeHandler: ChannelInboundHandler {
    typealias InboundIn = Never

    private let session: NIOLoopBound<CommandSession>

    init(session: NIOLoopBound<CommandSession>) { self.session = session }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        session.value.stdinWritabilityChanged(context.channel.isWritable)
    }

    func channelInactive(context: ChannelHandlerContext) {
        // The command closed its stdin (or we did): nothing left to hold back.
        session.value.stdinWritabilityChanged(true)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) { context.close(promise: nil) }
}
