// Every dashboard key binding, as one table: the help overlay and docs/dashboard.md are made
// from it, so they cannot drift from what the keys do.
//
// Precedence: an open overlay or prompt takes every key; otherwise, in input mode, keys go to
// the target hosts except the prefix key, which always reaches the dashboard and makes the
// next key a command. Scroll mode takes its own keys until it is left.

public enum DashboardAction: Sendable, Equatable {
    case selectPrevious, selectNext
    case toggleTag, tagAll, untagAll, invertTags
    case targetAll, targetSelected, targetTagged
    case toggleZoom
    case enterScroll, lineUp, lineDown, pageUp, pageDown, oldest, newest, leaveScroll
    case search, searchOlder, searchNewer
    case reconnect, newCommand, closeInput
    case help, quit, sendPrefix, cancel
}

public struct KeyBinding: Sendable {
    public enum Mode: String, Sendable {
        /// After the prefix key, one command.
        case command
        /// Browsing a host's scrollback.
        case scroll
    }

    public var keys: [KeyPress]
    public var mode: Mode
    public var action: DashboardAction
    public var summary: String
}

public enum KeyMap {
    public static let defaultPrefix = KeyPress.control("]")

    public static let bindings: [KeyBinding] = [
        KeyBinding(
            keys: [.up, .character("k")], mode: .command, action: .selectPrevious, summary: "select the previous host"),
        KeyBinding(
            keys: [.down, .character("j"), .tab], mode: .command, action: .selectNext, summary: "select the next host"),
        KeyBinding(
            keys: [.character("t")], mode: .command, action: .toggleTag, summary: "tag or untag the selected host"),
        KeyBinding(keys: [.character("T")], mode: .command, action: .tagAll, summary: "tag every host"),
        KeyBinding(keys: [.character("u")], mode: .command, action: .untagAll, summary: "untag every host"),
        KeyBinding(keys: [.character("i")], mode: .command, action: .invertTags, summary: "invert the tags"),
        KeyBinding(
            keys: [.character("a")], mode: .command, action: .targetAll, summary: "type to ALL hosts (broadcast)"),
        KeyBinding(
            keys: [.character("s")], mode: .command, action: .targetSelected, summary: "type to the selected host only"),
        KeyBinding(keys: [.character("g")], mode: .command, action: .targetTagged, summary: "type to the tagged hosts"),
        KeyBinding(
            keys: [.character("z")], mode: .command, action: .toggleZoom,
            summary: "zoom the selected host / back to the grid"),
        KeyBinding(
            keys: [.pageUp, .character("[")], mode: .command, action: .enterScroll,
            summary: "scroll back through the selected host's output"),
        KeyBinding(
            keys: [.character("/")], mode: .command, action: .search,
            summary: "search the selected host's output (towards older)"),
        KeyBinding(keys: [.character("n")], mode: .command, action: .searchOlder, summary: "next match (older)"),
        KeyBinding(keys: [.character("N")], mode: .command, action: .searchNewer, summary: "previous match (newer)"),
        KeyBinding(
            keys: [.character("r")], mode: .command, action: .reconnect,
            summary: "reconnect: run the command again on tagged, else selected"),
        KeyBinding(
            keys: [.character("c")], mode: .command, action: .newCommand,
            summary: "run a new command on tagged, else selected hosts"),
        KeyBinding(
            keys: [.character("d")], mode: .command, action: .closeInput,
            summary: "close stdin (EOF) of the target hosts"),
        KeyBinding(keys: [.character("?")], mode: .command, action: .help, summary: "this help"),
        KeyBinding(keys: [.character("q")], mode: .command, action: .quit, summary: "quit (asks while commands run)"),
        KeyBinding(
            keys: [defaultPrefix], mode: .command, action: .sendPrefix,
            summary: "send the prefix key itself to the target"),
        KeyBinding(keys: [.escape], mode: .command, action: .cancel, summary: "back to typing"),
        KeyBinding(keys: [.up, .character("k")], mode: .scroll, action: .lineUp, summary: "one line older"),
        KeyBinding(keys: [.down, .character("j")], mode: .scroll, action: .lineDown, summary: "one line newer"),
        KeyBinding(keys: [.pageUp, .character("b")], mode: .scroll, action: .pageUp, summary: "one page older"),
        KeyBinding(keys: [.pageDown, .character(" ")], mode: .scroll, action: .pageDown, summary: "one page newer"),
        KeyBinding(keys: [.home, .character("g")], mode: .scroll, action: .oldest, summary: "oldest line"),
        KeyBinding(
            keys: [.end, .character("G")], mode: .scroll, action: .newest,
            summary: "newest line, following output again"),
        KeyBinding(keys: [.character("/")], mode: .scroll, action: .search, summary: "search towards older output"),
        KeyBinding(keys: [.character("n")], mode: .scroll, action: .searchOlder, summary: "next match (older)"),
        KeyBinding(keys: [.character("N")], mode: .scroll, action: .searchNewer, summary: "previous match (newer)"),
        KeyBinding(
            keys: [.character("q"), .escape], mode: .scroll, action: .leaveScroll, summary: "leave scroll mode"),
    ]

    /// The action bound to `key` in `mode`; the prefix may be configured, so it is matched apart.
    public static func action(for key: KeyPress, in mode: KeyBinding.Mode, prefix: KeyPress) -> DashboardAction? {
        if mode == .command && key == prefix { return .sendPrefix }
        return bindings.first { $0.mode == mode && $0.keys.contains(key) && $0.action != .sendPrefix }?.action
    }

    /// Help text lines: "KEYS  what it does", grouped by mode.
    public static func helpLines(prefix: KeyPress) -> [String] {
        var lines = ["Type to send keys to the target hosts. Press \(prefix), then:"]
        for mode in [KeyBinding.Mode.command, .scroll] {
            if mode == .scroll { lines += ["", "In scroll mode:"] }
            for binding in bindings where binding.mode == mode {
                let keys = binding.action == .sendPrefix ? [prefix] : binding.keys
                let names = keys.map(\.description).joined(separator: " ")
                lines.append("  " + names + String(repeating: " ", count: max(1, 14 - names.count)) + binding.summary)
            }
        }
        return lines
    }
}
