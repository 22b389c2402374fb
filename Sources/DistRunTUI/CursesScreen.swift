// The terminal, through ncursesw: start and restore, read keys without blocking, and a Canvas
// that paints in the theme's colours. The only file importing curses; used from one thread.

import CNcursesw
import DistRunDashboardModel
import DistRunTerminal
import Foundation

final class CursesScreen {
    private let theme: Theme
    private var pairs: [ThemeRole: (attributes: attr_t, pair: Int16)] = [:]
    /// Colour pairs made on demand for terminal cells, after the roles' pairs.
    private var cellPairs: [TerminalColorPair: Int16] = [:]
    private var useColor = false
    private(set) var isActive = false

    init(theme: Theme) { self.theme = theme }

    func start() {
        setlocale(LC_ALL, "")
        initscr()
        isActive = true
        raw()
        noecho()
        nonl()
        keypad(drs_stdscr(), true)
        nodelay(drs_stdscr(), true)
        drs_set_escdelay(25)
        Self.writeToTerminal("\u{1B}[?2004h")  // ask for bracketed paste
        if has_colors() {
            start_color()
            use_default_colors()
        }
        preparePairs()
    }

    /// Restores the terminal; safe to call more than once.
    func stop() {
        guard isActive else { return }
        isActive = false
        Self.writeToTerminal("\u{1B}[?2004l")
        endwin()
    }

    private static func writeToTerminal(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    var size: Size { Size(width: Int(drs_cols()), height: Int(drs_lines())) }

    /// Keys read ahead while looking for Alt combinations and pastes.
    private var pending: [KeyPress] = []
    private static let pasteStart = Array("[200~".unicodeScalars).map { KeyPress.character($0) }
    private static let pasteEnd = Array("\u{1B}[201~".unicodeScalars).map { KeyPress.character($0) }

    /// The next key, or nil when none is waiting. Esc followed at once by a character is Alt
    /// with it; a bracketed paste (the terminal wraps it in ESC[200~ … ESC[201~) is one key.
    func readKey() -> KeyPress? {
        if !pending.isEmpty { return pending.removeFirst() }
        guard let key = readRawKey() else { return nil }
        guard key == .escape, let next = readRawKey() else { return key }
        guard next == .character("[") else {
            if case .character(let scalar) = next, scalar.value >= 0x20 { return .alt(scalar) }
            pending.append(next)
            return key
        }
        var lookahead = [next]
        while lookahead.count < Self.pasteStart.count, let more = readRawKey() { lookahead.append(more) }
        guard lookahead == Self.pasteStart else {
            pending += lookahead
            return key
        }
        return .paste(readPaste())
    }

    private func readPaste() -> String {
        var text = String.UnicodeScalarView()
        var tail: [KeyPress] = []
        // A paste arrives all at once; give up after a pause, so a lost end marker cannot hang keys.
        var idle = 0
        while idle < 50 {
            guard let key = readRawKey() else {
                idle += 1
                usleep(2000)
                continue
            }
            idle = 0
            tail.append(key)
            if tail.count > Self.pasteEnd.count { flush(tail.removeFirst(), into: &text) }
            if tail == Self.pasteEnd { return String(text) }
        }
        tail.forEach { flush($0, into: &text) }
        return String(text)
    }

    private func flush(_ key: KeyPress, into text: inout String.UnicodeScalarView) {
        if case .character(let scalar) = key { text.append(scalar) }
    }

    private func readRawKey() -> KeyPress? {
        var value: wint_t = 0
        let result = wget_wch(drs_stdscr(), &value)
        if result == KEY_CODE_YES { return Self.specialKey(Int32(value)) }
        guard result == OK, let scalar = Unicode.Scalar(UInt32(value)) else { return nil }
        return .character(scalar)
    }

    private static func specialKey(_ code: Int32) -> KeyPress? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_BACKSPACE: .backspace
        case KEY_DC: .delete
        case KEY_IC: .insert
        case KEY_ENTER: .enter
        case KEY_RESIZE: .resize
        case KEY_F0 + 1...KEY_F0 + 12: .function(Int(code - KEY_F0))
        default: nil
        }
    }

    /// Paints `view` and sends the changes to the terminal.
    func draw(_ view: DashboardView) {
        var canvas = CursesCanvas(screen: self, size: size)
        werase(drs_stdscr())
        view.draw(on: &canvas)
        if let cursor = canvas.cursor {
            curs_set(1)
            wmove(drs_stdscr(), Int32(cursor.y), Int32(cursor.x))
        } else {
            curs_set(0)
        }
        wrefresh(drs_stdscr())
    }

    fileprivate func style(_ role: ThemeRole?) -> (attr_t, Int16) {
        guard let role, let style = pairs[role] else { return (drs_attr_normal(), 0) }
        return style
    }

    /// The attributes and colour pair for a terminal cell; pairs are made once per colour pair.
    fileprivate func style(_ cell: TerminalCell) -> (attr_t, Int16) {
        var attributes = drs_attr_normal()
        if cell.bold { attributes |= drs_attr_bold() }
        if cell.underline { attributes |= drs_attr_underline() }
        if cell.italic { attributes |= drs_attr_italic() }
        if cell.reverse { attributes |= drs_attr_reverse() }
        guard useColor, cell.foreground != .terminalDefault || cell.background != .terminalDefault else {
            return (attributes, 0)
        }
        let key = TerminalColorPair(foreground: cell.foreground, background: cell.background)
        if let pair = cellPairs[key] { return (attributes, pair) }
        let next = Int(ThemeRole.allCases.count) + 1 + cellPairs.count
        guard next < min(Int(drs_color_pairs()), Int(Int16.max)) else { return (attributes, 0) }
        init_pair(Int16(next), color(key.foreground), color(key.background))
        cellPairs[key] = Int16(next)
        return (attributes, Int16(next))
    }

    private func color(_ color: TerminalColor) -> Int16 {
        switch color {
        case .terminalDefault: return -1
        case .indexed(let index): return self.color(.indexed(index) as ThemeColor)
        case .rgb(let red, let green, let blue):
            let cube = 16 + 36 * (Int(red) * 5 / 255) + 6 * (Int(green) * 5 / 255) + Int(blue) * 5 / 255
            return self.color(.indexed(UInt8(cube)) as ThemeColor)
        }
    }

    private func preparePairs() {
        useColor = has_colors() && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
        let active = useColor ? theme : theme.withoutColors()
        for (index, role) in ThemeRole.allCases.enumerated() {
            let style = active[role]
            let pair = Int16(index + 1)
            if useColor { init_pair(pair, color(style.foreground), color(style.background)) }
            pairs[role] = (attributes(style.attributes), useColor ? pair : 0)
        }
    }

    private func color(_ color: ThemeColor) -> Int16 {
        switch color {
        case .terminalDefault: -1
        case .indexed(let index): Int16(Int32(index) < drs_colors() ? Int(index) : Self.basicColor(index))
        }
    }

    /// The nearest of the 8 basic colours, for terminals with fewer colours than the theme uses.
    static func basicColor(_ index: UInt8) -> Int {
        switch index {
        case 0..<8: return Int(index)
        case 8..<16: return Int(index) - 8
        case 232...255: return index < 244 ? 0 : 7
        default:
            // The 6x6x6 cube: a channel in its upper half turns on that basic colour's bit.
            let cube = Int(index) - 16
            let (red, green, blue) = (cube / 36, (cube / 6) % 6, cube % 6)
            return (red >= 3 ? 1 : 0) | (green >= 3 ? 2 : 0) | (blue >= 3 ? 4 : 0)
        }
    }

    private func attributes(_ attributes: ThemeAttributes) -> attr_t {
        var result = drs_attr_normal()
        if attributes.contains(.bold) { result |= drs_attr_bold() }
        if attributes.contains(.dim) { result |= drs_attr_dim() }
        if attributes.contains(.underline) { result |= drs_attr_underline() }
        if attributes.contains(.reverse) { result |= drs_attr_reverse() }
        if attributes.contains(.italic) { result |= drs_attr_italic() }
        if attributes.contains(.standout) { result |= drs_attr_standout() }
        return result
    }
}

