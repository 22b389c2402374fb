// Where a host's agent listens, and the job to run on every host.

import DistRunWire
import NIOCore

/// One line of hosts.conf: a display name and the agent's address.
public struct HostEndpoint: Hashable, Sendable, CustomStringConvertible {
    public static let defaultPort = 6789

    public var name: String
    public var host: String
    public var port: Int

    public init(name: String? = nil, host: String, port: Int = HostEndpoint.defaultPort) {
        self.host = host
        self.port = port
        self.name = name ?? host
    }

    /// `host:port`, with brackets around an IPv6 address.
    public var address: String { (host.contains(":") ? "[\(host)]" : host) + ":\(port)" }

    public var description: String { name == host ? address : "\(name) (\(address))" }
}

/// What to run, and how.
public struct JobSpec: Sendable {
    public var argv: [String]
    /// Connect the command's stdin to input sent through the manager.
    public var connectStdin = false
    /// Deliver stderr as its own stream instead of merged into stdout.
    public var separateStderr = false
    public var connectTimeout = TimeAmount.seconds(5)
    /// Ends a host's command (and marks it timed out) after this long; nil for no limit.
    public var commandTimeout: TimeAmount?
    /// Run on a pseudo-terminal of this size (stdout and stderr then arrive as one stream).
    public var terminalSize: WindowSize?
    /// The `TERM` the command sees on its pseudo-terminal.
    public var terminalType = "xterm-256color"
    /// Ask the agent to keep the session across a dropped link (`keep`), and reconnect to
    /// resume it this way; nil ends the command when the connection drops.
    public var reconnect: ReconnectPolicy?

    public init(argv: [String]) { self.argv = argv }
}
