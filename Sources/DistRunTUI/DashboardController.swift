// The dashboard's behaviour, as a value type: takes a key, changes the model or the mode, and
// returns the commands the shell must carry out (send input, run, quit). No curses and no
// sockets here, so every key path is tested directly.
//
// Input goes out as a terminal would send it when the commands run on pseudo-terminals: key by
// key, each host's emulator encoding it for that program's modes. On pipes nothing echoes what
// is typed, so typing edits a local line, shown in the status bar, that goes out on Enter, and
// C-c becomes a SIGINT frame (a pipe has no terminal to turn it into a signal).

import DistRunClient
import DistRunDashboardModel
import DistRunWire
import NIOCore

public enum UIMode: Equatable {
    /// Keys go to the target hosts.
    case input
    /// The prefix key was pressed: the next key is a command.
    case command
    /// Browsing the selected host's scrollback.
    case scroll
    /// Reading a line of text for `purpose`.
    case prompt(PromptPurpose)
    case help
    case confirmQuit
}

public enum PromptPurpose: Equatable {
    case search
    case newCommand
}

/// What the shell does for the controller.
public enum ControllerCommand: Equatable {
    case send(ByteBuffer, to: [HostID])
    case signal(CommandSignal, to: [HostID])
    case closeInput([HostID])
    case run([String], on: [HostID])
    case rerun([HostID])
    case quit
}

public struct DashboardController {
    public var dashboard: Dashboard
    public private(set) var mode = UIMode.input
    public let prefix: KeyPress
    /// The line being typed for the target hosts (input mode) or the prompt's answer.
    public private(set) var editLine = ""
    /// A one-line note for the status bar, cleared by the next key.
    public private(set) var message: String?
    /// Rows of the selected pane's text, set by the shell after each layout (for paging).
    public var viewHeight = 10

    public init(dashboard: Dashboard, prefix: KeyPress = KeyMap.defaultPrefix) {
        self.dashboard = dashboard
        self.prefix = prefix
    }

    public mutating func handle(_ key: KeyPress) -> [ControllerCommand] {
        if key == .resize { return [] }
        message = nil
        switch mode {
        case .input: return dashboard.usesTerminals ? typedOnTerminals(key) : typed(key)
        case .command: return command(key)
        case .scroll: return scrolling(key)
        case .prompt(let purpose): return prompted(key, purpose)
        case .help:
            mode = .input
            return []
        case .confirmQuit:
            mode = .input
            return key == .character("y") || key == .character("Y") ? [.quit] : []
        }
    }

    // MARK: Input mode

    private mutating func typed(_ key: KeyPress) -> [ControllerCommand] {
        if key == prefix {
            mode = .command
            return []
        }
        switch key {
        case _ where key.isEnter:
            let line = editLine + "\n"
            editLine = ""
            return send(ByteBuffer(string: line))
        case _ where key.isBackspace:
            if !editLine.isEmpty { editLine.removeLast() }
        case .character("\u{15}"):  // C-u
            editLine = ""
        case .character("\u{4}") where editLine.isEmpty:  // C-d
            return closeInput()
        case .character("\u{3}"):  // C-c
            editLine = ""
            let (receivers, skipped) = dashboard.routeInput()
            noteSkipped(skipped)
            return receivers.isEmpty ? [] : [.signal(.INT, to: receivers)]
        case .character(let scalar) where scalar.value >= 0x20:
            editLine.unicodeScalars.append(scalar)
        default:
            break
        }
        return []
    }

    /// Each receiver's terminal encodes the key for its program's modes (application cursor
    /// keys, bracketed paste); receivers that agree on the bytes share one send.
    private mutating func typedOnTerminals(_ key: KeyPress) -> [ControllerCommand] {
        if key == prefix {
            mode = .command
            return []
        }
        guard let input = key.terminalInput else { return [] }
        let (receivers, skipped) = dashboard.routeInput()
        noteSkipped(skipped)
        var hostsByBytes: [[UInt8]: [HostID]] = [:]
        for id in receivers {
            let bytes: [UInt8]
            switch input {
            case .raw(let byte): bytes = [byte]
            case .key(let key, let modifiers): bytes = dashboard.hosts[id].terminal.encode(key, modifiers: modifiers)
            }
            hostsByBytes[bytes, default: []].append(id)
        }
        return hostsByBytes.sorted { $0.value[0] < $1.value[0] }.map { .send(ByteBuffer(bytes: $0.key), to: $0.value) }
    }

    private mutating func send(_ bytes: ByteBuffer) -> [ControllerCommand] {
        let (receivers, skipped) = dashboard.routeInput()
        noteSkipped(skipped)
        return receivers.isEmpty ? [] : [.send(bytes, to: receivers)]
    }

    private mutating func closeInput() -> [ControllerCommand] {
        let (receivers, skipped) = dashboard.routeInput()
        noteSkipped(skipped)
        if !receivers.isEmpty { message = "closed stdin of \(receivers.count) host(s)" }
        return receivers.isEmpty ? [] : [.closeInput(receivers)]
    }

