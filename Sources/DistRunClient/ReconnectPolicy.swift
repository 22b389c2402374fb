// When a host whose session is kept loses its connection, how long to wait before each new
// attempt: exponential backoff with jitter (so a fleet that lost one switch does not come back
// in lockstep), and when to give up. Pure: the random draw is passed in, so tests need no clock.

#if canImport(Glibc)
    import Glibc
#endif
import NIOCore

public struct ReconnectPolicy: Sendable, Equatable {
    /// The wait before the first attempt.
    public var initialDelay = TimeAmount.seconds(1)
    /// Each further wait is this many times the one before…
    public var factor = 2.0
    /// …up to this.
    public var maxDelay = TimeAmount.seconds(30)
    /// Each wait is scaled by a random factor in 1 ± jitter.
    public var jitter = 0.2
    /// Give up after this many failed attempts; nil to go on while the agent keeps the session.
    public var maxAttempts: Int?
    /// How long the agent keeps the session (the `keep=SECONDS` option): trying later is useless.
    public var keepSeconds = 600

    public init(maxAttempts: Int? = nil) { self.maxAttempts = maxAttempts }

    /// The wait before attempt `attempt` (1 for the first), for a `random` draw in 0..<1.
    public func delay(beforeAttempt attempt: Int, random: Double) -> TimeAmount {
        let base = Double(initialDelay.nanoseconds) * pow(factor, Double(max(0, attempt - 1)))
        let capped = min(base, Double(maxDelay.nanoseconds))
        return .nanoseconds(Int64(capped * (1 + jitter * (2 * random - 1))))
    }

    /// Whether to make attempt `attempt`, `elapsed` after the connection was lost.
    public func allows(attempt: Int, elapsed: TimeAmount) -> Bool {
        if let maxAttempts, attempt > maxAttempts { return false }
        return elapsed < .seconds(Int64(keepSeconds))
    }
}
