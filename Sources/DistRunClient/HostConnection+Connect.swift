// One connection attempt of a HostConnection: TCP, TLS with the agent's pinned key, and the
// agent's first answer, all within the connect timeout. Each attempt has a generation number,
// so a late event from an abandoned attempt cannot touch the next one.

import DistRunTransport
import DistRunTrust
import DistRunWire
import NIOCore
import NIOPosix
import NIOSSL

extension HostConnection {
    func connect() {
        generation += 1
        let attempt = generation
        awaitingAnswer = true
        // Connecting covers TCP, TLS and the agent's first answer: an agent that accepts but
        // never answers (hung, or a blackhole behind a proxy) must not hold the host forever.
        let connectTimeout = job.connectTimeout
        loop.scheduleTask(in: connectTimeout) { [self] in
            if generation == attempt, awaitingAnswer {
                connectionLost(
                    HostFailure(.timedOut, "no answer from the agent within \(connectTimeout.secondsText) s"))
            }
        }
        ClientBootstrap(group: loop)
            .connectTimeout(job.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.recvAllocator, value: reading.allocator)
            .channelOption(.maxMessagesPerRead, value: reading.readsPerTurn)
            .channelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try KeepAlive.enable(on: channel)
                    if case .mutualTLS(let context, let known) = security {
                        try channel.pipeline.syncOperations.addHandler(tlsHandler(context, known))
                    }
                    try channel.pipeline.syncOperations.addHandlers(
                        ByteToMessageHandler(
                            FrameDecoder(accepting: Token.agentTokens, piecewise: [.output, .errorOutput])),
                        FrameEncoder(),
                        HostConnectionHandler(connection: self, generation: attempt))
                }
            }
            .connect(host: endpoint.host, port: endpoint.port)
            .whenFailure { [self] error in
                guard generation == attempt else { return }
                connectionLost(
                    HostFailure(ConnectErrorDescription.kind(of: error), ConnectErrorDescription.describe(error, job)))
            }
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
}

/// Forwards one connection attempt's pipeline events to its HostConnection, unless a newer
/// attempt has replaced it.
final class HostConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = Frame

    private let connection: HostConnection
    private let generation: Int

    init(connection: HostConnection, generation: Int) {
        self.connection = connection
        self.generation = generation
    }

    private var isCurrent: Bool { connection.generation == generation }

    func channelActive(context: ChannelHandlerContext) {
        if isCurrent { connection.channelActive(context.channel) } else { context.close(promise: nil) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard isCurrent else { return }
        do {
            connection.received(try AgentMessage(unwrapInboundIn(data)))
        } catch {
            connection.channelFailed(error)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if isCurrent { connection.channelClosed() }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if isCurrent { connection.channelFailed(error) }
        context.close(promise: nil)
    }
}