/// A Canvas over curses' standard screen.
struct CursesCanvas: Canvas {
    let screen: CursesScreen
    let size: Size
    var cursor: (x: Int, y: Int)?

    init(screen: CursesScreen, size: Size) {
        self.screen = screen
        self.size = size
    }

    mutating func put(_ text: String, x: Int, y: Int, role: ThemeRole?, maxWidth: Int) {
        guard (0..<size.height).contains(y), x < size.width, maxWidth > 0 else { return }
        var wide: [wchar_t] = []
        var width = 0
        let limit = min(maxWidth, size.width - x)
        for scalar in text.unicodeScalars where scalar.value >= 0x20 {
            let cells = TextWidth.of(scalar)
            guard width + cells <= limit else { break }
            wide.append(wchar_t(bitPattern: scalar.value))
            width += cells
        }
        let (attributes, pair) = screen.style(role)
        drs_attr_set(drs_stdscr(), attributes, pair)
        _ = drs_put(drs_stdscr(), Int32(y), Int32(x), wide, Int32(wide.count))
        drs_attr_set(drs_stdscr(), drs_attr_normal(), 0)
    }

    mutating func fill(_ rect: Rect, role: ThemeRole?) {
        let blank = String(repeating: " ", count: max(0, rect.width))
        for y in rect.y..<rect.maxY { put(blank, x: rect.x, y: y, role: role, maxWidth: rect.width) }
    }

    mutating func placeCursor(x: Int, y: Int) { cursor = (x, y) }

    mutating func putCell(_ cell: TerminalCell, x: Int, y: Int) {
        guard (0..<size.height).contains(y), (0..<size.width).contains(x) else { return }
        var wide = cell.text.unicodeScalars.filter { $0.value >= 0x20 }.map { wchar_t(bitPattern: $0.value) }
        if wide.isEmpty { wide = [wchar_t(32)] }
        let (attributes, pair) = screen.style(cell)
        drs_attr_set(drs_stdscr(), attributes, pair)
        _ = drs_put(drs_stdscr(), Int32(y), Int32(x), wide, Int32(wide.count))
        drs_attr_set(drs_stdscr(), drs_attr_normal(), 0)
    }
}

struct TerminalColorPair: Hashable {
    var foreground: TerminalColor
    var background: TerminalColor
}
