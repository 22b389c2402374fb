// The connection manager: one connection per host, each on an event loop of the group, with
// its state and output reported through one HostEventQueue. Front ends call it from any thread;
// every call hops to the host's loop, and no lock is held while doing I/O.
//
// A host keeps its event loop for life, so when a new command replaces its connection the old
// one is retired on that same loop before the new one starts: no event of the old run can
// arrive after the new run's first event.

import DistRunWire
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

public final class ConnectionManager: Sendable {
    public let hosts: [HostEndpoint]
    public let events: HostEventQueue
    private let loops: [EventLoop]
    private let security: ClientSecurity
    private let reading: SocketReading
    private let connections: NIOLockedValueBox<[HostConnection]>

    public init(
        hosts: [HostEndpoint], job: JobSpec, security: ClientSecurity, events: HostEventQueue = HostEventQueue(),
        reading: SocketReading = .throughput, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.hosts = hosts
        self.events = events
        self.security = security
        self.reading = reading
        let loops = hosts.map { _ in group.next() }
        self.loops = loops
        self.connections = NIOLockedValueBox(
            hosts.enumerated().map { id, endpoint in
                HostConnection(
                    id: id, endpoint: endpoint, job: job, security: security, reading: reading, loop: loops[id],
                    events: events)
            })
    }

    /// Connects to every host and starts the job; progress arrives as events.
    public func start() {
        onEach(allHosts) { $0.start() }
    }

    /// Runs `job` on `hosts` instead of what they were running (ending that), as a new session.
    public func run(_ job: JobSpec, on hosts: some Sequence<HostID>) {
        for id in hosts where allHosts.contains(id) {
            let replacement = HostConnection(
                id: id, endpoint: self.hosts[id], job: job, security: security, reading: reading, loop: loops[id],
                events: events)
            let previous = connections.withLockedValue { connections in
                defer { connections[id] = replacement }
                return connections[id]
            }
            loops[id].execute {
                previous.retire()
                replacement.start()
            }
        }
    }

    /// Sends `bytes` to the stdin of each host's command (when the job connects stdin).
    public func send(_ bytes: ByteBuffer, to hosts: some Sequence<HostID>) {
        onEach(hosts) { $0.send(bytes) }
    }

    /// Tells `host`'s pseudo-terminal its new size (its command gets SIGWINCH).
    public func resize(_ host: HostID, to size: WindowSize) {
        onEach([host]) { $0.resize(size) }
    }

    /// Delivers `signal` to each host command's process group.
    public func signal(_ signal: CommandSignal, to hosts: some Sequence<HostID>) {
        onEach(hosts) { $0.signal(signal) }
    }

    /// Closes the stdin of each host's command; their output keeps coming.
    public func closeInput(to hosts: some Sequence<HostID>) {
        onEach(hosts) { $0.closeInput() }
    }

    /// Ends each host's connection; the agent ends the command's process group.
    public func cancel(_ hosts: some Sequence<HostID>, reason: String) {
        onEach(hosts) { $0.cancel(reason) }
    }

    public var allHosts: Range<HostID> { hosts.indices }

    private func onEach(_ hosts: some Sequence<HostID>, _ body: @escaping @Sendable (HostConnection) -> Void) {
        let current = connections.withLockedValue { $0 }
        for id in hosts where current.indices.contains(id) {
            let connection = current[id]
            connection.loop.execute { body(connection) }
        }
    }
}
