// Theme: every form a theme line takes, every rejected line with its exact line number and
// message, fallback of unlisted roles to the built-in default, and the shipped files in
// themes/: each parses, lists every role, keeps the roles the contrast tables name apart, and
// still does so with its colours removed (NO_COLOR). The built-in copies must equal the files.
// Distinctness is judged as the eye sees it: standout counts as reverse.

import DistRunDashboardModel
import DistRunSession
import Foundation
import Testing

private let themesDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("themes")

/// Every themes/*.theme file name, read once; `shipsTheExpectedFiles` catches an empty listing.
private let themeFiles: [String] =
    ((try? FileManager.default.contentsOfDirectory(atPath: themesDirectory.path)) ?? [])
    .filter { $0.hasSuffix(".theme") }.sorted()

private func readTheme(_ fileName: String) throws -> String {
    try String(contentsOf: themesDirectory.appendingPathComponent(fileName), encoding: .utf8)
}

private func loadTheme(_ fileName: String) throws -> Theme {
    try Theme.parse(readTheme(fileName), name: String(fileName.dropLast(".theme".count)), file: fileName)
}

private func style(of line: String) throws -> ThemeStyle {
    try Theme.parse(line, name: "t", file: "t.theme")[.tag]
}

private func indexed(_ index: UInt8) -> ThemeColor { .indexed(index) }

/// What the screen shows: nearly every terminal draws standout as reverse.
private func displayed(_ style: ThemeStyle) -> ThemeStyle {
    var shown = style
    if shown.attributes.contains(.standout) {
        shown.attributes = shown.attributes.subtracting(.standout).union(.reverse)
    }
    return shown
}

/// The contrast rules from ThemeRole, as failure messages naming the offending roles.
private func contrastViolations(_ theme: Theme) -> [String] {
    var problems: [String] = []
    for group in ThemeRole.distinctGroups {
        for (i, a) in group.enumerated() {
            for b in group[..<i] where displayed(theme[a]) == displayed(theme[b]) {
                problems.append("\(theme.name): \(a.rawValue) looks like \(b.rawValue)")
            }
        }
    }
    for role in ThemeRole.standingOut where displayed(theme[role]) == .plain {
        problems.append("\(theme.name): \(role.rawValue) looks like plain text")
    }
    return problems
}

/// One parent suite, so `--filter ThemeTests` selects exactly these.
@Suite struct ThemeTests {}

extension ThemeTests {
    @Suite struct Parsing {
        @Test(arguments: [
            ("tag = green", ThemeStyle(foreground: indexed(2))),
            ("tag = black cyan bold", ThemeStyle(foreground: indexed(0), background: indexed(6), attributes: .bold)),
            ("tag = white blue", ThemeStyle(foreground: indexed(7), background: indexed(4))),
            ("tag = default yellow reverse", ThemeStyle(background: indexed(3), attributes: .reverse)),
            ("tag = default bold", ThemeStyle(attributes: .bold)),
            ("tag = default", ThemeStyle()),
            ("tag = red default underline", ThemeStyle(foreground: indexed(1), attributes: .underline)),
            ("tag = bright-black", ThemeStyle(foreground: indexed(8))),
            ("tag = bright-white bright-red", ThemeStyle(foreground: indexed(15), background: indexed(9))),
            ("tag = 0 255", ThemeStyle(foreground: indexed(0), background: indexed(255))),
            ("tag = 208 bold dim", ThemeStyle(foreground: indexed(208), attributes: [.bold, .dim])),
            (
                "tag = red blue bold dim underline reverse italic standout",
                ThemeStyle(
                    foreground: indexed(1), background: indexed(4),
                    attributes: [.bold, .dim, .underline, .reverse, .italic, .standout])
            ),
            ("tag=red", ThemeStyle(foreground: indexed(1))),
            ("\t tag\t=\tRED  Bold ", ThemeStyle(foreground: indexed(1), attributes: .bold)),
            ("TAG = Bright-Cyan", ThemeStyle(foreground: indexed(14))),
            ("tag = red   # a trailing comment", ThemeStyle(foreground: indexed(1))),
            ("tag = red bold bold", ThemeStyle(foreground: indexed(1), attributes: .bold)),
        ])
        func acceptsEachForm(line: String, expected: ThemeStyle) throws {
            #expect(try style(of: line) == expected)
        }

        @Test func namesTheSixteenBasicColours() throws {
            let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]
            for (index, name) in names.enumerated() {
                #expect(try style(of: "tag = \(name)").foreground == indexed(UInt8(index)))
                #expect(try style(of: "tag = bright-\(name)").foreground == indexed(UInt8(index + 8)))
            }
        }

