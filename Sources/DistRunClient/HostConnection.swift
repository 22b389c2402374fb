// One host's connection: connects, sends the job, turns the agent's frames into events, and
// carries input and cancellation from the front end. All of its state lives on its own event
// loop: every method runs there (the manager hops before calling), which is why it may be
// shared across threads although it has mutable state.

import DistRunTransport
import DistRunTrust
import DistRunWire
import NIOCore
import NIOPosix
import NIOSSL

final class HostConnection: @unchecked Sendable {
    let id: HostID
    let endpoint: HostEndpoint
    let loop: EventLoop
    private let job: JobSpec
    private let security: ClientSecurity
    private let events: HostEventQueue
    /// Why the agent's certificate was refused, for the message (the TLS error says less).
    private var trustFailure: String?
    private var channel: Channel?
    private var state = HostState.connecting
    private var pendingInput: [ByteBuffer] = []
    private var inputClosed = false
    private var commandTimer: Scheduled<Void>?
    private var retired = false
    private var lastHeardFrom = NIODeadline.now()
    /// Agents from version 3 on send keepalives, so their silence means something.
    private var agentVersion = 0
    /// An agent that sends nothing, not even its keepalive, for this long is gone.
    static let agentSilenceLimit = TimeAmount.seconds(50)
    /// A size set before the connection was up: the `pty` option carries it.
    private var pendingSize: WindowSize?

    init(
        id: HostID, endpoint: HostEndpoint, job: JobSpec, security: ClientSecurity, loop: EventLoop,
        events: HostEventQueue
    ) {
        self.id = id
        self.endpoint = endpoint
        self.job = job
        self.security = security
        self.loop = loop
        self.events = events
    }

