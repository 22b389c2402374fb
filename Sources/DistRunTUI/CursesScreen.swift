// The terminal, through ncursesw: start and restore, read keys without blocking, and a Canvas
// that paints in the theme's colours. The only file importing curses; used from one thread.

import CNcursesw
import DistRunSession
import Foundation

final class CursesScreen {
    private let theme: Theme
    private var pairs: [ThemeRole: (attributes: attr_t, pair: Int16)] = [:]
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
        endwin()
    }

    var size: Size { Size(width: Int(drs_cols()), height: Int(drs_lines())) }

    /// The next key, or nil when none is waiting.
    func readKey() -> KeyPress? {
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

    private func preparePairs() {
        let useColor = has_colors() && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
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
}
