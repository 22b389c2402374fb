// How a command ended, as carried by `EXT`: `exit=N` or `signal=N`.

public enum TerminationStatus: Equatable, Hashable, Sendable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    public var payload: String {
        switch self {
        case .exited(let code): "exit=\(code)"
        case .signaled(let signal): "signal=\(signal)"
        }
    }

    public init(payload: String) throws {
        let parts = payload.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, let number = Int32(parts[1]) else {
            throw ProtocolError.malformedPayload(.exitStatus, reason: "'\(payload)' is not exit=N or signal=N")
        }
        switch parts[0] {
        case "exit": self = .exited(number)
        case "signal": self = .signaled(number)
        default: throw ProtocolError.malformedPayload(.exitStatus, reason: "'\(payload)' is not exit=N or signal=N")
        }
    }

    public var succeeded: Bool { self == .exited(0) }

    public var description: String {
        switch self {
        case .exited(let code): "exit \(code)"
        case .signaled(let signal): "killed by \(SignalNames.name(of: signal))"
        }
    }
}

/// Signal numbers as Linux defines them, for messages.
public enum SignalNames {
    static let names: [Int32: String] = [
        1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE",
        9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM",
    ]

    public static func name(of signal: Int32) -> String { names[signal] ?? "signal \(signal)" }
}
