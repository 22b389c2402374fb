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

public enum HostState: Equatable, Sendable, CustomStringConvertible {
    case connecting
    case running
    case exited(TerminationStatus)
    case failed(HostFailure)

    /// Exited or failed: nothing more will happen on this connection.
    public var isFinal: Bool {
        switch self {
        case .exited, .failed: true
        case .connecting, .running: false
        }
    }

    public var description: String {
        switch self {
        case .connecting: "connecting"
        case .running: "running"
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

    public var host: HostID {
        switch self {
        case .stateChanged(let host, _), .output(let host, _, _): host
        }
    }
}
