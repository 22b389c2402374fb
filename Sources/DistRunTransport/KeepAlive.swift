// Detecting a peer that went silent (cable pulled, host frozen, packets dropped): TCP keepalive
// probes after 5 s idle, every 2 s, 3 tries; and TCP_USER_TIMEOUT, so data left unacknowledged
// for 10 s also ends the connection. Without these a blackholed connection never errors.

import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

public enum KeepAlive {
    public static let idleSeconds = 5
    public static let intervalSeconds = 2
    public static let probes = 3
    public static let userTimeoutMilliseconds = 10_000

    /// Call from the channel's initializer (on its event loop).
    public static func enable(on channel: Channel) throws {
        guard let options = channel.syncOptions else { throw ChannelError.operationUnsupported }
        try options.setOption(.socketOption(.so_keepalive), value: 1)
        for (name, value) in [
            (TCP_KEEPIDLE, idleSeconds), (TCP_KEEPINTVL, intervalSeconds), (TCP_KEEPCNT, probes),
            (TCP_USER_TIMEOUT, userTimeoutMilliseconds),
        ] {
            let option = ChannelOptions.Types.SocketOption(level: SocketOptionLevel(IPPROTO_TCP), name: name)
            try options.setOption(option, value: value)
        }
    }
}
