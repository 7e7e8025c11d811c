import Foundation
import GRDB
@testable import GPNav

/// A store as the release before architecture families made it: that release's migrations only
/// (SQLite 0001-0002, PostgreSQL 0001) and rows in its columns, for the upgrade tests.
///
/// The rows are written with plain SQL in the columns that release wrote (resolution, width,
/// mv2_depths, vit_depths, classes; on PostgreSQL the claim key in its form `224|1.0|1,2|2,4,3|1000#0`),
/// so the new code meets exactly what it will find in the field.
enum ReleaseSchemaStore {
    /// The migrations that release applied, by backend.
    static func migrations(_ backend: StoreBackend) -> [SchemaMigrations.Migration] {
        switch backend {
        case .sqlite: Array(SchemaMigrations.all.prefix(2))
        case .postgres: Array(SchemaMigrations.postgres.prefix(1))
        }
    }

    /// Makes the store at `location` with that release's schema and the given rows; `claimed`
    /// trials (by index) get a claim key on PostgreSQL as that release's search stored them.
    static func make(_ backend: StoreBackend, at location: StoreLocation, studies: [Study], trials: [Trial],
                     claimed: Set<Int> = []) async throws {
        var statements = migrations(backend).flatMap(\.statements)
        switch backend {
        case .sqlite:
            statements.append("CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            statements += migrations(backend).map { "INSERT INTO grdb_migrations VALUES (\(literal($0.identifier)))" }
        case .postgres:
            statements.append("CREATE TABLE gpnav_migrations (identifier TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            statements += migrations(backend).map {
                "INSERT INTO gpnav_migrations VALUES (\(literal($0.identifier)), '2026-11-29T00:00:00.000Z')"
            }
        }
        for (index, study) in studies.enumerated() {
            statements.append("""
                INSERT INTO studies (id, name, created_at, space, budget_macs, budget_params, budget_memory_bytes,
                                     budget_bits, objectives, seed, evaluator, target_trials, settings)
                VALUES (\(index + 1), \(literal(study.name)), \(literal(StoreTime.text(study.createdAt))),
                        \(literal(try SQLiteRows.json(study.space, what: "space"))), \(literal(study.budget.macs)),
                        \(literal(study.budget.params)), \(literal(study.budget.memoryBytes)), \(literal(study.budget.bits)),
                        \(literal(study.objectives.joined(separator: ","))), \(Int64(bitPattern: study.seed)),
                        \(literal(study.evaluator)), \(study.targetTrials), \(literal(try releaseSettings(study))))
                """)
        }
        for (index, trial) in trials.enumerated() {
            let a = trial.architecture
            let p = trial.proposal
            let depths = { (d: [Int]) in d.map(String.init).joined(separator: ",") }
            var columns = "id, study_id, number, state, resolution, width, mv2_depths, vit_depths, classes, macs, params, "
                + "accuracy, metrics, proposal_kind, proposal_step, proposal_acquisition, predicted_accuracy, "
                + "predicted_std, evaluator_output, error, started_at, finished_at, heartbeat_at, worker"
            var values = [
                "\(index + 1)", "\(trial.studyID)", "\(trial.number)", literal(trial.state.rawValue), "\(a.resolution)",
                "\(a.width)", literal(depths(a.mv2Depths)), literal(depths(a.vitDepths)), "\(a.classes)", "\(trial.macs)",
                "\(trial.params)", literal(trial.accuracy), literal(try SQLiteRows.json(trial.metrics, what: "metrics")),
                literal(p.kind.rawValue), literal(p.step), literal(p.acquisition), literal(p.predictedAccuracy),
                literal(p.predictedStd), literal(trial.evaluatorOutput), literal(trial.error),
                literal(StoreTime.text(trial.startedAt)), literal(trial.finishedAt.map(StoreTime.text)),
                literal(trial.heartbeatAt.map(StoreTime.text)), literal(trial.worker),
            ]
            if backend == .postgres {
                columns += ", claim_key"
                let key = [String(a.resolution), String(a.width), depths(a.mv2Depths), depths(a.vitDepths),
                           String(a.classes)].joined(separator: "|") + "#0"
                values.append(claimed.contains(index) ? literal(key) : "NULL")
            }
            statements.append("INSERT INTO trials (\(columns)) VALUES (\(values.joined(separator: ", ")))")
        }
        if backend == .postgres {
            // Row ids given explicitly leave the sequences behind; the release's own inserts never did.
            statements += ["SELECT setval('studies_id_seq', \(max(studies.count, 1)))",
                           "SELECT setval('trials_id_seq', \(max(trials.count, 1)))"]
        }
        try await execute(statements, at: location)
    }

    /// The `settings` column as that release wrote it: an object of strings with the step factor,
    /// the joint factors and the start model (its description and its JSON), for a study with a
    /// budget; `{}` for one without (made by import).
    static func releaseSettings(_ study: Study) throws -> String {
        guard study.budget.hasLimit else { return "{}" }
        let settings = study.settings
        var strings = ["step_factor": String(settings.stepFactor), "joint_factors": String(settings.jointFactors),
                       "start": settings.start.map { String(describing: $0) } ?? "default"]
        if let start = settings.start { strings["start_architecture"] = try SQLiteRows.json(start, what: "start") }
        return try SQLiteRows.json(strings, what: "settings")
    }

    /// The first column of every row `sql` returns, as text.
    static func texts(_ sql: String, at location: StoreLocation) async throws -> [String] {
        switch location {
        case .sqlite(let path):
            return try await DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: sql) }
        case .postgres(let url):
            #if PostgreSQL
            let connections = PostgresConnections(url: url)
            do {
                let texts: [String] = try await connections.withConnection { connection in
                    try await PostgresSession(connection: connection, connections: connections).rows(sql).map { try $0.get(0) }
                }
                await connections.close()
                return texts
            } catch {
                await connections.close()
                throw error
            }
            #else
            throw FeatureNotBuilt(feature: .postgreSQL, needed: url.redacted)
            #endif
        }
    }

    /// Runs `statements` in order, in one transaction.
    static func execute(_ statements: [String], at location: StoreLocation) async throws {
        switch location {
        case .sqlite(let path):
            try await DatabaseQueue(path: path).write { db in
                for statement in statements { try db.execute(sql: statement) }
            }
        case .postgres(let url):
            #if PostgreSQL
            let connections = PostgresConnections(url: url)
            defer { connections.closeWithoutWaiting() }
            try await connections.withConnection { connection in
                let session = PostgresSession(connection: connection, connections: connections)
                try await session.rows("BEGIN")
                if let schema = url.schema {
                    try await session.rows("CREATE SCHEMA IF NOT EXISTS \"\(schema)\"")
                    try await session.rows("SET LOCAL search_path TO \"\(schema)\"")
                }
                for statement in statements { try await session.rows(statement) }
                try await session.rows("COMMIT")
            }
            #else
            throw FeatureNotBuilt(feature: .postgreSQL, needed: url.redacted)
            #endif
        }
    }

    /// An SQL literal: a quoted string, a number as Swift writes it, or NULL.
    static func literal(_ value: String?) -> String {
        value.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" } ?? "NULL"
    }

    static func literal(_ value: Int?) -> String { value.map(String.init) ?? "NULL" }

    static func literal(_ value: Double?) -> String { value.map { "\($0)" } ?? "NULL" }
}
