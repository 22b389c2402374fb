// Scrolling back through the selected host's history (scrollback, then the screen's rows) and
// searching it (Dashboard+Scrolling): moves by lines and pages, to the oldest line and back to
// live output, never past either end; new output while scrolled back leaves the view on the
// same lines and flags unseen output; search walks the matches one by one towards older or
// newer lines and scrolls each into view.

import DistRunDashboardModel
import DistRunTUI
import Testing

struct DashboardScrollingTests {
    static let viewHeight = Fixture.screenRows

    /// One running host (of two) with `count` lines; every tenth, from line 3, holds "Needle".
    /// Twenty plain lines follow, so every match has left the screen for the scrollback.
    static func dashboard(lines count: Int = 100, scrollbackLines: Int = Scrollback.defaultMaxLines) -> Dashboard {
        var dashboard = Fixture.dashboard([.running, .running], scrollbackLines: scrollbackLines)
        dashboard.output(0, Fixture.lines(count) { $0 % 10 == 3 ? "Needle \($0)" : "hay \($0)" })
        dashboard.output(0, Fixture.lines(20) { "tail \($0)" })
        return dashboard
    }

    static func isVisible(_ line: Int, in dashboard: Dashboard) -> Bool {
        let bottom = dashboard.selectedHost.bottomLine
        return bottom - viewHeight <= line && line < bottom
    }

    @Test func scrollsByLinesAndPagesAndStopsAtTheOldestLine() {
        var dashboard = Self.dashboard(lines: 50)
        let end = dashboard.selectedHost.historyEnd
        var bottom: Int { dashboard.selectedHost.bottomLine }
        #expect(!dashboard.isScrolledBack)
        #expect(bottom == end)
        dashboard.scroll(by: -1, viewHeight: Self.viewHeight)
        #expect(dashboard.isScrolledBack)
        #expect(bottom == end - 1)
        dashboard.scroll(by: -Self.viewHeight, viewHeight: Self.viewHeight)
        #expect(bottom == end - 11)
        dashboard.scroll(by: 5, viewHeight: Self.viewHeight)
        #expect(bottom == end - 6)
        dashboard.scrollToOldest(viewHeight: Self.viewHeight)
        #expect(dashboard.visibleLines(rows: Self.viewHeight) == (0..<10).map { $0 == 3 ? "Needle 3" : "hay \($0)" })
        dashboard.scroll(by: -1000, viewHeight: Self.viewHeight)
        #expect(bottom == Self.viewHeight, "still the oldest page")
        #expect(dashboard.hosts[1].scrolledTo == nil, "only the selected host scrolls")
    }

    @Test func scrollingPastTheNewestLineFollowsLiveOutputAgain() {
        var dashboard = Self.dashboard(lines: 50)
        dashboard.scroll(by: -20, viewHeight: Self.viewHeight)
        dashboard.scroll(by: 1000, viewHeight: Self.viewHeight)
        #expect(!dashboard.isScrolledBack)
        #expect(dashboard.selectedHost.bottomLine == dashboard.selectedHost.historyEnd)
        dashboard.scroll(by: 1, viewHeight: Self.viewHeight)
        #expect(!dashboard.isScrolledBack)
        dashboard.scroll(by: -3, viewHeight: Self.viewHeight)
        dashboard.followLiveOutput()
        #expect(!dashboard.isScrolledBack)
    }

    @Test func outputThatFitsTheViewCannotScroll() {
        var dashboard = Fixture.running(1)
        dashboard.output(0, Fixture.lines(5))
        dashboard.scroll(by: -1, viewHeight: Self.viewHeight)
        #expect(!dashboard.isScrolledBack)
        dashboard.scrollToOldest(viewHeight: Self.viewHeight)
        #expect(!dashboard.isScrolledBack)
    }

