// A user-space TCP proxy that injects network faults between a client and an agent (this
// kernel has no `tc netem`, see NOTES). It listens on an ephemeral loopback port and forwards
// each connection to the agent; while connections are open the test switches it between:
// passing bytes through; cutting every connection (at once, or once a connection has carried
// N bytes from the agent); stalling (a blackhole: connections are accepted, nothing is
// forwarded and nothing is closed); and re-chunking (bytes forwarded in small pieces with a
// pause between, so frames arrive split everywhere).
//
// Threads and blocking sockets: one accept thread, and two forwarding threads per connection
// (one per direction). Cutting shuts both sockets down, which wakes threads blocked in them;
// a connection's sockets are closed only once both its threads have finished, so a descriptor
// is never reused under a thread still holding it. `stop()` (also run on deinit) closes the
// listener, cuts everything and waits for every thread.

import Foundation

/// The test's handle: dropping it stops the proxy (its threads hold the engine, not this).
final class FaultProxy: Sendable {
    enum Mode: Equatable, Sendable {
        case passThrough
        /// Accept, forward nothing, close nothing. A connection accepted while stalled is never
        /// connected to the agent at all.
        case stall
        /// Forward in pieces of at most `bytes`, pausing `delayMicroseconds` after each.
        case chunked(bytes: Int, delayMicroseconds: UInt32)
    }

    let port: Int
    private let engine: FaultProxyEngine

    /// A proxy in front of the agent listening on loopback port `agentPort`.
    init(agentPort: Int) throws {
        engine = try FaultProxyEngine(agentPort: agentPort)
        port = engine.port
    }

    deinit { engine.stop() }

    /// `127.0.0.1:PORT NAME`, a hosts.conf line that goes through the proxy.
    func hostsLine(name: String) -> String { "127.0.0.1:\(port) \(name)" }

    func set(_ mode: Mode) { engine.set(mode) }

    /// Closes both sides of every current connection (new ones are served as the mode says).
    func cut() { engine.cut() }

    /// Cuts each connection, current or future, once it has carried `bytes` from the agent to
    /// the client (at once for one that already has); the client gets exactly `bytes`.
    func cut(afterAgentBytes bytes: Int) { engine.cut(afterAgentBytes: bytes) }

    /// Connections open now (held stalled ones included).
    var connectionCount: Int { engine.connectionCount }

    /// Stops accepting, cuts every connection, and waits (up to 5 s) for every thread to end.
    func stop() { engine.stop() }
}

private final class FaultProxyEngine: @unchecked Sendable {
    typealias Mode = FaultProxy.Mode

    let port: Int
    private let listener: CInt
    private let agentPort: Int
    /// Guards everything below; broadcast on every change, so stalled forwarders re-check.
    private let state = NSCondition()
    private var mode = Mode.passThrough
    private var cutAfterAgentBytes: Int?
    private var connections: [ObjectIdentifier: Connection] = [:]
    private var runningThreads = 0
    private var stopped = false

    init(agentPort: Int) throws {
        self.agentPort = agentPort
        (listener, port) = try Self.listen()
        startThread(name: "fault-proxy-accept") { $0.acceptLoop() }
    }

    func set(_ newMode: Mode) {
        withState { mode = newMode }
    }

    func cut() {
        withState { connections.values.forEach(cutLocked) }
    }

    func cut(afterAgentBytes bytes: Int) {
        withState {
            cutAfterAgentBytes = bytes
            connections.values.filter { $0.agentBytes >= bytes }.forEach(cutLocked)
        }
    }

    var connectionCount: Int { withState { connections.count } }

    func stop() {
        state.lock()
        defer { state.unlock() }
        guard !stopped else { return }
        stopped = true
        shutdown(listener, Int32(SHUT_RDWR))  // wakes accept()
        connections.values.forEach(cutLocked)
        let deadline = Date().addingTimeInterval(5)
        while runningThreads > 0, state.wait(until: deadline) {}
        close(listener)
    }

