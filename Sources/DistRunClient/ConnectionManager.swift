// The connection manager: one connection per host, each on an event loop of the group, with
// its state and output reported through one HostEventQueue. Front ends call it from any thread;
// every call hops to the host's loop, and no lock is held while doing I/O.

import NIOCore
import NIOPosix

public final class ConnectionManager: Sendable {
    public let hosts: [HostEndpoint]
    public let events: HostEventQueue
    private let group: EventLoopGroup
    private let connections: [HostConnection]

    public init(
        hosts: [HostEndpoint], job: JobSpec, events: HostEventQueue = HostEventQueue(),
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.hosts = hosts
        self.events = events
        self.group = group
        self.connections = hosts.enumerated().map { id, endpoint in
            HostConnection(id: id, endpoint: endpoint, job: job, loop: group.next(), events: events)
        }
    }

    /// Connects to every host and starts the job; progress arrives as events.
    public func start() {
        connections.forEach { connection in connection.loop.execute { connection.start() } }
    }

    /// Sends `bytes` to the stdin of each host's command (when the job connects stdin).
    public func send(_ bytes: ByteBuffer, to hosts: some Sequence<HostID>) {
        onEach(hosts) { $0.send(bytes) }
    }

    /// Closes the stdin of each host's command; their output keeps coming.
    public func closeInput(to hosts: some Sequence<HostID>) {
        onEach(hosts) { $0.closeInput() }
    }

    /// Ends each host's connection; the agent ends the command's process group.
    public func cancel(_ hosts: some Sequence<HostID>, reason: String) {
        onEach(hosts) { $0.cancel(reason) }
    }

    public var allHosts: Range<HostID> { connections.indices }

    private func onEach(_ hosts: some Sequence<HostID>, _ body: @escaping @Sendable (HostConnection) -> Void) {
        for id in hosts where connections.indices.contains(id) {
            let connection = connections[id]
            connection.loop.execute { body(connection) }
        }
    }
}
