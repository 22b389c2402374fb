// Key names and the key table. KeyPress names are what help, docs and --prefix use ("C-]",
// "PgUp", "F5"), and `init(name:)` reads back every name it is documented to read. The table
// binds no key twice in one mode, `action(for:)` finds every binding (the prefix matched apart,
// so a custom prefix works), and the help lists every action with its keys.

import DistRunTUI
import Testing

struct KeyMapTests {
    // MARK: KeyPress names

    @Test func keysHaveTheirConventionalNames() {
        #expect(KeyMap.defaultPrefix == .character("\u{1D}"))
        #expect(KeyMap.defaultPrefix.description == "C-]")
        #expect(KeyPress.control("g").description == "C-G")
        #expect(KeyPress.control("a") == .character("\u{1}"))
        #expect(KeyPress.pageUp.description == "PgUp")
        #expect(KeyPress.pageDown.description == "PgDn")
        #expect(KeyPress.function(5).description == "F5")
        #expect(KeyPress.enter.description == "Enter")
        #expect(KeyPress.character("\n").description == "Enter")
        #expect(KeyPress.escape.description == "Esc")
        #expect(KeyPress.tab.description == "Tab")
        #expect(KeyPress.character(" ").description == "Space")
        #expect(KeyPress.character("\u{7F}").description == "Backspace")
        #expect(KeyPress.character("q").description == "q")
    }

    @Test func namesParseAsDocumented() {
        #expect(KeyPress(name: "C-]") == KeyMap.defaultPrefix)
        #expect(KeyPress(name: "C-g") == .character("\u{7}"))
        #expect(KeyPress(name: "C-G") == .character("\u{7}"))
        #expect(KeyPress(name: "F5") == .function(5))
        #expect(KeyPress(name: "F12") == .function(12))
        #expect(KeyPress(name: "x") == .character("x"))
        for bad in ["", "F0", "F13", "Fx", "C-", "C-ab", "ctrl-a"] {
            #expect(KeyPress(name: bad) == nil, "\(bad.debugDescription) should not parse")
        }
    }

    /// Every key `init(name:)` is meant to read: control characters whose name is "C-x", F1–F12
    /// and printable ASCII other than space.
    static let nameableKeys: [KeyPress] =
        (0x00...0x1F).filter { ![0x09, 0x0A, 0x0D, 0x1B].contains($0) }.map { .character(Unicode.Scalar(UInt8($0))) }
        + (1...12).map { .function($0) }
        + (0x21...0x7E).map { .character(Unicode.Scalar(UInt8($0))) }

    @Test(arguments: nameableKeys)
    func namesRoundTrip(key: KeyPress) {
        #expect(KeyPress(name: key.description) == key, "\(key) does not read back")
    }

    @Test func aControlNameOfANonControlKeyIsRejected() {
        // `control(_:)` is documented for letters and @[\]^_ only; "C-1" masks '1' (0x31) to 0x11,
        // which is C-Q, a key many terminals swallow for flow control.
        #expect(KeyPress(name: "C-1") == nil, "got \(String(describing: KeyPress(name: "C-1")))")

    }

    // MARK: The table

    @Test(arguments: [KeyBinding.Mode.command, .scroll])
    func noKeyIsBoundTwiceInAMode(mode: KeyBinding.Mode) {
        var seen: [KeyPress: DashboardAction] = [:]
        for binding in KeyMap.bindings where binding.mode == mode {
            for key in binding.keys {
                #expect(seen[key] == nil, "\(key) bound to \(seen[key].map { "\($0)" } ?? "") and \(binding.action)")
                seen[key] = binding.action
            }
        }
    }

    @Test func everyBoundKeyFindsItsAction() {
        for binding in KeyMap.bindings where binding.action != .sendPrefix {
            for key in binding.keys {
                #expect(KeyMap.action(for: key, in: binding.mode, prefix: KeyMap.defaultPrefix) == binding.action)
            }
        }
        #expect(KeyMap.action(for: .character("x"), in: .command, prefix: KeyMap.defaultPrefix) == nil)
        #expect(KeyMap.action(for: .character("j"), in: .scroll, prefix: KeyMap.defaultPrefix) == .lineDown)
        #expect(KeyMap.action(for: .character("j"), in: .command, prefix: KeyMap.defaultPrefix) == .selectNext)
    }

    @Test func thePrefixIsMatchedApart() {
        let custom = KeyPress.control("a")
        #expect(KeyMap.action(for: KeyMap.defaultPrefix, in: .command, prefix: KeyMap.defaultPrefix) == .sendPrefix)
        #expect(KeyMap.action(for: custom, in: .command, prefix: custom) == .sendPrefix)
        #expect(KeyMap.action(for: KeyMap.defaultPrefix, in: .command, prefix: custom) == nil)
        #expect(KeyMap.action(for: custom, in: .scroll, prefix: custom) == nil)
    }

    /// Every action; the switch fails to compile when one is added, so this list stays whole.
    static let allActions: [DashboardAction] = {
        let all: [DashboardAction] = [
            .selectPrevious, .selectNext, .toggleTag, .tagAll, .untagAll, .invertTags, .targetAll, .targetSelected,
            .targetTagged, .toggleZoom, .enterScroll, .lineUp, .lineDown, .pageUp, .pageDown, .oldest, .newest,
            .leaveScroll, .search, .searchOlder, .searchNewer, .reconnect, .newCommand, .closeInput, .help, .quit,
            .sendPrefix, .cancel,
        ]
        for action in all {
            switch action {
            case .selectPrevious, .selectNext, .toggleTag, .tagAll, .untagAll, .invertTags, .targetAll,
                .targetSelected, .targetTagged, .toggleZoom, .enterScroll, .lineUp, .lineDown, .pageUp, .pageDown,
                .oldest, .newest, .leaveScroll, .search, .searchOlder, .searchNewer, .reconnect, .newCommand,
                .closeInput, .help, .quit, .sendPrefix, .cancel:
                break
            }
        }
        return all
    }()

    @Test func everyActionIsBoundAndListedInHelpWithItsKeys() {
        let prefix = KeyPress.control("g")
        let help = KeyMap.helpLines(prefix: prefix)
        #expect(help.contains { $0.contains("C-G") }, "the help names the configured prefix")
        for action in Self.allActions {
            let bindings = KeyMap.bindings.filter { $0.action == action }
            #expect(!bindings.isEmpty, "\(action) has no key")
            for binding in bindings {
                let keys = binding.action == .sendPrefix ? [prefix] : binding.keys
                let line = help.first { $0.hasSuffix(binding.summary) && $0.count > binding.summary.count }
                #expect(line != nil, "help lacks \(action): \(binding.summary)")
                for key in keys {
                    #expect(line?.contains(key.description) == true, "help line for \(action) lacks \(key)")
                }
            }
        }
    }
}
