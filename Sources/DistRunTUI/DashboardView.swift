// Draws the whole dashboard from the controller's state onto a Canvas: header, host list,
// panes, status bar and any overlay. Drawing only reads state; views never change it.

import DistRunClient
import DistRunDashboardModel

public struct DashboardView {
    public let layout: ScreenLayout
    private let controller: DashboardController
    private var dashboard: Dashboard { controller.dashboard }
    /// Shown in the header, e.g. "demo: 4 local agents".
    private let note: String?

    public init(controller: DashboardController, size: Size, note: String? = nil) {
        self.controller = controller
        self.note = note
        let dashboard = controller.dashboard
        let nameWidth = dashboard.hosts.map { TextWidth.of($0.endpoint.name) }.max() ?? 0
        layout = ScreenLayout(
            size: size, hostCount: dashboard.hosts.count, mode: dashboard.layout, selected: dashboard.selected,
            hostNameWidth: nameWidth)
    }

    /// Text rows inside the selected host's pane, for paging.
    public var selectedPaneRows: Int { max(1, (layout.pane(of: dashboard.selected)?.height ?? 3) - 2) }

    public func draw(on canvas: inout some Canvas) {
        drawHeader(on: &canvas)
        HostListView(dashboard: dashboard, frame: layout.hostList).draw(on: &canvas)
        let targeted = Set(dashboard.targetedHosts)
        for placement in layout.panes {
            var pane = PaneView(dashboard: dashboard, host: placement.host, frame: placement.frame)
            pane.isTargetOfBroadcast = dashboard.isBroadcasting && targeted.contains(placement.host)
            pane.draw(on: &canvas)
        }
        StatusBarView(controller: controller, frame: layout.status).draw(on: &canvas)
        if controller.mode == .help { drawHelp(on: &canvas) }
    }

    private func drawHeader(on canvas: inout some Canvas) {
        canvas.fill(layout.header, role: .header)
        let layoutName = dashboard.layout == .grid ? "grid" : "zoom"
        var text = " DistRun  \(dashboard.hosts.count) hosts: \(dashboard.stateCounts)   [\(layoutName)]"
        if let note { text += "   \(note)" }
        canvas.put(text, x: 0, y: layout.header.y, role: .header, maxWidth: layout.header.width)
    }

    /// The key table in a box; split into two columns when one does not fit the height.
    private func drawHelp(on canvas: inout some Canvas) {
        let lines = KeyMap.helpLines(prefix: controller.prefix) + ["", "Any key closes this."]
        let columns =
            lines.count + 2 > canvas.size.height
            ? [Array(lines.prefix((lines.count + 1) / 2)), Array(lines.dropFirst((lines.count + 1) / 2))] : [lines]
        let columnWidth = (lines.map { TextWidth.of($0) }.max() ?? 0) + 1
        let width = min(canvas.size.width, columnWidth * columns.count + 2)
        let height = min(canvas.size.height, (columns.map(\.count).max() ?? 0) + 2)
        let frame = Rect(
            x: (canvas.size.width - width) / 2, y: (canvas.size.height - height) / 2, width: width, height: height)
        guard frame.height > 2, frame.width > 2 else { return }
        canvas.fill(frame, role: .help)
        Box.draw(frame, title: " keys ", role: .help, on: &canvas)
        for (index, column) in columns.enumerated() {
            let x = frame.x + 1 + index * columnWidth
            for (row, line) in column.prefix(frame.height - 2).enumerated() {
                canvas.put(
                    line, x: x, y: frame.y + 1 + row, role: .help, maxWidth: min(columnWidth, frame.maxX - 1 - x))
            }
        }
    }
}

/// Box drawing with light lines.
enum Box {
    static func draw(
        _ frame: Rect, title: String, role: ThemeRole, titleRole: ThemeRole? = nil, on canvas: inout some Canvas
    ) {
        guard frame.width >= 2, frame.height >= 2 else { return }
        let horizontal = String(repeating: "─", count: frame.width - 2)
        canvas.put("┌" + horizontal + "┐", x: frame.x, y: frame.y, role: role, maxWidth: frame.width)
        canvas.put("└" + horizontal + "┘", x: frame.x, y: frame.maxY - 1, role: role, maxWidth: frame.width)
        for y in (frame.y + 1)..<(frame.maxY - 1) {
            canvas.put("│", x: frame.x, y: y, role: role, maxWidth: 1)
            canvas.put("│", x: frame.maxX - 1, y: y, role: role, maxWidth: 1)
        }
        canvas.put(title, x: frame.x + 2, y: frame.y, role: titleRole ?? role, maxWidth: frame.width - 4)
    }
}
