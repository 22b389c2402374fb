// The recent output of a kept session, numbered by byte offset, so a client that reconnects
// gets what it missed. Offsets count the `OUT` and `ERR` payload bytes together from the start
// of the session; the buffer keeps the last `capacity` of them (the oldest are dropped, and a
// resume from before them is told exactly how many).

import DistRunWire
import NIOCore

struct ReplayBuffer {
    enum ResumeError: Error, Equatable {
        /// The client claims more output than the session has produced.
        case beyondEnd(offset: UInt64, produced: UInt64)
    }

    let capacity: Int
    /// Offset of the first byte still held.
    private(set) var startOffset: UInt64 = 0
    /// Offset just past the last byte produced.
    private(set) var endOffset: UInt64 = 0
    private var chunks: [(token: Token, bytes: ByteBuffer)] = []
    /// Index of the oldest chunk in `chunks` (dropped chunks are compacted away in bulk).
    private var head = 0
    private(set) var heldBytes = 0

    init(capacity: Int) { self.capacity = capacity }

    mutating func append(_ token: Token, _ bytes: ByteBuffer) {
        endOffset += UInt64(bytes.readableBytes)
        guard capacity > 0 else { return startOffset = endOffset }
        chunks.append((token, bytes))
        heldBytes += bytes.readableBytes
        trim()
    }

    /// What to send a client that has `offset` bytes: how many bytes are lost before the first
    /// one still held, then the frames from there on.
    func replay(from offset: UInt64) throws(ResumeError) -> (lost: UInt64, frames: [Frame]) {
        guard offset <= endOffset else { throw .beyondEnd(offset: offset, produced: endOffset) }
        let lost = offset < startOffset ? startOffset - offset : 0
        var position = startOffset
        var frames: [Frame] = []
        for (token, bytes) in chunks[head...] {
            let length = UInt64(bytes.readableBytes)
            defer { position += length }
            guard position + length > offset else { continue }
            let skip = offset > position ? Int(offset - position) : 0
            frames.append(Frame(token, bytes.getSlice(at: bytes.readerIndex + skip, length: Int(length) - skip)!))
        }
        return (lost, frames)
    }

    /// Drops up to `bytes` of the oldest output (the agent's budget is exceeded); returns how many.
    @discardableResult
    mutating func shed(_ bytes: Int) -> Int {
        let before = heldBytes
        trim(to: max(0, heldBytes - bytes))
        return before - heldBytes
    }

    private mutating func trim(to limit: Int? = nil) {
        let limit = limit ?? capacity
        while heldBytes > limit {
            let excess = heldBytes - limit
            let oldest = chunks[head].bytes.readableBytes
            let dropped = min(excess, oldest)
            if dropped == oldest {
                head += 1
            } else {
                chunks[head].bytes.moveReaderIndex(forwardBy: dropped)
            }
            heldBytes -= dropped
            startOffset += UInt64(dropped)
        }
        if head > 64 && head * 2 > chunks.count {
            chunks.removeFirst(head)
            head = 0
        }
    }
}
