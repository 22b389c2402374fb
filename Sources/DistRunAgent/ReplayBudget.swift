// The agent's bound on output held for replay across all kept sessions (`--replay-budget`):
// each session holds at most its own `--replay-bytes`, and all together at most this. A
// session that pushes the total over the budget sheds its own oldest output first, so the
// sessions producing the most lose history, not the quiet ones.

import NIOConcurrencyHelpers

final class ReplayBudget: Sendable {
    let limitBytes: Int
    private let heldBytes = NIOLockedValueBox(0)

    init(limitBytes: Int) { self.limitBytes = limitBytes }

    /// Records a change of `delta` bytes held; returns how many bytes the caller must shed now.
    func change(by delta: Int) -> Int {
        heldBytes.withLockedValue { held in
            held += delta
            return max(0, held - limitBytes)
        }
    }

    var held: Int { heldBytes.withLockedValue { $0 } }
}
