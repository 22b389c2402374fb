// One client connection on the agent: runs the protocol machine, starts a CommandSession (or
// resumes a kept one), forwards the client's frames to it, keeps the client alive with `PNG`,
// and says why in `BAD` when the client breaks the protocol. The session writes its output to
// this connection's channel itself.
//
// The connection runs on its channel's loop; its session may live on another loop (a resumed
// one), so every call into the session goes through `session.run`, which keeps their order.

import DistRunTrust
import DistRunWire
import Logging
import NIOCore
import NIOSSL

final class AgentConnection: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = Frame
    typealias OutboundOut = Frame

    struct Settings: Sendable {
        var session = CommandSession.Settings()
        /// After a `BAD` frame: how long to wait for the client to close before we do.
        var failureLinger = TimeAmount.seconds(2)
        /// Version-3 clients get a `PNG` this often and are dropped after three silent intervals.
        var keepaliveInterval = TimeAmount.seconds(15)
    }

    private let settings: Settings
    private let registry: SessionRegistry
    private let logger: Logger
    private var machine = AgentSessionMachine()
    private var context: ChannelHandlerContext!
    private var session: CommandSession?
    private var closing = false
    private var keepalive: RepeatedTask?
    private var lastHeardFrom = NIODeadline.now()

    init(settings: Settings, registry: SessionRegistry, logger: Logger) {
        self.settings = settings
        self.registry = registry
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        lastHeardFrom = .now()
        let frame = unwrapInboundIn(data)
        do {
            perform(machine.received(try ClientMessage(frame)))
        } catch let error as ProtocolError {
            fail(error.description)
        } catch {
            fail("\(error)")
        }
    }

    private func perform(_ action: AgentSessionMachine.Action) {
        switch action {
        case .none: break
        case .sendVersion(let version):
            context.writeAndFlush(wrapOutboundOut(AgentMessage.version(version).frame), promise: nil)
            if version >= 3 { startKeepalive() }
        case .startCommand(let argv, let options): start(argv, options)
        case .resume(let resume): self.resume(resume)
        case .writeInput(let bytes): session?.run { $0.writeInput(bytes) }
        case .closeInput: session?.run { $0.closeInput() }
        case .resize(let size): session?.run { $0.resizeTerminal(size) }
        case .signal(let signal): session?.run { $0.signalCommand(signal) }
        case .endSession:
            session?.run { $0.end("the client ended the session") }
            closing = true
            context.close(promise: nil)
        case .reject(let error): fail(error.description)
        }
    }

    private func start(_ argv: [String], _ options: SessionOptions) {
        let session = CommandSession(
            options: options, owner: clientFingerprint, client: context.channel, settings: settings.session,
            registry: registry, logger: logger)
        do {
            try session.start(argv)
        } catch {
            return fail("\(error)", isProtocolViolation: false)
        }
        self.session = session
        registry.add(session)
        session.announce()
    }

    private func resume(_ resume: SessionResume) {
        guard let session = registry.session(resume.id, for: clientFingerprint) else {
            return fail("no session \(resume.id) to resume: it ended, its grace period ran out, or it is not yours")
        }
        machine.resumed(session.options)
        try? context.pipeline.syncOperations.handler(type: FrameDeadlineHandler.self).sessionResumed()
        self.session = session
        let channel = context.channel
        let attached = context.eventLoop.makePromise(of: Void.self)
        session.run { session in
            do {
                try session.attach(channel, from: resume.offset)
                attached.succeed()
            } catch {
                attached.fail(error)
            }
        }
        let connection = NIOLoopBound(self, eventLoop: context.eventLoop)
        attached.futureResult.whenFailure { error in
            connection.value.session = nil
            if case .beyondEnd(let offset, let produced) = error as? ReplayBuffer.ResumeError {
                connection.value.fail(
                    "cannot resume at offset \(offset): the session has produced only \(produced) bytes")
            }
        }
    }

    /// The authenticated client's fingerprint; nil without authentication (`--insecure-no-auth`).
    private var clientFingerprint: String? {
        let handler = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self)
        return handler?.peerCertificate.flatMap(TrustStore.fingerprint(of:)).map { "\($0)" }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // While lingering after a failure, the decoder reports the client's further bytes: drop them.
        guard !closing else { return }
        if let error = error as? ProtocolError {
            fail(error.description)
        } else {
            logger.debug("connection error: \(error)")
            context.close(promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The client closing its side ends the connection (EOF frames close stdin only).
        if case .some(.inputClosed) = event as? ChannelEvent { context.close(promise: nil) }
    }

    /// A client that answers nothing for three intervals is gone (hung, or its host froze
    /// behind a connection TCP still thinks is open): close, as on a disconnect. But a client
    /// that stopped reading (its user paused `distrun | less`) cannot see `PNG`: while our
    /// output waits for it, its silence proves nothing, and taking output counts as an answer.
    private func startKeepalive() {
        let interval = settings.keepaliveInterval
        let connection = NIOLoopBound(self, eventLoop: context.eventLoop)
        keepalive = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            let connection = connection.value
            guard !connection.closing, connection.context.channel.isWritable else { return }
            if NIODeadline.now() - connection.lastHeardFrom > interval * 3 {
                connection.logger.notice("client silent for three keepalive intervals; closing")
                connection.context.close(promise: nil)
            } else {
                connection.context.writeAndFlush(connection.wrapOutboundOut(AgentMessage.ping.frame), promise: nil)
            }
        }
    }

    /// A session that is not kept ends with its connection; a kept one waits for a resume.
    func channelInactive(context: ChannelHandlerContext) {
        keepalive?.cancel()
        closing = true
        let channel = context.channel
        session?.run { $0.detach(channel) }
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { lastHeardFrom = .now() }  // it took our output: alive
        session?.run { $0.clientWritabilityChanged() }
    }

    /// Tells the client why, then closes; the session, kept or not, ends with it (a client that
    /// breaks the protocol cannot be trusted to resume it). Protocol violations always get
    /// `BAD`; other failures reach the original design's clients (version 0) as text in `OUT`,
    /// which they can show.
    private func fail(_ reason: String, isProtocolViolation: Bool = true) {
        guard !closing else { return }
        closing = true
        logger.notice("ending session: \(reason)")
        session?.run { $0.end("the client broke the protocol") }
        let text = reason.prefixFitting(bytes: settings.session.limits.maxPayloadBytes(for: .failure))
        let message: Frame =
            isProtocolViolation || machine.options.protocolVersion >= 1
            ? AgentMessage.failure(text).frame : Frame(.output, text: "distrund: \(text)\n")
        context.writeAndFlush(wrapOutboundOut(message), promise: nil)
        context.channel.closeAfterLinger(settings.failureLinger)
    }
}
