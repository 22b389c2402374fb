// distrund: the agent. Parses its command line and hands over to DistRunAgent.

import ArgumentParser
import DistRunAgent
import DistRunWire
import Foundation
import Logging
import NIOPosix

@main
struct Distrund: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distrund",
        abstract: "The DistRun agent: runs commands for DistRun clients.",
        discussion: "Until authentication exists, distrund listens on loopback addresses only.")

    @Option(name: .long, help: "Address to listen on.")
    var listen = "127.0.0.1"

    @Option(name: .shortAndLong, help: "TCP port to listen on (0 picks a free one).")
    var port = 6789

    @Option(name: .long, help: "Largest data frame payload accepted, in bytes.")
    var maxFrame = FrameLimits.defaultMaxPayloadBytes

    @Flag(name: .long, help: "Accept clients that do not authenticate (loopback only).")
    var insecureNoAuth = false

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .notice

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("port \(port) is not in 0...65535") }
        guard maxFrame >= 1024 else { throw ValidationError("--max-frame must be at least 1024 bytes") }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
        let logger = Logger(label: "distrund")
        let configuration = AgentConfiguration(
            host: listen, port: port, limits: FrameLimits(maxDataPayloadBytes: maxFrame))
        do {
            let server = try await AgentServer.start(
                configuration, group: MultiThreadedEventLoopGroup.singleton, logger: logger)
            // Tests and scripts read this line to learn the port.
            print("distrund: listening on \(server.localAddress.hostAndPort)")
            fflush(nil)
            try await server.closeFuture.get()
        } catch let error as AgentStartError {
            FileHandle.standardError.write(Data("distrund: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
