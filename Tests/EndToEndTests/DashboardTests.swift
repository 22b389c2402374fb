// The real dashboard binary inside tmux, against real agents: what a person sees and types.

import Foundation
import Testing

private let prefix = "C-]"

/// Occurrences of `text` on `screen`.
private func count(_ text: String, in screen: String) -> Int { screen.components(separatedBy: text).count - 1 }

@Suite struct DashboardTests {
    @Test func hostStatesFollowTheAgentsAndALostHostDoesNotStopTheOthers() throws {
        let (one, two) = (try TestAgent(), try TestAgent())
        let scratch = try Scratch()
        let hosts = try scratch.write(
            "hosts.conf", one.hostsLine(name: "alpha") + "\n" + two.hostsLine(name: "beta") + "\n")
        let tmux = try TmuxSession(
            command: TmuxSession.dashboard(
                "--insecure-no-auth -H '\(hosts)' -- bash -c 'for i in $(seq 1 100000); do echo tick-$i; sleep 0.1; done'"
            ))
        try tmux.waitFor("both hosts running") { $0.contains("2 running") }
        one.child.kill(SIGKILL)
        try tmux.waitFor("alpha lost, beta still running") { $0.contains("1 running · 1 lost") }
        let before = tmux.screen()
        try tmux.waitFor("beta keeps streaming") { $0 != before && $0.contains("tick-") }
    }

    @Test func broadcastTypingReachesEveryHost() throws {
        let tmux = try TmuxSession(command: TmuxSession.dashboard("--local 3"))
        try tmux.waitFor(text: "3 running")
        try tmux.waitFor(text: "→ ALL 3")
        try tmux.type("echo hi-$((6*7))")
        try tmux.press("Enter")
        try tmux.waitFor("hi-42 in all three panes") { count("hi-42", in: $0) == 3 }
    }

    @Test func typingWithOneHostSelectedReachesOnlyThatHost() throws {
        let tmux = try TmuxSession(command: TmuxSession.dashboard("--local 3"))
        try tmux.waitFor(text: "3 running")
        try tmux.press(prefix, "j")
        try tmux.press(prefix, "s")
        try tmux.waitFor(text: "→ local-2")
        try tmux.type("echo only-$((40+2))")
        try tmux.press("Enter")
        try tmux.waitFor("only-42 once") { count("only-42", in: $0) == 1 }
        try tmux.type("echo again-$((40+2))")
        try tmux.press("Enter")
        try tmux.waitFor(text: "again-42")
        #expect(count("only-42", in: tmux.screen()) == 1)
    }

    @Test func typingToTaggedHostsReachesExactlyThem() throws {
        let tmux = try TmuxSession(command: TmuxSession.dashboard("--local 4"))
        try tmux.waitFor(text: "4 running")
        try tmux.press(prefix, "j")
        try tmux.press(prefix, "t")
        try tmux.press(prefix, "j")
        try tmux.press(prefix, "j")
        try tmux.press(prefix, "t")
        try tmux.press(prefix, "g")
        try tmux.waitFor(text: "→ 2 tagged")
        try tmux.type("echo tagged-$((1+1))")
        try tmux.press("Enter")
        try tmux.waitFor("tagged-2 twice") { count("tagged-2", in: $0) == 2 }
    }

    @Test func searchingTheScrollbackFindsALineFiveThousandLinesBack() throws {
        let tmux = try TmuxSession(
            command: TmuxSession.dashboard("--local 1 -- bash -c 'seq 1 6000 | sed s/^/row-/; sleep 600'"))
        try tmux.waitFor(text: "row-6000")
        try tmux.press(prefix, "/")
        try tmux.type("row-1000")
        try tmux.press("Enter")
        // The prompt showed the query in the status bar; scroll mode replaces it.
        try tmux.waitFor(text: "SCROLL")
        let screen = tmux.screen()
        #expect(screen.contains("│row-1000"))
        #expect(!screen.contains("row-6000"), "the view moved back from the newest line")
        #expect(screen.contains("more below"))
        try tmux.press("q")
        try tmux.waitFor(text: "row-6000")
    }

