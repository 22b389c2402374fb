// DashboardView drawn on a MemoryCanvas, checked as text and roles the way a snapshot would be:
// the header's counts, the host list's glyphs and selected row, a pane's title and last lines,
// stderr and search-match roles, the loud status bar while broadcasting, the scrolled-back
// marker and the help overlay. Widgets name roles, never colours, so roles are what is checked.
// Each frame is prepared as the shell does it (KeyDriver.draw fits the panes' terminals).

import DistRunClient
import DistRunDashboardModel
import DistRunTUI
import Testing

struct DashboardViewTests {
    static let screen = Size(width: 80, height: 24)

    static func fleet() -> KeyDriver { KeyDriver(Fixture.dashboard([.running, .running, Fixture.lost])) }

    @Test func headerShowsTheHostCountAndStateCounts() {
        let (canvas, _) = Self.fleet().draw(Self.screen)
        #expect(canvas.line(0).hasPrefix(" DistRun  3 hosts: 2 running · 1 lost   [grid]"))
        #expect(canvas.roles[0].allSatisfy { $0 == .header })
    }

    @Test func hostListShowsGlyphsNamesStatesAndTheSelection() {
        let ui = KeyDriver(
            Fixture.dashboard([
                .connecting, .running, Fixture.exitedOk, .exited(.exited(2)), Fixture.lost,
                .failed(HostFailure(.unreachable, "refused")),
            ]))
        ui.press(KeyMap.defaultPrefix, .down, KeyMap.defaultPrefix, .character("t"))
        let (canvas, layout) = ui.draw(Self.screen)
        let list = layout.hostList
        let rows = (0..<6).map { String(canvas.line(list.y + $0).prefix(list.width)) }
        #expect(rows.map { String($0.dropFirst(2).prefix(1)) } == ["…", "●", "✓", "✗", "?", "!"])
        #expect(
            rows.map { $0.split(separator: " ").last.map(String.init) } == ["conn", "run", "0", "2", "lost", "fail"])
        #expect(rows[1].hasPrefix("▸*● web-2"))
        #expect(rows[0].hasPrefix("  … web-1"))
        // The selected row is one band of the selection role, except the tag mark.
        let selectedRow = canvas.roles[list.y + 1][list.x..<list.maxX]
        #expect(selectedRow.enumerated().allSatisfy { $0.offset == 1 ? $0.element == .tag : $0.element == .selection })
        // Other rows colour their glyph and state by kind, the rest as the list.
        let lostRow = list.y + 4
        #expect(canvas.roles[lostRow][list.x + 2] == .hostLost)
        #expect(canvas.roles[lostRow][list.maxX - 2] == .hostLost)
        #expect(canvas.roles[lostRow][list.x + 4] == .hostList)
        let otherRows = [0, 2, 3, 4, 5].map { canvas.roles[list.y + $0] }
        #expect(!otherRows.contains { $0.contains(.selection) })
    }

    @Test func aSkippedHostSaysSo() {
        let ui = KeyDriver(Fixture.dashboard([.running, Fixture.exitedOk]))
        ui.type("x\r")
        let (canvas, layout) = ui.draw(Self.screen)
        let at = canvas.find("skipped")
        #expect(at?.y == layout.hostList.y + 1)
        #expect(at.map { canvas.roles(x: $0.x, y: $0.y, count: 7) } == Array(repeating: .hostSkipped, count: 7))
    }

    @Test func aPaneShowsItsTitleAndItsLastLines() throws {
        let ui = Self.fleet()
        ui.dashboard.output(0, Fixture.lines(30))
        ui.dashboard.output(1, "other host\n")
        let (canvas, layout) = ui.draw(Self.screen)
        let frame = try #require(layout.pane(of: 0))
        let inner = frame.inset
        let title = try #require(canvas.find(" web-1 · running "))
        #expect(title.y == frame.y)
        #expect(canvas.roles[frame.y][title.x + 1] == .paneTitleSelected)
        var shown = (inner.y..<inner.maxY).map {
            String(Array(canvas.line($0))[inner.x..<inner.maxX]).trimmingCharacters(in: .whitespaces)
        }
        while shown.last == "" { shown.removeLast() }
        #expect(shown.count >= inner.height - 1, "only the cursor's row may stay empty")
        #expect(shown == (30 - shown.count..<30).map { "line \($0)" })
        let other = try #require(layout.pane(of: 1))
        #expect(canvas.line(other.y + 1).contains("other host"))
        #expect(canvas.roles[other.y][other.x + 3] == .paneTitle)
        let lost = try #require(layout.pane(of: 2))
        #expect(canvas.line(lost.y).contains(" web-3 · lost: conn"))
    }

    @Test func stderrLinesUseTheStderrRole() throws {
        let ui = Self.fleet()
        ui.dashboard.output(0, "to stdout\n")
        ui.dashboard.output(0, "to stderr\n", stderr: true)
        var (canvas, _) = ui.draw(Self.screen)
        let live = try #require(canvas.find("to stderr"))
        let out = try #require(canvas.find("to stdout"))
        #expect(canvas.roles(x: out.x, y: out.y, count: 9).allSatisfy { $0 == nil })
        #expect(canvas.roles(x: live.x, y: live.y, count: 9).allSatisfy { $0 == .stderr }, "live screen")

        ui.dashboard.output(0, Fixture.lines(30))
        ui.press(KeyMap.defaultPrefix, .pageUp, .home)
        (canvas, _) = ui.draw(Self.screen)
        let scrolled = try #require(canvas.find("to stderr"))
        #expect(canvas.roles(x: scrolled.x, y: scrolled.y, count: 9).allSatisfy { $0 == .stderr }, "scrolled back")

    }

    @Test func statusBarIsLoudWhileBroadcasting() throws {
        let ui = Self.fleet()
        ui.type("uname")
        let (canvas, layout) = ui.draw(Self.screen)
        #expect(canvas.line(layout.status.y).hasPrefix(" INPUT → ALL 3 │ uname"))
        #expect(canvas.roles(x: 0, y: layout.status.y, count: 20).allSatisfy { $0 == .statusBroadcast })
        #expect(canvas.cursor.map { [$0.x, $0.y] } == [TextWidth.of(" INPUT → ALL 3 │ uname"), layout.status.y])
        for host in 0..<3 {
            let frame = try #require(layout.pane(of: host))
            #expect(canvas.roles[frame.y][frame.x] == .borderBroadcast, "host \(host)'s border")
        }
    }

    @Test func statusBarIsQuietForOneHost() throws {
        let ui = Self.fleet()
        ui.press(KeyMap.defaultPrefix, .character("s"))
        let (canvas, layout) = ui.draw(Self.screen)
        #expect(canvas.line(layout.status.y).hasPrefix(" INPUT → web-1 │ "))
        #expect(canvas.roles[layout.status.y].allSatisfy { $0 == .statusBar })
        #expect(!canvas.roles.joined().contains(.borderBroadcast))
        let (selected, other) = (try #require(layout.pane(of: 0)), try #require(layout.pane(of: 1)))
        #expect(canvas.roles[selected.y][selected.x] == .borderSelected)
        #expect(canvas.roles[other.y][other.x] == .border)
    }

    @Test func theSearchMatchIsHighlighted() throws {
        let ui = Self.fleet()
        ui.dashboard.output(0, Fixture.lines(100) { $0 % 10 == 3 ? "xx needle \($0)" : "hay \($0)" })
        ui.dashboard.output(0, Fixture.lines(20) { "tail \($0)" })
        _ = ui.draw(Self.screen)
        ui.press(KeyMap.defaultPrefix, .character("/"))
        ui.type("NEEDLE 4")
        ui.press(.enter)
        #expect(ui.mode == .scroll)
        let (canvas, layout) = ui.draw(Self.screen)
        let at = try #require(canvas.find("xx needle 43"))
        let expected: [ThemeRole?] = [nil, nil, nil] + Array(repeating: .searchMatch, count: 8) + [nil]
        #expect(canvas.roles(x: at.x, y: at.y, count: 12) == expected)
        #expect(canvas.roles.joined().filter { $0 == .searchMatch }.count == 8, "only the current match")
        #expect(canvas.line(layout.status.y).hasPrefix(" SCROLL web-1 │ line "))
    }

    @Test func aScrolledBackPaneSaysMoreBelowThenNewOutput() throws {
        let ui = Self.fleet()
        ui.dashboard.output(0, Fixture.lines(60))
        _ = ui.draw(Self.screen)
        ui.press(KeyMap.defaultPrefix, .pageUp)
        var (canvas, layout) = ui.draw(Self.screen)
        let frame = try #require(layout.pane(of: 0))
        let at = try #require(canvas.find("↓ more below"))
        #expect(at.y == frame.maxY - 1 && at.x > frame.x && at.x < frame.maxX, "on the pane's bottom border")
        #expect(canvas.roles[at.y][at.x] == .scrollMarker)
        #expect(canvas.find("line 59") == nil, "the newest line is below the view")

        ui.dashboard.output(0, "fresh\n")
        (canvas, layout) = ui.draw(Self.screen)
        #expect(canvas.line(frame.maxY - 1).contains("↓ new output below"))
        #expect(canvas.find("fresh") == nil)
        ui.press(.escape)
        (canvas, layout) = ui.draw(Self.screen)
        #expect(canvas.find("below") == nil)
        #expect(canvas.find("fresh") != nil)
    }

    @Test func theHelpOverlayListsTheKeys() {
        let ui = Self.fleet()
        ui.press(KeyMap.defaultPrefix, .character("?"))
        let (canvas, layout) = ui.draw(Self.screen)
        let text = canvas.text
        for binding in KeyMap.bindings {
            #expect(text.contains(binding.summary), "help lacks \(binding.summary)")
        }
        for name in ["C-]", "PgUp", "Esc", "Home"] {
            #expect(text.contains(name), "help lacks \(name)")
        }
        #expect(canvas.roles.joined().contains(.help))
        #expect(canvas.line(layout.status.y).hasPrefix(" HELP"))
    }

    @Test func theQuitQuestionIsAsked() {
        let ui = Self.fleet()
        ui.press(KeyMap.defaultPrefix, .character("q"))
        let (canvas, layout) = ui.draw(Self.screen)
        #expect(canvas.line(layout.status.y).hasPrefix(" 2 host(s) still running. Quit and end them? (y/n)"))
    }

    @Test func zoomDrawsOnlyTheSelectedHost() {
        let ui = Self.fleet()
        ui.press(KeyMap.defaultPrefix, .up, KeyMap.defaultPrefix, .character("z"))
        let (canvas, _) = ui.draw(Self.screen)
        #expect(canvas.find(" web-3 · lost") != nil)
        #expect(canvas.find(" web-1 · running") == nil)
        #expect(canvas.line(0).contains("[zoom]"))
    }
}
