// One cell of an emulated screen: its characters, colours and attributes.

import CDistRunTerminal

public enum TerminalColor: Equatable, Hashable, Sendable {
    /// The pane's default foreground or background.
    case terminalDefault
    case indexed(UInt8)
    case rgb(UInt8, UInt8, UInt8)
}

public struct TerminalCell: Equatable, Sendable {
    /// The character (with combining marks); empty for a blank cell.
    public var text: String
    /// 2 for a wide character; the cell after it is its right half.
    public var width: Int
    public var isRightHalf: Bool
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var bold = false
    public var underline = false
    public var italic = false
    public var reverse = false
    public var strike = false
    public var blink = false
    /// The SGR font, 0-9: the dashboard draws its own stderr in font 1.
    public var font = 0

    public static let blank = TerminalCell(
        text: "", width: 1, isRightHalf: false, foreground: .terminalDefault, background: .terminalDefault)

    init(text: String, width: Int, isRightHalf: Bool, foreground: TerminalColor, background: TerminalColor) {
        self.text = text
        self.width = width
        self.isRightHalf = isRightHalf
        self.foreground = foreground
        self.background = background
    }

    init(_ raw: DrsCell) {
        let codepoints = [raw.chars.0, raw.chars.1, raw.chars.2, raw.chars.3, raw.chars.4, raw.chars.5]
        isRightHalf = codepoints[0] == UInt32.max
        var scalars = String.UnicodeScalarView()
        if !isRightHalf {
            for codepoint in codepoints.prefix(while: { $0 != 0 }) {
                if let scalar = Unicode.Scalar(codepoint) { scalars.append(scalar) }
            }
        }
        text = String(scalars)
        width = Int(raw.width)
        foreground = Self.color(raw.fg_kind, raw.fg_index, raw.fg_red, raw.fg_green, raw.fg_blue)
        background = Self.color(raw.bg_kind, raw.bg_index, raw.bg_red, raw.bg_green, raw.bg_blue)
        bold = raw.bold != 0
        underline = raw.underline != 0
        italic = raw.italic != 0
        reverse = raw.reverse != 0
        strike = raw.strike != 0
        blink = raw.blink != 0
        font = Int(raw.font)
    }

    private static func color(_ kind: Int32, _ index: Int32, _ red: Int32, _ green: Int32, _ blue: Int32)
        -> TerminalColor
    {
        switch kind {
        case Int32(DRS_COLOR_INDEXED): .indexed(UInt8(truncatingIfNeeded: index))
        case Int32(DRS_COLOR_RGB):
            .rgb(UInt8(truncatingIfNeeded: red), UInt8(truncatingIfNeeded: green), UInt8(truncatingIfNeeded: blue))
        default: .terminalDefault
        }
    }
}
