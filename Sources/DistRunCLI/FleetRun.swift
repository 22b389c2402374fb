// `distrun`'s job: run one command on every host of a hosts file, print what each host says
// as whole prefixed lines, then a summary, and return the exit code. The calling thread
// drains the manager's event queue; the network runs on NIO's threads.

import Dispatch
import DistRunClient
import DistRunSession
import DistRunTransport
import DistRunTrust
#if canImport(Glibc)
    import Glibc
#endif
import NIOCore

public struct RunOptions: Sendable {
    public var hostsFile = "hosts.conf"
    public var argv: [String] = []
    public var forwardStdin = false
    public var separateStderr = false
    public var connectTimeoutSeconds = 5.0
    public var commandTimeoutSeconds: Double?
    public var outputDirectory: String?
    /// `-t --pty`: one host on a pseudo-terminal, interactive, like `ssh -t`.
    public var interactiveTerminal = false
    /// Plaintext to agents run with --insecure-no-auth, instead of TLS with our key.
    public var insecureNoAuth = false
    /// Where our key and known-agents are.
    public var keysFolder = TrustStore.defaultFolder(forAgent: false)
    /// `--record FILE`: one JSON line per host.
    public var recordFile: String?
    /// `--failed FILE`: the hosts that failed, in hosts.conf form, to rerun them.
    public var failedHostsFile: String?
    /// `--keep`: sessions survive a dropped link; reconnect this many times to resume them.
    public var keepRetries: Int?

    public init() {}
}

public enum FleetRun {
    /// Runs the job to completion and returns `distrun`'s exit code.
    public static func run(_ options: RunOptions) -> Int32 {
        DescriptorLimit.raiseToHardLimit()  // one socket per host
        do {
            let hosts = try HostsFile.load(options.hostsFile)
            let security = options.insecureNoAuth ? .insecureNoAuth : try ClientSecurity.load(from: options.keysFolder)
            if options.interactiveTerminal {
                guard hosts.count == 1 else {
                    throw ConfigFileError(
                        file: options.hostsFile, line: 0,
                        message: "--pty drives one host like ssh -t, but this file lists \(hosts.count)")
                }
                return InteractiveRun.run(hosts[0], job: job(options), security: security)
            }
            var sink: any OutputSink =
                try options.outputDirectory.map {
                    try DirectoryOutput(directory: $0, hosts: hosts, separateStderr: options.separateStderr)
                } ?? PrefixedLineOutput(hosts: hosts)
            return run(hosts: hosts, options: options, security: security, sink: &sink)
        } catch {
            FileDescriptorWriter.writeAll(STDERR_FILENO, Array("distrun: \(error)\n".utf8))
            return RunExitCode.usage
        }
    }

    private static func run(
        hosts: [HostEndpoint], options: RunOptions, security: ClientSecurity, sink: inout any OutputSink
    ) -> Int32 {
        let manager = ConnectionManager(hosts: hosts, job: job(options), security: security)
        var report = RunReport(records: hosts.map { HostRecord(endpoint: $0, startedAt: .now) })
        let interrupts = Interrupts()
        manager.start()
        if options.forwardStdin { StdinForwarder.start(to: manager) }
        while !report.isComplete {
            if interrupts.check(), !report.interrupted {
                // Ctrl-C: end the remote commands, keep what arrived, and report.
                report.interrupted = true
                manager.cancel(manager.allHosts, reason: "interrupted")
            }
            for event in manager.events.take(timeoutSeconds: 0.1) {
                switch event {
                case .output(let host, let stream, let bytes):
                    report.records[host].count(bytes.readableBytes, from: stream)
                    sink.write(host, stream, bytes)
                case .outputLost(let host, let bytes):
                    report.records[host].lostBytes += bytes
                    note(hosts[host], "\(bytes) bytes of output lost while disconnected")
                case .stateChanged(let host, let state):
                    if case .reconnecting(let reconnect) = state {
                        note(hosts[host], "lost (\(reconnect.reason)), \(reconnect.retryText)")
                    }
                    report.records[host].state = state
                    if state.isFinal {
                        report.records[host].endedAt = .now
                        sink.hostFinished(host)
                    }
                }
            }
            sink.flush(final: false)
        }
        sink.flush(final: true)
        FileDescriptorWriter.writeAll(STDERR_FILENO, Array(report.summary().utf8))
        if let problem = security.problem {
            FileDescriptorWriter.writeAll(STDERR_FILENO, Array("distrun: \(problem)\n".utf8))
        }
        writeRecords(report, options)
        return report.exitCode
    }

    /// What happened to a host's connection, on stderr where the user sees it.
    private static func note(_ host: HostEndpoint, _ text: String) {
        FileDescriptorWriter.writeAll(STDERR_FILENO, Array("distrun: \(host.name): \(text)\n".utf8))
    }

    private static func job(_ options: RunOptions) -> JobSpec {
        var job = JobSpec(argv: options.argv)
        job.connectStdin = options.forwardStdin
        job.separateStderr = options.separateStderr
        job.connectTimeout = .seconds(decimal: options.connectTimeoutSeconds)
        job.commandTimeout = options.commandTimeoutSeconds.map { .seconds(decimal: $0) }
        job.reconnect = options.keepRetries.map { ReconnectPolicy(maxAttempts: $0) }
        return job
    }
}

/// `-t`: copies our stdin to every host's command, then closes their stdin at our EOF.
enum StdinForwarder {
    static func start(to manager: ConnectionManager) {
        // A queue of its own: the blocking reads hold one of Dispatch's threads, never an event loop.
        DispatchQueue(label: "distrun-stdin").async {
            var chunk = [UInt8](repeating: 0, count: 64 << 10)
            while true {
                let count = read(STDIN_FILENO, &chunk, chunk.count)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                manager.send(ByteBuffer(bytes: chunk[..<count]), to: manager.allHosts)
            }
            manager.closeInput(to: manager.allHosts)
        }
    }
}
