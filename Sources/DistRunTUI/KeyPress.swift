// A key as the dashboard sees it, independent of curses: a character (control characters
// included) or a named special key. Also how keys are written in help and docs ("C-]", "PgUp").

public enum KeyPress: Hashable, Sendable, CustomStringConvertible {
    case character(Unicode.Scalar)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case backspace, delete, insert
    case function(Int)
    /// Alt (Meta) with a character: the terminal sent Esc then the character.
    case alt(Unicode.Scalar)
    /// Text pasted into the dashboard's terminal (it arrived bracketed).
    case paste(String)
    /// The terminal changed size.
    case resize

    public static let enter = KeyPress.character("\r")
    public static let escape = KeyPress.character("\u{1B}")
    public static let tab = KeyPress.character("\t")

    /// Ctrl plus a letter or one of `@[\]^_`: `control("]")` is 0x1D.
    public static func control(_ key: Character) -> KeyPress {
        let ascii = key.uppercased().unicodeScalars.first!.value
        return .character(Unicode.Scalar(UInt8(ascii & 0x1F)))
    }

    public var description: String {
        switch self {
        case .character(let scalar):
            switch scalar.value {
            case 0x0D, 0x0A: return "Enter"
            case 0x09: return "Tab"
            case 0x1B: return "Esc"
            case 0x20: return "Space"
            case 0x7F: return "Backspace"
            case 0..<0x20: return "C-" + String(Unicode.Scalar(UInt8(scalar.value + 0x40)))
            default: return String(scalar)
            }
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .backspace: return "Backspace"
        case .delete: return "Delete"
        case .insert: return "Insert"
        case .function(let number): return "F\(number)"
        case .alt(let scalar): return "M-" + String(scalar)
        case .paste: return "Paste"
        case .resize: return "Resize"
        }
    }

    /// Parses "C-]", "C-g", "F5"; for the --prefix option.
    public init?(name: String) {
        if name.count == 3, name.hasPrefix("C-"), let key = name.last,
            key.isASCII && key.isLetter || "@[\\]^_".contains(key)
        {
            self = .control(key)
        } else if name.count == 1, let scalar = name.unicodeScalars.first {
            self = .character(scalar)
        } else if name.hasPrefix("F"), let number = Int(name.dropFirst()), (1...12).contains(number) {
            self = .function(number)
        } else {
            return nil
        }
    }

    public var isEnter: Bool { self == .character("\r") || self == .character("\n") }
    public var isBackspace: Bool { self == .backspace || self == .character("\u{7F}") || self == .character("\u{8}") }
}
