#if PostgreSQL
import Foundation
import MobileViT

/// Rows of the PostgreSQL schema to and from ``Study`` and ``Trial`` (the same columns as SQLite's).
enum PostgresRows {
    static let studyColumns = "id, name, created_at, budget_macs, budget_params, budget_memory_bytes, budget_bits, objectives, settings, family"

    static let studySelection = "SELECT \(studyColumns) FROM studies"

    /// The values of a study's columns after `id` and `name`, in ``studyColumns`` order from `created_at`
    /// (the family last).
    static func studyValues(_ study: Study) throws -> [PostgresValue] {
        [
            .text(StoreTime.text(study.createdAt)), .int(study.budget.macs), .int(study.budget.params),
            .int(study.budget.memoryBytes), .int(study.budget.bits), .text(study.objectives.joined(separator: ",")),
            .text(try SQLiteRows.json(study.settings, what: "the study settings")), .text(study.family),
        ]
    }

    static func study(from row: PostgresValues) throws -> Study {
        let name: String = try row.get(1)
        guard let createdAt = try SQLiteRows.time(try row.get(2, as: String.self), what: "created_at") else {
            throw StoreError.corruptRow("study '\(name)' has no creation time")
        }
        return Study(id: try row.get(0), name: name, createdAt: createdAt,
                     settings: try SQLiteRows.settings(try row.get(8), of: name),
                     objectives: SQLiteRows.objectives(try row.get(7)))
    }

    /// The trial columns, in the order ``trial(from:)`` reads them (as ``SQLiteRows/trialColumns``).
    static let trialSelection = "SELECT " + SQLiteRows.trialColumns.joined(separator: ", ") + " FROM trials"

    static let trialInsert = """
        INSERT INTO trials (study_id, number, state, \(SQLiteRows.architectureColumns.joined(separator: ", ")),
                            macs, params, accuracy, metrics, proposal_kind, proposal_step, proposal_acquisition,
                            predicted_accuracy, predicted_std, evaluator_output, error, started_at, finished_at,
                            heartbeat_at, worker, claim_key)
        VALUES (\((1...(19 + SQLiteRows.architectureColumns.count)).map { "$\($0)" }.joined(separator: ", ")))
        """

    /// The values of ``SQLiteRows/architectureColumns`` for `architecture`; the one place that
    /// writes them on PostgreSQL.
    static func architectureValues(_ architecture: Architecture) -> [PostgresValue] {
        [.text(architecture.familyName), .text(architecture.canonicalJSON), .int(architecture.resolution),
         .double(architecture.width), .int(architecture.classes)]
    }

    static func trialValues(_ trial: Trial, number: Int, claimKey: String?) throws -> [PostgresValue] {
        let proposal = trial.proposal
        return [.int(trial.studyID), .int(number), .text(trial.state.rawValue)] + architectureValues(trial.architecture) + [
            .int(trial.macs), .int(trial.params), .double(try SQLiteRows.finite(trial.accuracy, what: "accuracy")),
            .text(try SQLiteRows.json(trial.metrics, what: "the metrics")), .text(proposal.kind.rawValue),
            .int(proposal.step), .double(try SQLiteRows.finite(proposal.acquisition, what: "the acquisition value")),
            .double(try SQLiteRows.finite(proposal.predictedAccuracy, what: "the predicted accuracy")),
            .double(try SQLiteRows.finite(proposal.predictedStd, what: "the predicted standard deviation")),
            .text(trial.evaluatorOutput), .text(trial.error), .text(StoreTime.text(trial.startedAt)),
            .text(trial.finishedAt.map(StoreTime.text)), .text(trial.heartbeatAt.map(StoreTime.text)),
            .text(trial.worker), .text(claimKey),
        ]
    }

    static func trial(from row: PostgresValues) throws -> Trial {
        let number = try row.int(2)
        let what = "trial \(number)"
        let stateText: String = try row.get(3)
        guard let state = TrialState(rawValue: stateText) else {
            throw StoreError.corruptRow("\(what) has unknown state '\(stateText)'")
        }
        let kindText: String = try row.get(9)
        guard let kind = Proposal.Kind(rawValue: kindText) else {
            throw StoreError.corruptRow("\(what) has unknown proposal kind '\(kindText)'")
        }
        let architecture = try SQLiteRows.architecture(try row.get(4), what: what)
        guard let startedAt = try SQLiteRows.time(try row.get(16, as: String.self), what: "started_at") else {
            throw StoreError.corruptRow("\(what) has no start time")
        }
        let metricsText: String = try row.get(8)
        return Trial(
            id: try row.get(0), studyID: try row.get(1), number: number, state: state, architecture: architecture,
            macs: try row.int(5), params: try row.int(6), accuracy: try row.get(7),
            metrics: metricsText == "{}" ? [:] : try SQLiteRows.decodeJSON([String: Double].self, metricsText,
                                                                           what: "metrics of \(what)"),
            proposal: Proposal(kind: kind, step: try row.optionalInt(10), acquisition: try row.get(11),
                               predictedAccuracy: try row.get(12), predictedStd: try row.get(13)),
            evaluatorOutput: try row.get(14), error: try row.get(15), startedAt: startedAt,
            finishedAt: try SQLiteRows.time(try row.get(17), what: "finished_at"),
            heartbeatAt: try SQLiteRows.time(try row.get(18), what: "heartbeat_at"),
            worker: try row.get(19)
        )
    }
}
#endif
