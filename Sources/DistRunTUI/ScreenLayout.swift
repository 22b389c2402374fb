// Where everything goes on the screen: a header line, the host list on the left, the panes
// (one large in zoom, a grid otherwise) and the status bar. Pure arithmetic, so every terminal
// size can be tested without a terminal.

import DistRunDashboardModel

public struct ScreenLayout: Equatable, Sendable {
    /// Smallest pane, border included, worth drawing in the grid.
    public static let minimumPane = Size(width: 24, height: 5)

    public var header: Rect
    public var hostList: Rect
    public var panes: [PanePlacement]
    public var status: Rect

    public struct PanePlacement: Equatable, Sendable {
        public var host: Int
        public var frame: Rect
    }

    /// - Parameters:
    ///   - selected: in a grid too large for the screen, the page shown is the one holding it.
    public init(size: Size, hostCount: Int, mode: LayoutMode, selected: Int, hostNameWidth: Int) {
        header = Rect(x: 0, y: 0, width: size.width, height: 1)
        status = Rect(x: 0, y: size.height - 1, width: size.width, height: 1)
        let bodyHeight = max(0, size.height - 2)
        let listWidth = min(max(16, hostNameWidth + 12), max(16, size.width / 4), size.width)  // marks, name, state
        hostList = Rect(x: 0, y: 1, width: listWidth, height: bodyHeight)
        let area = Rect(x: listWidth, y: 1, width: size.width - listWidth, height: bodyHeight)
        guard !area.isEmpty, hostCount > 0 else {
            panes = []
            return
        }
        switch mode {
        case .zoom:
            panes = [PanePlacement(host: selected, frame: area)]
        case .grid:
            panes = Self.grid(area: area, hostCount: hostCount, selected: selected)
        }
    }

    /// The pane showing `host`, if it is on screen.
    public func pane(of host: Int) -> Rect? { panes.first { $0.host == host }?.frame }

    static func grid(area: Rect, hostCount: Int, selected: Int) -> [PanePlacement] {
        let maxColumns = max(1, area.width / minimumPane.width)
        let maxRows = max(1, area.height / minimumPane.height)
        let perPage = min(hostCount, maxColumns * maxRows)
        let columns = bestColumnCount(for: perPage, in: area, maxColumns: maxColumns)
        let rows = (perPage + columns - 1) / columns
        let firstHost = (min(selected, hostCount - 1) / perPage) * perPage
        let shown = min(perPage, hostCount - firstHost)
        return (0..<shown).map { index in
            let (row, column) = (index / columns, index % columns)
            // A short last row shares the whole width, so the grid has no holes.
            let columnsInRow = min(columns, shown - row * columns)
            let x = area.x + area.width * column / columnsInRow
            let y = area.y + area.height * row / rows
            let frame = Rect(
                x: x, y: y, width: area.x + area.width * (column + 1) / columnsInRow - x,
                height: area.y + area.height * (row + 1) / rows - y)
            return PanePlacement(host: firstHost + index, frame: frame)
        }
    }

    /// The column count whose panes come closest to a terminal's 80x24 shape.
    static func bestColumnCount(for count: Int, in area: Rect, maxColumns: Int) -> Int {
        let candidates = 1...max(1, min(count, maxColumns))
        return candidates.max { a, b in score(a, count, area) < score(b, count, area) } ?? 1
    }

    private static func score(_ columns: Int, _ count: Int, _ area: Rect) -> Double {
        let rows = (count + columns - 1) / columns
        let width = Double(area.width) / Double(columns)
        let height = Double(area.height) / Double(rows)
        guard height >= Double(minimumPane.height) else { return -1 }
        // Cells are about twice as tall as wide: compare in "square" units, favour the smaller side.
        return min(width / 80, height / 24) - Double(columns * rows - count) * 0.001
    }
}
