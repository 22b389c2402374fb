// Durations in messages that agent and clients show people.

import NIOCore

extension TimeAmount {
    /// Whole seconds when exact, else the decimal seconds: "10", "1.5".
    public var secondsText: String {
        nanoseconds % 1_000_000_000 == 0
            ? String(nanoseconds / 1_000_000_000) : String(Double(nanoseconds) / 1e9)
    }
}
