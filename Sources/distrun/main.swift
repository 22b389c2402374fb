// distrun: run one command on every host of a hosts file. Parses the command line and hands
// over to DistRunCLI.

import ArgumentParser
import DistRunCLI
import DistRunTrust

@main
struct Distrun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distrun",
        abstract: "Run a command on every host of a hosts file at once.",
        subcommands: [Run.self, Keygen.self], defaultSubcommand: Run.self)
}

struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create this client's key and certificate, and print the fingerprint agents must list.")

    @Option(name: .long, help: "Folder for keys and known-agents (default: $DISTRUN_HOME or ~/.config/distrun).")
    var keys: String?

    func run() throws {
        do {
            print(
                try KeyGeneration.run(folder: keys ?? TrustStore.defaultFolder(forAgent: false), name: "client"),
                terminator: "")
        } catch let error as TrustError {
            throw ValidationError("\(error)")
        }
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a command on every host of a hosts file at once (the default).",
        discussion: """
            Output lines are prefixed with the host's name; a summary follows on stderr.
            Exit status: 0 all commands exited 0; 1 some command failed or was killed;
            2 some host was unreachable, timed out, refused or lost; 64 bad usage or hosts file;
            130 interrupted (Ctrl-C ends the remote commands and still prints the summary;
            a second Ctrl-C within a second exits at once).
            """)

    @Option(name: .customShort("H"), help: "Hosts file: one 'ADDRESS[:PORT] [NAME]' a line.")
    var hostsFile = "hosts.conf"

    @Flag(name: .customShort("t"), help: "Send this program's stdin to every host's command.")
    var forwardStdin = false

    @Flag(name: .long, help: "With -t and one host: run on a pseudo-terminal, interactively, like ssh -t.")
    var pty = false

    @Flag(name: .long, help: "Keep stderr separate (printed on stderr, or NAME.err with --outdir).")
    var stderr = false

    @Option(name: .long, help: "End each host's command after this many seconds.")
    var timeout: Double?

    @Option(name: .long, help: "Give up connecting to a host after this many seconds.")
    var connectTimeout = 5.0

    @Option(name: .long, help: "Write each host's output to DIR/NAME.out (and NAME.err) instead.")
    var outdir: String?

    @Flag(name: .long, help: "Talk to agents that do not authenticate clients (loopback only).")
    var insecureNoAuth = false

    @Option(name: .long, help: "Folder for keys and known-agents (default: $DISTRUN_HOME or ~/.config/distrun).")
    var keys: String?

    @Option(name: .long, help: "Write one JSON line per host (status, exit code, times, bytes, error) to FILE.")
    var record: String?

    @Option(name: .long, help: "Write the hosts that failed to FILE in hosts.conf form (rerun with -H FILE).")
    var failed: String?

    @Flag(name: .long, help: "Keep each session on its agent when the link drops, and reconnect to resume it.")
    var keep = false

    @Option(name: .long, help: "With --keep: reconnect attempts per host before giving up (backoff 1 s, 2 s, 4 s…).")
    var retries = 4

    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments, after '--'.")
    var command: [String] = []

    func validate() throws {
        guard command.drop(while: { $0 == "--" }).first != nil else {
            throw ValidationError("no command given: distrun [options] -- CMD ARGS…")
        }
        if pty && !forwardStdin { throw ValidationError("--pty needs -t (our stdin goes to the remote terminal)") }
        if let timeout, timeout <= 0 { throw ValidationError("--timeout must be positive") }
        guard retries >= 0 else { throw ValidationError("--retries must not be negative") }
        guard connectTimeout > 0 else { throw ValidationError("--connect-timeout must be positive") }
    }

    func run() throws {
        var options = RunOptions()
        options.hostsFile = hostsFile
        options.argv = command.first == "--" ? Array(command.dropFirst()) : command
        options.forwardStdin = forwardStdin
        options.separateStderr = stderr
        options.commandTimeoutSeconds = timeout
        options.connectTimeoutSeconds = connectTimeout
        options.outputDirectory = outdir
        options.interactiveTerminal = pty
        options.insecureNoAuth = insecureNoAuth
        options.recordFile = record
        options.failedHostsFile = failed
        options.keepRetries = keep ? retries : nil
        options.keysFolder = keys ?? TrustStore.defaultFolder(forAgent: false)
        let code = FleetRun.run(options)
        if code != 0 { throw ExitCode(code) }
    }
}
