// `distrun-tui`'s job: choose the hosts (a hosts file, or local agents when none is given and
// none answers), load the theme, run the dashboard, and print one line per host afterwards.

import CDistRunSystem
import DistRunAgent
import DistRunClient
import DistRunDashboardModel
import DistRunSession
import DistRunTransport
import DistRunTrust
import DistRunWire
import Foundation
import Logging
import NIOPosix

public struct DashboardOptions: Sendable {
    public var hostsFile: String?
    public var localAgents: Int?
    public var themeName = "default"
    public var argv: [String] = []
    public var scrollbackLines = Scrollback.defaultMaxLines
    public var prefix = KeyMap.defaultPrefix
    /// Run the commands on pseudo-terminals (full-screen programs work); false uses pipes.
    public var useTerminals = true
    /// Plaintext to agents run with --insecure-no-auth, instead of TLS with our key.
    public var insecureNoAuth = false
    /// Where our key and known-agents are.
    public var keysFolder = TrustStore.defaultFolder(forAgent: false)
    /// `--log-dir`: every host's output appended to DIR/NAME.log as it arrives.
    public var logFolder: String?
    /// Agents keep each host's session when its link drops; the dashboard reconnects and resumes it.
    public var keepSessions = true
    /// `--connect-timeout`: how long a host may take to answer before it counts as failed.
    public var connectTimeoutSeconds = 5.0

    public init() {}

    /// With no command, each host runs an interactive shell.
    public static let defaultCommand = ["bash", "--norc", "-i"]
    public static let defaultLocalAgents = 4
}

public enum DashboardLauncher {
    public static func run(_ options: DashboardOptions) async -> Int32 {
        // The terminal belongs to the dashboard: no log line may reach it.
        LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
        DescriptorLimit.raiseToHardLimit()  // one socket per host (and the demo's agents' pipes)
        await ProcessNice.apply(to: MultiThreadedEventLoopGroup.singleton)
        // Network reads come and go in bursts across every host: without this, the heap keeps
        // hundreds of MiB a burst left behind (1,000 hosts printing 670 KB each: peak 1,725 -> 1,455 MiB).
        _ = drs_return_large_allocations(Int32(DashboardApp.largeAllocationBytes))
        do {
            let theme = try ThemeLoader.load(named: options.themeName)
            let (hosts, security, localNote) = try await chooseHosts(options)
            let job = job(options)
            let events = HostEventQueue(
                highWatermarkBytes: DashboardApp.queueHighWatermarkBytes,
                lowWatermarkBytes: DashboardApp.queueLowWatermarkBytes, release: .whenApplied)
            let manager = ConnectionManager(
                hosts: hosts, job: job, security: security, events: events, reading: .sharedFairly)
            let dashboard = Dashboard(
                hosts: hosts, scrollbackLines: options.scrollbackLines, usesTerminals: options.useTerminals)
            let controller = DashboardController(dashboard: dashboard, prefix: options.prefix)
            let transcripts = try options.logFolder.map { try Transcripts(folder: $0) }
            let app = DashboardApp(
                controller: controller, manager: manager, job: job, theme: theme, note: localNote,
                transcripts: transcripts)
            ProcessNice.applyToCallingThread()  // the frame loop keeps this thread to the end
            let final = app.run()
            if localNote != nil { ChildReaper.shared.hangUpAll() }  // local agents' commands end with us
            print(summary(final), terminator: "")
            for problem in [transcripts?.problem, security.problem].compactMap({ $0 }) {
                FileHandle.standardError.write(Data("distrun-tui: \(problem)\n".utf8))
            }
            return 0
        } catch {
            FileHandle.standardError.write(Data("distrun-tui: \(error)\n".utf8))
            return 64
        }
    }

    /// What every host runs, and how, for these options.
    static func job(_ options: DashboardOptions) -> JobSpec {
        var job = JobSpec(argv: options.argv.isEmpty ? DashboardOptions.defaultCommand : options.argv)
        job.connectStdin = true
        job.connectTimeout = .seconds(decimal: options.connectTimeoutSeconds)
        if options.keepSessions { job.reconnect = ReconnectPolicy() }
        if options.useTerminals {
            job.terminalSize = WindowSize(columns: 80, rows: 24)  // each pane's size follows at once
        } else {
            job.separateStderr = true
        }
        return job
    }

    /// The hosts, how to reach them, and a note for the header when they are local agents.
    static func chooseHosts(_ options: DashboardOptions) async throws -> ([HostEndpoint], ClientSecurity, String?) {
        if let count = options.localAgents {
            let (hosts, security) = try await LocalAgents.start(count: count)
            return (hosts, security, "demo: \(count) local agents")
        }
        if let path = options.hostsFile { return (try HostsFile.load(path), try security(options), nil) }
        let defaultPath = "hosts.conf"
        if FileManager.default.fileExists(atPath: defaultPath) {
            let hosts = try HostsFile.load(defaultPath)
            if await ReachabilityProbe.anyReachable(hosts) { return (hosts, try security(options), nil) }
        }
        let count = DashboardOptions.defaultLocalAgents
        let (hosts, security) = try await LocalAgents.start(count: count)
        return (hosts, security, "demo: no agent answered, \(count) local agents")
    }

    private static func security(_ options: DashboardOptions) throws -> ClientSecurity {
        options.insecureNoAuth ? .insecureNoAuth : try ClientSecurity.load(from: options.keysFolder)
    }

    /// One line per host, printed after leaving the full screen.
    static func summary(_ dashboard: Dashboard) -> String {
        let width = dashboard.hosts.map(\.endpoint.name.count).max() ?? 0
        return dashboard.hosts.map { host in
            let name = host.endpoint.name + String(repeating: " ", count: width - host.endpoint.name.count)
            return "\(name)  \(host.state)\n"
        }.joined()
    }
}
