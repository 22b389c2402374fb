// The theme file format, one role a line (themes/README.md is the user-facing copy):
//
//     # comment; blank lines ignored, and `#` ends a line anywhere
//     # ROLE = FOREGROUND [BACKGROUND] [ATTRIBUTE ...]
//     host-running   = green
//     selection      = black cyan bold
//     status-bar     = white blue
//     search-match   = default yellow reverse
//
// Colours: `default` (the terminal's own), black red green yellow blue magenta cyan white
// (0-7), bright-black … bright-white (8-15), or a palette number 0-255. Attributes: bold dim
// underline reverse italic standout. One colour sets the foreground; the background is then
// `default`. Names are matched without regard to case. The parser returns only the roles the
// text lists; filling in the rest is `Theme.parse`'s job. The first bad line is an error naming
// the file and the 1-based line; no partial theme is returned.

import DistRunSession

enum ThemeParser {
    static func parse(_ text: String, file: String) throws -> [ThemeRole: ThemeStyle] {
        var styles: [ThemeRole: ThemeStyle] = [:]
        var lineOfRole: [ThemeRole: Int] = [:]
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let content = rawLine.prefix { $0 != "#" }
            guard content.contains(where: { !$0.isWhitespace }) else { continue }
            do {
                let (role, style) = try parseLine(String(content))
                if let first = lineOfRole[role] {
                    throw LineError("role '\(role.rawValue)' already set on line \(first)")
                }
                lineOfRole[role] = index + 1
                styles[role] = style
            } catch let error as LineError {
                throw ThemeError(file: file, line: index + 1, message: error.message)
            }
        }
        return styles
    }

    /// A line's error before the file and line number are attached.
    struct LineError: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    static let syntax = "ROLE = FOREGROUND [BACKGROUND] [ATTRIBUTE ...]"

    static func parseLine(_ line: String) throws -> (ThemeRole, ThemeStyle) {
        guard let equals = line.firstIndex(of: "=") else { throw LineError("missing '=' (expected \(syntax))") }
        let roleName = line[..<equals].split(whereSeparator: \.isWhitespace).map(String.init)
        guard roleName.count == 1 else {
            if roleName.isEmpty { throw LineError("missing role before '='") }
            throw LineError("expected one role before '=', found '\(roleName.joined(separator: " "))'")
        }
        guard let role = ThemeRole(rawValue: roleName[0].lowercased()) else {
            throw LineError("unknown role '\(roleName[0])'")
        }
        let words = line[line.index(after: equals)...].split(whereSeparator: \.isWhitespace).map(String.init)
        return (role, try parseStyle(words, role: role))
    }

    static func parseStyle(_ words: [String], role: ThemeRole) throws -> ThemeStyle {
        guard let first = words.first, ThemeAttributes(name: first) == nil else {
            let found = words.first.map { " before '\($0)'; write 'default \($0)' for the terminal's colour" } ?? ""
            throw LineError("missing foreground colour for '\(role.rawValue)'\(found)")
        }
        var style = ThemeStyle(foreground: try parseColor(first))
        var rest = words.dropFirst()
        if let second = rest.first, ThemeAttributes(name: second) == nil {
            style.background = try parseColor(second, orAttribute: true)
            rest = rest.dropFirst()
        }
        for word in rest {
            guard let attribute = ThemeAttributes(name: word) else {
                let isColor = (try? parseColor(word)) != nil
                if isColor { throw LineError("unexpected colour '\(word)': at most two colours, before any attribute") }
                throw LineError("unknown attribute '\(word)'")
            }
            style.attributes.insert(attribute)
        }
        return style
    }

    /// `orAttribute` widens the message where the grammar allows either word.
    static func parseColor(_ word: String, orAttribute: Bool = false) throws -> ThemeColor {
        let digits = word.hasPrefix("-") ? word.dropFirst() : word[...]
        if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
            // A numeral that is no palette index is out of range, not an unknown name.
            guard let number = Int(word), let index = UInt8(exactly: number) else {
                throw LineError("colour number \(word) out of range 0-255")
            }
            return .indexed(index)
        }
        guard let color = ThemeColor(name: word) else {
            throw LineError(orAttribute ? "unknown colour or attribute '\(word)'" : "unknown colour '\(word)'")
        }
        return color
    }
}
