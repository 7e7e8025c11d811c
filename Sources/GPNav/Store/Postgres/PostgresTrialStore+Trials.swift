#if PostgreSQL
import Foundation

extension PostgresTrialStore {
    public func insertTrial(_ trial: Trial, claimKey: String?) async throws -> Trial? {
        // The study's row lock numbers the trial; the unique constraint on (study_id, claim_key)
        // makes a second insert of one key store nothing, and the transaction then ends with the
        // number unused.
        try await transaction { session -> Trial? in
            let number = try await nextNumber(lockingStudy: trial.studyID, in: session)
            guard let row = try await session.row(PostgresRows.trialInsert + " ON CONFLICT (study_id, claim_key) DO NOTHING RETURNING id",
                                                  try PostgresRows.trialValues(trial, number: number, claimKey: claimKey)) else {
                return nil
            }
            var stored = trial
            stored.number = number
            stored.id = try row.get(0, as: Int64.self)
            return stored
        }
    }

    public func addFinishedTrial(_ trial: Trial) async throws -> Trial {
        guard let stored = try await insertTrial(trial, claimKey: nil) else {
            throw StoreError.backend(store: name, message: "an insert without a claim key stored nothing")
        }
        return stored
    }

    public func addFinishedTrials(_ trials: [Trial]) async throws -> [Trial] {
        guard !trials.isEmpty else { return [] }
        return try await transaction { session in
            var next: [Int64: Int] = [:]
            var stored: [Trial] = []
            stored.reserveCapacity(trials.count)
            for trial in trials {
                var number = next[trial.studyID] ?? -1
                if number < 0 { number = try await nextNumber(lockingStudy: trial.studyID, in: session) }
                var copy = trial
                copy.number = number
                copy.id = try await session.row(PostgresRows.trialInsert + " RETURNING id",
                                          try PostgresRows.trialValues(trial, number: number, claimKey: nil))?.get(0)
                next[trial.studyID] = number + 1
                stored.append(copy)
            }
            return stored
        }
    }

    /// Locks the study's row until the transaction ends and returns its next free trial number.
    /// Every writer that numbers a trial takes this lock first, so numbers are unique and gap-free.
    private func nextNumber(lockingStudy studyID: Int64, in session: PostgresSession) async throws -> Int {
        guard try await session.row("SELECT id FROM studies WHERE id = $1 FOR UPDATE", [.int(studyID)]) != nil else {
            throw StoreError.unknownStudy("#\(studyID)", known: try await names(in: session))
        }
        return try await session.row("SELECT COALESCE(MAX(number) + 1, 0) FROM trials WHERE study_id = $1",
                               [.int(studyID)])?.int(0) ?? 0
    }

    public func trial(study: String, number: Int) async throws -> Trial? {
        try await transaction(readOnly: true) { session in
            let studyID = try await studyID(named: study, in: session)
            return try await session.row(PostgresRows.trialSelection + " WHERE study_id = $1 AND number = $2",
                                   [.int(studyID), .int(number)]).map(PostgresRows.trial)
        }
    }

    public func compareAndSetTrial(id: Int64, expected: TrialState, lastSeenBefore: Date?, outcome: TrialOutcome,
                                   signOfLife: Bool) async throws -> Bool {
        let now = StoreTime.text(Date())
        return try await transaction { session in
            var sql = """
                UPDATE trials SET state = $1, accuracy = $2, metrics = $3, evaluator_output = $4, error = $5, finished_at = $6,
                                  heartbeat_at = CASE WHEN $7 THEN $10 ELSE heartbeat_at END, worker = COALESCE($11, worker)
                WHERE id = $8 AND state = $9
                """
            // A trial set running again (a paused one continued) has not finished.
            var values: [PostgresValue] = [
                .text(outcome.state.rawValue), .double(try SQLiteRows.finite(outcome.accuracy, what: "accuracy")),
                .text(try SQLiteRows.json(outcome.metrics, what: "the metrics")), .text(outcome.evaluatorOutput),
                .text(outcome.error), .text(outcome.state == .running ? nil : now), .bool(signOfLife), .int(id),
                .text(expected.rawValue), .text(now), .text(outcome.worker),
            ]
            if let lastSeenBefore {
                sql += " AND COALESCE(heartbeat_at, started_at) < $12"
                values.append(.text(StoreTime.text(lastSeenBefore)))
            }
            if try await session.changed(sql, values) > 0 { return true }
            guard try await session.row("SELECT 1 FROM trials WHERE id = $1", [.int(id)]) != nil else {
                throw StoreError.unknownTrial(id)
            }
            return false
        }
    }

    public func heartbeat(trialID: Int64) async throws {
        let now = StoreTime.text(Date())
        try await transaction { session in
            let changed = try await session.changed("UPDATE trials SET heartbeat_at = $1 WHERE id = $2 AND state = 'running'",
                                              [.text(now), .int(trialID)])
            if changed == 0, try await session.row("SELECT 1 FROM trials WHERE id = $1", [.int(trialID)]) == nil {
                throw StoreError.unknownTrial(trialID)
            }
        }
    }
}
#endif
