#if PostgreSQL
import Foundation
import PostgresNIO
import Synchronization
import Testing
@testable import GPNav

/// Migrations take an advisory lock per schema: a schema's first open waits only for another
/// migration of the same schema. With one key for the whole database, every test's new schema
/// queued behind every other's, and on a loaded machine (load 15 to 30) the wait passed the
/// 20 s statement timeout.
@Suite("PostgreSQL migration lock")
struct PostgresMigrationLockTests {
    @Test(.enabled(if: StoreBackend.postgresURL != nil, "needs GPNAV_TEST_POSTGRES_URL"), .timeLimit(.minutes(5)))
    func aMigrationWaitsOnlyForItsOwnSchema() async throws {
        guard case .postgres(let busy) = try StoreBackend.postgres.newLocation(),
              case .postgres(let other) = try StoreBackend.postgres.newLocation() else { return }
        #expect(PostgresTrialStore.migrationLockKey(schema: busy.schema) != PostgresTrialStore.migrationLockKey(schema: other.schema))
        #expect(PostgresTrialStore.migrationLockKey(schema: nil) == PostgresTrialStore.migrationLockKey)
        // Another process migrating `busy`: it holds that schema's lock throughout.
        let holder = PostgresConnections(url: busy)
        let key = PostgresTrialStore.migrationLockKey(schema: busy.schema)
        _ = try await holder.withConnection { connection in
            try await holder.run(PostgresQuery(unsafeSQL: "SELECT pg_advisory_lock(\(key))"), on: connection)
        }
        // Another schema opens meanwhile (with a shared key it waited for the holder until the
        // statement timeout, and failed).
        do {
            let opened = try await openStore(.postgres(other), access: .readWrite(createIfMissing: true))
            #expect(try await opened.studies().isEmpty)
            try await opened.close()
        } catch {
            await holder.close()  // a connection must be closed before it goes away
            throw error
        }
        // The busy schema's own open waits for the holder, then finds its way.
        let done = Mutex(false)
        let waiting = Task {
            let store = try await openStore(.postgres(busy), access: .readWrite(createIfMissing: true))
            done.withLock { $0 = true }
            return store
        }
        try await Task.sleep(for: .seconds(1))
        #expect(!done.withLock { $0 }, "the busy schema opened while its migration lock was held")
        await holder.close()
        let store = try await waiting.value
        #expect(try await store.studies().isEmpty)
        try await store.close()
    }
}
#endif
