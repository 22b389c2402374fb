// Cuts one host's output stream into whole lines, each written with the host's prefix, so lines
// of different hosts never mix mid-line. A partial line waits for the rest of it; a line longer
// than `maxLineBytes` is emitted in pieces of `maxLineBytes`, so one host cannot make us buffer
// without bound. Every byte but `\n` (a `\r`, a NUL, invalid UTF-8) passes through as it came.
//
// All of `distrun`'s prefixed output goes through `append`, so it works on raw memory: memchr
// finds each newline, and a line that arrived whole is copied once, newline included, after the
// prefix into the output buffer, which is grown once per chunk rather than per line. Only a line
// cut between chunks, or longer than the limit, goes through `partial`.

#if canImport(Glibc)
    import Glibc
#endif
import NIOCore

public struct LineAssembler {
    public static let defaultMaxLineBytes = 64 << 10

    private let prefix: [UInt8]
    private let maxLineBytes: Int
    /// The unfinished last line, never more than `maxLineBytes`.
    private var partial: [UInt8] = []

    public init(prefix: String, maxLineBytes: Int = LineAssembler.defaultMaxLineBytes) {
        precondition(maxLineBytes > 0, "a line needs room for at least one byte")
        self.prefix = Array(prefix.utf8)
        self.maxLineBytes = maxLineBytes
    }

    /// Appends every line that `bytes` completes to `out`, prefixed and newline-terminated.
    public mutating func append(_ bytes: ByteBuffer, into out: inout ByteBuffer) {
        bytes.withUnsafeReadableBytes { append($0, into: &out) }
    }

    /// Appends every line that `chunk` completes to `out`, prefixed and newline-terminated.
    public mutating func append(_ chunk: UnsafeRawBufferPointer, into out: inout ByteBuffer) {
        guard let start = chunk.baseAddress, !chunk.isEmpty else { return }
        var cursor = LineCursor(start: start, count: chunk.count)
        while !cursor.isAtEnd {
            // Room for the rest of the chunk (lines add their prefixes: a second round may be
            // needed) and always for at least one more line or piece, so each round progresses.
            let room = prefix.count + maxLineBytes + 1 + cursor.remaining
            out.writeWithUnsafeMutableBytes(minimumWritableBytes: room) { free in
                var writer = LineWriter(free)
                fill(&writer, from: &cursor)
                return writer.count
            }
        }
    }

    /// Writes the unfinished last line, if any, with a newline added.
    public mutating func flush(into out: inout ByteBuffer) {
        guard !partial.isEmpty else { return }
        out.writeBytes(prefix)
        out.writeBytes(partial)
        out.writeInteger(UInt8(ascii: "\n"))
        partial = []
    }

    /// Writes lines and pieces from `cursor` while they fit; stops at the chunk's end (an
    /// unfinished line's bytes kept in `partial`) or at the first that does not fit.
    private mutating func fill(_ writer: inout LineWriter, from cursor: inout LineCursor) {
        while !cursor.isAtEnd {
            let newline = cursor.nextNewline()
            if partial.isEmpty, let newline, cursor.distance(to: newline) <= maxLineBytes {
                guard writer.fits(prefix.count + cursor.distance(to: newline) + 1) else { return }
                writer.write(prefix)
                writer.write(cursor.take(through: newline))
            } else {
                guard continueLine(&writer, from: &cursor, newline: newline) else { return }
            }
        }
    }

    /// A line that began in an earlier chunk, is over the limit, or does not end in this chunk:
    /// full pieces while more than `maxLineBytes` of it are known, then its end (or the rest kept
    /// in `partial`). Returns false when the next piece does not fit in `writer`.
    private mutating func continueLine(
        _ writer: inout LineWriter, from cursor: inout LineCursor, newline: UnsafeRawPointer?
    ) -> Bool {
        let segmentEnd = newline ?? cursor.end
        while partial.count + cursor.distance(to: segmentEnd) > maxLineBytes {
            guard writer.fits(prefix.count + maxLineBytes + 1) else { return false }
            writer.write(prefix)
            writer.write(partial)
            writer.write(cursor.take(maxLineBytes - partial.count))
            writer.writeNewline()
            partial.removeAll(keepingCapacity: true)
        }
        guard let newline else {
            partial.append(contentsOf: cursor.take(cursor.remaining))
            return true
        }
        guard writer.fits(prefix.count + partial.count + cursor.distance(to: newline) + 1) else { return false }
        writer.write(prefix)
        writer.write(partial)
        writer.write(cursor.take(through: newline))
        partial.removeAll(keepingCapacity: true)
        return true
    }
}

/// Where `LineAssembler` is in a chunk, and the next newline, looked for once per line.
private struct LineCursor {
    private(set) var position: UnsafeRawPointer
    let end: UnsafeRawPointer
    /// The first newline at or after `position` found so far, or `end` when there is none; nil
    /// before the first look or once `position` has passed it.
    private var found: UnsafeRawPointer?

    init(start: UnsafeRawPointer, count: Int) {
        position = start
        end = start + count
    }

    var isAtEnd: Bool { position == end }
    var remaining: Int { end - position }

    func distance(to pointer: UnsafeRawPointer) -> Int { pointer - position }

    /// The next newline in the chunk, or nil if the rest has none.
    mutating func nextNewline() -> UnsafeRawPointer? {
        if found == nil || found! < position {
            found = memchr(position, Int32(UInt8(ascii: "\n")), remaining).map { UnsafeRawPointer($0) } ?? end
        }
        return found == end ? nil : found
    }

    /// The next `count` bytes, skipped over.
    mutating func take(_ count: Int) -> UnsafeRawBufferPointer {
        defer { position += count }
        return UnsafeRawBufferPointer(start: position, count: count)
    }

    /// The bytes up to and including `newline`, skipped over.
    mutating func take(through newline: UnsafeRawPointer) -> UnsafeRawBufferPointer {
        take(distance(to: newline) + 1)
    }
}

/// Appends bytes into the free space of the output buffer; the caller checks `fits` first.
private struct LineWriter {
    private let free: UnsafeMutableRawBufferPointer
    private(set) var count = 0

    init(_ free: UnsafeMutableRawBufferPointer) {
        self.free = free
    }

    func fits(_ bytes: Int) -> Bool { free.count - count >= bytes }

    mutating func write(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        (free.baseAddress! + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    mutating func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { write($0) }
    }

    mutating func writeNewline() {
        free[count] = UInt8(ascii: "\n")
        count += 1
    }
}
