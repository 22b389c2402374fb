// ScreenLayout is pure arithmetic, so every terminal size and fleet size is checked directly:
// panes stay inside the pane area (right of the host list, between the header and the status
// bar), never overlap, tile it exactly when every host fits, respect the minimum pane size in a
// grid, and page so that the selected host is always on screen. Zoom shows one pane over the
// whole area; tiny terminals produce an empty but valid layout.

import DistRunDashboardModel
import DistRunTUI
import Testing

struct ScreenLayoutTests {
    static let sizes = [Size(width: 80, height: 24), Size(width: 250, height: 70)]
    static let hostCounts = [1, 2, 4, 9, 16, 100]

    static func layout(_ size: Size, _ count: Int, _ mode: LayoutMode = .grid, selected: Int = 0) -> ScreenLayout {
        ScreenLayout(size: size, hostCount: count, mode: mode, selected: selected, hostNameWidth: 7)
    }

    /// Everything between the header and the status bar, right of the host list.
    static func paneArea(_ layout: ScreenLayout, _ size: Size) -> Rect {
        Rect(
            x: layout.hostList.maxX, y: layout.header.maxY, width: size.width - layout.hostList.maxX,
            height: layout.status.y - layout.header.maxY)
    }

    static func contains(_ outer: Rect, _ inner: Rect) -> Bool {
        inner.x >= outer.x && inner.y >= outer.y && inner.maxX <= outer.maxX && inner.maxY <= outer.maxY
    }

    static func overlap(_ a: Rect, _ b: Rect) -> Bool {
        a.x < b.maxX && b.x < a.maxX && a.y < b.maxY && b.y < a.maxY
    }

    @Test(arguments: sizes, hostCounts)
    func panesStayInsideThePaneAreaWithoutOverlap(size: Size, count: Int) {
        for selected in [0, count - 1] {
            let layout = Self.layout(size, count, selected: selected)
            let area = Self.paneArea(layout, size)
            #expect(layout.header == Rect(x: 0, y: 0, width: size.width, height: 1))
            #expect(layout.status == Rect(x: 0, y: size.height - 1, width: size.width, height: 1))
            #expect(!layout.panes.isEmpty)
            for pane in layout.panes {
                #expect(Self.contains(area, pane.frame), "host \(pane.host) at \(pane.frame) outside \(area)")
            }
            for (i, a) in layout.panes.enumerated() {
                for b in layout.panes[(i + 1)...] {
                    #expect(!Self.overlap(a.frame, b.frame), "hosts \(a.host) and \(b.host) overlap")
                }
            }
        }
    }

    @Test(arguments: sizes, hostCounts)
    func gridPanesAreAtLeastTheMinimumSize(size: Size, count: Int) {
        guard count > 1 else { return }
        for pane in Self.layout(size, count).panes {
            #expect(pane.frame.width >= ScreenLayout.minimumPane.width, "host \(pane.host): \(pane.frame)")
            #expect(pane.frame.height >= ScreenLayout.minimumPane.height, "host \(pane.host): \(pane.frame)")
        }
    }

    @Test(arguments: sizes, hostCounts)
    func panesTileTheAreaWhenEveryHostFits(size: Size, count: Int) {
        let layout = Self.layout(size, count)
        guard layout.panes.count == count else { return }
        let area = Self.paneArea(layout, size)
        #expect(layout.panes.map(\.host) == Array(0..<count))
        // Inside and disjoint (checked above), so equal total area means no gaps.
        let covered = layout.panes.reduce(0) { $0 + $1.frame.width * $1.frame.height }
        #expect(
            covered == area.width * area.height,
            "\(count) hosts leave \(area.width * area.height - covered) cells empty")
    }

    @Test func smallFleetsAllFitAndLargeOnesPage() {
        #expect(Self.layout(Self.sizes[0], 4).panes.count == 4)
        #expect(Self.layout(Self.sizes[0], 16).panes.count < 16)
        #expect(Self.layout(Self.sizes[1], 16).panes.count == 16)
    }

    @Test(arguments: sizes, hostCounts)
    func thePageShownHoldsTheSelectedHost(size: Size, count: Int) {
        var seen = Set<Int>()
        for selected in 0..<count {
            let hosts = Self.layout(size, count, selected: selected).panes.map(\.host)
            #expect(hosts.contains(selected), "selected \(selected) not among \(hosts)")
            #expect(hosts == Array(hosts[0]..<(hosts[0] + hosts.count)), "a page is a run of consecutive hosts")
            seen.formUnion(hosts)
        }
        #expect(seen == Set(0..<count))
    }

    @Test(arguments: sizes, hostCounts)
    func zoomGivesTheSelectedHostTheWholeArea(size: Size, count: Int) {
        let selected = count / 2
        let layout = Self.layout(size, count, .zoom, selected: selected)
        #expect(layout.panes.map(\.host) == [selected])
        #expect(layout.pane(of: selected) == Self.paneArea(layout, size))
    }

    @Test func hostListWidensForLongNamesButKeepsThreeQuartersForPanes() {
        let short = ScreenLayout(size: Self.sizes[1], hostCount: 4, mode: .grid, selected: 0, hostNameWidth: 4)
        let long = ScreenLayout(size: Self.sizes[1], hostCount: 4, mode: .grid, selected: 0, hostNameWidth: 40)
        let huge = ScreenLayout(size: Self.sizes[1], hostCount: 4, mode: .grid, selected: 0, hostNameWidth: 500)
        #expect(short.hostList.width == 16)
        #expect(long.hostList.width == 52, "name + tag, glyph and state columns")
        #expect(huge.hostList.width == 250 / 4)
    }

    @Test(arguments: [
        Size(width: 10, height: 3), Size(width: 0, height: 0), Size(width: 1, height: 1), Size(width: 17, height: 3),
        Size(width: 30, height: 2), Size(width: 40, height: 6),
    ])
    func tinyTerminalsGiveAValidLayout(size: Size) {
        for mode in [LayoutMode.grid, .zoom] {
            for count in [1, 2, 100] {
                let layout = Self.layout(size, count, mode, selected: count - 1)
                let area = Self.paneArea(layout, size)
                for pane in layout.panes {
                    #expect(Self.contains(area, pane.frame))
                    #expect(!pane.frame.isEmpty)
                }
                #expect(layout.hostList.maxX <= max(0, size.width))
            }
        }
    }
}
