// Full-screen programs in the dashboard's panes: each pane is a terminal emulator over a remote
// pseudo-terminal, driven inside tmux like a person would.

import Foundation
import Testing

private let prefix = "C-]"

private func count(_ text: String, in screen: String) -> Int { screen.components(separatedBy: text).count - 1 }

@Suite struct DashboardTerminalTests {
    @Test func viOnTwoHostsAtOnceWritesBothFiles() throws {
        let scratch = try Scratch()
        let tmux = try TmuxSession(command: TmuxSession.dashboard("--local 2"), width: 120, height: 30)
        try tmux.waitFor("two prompts") { count("bash-", in: $0) == 2 }
        // $$ differs per host: each vi writes its own file.
        try tmux.type("vi '\(scratch.url.path)/file-'$$.txt")
        try tmux.press("Enter")
        try tmux.waitFor("two vi screens") { count("~", in: $0) > 10 }
        try tmux.type("ihello")
        try tmux.press("Escape")
        try tmux.type(":wq")
        try tmux.press("Enter")
        try tmux.waitFor("both files written") { _ in
            let files = (try? FileManager.default.contentsOfDirectory(atPath: scratch.url.path)) ?? []
            return files.count == 2
                && files.allSatisfy {
                    (try? String(contentsOfFile: scratch.url.appendingPathComponent($0).path, encoding: .utf8))
                        == "hello\n"
                }
        }
    }

    @Test func topShowsItsHeaderInEachPane() throws {
        let tmux = try TmuxSession(command: TmuxSession.dashboard("--local 2 -- top -d 1"), width: 160, height: 40)
        try tmux.waitFor("top's header twice") { count("load average", in: $0) == 2 && count("PID", in: $0) == 2 }
    }

    @Test func ttyPrintsAPseudoTerminal() throws {
        let tmux = try TmuxSession(command: TmuxSession.dashboard("--local 1"))
        try tmux.waitFor(text: "bash-")
        try tmux.type("tty")
        try tmux.press("Enter")
        try tmux.waitFor(text: "/dev/pts/")
    }

    @Test func controlCInterruptsSleep() throws {
        let tmux = try TmuxSession(command: TmuxSession.dashboard("--local 1"))
        try tmux.waitFor(text: "bash-")
        try tmux.type("sleep 100; echo after-$((2+3))")
        try tmux.press("Enter")
        try tmux.waitFor(text: "sleep 100; echo after-")
        try tmux.press("C-c")
        try tmux.type("echo interrupted-$((1+1))")
        try tmux.press("Enter")
        try tmux.waitFor(text: "interrupted-2")
        #expect(!tmux.screen().contains("after-5"), "the rest of the line was interrupted too")
    }

    @Test func resizingTheTerminalResizesTheRemoteTerminal() throws {
        let tmux = try TmuxSession(command: TmuxSession.dashboard("--local 1"), width: 80, height: 24)
        try tmux.waitFor(text: "bash-")
        try tmux.resize(width: 150, height: 50)
        // Redrawn at the new size: the status bar is on row 50 (the pane's size went out with it).
        try tmux.waitFor("the 150x50 layout") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.count >= 50 && lines[49].contains("INPUT")
        }
        try tmux.type("stty size")
        try tmux.press("Enter")
        // One pane: the area right of the host list, inside the border, between header and status.
        try tmux.waitFor("the pane's size from stty") { screen in
            screen.split(separator: "\n").contains { line in
                let fields = line.split(separator: "│").last?.split(separator: " ") ?? []
                return fields.count == 2 && fields[0] == "46" && Int(fields[1]).map { $0 > 100 && $0 < 150 } == true
            }
        }
    }

    @Test func lessRestoresThePaneWhenItEnds() throws {
        let tmux = try TmuxSession(command: TmuxSession.dashboard("--local 1"), width: 100, height: 30)
        try tmux.waitFor(text: "bash-")
        try tmux.type("echo before-less-$((4*4))")
        try tmux.press("Enter")
        try tmux.waitFor(text: "before-less-16")
        try tmux.type("seq 1000 1100 | less")
        try tmux.press("Enter")
        try tmux.waitFor("less on the alternate screen") { $0.contains("1010") && !$0.contains("before-less-16") }
        try tmux.type("q")
        try tmux.waitFor("the pane as it was") { $0.contains("before-less-16") && !$0.contains("1010") }
    }

    @Test func pastedTextArrivesAsAPaste() throws {
        let tmux = try TmuxSession(command: TmuxSession.dashboard("--local 2"), width: 120, height: 30)
        try tmux.waitFor("two prompts") { count("bash-", in: $0) == 2 }
        try tmux.tmux(["set-buffer", "echo pasted-$((40+2))"])
        // -p: bracketed, as a terminal pastes for a program that asked (the dashboard does).
        try tmux.tmux(["paste-buffer", "-p", "-t", tmux.name])
        try tmux.press("Enter")
        try tmux.waitFor("the paste ran on both hosts") { count("pasted-42", in: $0) == 2 }
    }
}

@Suite struct TranscriptTests {
    @Test func logDirKeepsEveryLineEvenPastTheScrollback() throws {
        let scratch = try Scratch()
        let logs = scratch.url.appendingPathComponent("logs")
        let tmux = try TmuxSession(
            command: TmuxSession.dashboard(
                "--local 1 --scrollback 100 --log-dir '\(logs.path)' -- bash -c 'seq 1 20000; sleep 600'"))
        try tmux.waitFor(text: "20000")
        let path = logs.appendingPathComponent("local-1.log").path
        try ChildProcess.waitUntil("20000 lines in the transcript") {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            return text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 20000
        }
    }
}
