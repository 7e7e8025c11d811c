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

    /// A statement that gets no answer within the statement timeout fails as ``PostgresConnections/NoAnswer``
    /// once the timeout is up, without waiting for the statement, and the pool then answers on a new connection.
    @Test(.enabled(if: StoreBackend.postgresURL != nil, "needs GPNAV_TEST_POSTGRES_URL"))
    func aStatementWithoutAnAnswerInTimeFailsThenAndThePoolAnswersAgain() async throws {
        let url = try PostgresURL(try #require(StoreBackend.postgresURL))
        let connections = PostgresConnections(url: url, statementTimeout: .seconds(1))
        let started = ContinuousClock.now
        await #expect(throws: PostgresConnections.NoAnswer.self) {
            try await connections.withConnection { connection in
                try await connections.run(PostgresQuery(unsafeSQL: "SELECT pg_sleep(30)"), on: connection)
            }
        }
        #expect(ContinuousClock.now - started < .seconds(10), "the answer came at the timeout, not with the statement")
        let rows = try await connections.withConnection { connection in
            try await connections.run(PostgresQuery(unsafeSQL: "SELECT 1"), on: connection)
        }
        #expect(rows.count == 1)
        await connections.close()
    }
}
