// The embedded default: agents started inside the dashboard's own process, on loopback
// ephemeral ports, so a fresh machine shows a working dashboard with nothing set up.

import DistRunAgent
import DistRunClient
import Logging
import NIOCore
import NIOPosix

enum LocalAgents {
    /// Starts `count` agents on 127.0.0.1 and returns their hosts ("local-1" …).
    static func start(count: Int) async throws -> [HostEndpoint] {
        var logger = Logger(label: "distrun-tui.local-agent")
        logger.logLevel = .critical  // the terminal belongs to the dashboard
        var hosts: [HostEndpoint] = []
        for index in 1...count {
            let server = try await AgentServer.start(
                AgentConfiguration(host: "127.0.0.1", port: 0), group: MultiThreadedEventLoopGroup.singleton,
                logger: logger)
            hosts.append(HostEndpoint(name: "local-\(index)", host: "127.0.0.1", port: server.localAddress.port ?? 0))
        }
        return hosts
    }
}
