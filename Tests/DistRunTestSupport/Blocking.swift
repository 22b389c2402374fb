// Long blocking waits (a child process, a socket, a deliberate pause) run on a thread of their
// own. Swift Testing runs tests on Swift's cooperative pool, one thread per core: a test that
// blocks a pool thread for seconds starves every other test's tasks, and on a two-core machine
// two such tests starve them all (a test waiting 30 s for a Task to run then fails).

import Foundation

/// Runs `body` on a new thread and waits for it without holding a pool thread.
@discardableResult
public func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
