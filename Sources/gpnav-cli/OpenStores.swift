import Dispatch
import Foundation
import GPNav

/// The databases this process opened, closed before it exits, however it exits.
///
/// Closing a SQLite store that wrote checkpoints the write-ahead log into the database file, so that
/// a command leaves a file that holds everything whether it ends with success, an error (`exit`
/// would skip the stores' own clean-up) or a stop signal (``StopSignals`` closes them before it
/// exits); closing a PostgreSQL store ends its connections as the protocol asks, for readers too,
/// rather than dropping them. Only SIGKILL skips this, and both backends keep what was committed.
enum OpenStores {
    nonisolated(unsafe) private static var stores: [any ClosableTrialStore] = []
    private static let lock = NSLock()

    /// Remembers `store` so that ``closeAll()`` closes it, and installs the stop signals'
    /// handlers, which close it too; returns it.
    static func track(_ store: any ClosableTrialStore) -> any ClosableTrialStore {
        lock.withLock { stores.append(store) }
        StopSignals.install()
        return store
    }

    /// Closes every tracked store; the first failure is thrown after all were tried.
    static func closeAll() async throws {
        var firstError: (any Error)?
        for store in takeAll() {
            do { try await store.close() } catch { firstError = firstError ?? error }
        }
        if let firstError { throw firstError }
    }

    /// Closes every tracked store from a thread outside Swift's task pool (a signal handler),
    /// waiting at most `seconds`: other threads may still be using a store, and a close waits for
    /// their statement to end; later uses fail.
    static func closeAllNow(within seconds: Double) {
        let closing = takeAll()
        guard !closing.isEmpty else { return }
        let done = DispatchSemaphore(value: 0)
        Thread {
            for store in closing {
                if let file = store as? SQLiteTrialStore {
                    // Synchronous: the task pool may be busy with the work being stopped.
                    try? file.close()
                } else {
                    let closed = DispatchSemaphore(value: 0)
                    Task.detached {
                        try? await store.close()
                        closed.signal()
                    }
                    closed.wait()
                }
            }
            done.signal()
        }.start()
        _ = done.wait(timeout: .now() + seconds)
    }

    private static func takeAll() -> [any ClosableTrialStore] {
        lock.withLock {
            defer { stores.removeAll() }
            return stores
        }
    }
}
