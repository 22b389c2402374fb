// The frame loop's pacing (FramePacer): a short burst after a quiet spell, then one frame per
// interval, never more than the burst saved up however long the quiet.

import Testing

@testable import DistRunTUI

struct FramePacerTests {
    @Test func aQuietDashboardDrawsABurstAtOnceThenOneFramePerInterval() {
        var pacer = FramePacer(interval: 0.1, burst: 3)
        let burst = (0..<4).map { _ in pacer.takeFrame(at: 5) }
        #expect(burst == [true, true, true, false])
        let waitAfterBurst = pacer.wait(at: 5)
        #expect(abs(waitAfterBurst - 0.1) < 1e-9)
        let halfWay = pacer.takeFrame(at: 5.05)
        let waitHalfWay = pacer.wait(at: 5.05)
        #expect(!halfWay && abs(waitHalfWay - 0.05) < 1e-9)
        let due = pacer.takeFrame(at: 5.1)
        let again = pacer.takeFrame(at: 5.1)
        #expect(due && !again)
    }

    @Test func aSteadyFloodGetsOneFramePerIntervalOnAverage() {
        var pacer = FramePacer(interval: 0.1, burst: 3)
        // 10 s, asked every 10 ms: 100 frames, plus the burst saved at the start.
        let drawn = (0..<1000).filter { step in pacer.takeFrame(at: Double(step) * 0.01) }.count
        #expect(drawn >= 100 && drawn <= 103)
    }

    @Test func aLongQuietSavesNoMoreThanTheBurst() {
        var pacer = FramePacer(interval: 0.1, burst: 2)
        _ = pacer.takeFrame(at: 0)
        let wait = pacer.wait(at: 1000)
        let frames = (0..<3).map { _ in pacer.takeFrame(at: 1000) }
        #expect(wait == 0 && frames == [true, true, false])
    }
}
