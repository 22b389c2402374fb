// Keys a person presses, as the emulator encodes them for the program.

public enum TerminalKey: Equatable, Sendable {
    case character(Unicode.Scalar)
    case enter, tab, backspace, escape
    case up, down, left, right
    case insert, delete, home, end, pageUp, pageDown
    case function(Int)
    /// Pasted text: bracketed (ESC [200~ … ESC [201~) when the program asked for it.
    case paste(String)

    /// libvterm's VTermKey numbering (vterm_keycodes.h).
    var vtermKey: Int32 {
        switch self {
        case .enter: 1
        case .tab: 2
        case .backspace: 3
        case .escape: 4
        case .up: 5
        case .down: 6
        case .left: 7
        case .right: 8
        case .insert: 9
        case .delete: 10
        case .home: 11
        case .end: 12
        case .pageUp: 13
        case .pageDown: 14
        case .function(let number): 256 + Int32(min(max(number, 1), 63))
        case .character, .paste: 0
        }
    }
}

public struct TerminalModifiers: OptionSet, Sendable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let shift = TerminalModifiers(rawValue: 1)
    public static let alt = TerminalModifiers(rawValue: 2)
    public static let control = TerminalModifiers(rawValue: 4)
}
