// DashboardController, key by key, with no terminal: typing edits a local line that Enter sends
// to the receiving hosts; the prefix key makes the next key a command and always returns to
// input mode; prompts, scroll mode, help and the quit question each take their own keys. Each
// test checks both the commands returned for the shell and the mode and model afterwards.

import DistRunClient
import DistRunDashboardModel
import DistRunTUI
import Testing

struct DashboardControllerTests {
    static let prefix = KeyMap.defaultPrefix

    static func controller(_ dashboard: Dashboard = Fixture.running(3), prefix: KeyPress = prefix) -> KeyDriver {
        KeyDriver(dashboard, prefix: prefix, viewHeight: 10)
    }

    /// Host 0 has printed 100 lines, every tenth from line 3 saying "needle", then 20 more, so
    /// that every match has scrolled off its 10-row screen into the scrollback.
    static func withHistory() -> KeyDriver {
        var dashboard = Fixture.running(2)
        dashboard.output(0, Fixture.lines(100) { $0 % 10 == 3 ? "needle \($0)" : "hay \($0)" })
        dashboard.output(0, Fixture.lines(20) { "tail \($0)" })
        return controller(dashboard)
    }

    // MARK: Input mode

    @Test func typingBuildsTheLineAndEnterSendsItToEveryReceiver() {
        let controller = Self.controller()
        #expect(controller.type("ls -l").isEmpty)
        #expect(controller.editLine == "ls -l")
        #expect(controller.press(.enter) == [.send("ls -l\n", to: [0, 1, 2])])
        #expect(controller.editLine == "")
        #expect(controller.type("q\n") == [.send("q\n", to: [0, 1, 2])], "in input mode q is text, LF is Enter")
    }

    @Test func backspaceAndControlUEditTheLine() {
        let controller = Self.controller()
        controller.type("abcd")
        controller.press(.backspace)
        #expect(controller.editLine == "abc")
        controller.press(.character("\u{7F}"), .character("\u{8}"))
        #expect(controller.editLine == "a")
        controller.press(.backspace, .backspace)
        #expect(controller.editLine == "")
        controller.type("hello")
        controller.press(.control("u"))
        #expect(controller.editLine == "")
        #expect(controller.press(.enter) == [.send("\n", to: [0, 1, 2])])
    }

    @Test func enterSkipsHostsThatAreNotRunningAndSaysSo() {
        let controller = Self.controller(Fixture.dashboard([.running, Fixture.exitedOk, .running]))
        controller.type("date")
        #expect(controller.press(.enter) == [.send("date\n", to: [0, 2])])
        #expect(controller.message == "skipped 1 not running: web-2")
        #expect(controller.dashboard.hosts[1].skippedLastInput)
    }

    @Test func controlDOnAnEmptyLineClosesInput() {
        let controller = Self.controller()
        controller.type("x")
        #expect(controller.press(.control("d")).isEmpty, "C-d with text typed does nothing")
        #expect(controller.editLine == "x")
        controller.press(.backspace)
        #expect(controller.press(.control("d")) == [.closeInput([0, 1, 2])])
        #expect(controller.message == "closed stdin of 3 host(s)")
    }

    // MARK: The prefix key and commands

    @Test func prefixThenCommandKeyActsAndReturnsToInput() {
        let controller = Self.controller()
        #expect(controller.press(Self.prefix).isEmpty)
        #expect(controller.mode == .command)
        #expect(controller.editLine == "")
        controller.press(.character("s"))
        #expect(controller.mode == .input)
        #expect(controller.dashboard.target == .selected)
        controller.press(Self.prefix, .character("j"), Self.prefix, .character("t"), Self.prefix, .character("g"))
        #expect(controller.dashboard.selected == 1)
        #expect(controller.dashboard.taggedHosts == [1])
        #expect(controller.dashboard.target == .tagged)
        controller.press(Self.prefix, .character("i"))
        #expect(controller.dashboard.taggedHosts == [0, 2])
        controller.press(Self.prefix, .character("T"))
        #expect(controller.dashboard.taggedHosts == [0, 1, 2])
        controller.press(Self.prefix, .character("u"), Self.prefix, .up)
        #expect(controller.dashboard.taggedHosts.isEmpty)
        #expect(controller.dashboard.selected == 0)
        controller.press(Self.prefix, .character("z"))
        #expect(controller.dashboard.layout == .zoom)
        controller.press(Self.prefix, .character("a"), Self.prefix, .character("z"))
        #expect(controller.dashboard.target == .all)
        #expect(controller.dashboard.layout == .grid)
        #expect(controller.mode == .input)
        #expect(controller.editLine == "", "command keys are never typed into the line")
    }