    @Test func resizingFrom80x24To200x60KeepsTheOutput() throws {
        let tmux = try TmuxSession(command: TmuxSession.dashboard("--local 2"), width: 80, height: 24)
        try tmux.waitFor(text: "2 running")
        try tmux.type("echo kept-$((3*3))")
        try tmux.press("Enter")
        try tmux.waitFor("kept-9 twice") { count("kept-9", in: $0) == 2 }
        try tmux.resize(width: 200, height: 60)
        try tmux.waitFor("a 200x60 layout with the output") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.count >= 60 && count("kept-9", in: screen) == 2
                && lines.last { !$0.isEmpty }?.contains("INPUT") == true
        }
    }

    @Test func quittingRestoresTheTerminalAndPrintsASummary() throws {
        let tmux = try TmuxSession(command: TmuxSession.dashboard("--local 2"))
        try tmux.waitFor(text: "2 running")
        try tmux.press(prefix, "q")
        try tmux.waitFor(text: "still running. Quit")
        try tmux.press("y")
        try tmux.waitFor(text: "DISTRUN-EXIT=0")
        let screen = tmux.screen()
        #expect(screen.contains("local-1  cancelled: dashboard closed") || screen.contains("local-1  "))
        #expect(!screen.contains("INPUT"), "the full screen is gone")
    }

    @Test func sigtermRestoresTheTerminal() throws {
        // An unusual --scrollback marks this test's dashboard among those of parallel tests.
        let tmux = try TmuxSession(command: TmuxSession.dashboard("--local 1 --scrollback 4321"))
        try tmux.waitFor(text: "1 running")
        let pids = processes(matching: "distrun-tui --local 1 --scrollback 4321").filter { pid in
            (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.hasPrefix("distrun-tui") == true
        }
        #expect(!pids.isEmpty)
        for pid in pids { kill(pid, SIGTERM) }
        try tmux.waitFor(text: "DISTRUN-EXIT=0")
        #expect(!tmux.screen().contains("INPUT"))
    }

    @Test(arguments: ["default", "light", "mono", "high-contrast"])
    func eachThemeLoads(theme: String) throws {
        let tmux = try TmuxSession(command: TmuxSession.dashboard("--local 1 --theme \(theme)"))
        try tmux.waitFor(text: "1 running")
        try tmux.press(prefix, "q")
        try tmux.press("y")
        try tmux.waitFor(text: "DISTRUN-EXIT=0")
    }

    @Test func aBadThemeFileIsAnErrorNamingTheLine() throws {
        let scratch = try Scratch()
        try FileManager.default.createDirectory(
            at: scratch.url.appendingPathComponent("themes"), withIntermediateDirectories: true)
        _ = try scratch.write("themes/broken.theme", "# a theme\nhost-running = greenish\n")
        let tmux = try TmuxSession(command: TmuxSession.dashboard("--local 1 --theme broken"), directory: scratch.url)
        try tmux.waitFor(text: "DISTRUN-EXIT=64")
        #expect(tmux.screen().contains("broken.theme:2:"))
    }

    @Test func aFailedHostSaysWhyWhenSelected() throws {
        let agent = try TestAgent()
        let scratch = try Scratch()
        let hosts = try scratch.write("hosts.conf", agent.hostsLine(name: "alive") + "\n127.0.0.1:1 dead\n")
        let tmux = try TmuxSession(command: TmuxSession.dashboard("--insecure-no-auth -H '\(hosts)'"), width: 100)
        try tmux.waitFor(text: "1 running · 1 failed")
        try tmux.press(prefix, "j")
        try tmux.waitFor(text: "dead: unreachable: connection refused")
    }
}
