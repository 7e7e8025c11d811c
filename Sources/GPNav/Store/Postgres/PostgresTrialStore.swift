#if PostgreSQL
import Foundation
import PostgresNIO

/// The PostgreSQL backend of ``TrialStore``: one database shared by gpnav processes on many machines.
///
/// Connections come from a bounded pool (``PostgresTrialStore/maximumConnections`` per process).
/// Every call runs in one transaction. Trial numbers are assigned while the study's row is locked
/// (`SELECT ... FOR UPDATE`), so they are unique and gap-free under any number of writers; a claim
/// stores a canonical architecture key under `UNIQUE (study_id, claim_key)`, so the database
/// itself refuses a second claim of one architecture. Serialization failures and deadlocks are
/// retried inside the store. A lost connection (the server restarting) is retried with backoff
/// for ``PostgresTrialStore/reconnectWindow`` before the call fails with
/// ``StoreError/connectionLost(store:seconds:detail:)``; the first connection is not retried,
/// so a wrong host, port, user, password or database name fails at once (within the 10 s
/// connect timeout). The schema comes from `Database/postgres/*.sql`, applied by the first
/// writing process under an advisory lock and recorded in `gpnav_migrations`.
final class PostgresTrialStore: ClosableTrialStore {
    /// The most connections one process holds to one store, whatever `--parallel` is.
    public static let maximumConnections = PostgresConnections.maximumConnections
    /// How long a lost connection is retried before a call fails.
    public static let reconnectWindow: TimeInterval = 30

    /// The store's location; its description never shows the password.
    public let url: PostgresURL
    /// Whether the store was opened for reading only.
    public let isReadOnly: Bool
    let connections: PostgresConnections
    /// The name messages use: the URL without its password.
    var name: String { url.redacted }

    /// Connects to `url` and checks (or, for writing, brings up to date) its schema.
    /// - Throws: ``StoreError`` with one line saying what failed; the password never appears.
    public init(url: PostgresURL, access: StoreAccess) async throws(StoreError) {
        self.url = url
        connections = PostgresConnections(url: url)
        switch access {
        case .readOnly: isReadOnly = true
        case .readWrite: isReadOnly = false
        }
        do {
            try await connections.withConnection { _ in }
        } catch {
            throw Self.connectError(error, url: url)
        }
        var createIfMissing = false
        if case .readWrite(let create) = access { createIfMissing = create }
        try await prepareSchema(createIfMissing: createIfMissing)
    }

    deinit {
        connections.closeWithoutWaiting()
    }

    public func close() async throws(StoreError) {
        await connections.close()
    }

    // MARK: Schema

    /// The schema's migration identifiers already applied, or nil when gpnav's table is missing.
    private func appliedMigrations(_ session: PostgresSession) async throws -> [String]? {
        guard try await session.row("SELECT to_regclass('gpnav_migrations') IS NOT NULL")?.get(0, as: Bool.self) == true else {
            return nil
        }
        return try await session.rows("SELECT identifier FROM gpnav_migrations ORDER BY identifier").map { try $0.get(0) }
    }

    private func prepareSchema(createIfMissing: Bool) async throws(StoreError) {
        let known = SchemaMigrations.postgres.map(\.identifier)
        let applied = try await transaction(readOnly: true) { session in try await appliedMigrations(session) }
        if let applied {
            let unknown = Set(applied).subtracting(known).sorted()
            guard unknown.isEmpty else { throw .newerSchema(path: name, unknown: unknown) }
            if applied.count == known.count { return }
            if isReadOnly { throw .olderSchema(path: name) }
        } else if isReadOnly || !createIfMissing {
            throw .noDatabase(path: name)
        }
        try await transaction { session in
            // One process migrates at a time; the others wait here, then find the schema current.
            try await session.rows("SELECT pg_advisory_xact_lock(\(Self.migrationLockKey))")
            if let schema = url.schema {
                try await session.rows("CREATE SCHEMA IF NOT EXISTS \"\(schema)\"")
                try await session.rows("SET LOCAL search_path TO \"\(schema)\"")
            }
            try await session.rows("""
                CREATE TABLE IF NOT EXISTS gpnav_migrations (identifier TEXT PRIMARY KEY, applied_at TEXT NOT NULL)
                """)
            let done = Set(try await appliedMigrations(session) ?? [])
            for migration in SchemaMigrations.postgres where !done.contains(migration.identifier) {
                for statement in migration.statements { try await session.rows(statement) }
                try await session.rows("INSERT INTO gpnav_migrations (identifier, applied_at) VALUES ($1, $2)",
                                 [.text(migration.identifier), .text(StoreTime.text(Date()))])
            }
        }
    }

