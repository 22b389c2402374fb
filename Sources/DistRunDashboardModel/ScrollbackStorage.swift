// The completed lines of one host, packed for a fleet of thousands: no heap object per line.
// Layout: an array of blocks; each block holds the sanitized UTF-8 of consecutive lines back to
// back in one byte array of at most `blockBytes` (no separators), plus a compact index `ends`
// with one UInt32 per line: the line's end offset within the block, top bit set for stderr. A
// line starts where the previous one in its block ends (0 for the first), and never spans two
// blocks, so a line is at most `blockBytes` long. A block's byte array grows by doubling up to
// `blockBytes`, so an idle host costs about a kilobyte. Lines are evicted from the front one at a
// time by advancing `firstLine`; the oldest block is freed once none of its lines is kept, so the
// memory overhead is at most one partly evicted block plus ~4 bytes per line. Absolute line
// numbers never change: line n lives in the last block whose `firstLine` is <= n.

struct ScrollbackStorage: Sendable {
    /// Bytes per block, hence also the longest line that can be stored.
    static let blockBytes = 64 << 10
    static let initialBlockCapacityBytes = 1024
    private static let stderrBit: UInt32 = 1 << 31

    private struct Block: Sendable {
        let firstLine: Int
        var bytes: [UInt8] = []
        var ends: [UInt32] = []

        var endLine: Int { firstLine + ends.count }

        /// Grows by doubling but never past `blockBytes`, so full blocks carry no slack.
        mutating func reserve(_ extra: Int) {
            let needed = bytes.count + extra
            guard needed > bytes.capacity else { return }
            let doubled = max(bytes.capacity * 2, ScrollbackStorage.initialBlockCapacityBytes)
            bytes.reserveCapacity(min(ScrollbackStorage.blockBytes, max(needed, doubled)))
        }
    }

    private var blocks: [Block] = []
    /// Absolute number of the oldest kept line, which is also the number evicted so far.
    private(set) var firstLine = 0
    private(set) var endLine = 0

    var lineCount: Int { endLine - firstLine }

    var storedBytes: Int {
        blocks.reduce(blocks.capacity * MemoryLayout<Block>.stride) { total, block in
            total + block.bytes.capacity + block.ends.capacity * MemoryLayout<UInt32>.stride
        }
    }

    mutating func append(_ line: [UInt8], from source: LineSource) {
        precondition(line.count <= Self.blockBytes, "the line editor cuts lines to blockBytes")
        if blocks.isEmpty || blocks[blocks.count - 1].bytes.count + line.count > Self.blockBytes {
            blocks.append(Block(firstLine: endLine))
        }
        blocks[blocks.count - 1].reserve(line.count)
        blocks[blocks.count - 1].bytes.append(contentsOf: line)
        let stderrBit = source == .stderr ? Self.stderrBit : 0
        blocks[blocks.count - 1].ends.append(UInt32(blocks[blocks.count - 1].bytes.count) | stderrBit)
        endLine += 1
    }

    mutating func evictFirstLine() {
        precondition(lineCount > 0)
        firstLine += 1
        if blocks[0].endLine <= firstLine { blocks.removeFirst() }
    }

    /// The bytes of kept line `absolute` (a view into its block, no copy) and where it came from.
    func line(_ absolute: Int) -> (bytes: ArraySlice<UInt8>, source: LineSource) {
        precondition((firstLine..<endLine).contains(absolute), "line \(absolute) is not kept")
        let block = blocks[blockIndex(containing: absolute)]
        let index = absolute - block.firstLine
        let start = index == 0 ? 0 : Int(block.ends[index - 1] & ~Self.stderrBit)
        let end = block.ends[index]
        let source: LineSource = end & Self.stderrBit == 0 ? .stdout : .stderr
        return (block.bytes[start..<Int(end & ~Self.stderrBit)], source)
    }

    /// Binary search for the last block starting at or before `line`.
    private func blockIndex(containing line: Int) -> Int {
        var (low, high) = (0, blocks.count)
        while high - low > 1 {
            let middle = (low + high) / 2
            if blocks[middle].firstLine <= line { low = middle } else { high = middle }
        }
        return low
    }
}
