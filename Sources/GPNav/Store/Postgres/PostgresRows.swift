import Foundation
import MobileViT

/// Rows of the PostgreSQL schema to and from ``Study`` and ``Trial`` (the same columns as SQLite's).
enum PostgresRows {
    static let studyColumns = """
        id, name, created_at, space, budget_macs, budget_params, budget_memory_bytes, budget_bits, objectives,
        seed, evaluator, target_trials, settings
        """

    static let studySelection = "SELECT \(studyColumns) FROM studies"

    /// The values of a study's columns after `id` and `name`... in ``studyColumns`` order from `created_at`.
    static func studyValues(_ study: Study) throws -> [PostgresValue] {
        [
            .text(StoreTime.text(study.createdAt)), .text(try SQLiteRows.json(study.space, what: "the search space")),
            .int(study.budget.macs), .int(study.budget.params), .int(study.budget.memoryBytes), .int(study.budget.bits),
            .text(study.objectives.joined(separator: ",")), .int(Int64(bitPattern: study.seed)), .text(study.evaluator),
            .int(study.targetTrials), .text(try SQLiteRows.json(study.settings, what: "the study settings")),
        ]
    }

    static func study(from row: PostgresValues) throws -> Study {
        let name: String = try row.get(1)
        let objectives: String = try row.get(8)
        guard let createdAt = try SQLiteRows.time(try row.get(2, as: String.self), what: "created_at") else {
            throw StoreError.corruptRow("study '\(name)' has no creation time")
        }
        return Study(
            id: try row.get(0),
            name: name,
            createdAt: createdAt,
            space: try SQLiteRows.decodeJSON(SearchSpace.self, try row.get(3), what: "the search space of '\(name)'"),
            budget: Budget(macs: try row.optionalInt(4), params: try row.optionalInt(5),
                           memoryBytes: try row.optionalInt(6), bits: try row.optionalInt(7)),
            objectives: objectives.isEmpty ? [] : objectives.split(separator: ",").map(String.init),
            seed: UInt64(bitPattern: try row.get(9, as: Int64.self)),
            evaluator: try row.get(10),
            targetTrials: try row.int(11),
            settings: try SQLiteRows.decodeJSON([String: String].self, try row.get(12), what: "the settings of '\(name)'")
        )
    }

    /// The trial columns, in the order ``trial(from:)`` reads them (as ``SQLiteRows/trialColumns``).
    static let trialSelection = "SELECT " + SQLiteRows.trialColumns.joined(separator: ", ") + " FROM trials"

    static let trialInsert = """
        INSERT INTO trials (study_id, number, state, resolution, width, mv2_depths, vit_depths, classes,
                            macs, params, accuracy, metrics, proposal_kind, proposal_step, proposal_acquisition,
                            predicted_accuracy, predicted_std, evaluator_output, error, started_at, finished_at,
                            heartbeat_at, worker, claim_key)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
                $23, $24)
        """

    static func trialValues(_ trial: Trial, number: Int, claimKey: String?) throws -> [PostgresValue] {
        let architecture = trial.architecture
        let proposal = trial.proposal
        return [
            .int(trial.studyID), .int(number), .text(trial.state.rawValue), .int(architecture.resolution),
            .double(architecture.width), .text(SQLiteRows.depthsText(architecture.mv2Depths)),
            .text(SQLiteRows.depthsText(architecture.vitDepths)), .int(architecture.classes), .int(trial.macs),
            .int(trial.params), .double(try SQLiteRows.finite(trial.accuracy, what: "accuracy")),
            .text(try SQLiteRows.json(trial.metrics, what: "the metrics")), .text(proposal.kind.rawValue),
            .int(proposal.step), .double(try SQLiteRows.finite(proposal.acquisition, what: "the acquisition value")),
            .double(try SQLiteRows.finite(proposal.predictedAccuracy, what: "the predicted accuracy")),
            .double(try SQLiteRows.finite(proposal.predictedStd, what: "the predicted standard deviation")),
            .text(trial.evaluatorOutput), .text(trial.error), .text(StoreTime.text(trial.startedAt)),
            .text(trial.finishedAt.map(StoreTime.text)), .text(trial.heartbeatAt.map(StoreTime.text)),
            .text(trial.worker), .text(claimKey),
        ]
    }

    /// The canonical key of an architecture within a study, with the attempt it is claimed for.
    static func claimKey(_ architecture: Architecture, attempt: Int) -> String {
        [String(architecture.resolution), String(architecture.width), SQLiteRows.depthsText(architecture.mv2Depths),
         SQLiteRows.depthsText(architecture.vitDepths), String(architecture.classes)].joined(separator: "|")
            + "#\(attempt)"
    }

    static func trial(from row: PostgresValues) throws -> Trial {
        let number = try row.int(2)
        let what = "trial \(number)"
        let stateText: String = try row.get(3)
        guard let state = TrialState(rawValue: stateText) else {
            throw StoreError.corruptRow("\(what) has unknown state '\(stateText)'")
        }
        let kindText: String = try row.get(13)
        guard let kind = Proposal.Kind(rawValue: kindText) else {
            throw StoreError.corruptRow("\(what) has unknown proposal kind '\(kindText)'")
        }
        let architecture: Architecture
        do {
            architecture = try Architecture(
                resolution: try row.int(4), width: try row.get(5),
                mv2Depths: try SQLiteRows.depths(try row.get(6), what: "mv2_depths of \(what)"),
                vitDepths: try SQLiteRows.depths(try row.get(7), what: "vit_depths of \(what)"),
                classes: try row.int(8))
        } catch let error as ArchitectureError {
            throw StoreError.corruptRow("\(what) has an invalid architecture: \(error)")
        }
        guard let startedAt = try SQLiteRows.time(try row.get(20, as: String.self), what: "started_at") else {
            throw StoreError.corruptRow("\(what) has no start time")
        }
        let metricsText: String = try row.get(12)
        return Trial(
            id: try row.get(0), studyID: try row.get(1), number: number, state: state, architecture: architecture,
            macs: try row.int(9), params: try row.int(10), accuracy: try row.get(11),
            metrics: metricsText == "{}" ? [:] : try SQLiteRows.decodeJSON([String: Double].self, metricsText,
                                                                           what: "metrics of \(what)"),
            proposal: Proposal(kind: kind, step: try row.optionalInt(14), acquisition: try row.get(15),
                               predictedAccuracy: try row.get(16), predictedStd: try row.get(17)),
            evaluatorOutput: try row.get(18), error: try row.get(19), startedAt: startedAt,
            finishedAt: try SQLiteRows.time(try row.get(21), what: "finished_at"),
            heartbeatAt: try SQLiteRows.time(try row.get(22), what: "heartbeat_at"),
            worker: try row.get(23)
        )
    }
}
