// How a connection reads from its socket. One client streaming a command's output wants big
// reads; a dashboard wants every connection on an event loop served promptly: with up to
// 256 KiB a read and four reads a turn, a loop shared by ~50 flooding hosts took up to 30 ms
// to come back to the one a key was typed into (traced in `Benchmarks/dashboard.py`'s
// key-to-echo scenario: key sent → echo delivered), and with 32 KiB and one read a turn at
// most ~6 ms.

import DistRunTransport
import NIOCore

public enum SocketReading: Sendable {
    /// Up to 256 KiB a read, several a turn (`distrun`: one stream at full speed).
    case throughput
    /// Up to 32 KiB, one read a turn: each connection's turn comes soon however many flood.
    case sharedFairly

    var allocator: AdaptiveRecvByteBufferAllocator {
        switch self {
        case .throughput: Streaming.socketReadAllocator
        case .sharedFairly: AdaptiveRecvByteBufferAllocator(minimum: 2 << 10, initial: 4 << 10, maximum: 32 << 10)
        }
    }

    /// NIO's default is 4.
    var readsPerTurn: UInt {
        switch self {
        case .throughput: 4
        case .sharedFairly: 1
        }
    }
}
