// When the frame loop may draw: about 30 frames a second over time, with a small burst allowed
// after a quiet spell (a token bucket). Echo often comes back in pieces (keys read one by one,
// the agent's reads splitting them); with a plain 33 ms gap between frames, every piece after
// the first waited for the next slot. Under a steady flood into a visible pane the bucket stays
// empty and frames come every 33 ms as before. Pure: the caller passes the time.

struct FramePacer {
    /// Time between frames once the burst is spent.
    let interval: Double
    /// Frames that may be drawn back to back after a quiet spell.
    let burst: Double
    /// A frame this close to due is due (sums of elapsed times are not exact).
    private static let tolerance = 1e-6
    private var tokens: Double
    private var lastRefill: Double?

    init(interval: Double, burst: Int) {
        self.interval = interval
        self.burst = Double(burst)
        tokens = Double(burst)
    }

    /// Takes a frame if one is due at `now` (seconds); false means wait `wait(at:)`.
    mutating func takeFrame(at now: Double) -> Bool {
        refill(at: now)
        guard tokens >= 1 - Self.tolerance else { return false }
        tokens -= 1
        return true
    }

    /// Seconds from `now` until a frame may be drawn.
    mutating func wait(at now: Double) -> Double {
        refill(at: now)
        return tokens >= 1 - Self.tolerance ? 0 : (1 - tokens) * interval
    }

    private mutating func refill(at now: Double) {
        if let lastRefill { tokens = min(burst, tokens + max(0, now - lastRefill) / interval) }
        lastRefill = now
    }
}
