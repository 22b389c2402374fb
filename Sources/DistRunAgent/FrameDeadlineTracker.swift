// Follows a client's byte stream frame by frame, without decoding it, to judge the two
// deadlines the decoder cannot see: a frame that has begun must arrive whole within the frame
// timeout (a slow-loris client trickling bytes holds a connection forever otherwise), and the
// command (`CMD`) must arrive within the command timeout of connecting. Pure: bytes and clock
// readings in, a verdict out; FrameDeadlineHandler is its shell. The frame layout is
// docs/protocol.md's (3-byte token, 4-byte big-endian length, payload); lengths are not checked
// here, the decoder behind does that from the header.

import DistRunTransport
import DistRunWire
import NIOCore

struct FrameDeadlineTracker {
    /// Which deadline passed, with what a person needs to understand why the session ended.
    enum Expiry: Equatable, CustomStringConvertible {
        /// The current frame began more than `timeout` ago and is still incomplete.
        case frame(token: Token?, receivedBytes: Int, frameBytes: Int?, timeout: TimeAmount)
        /// No `CMD` within `timeout` of connecting.
        case command(timeout: TimeAmount)

        var description: String {
            switch self {
            case .frame(let token, let received, let total, let timeout):
                let what = token.map { "\($0) frame" } ?? "frame header"
                let size = total.map { "\(received) of \($0) bytes" } ?? "\(received) of \(Frame.headerBytes) bytes"
                return "frame deadline passed: a frame must arrive whole within \(timeout.secondsText) s "
                    + "of its first byte (\(what): \(size) came)"
            case .command(let timeout):
                return "command deadline passed: no CMD frame (or resume) within \(timeout.secondsText) s of connecting"
            }
        }
    }

    private let frameTimeout: TimeAmount
    private let commandTimeout: TimeAmount
    private let commandDeadline: NIODeadline
    private var commandArrived = false
    /// The current frame's header as read so far: token bytes, then the big-endian length.
    private var header: UInt64 = 0
    /// Bytes of the current frame received so far, header included; 0 between frames.
    private var receivedBytes = 0
    /// The current frame's whole size, header included, once its header is complete.
    private var frameBytes: Int?
    /// When the first byte of the current, incomplete frame arrived; nil between frames.
    private(set) var frameStartedAt: NIODeadline?

    init(frameTimeout: TimeAmount, commandTimeout: TimeAmount, connectedAt: NIODeadline) {
        self.frameTimeout = frameTimeout
        self.commandTimeout = commandTimeout
        self.commandDeadline = connectedAt + commandTimeout
    }

    /// The next moment a deadline could pass, or nil while none is pending.
    var nextDeadline: NIODeadline? {
        let frame = frameStartedAt.map { $0 + frameTimeout }
        guard !commandArrived else { return frame }
        return frame.map { min($0, commandDeadline) } ?? commandDeadline
    }

    /// The deadline that has passed at `now`, if any (the frame's first: it says more).
    func expiry(at now: NIODeadline) -> Expiry? {
        if let frameStartedAt, now >= frameStartedAt + frameTimeout {
            return .frame(
                token: receivedBytes >= Frame.headerBytes ? token : nil, receivedBytes: receivedBytes,
                frameBytes: frameBytes, timeout: frameTimeout)
        }
        return !commandArrived && now >= commandDeadline ? .command(timeout: commandTimeout) : nil
    }

    /// The agent stopped reading (backpressure from a full stdin pipe): the client cannot
    /// be blamed for the wait, so an incomplete frame's clock starts again.
    mutating func readingPaused(at now: NIODeadline) {
        if frameStartedAt != nil { frameStartedAt = now }
    }

    /// Bytes that arrived at `now`, in stream order.
    mutating func received(_ bytes: ByteBuffer, at now: NIODeadline) {
        bytes.withUnsafeReadableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                if receivedBytes == 0 { frameStartedAt = now }
                if receivedBytes < Frame.headerBytes {
                    header = header << 8 | UInt64(buffer[offset])
                    receivedBytes += 1
                    offset += 1
                    if receivedBytes == Frame.headerBytes {
                        frameBytes = Frame.headerBytes + Int(UInt32(truncatingIfNeeded: header))
                    }
                } else {
                    let taken = min(frameBytes! - receivedBytes, buffer.count - offset)
                    receivedBytes += taken
                    offset += taken
                }
                if receivedBytes == frameBytes { frameEnded() }
            }
        }
    }

    private var token: Token {
        let bytes = header >> 32
        return Token(
            (
                UInt8(truncatingIfNeeded: bytes >> 16), UInt8(truncatingIfNeeded: bytes >> 8),
                UInt8(truncatingIfNeeded: bytes)
            ))
    }

    /// A kept session was resumed (`OPT resume=…`): that takes the place of `CMD`.
    mutating func sessionResumed() { commandArrived = true }

    private mutating func frameEnded() {
        if token == .command { commandArrived = true }
        header = 0
        receivedBytes = 0
        frameBytes = nil
        frameStartedAt = nil
    }
}
