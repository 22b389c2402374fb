// `distrun-tui`'s command line end to end: options it refuses before taking the terminal, and
// options that reach the connections (--connect-timeout, the same option as distrun's).

import Foundation
import Testing

@Suite struct DashboardOptionsTests {
    /// Refused with a message and status 64 before curses starts, so no terminal is needed.
    @Test(arguments: [
        ("0", "--connect-timeout must be positive"), ("-2", "--connect-timeout must be positive"),
        ("soon", "The value 'soon' is invalid for '--connect-timeout"),
    ])
    func aConnectTimeoutThatIsNotAPositiveNumberIsRefused(value: String, message: String) throws {
        let child = try ChildProcess(Products.path("distrun-tui"), ["--local", "1", "--connect-timeout=\(value)"])
        child.closeStdin()
        #expect(try child.waitForExit() == 64)
        #expect(child.stderr.contains(message), "\(child.stderr)")
    }

    /// A host that accepts the connection and never answers fails after the connect timeout.
    @Test func aStalledHostFailsAfterTheConnectTimeout() throws {
        let agent = try TestAgent()
        let proxy = try FaultProxy(agentPort: agent.port)
        proxy.set(.stall)
        let scratch = try Scratch()
        let hosts = try scratch.write(
            "hosts.conf", agent.hostsLine(name: "alive") + "\n" + proxy.hostsLine(name: "hole") + "\n")
        let tmux = try TmuxSession(
            command: TmuxSession.dashboard("--insecure-no-auth --connect-timeout 1 -H '\(hosts)'"), width: 100)
        try tmux.waitFor(text: "1 running · 1 failed")
        try tmux.press("C-]", "j")
        try tmux.waitFor(text: "hole: timed out: no answer from the agent within 1 s")
    }
}
