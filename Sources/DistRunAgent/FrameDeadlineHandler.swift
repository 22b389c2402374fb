// Ends a connection whose client is too slow to be honest: a frame that has begun must arrive
// whole within the frame timeout, and the `CMD` frame within the command timeout of
// connecting. Sits on the raw bytes in front of the frame decoder (behind TLS and the
// authorization gate) and passes them on untouched; FrameDeadlineTracker does the judging.
//
// One timer at a time, armed for the earliest pending deadline and re-armed when it fires
// early, so a steady stream of frames costs no timer per frame. A connection whose reading the
// agent paused (stdin backpressure) is not held to the frame deadline while it is paused. At
// the deadline the client gets `BAD` naming it, then the connection closes after a linger (as
// for any protocol violation), and nothing more it sends is passed on.

import DistRunWire
import Logging
import NIOCore

final class FrameDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let frameTimeout: TimeAmount
    private let commandTimeout: TimeAmount
    private let failureLinger: TimeAmount
    private let logger: Logger
    private var tracker: FrameDeadlineTracker?
    private var timer: (task: Scheduled<Void>, deadline: NIODeadline)?
    private var expired = false

    init(
        frameTimeout: TimeAmount, commandTimeout: TimeAmount, failureLinger: TimeAmount = .seconds(2),
        logger: Logger
    ) {
        self.frameTimeout = frameTimeout
        self.commandTimeout = commandTimeout
        self.failureLinger = failureLinger
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        tracker = FrameDeadlineTracker(
            frameTimeout: frameTimeout, commandTimeout: commandTimeout, connectedAt: context.eventLoop.now)
        armTimer(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) { timer?.task.cancel() }

    /// The connection resumed a kept session: no `CMD` is coming, and none is owed.
    func sessionResumed() { tracker?.sessionResumed() }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.task.cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !expired else { return }
        tracker?.received(unwrapInboundIn(data), at: context.eventLoop.now)
        armTimer(context)
        context.fireChannelRead(data)
    }

    /// Keeps the timer at the earliest pending deadline; a later one is checked when it fires.
    private func armTimer(_ context: ChannelHandlerContext) {
        guard let deadline = tracker?.nextDeadline, deadline < timer?.deadline ?? .distantFuture else { return }
        timer?.task.cancel()
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let context = NIOLoopBound(context, eventLoop: context.eventLoop)
        let task = context.value.eventLoop.scheduleTask(deadline: deadline) {
            handler.value.timerFired(context.value)
        }
        timer = (task, deadline)
    }

    private func timerFired(_ context: ChannelHandlerContext) {
        timer = nil
        guard !expired, context.channel.isActive else { return }
        let now = context.eventLoop.now
        let readingPaused = (try? context.channel.syncOptions?.getOption(.autoRead)) == false
        if readingPaused { tracker?.readingPaused(at: now) }
        if let expiry = tracker?.expiry(at: now) { return fail(context, expiry) }
        armTimer(context)
    }

    /// Sends the reason, then hangs up after a linger (see Channel+Linger).
    private func fail(_ context: ChannelHandlerContext, _ expiry: FrameDeadlineTracker.Expiry) {
        expired = true
        logger.notice("ending session: \(expiry)")
        var buffer = context.channel.allocator.buffer(capacity: 256)
        buffer.writeFrame(AgentMessage.failure(expiry.description).frame)
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        context.channel.closeAfterLinger(failureLinger)
    }
}
