// Helpers shared by the DistRunTerminal tests: feed strings (escape sequences spelled with
// `esc`), read a whole screen as text or cells, and view output bytes as text. Nothing here
// interprets escape sequences itself, so every expectation in the tests is libvterm's answer as
// it comes through TerminalEmulator and the C shim.

import DistRunTerminal

let esc = "\u{1b}"

extension TerminalEmulator {
    func feed(_ text: String) { feed(Array(text.utf8)) }

    /// Every row's text, trailing blanks removed.
    var screenText: [String] { (0..<rows).map(rowText) }

    var screenCells: [[TerminalCell]] {
        (0..<rows).map { row in (0..<columns).map { cell(row: row, column: $0) } }
    }

    /// The cursor as [row, column], 0-based, for readable failure messages.
    var cursorPosition: [Int] { [cursor.row, cursor.column] }
}

/// The attributes set on a cell, by name.
func attributes(of cell: TerminalCell) -> Set<String> {
    let flags = [
        ("bold", cell.bold), ("underline", cell.underline), ("italic", cell.italic),
        ("reverse", cell.reverse), ("strike", cell.strike), ("blink", cell.blink),
    ]
    return Set(flags.filter(\.1).map(\.0))
}

/// Output bytes as text, for comparing with strings that spell escape sequences with `esc`.
func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