    func start() {
        loop.assertInEventLoop()
        publish(.connecting)
        // Connecting covers TCP, TLS and the agent's first answer: an agent that accepts but
        // never answers (hung, or a blackhole behind a proxy) must not hold the host forever.
        let connectTimeout = job.connectTimeout
        loop.scheduleTask(in: connectTimeout) { [self] in
            if state == .connecting {
                end(HostFailure(.timedOut, "no answer from the agent within \(connectTimeout.seconds) s"))
            }
        }
        loop.scheduleRepeatedTask(initialDelay: Self.agentSilenceLimit, delay: .seconds(5)) { [self] task in
            guard !state.isFinal else { return task.cancel() }
            if state == .running, agentVersion >= 3, NIODeadline.now() - lastHeardFrom > Self.agentSilenceLimit {
                end(HostFailure(.lost, "the agent sent nothing, not even its keepalive, for 50 s"))
            }
        }
        if let timeout = job.commandTimeout {
            commandTimer = loop.scheduleTask(in: timeout) { [self] in
                end(HostFailure(.timedOut, "timed out after \(timeout.seconds) s"))
            }
        }
        ClientBootstrap(group: loop)
            .connectTimeout(job.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.recvAllocator, value: Streaming.socketReadAllocator)
            .channelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try KeepAlive.enable(on: channel)
                    if case .mutualTLS(let context, let known) = security {
                        try channel.pipeline.syncOperations.addHandler(tlsHandler(context, known))
                    }
                    try channel.pipeline.syncOperations.addHandlers(
                        ByteToMessageHandler(FrameDecoder(accepting: Token.agentTokens)),
                        MessageToByteHandler(FrameEncoder()),
                        HostConnectionHandler(connection: self))
                }
            }
            .connect(host: endpoint.host, port: endpoint.port)
            .whenFailure { [self] error in
                end(HostFailure(ConnectErrorDescription.kind(of: error), ConnectErrorDescription.describe(error, job)))
            }
    }

    // MARK: From the channel

    func channelActive(_ channel: Channel) {
        guard !state.isFinal, !retired else { return channel.close(promise: nil) }
        self.channel = channel
        var frames = [ClientMessage.option(.version(ProtocolVersion.current))]
        if job.connectStdin { frames.append(.option(.stdin)) }
        if job.separateStderr { frames.append(.option(.stderr)) }
        if let size = pendingSize ?? job.terminalSize {
            frames += [.option(.pty(size)), .option(.term(job.terminalType))]
        }
        frames.append(.command(job.argv))
        frames += pendingInput.map { .input($0) }
        if inputClosed { frames.append(.endOfInput) }
        pendingInput = []
        for message in frames { channel.write(message.frame, promise: nil) }
        channel.flush()
    }

    func received(_ message: AgentMessage) {
        lastHeardFrom = .now()
        switch message {
        case .version(let version):
            agentVersion = version
            publish(.running)
        case .output(let bytes): deliver(.stdout, bytes)
        case .errorOutput(let bytes): deliver(.stderr, bytes)
        case .exitStatus(let status): finish(.exited(status))
        case .failure(let reason): end(HostFailure(.rejected, reason))
        case .ping: channel?.writeAndFlush(ClientMessage.pong.frame, promise: nil)
        }
    }

    func channelClosed() {
        end(HostFailure(.lost, "connection closed before the exit status arrived"))
    }

    func channelFailed(_ error: Error) {
        end(ConnectErrorDescription.failure(for: error, trustFailure: trustFailure))
    }

    /// TLS with our certificate; the agent's certificate is checked against known-agents.
    private func tlsHandler(_ context: NIOSSLContext, _ known: KnownAgents) throws -> NIOSSLClientHandler {
        let address = endpoint.address
        return try NIOSSLClientHandler(context: context, serverHostname: nil) { [self] certificates, promise in
            guard let leaf = certificates.first, let fingerprint = TrustStore.fingerprint(of: leaf) else {
                trustFailure = "TLS handshake failed: the agent showed no certificate"
                return promise.succeed(.failed)
            }
            switch known.verify(address: address, fingerprint: fingerprint) {
            case .known, .pinned:
                promise.succeed(.certificateVerified)
            case .changed(let expected):
                trustFailure =
                    "agent key changed: known-agents has \(expected) for \(address), the agent showed "
                    + "\(fingerprint). If it was reinstalled on purpose, delete that line; else someone may be in between"
                promise.succeed(.failed)
            }
        }
    }

    // MARK: From the front end

    func send(_ bytes: ByteBuffer) {
        guard job.connectStdin || job.terminalSize != nil, !inputClosed, !state.isFinal else { return }
        if let channel {
            channel.writeAndFlush(ClientMessage.input(bytes).frame, promise: nil)
        } else {
            pendingInput.append(bytes)
        }
    }

    /// Tells the agent the pane's new size (pseudo-terminal jobs only).
    func resize(_ size: WindowSize) {
        guard job.terminalSize != nil, !state.isFinal else { return }
        guard let channel else { return pendingSize = size }
        channel.writeAndFlush(ClientMessage.windowSize(size).frame, promise: nil)
    }

    func signal(_ signal: CommandSignal) {
        guard !state.isFinal else { return }
        channel?.writeAndFlush(ClientMessage.signal(signal).frame, promise: nil)
    }

    func closeInput() {
        guard job.connectStdin || job.terminalSize != nil, !inputClosed, !state.isFinal else { return }
        inputClosed = true
        channel?.writeAndFlush(ClientMessage.endOfInput.frame, promise: nil)
    }

    func cancel(_ reason: String) { end(HostFailure(.cancelled, reason)) }

    /// Replaced by a new run: close quietly, publishing nothing more.
    func retire() {
        retired = true
        commandTimer?.cancel()
        channel?.close(promise: nil)
    }

    // MARK: State

    private func deliver(_ stream: StreamKind, _ bytes: ByteBuffer) {
        guard !retired else { return }
        if state == .connecting { publish(.running) }  // a version-0 agent sends no VER
        guard events.push(.output(id, stream, bytes)), let channel else { return }
        channel.setOption(.autoRead, value: false).whenComplete { _ in }
        events.resumeWhenDrained(host: id) {
            channel.setOption(.autoRead, value: true).whenComplete { _ in }
        }
    }

    private func end(_ failure: HostFailure) { finish(.failed(failure)) }

    private func finish(_ final: HostState) {
        guard !state.isFinal else { return }
        commandTimer?.cancel()
        publish(final)
        channel?.close(promise: nil)
    }

    private func publish(_ newState: HostState) {
        guard !retired else { return }
        state = newState
        events.push(.stateChanged(id, newState))
    }
}

/// Forwards one connection's pipeline events to its HostConnection.
final class HostConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = Frame

    private let connection: HostConnection

    init(connection: HostConnection) { self.connection = connection }

    func channelActive(context: ChannelHandlerContext) {
        connection.channelActive(context.channel)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        do {
            connection.received(try AgentMessage(unwrapInboundIn(data)))
        } catch {
            connection.channelFailed(error)
        }
    }

    func channelInactive(context: ChannelHandlerContext) { connection.channelClosed() }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        connection.channelFailed(error)
        context.close(promise: nil)
    }
}

extension TimeAmount {
    /// Whole seconds when exact, else one decimal: for messages.
    var seconds: String {
        nanoseconds % 1_000_000_000 == 0
            ? String(nanoseconds / 1_000_000_000) : String(Double(nanoseconds) / 1e9)
    }
}