    /// The advisory lock held while migrating ("gpnav" in ASCII).
    static let migrationLockKey: Int64 = 0x67_706E_6176

    // MARK: Transactions and errors

    /// Runs `body` in one transaction on a pooled connection and commits. Serialization failures
    /// and deadlocks start it again; a lost connection starts it again on a new connection, with
    /// backoff, for ``reconnectWindow``. ``StoreError``s thrown by `body` end it at once, and a
    /// cancelled task is not retried.
    func transaction<T>(readOnly: Bool = false,
                        _ body: (PostgresSession) async throws -> T) async throws(StoreError) -> T {
        if !readOnly, isReadOnly { throw .readOnly(path: name, reason: StoreError.openedForReading) }
        var conflicts = 0
        var lostSince: Date?
        var pause = 0.05
        while true {
            do {
                return try await connections.withConnection { connection in
                    let session = PostgresSession(connection: connection, connections: connections)
                    try await session.rows(readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN")
                    do {
                        let result = try await body(session)
                        try await session.rows("COMMIT")
                        return result
                    } catch {
                        // A lost connection has no transaction left to roll back (and would only
                        // keep the retry waiting for the statement timeout).
                        if !connection.isClosed, !PostgresConnections.isConnectionError(error) {
                            _ = try? await session.rows("ROLLBACK")
                        }
                        throw error
                    }
                }
            } catch let error as StoreError {
                throw error
            } catch {
                // A cancelled caller is not retried (its pauses would end at once).
                if Task.isCancelled { throw Self.storeError(error, url: url) }
                if let state = PostgresConnections.sqlState(error), ["40001", "40P01"].contains(state), conflicts < 50 {
                    conflicts += 1
                    try? await Task.sleep(nanoseconds: UInt64.random(in: 1_000_000...20_000_000))
                    continue
                }
                guard PostgresConnections.isConnectionError(error) else { throw Self.storeError(error, url: url) }
                let since = lostSince ?? Date()
                lostSince = since
                guard Date().timeIntervalSince(since) < Self.reconnectWindow else {
                    throw .connectionLost(store: name, seconds: Int(Self.reconnectWindow), detail: Self.detail(error))
                }
                try? await Task.sleep(nanoseconds: UInt64(pause * 1_000_000_000 * Double.random(in: 0.5...1.0)))
                pause = min(pause * 2, 2)
            }
        }
    }

    /// The error for a failed first connection: which of host, port, user, password or database.
    static func connectError(_ error: any Error, url: PostgresURL) -> StoreError {
        let store = url.redacted
        switch PostgresConnections.sqlState(error) {
        case "28P01": return .unreachable(store: store, detail: "password authentication failed for user '\(url.user)'")
        case "28000": return .unreachable(store: store, detail: "user '\(url.user)' may not connect (\(detail(error)))")
        case "3D000": return .unreachable(store: store, detail: "database '\(url.database)' does not exist")
        case .some: return .unreachable(store: store, detail: detail(error))
        case nil: break
        }
        if let error = error as? PSQLError, error.code == .authMechanismRequiresPassword {
            return .unreachable(store: store, detail: "the server asks for a password and the URL has none")
        }
        return .unreachable(store: store, detail: "no PostgreSQL server answers at \(url.host):\(url.port) (\(detail(error)))")
    }

    /// The ``StoreError`` for a failed statement: a write the server refuses (a standby, or a user
    /// without the privilege) is the store being read-only, with the server's reason.
    static func storeError(_ error: any Error, url: PostgresURL) -> StoreError {
        if let storeError = error as? StoreError { return storeError }
        switch PostgresConnections.sqlState(error) {
        case "25006": return .readOnly(path: url.redacted, reason: "the server allows only read-only transactions: \(detail(error))")
        case "42501": return .readOnly(path: url.redacted, reason: "user '\(url.user)' lacks the privilege: \(detail(error))")
        default: return .backend(store: url.redacted, message: detail(error))
        }
    }

    /// One line about `error`: the server's message when it sent one.
    static func detail(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return message + (error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
            }
            if let underlying = error.underlying { return "\(error.code): \(underlying)" }
            return "\(error.code)"
        }
        return String(describing: error).replacingOccurrences(of: "\n", with: " ")
    }
}
#endif
