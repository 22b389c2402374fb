// Detecting a peer that went silent (cable pulled, host frozen, packets dropped): TCP keepalive
// probes after 5 s idle, every 2 s, 3 tries. Without it a blackholed idle connection never
// errors. A peer that goes silent while data is in flight is the protocol keepalive's to find
// (PNG/PON, version 3), or TCP's retransmission limit's.
//
// No TCP_USER_TIMEOUT: Linux also applies it to zero-window probing, so it ended the connection
// of a live peer that merely stopped reading for that long (`distrun … | less`, a command that
// does not read its stdin), which backpressure must allow.

import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

public enum KeepAlive {
    public static let idleSeconds = 5
    public static let intervalSeconds = 2
    public static let probes = 3

    /// Call from the channel's initializer (on its event loop).
    public static func enable(on channel: Channel) throws {
        guard let options = channel.syncOptions else { throw ChannelError.operationUnsupported }
        try options.setOption(.socketOption(.so_keepalive), value: 1)
        for (name, value) in [
            (TCP_KEEPIDLE, idleSeconds), (TCP_KEEPINTVL, intervalSeconds), (TCP_KEEPCNT, probes),
        ] {
            let option = ChannelOptions.Types.SocketOption(level: SocketOptionLevel(IPPROTO_TCP), name: name)
            try options.setOption(option, value: value)
        }
    }
}
