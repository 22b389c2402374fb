// One host's pane: a border titled with the host and its state, and the lines of its
// scrollback that end at the view's bottom line. Stderr lines and the current search match
// have their own roles; a marker says when newer output is waiting below.

import DistRunClient
import DistRunSession

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
        let scrollback = panel.scrollback
        let bottom = panel.bottomLine
        let top = max(scrollback.firstLine, bottom - area.height)
        let match = dashboard.searchMatch.flatMap { $0.host == host ? $0.match : nil }
        for (row, line) in (top..<bottom).enumerated() {
            let text = scrollback.text(ofLine: line)
            let role: ThemeRole? = scrollback.source(ofLine: line) == .stderr ? .stderr : nil
            canvas.put(text, x: area.x, y: area.y + row, role: role, maxWidth: area.width)
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
