// A theme: one style for every role, so a widget never meets a missing entry. A theme file may
// list only some roles; the rest fall back to the built-in default theme (an embedded copy of
// themes/default.theme). Themes are plain values handed to the dashboard, never a global; the
// dashboard reads the file, this module only parses its text. The colourless variant for
// NO_COLOR is in Theme+WithoutColors.swift.

public struct Theme: Equatable, Sendable {
    public let name: String
    /// Holds every role (checked in `init`).
    private let styles: [ThemeRole: ThemeStyle]

    init(name: String, styles: [ThemeRole: ThemeStyle]) {
        precondition(styles.count == ThemeRole.allCases.count, "theme '\(name)' must style every role")
        self.name = name
        self.styles = styles
    }

    public subscript(role: ThemeRole) -> ThemeStyle {
        styles[role] ?? .plain  // unreachable: init checked that every role is present
    }

    /// Parses a theme file's text; roles it does not list take the built-in default's style.
    /// `file` only names the source in errors.
    public static func parse(_ text: String, name: String, file: String) throws -> Theme {
        let listed = try ThemeParser.parse(text, file: file)
        return Theme(name: name, styles: builtInDefault.styles.merging(listed) { _, listed in listed })
    }
}
