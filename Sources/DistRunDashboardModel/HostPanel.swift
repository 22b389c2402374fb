// What the dashboard knows of one host: its endpoint, connection state, tag, its terminal
// (the emulated screen), the scrollback of lines that left that screen, and where the user is
// looking. The history is the scrollback followed by the screen's rows, numbered absolutely.
//
// The terminal is a reference type owned by the UI thread: copies of a panel share it.

import DistRunClient
import DistRunTerminal

public struct HostPanel {
    public let endpoint: HostEndpoint
    public var state = HostState.connecting
    public var tagged = false
    public var scrollback: Scrollback
    public let terminal = TerminalEmulator(rows: 24, columns: 80)
    /// Absolute line shown at the bottom of the pane while scrolled back; nil follows new output.
    public var scrolledTo: Int?
    /// Output arrived below the view while scrolled back.
    public var hasUnseenOutput = false
    /// The last input sent to the target skipped this host (it was not running).
    public var skippedLastInput = false

    public init(endpoint: HostEndpoint, scrollbackLines: Int) {
        self.endpoint = endpoint
        self.scrollback = Scrollback(maxLines: scrollbackLines)
    }

    /// Input can reach the command only while it runs.
    public var acceptsInput: Bool { state == .running || state == .connecting }

    /// One past the newest line of the history: the scrollback, then the screen's rows.
    public var historyEnd: Int { scrollback.endLine + terminal.rows }

    /// The absolute line at the bottom of the view.
    public var bottomLine: Int { scrolledTo ?? historyEnd }

    /// A history line as text: from the scrollback, or a row of the screen.
    public func historyText(_ line: Int) -> String {
        line < scrollback.endLine ? scrollback.text(ofLine: line) : terminal.rowText(line - scrollback.endLine)
    }
}

/// A host's state reduced to what the host list shows and counts.
public enum HostStatusKind: String, CaseIterable, Sendable {
    case connecting, running, exitedOk = "exited", exitedFailed = "failed command", lost, failed

    public init(_ state: HostState) {
        switch state {
        case .connecting: self = .connecting
        case .running: self = .running
        case .exited(let status): self = status.succeeded ? .exitedOk : .exitedFailed
        case .failed(let failure): self = failure.kind == .lost ? .lost : .failed
        case .reconnecting: self = .lost
        }
    }

    /// Readable without colour.
    public var glyph: String {
        switch self {
        case .connecting: "…"
        case .running: "●"
        case .exitedOk: "✓"
        case .exitedFailed: "✗"
        case .lost: "?"
        case .failed: "!"
        }
    }

    public var role: ThemeRole {
        switch self {
        case .connecting: .hostConnecting
        case .running: .hostRunning
        case .exitedOk: .hostExitedOk
        case .exitedFailed: .hostExitedFailed
        case .lost: .hostLost
        case .failed: .hostFailed
        }
    }
}
