// An agent-wide bound on bytes that all sessions together may hold. Two are kept (in the
// SessionRegistry): output held for replay by kept sessions (`--replay-budget`), where a session
// that pushes the total over the budget sheds its own oldest output first, so the sessions
// producing the most lose history, not the quiet ones; and enlarged command pipes, where a pipe
// that does not fit keeps Linux's default size.

import NIOConcurrencyHelpers

final class ByteBudget: Sendable {
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

    /// Takes `bytes` if they fit; false leaves the budget unchanged.
    func reserve(_ bytes: Int) -> Bool {
        heldBytes.withLockedValue { held in
            guard held + bytes <= limitBytes else { return false }
            held += bytes
            return true
        }
    }

    var held: Int { heldBytes.withLockedValue { $0 } }
}
