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
            keys: [.up, .character("k")], mode: .command, action: .selectPrevious, summary: "previous host"),
        KeyBinding(
            keys: [.down, .character("j"), .tab], mode: .command, action: .selectNext, summary: "next host"),
        KeyBinding(
            keys: [.character("t")], mode: .command, action: .toggleTag, summary: "tag / untag selected"),
        KeyBinding(keys: [.character("T")], mode: .command, action: .tagAll, summary: "tag all hosts"),
        KeyBinding(keys: [.character("u")], mode: .command, action: .untagAll, summary: "untag all hosts"),
        KeyBinding(keys: [.character("i")], mode: .command, action: .invertTags, summary: "invert tags"),
        KeyBinding(
            keys: [.character("a")], mode: .command, action: .targetAll, summary: "type to ALL (broadcast)"),
        KeyBinding(
            keys: [.character("s")], mode: .command, action: .targetSelected, summary: "type to selected only"),
        KeyBinding(keys: [.character("g")], mode: .command, action: .targetTagged, summary: "type to tagged hosts"),
        KeyBinding(
            keys: [.character("z")], mode: .command, action: .toggleZoom,
            summary: "zoom selected / grid"),
        KeyBinding(
            keys: [.pageUp, .character("[")], mode: .command, action: .enterScroll,
            summary: "scroll back (history)"),
        KeyBinding(
            keys: [.character("/")], mode: .command, action: .search,
            summary: "search older output"),
        KeyBinding(keys: [.character("n")], mode: .command, action: .searchOlder, summary: "next match (older)"),
        KeyBinding(keys: [.character("N")], mode: .command, action: .searchNewer, summary: "previous match (newer)"),
        KeyBinding(
            keys: [.character("r")], mode: .command, action: .reconnect,
            summary: "rerun on tagged/selected"),
        KeyBinding(
            keys: [.character("c")], mode: .command, action: .newCommand,
            summary: "new command on target"),
        KeyBinding(
            keys: [.character("d")], mode: .command, action: .closeInput,
            summary: "close stdin of target"),
        KeyBinding(keys: [.character("?")], mode: .command, action: .help, summary: "this help"),
        KeyBinding(keys: [.character("q")], mode: .command, action: .quit, summary: "quit (asks if running)"),
        KeyBinding(
            keys: [defaultPrefix], mode: .command, action: .sendPrefix,
            summary: "send the prefix key"),
        KeyBinding(keys: [.escape], mode: .command, action: .cancel, summary: "back to typing"),
        KeyBinding(keys: [.up, .character("k")], mode: .scroll, action: .lineUp, summary: "line older"),
        KeyBinding(keys: [.down, .character("j")], mode: .scroll, action: .lineDown, summary: "line newer"),
        KeyBinding(keys: [.pageUp, .character("b")], mode: .scroll, action: .pageUp, summary: "page older"),
        KeyBinding(keys: [.pageDown, .character(" ")], mode: .scroll, action: .pageDown, summary: "page newer"),
        KeyBinding(keys: [.home, .character("g")], mode: .scroll, action: .oldest, summary: "oldest line"),
        KeyBinding(
            keys: [.end, .character("G")], mode: .scroll, action: .newest,
            summary: "newest, follow output"),
        KeyBinding(keys: [.character("/")], mode: .scroll, action: .search, summary: "search older output"),
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
        var lines = ["Keys go to the target;", "\(prefix) then:"]
        for mode in [KeyBinding.Mode.command, .scroll] {
            if mode == .scroll { lines += ["", "In scroll mode:"] }
            for binding in bindings where binding.mode == mode {
                let keys = binding.action == .sendPrefix ? [prefix] : binding.keys
                let names = keys.map(\.description).joined(separator: " ")
                lines.append(" " + names + String(repeating: " ", count: max(1, 12 - names.count)) + binding.summary)
            }
        }
        return lines
    }

    /// The key table of docs/dashboard.md (a test keeps the file equal to this).
    public static func markdownTable(prefix: KeyPress = defaultPrefix) -> String {
        var rows = ["| mode | keys | action |", "|---|---|---|"]
        for binding in bindings {
            let keys = (binding.action == .sendPrefix ? [prefix] : binding.keys).map { "`\($0)`" }
            let mode = binding.mode == .command ? "after \(prefix)" : "scroll"
            rows.append("| \(mode) | \(keys.joined(separator: " ")) | \(binding.summary) |")
        }
        return rows.joined(separator: "\n") + "\n"
    }
}
