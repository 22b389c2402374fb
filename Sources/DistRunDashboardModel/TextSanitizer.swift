// Turns one raw output stream (bytes from a pipe) into text events for the scrollback's line
// editor: printable Unicode scalars plus the few controls a log viewer honours (LF, CR, BS, TAB,
// and "erase in line" so `\r…ESC[K` progress bars end clean). Everything else a terminal would
// interpret is removed: CSI (`ESC [` parameters, final byte 0x40–0x7E), control strings (OSC
// `ESC ]`, DCS `ESC P`, SOS, PM, APC) up to BEL or `ESC \`, other `ESC` (intermediates) final
// sequences, remaining C0 bytes, DEL and C1 controls (U+0080–U+009F). UTF-8 is decoded with the
// WHATWG algorithm, so every maximal invalid subpart becomes exactly one U+FFFD and the line
// editor only ever stores valid UTF-8. All state lives in this value, so an escape sequence or a
// character split across two reads is handled. C0 controls inside an escape sequence are executed,
// and CAN/SUB abort one, as on a VT100 (ECMA-48 / Paul Williams' DEC parser).

/// What the line editor is asked to do.
enum TextEvent: Equatable, Sendable {
    case print(Unicode.Scalar)
    case newline
    case carriageReturn
    case backspace
    case tab
    /// `ESC [ K` / `ESC [ 0 K` erase to the end of the line, `ESC [ 2 K` the whole line.
    case eraseInLine(wholeLine: Bool)
}

struct TextSanitizer: Sendable {
    /// A control string longer than this is abandoned, so a stray `ESC ]` in binary output cannot
    /// hide the rest of the stream until some far-away BEL.
    static let maxControlStringBytes = 4096

    private enum State: Sendable {
        case ground, escape, escapeIntermediate, controlSequence, controlString, controlStringEscape
    }

    private var state = State.ground
    private var decoder = UTF8Decoder()
    private var controlStringBytes = 0
    /// First numeric CSI parameter; only `K` looks at it.
    private var parameter = 0
    private var parameterEnded = false

    /// True between sequences, where printable ASCII is plain text (enables bulk copying).
    var isInText: Bool { state == .ground && !decoder.isPending }

    /// Consumes one byte, emitting zero, one or two events (two when the byte ends an invalid
    /// UTF-8 sequence and must then be read on its own).
    mutating func consume(_ byte: UInt8, emit: (TextEvent) -> Void) {
        switch state {
        case .ground: consumeText(byte, emit: emit)
        case .escape, .escapeIntermediate: consumeEscape(byte, emit: emit)
        case .controlSequence: consumeControlSequence(byte, emit: emit)
        case .controlString: consumeControlString(byte)
        case .controlStringEscape:
            // ESC ends a control string whatever follows; only `\` is swallowed with it.
            if byte == UInt8(ascii: "\\") {
                state = .ground
            } else {
                state = .escape
                consume(byte, emit: emit)
            }
        }
    }

    private mutating func consumeText(_ byte: UInt8, emit: (TextEvent) -> Void) {
        if byte < 0x80 && !decoder.isPending {
            byte >= 0x20 && byte != 0x7F ? emit(.print(Unicode.Scalar(byte))) : execute(byte, emit: emit)
            return
        }
        switch decoder.decode(byte) {
        case .pending: break
        case .scalar(let scalar):
            if !(0x80...0x9F).contains(scalar.value) { emit(.print(scalar)) }
        case .invalid: emit(.print(UTF8Decoder.replacement))
        case .invalidBeforeByte:
            emit(.print(UTF8Decoder.replacement))
            consumeText(byte, emit: emit)
        }
    }

    /// C0 controls, wherever they appear (VT100s execute them even mid-sequence).
    private mutating func execute(_ byte: UInt8, emit: (TextEvent) -> Void) {
        switch byte {
        case 0x0A: emit(.newline)
        case 0x0D: emit(.carriageReturn)
        case 0x08: emit(.backspace)
        case 0x09: emit(.tab)
        case 0x1B: state = .escape
        case 0x18, 0x1A: state = .ground  // CAN, SUB: abort the sequence
        default: break
        }
    }