    // MARK: Threads

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 && errno == EINTR { continue }
            guard client >= 0 else { return }  // the listener was shut down
            let held = withState { () -> Bool? in
                if stopped { return nil }
                guard mode == .stall else { return false }
                let connection = Connection(client: client, agent: nil)
                connections[ObjectIdentifier(connection)] = connection
                return true
            }
            guard let held else {
                close(client)
                return
            }
            if !held { forward(client) }
        }
    }

    /// Connects to the agent and starts a forwarding thread each way.
    private func forward(_ client: CInt) {
        guard let agent = try? Self.connect(port: agentPort) else {
            close(client)
            return
        }
        let connection = Connection(client: client, agent: agent)
        connection.threads = 2
        withState { connections[ObjectIdentifier(connection)] = connection }
        startThread(name: "fault-proxy-up") { $0.pump(connection, from: client, to: agent, fromAgent: false) }
        startThread(name: "fault-proxy-down") { $0.pump(connection, from: agent, to: client, fromAgent: true) }
    }

    /// Copies one direction until end of file, an error or a cut. An end of file is passed on
    /// as a half-close; an error cuts the whole connection.
    private func pump(_ connection: Connection, from source: CInt, to destination: CInt, fromAgent: Bool) {
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = recv(source, &buffer, buffer.count, 0)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                if count == 0 { shutdown(destination, Int32(SHUT_WR)) } else { withState { cutLocked(connection) } }
                break
            }
            guard let plan = plan(connection, count, fromAgent: fromAgent) else { break }
            guard send(buffer[..<plan.bytes], to: destination, in: plan.piece, pausing: plan.delay) else {
                withState { cutLocked(connection) }
                break
            }
            if plan.cutAfter { withState { cutLocked(connection) } }
        }
        finished(connection)
    }

    /// How to forward `count` bytes just read: waits while stalled; nil once the connection is cut.
    private func plan(_ connection: Connection, _ count: Int, fromAgent: Bool) -> (
        bytes: Int, piece: Int, delay: UInt32, cutAfter: Bool
    )? {
        withState {
            while mode == .stall && !connection.isCut { state.wait() }
            guard !connection.isCut else { return nil }
            var bytes = count
            var cutAfter = false
            if fromAgent, let limit = cutAfterAgentBytes {
                bytes = max(0, min(count, limit - connection.agentBytes))
                cutAfter = connection.agentBytes + bytes >= limit
            }
            if fromAgent { connection.agentBytes += bytes }
            if case .chunked(let piece, let delay) = mode { return (bytes, piece, delay, cutAfter) }
            return (bytes, bytes, 0, cutAfter)
        }
    }

    /// Sends all of `bytes` in pieces; false when the destination is gone.
    private func send(_ bytes: ArraySlice<UInt8>, to destination: CInt, in piece: Int, pausing delay: UInt32) -> Bool {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let length = min(max(1, piece), bytes.endIndex - offset)
            let sent = bytes[offset..<(offset + length)].withUnsafeBytes {
                Foundation.send(destination, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
            if delay > 0 { usleep(delay) }
        }
        return true
    }

    /// One forwarding thread ended; the last one closes the connection's sockets.
    private func finished(_ connection: Connection) {
        withState {
            connection.threads -= 1
            guard connection.threads == 0 else { return }
            close(connection.client)
            if let agent = connection.agent { close(agent) }
            connections[ObjectIdentifier(connection)] = nil
        }
    }

    /// Shuts both sockets down (waking their threads); a held connection, which has no threads,
    /// is closed at once. Call with the lock held.
    private func cutLocked(_ connection: Connection) {
        guard !connection.isCut else { return }
        connection.isCut = true
        shutdown(connection.client, Int32(SHUT_RDWR))
        if let agent = connection.agent { shutdown(agent, Int32(SHUT_RDWR)) }
        if connection.threads == 0 {
            close(connection.client)
            connections[ObjectIdentifier(connection)] = nil
        }
        state.broadcast()
    }

    private func startThread(name: String, _ body: @escaping @Sendable (FaultProxyEngine) -> Void) {
        withState { runningThreads += 1 }
        let thread = Thread { [self] in
            body(self)
            withState { runningThreads -= 1 }
        }
        thread.name = name
        thread.start()
    }

    private func withState<T>(_ body: () throws -> T) rethrows -> T {
        state.lock()
        defer {
            state.broadcast()
            state.unlock()
        }
        return try body()
    }

    // MARK: Sockets

    private final class Connection: @unchecked Sendable {
        let client: CInt
        /// nil for a connection held in a stall, never connected to the agent.
        let agent: CInt?
        var agentBytes = 0
        var threads = 0
        var isCut = false

        init(client: CInt, agent: CInt?) {
            self.client = client
            self.agent = agent
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private static func listen() throws -> (CInt, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound, Foundation.listen(fd, 1024) == 0 else {
            close(fd)
            throw TimedOut(description: "fault proxy cannot listen: errno \(errno)")
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    private static func connect(port: Int) throws -> CInt {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = loopback(port: port)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else {
            close(fd)
            throw TimedOut(description: "fault proxy cannot reach port \(port): errno \(errno)")
        }
        var noDelay: CInt = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<CInt>.size))
        return fd
    }
}
