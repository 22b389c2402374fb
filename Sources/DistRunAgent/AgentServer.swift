// The agent's listener: binds, accepts many clients at once, and gives each connection its
// own AgentConnection behind the frame codec. Kept sessions outlive their connections in the
// server's SessionRegistry.

import DistRunTransport
import DistRunTrust
import DistRunWire
import Logging
import NIOCore
import NIOPosix
import NIOSSL

public enum AgentStartError: Error, CustomStringConvertible {
    case notLoopback(String)
    case cannotBind(String, Error)

    public var description: String {
        switch self {
        case .notLoopback(let host):
            "refusing to listen on \(host) with --insecure-no-auth: without authentication anyone who "
                + "can connect runs commands, so only loopback addresses (127.0.0.0/8, ::1) are allowed"
        case .cannotBind(let address, let error):
            "cannot listen on \(address): \(error)"
        }
    }
}

public final class AgentServer: Sendable {
    public let localAddress: SocketAddress
    private let channel: Channel

    private init(channel: Channel) {
        self.channel = channel
        self.localAddress = channel.localAddress!
    }

    /// Binds and starts accepting; the returned server runs until `close()`.
    public static func start(
        _ configuration: AgentConfiguration, group: EventLoopGroup, logger: Logger
    ) async throws -> AgentServer {
        let address: SocketAddress
        do {
            address = try SocketAddress.makeAddressResolvingHost(configuration.host, port: configuration.port)
        } catch {
            throw AgentStartError.cannotBind("\(configuration.host):\(configuration.port)", error)
        }
        if case .insecureNoAuth = configuration.security, !address.isLoopback {
            throw AgentStartError.notLoopback(configuration.host)
        }
        let registry = SessionRegistry(replayBudgetBytes: configuration.replayBudgetBytes)
        let admission = AdmissionControl(
            maxConnections: configuration.maxConnections, maxUnauthenticated: configuration.maxUnauthenticated)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: Streaming.socketWaterMark)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    var sessionLogger = logger
                    sessionLogger[metadataKey: "peer"] = "\(channel.remoteAddress.map { $0.hostAndPort } ?? "?")"
                    guard admission.admit(channel) else {
                        sessionLogger.warning("refused: \(configuration.maxConnections) connections already")
                        channel.close(promise: nil)
                        return
                    }
                    try KeepAlive.enable(on: channel)
                    try addHandlers(
                        to: channel, configuration, admission: admission, registry: registry, logger: sessionLogger)
                }
            }
        do {
            return AgentServer(channel: try await bootstrap.bind(to: address).get())
        } catch {
            throw AgentStartError.cannotBind("\(address)", error)
        }
    }

    /// TLS and the authorization gate first (when authentication is on), then the deadlines on
    /// the raw frames, the frame codec and the session.
    private static func addHandlers(
        to channel: Channel, _ configuration: AgentConfiguration, admission: AdmissionControl,
        registry: SessionRegistry, logger: Logger
    ) throws {
        let pipeline = channel.pipeline.syncOperations
        switch configuration.security {
        case .mutualTLS(let context, let authorized):
            // Any certificate passes TLS; the gate decides by fingerprint, and says why it refuses.
            try pipeline.addHandler(
                NIOSSLServerHandler(context: context) { _, promise in
                    promise.succeed(.certificateVerified)
                })
            try pipeline.addHandler(
                AuthorizationGate(
                    authorized: authorized, admission: admission, deadline: configuration.handshakeTimeout,
                    logger: logger))
        case .insecureNoAuth:
            admission.authenticated(channel)
        }
        var settings = AgentConnection.Settings()
        settings.session.limits = configuration.limits
        settings.session.maxJobDuration = configuration.maxJobDuration
        settings.session.runAs = configuration.runAs.map { ($0.uid, $0.gid) }
        settings.session.keepGrace = configuration.keepGrace
        settings.session.replayBytes = configuration.replayBytes
        settings.keepaliveInterval = configuration.keepaliveInterval
        try pipeline.addHandlers(
            FrameDeadlineHandler(
                frameTimeout: configuration.frameTimeout, commandTimeout: configuration.handshakeTimeout,
                logger: logger),
            ByteToMessageHandler(FrameDecoder(accepting: Token.clientTokens, limits: configuration.limits)),
            FrameEncoder(),
            AgentConnection(settings: settings, registry: registry, logger: logger))
    }

    public func close() async throws { try await channel.close() }

    /// Resolves once the listener has closed.
    public var closeFuture: EventLoopFuture<Void> { channel.closeFuture }
}

extension SocketAddress {
    /// `127.0.0.1:6789` or `[::1]:6789`.
    public var hostAndPort: String {
        let host = ipAddress ?? "?"
        return (self.protocol == .inet6 ? "[\(host)]" : host) + ":\(port ?? 0)"
    }

    /// 127.0.0.0/8 or ::1 (including IPv4-mapped loopback).
    public var isLoopback: Bool {
        switch self {
        case .v4(let address):
            return UInt32(bigEndian: address.address.sin_addr.s_addr) >> 24 == 127
        case .v6(let address):
            let bytes = withUnsafeBytes(of: address.address.sin6_addr) { Array($0) }
            let isV6Loopback = bytes[0..<15].allSatisfy { $0 == 0 } && bytes[15] == 1
            let isMappedV4Loopback =
                bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF && bytes[12] == 127
            return isV6Loopback || isMappedV4Loopback
        default:
            return false
        }
    }
}
