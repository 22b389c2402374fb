// Cuts one host's output stream into whole lines, each written with the host's prefix, so lines
// of different hosts never mix mid-line. A partial line waits for the rest of it; a line longer
// than `maxLineBytes` is emitted in pieces, so one host cannot make us buffer without bound.

import NIOCore

public struct LineAssembler {
    public static let defaultMaxLineBytes = 64 << 10

    private let prefix: [UInt8]
    private let maxLineBytes: Int
    private var partial: [UInt8] = []

    public init(prefix: String, maxLineBytes: Int = LineAssembler.defaultMaxLineBytes) {
        self.prefix = Array(prefix.utf8)
        self.maxLineBytes = maxLineBytes
    }

    /// Appends every line that `bytes` completes to `out`, prefixed and newline-terminated.
    public mutating func append(_ bytes: ByteBuffer, into out: inout [UInt8]) {
        bytes.withUnsafeReadableBytes { chunk in
            var rest = chunk[...]
            while !rest.isEmpty {
                let newline = rest.firstIndex(of: UInt8(ascii: "\n"))
                var segment = rest[..<(newline ?? rest.endIndex)]
                // Cut pieces while the line would grow past the limit.
                while partial.count + segment.count > maxLineBytes {
                    let take = maxLineBytes - partial.count
                    partial.append(contentsOf: segment.prefix(take))
                    segment = segment.dropFirst(take)
                    writeLine(partial, into: &out)
                    partial.removeAll(keepingCapacity: true)
                }
                guard let newline else {
                    partial.append(contentsOf: segment)
                    return
                }
                if partial.isEmpty {
                    writeLine(segment, into: &out)
                } else {
                    partial.append(contentsOf: segment)
                    writeLine(partial, into: &out)
                    partial.removeAll(keepingCapacity: true)
                }
                rest = rest[(newline + 1)...]
            }
        }
    }

    /// Writes the unfinished last line, if any, with a newline added.
    public mutating func flush(into out: inout [UInt8]) {
        guard !partial.isEmpty else { return }
        writeLine(partial, into: &out)
        partial = []
    }

    private func writeLine(_ line: some Collection<UInt8>, into out: inout [UInt8]) {
        out.append(contentsOf: prefix)
        out.append(contentsOf: line)
        out.append(UInt8(ascii: "\n"))
    }
}