    private mutating func noteSkipped(_ skipped: [HostID]) {
        if dashboard.targetedHosts.isEmpty { message = "no host is tagged: input went nowhere" }
        guard !skipped.isEmpty else { return }
        let names = skipped.prefix(5).map { dashboard.hosts[$0].endpoint.name }.joined(separator: " ")
        message = "skipped \(skipped.count) not running: \(names)\(skipped.count > 5 ? " …" : "")"
    }

    // MARK: Command mode

    private mutating func command(_ key: KeyPress) -> [ControllerCommand] {
        mode = .input
        guard let action = KeyMap.action(for: key, in: .command, prefix: prefix) else {
            message = "\(prefix) \(key) is not bound; \(prefix) ? lists the keys"
            return []
        }
        return perform(action)
    }

    private mutating func perform(_ action: DashboardAction) -> [ControllerCommand] {
        switch action {
        case .selectPrevious: dashboard.selectPrevious()
        case .selectNext: dashboard.selectNext()
        case .toggleTag: dashboard.toggleTag()
        case .tagAll: dashboard.tagAll()
        case .untagAll: dashboard.untagAll()
        case .invertTags: dashboard.invertTags()
        case .targetAll: dashboard.target = .all
        case .targetSelected: dashboard.target = .selected
        case .targetTagged:
            dashboard.target = .tagged
            if dashboard.taggedHosts.isEmpty { message = "no host is tagged yet: \(prefix) t tags one" }
        case .toggleZoom: dashboard.layout = dashboard.layout == .grid ? .zoom : .grid
        case .enterScroll:
            mode = .scroll
            dashboard.scroll(by: -viewHeight, viewHeight: viewHeight)
        case .search: startPrompt(.search)
        case .searchOlder, .searchNewer: repeatSearch(olderFirst: action == .searchOlder)
        case .reconnect: return [.rerun(dashboard.actionHosts)]
        case .newCommand: startPrompt(.newCommand)
        case .closeInput: return closeInput()
        case .help: mode = .help
        case .quit:
            if dashboard.activeHosts.isEmpty { return [.quit] }
            mode = .confirmQuit
        case .sendPrefix: return send(ByteBuffer(string: String(prefixCharacter)))
        case .cancel, .leaveScroll: leaveScroll()
        case .lineUp, .lineDown, .pageUp, .pageDown, .oldest, .newest: scroll(action)
        }
        return []
    }

    private var prefixCharacter: Character {
        if case .character(let scalar) = prefix { return Character(scalar) }
        return "\u{0}"
    }

    // MARK: Scroll mode

    private mutating func scrolling(_ key: KeyPress) -> [ControllerCommand] {
        guard let action = KeyMap.action(for: key, in: .scroll, prefix: prefix) else { return [] }
        return perform(action)
    }

    private mutating func scroll(_ action: DashboardAction) {
        switch action {
        case .lineUp: dashboard.scroll(by: -1, viewHeight: viewHeight)
        case .lineDown: dashboard.scroll(by: 1, viewHeight: viewHeight)
        case .pageUp: dashboard.scroll(by: -viewHeight, viewHeight: viewHeight)
        case .pageDown: dashboard.scroll(by: viewHeight, viewHeight: viewHeight)
        case .oldest: dashboard.scrollToOldest(viewHeight: viewHeight)
        default: dashboard.followLiveOutput()
        }
        mode = dashboard.isScrolledBack ? .scroll : .input
    }

    private mutating func leaveScroll() {
        dashboard.followLiveOutput()
        dashboard.clearSearch()
        mode = .input
    }

    // MARK: Prompts

    private mutating func startPrompt(_ purpose: PromptPurpose) {
        mode = .prompt(purpose)
        editLine = ""
    }

    private mutating func prompted(_ key: KeyPress, _ purpose: PromptPurpose) -> [ControllerCommand] {
        switch key {
        case .escape:
            mode = dashboard.isScrolledBack ? .scroll : .input
            editLine = ""
        case _ where key.isEnter:
            let answer = editLine
            editLine = ""
            mode = .input
            return submit(answer, purpose)
        case _ where key.isBackspace:
            if !editLine.isEmpty { editLine.removeLast() }
        case .character(let scalar) where scalar.value >= 0x20:
            editLine.unicodeScalars.append(scalar)
        default:
            break
        }
        return []
    }

    private mutating func submit(_ answer: String, _ purpose: PromptPurpose) -> [ControllerCommand] {
        switch purpose {
        case .search:
            if dashboard.search(answer, olderFirst: true, viewHeight: viewHeight) {
                mode = .scroll
            } else {
                mode = dashboard.isScrolledBack ? .scroll : .input
                if !answer.isEmpty { message = "not found: \(answer)" }
            }
            return []
        case .newCommand:
            guard answer.contains(where: { !$0.isWhitespace }) else { return [] }
            return [.run(["sh", "-c", answer], on: dashboard.targetedHosts)]
        }
    }

    private mutating func repeatSearch(olderFirst: Bool) {
        if dashboard.searchAgain(olderFirst: olderFirst, viewHeight: viewHeight) {
            mode = .scroll
        } else {
            message = dashboard.searchQuery.map { "no more matches for \($0)" } ?? "no search yet: \(prefix) / searches"
        }
    }
}
