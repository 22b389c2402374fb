// One host's pane: a border titled with the host and its state, and the lines of its
// scrollback that end at the view's bottom line. Stderr lines and the current search match
// have their own roles; a marker says when newer output is waiting below.

import DistRunClient
import DistRunDashboardModel

struct PaneView {
    let dashboard: Dashboard
    let host: HostID
    let frame: Rect
    var isTargetOfBroadcast = false

    func draw(on canvas: inout some Canvas) {
        let panel = dashboard.hosts[host]
        let isSelected = host == dashboard.selected
        let border: ThemeRole = isTargetOfBroadcast ? .borderBroadcast : isSelected ? .borderSelected : .border
        canvas.fill(frame, role: nil)
        let title = " \(panel.endpoint.name) · \(panel.state) "
        Box.draw(
            frame, title: title, role: border, titleRole: isSelected ? .paneTitleSelected : .paneTitle, on: &canvas)
        drawLines(panel, in: frame.inset, on: &canvas)
    }

    private func drawLines(_ panel: HostPanel, in area: Rect, on canvas: inout some Canvas) {
        guard !area.isEmpty else { return }
        guard panel.scrolledTo != nil else { return drawScreen(panel, in: area, on: &canvas) }
        let top = max(panel.scrollback.firstLine, panel.bottomLine - area.height)
        let bottom = max(top, panel.bottomLine)
        let match = dashboard.searchMatch.flatMap { $0.host == host ? $0.match : nil }
        for (row, line) in (top..<bottom).enumerated() {
            let text = panel.historyText(line)
            let isStderr = line < panel.scrollback.endLine && panel.scrollback.source(ofLine: line) == .stderr
            canvas.put(text, x: area.x, y: area.y + row, role: isStderr ? .stderr : nil, maxWidth: area.width)
            if let match, match.line == line {
                highlight(match, in: text, x: area.x, y: area.y + row, width: area.width, on: &canvas)
            }
        }
        if panel.scrolledTo != nil {
            // On the bottom border, so it never hides output.
            let marker = panel.hasUnseenOutput ? " ↓ new output below " : " ↓ more below "
            let width = TextWidth.of(marker)
            canvas.put(marker, x: area.maxX - width, y: area.maxY, role: .scrollMarker, maxWidth: width)
        }
    }

    /// The live screen, cell by cell, with the program's colours; the cursor of the selected
    /// host's pane becomes the terminal's cursor.
    private func drawScreen(_ panel: HostPanel, in area: Rect, on canvas: inout some Canvas) {
        let terminal = panel.terminal
        for row in 0..<min(area.height, terminal.rows) {
            var column = 0
            while column < min(area.width, terminal.columns) {
                let cell = terminal.cell(row: row, column: column)
                if cell.font == 1 {
                    canvas.put(
                        cell.text.isEmpty ? " " : cell.text, x: area.x + column, y: area.y + row, role: .stderr,
                        maxWidth: max(1, cell.width))
                } else if !cell.isRightHalf && column + cell.width <= area.width {
                    canvas.putCell(cell, x: area.x + column, y: area.y + row)
                }
                column += max(1, cell.width)
            }
        }
        let cursor = terminal.cursor
        if host == dashboard.selected, cursor.visible, cursor.row < area.height, cursor.column < area.width {
            canvas.placeCursor(x: area.x + cursor.column, y: area.y + cursor.row)
        }
    }

    private func highlight(
        _ match: ScrollbackMatch, in text: String, x: Int, y: Int, width: Int, on canvas: inout some Canvas
    ) {
        let scalars = Array(text.unicodeScalars)
        guard match.columns.upperBound <= scalars.count else { return }
        let before = scalars[..<match.columns.lowerBound].reduce(0) { $0 + TextWidth.of($1) }
        var matched = String.UnicodeScalarView()
        matched.append(contentsOf: scalars[match.columns])
        canvas.put(String(matched), x: x + before, y: y, role: .searchMatch, maxWidth: width - before)
    }
}
