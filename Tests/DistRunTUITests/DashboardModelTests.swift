// The dashboard model (DistRunDashboardModel.Dashboard) as the TUI uses it: connection events set
// states and fill scrollback; the header's state summary; tags; who receives typed input
// (skipping hosts that cannot take it, and saying so); the target label and broadcast flag;
// "tagged, else selected" for multi-host actions. Scrolling and search are in
// DashboardScrollingTests.swift.

import DistRunClient
import DistRunDashboardModel
import DistRunTUI
import DistRunWire
import Testing

struct DashboardModelTests {
    @Test func eventsSetStatesAndShowOutput() {
        var dashboard = Fixture.dashboard([.connecting, .connecting])
        #expect(dashboard.hosts.map(\.state) == [.connecting, .connecting])
        _ = dashboard.apply(.stateChanged(1, .running))
        dashboard.output(1, "hello\nwor")
        dashboard.output(1, "ld\n")
        dashboard.output(1, "oops\n", stderr: true)
        _ = dashboard.apply(.stateChanged(1, .exited(.exited(3))))
        #expect(dashboard.hosts[0].state == .connecting)
        #expect(dashboard.hosts[1].state == .exited(.exited(3)))
        #expect(dashboard.outputLines(1) == ["hello", "world", "oops"])
        #expect(dashboard.outputLines(0).isEmpty)
    }

    @Test func linesLeavingTheScreenFillTheScrollback() {
        var dashboard = Fixture.running(1)
        dashboard.output(0, Fixture.lines(25))
        let scrollback = dashboard.hosts[0].scrollback
        // 25 lines and the cursor's empty row on a 10-row screen: 16 lines scrolled off.
        let kept = (scrollback.firstLine..<scrollback.endLine).map { scrollback.text(ofLine: $0) }
        #expect(kept == (0..<16).map { "line \($0)" })
        #expect(dashboard.outputLines(0) == (0..<25).map { "line \($0)" })
    }

    @Test func stateCountsFollowAFixedOrderAndOmitZeros() {
        #expect(Fixture.dashboard([.running, Fixture.lost, .running]).stateCounts == "2 running · 1 lost")
        let mixed = Fixture.dashboard([
            Fixture.lost, .exited(.exited(1)), Fixture.exitedOk, .running, .connecting,
            .failed(HostFailure(.unreachable, "refused")),
        ])
        #expect(mixed.stateCounts == "1 connecting · 1 running · 1 exited · 1 failed command · 1 lost · 1 failed")
        #expect(Fixture.dashboard([.connecting, .connecting]).stateCounts == "2 connecting")
        #expect(!Fixture.running(3).stateCounts.contains("0"))
    }

    @Test func tagsToggleAllNoneAndInvert() {
        var dashboard = Fixture.running(3)
        dashboard.select(1)
        dashboard.toggleTag()
        #expect(dashboard.taggedHosts == [1])
        dashboard.invertTags()
        #expect(dashboard.taggedHosts == [0, 2])
        dashboard.toggleTag()
        #expect(dashboard.taggedHosts == [0, 1, 2])
        dashboard.untagAll()
        #expect(dashboard.taggedHosts.isEmpty)
        dashboard.tagAll()
        #expect(dashboard.taggedHosts == [0, 1, 2])
        dashboard.select(2)
        dashboard.toggleTag()
        #expect(dashboard.taggedHosts == [0, 1])
    }

    @Test func selectionWrapsAndClamps() {
        var dashboard = Fixture.running(3)
        dashboard.selectPrevious()
        #expect(dashboard.selected == 2)
        dashboard.selectNext()
        #expect(dashboard.selected == 0)
        dashboard.select(99)
        #expect(dashboard.selected == 2)
    }

    @Test func targetedHostsFollowTheTarget() {
        var dashboard = Fixture.running(4)
        dashboard.select(2)
        dashboard.select(1)
        dashboard.toggleTag()
        dashboard.select(3)
        dashboard.toggleTag()
        dashboard.select(2)
        dashboard.target = .all
        #expect(dashboard.targetedHosts == [0, 1, 2, 3])
        dashboard.target = .selected
        #expect(dashboard.targetedHosts == [2])
        dashboard.target = .tagged
        #expect(dashboard.targetedHosts == [1, 3])
    }

    @Test func routeInputSkipsAndMarksHostsThatAreNotRunning() {
        var dashboard = Fixture.dashboard([.running, Fixture.exitedOk, .connecting, Fixture.lost])
        let (receivers, skipped) = dashboard.routeInput()
        #expect(receivers == [0, 2])
        #expect(skipped == [1, 3])
        #expect(dashboard.hosts.map(\.skippedLastInput) == [false, true, false, true])

        // A host no longer targeted loses its mark on the next input.
        dashboard.target = .selected
        dashboard.select(3)
        let selectedOnly = dashboard.routeInput()
        #expect(selectedOnly.receivers.isEmpty && selectedOnly.skipped == [3])
        #expect(dashboard.hosts.map(\.skippedLastInput) == [false, false, false, true])

        dashboard.target = .tagged
        dashboard.select(0)
        dashboard.toggleTag()
        dashboard.select(1)
        dashboard.toggleTag()
        let tagged = dashboard.routeInput()
        #expect(tagged.receivers == [0] && tagged.skipped == [1])
        #expect(dashboard.hosts.map(\.skippedLastInput) == [false, true, false, false])
    }

    @Test func targetLabelNamesWhoGetsInput() {
        var dashboard = Fixture.running(3)
        #expect(dashboard.targetLabel == "→ ALL 3")
        dashboard.select(1)
        dashboard.target = .selected
        #expect(dashboard.targetLabel == "→ web-2")
        dashboard.tagAll()
        dashboard.toggleTag()
        dashboard.target = .tagged
        #expect(dashboard.targetLabel == "→ 2 tagged")
    }

    @Test func broadcastingMeansMoreThanOneTargetedHost() {
        var dashboard = Fixture.running(3)
        #expect(dashboard.isBroadcasting)
        dashboard.target = .selected
        #expect(!dashboard.isBroadcasting)
        dashboard.target = .tagged
        #expect(!dashboard.isBroadcasting)
        dashboard.toggleTag()
        #expect(!dashboard.isBroadcasting)
        dashboard.invertTags()
        #expect(dashboard.isBroadcasting)
        var single = Fixture.running(1)
        single.target = .all
        #expect(!single.isBroadcasting)
    }

    @Test func actionHostsAreTaggedElseSelected() {
        var dashboard = Fixture.running(4)
        dashboard.select(2)
        #expect(dashboard.actionHosts == [2])
        dashboard.select(0)
        dashboard.toggleTag()
        dashboard.select(3)
        dashboard.toggleTag()
        dashboard.select(2)
        #expect(dashboard.actionHosts == [0, 3])
        dashboard.untagAll()
        #expect(dashboard.actionHosts == [2])
    }

    @Test func activeHostsAreThoseNotFinished() {
        let dashboard = Fixture.dashboard([.running, Fixture.exitedOk, .connecting, Fixture.lost])
        #expect(dashboard.activeHosts == [0, 2])
    }
}
