// Durations given on command lines, in decimal seconds. `Int64(seconds * 1e9)` traps for "inf"
// or 1e300 (past Int64's ~292 years of nanoseconds): capped instead, so a huge value means
// "practically never".

import NIOCore

extension TimeAmount {
    /// The longest duration a decimal number of seconds turns into: about 31 years.
    public static let longestSeconds = 1e9

    /// `seconds` as a duration: capped at `longestSeconds`; negative numbers and NaN give zero.
    public static func seconds(decimal seconds: Double) -> TimeAmount {
        let bounded = seconds.isNaN ? 0 : min(max(seconds, 0), longestSeconds)
        return .nanoseconds(Int64(bounded * 1e9))
    }
}