    private mutating func consumeEscape(_ byte: UInt8, emit: (TextEvent) -> Void) {
        switch byte {
        case UInt8(ascii: "[") where state == .escape:
            state = .controlSequence
            parameter = 0
            parameterEnded = false
        case 0x5D, 0x50, 0x58, 0x5E,
            0x5F where state == .escape:  // ] P X ^ _: OSC, DCS, SOS, PM, APC
            state = .controlString
            controlStringBytes = 0
        case 0x20...0x2F: state = .escapeIntermediate
        case 0x30...0x7E: state = .ground
        default: consumeInsideSequence(byte, emit: emit)
        }
    }

    private mutating func consumeControlSequence(_ byte: UInt8, emit: (TextEvent) -> Void) {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9") where !parameterEnded:
            parameter = min(parameter * 10 + Int(byte - UInt8(ascii: "0")), 9999)
        case UInt8(ascii: ";"), UInt8(ascii: ":"), 0x20...0x2F: parameterEnded = true
        case 0x30...0x3F: break  // later parameters, private markers such as `?`
        case 0x40...0x7E:
            state = .ground
            if byte == UInt8(ascii: "K") && parameter != 1 { emit(.eraseInLine(wholeLine: parameter == 2)) }
        default: consumeInsideSequence(byte, emit: emit)
        }
    }

    /// Bytes an escape or control sequence has no place for.
    private mutating func consumeInsideSequence(_ byte: UInt8, emit: (TextEvent) -> Void) {
        if byte < 0x20 {
            execute(byte, emit: emit)
        } else if byte >= 0x80 {
            // Malformed sequence: keep the text that follows rather than swallow it.
            state = .ground
            consumeText(byte, emit: emit)
        }
    }

    private mutating func consumeControlString(_ byte: UInt8) {
        controlStringBytes += 1
        switch byte {
        case 0x07, 0x18, 0x1A: state = .ground
        case 0x1B: state = .controlStringEscape
        default: if controlStringBytes > Self.maxControlStringBytes { state = .ground }
        }
    }
}

/// Incremental UTF-8 decoder following the WHATWG Encoding Standard: rejects overlong forms,
/// surrogates and values above U+10FFFF, and reports where a broken sequence ended.
struct UTF8Decoder: Sendable {
    static let replacement = Unicode.Scalar(0xFFFD)!

    enum Result: Equatable {
        case pending
        case scalar(Unicode.Scalar)
        case invalid, invalidBeforeByte
    }

    private var value: UInt32 = 0
    private var remaining = 0
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    var isPending: Bool { remaining > 0 }

    mutating func decode(_ byte: UInt8) -> Result {
        guard remaining > 0 else { return start(byte) }
        guard (lower...upper).contains(byte) else {
            self = UTF8Decoder()
            return .invalidBeforeByte
        }
        (lower, upper) = (0x80, 0xBF)
        value = value << 6 | UInt32(byte & 0x3F)
        remaining -= 1
        return remaining > 0 ? .pending : .scalar(Unicode.Scalar(value)!)
    }

    private mutating func start(_ byte: UInt8) -> Result {
        switch byte {
        case 0x00...0x7F: return .scalar(Unicode.Scalar(byte))
        case 0xC2...0xDF: (remaining, value) = (1, UInt32(byte & 0x1F))
        case 0xE0...0xEF:
            (remaining, value) = (2, UInt32(byte & 0x0F))
            if byte == 0xE0 { lower = 0xA0 }
            if byte == 0xED { upper = 0x9F }
        case 0xF0...0xF4:
            (remaining, value) = (3, UInt32(byte & 0x07))
            if byte == 0xF0 { lower = 0x90 }
            if byte == 0xF4 { upper = 0x8F }
        default: return .invalid
        }
        return .pending
    }
}
