// Backoff for reconnecting kept sessions: doubling from 1 s, capped at 30 s, scaled by 1 ± 20%
// jitter from the draw passed in; attempts stop at the limit or when the agent's grace ends.

import DistRunClient
import NIOCore
import Testing

@Suite struct ReconnectPolicyTests {
    private func seconds(_ amount: TimeAmount) -> Double { Double(amount.nanoseconds) / 1e9 }

    @Test func delaysDoubleUpToTheCap() {
        let policy = ReconnectPolicy()
        let delays = (1...8).map { seconds(policy.delay(beforeAttempt: $0, random: 0.5)) }
        #expect(delays == [1, 2, 4, 8, 16, 30, 30, 30])
    }

    @Test func jitterSpreadsEachDelayByAFifth() {
        let policy = ReconnectPolicy()
        #expect(abs(seconds(policy.delay(beforeAttempt: 3, random: 0)) - 3.2) < 1e-9)
        #expect(abs(seconds(policy.delay(beforeAttempt: 3, random: 0.999_999)) - 4.8) < 1e-5)
    }

    @Test func attemptsStopAtTheLimitOrWhenTheSessionIsGone() {
        let limited = ReconnectPolicy(maxAttempts: 2)
        #expect(limited.allows(attempt: 2, elapsed: .seconds(1)))
        #expect(!limited.allows(attempt: 3, elapsed: .seconds(1)))
        var unlimited = ReconnectPolicy()
        unlimited.keepSeconds = 60
        #expect(unlimited.allows(attempt: 500, elapsed: .seconds(59)))
        #expect(!unlimited.allows(attempt: 2, elapsed: .seconds(60)))
    }

    @Test func theWaitIsShownInWholeSecondsRoundedUp() {
        #expect(HostReconnect(reason: "x", attempt: 3, delay: .milliseconds(3_200)).retryText == "retrying in 4 s")
        #expect(HostReconnect(reason: "x", attempt: 1, delay: .milliseconds(800)).retryText == "retrying in 1 s")
    }
}
