#if PostgreSQL
import Foundation

extension PostgresTrialStore {
    public func startTrial(_ trial: Trial) async throws -> Trial {
        guard let stored = try await insertNumbered(Self.running(trial)) else {
            throw StoreError.backend(store: name, message: "an insert stored nothing")
        }
        return stored
    }

    public func claimTrial(_ trial: Trial) async throws -> Trial? {
        try await insertNumbered(Self.running(trial), claim: true)
    }

    public func claimTrial(_ trial: Trial, retryingAbandonedUpTo retries: Int) async throws -> Trial? {
        try await insertNumbered(Self.running(trial), claim: true, abandonedRetries: retries)
    }

    public func addFinishedTrial(_ trial: Trial) async throws -> Trial {
        guard let stored = try await insertNumbered(trial) else {
            throw StoreError.backend(store: name, message: "an insert stored nothing")
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

    /// `trial` as it starts: running, with no result yet, alive since it started.
    private static func running(_ trial: Trial) -> Trial {
        var running = trial
        running.state = .running
        running.accuracy = nil
        running.error = nil
        running.finishedAt = nil
        running.heartbeatAt = running.heartbeatAt ?? running.startedAt
        return running
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

    /// Inserts `trial` with the next free number of its study; with `claim`, only when the study has
    /// no trial of the architecture (trials given up as abandoned do not count while there are at
    /// most `abandonedRetries` of them), under a claim key the database keeps unique.
    private func insertNumbered(_ trial: Trial, claim: Bool = false, abandonedRetries: Int? = nil) async throws -> Trial? {
        try await transaction { session -> Trial? in
            let number = try await nextNumber(lockingStudy: trial.studyID, in: session)
            var claimKey: String?
            if claim {
                let row = try await session.row("""
                    SELECT COUNT(*), COUNT(*) FILTER (WHERE state = 'failed' AND starts_with(error, $1))
                    FROM trials WHERE study_id = $2 AND architecture = $3
                    """, [.text(Trial.abandonedPrefix), .int(trial.studyID), .text(trial.architecture.canonicalJSON)])
                let total = try row?.int(0) ?? 0
                let abandoned = try row?.int(1) ?? 0
                let retryable = abandonedRetries.map { total == abandoned && abandoned <= $0 } ?? false
                if total > 0 && !retryable { return nil }
                claimKey = PostgresRows.claimKey(trial.architecture, attempt: abandoned)
            }
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

    public func trial(study: String, number: Int) async throws -> Trial? {
        try await transaction(readOnly: true) { session in
            let studyID = try await studyID(named: study, in: session)
            return try await session.row(PostgresRows.trialSelection + " WHERE study_id = $1 AND number = $2",
                                   [.int(studyID), .int(number)]).map(PostgresRows.trial)
        }
    }

    public func completeAbandonedTrial(id: Int64, outcome: TrialOutcome) async throws {
        let now = StoreTime.text(Date())
        try await transaction { session in
            let changed = try await session.changed("""
                UPDATE trials SET state = 'complete', accuracy = $1, metrics = $2, evaluator_output = $3, error = NULL,
                                  finished_at = $4, heartbeat_at = $4
                WHERE id = $5 AND state = 'failed' AND starts_with(error, $6)
                """, [.double(try SQLiteRows.finite(outcome.accuracy, what: "accuracy")),
                      .text(try SQLiteRows.json(outcome.metrics, what: "the metrics")), .text(outcome.evaluatorOutput),
                      .text(now), .int(id), .text(Trial.abandonedPrefix)])
            if changed == 0 { try await throwNotRunning(id: id, in: session) }
        }
    }

    /// Throws why trial `id` could not be finished: unknown, or in another state.
    private func throwNotRunning(id: Int64, in session: PostgresSession) async throws -> Never {
        guard let row = try await session.row("SELECT number, state FROM trials WHERE id = $1", [.int(id)]) else {
            throw StoreError.unknownTrial(id)
        }
        throw StoreError.trialNotRunning(number: try row.int(0), state: TrialState(rawValue: try row.get(1)) ?? .failed)
    }

    public func finishTrial(id: Int64, outcome: TrialOutcome) async throws {
        let now = StoreTime.text(Date())
        try await transaction { session in
            let changed = try await session.changed("""
                UPDATE trials SET state = $1, accuracy = $2, metrics = $3, evaluator_output = $4, error = $5,
                                  finished_at = $6, heartbeat_at = $6
                WHERE id = $7 AND state = 'running'
                """, [.text(outcome.state.rawValue), .double(try SQLiteRows.finite(outcome.accuracy, what: "accuracy")),
                      .text(try SQLiteRows.json(outcome.metrics, what: "the metrics")), .text(outcome.evaluatorOutput),
                      .text(outcome.error), .text(now), .int(id)])
            if changed == 0 { try await throwNotRunning(id: id, in: session) }
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

    public func failStaleTrials(study: String, heartbeatBefore cutoff: Date) async throws -> Int {
        let now = StoreTime.text(Date())
        return try await transaction { session in
            let studyID = try await studyID(named: study, in: session)
            var failed = try await session.changed("""
                UPDATE trials
                SET state = 'failed', finished_at = $1,
                    error = 'abandoned: no heartbeat since ' || COALESCE(heartbeat_at, started_at)
                WHERE study_id = $2 AND state = 'running' AND COALESCE(heartbeat_at, started_at) < $3
                """, [.text(now), .int(studyID), .text(StoreTime.text(cutoff))])
            // Running trials of processes on this host that no longer exist need no heartbeat to judge.
            for row in try await session.rows("""
                SELECT id, worker FROM trials WHERE study_id = $1 AND state = 'running' AND worker IS NOT NULL
                """, [.int(studyID)]) {
                let worker: String = try row.get(1)
                guard WorkerIdentity.isGone(worker) else { continue }
                failed += try await session.changed("""
                    UPDATE trials SET state = 'failed', finished_at = $1, error = $2 WHERE id = $3 AND state = 'running'
                    """, [.text(now), .text("abandoned: its process \(worker) is gone"), .int(try row.get(0, as: Int64.self))])
            }
            return failed
        }
    }
}
#endif