        @Test func ignoresCommentsBlankLinesAndLineEndings() throws {
            let text = "# a theme\r\n\r\n   \t\n# tag = red\nselection = black cyan\r\ntag = green\n"
            let theme = try Theme.parse(text, name: "t", file: "t.theme")
            #expect(theme[.selection] == ThemeStyle(foreground: indexed(0), background: indexed(6)))
            #expect(theme[.tag] == ThemeStyle(foreground: indexed(2)))
            #expect(theme.name == "t")
        }

        @Test(arguments: [
            ("tag = red\nfoo = red", 2, "unknown role 'foo'"),
            ("Host-Runing = red", 1, "unknown role 'Host-Runing'"),
            ("\n\ntag = purple", 3, "unknown colour 'purple'"),
            ("tag = red blu", 1, "unknown colour or attribute 'blu'"),
            ("tag = 256", 1, "colour number 256 out of range 0-255"),
            ("tag = red -1", 1, "colour number -1 out of range 0-255"),
            ("tag = 99999999999999999999", 1, "colour number 99999999999999999999 out of range 0-255"),
            ("tag = red blue blink", 1, "unknown attribute 'blink'"),
            ("tag = red bold blinking", 1, "unknown attribute 'blinking'"),
            ("# comment\ntag red", 2, "missing '=' (expected ROLE = FOREGROUND [BACKGROUND] [ATTRIBUTE ...])"),
            ("tag =", 1, "missing foreground colour for 'tag'"),
            ("tag =   # only a comment", 1, "missing foreground colour for 'tag'"),
            (
                "tag = bold", 1,
                "missing foreground colour for 'tag' before 'bold'; write 'default bold' for the terminal's colour"
            ),
            ("= red", 1, "missing role before '='"),
            ("tag selection = red", 1, "expected one role before '=', found 'tag selection'"),
            ("tag = red blue green", 1, "unexpected colour 'green': at most two colours, before any attribute"),
            ("tag = red bold blue", 1, "unexpected colour 'blue': at most two colours, before any attribute"),
            ("# c\ntag = red\n\ntag = blue", 4, "role 'tag' already set on line 2"),
            ("tag = red\r\n\r\nfoo = red", 3, "unknown role 'foo'"),
        ])
        func rejectsBadLines(text: String, line: Int, message: String) {
            #expect(throws: ThemeError(file: "my.theme", line: line, message: message)) {
                try Theme.parse(text, name: "mine", file: "my.theme")
            }
        }

        @Test func errorDescriptionNamesFileAndLine() {
            let error = ThemeError(file: "themes/my.theme", line: 7, message: "unknown colour 'purpel'")
            #expect(error.description == "themes/my.theme:7: unknown colour 'purpel'")
        }

        @Test func unlistedRolesFallBackToTheDefault() throws {
            let theme = try Theme.parse("tag = red\nselection = default reverse\n", name: "mine", file: "mine.theme")
            #expect(theme[.tag] == ThemeStyle(foreground: indexed(1)))
            #expect(theme[.selection] == ThemeStyle(attributes: .reverse))
            for role in ThemeRole.allCases where role != .tag && role != .selection {
                #expect(theme[role] == Theme.builtInDefault[role], "\(role.rawValue)")
            }
            #expect(try Theme.parse("# empty\n", name: "default", file: "e.theme") == Theme.builtInDefault)
        }
    }
}

extension ThemeTests {
    @Suite struct Files {
        @Test func shipsTheExpectedFiles() {
            #expect(
                Set(["default.theme", "light.theme", "mono.theme", "high-contrast.theme"]).isSubset(of: themeFiles))
        }

        @Test func builtInThemesEqualTheirFiles() throws {
            #expect(try loadTheme("default.theme") == Theme.builtInDefault)
            #expect(try loadTheme("mono.theme") == Theme.builtInMono)
        }

        /// Lists roles by reading left-hand sides, so a role missing from the file is caught even
        /// though parsing would quietly fill it in from the default.
        @Test(arguments: themeFiles)
        func listsEveryRoleExactlyOnce(fileName: String) throws {
            let theme = try loadTheme(fileName)
            let listed = try readTheme(fileName).split(whereSeparator: \.isNewline)
                .map { $0.prefix { $0 != "#" } }
                .filter { $0.contains("=") }
                .map { $0.prefix { $0 != "=" }.trimmingCharacters(in: .whitespaces) }
            #expect(listed.count == ThemeRole.allCases.count)
            #expect(Set(listed) == Set(ThemeRole.allCases.map(\.rawValue)))
            #expect(theme.name + ".theme" == fileName)
        }

