// The dashboard's model: hosts with their panels, the selection, tags, the input target,
// layout mode, scrolling and search. Pure and synchronous: the TUI feeds it connection events
// and key actions, and reads it to draw. Every mutation reports whether the screen changed.

import DistRunClient
#if canImport(Glibc)
    import Glibc
#endif
import NIOCore

public enum LayoutMode: Sendable, Equatable {
    /// Every host in a grid of panes.
    case grid
    /// The selected host alone, large.
    case zoom
}

/// Who receives typed input.
public enum InputTarget: Sendable, Equatable {
    case selected
    case all
    case tagged
}

public struct Dashboard {
    public internal(set) var hosts: [HostPanel]
    public internal(set) var selected: HostID = 0
    public var layout = LayoutMode.grid
    public var target = InputTarget.all
    /// The last search query, for next/previous.
    public internal(set) var searchQuery: String?
    /// Where the last search landed, to highlight it.
    public internal(set) var searchMatch: (host: HostID, match: ScrollbackMatch)?

    /// The commands run on pseudo-terminals: keys go out one by one, as a terminal sends them.
    /// Otherwise (pipes) typing edits a local line sent on Enter, and output needs `\r\n`.
    public let usesTerminals: Bool

    public init(hosts: [HostEndpoint], scrollbackLines: Int = Scrollback.defaultMaxLines, usesTerminals: Bool = false) {
        self.hosts = hosts.map { HostPanel(endpoint: $0, scrollbackLines: scrollbackLines) }
        self.usesTerminals = usesTerminals
    }

    public var selectedHost: HostPanel { hosts[selected] }

    // MARK: Connection events

    /// Applies one event from the connection manager. Returns what the host's terminal answers
    /// (replies to queries such as a cursor position report), to be sent to that host.
    public mutating func apply(_ event: HostEvent) -> [UInt8] {
        switch event {
        case .stateChanged(let id, let state):
            hosts[id].state = state
            return []
        case .output(let id, let stream, let bytes):
            let terminal = hosts[id].terminal
            if usesTerminals {
                bytes.withUnsafeReadableBytes { terminal.feed($0) }
            } else {
                terminal.feed(PipeOutput.terminalBytes(bytes, isStderr: stream == .stderr))
            }
            keepScrolledOffLines(of: id)
            if hosts[id].scrolledTo != nil { hosts[id].hasUnseenOutput = true }
            return terminal.takeReplies()
        case .outputLost(let id, let bytes):
            // Said in the pane, where the missing output would have been.
            hosts[id].terminal.feed(
                Array("\r\n\u{1B}[7m[distrun: \(bytes) bytes of output lost while disconnected]\u{1B}[0m\r\n".utf8))
            keepScrolledOffLines(of: id)
            return []
        }
    }

    /// Moves the lines that left the top of the host's screen into its scrollback, straight from
    /// the terminal's buffer: runs of stdout lines in one append, a line the terminal marked as
    /// stderr (`PipeOutput.stderrLineMark`, only ever first in a line) on its own.
    mutating func keepScrolledOffLines(of id: HostID) {
        var moved = false
        hosts[id].terminal.withScrollbackLines { text in
            moved = true
            var rest = text
            // memchr: this scan covers every byte of output, and marks are rare.
            while let base = rest.baseAddress, let mark = memchr(base, Int32(PipeOutput.stderrLineMark), rest.count) {
                let markIndex = base.distance(to: UnsafeRawPointer(mark))
                hosts[id].scrollback.append(UnsafeRawBufferPointer(rebasing: rest[..<markIndex]), from: .stdout)
                let line = rest[(markIndex + 1)...]
                let lineEnd = line.firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? rest.count
                hosts[id].scrollback.append(
                    UnsafeRawBufferPointer(rebasing: rest[(markIndex + 1)..<lineEnd]), from: .stderr)
                rest = UnsafeRawBufferPointer(rebasing: rest[lineEnd...])
            }
            hosts[id].scrollback.append(rest, from: .stdout)
        }
        guard moved else { return }
        // A view anchored in lines that were just evicted moves to the oldest line kept.
        if let bottom = hosts[id].scrolledTo, bottom <= hosts[id].scrollback.firstLine {
            hosts[id].scrolledTo = hosts[id].scrollback.firstLine + 1
        }
    }

    /// Gives a pane's terminal its size; true when it changed (the remote side must be told).
    public mutating func resizeTerminal(of id: HostID, rows: Int, columns: Int) -> Bool {
        let terminal = hosts[id].terminal
        guard rows > 0, columns > 0, rows != terminal.rows || columns != terminal.columns else { return false }
        terminal.resize(rows: rows, columns: columns)
        keepScrolledOffLines(of: id)
        return true
    }

    // MARK: Selection and tags

    public mutating func select(_ id: HostID) { selected = min(max(0, id), hosts.count - 1) }
    public mutating func selectNext() { select((selected + 1) % hosts.count) }
    public mutating func selectPrevious() { select((selected + hosts.count - 1) % hosts.count) }

    public mutating func toggleTag() { hosts[selected].tagged.toggle() }
    public mutating func tagAll() { setTags { _ in true } }
    public mutating func untagAll() { setTags { _ in false } }
    public mutating func invertTags() { setTags { !$0.tagged } }

    private mutating func setTags(_ rule: (HostPanel) -> Bool) {
        for id in hosts.indices { hosts[id].tagged = rule(hosts[id]) }
    }

    public var taggedHosts: [HostID] { hosts.indices.filter { hosts[$0].tagged } }

    /// Hosts that multi-host actions (reconnect, new command) act on: tagged, else selected.
    public var actionHosts: [HostID] { taggedHosts.isEmpty ? [selected] : taggedHosts }

    // MARK: Input target

    /// Hosts the current target names, before skipping those that cannot take input.
    public var targetedHosts: [HostID] {
        switch target {
        case .selected: [selected]
        case .all: Array(hosts.indices)
        case .tagged: taggedHosts
        }
    }

    /// Marks and returns who gets input now: running hosts get it, the rest are skipped.
    public mutating func routeInput() -> (receivers: [HostID], skipped: [HostID]) {
        let targeted = Set(targetedHosts)
        var receivers: [HostID] = []
        var skipped: [HostID] = []
        for id in hosts.indices {
            let isTargeted = targeted.contains(id)
            hosts[id].skippedLastInput = isTargeted && !hosts[id].acceptsInput
            if isTargeted { if hosts[id].acceptsInput { receivers.append(id) } else { skipped.append(id) } }
        }
        return (receivers, skipped)
    }

    /// Input goes to more than one host: the UI must say so loudly.
    public var isBroadcasting: Bool { targetedHosts.count > 1 }

    /// "→ ALL 16", "→ web-3", "→ 4 tagged".
    public var targetLabel: String {
        switch target {
        case .selected: "→ \(selectedHost.endpoint.name)"
        case .all: "→ ALL \(hosts.count)"
        case .tagged: "→ \(taggedHosts.count) tagged"
        }
    }

    // MARK: Summary

    /// "12 running · 1 failed · 3 exited", in a fixed order, leaving out zero counts.
    public var stateCounts: String {
        let kinds = hosts.map { HostStatusKind($0.state) }
        return HostStatusKind.allCases.compactMap { kind in
            let count = kinds.filter { $0 == kind }.count
            return count == 0 ? nil : "\(count) \(kind.rawValue)"
        }.joined(separator: " · ")
    }

    /// Hosts whose command is still going (asked about before quitting).
    public var activeHosts: [HostID] { hosts.indices.filter { !hosts[$0].state.isFinal } }
}
