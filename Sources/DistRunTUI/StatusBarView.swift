// The status bar: the mode, where typed input goes ("→ ALL 16", loud while broadcasting), the
// line being typed or the prompt, and a note or a hint on the right.

import DistRunDashboardModel

struct StatusBarView {
    let controller: DashboardController
    let frame: Rect

    func draw(on canvas: inout some Canvas) {
        let dashboard = controller.dashboard
        let role: ThemeRole = dashboard.isBroadcasting && controller.mode == .input ? .statusBroadcast : .statusBar
        canvas.fill(frame, role: role)
        let (left, cursorAtEnd) = leftText(dashboard)
        canvas.put(left, x: 0, y: frame.y, role: role, maxWidth: frame.width)
        if cursorAtEnd { canvas.placeCursor(x: min(frame.width - 1, TextWidth.of(left)), y: frame.y) }
        let right = rightText()
        // Right-aligned when it fits; otherwise it starts after the left part and is cut.
        let x = max(TextWidth.of(left) + 2, frame.maxX - TextWidth.of(right))
        if x < frame.maxX - 4 {
            let rightRole: ThemeRole = controller.message == nil ? role : .prompt
            canvas.put(right, x: x, y: frame.y, role: rightRole, maxWidth: frame.maxX - x)
        }
    }

    private func leftText(_ dashboard: Dashboard) -> (String, Bool) {
        switch controller.mode {
        case .input: (" INPUT \(dashboard.targetLabel) │ \(controller.editLine)", true)
        case .command: (" COMMAND: press a key, ? lists them", false)
        case .scroll: (" SCROLL \(dashboard.selectedHost.endpoint.name) │ \(scrollPosition(dashboard))", false)
        case .prompt(.search): (" search older: \(controller.editLine)", true)
        case .prompt(.newCommand):
            (" run on \(hostsLabel(dashboard.targetedHosts, dashboard)): \(controller.editLine)", true)
        case .help: (" HELP", false)
        case .confirmQuit: (" \(dashboard.activeHosts.count) host(s) still running. Quit and end them? (y/n)", true)
        }
    }

    private func rightText() -> String {
        if let message = controller.message { return " \(message) " }
        // Why the selected host failed, in full (its pane title may be too narrow for it).
        let selected = controller.dashboard.selectedHost
        if case .failed(let failure) = selected.state, controller.mode == .input {
            return " \(selected.endpoint.name): \(failure.kind.rawValue): \(failure.reason) "
        }
        if case .reconnecting = selected.state, controller.mode == .input {
            return " \(selected.endpoint.name): \(selected.state) "
        }
        switch controller.mode {
        case .scroll: return " q leaves · / searches "
        default: return " \(controller.prefix) ? help "
        }
    }

    private func scrollPosition(_ dashboard: Dashboard) -> String {
        let host = dashboard.selectedHost
        let total = host.scrollback.endLine - host.scrollback.firstLine
        return "line \(host.bottomLine - host.scrollback.firstLine)/\(total)"
    }

    private func hostsLabel(_ hosts: [Int], _ dashboard: Dashboard) -> String {
        hosts.count == 1 ? dashboard.hosts[hosts[0]].endpoint.name : "\(hosts.count) hosts"
    }
}
