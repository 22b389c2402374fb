// One host's terminal: bytes from the program go in, a screen of cells comes out. A thin,
// single-threaded wrapper over libvterm (through CDistRunTerminal): lines scrolled off the top
// and replies meant for the program (answers to queries, encoded keys) are collected and handed
// out by `withScrollbackLines(_:)` (or `takeScrollbackLines()`) and `takeReplies()`. Long runs
// of plain lines skip libvterm's line-by-line scrolling in the C shim, with the same result.

import CDistRunTerminal

public final class TerminalEmulator {
    private let term: OpaquePointer
    public private(set) var rows: Int
    public private(set) var columns: Int

    public init(rows: Int, columns: Int) {
        self.rows = max(1, rows)
        self.columns = max(1, columns)
        term = drs_term_new(Int32(self.rows), Int32(self.columns))
    }

    deinit { drs_term_free(term) }

    /// Feeds the program's output.
    public func feed(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        drs_term_write(term, base.assumingMemoryBound(to: CChar.self), bytes.count)
    }

    public func feed(_ bytes: [UInt8]) { bytes.withUnsafeBytes { feed($0) } }

    public func resize(rows: Int, columns: Int) {
        let (rows, columns) = (max(1, rows), max(1, columns))
        guard rows != self.rows || columns != self.columns else { return }
        self.rows = rows
        self.columns = columns
        drs_term_resize(term, Int32(rows), Int32(columns))
    }

    public func cell(row: Int, column: Int) -> TerminalCell {
        var raw = DrsCell()
        guard drs_term_cell(term, Int32(row), Int32(column), &raw) == 0 else { return .blank }
        return TerminalCell(raw)
    }

    /// The text of one screen row, trailing blanks removed.
    public func rowText(_ row: Int) -> String {
        var text = ""
        for column in 0..<columns {
            let cell = cell(row: row, column: column)
            if !cell.isRightHalf { text += cell.text.isEmpty ? " " : cell.text }
        }
        while text.last == " " { text.removeLast() }
        return text
    }

    public var cursor: (row: Int, column: Int, visible: Bool) {
        var (row, column, visible): (Int32, Int32, Int32) = (0, 0, 0)
        drs_term_cursor(term, &row, &column, &visible)
        return (Int(row), Int(column), visible != 0)
    }

    /// Full-screen programs (`less`, `vi`) switch to the alternate screen while they run.
    public var isAlternateScreen: Bool { drs_term_alternate_screen(term) != 0 }

    /// Bytes the program should receive: replies to its queries, and keys encoded by `encode`.
    public func takeReplies() -> [UInt8] {
        var bytes: UnsafePointer<CChar>?
        let count = drs_term_peek_output(term, &bytes)
        guard count > 0, let bytes else { return [] }
        defer { drs_term_clear_output(term) }
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    /// Lines that scrolled off the top since the last call, as text.
    public func takeScrollbackLines() -> [UInt8] {
        var lines: [UInt8] = []
        withScrollbackLines { lines = Array($0) }
        return lines
    }

    /// Hands the lines that scrolled off the top since the last call to `body` without copying
    /// them (the buffer is valid only inside it), then drops them. UTF-8, each line ending in
    /// "\n"; a line whose first cell was in font 1 starts with byte 0x01. Not called when none.
    public func withScrollbackLines(_ body: (UnsafeRawBufferPointer) -> Void) {
        var bytes: UnsafePointer<CChar>?
        let count = drs_term_peek_scrollback(term, &bytes)
        guard count > 0, let bytes else { return }
        body(UnsafeRawBufferPointer(start: bytes, count: count))
        drs_term_clear_scrollback(term)
    }

    // MARK: Keys

    /// The bytes a terminal sends for `key`, as this program's modes want them (application
    /// cursor keys, bracketed paste).
    public func encode(_ key: TerminalKey, modifiers: TerminalModifiers = []) -> [UInt8] {
        switch key {
        case .character(let scalar): drs_term_char(term, scalar.value, modifiers.rawValue)
        case .paste(let text):
            drs_term_paste(term, 1)
            for scalar in text.unicodeScalars { drs_term_char(term, scalar.value, 0) }
            drs_term_paste(term, 0)
        default: drs_term_key(term, key.vtermKey, modifiers.rawValue)
        }
        return takeReplies()
    }
}