    @Test func targetingTaggedWithNothingTaggedWarns() {
        let controller = Self.controller()
        controller.press(Self.prefix, .character("g"))
        #expect(controller.message?.contains("no host is tagged") == true)
    }

    @Test func prefixTwiceSendsThePrefixByte() {
        let controller = Self.controller()
        #expect(controller.press(Self.prefix, Self.prefix) == [.send("\u{1D}", to: [0, 1, 2])])
        #expect(controller.mode == .input)
    }

    @Test func aCustomPrefixReplacesTheDefault() {
        let controller = Self.controller(prefix: .control("g"))
        controller.press(.control("]"))
        #expect(controller.mode == .input, "C-] is no longer special")
        controller.press(.control("g"), .character("s"))
        #expect(controller.dashboard.target == .selected)
        #expect(controller.press(.control("g"), .control("g")) == [.send("\u{7}", to: [0])])
        controller.press(.control("g"), .control("]"))
        #expect(controller.message?.contains("not bound") == true, "the default prefix is not a command either")
    }

    @Test func anUnboundCommandKeyLeavesAMessageUntilTheNextKey() {
        let controller = Self.controller()
        #expect(controller.press(Self.prefix, .character("x")).isEmpty)
        #expect(controller.mode == .input)
        #expect(controller.message == "C-] x is not bound; C-] ? lists the keys")
        controller.type("a")
        #expect(controller.message == nil)
        #expect(controller.editLine == "a")
    }

    @Test func escapeCancelsTheCommand() {
        let controller = Self.controller()
        #expect(controller.press(Self.prefix, .escape).isEmpty)
        #expect(controller.mode == .input)
    }

    // MARK: Quit, help

    @Test func quitAsksWhileHostsRun() {
        let controller = Self.controller(Fixture.dashboard([.running, Fixture.exitedOk]))
        #expect(controller.press(Self.prefix, .character("q")).isEmpty)
        #expect(controller.mode == .confirmQuit)
        #expect(controller.press(.character("n")).isEmpty)
        #expect(controller.mode == .input)
        controller.press(Self.prefix, .character("q"))
        #expect(controller.press(.character("y")) == [.quit])
    }

    @Test func quitWithNothingRunningQuitsAtOnce() {
        let controller = Self.controller(Fixture.dashboard([Fixture.exitedOk, Fixture.lost]))
        #expect(controller.press(Self.prefix, .character("q")) == [.quit])
    }

    @Test func helpOpensAndAnyKeyClosesItWithoutSendingTheKey() {
        let controller = Self.controller()
        controller.press(Self.prefix, .character("?"))
        #expect(controller.mode == .help)
        #expect(controller.press(.character("x")).isEmpty)
        #expect(controller.mode == .input)
        #expect(controller.editLine == "")
    }

    @Test func resizeChangesNothing() {
        let controller = Self.controller()
        controller.press(Self.prefix)
        #expect(controller.press(.resize).isEmpty)
        #expect(controller.mode == .command)
    }

    // MARK: Prompts

    @Test func newCommandPromptRunsTheLine() {
        let controller = Self.controller()
        controller.press(Self.prefix, .character("s"), Self.prefix, .character("c"))
        #expect(controller.mode == .prompt(.newCommand))
        controller.type("uptimex")
        controller.press(.backspace)
        #expect(controller.press(.enter) == [.run(["sh", "-c", "uptime"], on: [0])])
        #expect(controller.mode == .input)
        controller.press(Self.prefix, .character("c"))
        #expect(controller.type("  ").isEmpty)
        #expect(controller.press(.enter).isEmpty, "a blank command runs nothing")
    }

    @Test func newCommandRunsOnTheTypingTarget() {
        let controller = Self.controller()
        controller.press(Self.prefix, .character("j"), Self.prefix, .character("t"), Self.prefix, .character("k"))
        // Target is ALL (the issue: "start a new command on the target hosts"), though host 1 is tagged.
        controller.press(Self.prefix, .character("c"))
        controller.type("reboot")
        #expect(controller.press(.enter) == [.run(["sh", "-c", "reboot"], on: [0, 1, 2])])
        controller.press(Self.prefix, .character("g"))
        controller.press(Self.prefix, .character("c"))
        controller.type("reboot")
        #expect(controller.press(.enter) == [.run(["sh", "-c", "reboot"], on: [1])])
    }

    @Test func rerunActsOnTaggedElseSelected() {
        let controller = Self.controller()
        controller.press(Self.prefix, .character("j"))
        #expect(controller.press(Self.prefix, .character("r")) == [.rerun([1])])
        controller.press(Self.prefix, .character("T"))
        #expect(controller.press(Self.prefix, .character("r")) == [.rerun([0, 1, 2])])
    }