    @Test func newOutputWhileScrolledBackIsFlaggedAndDoesNotMoveTheView() {
        var dashboard = Self.dashboard(lines: 50)
        dashboard.output(0, "live\n")
        #expect(!dashboard.selectedHost.hasUnseenOutput, "following live output, nothing is unseen")
        dashboard.scroll(by: -15, viewHeight: Self.viewHeight)
        let shown = dashboard.visibleLines(rows: Self.viewHeight)
        dashboard.output(0, Fixture.lines(30) { "more \($0)" })
        #expect(dashboard.visibleLines(rows: Self.viewHeight) == shown)
        #expect(dashboard.selectedHost.hasUnseenOutput)
        #expect(!dashboard.hosts[1].hasUnseenOutput)
        dashboard.followLiveOutput()
        #expect(!dashboard.selectedHost.hasUnseenOutput)
        #expect(dashboard.visibleLines(rows: Self.viewHeight).contains("more 29"))
    }

    @Test func theViewNeverPointsAtEvictedLines() {
        var dashboard = Self.dashboard(lines: 20, scrollbackLines: 20)
        dashboard.scrollToOldest(viewHeight: 5)
        dashboard.output(0, Fixture.lines(40))
        let host = dashboard.selectedHost
        #expect(
            host.bottomLine >= host.scrollback.firstLine,
            "view ends at line \(host.bottomLine), oldest kept line is \(host.scrollback.firstLine)")

    }

    @Test func searchTowardsOlderWalksEveryMatchInOrderThenStops() throws {
        var dashboard = Self.dashboard()
        var found: [Int] = []
        var more = dashboard.search("needle", olderFirst: true, viewHeight: Self.viewHeight)
        while more {
            let match = try #require(dashboard.searchMatch)
            #expect(match.host == 0)
            #expect(dashboard.selectedHost.historyText(match.match.line).hasPrefix("Needle"))
            #expect(Self.isVisible(match.match.line, in: dashboard), "match on line \(match.match.line) is off screen")
            found.append(match.match.line)
            more = dashboard.searchAgain(olderFirst: true, viewHeight: Self.viewHeight)
        }
        #expect(found == [93, 83, 73, 63, 53, 43, 33, 23, 13, 3])
        #expect(dashboard.searchMatch?.match.line == 3, "a failed step keeps the last match")
    }

    @Test func searchTowardsNewerWalksBack() throws {
        var dashboard = Self.dashboard()
        dashboard.scrollToOldest(viewHeight: Self.viewHeight)
        let first = dashboard.search("needle", olderFirst: true, viewHeight: Self.viewHeight)
        #expect(first && dashboard.searchMatch?.match.line == 3)
        var found: [Int] = []
        while dashboard.searchAgain(olderFirst: false, viewHeight: Self.viewHeight) {
            let line = try #require(dashboard.searchMatch).match.line
            #expect(Self.isVisible(line, in: dashboard), "match on line \(line) is off screen")
            found.append(line)
        }
        #expect(found == [13, 23, 33, 43, 53, 63, 73, 83, 93])
    }

    @Test func searchIsCaseInsensitiveAndReportsColumns() throws {
        var dashboard = Self.dashboard()
        let found = dashboard.search("NEEDLE 4", olderFirst: true, viewHeight: Self.viewHeight)
        #expect(found)
        let match = try #require(dashboard.searchMatch)
        #expect(match.match == ScrollbackMatch(line: 43, columns: 0..<8))
        #expect(dashboard.searchQuery == "NEEDLE 4")
    }

    @Test func searchFindsOutputStillOnTheScreen() {
        var dashboard = Fixture.running(1)
        dashboard.output(0, "alpha\nneedle here\nomega\n")
        let found = dashboard.search("needle", olderFirst: true, viewHeight: Self.viewHeight)
        #expect(found, "a line shown in the pane is not found")
        #expect(dashboard.searchMatch?.match.line == 1)

    }

    @Test func aMissedSearchLeavesTheViewAlone() {
        var dashboard = Self.dashboard()
        dashboard.scroll(by: -30, viewHeight: Self.viewHeight)
        let bottom = dashboard.selectedHost.bottomLine
        let absent = dashboard.search("absent", olderFirst: true, viewHeight: Self.viewHeight)
        let empty = dashboard.search("", olderFirst: true, viewHeight: Self.viewHeight)
        #expect(!absent && !empty)
        #expect(dashboard.selectedHost.bottomLine == bottom)
        #expect(dashboard.searchMatch == nil)
        var fresh = Self.dashboard()
        let again = fresh.searchAgain(olderFirst: true, viewHeight: Self.viewHeight)
        #expect(!again, "no query yet")
    }
}
