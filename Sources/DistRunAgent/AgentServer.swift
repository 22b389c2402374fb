// The agent's listener: binds, accepts many clients at once, and gives each connection its
// own AgentSession behind the frame codec.

import DistRunWire
import Logging
import NIOCore
import NIOPosix

public struct AgentConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 6789
    public var limits = FrameLimits()
    /// Accept clients that do not authenticate. Authentication does not exist yet, so this is
    /// the only mode, and it is allowed on loopback only.
    public var allowUnauthenticatedClients = true

    public init(host: String = "127.0.0.1", port: Int = 6789, limits: FrameLimits = FrameLimits()) {
        self.host = host
        self.port = port
        self.limits = limits
    }
}

public enum AgentStartError: Error, CustomStringConvertible {
    case notLoopback(String)
    case cannotBind(String, Error)

    public var description: String {
        switch self {
        case .notLoopback(let host):
            "refusing to listen on \(host): clients cannot authenticate yet, so only loopback addresses "
                + "(127.0.0.0/8, ::1) are allowed"
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
        guard address.isLoopback else { throw AgentStartError.notLoopback(configuration.host) }
        let settings = AgentSession.Settings(limits: configuration.limits)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    var sessionLogger = logger
                    sessionLogger[metadataKey: "peer"] = "\(channel.remoteAddress.map { "\($0)" } ?? "?")"
                    let decoder = FrameDecoder(accepting: Token.clientTokens, limits: configuration.limits)
                    try channel.pipeline.syncOperations.addHandlers(
                        ByteToMessageHandler(decoder),
                        MessageToByteHandler(FrameEncoder()),
                        AgentSession(settings: settings, logger: sessionLogger))
                }
            }
        do {
            return AgentServer(channel: try await bootstrap.bind(to: address).get())
        } catch {
            throw AgentStartError.cannotBind("\(address)", error)
        }
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
