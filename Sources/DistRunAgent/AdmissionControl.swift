// How many connections the agent holds, and which have not authenticated yet. A new
// connection over the total cap is refused; one over the unauthenticated cap evicts the oldest
// unauthenticated connection (OpenSSH's MaxStartups drops at random; dropping the oldest means
// a crowd of idle connections cannot lock out a client that is busy completing its handshake).

import NIOConcurrencyHelpers
import NIOCore

final class AdmissionControl: Sendable {
    private struct State {
        var total = 0
        var unauthenticated: [(id: ObjectIdentifier, channel: Channel)] = []
    }

    private let maxConnections: Int
    private let maxUnauthenticated: Int
    private let state = NIOLockedValueBox(State())

    init(maxConnections: Int, maxUnauthenticated: Int) {
        self.maxConnections = maxConnections
        self.maxUnauthenticated = maxUnauthenticated
    }

    /// Counts `channel` in, or returns false when the agent is full. Its release is automatic.
    func admit(_ channel: Channel) -> Bool {
        let id = ObjectIdentifier(channel)
        let (admitted, evicted) = state.withLockedValue { state -> (Bool, Channel?) in
            guard state.total < maxConnections else { return (false, nil) }
            state.total += 1
            state.unauthenticated.append((id, channel))
            guard state.unauthenticated.count > maxUnauthenticated else { return (true, nil) }
            return (true, state.unauthenticated.removeFirst().channel)
        }
        evicted?.close(promise: nil)
        if admitted { channel.closeFuture.whenComplete { _ in self.release(id) } }
        return admitted
    }

    func authenticated(_ channel: Channel) {
        let id = ObjectIdentifier(channel)
        state.withLockedValue { $0.unauthenticated.removeAll { $0.id == id } }
    }

    var counts: (total: Int, unauthenticated: Int) {
        state.withLockedValue { ($0.total, $0.unauthenticated.count) }
    }

    private func release(_ id: ObjectIdentifier) {
        state.withLockedValue { state in
            state.total -= 1
            state.unauthenticated.removeAll { $0.id == id }
        }
    }
}
