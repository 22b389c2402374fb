// Per-token caps on payload length, checked against the 7-byte header before any payload is
// buffered, so a peer cannot make us allocate what it announces.

public struct FrameLimits: Sendable, Equatable {
    /// The default cap for data frames (`CMD`, `INP`, `OUT`, `ERR`).
    public static let defaultMaxPayloadBytes = 1 << 20

    /// Cap for frames that carry data; control frames have small fixed caps.
    public var maxDataPayloadBytes: Int

    public init(maxDataPayloadBytes: Int = FrameLimits.defaultMaxPayloadBytes) {
        self.maxDataPayloadBytes = maxDataPayloadBytes
    }

    /// The largest payload accepted for `token`.
    public func maxPayloadBytes(for token: Token) -> Int {
        switch token {
        case .command, .input, .output, .errorOutput: maxDataPayloadBytes
        case .option, .failure: 4096
        case .version, .exitStatus, .windowSize, .signal, .sessionID, .outputGap: 64
        case .endOfInput, .ping, .pong, .endSession: 0
        default: 0
        }
    }
}
