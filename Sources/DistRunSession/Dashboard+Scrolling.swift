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
        let scrollback = hosts[selected].scrollback
        let lowest = scrollback.firstLine + min(max(1, viewHeight), scrollback.lineCount)
        let clamped = max(bottom, lowest)
        if clamped >= scrollback.endLine {
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
        guard let match = host.scrollback.search(query, from: from, forward: !olderFirst) else { return false }
        searchMatch = (selected, match)
        // Show the match mid-pane; near the end this becomes the live view, which still shows it.
        moveView(to: match.line + 1 + viewHeight / 2, viewHeight: viewHeight)
        return true
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
