import Foundation
import GRDB

extension SQLiteTrialStore {
    public func startTrial(_ trial: Trial) throws -> Trial {
        try inserted(insertNumbered(Self.running(trial)))
    }

    public func claimTrial(_ trial: Trial) throws -> Trial? {
        try insertNumbered(Self.running(trial), unlessArchitectureTaken: true)
    }

    public func claimTrial(_ trial: Trial, retryingAbandonedUpTo retries: Int) throws -> Trial? {
        try insertNumbered(Self.running(trial), unlessArchitectureTaken: true, abandonedRetries: retries)
    }

    public func trial(study: String, number: Int) throws -> Trial? {
        try read { db in
            let studyID = try studyID(named: study, in: db)
            return try Row.fetchOne(db, sql: SQLiteRows.trialSelection + " WHERE study_id = ? AND number = ?",
                                    arguments: [studyID, number]).map(SQLiteRows.trial)
        }
    }

    public func completeAbandonedTrial(id: Int64, outcome: TrialOutcome) throws {
        let now = StoreTime.text(Date())
        try writeImmediate { db in
            try db.execute(sql: """
                UPDATE trials SET state = 'complete', accuracy = ?, metrics = ?, evaluator_output = ?, error = NULL,
                                  finished_at = ?, heartbeat_at = ?
                WHERE id = ? AND state = 'failed' AND error LIKE ? || '%'
                """, arguments: [
                    try SQLiteRows.finite(outcome.accuracy, what: "accuracy"),
                    try SQLiteRows.json(outcome.metrics, what: "the metrics"), outcome.evaluatorOutput,
                    now, now, id, Trial.abandonedPrefix,
                ])
            if db.changesCount == 0 {
                guard let row = try Row.fetchOne(db, sql: "SELECT number, state FROM trials WHERE id = ?", arguments: [id]) else {
                    throw StoreError.unknownTrial(id)
                }
                let state: String = try row.decode(forColumn: "state")
                throw StoreError.trialNotRunning(number: try row.decode(forColumn: "number"),
                                                 state: TrialState(rawValue: state) ?? .failed)
            }
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

    public func addFinishedTrial(_ trial: Trial) throws -> Trial {
        try inserted(insertNumbered(trial))
    }

    /// The trial an unconditional insert returned.
    private func inserted(_ trial: Trial?) throws(StoreError) -> Trial {
        guard let trial else { throw StoreError.backend(store: path, message: "an insert stored nothing") }
        return trial
    }

    public func addFinishedTrials(_ trials: [Trial]) throws -> [Trial] {
        guard !trials.isEmpty else { return [] }
        return try writeImmediate { db in
            var next: [Int64: Int] = [:]
            var stored: [Trial] = []
            stored.reserveCapacity(trials.count)
            for trial in trials {
                let number: Int
                if let known = next[trial.studyID] {
                    number = known
                } else {
                    guard try Bool.fetchOne(db, sql: "SELECT 1 FROM studies WHERE id = ?", arguments: [trial.studyID]) != nil else {
                        throw StoreError.unknownStudy("with row id \(trial.studyID)", known: [])
                    }
                    number = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(number) + 1, 0) FROM trials WHERE study_id = ?",
                                              arguments: [trial.studyID]) ?? 0
                }
                var copy = trial
                copy.number = number
                copy.id = try SQLiteRows.insertTrial(trial, number: number, into: db)
                next[trial.studyID] = number + 1
                stored.append(copy)
            }
            return stored
        }
    }

