// A pseudo-terminal's size, carried as `COLSxROWS` by the `pty` option and the `WIN` frame.

public struct WindowSize: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var columns: Int
    public var rows: Int

    public init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
    }

    public var payload: String { "\(columns)x\(rows)" }
    public var description: String { payload }

    /// Both sides 1...9999.
    public init(payload: String) throws {
        let parts = payload.split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let columns = Int(parts[0]), let rows = Int(parts[1]),
            (1...9999).contains(columns), (1...9999).contains(rows)
        else {
            throw ProtocolError.malformedPayload(.windowSize, reason: "'\(payload)' is not COLSxROWS (1-9999 each)")
        }
        self.init(columns: columns, rows: rows)
    }
}

/// The signals a client may send with `SIG`, by name.
public enum CommandSignal: String, CaseIterable, Sendable {
    case INT, TERM, HUP, KILL, QUIT, USR1, USR2, CONT, STOP, WINCH

    /// Linux numbering.
    public var number: Int32 {
        switch self {
        case .HUP: 1
        case .INT: 2
        case .QUIT: 3
        case .KILL: 9
        case .USR1: 10
        case .USR2: 12
        case .TERM: 15
        case .CONT: 18
        case .STOP: 19
        case .WINCH: 28
        }
    }

    public init(payload: String) throws {
        let name = payload.hasPrefix("SIG") ? String(payload.dropFirst(3)) : payload
        guard let signal = CommandSignal(rawValue: name) else {
            throw ProtocolError.malformedPayload(.signal, reason: "unknown signal '\(payload)'")
        }
        self = signal
    }
}
