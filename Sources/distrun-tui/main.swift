// distrun-tui: the dashboard. Parses the command line and hands over to DistRunTUI.

import ArgumentParser
import DistRunTUI

@main
struct DistrunTUI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distrun-tui",
        abstract: "Watch and drive many hosts from one full-screen dashboard.",
        discussion: """
            With no hosts file, and no agent answering for ./hosts.conf, starts local agents on
            loopback (a demo that needs no set-up). Press the prefix key (default C-]) then ? for keys.
            """)

    @Option(name: .customShort("H"), help: "Hosts file: one 'ADDRESS[:PORT] [NAME]' a line.")
    var hostsFile: String?

    @Option(name: .long, help: "Start N local agents on loopback and use them (the demo).")
    var local: Int?

    @Option(name: .long, help: "Colour theme: a NAME.theme file in themes/ (default, light, mono, high-contrast).")
    var theme = "default"

    @Option(name: .long, help: "Lines of output kept per host.")
    var scrollback = 10_000

    @Option(name: .long, help: "The prefix key for dashboard commands, e.g. C-] or C-g.")
    var prefix = "C-]"

    @Option(name: .long, help: "Give up connecting to a host after this many seconds.")
    var connectTimeout = 5.0

    @Option(
        name: .long, help: "Write each host's output to DIR/NAME.log as it arrives (nothing is lost to scrollback).")
    var logDir: String?

    @Flag(name: .long, help: "Run commands on pipes instead of pseudo-terminals (separate stderr, line input).")
    var noPty = false

    @Flag(name: .long, help: "End a host's command when its link drops, instead of reconnecting to resume it.")
    var noKeep = false

    @Flag(name: .long, help: "Talk to agents that do not authenticate clients (loopback only).")
    var insecureNoAuth = false

    @Option(name: .long, help: "Folder for keys and known-agents (default: $DISTRUN_HOME or ~/.config/distrun).")
    var keys: String?

    @Argument(parsing: .captureForPassthrough, help: "The command to run on every host (default: bash -i).")
    var command: [String] = []

    func validate() throws {
        if let local, !(1...256).contains(local) { throw ValidationError("--local takes 1 to 256 agents") }
        guard scrollback >= 100 else { throw ValidationError("--scrollback must be at least 100 lines") }
        guard let key = KeyPress(name: prefix), key != .character("\r") else {
            throw ValidationError("--prefix '\(prefix)' is not a key like C-] or C-g")
        }
        if hostsFile != nil && local != nil { throw ValidationError("-H and --local exclude each other") }
        guard connectTimeout > 0 else { throw ValidationError("--connect-timeout must be positive") }
        _ = key
    }

    func run() async throws {
        var options = DashboardOptions()
        options.hostsFile = hostsFile
        options.localAgents = local
        options.themeName = theme
        options.scrollbackLines = scrollback
        options.connectTimeoutSeconds = connectTimeout
        options.prefix = KeyPress(name: prefix) ?? KeyMap.defaultPrefix
        options.useTerminals = !noPty
        options.logFolder = logDir
        options.keepSessions = !noKeep
        options.insecureNoAuth = insecureNoAuth
        if let keys { options.keysFolder = keys }
        options.argv = command.first == "--" ? Array(command.dropFirst()) : command
        let code = await DashboardLauncher.run(options)
        if code != 0 { throw ExitCode(code) }
    }
}