        @Test(arguments: themeFiles)
        func keepsSideBySideRolesApart(fileName: String) throws {
            let theme = try loadTheme(fileName)
            #expect(contrastViolations(theme) == [])
            #expect(contrastViolations(theme.withoutColors()) == [])
        }

        @Test func monoHasNoColours() throws {
            for theme in [Theme.builtInMono, try loadTheme("mono.theme")] {
                for role in ThemeRole.allCases {
                    #expect(theme[role].foreground == .terminalDefault, "\(role.rawValue)")
                    #expect(theme[role].background == .terminalDefault, "\(role.rawValue)")
                }
            }
        }

        @Test func readmeDescribesEveryRole() throws {
            let readme = try readTheme("README.md")
            for role in ThemeRole.allCases {
                #expect(readme.contains("| `\(role.rawValue)` |"), "\(role.rawValue)")
            }
        }
    }
}

extension ThemeTests {
    @Suite struct WithoutColors {
        @Test(arguments: themeFiles)
        func dropsEveryColour(fileName: String) throws {
            let theme = try loadTheme(fileName)
            let plain = theme.withoutColors()
            #expect(plain.name == theme.name)
            for role in ThemeRole.allCases {
                #expect(plain[role].foreground == .terminalDefault, "\(role.rawValue)")
                #expect(plain[role].background == .terminalDefault, "\(role.rawValue)")
            }
        }

        /// high-contrast is left out: its bold on nearly every host state cannot all survive.
        @Test(arguments: ["default.theme", "light.theme", "mono.theme"])
        func keepsEveryAttribute(fileName: String) throws {
            let theme = try loadTheme(fileName)
            let plain = theme.withoutColors()
            for role in ThemeRole.allCases {
                #expect(plain[role].attributes.isSuperset(of: theme[role].attributes), "\(role.rawValue)")
            }
        }

        @Test func defaultThemeKeepsItsCuesWithoutColour() {
            let plain = Theme.builtInDefault.withoutColors()
            #expect(plain[.selection].attributes.contains(.reverse))
            #expect(plain[.selection] != .plain)
            #expect(plain[.searchMatch] != plain[.selection])
            #expect(plain[.hostFailed].attributes.contains(.bold))
            #expect(plain[.hostLost].attributes.contains(.underline))
            #expect(plain[.statusBroadcast] != plain[.statusBar])
            // Bars drawn on a coloured background stay bars.
            #expect(plain[.statusBar].attributes.contains(.reverse))
            #expect(plain[.statusBroadcast].attributes.isSuperset(of: [.reverse, .bold]))
        }

        @Test func colourlessThemeIsUnchanged() {
            #expect(Theme.builtInMono.withoutColors() == Theme.builtInMono)
        }

        /// Here the host states differ only by colour, and one state's own attributes equal
        /// another's mono attributes, so adding mono's attributes is not enough.
        @Test func ownAttributesThatCollideYieldToMono() throws {
            let text = "host-running = red dim underline\nhost-connecting = green\n"
            let plain = try Theme.parse(text, name: "clash", file: "clash.theme").withoutColors()
            let hostStates = ThemeRole.distinctGroups.first { $0.contains(.hostRunning) } ?? []
            #expect(!hostStates.isEmpty)
            for role in hostStates {
                #expect(plain[role] == Theme.builtInMono[role], "\(role.rawValue)")
            }
            #expect(contrastViolations(plain) == [])
        }

        /// Bold on almost every host state: mono's attributes are added, and bold stays only on
        /// the states where it makes no two alike.
        @Test func ownAttributesStayWhereTheyCollideWithNothing() throws {
            let text = """
                host-connecting = cyan bold
                host-running = green bold
                host-exited-ok = green
                host-exited-failed = red bold
                host-lost = yellow bold
                host-failed = red bold
                host-skipped = white
                """
            let plain = try Theme.parse(text, name: "bold", file: "bold.theme").withoutColors()
            #expect(plain[.hostConnecting] == ThemeStyle(attributes: [.bold, .dim, .underline]))
            #expect(plain[.hostRunning] == ThemeStyle())
            #expect(plain[.hostExitedOk] == ThemeStyle(attributes: .dim))
            #expect(plain[.hostExitedFailed] == ThemeStyle(attributes: [.bold, .underline]))
            #expect(plain[.hostLost] == ThemeStyle(attributes: .underline))
            #expect(plain[.hostFailed] == ThemeStyle(attributes: .bold))
            #expect(plain[.hostSkipped] == ThemeStyle(attributes: [.dim, .italic]))
            #expect(contrastViolations(plain) == [])
        }
    }
}
