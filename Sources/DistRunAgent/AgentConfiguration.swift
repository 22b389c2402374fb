// What an agent is started with: where it listens, how clients prove who they are, and the
// limits that keep it alive under load and hostile input (modelled on OpenSSH's).

import DistRunTrust
import DistRunWire
import Foundation
import NIOCore
import NIOSSL

public enum AgentSecurity: Sendable {
    /// TLS 1.3 with a client certificate whose fingerprint must be in `authorized`.
    case mutualTLS(NIOSSLContext, AuthorizedClients)
    /// Plaintext, anyone who can connect runs commands: loopback only (`--insecure-no-auth`).
    case insecureNoAuth
}

public struct AgentConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 6789
    public var limits = FrameLimits()
    public var security: AgentSecurity
    /// A connection must finish its TLS handshake and be authorized, and send its `CMD`, within
    /// this time of connecting.
    public var handshakeTimeout = TimeAmount.seconds(10)
    /// A frame that has begun must arrive whole within this time (slow-loris clients).
    public var frameTimeout = TimeAmount.seconds(30)
    /// Connections not yet authenticated; past it the oldest is dropped (MaxStartups-like).
    public var maxUnauthenticated = 64
    /// All connections; kept below the descriptor limit (each uses up to six descriptors).
    public var maxConnections = AgentConfiguration.connectionLimitFromDescriptorLimit()
    /// Ends a command's process group after this long; nil for no limit.
    public var maxJobDuration: TimeAmount?
    /// How often version-3 clients are pinged; three silent intervals end their session.
    public var keepaliveInterval = TimeAmount.seconds(15)
    /// A kept session (the `keep` option) outlives its connection at most this long.
    public var keepGrace = TimeAmount.minutes(10)
    /// Output a kept session holds for a client that resumes it.
    public var replayBytes = 8 << 20
    /// Output all kept sessions together hold for replay.
    public var replayBudgetBytes = 1 << 30
    /// Runs commands as this user (the agent must be root): uid, gid.
    public var runAs: (uid: UInt32, gid: UInt32, name: String)?

    public init(
        host: String = "127.0.0.1", port: Int = 6789, limits: FrameLimits = FrameLimits(),
        security: AgentSecurity = .insecureNoAuth
    ) {
        self.host = host
        self.port = port
        self.limits = limits
        self.security = security
    }

    /// A sixth of the soft descriptor limit, less a reserve for the agent itself.
    public static func connectionLimitFromDescriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < 1 << 30 else {
            return 4096
        }
        return max(8, (Int(limit.rlim_cur) - 64) / 6)
    }
}
