// The agent's kept sessions by id, shared by every connection (and so every event loop): a
// resuming connection finds its session here. Sessions remove themselves when they end. It
// also holds the agent-wide budgets for replay output and enlarged pipes.

import DistRunTransport
import DistRunWire
import NIOConcurrencyHelpers

final class SessionRegistry: Sendable {
    private let sessions = NIOLockedValueBox<[SessionID: CommandSession]>([:])
    /// Output held for replay by all kept sessions together.
    let budget: ByteBudget
    /// Enlarged output pipes of all sessions together.
    let pipeBudget = ByteBudget(limitBytes: Streaming.enlargedPipesBudgetBytes)

    init(replayBudgetBytes: Int) { budget = ByteBudget(limitBytes: replayBudgetBytes) }

    func add(_ session: CommandSession) {
        guard let id = session.id else { return }
        sessions.withLockedValue { $0[id] = session }
    }

    func remove(_ id: SessionID) {
        _ = sessions.withLockedValue { $0.removeValue(forKey: id) }
    }

    /// The session `id`, if it is still kept and `client` (a fingerprint, nil without
    /// authentication) started it: another client is told the same as for an unknown id.
    func session(_ id: SessionID, for client: String?) -> CommandSession? {
        sessions.withLockedValue { $0[id] }.flatMap { $0.owner == client ? $0 : nil }
    }
}
