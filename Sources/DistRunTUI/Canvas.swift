// Everything the views draw goes through a Canvas: text in a semantic role, clipped to a width.
// The curses implementation paints the terminal; the in-memory one lets views be checked
// as text without a terminal.

import DistRunDashboardModel
import DistRunTerminal

public protocol Canvas {
    var size: Size { get }
    /// Writes `text` at (x, y) in `role`, clipped to `maxWidth` cells and to the screen.
    mutating func put(_ text: String, x: Int, y: Int, role: ThemeRole?, maxWidth: Int)
    /// Fills `rect` with spaces in `role`.
    mutating func fill(_ rect: Rect, role: ThemeRole?)
    /// Where the terminal's cursor should rest (nil hides it).
    mutating func placeCursor(x: Int, y: Int)
    /// Paints one cell of an emulated terminal with its own colours and attributes.
    mutating func putCell(_ cell: TerminalCell, x: Int, y: Int)
}

extension Canvas {
    public mutating func put(_ text: String, x: Int, y: Int, role: ThemeRole? = nil) {
        put(text, x: x, y: y, role: role, maxWidth: size.width - x)
    }
}

/// A screen in memory: the text and role of every cell.
public struct MemoryCanvas: Canvas {
    public private(set) var size: Size
    public private(set) var cells: [[Character]]
    public private(set) var roles: [[ThemeRole?]]
    public private(set) var cursor: (x: Int, y: Int)?
    /// The terminal cells painted, by position.
    public private(set) var terminalCells: [Int: TerminalCell] = [:]

    public init(size: Size) {
        self.size = size
        cells = Array(repeating: Array(repeating: " ", count: size.width), count: size.height)
        roles = Array(repeating: Array(repeating: nil, count: size.width), count: size.height)
    }

    public mutating func put(_ text: String, x: Int, y: Int, role: ThemeRole?, maxWidth: Int) {
        guard (0..<size.height).contains(y) else { return }
        var column = x
        let limit = min(size.width, x + maxWidth)
        for character in text {
            let width = TextWidth.of(character)
            guard column + width <= limit else { break }
            if column >= 0 {
                cells[y][column] = character
                roles[y][column] = role
                if width == 2 && column + 1 < size.width { cells[y][column + 1] = "\u{0}" }
            }
            column += width
        }
    }

    public mutating func fill(_ rect: Rect, role: ThemeRole?) {
        let (top, bottom) = (max(0, rect.y), min(size.height, rect.maxY))
        let (left, right) = (max(0, rect.x), min(size.width, rect.maxX))
        guard top < bottom, left < right else { return }
        for y in top..<bottom {
            for x in left..<right {
                cells[y][x] = " "
                roles[y][x] = role
            }
        }
    }

    public mutating func placeCursor(x: Int, y: Int) { cursor = (x, y) }

    public mutating func putCell(_ cell: TerminalCell, x: Int, y: Int) {
        put(cell.text.isEmpty ? " " : cell.text, x: x, y: y, role: nil, maxWidth: cell.width)
        terminalCells[y * size.width + x] = cell
    }

    /// The terminal cell painted at (x, y), if any.
    public func terminalCell(x: Int, y: Int) -> TerminalCell? { terminalCells[y * size.width + x] }

    /// Row `y` as text, trailing spaces kept; the right half of a wide character is dropped.
    public func line(_ y: Int) -> String { String(cells[y].filter { $0 != "\u{0}" }) }

    public var text: String { (0..<size.height).map(line).joined(separator: "\n") }
}

/// Cells a character takes in a terminal: 2 for East Asian wide and emoji, 0 for combining marks.
public enum TextWidth {
    public static func of(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        return of(scalar)
    }

    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x300 { return value < 0x20 ? 0 : 1 }
        if (0x300...0x36F).contains(value) || (0x200B...0x200F).contains(value) { return 0 }
        let wide: [ClosedRange<UInt32>] = [
            0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD,
        ]
        return wide.contains { $0.contains(value) } ? 2 : 1
    }

    public static func of(_ text: String) -> Int { text.reduce(0) { $0 + of($1) } }
}
