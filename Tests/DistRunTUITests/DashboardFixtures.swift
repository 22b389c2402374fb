// Builders shared by the dashboard tests: a fleet of named hosts ("web-1", "web-2", …) in chosen
// states, output fed through the same `HostEvent`s the connection manager delivers, a key driver
// that also does the shell's part of a frame (fit each pane's emulated terminal, set the page
// height), and helpers to find text and roles on a `MemoryCanvas`. No real terminal, no socket.

import DistRunClient
import DistRunDashboardModel
import DistRunTUI
import DistRunWire
import NIOCore

enum Fixture {
    static let lost = HostState.failed(HostFailure(.lost, "connection reset"))
    static let exitedOk = HostState.exited(.exited(0))

    static func endpoints(_ count: Int) -> [HostEndpoint] {
        (0..<count).map { HostEndpoint(name: "web-\($0 + 1)", host: "10.0.0.\($0 + 1)") }
    }

    /// Rows of each host's emulated screen unless a test fits them to panes: output beyond it
    /// scrolls into the scrollback.
    static let screenRows = 10

    /// A dashboard whose hosts are in `states`, one host per state.
    static func dashboard(_ states: [HostState], scrollbackLines: Int = Scrollback.defaultMaxLines) -> Dashboard {
        var dashboard = Dashboard(hosts: endpoints(states.count), scrollbackLines: scrollbackLines)
        for (id, state) in states.enumerated() {
            _ = dashboard.apply(.stateChanged(id, state))
            _ = dashboard.resizeTerminal(of: id, rows: screenRows, columns: 60)
        }
        return dashboard
    }

    static func running(_ count: Int) -> Dashboard { dashboard(Array(repeating: .running, count: count)) }

    /// "line 0\n" … "line N-1\n", or the texts given.
    static func lines(_ count: Int, _ text: (Int) -> String = { "line \($0)" }) -> String {
        (0..<count).map { text($0) + "\n" }.joined()
    }
}

extension Dashboard {
    mutating func output(_ host: HostID, _ text: String, stderr: Bool = false) {
        _ = apply(.output(host, stderr ? .stderr : .stdout, ByteBuffer(string: text)))
    }

    /// Everything the host has shown, oldest first: its scrollback, then its screen's rows,
    /// without the blank rows below the output.
    func outputLines(_ host: HostID) -> [String] {
        let panel = hosts[host]
        var lines = (panel.scrollback.firstLine..<panel.historyEnd).map(panel.historyText)
        while lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The history lines the selected pane shows, `rows` high.
    func visibleLines(rows: Int) -> [String] {
        let panel = selectedHost
        return (max(panel.scrollback.firstLine, panel.bottomLine - rows)..<panel.bottomLine).map(panel.historyText)
    }
}

/// Drives a DashboardController key by key. A class, so that `#expect(ui.press(.enter) == …)`
/// can call it (the macro cannot call a mutating method of a local struct).
final class KeyDriver {
    var controller: DashboardController

    init(_ dashboard: Dashboard, prefix: KeyPress = KeyMap.defaultPrefix, viewHeight: Int = 10) {
        controller = DashboardController(dashboard: dashboard, prefix: prefix)
        controller.viewHeight = viewHeight
    }

    var dashboard: Dashboard {
        get { controller.dashboard }
        set { controller.dashboard = newValue }
    }
    var mode: UIMode { controller.mode }
    var editLine: String { controller.editLine }
    var message: String? { controller.message }

    /// Feeds every key; returns all commands produced.
    @discardableResult
    func press(_ keys: KeyPress...) -> [ControllerCommand] { keys.flatMap { controller.handle($0) } }

    /// Types `text` one scalar at a time.
    @discardableResult
    func type(_ text: String) -> [ControllerCommand] {
        text.unicodeScalars.flatMap { controller.handle(.character($0)) }
    }

    /// What the shell does before each frame (DashboardApp.draw): page height from the layout,
    /// each visible pane's terminal resized to the pane's inside. Then draws on a fresh canvas.
    func draw(_ size: Size) -> (canvas: MemoryCanvas, layout: ScreenLayout) {
        let fitted = DashboardView(controller: controller, size: size)
        controller.viewHeight = fitted.selectedPaneRows
        for placement in fitted.layout.panes {
            let inner = placement.frame.inset
            _ = controller.dashboard.resizeTerminal(of: placement.host, rows: inner.height, columns: inner.width)
        }
        let view = DashboardView(controller: controller, size: size)
        var canvas = MemoryCanvas(size: size)
        view.draw(on: &canvas)
        return (canvas, view.layout)
    }
}

extension MemoryCanvas {
    /// Column and row of the first occurrence of `text` (every glyph used here is one cell wide).
    func find(_ text: String) -> (x: Int, y: Int)? {
        for y in 0..<size.height {
            let row = line(y)
            if let range = row.range(of: text) { return (row.distance(from: row.startIndex, to: range.lowerBound), y) }
        }
        return nil
    }

    func roles(x: Int, y: Int, count: Int) -> [ThemeRole?] { Array(roles[y][x..<(x + count)]) }
}

extension ControllerCommand {
    static func send(_ text: String, to hosts: [HostID]) -> ControllerCommand {
        .send(ByteBuffer(string: text), to: hosts)
    }
}
