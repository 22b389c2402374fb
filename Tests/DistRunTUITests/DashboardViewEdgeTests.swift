// DashboardView where drawing can go wrong: terminals too small for the layout, and panes whose
// view points at output the scrollback no longer holds. Each case runs in an exit test (a child
// process), so a crash is reported as that test failing instead of ending the whole run.

import DistRunDashboardModel
import DistRunTUI
import Testing

struct DashboardViewEdgeTests {
    /// Draws a fleet of 3 with output, in every mode worth drawing, at `width`x`height`.
    static func drawEveryMode(width: Int, height: Int) {
        for layout in [LayoutMode.grid, .zoom] {
            let ui = KeyDriver(Fixture.dashboard([.running, Fixture.lost, .running]))
            ui.dashboard.output(0, Fixture.lines(40))
            ui.dashboard.layout = layout
            for keys in [[], [KeyMap.defaultPrefix, .pageUp], [KeyMap.defaultPrefix, .character("q")]] {
                ui.press(contentsOf: keys)
                _ = ui.draw(Size(width: width, height: height))
                ui.press(.escape)
            }
        }
    }

    static func drawHelp(width: Int, height: Int) {
        let ui = KeyDriver(Fixture.running(3))
        ui.press(KeyMap.defaultPrefix, .character("?"))
        _ = ui.draw(Size(width: width, height: height))
    }

    @Test func tinyTerminalsDraw() async {
        await #expect(processExitsWith: .success) {
            for (width, height) in [(10, 3), (1, 1), (17, 3), (30, 2), (40, 6), (20, 4), (24, 5)] {
                DashboardViewEdgeTests.drawEveryMode(width: width, height: height)
            }
        }
    }

    @Test func aZeroSizedScreenDraws() async {
        await #expect(processExitsWith: .success) { DashboardViewEdgeTests.drawEveryMode(width: 0, height: 0) }

    }

    @Test func helpOverlayDrawsOnA10x3Terminal() async {
        await #expect(processExitsWith: .success) { DashboardViewEdgeTests.drawHelp(width: 10, height: 3) }
    }

    @Test func helpOverlayDrawsOnAOneRowTerminal() async {
        await #expect(processExitsWith: .success) { DashboardViewEdgeTests.drawHelp(width: 80, height: 1) }

    }

    @Test func aPaneScrolledBackPastEvictedLinesDraws() async {
        await #expect(processExitsWith: .success) {
            let ui = KeyDriver(Fixture.dashboard([.running], scrollbackLines: 20))
            ui.dashboard.output(0, Fixture.lines(40))
            ui.press(KeyMap.defaultPrefix, .pageUp, .home)
            ui.dashboard.output(0, Fixture.lines(40))
            _ = ui.draw(Size(width: 80, height: 24))
        }

    }
}

extension KeyDriver {
    func press(contentsOf keys: [KeyPress]) { for key in keys { _ = controller.handle(key) } }
}
