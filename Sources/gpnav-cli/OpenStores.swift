import Foundation
import GPNav

/// The databases this process opened, closed before it exits.
///
/// Closing a SQLite store that wrote checkpoints the write-ahead log into the database file, so that
/// a command leaves a file that holds everything whether it ends with success or an error (`exit`
/// would skip the stores' own clean-up); closing a PostgreSQL store ends its connections as the
/// protocol asks, for readers too, rather than dropping them. A stop by signal skips this: both
/// keep what was committed anyway.
enum OpenStores {
    nonisolated(unsafe) private static var stores: [any ClosableTrialStore] = []
    private static let lock = NSLock()

    /// Remembers `store` so that ``closeAll()`` closes it; returns it.
    static func track(_ store: any ClosableTrialStore) -> any ClosableTrialStore {
        lock.withLock { stores.append(store) }
        return store
    }

    /// Closes every tracked store; the first failure is thrown after all were tried.
    static func closeAll() async throws {
        let closing = lock.withLock {
            defer { stores.removeAll() }
            return stores
        }
        var firstError: (any Error)?
        for store in closing {
            do { try await store.close() } catch { firstError = firstError ?? error }
        }
        if let firstError { throw firstError }
    }
}