    @Test func escapeLeavesAPromptWithoutActing() {
        let controller = Self.controller()
        controller.press(Self.prefix, .character("c"))
        controller.type("rm -rf /tmp/x")
        #expect(controller.press(.escape).isEmpty)
        #expect(controller.mode == .input)
        #expect(controller.editLine == "")
    }

    @Test func aPromptTakesThePrefixKeyToo() {
        let controller = Self.controller()
        controller.press(Self.prefix, .character("/"))
        controller.press(Self.prefix)
        #expect(controller.mode == .prompt(.search))
    }

    @Test func searchPromptEntersScrollModeAtTheMatch() throws {
        let controller = Self.withHistory()
        controller.press(Self.prefix, .character("/"))
        #expect(controller.mode == .prompt(.search))
        controller.type("needle 4")
        #expect(controller.press(.enter).isEmpty)
        #expect(controller.mode == .scroll)
        #expect(try #require(controller.dashboard.searchMatch).match.line == 43)
        #expect(controller.dashboard.isScrolledBack)
        controller.press(.character("n"))
        #expect(controller.dashboard.searchMatch?.match.line == 43, "no older 'needle 4'")
        #expect(controller.message == "no more matches for needle 4")
        #expect(controller.mode == .scroll)
    }

    @Test func searchNextAndPreviousStepThroughMatches() {
        let controller = Self.withHistory()
        controller.press(Self.prefix, .character("/"))
        controller.type("needle")
        controller.press(.enter)
        #expect(controller.dashboard.searchMatch?.match.line == 93)
        controller.press(.character("n"), .character("n"))
        #expect(controller.dashboard.searchMatch?.match.line == 73)
        controller.press(.character("N"))
        #expect(controller.dashboard.searchMatch?.match.line == 83)
        controller.press(.escape)
        controller.press(Self.prefix, .character("n"))
        #expect(controller.mode == .scroll, "C-] n repeats the last search from input mode")
    }

    @Test func aSearchThatFindsNothingSaysSo() {
        let controller = Self.withHistory()
        controller.press(Self.prefix, .character("/"))
        controller.type("zebra")
        controller.press(.enter)
        #expect(controller.mode == .input)
        #expect(controller.message == "not found: zebra")
        #expect(!controller.dashboard.isScrolledBack)
        controller.press(Self.prefix, .character("N"))
        #expect(controller.message == "no more matches for zebra")
    }

    @Test func repeatingASearchBeforeAnyGivesAHint() {
        let controller = Self.withHistory()
        controller.press(Self.prefix, .character("n"))
        #expect(controller.mode == .input)
        #expect(controller.message == "no search yet: C-] / searches")
    }

    // MARK: Scroll mode

    @Test func scrollModeKeysMoveTheView() {
        let controller = Self.withHistory()
        let end = controller.dashboard.selectedHost.historyEnd
        var bottom: Int { controller.dashboard.selectedHost.bottomLine }
        controller.press(Self.prefix, .pageUp)
        #expect(controller.mode == .scroll)
        #expect(bottom == end - 10)
        controller.press(.character("k"))
        #expect(bottom == end - 11)
        controller.press(.down)
        #expect(bottom == end - 10)
        controller.press(.character("b"))
        #expect(bottom == end - 20)
        controller.press(.character(" "))
        #expect(bottom == end - 10)
        controller.press(.home)
        #expect(bottom == 10, "the oldest page")
        #expect(controller.press(.character("x")).isEmpty, "unbound keys are not sent while scrolling")
        #expect(controller.editLine == "")
        controller.press(.character("G"))
        #expect(controller.mode == .input)
        #expect(!controller.dashboard.isScrolledBack)
    }

    @Test func scrollingDownToTheEndReturnsToInput() {
        let controller = Self.withHistory()
        controller.press(Self.prefix, .character("["), .character("j"))
        #expect(controller.mode == .scroll)
        controller.press(.pageDown)
        #expect(controller.mode == .input)
        #expect(!controller.dashboard.isScrolledBack)
    }

    @Test(arguments: [KeyPress.escape, .character("q")])
    func leavingScrollModeFollowsLiveOutputAndClearsTheMatch(key: KeyPress) {
        let controller = Self.withHistory()
        controller.press(Self.prefix, .character("/"))
        controller.type("needle 2")
        controller.press(.enter)
        #expect(controller.mode == .scroll)
        #expect(controller.press(key).isEmpty)
        #expect(controller.mode == .input)
        #expect(!controller.dashboard.isScrolledBack)
        #expect(controller.dashboard.searchMatch == nil)
    }
}