    /// Inserts `trial` with the next free number of its study. The number is read and used in the
    /// same IMMEDIATE transaction, so concurrent writers get distinct, gap-free numbers; with
    /// `unlessArchitectureTaken`, nothing is inserted (nil) when the study has the architecture.
    /// Trials given up as abandoned count as taking the architecture only when there are more than
    /// `abandonedRetries` of them.
    private func insertNumbered(_ trial: Trial, unlessArchitectureTaken: Bool = false,
                                abandonedRetries: Int? = nil) throws(StoreError) -> Trial? {
        try writeImmediate { db -> Trial? in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM studies WHERE id = ?", arguments: [trial.studyID]) != nil else {
                throw StoreError.unknownStudy("#\(trial.studyID)",
                                              known: try String.fetchAll(db, sql: "SELECT name FROM studies ORDER BY name"))
            }
            if unlessArchitectureTaken {
                let row = try Row.fetchOne(db, sql: """
                    SELECT COUNT(*) AS total,
                           COALESCE(SUM(state = 'failed' AND error LIKE ? || '%'), 0) AS abandoned
                    FROM trials WHERE study_id = ? AND architecture = ?
                    """, arguments: [Trial.abandonedPrefix, trial.studyID, trial.architecture.canonicalJSON])
                let total: Int = try row?.decode(forColumn: "total") ?? 0
                let abandoned: Int = try row?.decode(forColumn: "abandoned") ?? 0
                let retryable = abandonedRetries.map { total == abandoned && abandoned <= $0 } ?? false
                if total > 0 && !retryable { return nil }
            }
            let number = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(number) + 1, 0) FROM trials WHERE study_id = ?",
                                          arguments: [trial.studyID]) ?? 0
            var stored = trial
            stored.number = number
            stored.id = try SQLiteRows.insertTrial(trial, number: number, into: db)
            return stored
        }
    }

    public func finishTrial(id: Int64, outcome: TrialOutcome) throws {
        let now = StoreTime.text(Date())
        try writeImmediate { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT number, state FROM trials WHERE id = ?", arguments: [id]) else {
                throw StoreError.unknownTrial(id)
            }
            let state: String = try row.decode(forColumn: "state")
            guard state == TrialState.running.rawValue else {
                throw StoreError.trialNotRunning(number: try row.decode(forColumn: "number"),
                                                 state: TrialState(rawValue: state) ?? .failed)
            }
            try db.execute(sql: """
                UPDATE trials SET state = ?, accuracy = ?, metrics = ?, evaluator_output = ?, error = ?,
                                  finished_at = ?, heartbeat_at = ?
                WHERE id = ?
                """, arguments: [
                    outcome.state.rawValue, try SQLiteRows.finite(outcome.accuracy, what: "accuracy"),
                    try SQLiteRows.json(outcome.metrics, what: "the metrics"), outcome.evaluatorOutput, outcome.error,
                    now, now, id,
                ])
        }
    }

    public func heartbeat(trialID: Int64) throws {
        let now = StoreTime.text(Date())
        try writeImmediate { db in
            try db.execute(sql: "UPDATE trials SET heartbeat_at = ? WHERE id = ? AND state = 'running'",
                           arguments: [now, trialID])
            if db.changesCount == 0,
               try Bool.fetchOne(db, sql: "SELECT 1 FROM trials WHERE id = ?", arguments: [trialID]) == nil {
                throw StoreError.unknownTrial(trialID)
            }
        }
    }

    public func failStaleTrials(study: String, heartbeatBefore cutoff: Date) throws -> Int {
        let now = StoreTime.text(Date())
        return try writeImmediate { db in
            let studyID = try studyID(named: study, in: db)
            try db.execute(sql: """
                UPDATE trials
                SET state = 'failed', finished_at = ?,
                    error = 'abandoned: no heartbeat since ' || COALESCE(heartbeat_at, started_at)
                WHERE study_id = ? AND state = 'running' AND COALESCE(heartbeat_at, started_at) < ?
                """, arguments: [now, studyID, StoreTime.text(cutoff)])
            var failed = db.changesCount
            // Running trials of processes on this host that no longer exist need no heartbeat to judge.
            let workers = try Row.fetchAll(db, sql: """
                SELECT id, worker FROM trials WHERE study_id = ? AND state = 'running' AND worker IS NOT NULL
                """, arguments: [studyID])
            for row in workers {
                let worker: String = try row.decode(forColumn: "worker")
                guard WorkerIdentity.isGone(worker) else { continue }
                try db.execute(sql: """
                    UPDATE trials SET state = 'failed', finished_at = ?, error = ?
                    WHERE id = ? AND state = 'running'
                    """, arguments: [now, "abandoned: its process \(worker) is gone", try row.decode(forColumn: "id") as Int64])
                failed += db.changesCount
            }
            return failed
        }
    }

    public func trials(_ query: TrialQuery) throws -> [Trial] {
        try read { db in
            var conditions: [String] = []
            var arguments = StatementArguments()
            if let name = query.study {
                conditions.append("study_id = ?")
                _ = arguments.append(contentsOf: [try studyID(named: name, in: db)])
            }
            if let state = query.state {
                conditions.append("state = ?")
                _ = arguments.append(contentsOf: [state.rawValue])
            }
            if let maxMACs = query.maxMACs {
                conditions.append("macs <= ?")
                _ = arguments.append(contentsOf: [maxMACs])
            }
            if let minAccuracy = query.minAccuracy {
                conditions.append("accuracy >= ?")
                _ = arguments.append(contentsOf: [minAccuracy])
            }
            var sql = SQLiteRows.trialSelection(details: query.details)
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            // The row id is the last column of every index, so `key, id` still walks an index.
            let direction = query.descending ? "DESC" : "ASC"
            switch query.sort {
            case .number: sql += " ORDER BY study_id \(direction), number \(direction)"
            case .accuracy, .macs, .params: sql += " ORDER BY \(query.sort.rawValue) \(direction), id \(direction)"
            }
            if let limit = query.limit {
                sql += " LIMIT ?"
                _ = arguments.append(contentsOf: [max(0, limit)])
            }
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(SQLiteRows.trial)
        }
    }

    public func trials(ids: [Int64]) throws -> [Trial] {
        try read { db in
            var byID: [Int64: Trial] = [:]
            // SQLite limits bound parameters per statement; ask in chunks.
            var start = 0
            while start < ids.count {
                let chunk = Array(ids[start..<min(start + 500, ids.count)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                for row in try Row.fetchAll(db, sql: SQLiteRows.trialSelection + " WHERE id IN (\(marks))",
                                            arguments: StatementArguments(chunk)) {
                    let trial = try SQLiteRows.trial(from: row)
                    if let id = trial.id { byID[id] = trial }
                }
                start += chunk.count
            }
            return ids.compactMap { byID[$0] }
        }
    }

    public func objectivePoints(_ objectives: [Objective], study: String?) throws -> [ObjectivePoint] {
        try read { db in
            var arguments = StatementArguments()
            let columns = objectives.map { objective -> String in
                guard objective.isMetric else { return objective.name }
                let path = "$.\"\(objective.name)\""
                _ = arguments.append(contentsOf: [path, path])
                // Only numbers count; a missing or non-numeric metric reads as NULL.
                return "CASE WHEN json_type(metrics, ?) IN ('integer', 'real') THEN json_extract(metrics, ?) END"
            }
            // With only built-in objectives, the index on (state, study_id, accuracy, macs, params)
            // covers the query and the table itself is not read; the order is restored below.
            var sql = "SELECT id, \(columns.joined(separator: ", ")) FROM trials WHERE state = 'complete'"
            if let study {
                sql += " AND study_id = ?"
                _ = arguments.append(contentsOf: [try studyID(named: study, in: db)])
            }
            var points: [ObjectivePoint] = []
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            rowLoop: while let row = try rows.next() {
                var values: [Double] = []
                values.reserveCapacity(objectives.count)
                for index in objectives.indices {
                    guard let value = try row.decode(Double?.self, atIndex: index + 1) else { continue rowLoop }
                    values.append(value)
                }
                points.append(ObjectivePoint(trialID: try row.decode(Int64.self, atIndex: 0), values: values))
            }
            // Sort a permutation of plain integers rather than the points themselves (cheaper).
            let order = points.indices.sorted { points[$0].trialID < points[$1].trialID }
            return order.map { points[$0] }
        }
    }
}
