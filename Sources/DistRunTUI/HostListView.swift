// The host list: one row a host with a state glyph (readable without colour), a tag mark,
// the name and the state; the selected row highlighted; scrolled to keep the selection visible.

import DistRunClient
import DistRunDashboardModel

struct HostListView {
    let dashboard: Dashboard
    let frame: Rect

    func draw(on canvas: inout some Canvas) {
        canvas.fill(frame, role: .hostList)
        guard frame.height > 0 else { return }
        let first = max(0, min(dashboard.selected - frame.height / 2, dashboard.hosts.count - frame.height))
        for (row, id) in (first..<min(dashboard.hosts.count, first + frame.height)).enumerated() {
            drawRow(id, y: frame.y + row, on: &canvas)
        }
    }

    private func drawRow(_ id: HostID, y: Int, on canvas: inout some Canvas) {
        let host = dashboard.hosts[id]
        let kind = HostStatusKind(host.state)
        let isSelected = id == dashboard.selected
        let rowRole: ThemeRole = isSelected ? .selection : .hostList
        canvas.fill(Rect(x: frame.x, y: y, width: frame.width, height: 1), role: rowRole)
        canvas.put(isSelected ? "▸" : " ", x: frame.x, y: y, role: rowRole, maxWidth: 1)
        canvas.put(host.tagged ? "*" : " ", x: frame.x + 1, y: y, role: host.tagged ? .tag : rowRole, maxWidth: 1)
        canvas.put(kind.glyph, x: frame.x + 2, y: y, role: isSelected ? rowRole : kind.role, maxWidth: 1)
        let state = host.skippedLastInput ? "skipped" : shortState(host.state)
        let nameWidth = max(1, frame.width - 5 - TextWidth.of(state) - 1)
        canvas.put(host.endpoint.name, x: frame.x + 4, y: y, role: rowRole, maxWidth: nameWidth)
        let stateRole: ThemeRole = host.skippedLastInput ? .hostSkipped : kind.role
        canvas.put(
            state, x: frame.maxX - TextWidth.of(state) - 1, y: y, role: isSelected ? rowRole : stateRole,
            maxWidth: frame.width)
    }

    private func shortState(_ state: HostState) -> String {
        switch state {
        case .connecting: "conn"
        case .running: "run"
        case .exited(.exited(let code)): "exit \(code)"
        case .exited(.signaled(let signal)): "sig \(signal)"
        case .failed(let failure): failure.kind == .lost ? "lost" : "fail"
        case .reconnecting: "lost…"
        }
    }
}
