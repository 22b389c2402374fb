// A host's connection state as the front ends see it, and the events that report it.

import DistRunWire
import NIOCore

/// Index of a host in the manager's host list.
public typealias HostID = Int

public struct HostFailure: Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// No connection could be made (refused, no route, name not found).
        case unreachable
        /// Connecting, or the command, took longer than allowed.
        case timedOut = "timed out"
        /// The agent refused the session with a reason (`BAD`).
        case rejected
        /// The connection dropped before the exit status arrived.
        case lost
        /// The user or the program ended it.
        case cancelled
    }

    public var kind: Kind
    public var reason: String

    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    public var description: String { reason }
}

/// A kept session's connection dropped; the client tries again after `delay`.
public struct HostReconnect: Equatable, Sendable {
    public var reason: String
    /// 1 for the first new attempt.
    public var attempt: Int
    public var delay: TimeAmount

    public init(reason: String, attempt: Int, delay: TimeAmount) {
        self.reason = reason
        self.attempt = attempt
        self.delay = delay
    }

    /// "retrying in 4 s": whole seconds, rounded up, so it never says 0.
    public var retryText: String {
        "retrying in \((delay.nanoseconds + 999_999_999) / 1_000_000_000) s"
    }
}

public enum HostState: Equatable, Sendable, CustomStringConvertible {
    case connecting
    case running
    /// The link dropped; the agent keeps the session and the client reconnects to resume it.
    case reconnecting(HostReconnect)
    case exited(TerminationStatus)
    case failed(HostFailure)

    /// Exited or failed: nothing more will happen on this connection.
    public var isFinal: Bool {
        switch self {
        case .exited, .failed: true
        case .connecting, .running, .reconnecting: false
        }
    }

    public var description: String {
        switch self {
        case .connecting: "connecting"
        case .running: "running"
        case .reconnecting(let reconnect): "lost, \(reconnect.retryText) (\(reconnect.reason))"
        case .exited(let status): status.description
        case .failed(let failure): "\(failure.kind.rawValue): \(failure.reason)"
        }
    }
}

public enum StreamKind: Sendable, Equatable {
    case stdout
    case stderr
}

public enum HostEvent: Sendable, Equatable {
    case stateChanged(HostID, HostState)
    case output(HostID, StreamKind, ByteBuffer)
    /// This many bytes of output were lost while the host was disconnected (the agent's replay
    /// buffer no longer held them); the output that follows comes after the gap.
    case outputLost(HostID, bytes: UInt64)

    public var host: HostID {
        switch self {
        case .stateChanged(let host, _), .output(let host, _, _), .outputLost(let host, _): host
        }
    }
}
