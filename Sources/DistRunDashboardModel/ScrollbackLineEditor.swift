// The unfinished line of one output source, edited the way a terminal would edit the current
// row, reduced to what a pipe's output needs. `\r` moves the cursor to column 0 and following
// text overwrites character by character (so "100%\r5%" shows "5%0%", and "5%" once the program
// also sends `ESC [ K`). `\b` moves back one character; at the end of the line it also erases it,
// so "abc\b" shows "ab" while "abc\rab\bX" still shows "aXc" as on a terminal. `\t` moves to the
// next multiple of 8 columns, padding with spaces past the end. Columns count Unicode scalars.
// Invariant: `bytes` is valid UTF-8 (the sanitizer guarantees it) and `cursor` sits on a character
// boundary, `column` characters in. A line never exceeds `maxLineBytes`; `growth(for:)` tells the
// owner when to cut it first.

struct ScrollbackLineEditor: Sendable {
    static let tabStopColumns = 8
    /// Capacity kept for reuse after a line completes; a rare huge line gives its memory back.
    static let retainedCapacityBytes = 4096

    private(set) var bytes: [UInt8] = []
    private var cursor = 0
    private var column = 0

    var isEmpty: Bool { bytes.isEmpty }
    var storedBytes: Int { bytes.capacity }

    /// How many bytes the line grows by if `event` is applied; an upper bound for a tab, so a tab
    /// right at the limit cuts the line up to 7 bytes early.
    func growth(for event: TextEvent) -> Int {
        switch event {
        case .print(let scalar): return scalar.utf8.count - characterLength(at: cursor)
        case .tab: return Self.tabStopColumns
        default: return 0
        }
    }

    mutating func apply(_ event: TextEvent) {
        switch event {
        case .print(let scalar): write(scalar)
        case .carriageReturn: (cursor, column) = (0, 0)
        case .backspace: backspace()
        case .tab: tab()
        case .eraseInLine(let wholeLine): erase(wholeLine: wholeLine)
        case .newline: break  // the owner takes the line with `clear()`
        }
    }

    /// Appends the leading run of printable ASCII (0x20–0x7E) in `text` while the cursor is at the
    /// end of the line and the line stays within `limit` bytes; returns how many bytes it took.
    mutating func appendPrintableASCII(_ text: Slice<UnsafeRawBufferPointer>, limit: Int) -> Int {
        guard cursor == bytes.count else { return 0 }
        let run = text.prefix(limit - bytes.count).prefix { (0x20...0x7E).contains($0) }
        bytes.append(contentsOf: run)
        cursor += run.count
        column += run.count
        return run.count
    }

    /// Empties the line after its bytes were stored.
    mutating func clear() {
        if bytes.capacity > Self.retainedCapacityBytes { bytes = [] } else { bytes.removeAll(keepingCapacity: true) }
        (cursor, column) = (0, 0)
    }

    private mutating func write(_ scalar: Unicode.Scalar) {
        let old = characterLength(at: cursor)
        if old == 0 {
            bytes.append(contentsOf: scalar.utf8)
        } else {
            bytes.replaceSubrange(cursor..<cursor + old, with: scalar.utf8)
        }
        cursor += scalar.utf8.count
        column += 1
    }

    private mutating func backspace() {
        guard cursor > 0 else { return }
        var start = cursor - 1
        while isContinuation(bytes[start]) { start -= 1 }
        if cursor == bytes.count { bytes.removeSubrange(start...) }
        cursor = start
        column -= 1
    }

    private mutating func tab() {
        let target = (column / Self.tabStopColumns + 1) * Self.tabStopColumns
        while column < target {
            if cursor == bytes.count { bytes.append(UInt8(ascii: " ")) }
            cursor += characterLength(at: cursor)
            column += 1
        }
    }

    private mutating func erase(wholeLine: Bool) {
        if wholeLine {
            clear()
        } else {
            bytes.removeSubrange(cursor...)
        }
    }

    /// Length in bytes of the character starting at `offset`; 0 at the end of the line.
    private func characterLength(at offset: Int) -> Int {
        guard offset < bytes.count else { return 0 }
        var end = offset + 1
        while end < bytes.count && isContinuation(bytes[end]) { end += 1 }
        return end - offset
    }

    private func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }
}
