#if PostgreSQL
import Foundation
import PostgresNIO
import Testing
@testable import GPNav

@Suite("PostgreSQL connection pool")
struct PostgresPoolTests {
    /// With all ``PostgresConnections/maximumConnections`` connections held by transactions that
    /// sleep before they commit, many more callers than Swift's cooperative pool has threads ask
    /// for one. A caller that blocked its thread while waiting would leave no thread to wake the
    /// sleeping holders, and nothing would finish; suspended callers let them commit, and every
    /// caller then gets a connection in turn.
    @Test(.enabled(if: StoreBackend.postgresURL != nil, "needs GPNAV_TEST_POSTGRES_URL"))
    func callersWaitingForABusyPoolHoldNoThreadAndAllFinish() async throws {
        let (opened, _, _) = try await StoreBackend.postgres.storeWithStudy("pool")
        let store = try #require(opened as? PostgresTrialStore)
        let holders = PostgresTrialStore.maximumConnections
        let waiters = 8 * max(2, ProcessInfo.processInfo.activeProcessorCount)
        let (held, holding) = AsyncStream<Void>.makeStream()
        // Starved callers would also starve the test's own time limit: a thread of its own ends the
        // run with a message instead of letting it hang.
        let done = DispatchSemaphore(value: 0)
        Thread {
            if done.wait(timeout: .now() + 60) == .timedOut {
                fatalError("callers waiting for a PostgreSQL connection hold every cooperative thread: nothing finishes")
            }
        }.start()
        defer { done.signal() }
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<holders {
                group.addTask {
                    try await store.transaction { session in
                        try await session.rows("SELECT 1")
                        holding.yield()
                        try await Task.sleep(nanoseconds: 300_000_000)
                        return 0
                    }
                }
            }
            var acquired = 0
            for await _ in held {
                acquired += 1
                if acquired == holders { break }
            }
            for _ in 0..<waiters {
                group.addTask { try await store.studies().count }
            }
            var finished = 0
            var studies = 0
            for try await count in group {
                finished += 1
                studies += count
            }
            #expect(finished == holders + waiters)
            #expect(studies == waiters)
        }
        try await store.close()
    }

    /// A statement that gets no answer within the statement timeout fails as
    /// ``PostgresConnections/NoAnswer`` (not with the error that closing its connection causes),
    /// while the statement cannot have ended: it waits for an advisory lock that another session
    /// holds throughout. The pool then answers again on a new connection.
    @Test(.enabled(if: StoreBackend.postgresURL != nil, "needs GPNAV_TEST_POSTGRES_URL"), .timeLimit(.minutes(5)))
    func aStatementWithoutAnAnswerInTimeFailsThenAndThePoolAnswersAgain() async throws {
        let url = try PostgresURL(try #require(StoreBackend.postgresURL))
        let impatient = PostgresConnections(url: url, statementTimeout: .seconds(1))
        let holder = PostgresConnections(url: url)
        let key = Int64.random(in: 1...Int64(Int32.max))
        func held() async throws -> Int {
            try await holder.withConnection { connection in
                try await holder.run(PostgresQuery(unsafeSQL: "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' "
                                                   + "AND objid = \(key) AND granted"), on: connection)
            }.count
        }
        // A session-level lock: the holder's connection keeps it while it idles in its pool.
        _ = try await holder.withConnection { connection in
            try await holder.run(PostgresQuery(unsafeSQL: "SELECT pg_advisory_lock(\(key))"), on: connection)
        }
        #expect(try await held() == 1)
        await #expect(throws: PostgresConnections.NoAnswer.self) {
            try await impatient.withConnection { connection in
                try await impatient.run(PostgresQuery(unsafeSQL: "SELECT pg_advisory_lock(\(key))"), on: connection)
            }
        }
        #expect(try await held() == 1, "the lock was held throughout: the statement could not have answered")
        await holder.close()
        // The pool answers again, on a new connection. (A few tries: on a busy machine even
        // `SELECT 1` can miss a one-second timeout.)
        var answered = false
        for _ in 0..<5 where !answered {
            let rows = try? await impatient.withConnection { connection in
                try await impatient.run(PostgresQuery(unsafeSQL: "SELECT 1"), on: connection)
            }
            answered = rows?.count == 1
        }
        #expect(answered)
        await impatient.close()
    }
}
#endif
