// The embedded default: agents started inside the dashboard's own process, on loopback
// ephemeral ports, so a fresh machine shows a working dashboard with nothing set up. They use
// TLS like any agent, with fresh keys made for this run only (never written to disk): the
// client's key is the only one they admit, and their key is pinned for their addresses.

import DistRunAgent
import DistRunClient
import DistRunTrust
import Logging
import NIOCore
import NIOPosix

enum LocalAgents {
    /// Starts `count` agents on 127.0.0.1 and returns their hosts ("local-1" …) and how to reach them.
    static func start(count: Int) async throws -> ([HostEndpoint], ClientSecurity) {
        var logger = Logger(label: "distrun-tui.local-agent")
        logger.logLevel = .critical  // the terminal belongs to the dashboard
        let agentIdentity = try Identity.generate(commonName: "distrun-local-agent")
        let clientIdentity = try Identity.generate(commonName: "distrun-local-client")
        let known = try KnownAgents(path: nil)
        let security = AgentSecurity.mutualTLS(
            try TrustStore.agentContext(agentIdentity), AuthorizedClients([clientIdentity.fingerprint]))
        var hosts: [HostEndpoint] = []
        for index in 1...count {
            let server = try await AgentServer.start(
                AgentConfiguration(host: "127.0.0.1", port: 0, security: security),
                group: MultiThreadedEventLoopGroup.singleton, logger: logger)
            let host = HostEndpoint(name: "local-\(index)", host: "127.0.0.1", port: server.localAddress.port ?? 0)
            known.pin(address: host.address, fingerprint: agentIdentity.fingerprint)
            hosts.append(host)
        }
        return (hosts, .mutualTLS(try TrustStore.clientContext(clientIdentity), known))
    }
}
