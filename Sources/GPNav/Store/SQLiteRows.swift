import Foundation
import GRDB
import MobileViT

/// Converting studies and trials to and from their rows in `studies` and `trials`.
enum SQLiteRows {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .throw
        return encoder
    }()

    static func json<T: Encodable>(_ value: T, what: String) throws -> String {
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw StoreError.invalidValue("\(what) cannot be stored as JSON (NaN or infinite values are not allowed)")
        }
    }

    static func decodeJSON<T: Decodable>(_ type: T.Type, _ text: String, what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StoreError.corruptRow("\(what) is not valid JSON: \(text.prefix(80))")
        }
    }

    /// Depths as stored: comma-separated, e.g. `2,4,3`.
    static func depthsText(_ depths: [Int]) -> String {
        depths.map(String.init).joined(separator: ",")
    }

    /// The architecture a trial's canonical JSON text (its `architecture` column) holds; `what`
    /// names the trial in the message of a row that holds no valid architecture.
    static func architecture(_ text: String, what: String) throws -> Architecture {
        do {
            return try ArchitectureTextCache.architecture(text)
        } catch {
            throw StoreError.corruptRow("\(what) has an invalid architecture: \(error)")
        }
    }

    static func time(_ text: String?, what: String) throws -> Date? {
        guard let text else { return nil }
        guard let date = StoreTime.date(text) else {
            throw StoreError.corruptRow("\(what) '\(text)' is not an ISO 8601 UTC time")
        }
        return date
    }

    static func finite(_ value: Double?, what: String) throws -> Double? {
        if let value, !value.isFinite { throw StoreError.invalidValue("\(what) is \(value); only finite numbers can be stored") }
        return value
    }

    // MARK: Studies

    static func insertStudy(_ study: Study, into db: Database) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO studies (name, created_at, budget_macs, budget_params, budget_memory_bytes, budget_bits,
                                 objectives, settings, family)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                study.name, StoreTime.text(study.createdAt), study.budget.macs, study.budget.params,
                study.budget.memoryBytes, study.budget.bits, study.objectives.joined(separator: ","),
                try json(study.settings, what: "the study settings"), study.family,
            ])
        return db.lastInsertedRowID
    }

    /// Writes the settings and objectives of `study` over the row with `id` (not its name or creation
    /// time), with the copies of its budget and family that queries read.
    static func updateStudy(_ study: Study, id: Int64, in db: Database) throws {
        try db.execute(sql: """
            UPDATE studies SET budget_macs = ?, budget_params = ?, budget_memory_bytes = ?, budget_bits = ?,
                               objectives = ?, settings = ?, family = ?
            WHERE id = ?
            """, arguments: [
                study.budget.macs, study.budget.params, study.budget.memoryBytes, study.budget.bits,
                study.objectives.joined(separator: ","), try json(study.settings, what: "the study settings"),
                study.family, id,
            ])
    }

    static func study(from row: Row) throws -> Study {
        let name: String = try row.decode(forColumn: "name")
        guard let createdAt = try time(try row.decode(String.self, forColumn: "created_at"), what: "created_at") else {
            throw StoreError.corruptRow("study '\(name)' has no creation time")
        }
        return Study(id: try row.decode(forColumn: "id"), name: name, createdAt: createdAt,
                     settings: try settings(try row.decode(forColumn: "settings"), of: name),
                     objectives: objectives(try row.decode(forColumn: "objectives")))
    }

    /// The settings a study's `settings` column holds (both stores).
    static func settings(_ text: String, of name: String) throws -> StudySettings {
        try decodeJSON(StudySettings.self, text, what: "the settings of '\(name)'")
    }

    /// The objectives a study's `objectives` column holds, comma-separated (both stores).
    static func objectives(_ text: String) -> [String] {
        text.isEmpty ? [] : text.split(separator: ",").map(String.init)
    }

    // MARK: Trials

    /// The `trials` columns that hold a trial's architecture, in the order of
    /// ``architectureValues(_:)``: its family, its canonical JSON text (what a trial is read from
    /// and claimed by, its parts under the family's own names), and the factors every family has.
    static let architectureColumns = ["family", "architecture", "resolution", "width", "classes"]

    /// The values of ``architectureColumns`` for `architecture`; the one place that writes them on
    /// SQLite (``PostgresRows/architectureValues(_:)`` on PostgreSQL).
    static func architectureValues(_ architecture: Architecture) -> [(any DatabaseValueConvertible)?] {
        [architecture.familyName, architecture.canonicalJSON, architecture.resolution, architecture.width,
         architecture.classes]
    }

    /// `INSERT INTO trials` with every column but `id`, in the order ``insertTrial(_:number:claimKey:into:)`` binds.
    static let trialInsert = """
        INSERT INTO trials (study_id, number, state, \(architectureColumns.joined(separator: ", ")),
                            macs, params, accuracy, metrics, proposal_kind, proposal_step, proposal_acquisition,
                            predicted_accuracy, predicted_std, evaluator_output, error, started_at, finished_at,
                            heartbeat_at, worker, claim_key)
        VALUES (\(Array(repeating: "?", count: 19 + architectureColumns.count).joined(separator: ", ")))
        ON CONFLICT (study_id, claim_key) DO NOTHING
        """

    /// Inserts `trial` as given, with `number` and `claimKey`, returning its row id; nil when a
    /// trial of the study holds the claim key already.
    static func insertTrial(_ trial: Trial, number: Int, claimKey: String?, into db: Database) throws -> Int64? {
        let proposal = trial.proposal
        let head: [(any DatabaseValueConvertible)?] = [trial.studyID, number, trial.state.rawValue]
        try db.execute(sql: trialInsert, arguments: StatementArguments(head + architectureValues(trial.architecture) + [
                trial.macs, trial.params, try finite(trial.accuracy, what: "accuracy"),
                try json(trial.metrics, what: "the metrics"), proposal.kind.rawValue, proposal.step,
                try finite(proposal.acquisition, what: "the acquisition value"),
                try finite(proposal.predictedAccuracy, what: "the predicted accuracy"),
                try finite(proposal.predictedStd, what: "the predicted standard deviation"),
                trial.evaluatorOutput, trial.error, StoreTime.text(trial.startedAt),
                trial.finishedAt.map(StoreTime.text), trial.heartbeatAt.map(StoreTime.text), trial.worker, claimKey,
            ]))
        return db.changesCount > 0 ? db.lastInsertedRowID : nil
    }

    /// The `trials` columns that ``trial(from:)`` reads, in this order; select them with
    /// ``trialSelection``. Reading by position avoids a name lookup per column per row.
    static let trialColumns = [
        "id", "study_id", "number", "state", "architecture", "macs",
        "params", "accuracy", "metrics", "proposal_kind", "proposal_step", "proposal_acquisition",
        "predicted_accuracy", "predicted_std", "evaluator_output", "error", "started_at", "finished_at",
        "heartbeat_at", "worker",
    ]

    /// `SELECT ... FROM trials` with ``trialColumns``.
    static let trialSelection = "SELECT " + trialColumns.joined(separator: ", ") + " FROM trials"

    /// `SELECT ... FROM trials` with ``trialColumns``, the metrics read as `{}` and the output as
    /// NULL when `details` is false (neither is then read from disk, nor decoded).
    static func trialSelection(details: Bool) -> String {
        guard !details else { return trialSelection }
        let columns = trialColumns.map { column in
            switch column {
            case "metrics": "CAST('{}' AS TEXT) AS metrics"
            case "evaluator_output": "CAST(NULL AS TEXT) AS evaluator_output"
            default: column
            }
        }
        return "SELECT " + columns.joined(separator: ", ") + " FROM trials"
    }

    /// A trial from a row selected with ``trialSelection``.
    static func trial(from row: Row) throws -> Trial {
        let number: Int = try row.decode(atIndex: 2)
        let what = "trial \(number)"
        let stateText: String = try row.decode(atIndex: 3)
        guard let state = TrialState(rawValue: stateText) else {
            throw StoreError.corruptRow("\(what) has unknown state '\(stateText)'")
        }
        let kindText: String = try row.decode(atIndex: 9)
        guard let kind = Proposal.Kind(rawValue: kindText) else {
            throw StoreError.corruptRow("\(what) has unknown proposal kind '\(kindText)'")
        }
        let architecture = try self.architecture(try row.decode(atIndex: 4), what: what)
        guard let startedAt = try time(try row.decode(String.self, atIndex: 16), what: "started_at") else {
            throw StoreError.corruptRow("\(what) has no start time")
        }
        let metricsText: String = try row.decode(atIndex: 8)
        return Trial(
            id: try row.decode(atIndex: 0),
            studyID: try row.decode(atIndex: 1),
            number: number,
            state: state,
            architecture: architecture,
            macs: try row.decode(atIndex: 5),
            params: try row.decode(atIndex: 6),
            accuracy: try row.decode(atIndex: 7),
            metrics: metricsText == "{}" ? [:] : try decodeJSON([String: Double].self, metricsText, what: "metrics of \(what)"),
            proposal: Proposal(kind: kind, step: try row.decode(atIndex: 10),
                               acquisition: try row.decode(atIndex: 11),
                               predictedAccuracy: try row.decode(atIndex: 12),
                               predictedStd: try row.decode(atIndex: 13)),
            evaluatorOutput: try row.decode(atIndex: 14),
            error: try row.decode(atIndex: 15),
            startedAt: startedAt,
            finishedAt: try time(try row.decode(atIndex: 17), what: "finished_at"),
            heartbeatAt: try time(try row.decode(atIndex: 18), what: "heartbeat_at"),
            worker: try row.decode(atIndex: 19)
        )
    }
}
