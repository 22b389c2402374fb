// Scrolling back through the selected host's output, and searching it. The view is anchored
// by its bottom line (absolute, so eviction of old lines never shifts it); reaching the newest
// line returns the pane to following live output.

extension Dashboard {
    /// Moves the selected pane's view by `lines` (negative: towards older output).
    public mutating func scroll(by lines: Int, viewHeight: Int) {
        moveView(to: hosts[selected].bottomLine + lines, viewHeight: viewHeight)
    }

    public mutating func scrollToOldest(viewHeight: Int) {
        moveView(to: hosts[selected].scrollback.firstLine, viewHeight: viewHeight)
    }

    public mutating func followLiveOutput() {
        hosts[selected].scrolledTo = nil
        hosts[selected].hasUnseenOutput = false
    }

    public var isScrolledBack: Bool { hosts[selected].scrolledTo != nil }

    private mutating func moveView(to bottom: Int, viewHeight: Int) {
        let host = hosts[selected]
        let lowest = host.scrollback.firstLine + min(max(1, viewHeight), host.historyEnd - host.scrollback.firstLine)
        let clamped = max(bottom, lowest)
        if clamped >= host.historyEnd {
            followLiveOutput()
        } else {
            hosts[selected].scrolledTo = clamped
        }
    }

    /// Searches the selected host's scrollback for `query`, towards older output when
    /// `olderFirst`, continuing from the previous match. Scrolls to show the match; false if none.
    public mutating func search(_ query: String, olderFirst: Bool, viewHeight: Int) -> Bool {
        guard !query.isEmpty else { return false }
        let host = hosts[selected]
        let from: Int
        if let previous = searchMatch, previous.host == selected, searchQuery == query {
            from = previous.match.line
        } else {
            from = olderFirst ? host.bottomLine : host.bottomLine - max(1, viewHeight) - 1
        }
        searchQuery = query
        guard let match = Self.searchHistory(of: host, for: query, from: from, olderFirst: olderFirst) else {
            return false
        }
        searchMatch = (selected, match)
        // Show the match mid-pane; near the end this becomes the live view, which still shows it.
        moveView(to: match.line + 1 + viewHeight / 2, viewHeight: viewHeight)
        return true
    }

    /// Searches the history (the scrollback, then the screen's rows) strictly before or after `from`.
    static func searchHistory(of host: HostPanel, for query: String, from: Int, olderFirst: Bool) -> ScrollbackMatch? {
        let screenStart = host.scrollback.endLine
        if olderFirst {
            let newest = min(from - 1, host.historyEnd - 1)
            if newest >= screenStart {
                for line in stride(from: newest, through: screenStart, by: -1) {
                    if let match = screenMatch(of: query, in: host, line: line) { return match }
                }
            }
            return host.scrollback.search(query, from: min(from, screenStart), forward: false)
        }
        if let match = host.scrollback.search(query, from: from, forward: true) { return match }
        let oldest = max(from + 1, screenStart)
        guard oldest < host.historyEnd else { return nil }
        return (oldest..<host.historyEnd).lazy.compactMap { screenMatch(of: query, in: host, line: $0) }.first
    }

    /// A case-insensitive match on a screen row, in the scrollback's terms (columns in scalars).
    private static func screenMatch(of query: String, in host: HostPanel, line: Int) -> ScrollbackMatch? {
        guard let columns = Scrollback.firstMatch(of: query, in: host.historyText(line)) else { return nil }
        return ScrollbackMatch(line: line, columns: columns)
    }

    /// Repeats the last search, towards older or newer output.
    public mutating func searchAgain(olderFirst: Bool, viewHeight: Int) -> Bool {
        guard let query = searchQuery else { return false }
        return search(query, olderFirst: olderFirst, viewHeight: viewHeight)
    }

    public mutating func clearSearch() {
        searchMatch = nil
    }
}
