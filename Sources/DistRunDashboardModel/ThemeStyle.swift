// The vocabulary a theme maps roles to: a foreground and a background colour and a set of
// attributes. Colours are terminal palette indices (0-255) or the terminal's own default, so a
// theme never assumes the user's background; translating them to curses pairs is the
// dashboard's job. The spellings used in theme files live here, beside the values they name,
// so the parser, its error messages and themes/README.md agree on one table.

public enum ThemeColor: Equatable, Hashable, Sendable {
    /// The terminal's own foreground or background (curses colour -1).
    case terminalDefault
    case indexed(UInt8)

    /// Names of palette entries 0-7; `bright-` + name is entry + 8.
    static let basicNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// The colour a theme file spells `name` (any case), or nil if it is no colour name.
    /// Numbers are handled by the parser, which must tell "out of range" from "unknown".
    init?(name: String) {
        let name = name.lowercased()
        if name == "default" {
            self = .terminalDefault
        } else if let index = Self.basicNames.firstIndex(of: name) {
            self = .indexed(UInt8(index))
        } else if name.hasPrefix("bright-"), let index = Self.basicNames.firstIndex(of: String(name.dropFirst(7))) {
            self = .indexed(UInt8(index + 8))
        } else {
            return nil
        }
    }
}

public struct ThemeAttributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = ThemeAttributes(rawValue: 1 << 0)
    public static let dim = ThemeAttributes(rawValue: 1 << 1)
    public static let underline = ThemeAttributes(rawValue: 1 << 2)
    public static let reverse = ThemeAttributes(rawValue: 1 << 3)
    public static let italic = ThemeAttributes(rawValue: 1 << 4)
    public static let standout = ThemeAttributes(rawValue: 1 << 5)

    /// The spelling of each attribute in theme files.
    static let names: [(name: String, attribute: ThemeAttributes)] = [
        ("bold", .bold), ("dim", .dim), ("underline", .underline),
        ("reverse", .reverse), ("italic", .italic), ("standout", .standout),
    ]

    init?(name: String) {
        guard let entry = Self.names.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = entry.attribute
    }

    /// What the eye sees: nearly every terminfo entry draws standout as reverse video, so two
    /// styles differing only in that pair are not told apart on screen.
    var asDisplayed: ThemeAttributes {
        guard contains(.standout) else { return self }
        return subtracting(.standout).union(.reverse)
    }
}

public struct ThemeStyle: Equatable, Hashable, Sendable {
    public var foreground: ThemeColor
    public var background: ThemeColor
    public var attributes: ThemeAttributes

    public init(
        foreground: ThemeColor = .terminalDefault, background: ThemeColor = .terminalDefault,
        attributes: ThemeAttributes = []
    ) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// Unstyled text: the terminal's colours, no attributes (what a nil role draws).
    public static let plain = ThemeStyle()

    /// The same attributes in the terminal's own colours.
    public var withoutColors: ThemeStyle { ThemeStyle(attributes: attributes) }

    /// Whether the two would look the same on screen (see `ThemeAttributes.asDisplayed`).
    func looksLike(_ other: ThemeStyle) -> Bool {
        foreground == other.foreground && background == other.background
            && attributes.asDisplayed == other.attributes.asDisplayed
    }
}
