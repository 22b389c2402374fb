// Scrollback search: case-insensitive, one (leftmost) match per line, strictly after or before
// the starting line so that repeating the search walks every matching line in order, no
// wrap-around, columns counted in characters, the unfinished line included, evicted lines never.

import Testing

@testable import DistRunDashboardModel

extension ScrollbackTests {
    static let searchText = bytes("alpha\nBeta ALPHA alpha\ngamma\nnaïve alpha\ndelta\n")

    @Test func forwardSearchWalksMatchesInOrder() {
        let lines = scrollback(Self.searchText)
        var found: [ScrollbackMatch] = []
        var from = lines.firstLine - 1
        while let match = lines.search("alpha", from: from, forward: true) {
            found.append(match)
            from = match.line
        }
        #expect(
            found == [
                ScrollbackMatch(line: 0, columns: 0..<5),
                ScrollbackMatch(line: 1, columns: 5..<10),  // leftmost in the line, case-insensitive
                ScrollbackMatch(line: 3, columns: 6..<11),  // "ï" is two bytes but one column
            ])
    }

    @Test func backwardSearchWalksMatchesInReverse() {
        let lines = scrollback(Self.searchText)
        var found: [Int] = []
        var from = lines.endLine
        while let match = lines.search("ALPHA", from: from, forward: false) {
            found.append(match.line)
            from = match.line
        }
        #expect(found == [3, 1, 0])
    }

    @Test func searchStartsStrictlyAfterOrBeforeTheGivenLine() {
        let lines = scrollback(Self.searchText)
        #expect(lines.search("alpha", from: 1, forward: true)?.line == 3)
        #expect(lines.search("alpha", from: 1, forward: false)?.line == 0)
        #expect(lines.search("alpha", from: 3, forward: true) == nil)  // no wrap-around
        #expect(lines.search("alpha", from: 0, forward: false) == nil)
        #expect(lines.search("alpha", from: .max, forward: true) == nil)
        #expect(lines.search("alpha", from: .min, forward: false) == nil)
        #expect(lines.search("alpha", from: .min, forward: true)?.line == 0)
        #expect(lines.search("delta", from: .max, forward: false)?.line == 4)
    }

    @Test func searchIgnoresCaseIncludingNonASCII() {
        let lines = scrollback(Self.searchText)
        #expect(lines.search("bETA", from: -1, forward: true) == ScrollbackMatch(line: 1, columns: 0..<4))
        #expect(lines.search("NAÏVE A", from: -1, forward: true) == ScrollbackMatch(line: 3, columns: 0..<7))
    }

    @Test func searchWithoutMatchReturnsNil() {
        let lines = scrollback(Self.searchText)
        #expect(lines.search("zeta", from: -1, forward: true) == nil)
        #expect(lines.search("zeta", from: lines.endLine, forward: false) == nil)
        #expect(lines.search("", from: -1, forward: true) == nil)
        #expect(Scrollback().search("alpha", from: -1, forward: true) == nil)
    }

    @Test func searchIncludesUnfinishedLines() {
        var lines = scrollback(Self.searchText)
        lines.append(bytes("warning: é-alpha"), from: .stderr)
        #expect(lines.search("é-ALPHA", from: 3, forward: true) == ScrollbackMatch(line: 5, columns: 9..<16))
        #expect(lines.search("warning", from: lines.endLine, forward: false)?.line == 5)
    }

    @Test func searchNeverReturnsEvictedLines() {
        let lines = scrollback(bytes("needle 0\nneedle 1\nneedle 2\nhay 3\nneedle 4\nhay 5\n"), maxLines: 3)
        #expect(lines.firstLine == 3)
        #expect(lines.search("needle", from: -1, forward: true)?.line == 4)
        #expect(lines.search("needle", from: 4, forward: false) == nil)
        #expect(lines.search("needle", from: 2, forward: true)?.line == 4)
    }
}
