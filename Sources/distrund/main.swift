// distrund: the agent. Parses its command line and hands over to DistRunAgent.

import ArgumentParser
import DistRunAgent
import DistRunTransport
import DistRunTrust
import DistRunWire
import Foundation
import Logging
import NIOCore
import NIOPosix

@main
struct Distrund: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distrund",
        abstract: "The DistRun agent: runs commands for authenticated DistRun clients.",
        subcommands: [Serve.self, Keygen.self], defaultSubcommand: Serve.self)
}

struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create the agent's key and certificate.")

    @Option(
        name: .long,
        help: "Folder for the agent's keys (default: $DISTRUN_HOME, /etc/distrun for root, else ~/.config/distrun).")
    var keys: String?

    func run() throws {
        do {
            print(
                try KeyGeneration.run(folder: keys ?? TrustStore.defaultFolder(forAgent: true), name: "agent"),
                terminator: "")
        } catch let error as TrustError {
            throw ValidationError("\(error)")
        }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Listen for clients (the default).",
        discussion: """
            Clients connect with TLS 1.3 and a certificate whose fingerprint is listed in
            KEYS/authorized-clients. --insecure-no-auth drops authentication and is allowed on
            loopback addresses only.
            """)

    @Option(name: .long, help: "Address to listen on.")
    var listen = "127.0.0.1"

    @Option(name: .shortAndLong, help: "TCP port to listen on (0 picks a free one).")
    var port = 6789

    @Option(name: .long, help: "Folder with agent-key.pem, agent-cert.pem and authorized-clients.")
    var keys: String?

    @Option(name: .long, help: "The authorized-clients file (default: KEYS/authorized-clients).")
    var authorizedClients: String?

    @Flag(name: .long, help: "Accept clients that do not authenticate, in plaintext (loopback only).")
    var insecureNoAuth = false

    @Option(name: .long, help: "Largest data frame payload accepted, in bytes.")
    var maxFrame = FrameLimits.defaultMaxPayloadBytes

    @Option(name: .long, help: "Seconds a client has to authenticate and send its command.")
    var handshakeTimeout = 10.0

    @Option(name: .long, help: "Seconds a frame may take to arrive whole once it has begun.")
    var frameTimeout = 30.0

    @Option(name: .long, help: "Connections not yet authenticated; past it the oldest is dropped.")
    var maxUnauthenticated = 64

    @Option(name: .long, help: "All connections (default: from the descriptor limit).")
    var maxConnections: Int?

    @Option(
        name: .long,
        help: "Ping clients this often (seconds, at most 15); three silent intervals end a session.")
    var keepaliveSeconds = 15.0

    @Option(name: .long, help: "End any command after this many seconds.")
    var maxJobSeconds: Double?

    @Option(name: .long, help: "Seconds a kept session (client option keep) outlives its connection, at most.")
    var keepSeconds = 600.0

    @Option(name: .long, help: "Bytes of recent output a kept session holds for a client that resumes it.")
    var replayBytes = 8 << 20

    @Option(name: .long, help: "Bytes of output all kept sessions together hold for replay (the busiest shed first).")
    var replayBudget = 1 << 30

    @Option(name: .long, help: "Run commands as this user (the agent must run as root).")
    var user: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .notice

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("port \(port) is not in 0...65535") }
        guard maxFrame >= 1024 else { throw ValidationError("--max-frame must be at least 1024 bytes") }
        guard keepaliveSeconds > 0, keepaliveSeconds <= KeepaliveTiming.maxPingIntervalSeconds else {
            let limit = Int(KeepaliveTiming.maxPingIntervalSeconds)
            throw ValidationError(
                "--keepalive-seconds must be more than 0 and at most \(limit): clients take an agent that sends "
                    + "nothing for \(KeepaliveTiming.agentSilenceLimitSeconds) s as lost")
        }
        guard handshakeTimeout > 0, frameTimeout > 0, maxUnauthenticated > 0 else {
            throw ValidationError("--handshake-timeout, --frame-timeout and --max-unauthenticated must be positive")
        }
        guard keepSeconds > 0, replayBytes >= 0, replayBudget >= 0 else {
            throw ValidationError("--keep-seconds must be positive, --replay-bytes and --replay-budget not negative")
        }
        if user != nil && getuid() != 0 { throw ValidationError("--user needs the agent to run as root") }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
        let logger = Logger(label: "distrund")
        // A client that vanishes must never take the agent down with a SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        DescriptorLimit.raiseToHardLimit()
        await ProcessNice.apply(to: MultiThreadedEventLoopGroup.singleton)  // and so to the commands
        do {
            let configuration = try makeConfiguration()
            ChildReaper.shared.adoptOrphans()
            let server = try await AgentServer.start(
                configuration, group: MultiThreadedEventLoopGroup.singleton, logger: logger)
            // Tests and scripts read this line to learn the port.
            print("distrund: listening on \(server.localAddress.hostAndPort)")
            fflush(nil)
            try await server.closeFuture.get()
        } catch let error as AgentStartError {
            fail("\(error)")
        } catch let error as TrustError {
            fail("\(error)")
        }
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("distrund: \(message)\n".utf8))
        Foundation.exit(2)
    }

    private func makeConfiguration() throws -> AgentConfiguration {
        var configuration = AgentConfiguration(
            host: listen, port: port, limits: FrameLimits(maxDataPayloadBytes: maxFrame), security: try security())
        configuration.handshakeTimeout = .seconds(decimal: handshakeTimeout)
        configuration.frameTimeout = .seconds(decimal: frameTimeout)
        configuration.maxUnauthenticated = maxUnauthenticated
        if let maxConnections { configuration.maxConnections = maxConnections }
        configuration.maxJobDuration = maxJobSeconds.map { .seconds(decimal: $0) }
        configuration.keepaliveInterval = .seconds(decimal: keepaliveSeconds)
        configuration.keepGrace = .seconds(decimal: keepSeconds)
        configuration.replayBytes = replayBytes
        configuration.replayBudgetBytes = replayBudget
        if let user {
            guard let entry = getpwnam(user) else { fail("no user '\(user)'") }
            configuration.runAs = (entry.pointee.pw_uid, entry.pointee.pw_gid, user)
        }
        return configuration
    }

    private func security() throws -> AgentSecurity {
        if insecureNoAuth { return .insecureNoAuth }
        let folder = keys ?? TrustStore.defaultFolder(forAgent: true)
        let identity = try Identity.load(from: folder, name: "agent")
        let path = authorizedClients ?? (folder as NSString).appendingPathComponent(AuthorizedClients.fileName)
        let authorized = try AuthorizedClients.load(path)
        if authorized.fingerprints.isEmpty {
            FileHandle.standardError.write(
                Data("distrund: warning: \(path) lists no client, so nobody can run commands yet\n".utf8))
        }
        return .mutualTLS(try TrustStore.agentContext(identity), authorized)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
