// What a key means to a program on a terminal: the emulator's key and modifiers, or a raw
// control byte (C-c, C-d, C-z…) that a terminal sends as it is.

import DistRunTerminal

extension KeyPress {
    enum TerminalInput: Equatable {
        case key(TerminalKey, TerminalModifiers)
        case raw(UInt8)
    }

    var terminalInput: TerminalInput? {
        switch self {
        case .character(let scalar):
            switch scalar.value {
            case 0x0D, 0x0A: return .key(.enter, [])
            case 0x09: return .key(.tab, [])
            case 0x1B: return .key(.escape, [])
            case 0x7F, 0x08: return .key(.backspace, [])
            case 0..<0x20: return .raw(UInt8(scalar.value))
            default: return .key(.character(scalar), [])
            }
        case .alt(let scalar): return .key(.character(scalar), .alt)
        case .up: return .key(.up, [])
        case .down: return .key(.down, [])
        case .left: return .key(.left, [])
        case .right: return .key(.right, [])
        case .pageUp: return .key(.pageUp, [])
        case .pageDown: return .key(.pageDown, [])
        case .home: return .key(.home, [])
        case .end: return .key(.end, [])
        case .backspace: return .key(.backspace, [])
        case .delete: return .key(.delete, [])
        case .insert: return .key(.insert, [])
        case .function(let number): return .key(.function(number), [])
        case .paste(let text): return .key(.paste(text), [])
        case .resize: return nil
        }
    }
}
