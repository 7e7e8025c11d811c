import Foundation
import GRDB

extension SQLiteTrialStore {
    public func insertTrial(_ trial: Trial, claimKey: String?) throws -> Trial? {
        // The number is read and used in the same IMMEDIATE transaction, so concurrent writers get
        // distinct, gap-free numbers; the unique index on (study_id, claim_key) makes a second
        // insert of one key store nothing.
        try writeImmediate { db -> Trial? in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM studies WHERE id = ?", arguments: [trial.studyID]) != nil else {
                throw StoreError.unknownStudy("#\(trial.studyID)",
                                              known: try String.fetchAll(db, sql: "SELECT name FROM studies ORDER BY name"))
            }
            let number = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(number) + 1, 0) FROM trials WHERE study_id = ?",
                                          arguments: [trial.studyID]) ?? 0
            guard let id = try SQLiteRows.insertTrial(trial, number: number, claimKey: claimKey, into: db) else { return nil }
            var stored = trial
            stored.number = number
            stored.id = id
            return stored
        }
    }

    /// Stores a trial that is already finished (import), with the next free number.
    public func addFinishedTrial(_ trial: Trial) throws -> Trial {
        guard let stored = try insertTrial(trial, claimKey: nil) else {
            throw StoreError.backend(store: path, message: "an insert without a claim key stored nothing")
        }
        return stored
    }

    public func trial(study: String, number: Int) throws -> Trial? {
        try read { db in
            let studyID = try studyID(named: study, in: db)
            return try Row.fetchOne(db, sql: SQLiteRows.trialSelection + " WHERE study_id = ? AND number = ?",
                                    arguments: [studyID, number]).map(SQLiteRows.trial)
        }
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
                copy.id = try SQLiteRows.insertTrial(trial, number: number, claimKey: nil, into: db)
                next[trial.studyID] = number + 1
                stored.append(copy)
            }
            return stored
        }
    }

    public func compareAndSetTrial(id: Int64, expected: TrialState, lastSeenBefore: Date?, outcome: TrialOutcome,
                                   signOfLife: Bool) throws -> Bool {
        let now = StoreTime.text(Date())
        return try writeImmediate { db in
            var sql = """
                UPDATE trials SET state = ?, accuracy = ?, metrics = ?, evaluator_output = ?, error = ?, finished_at = ?,
                                  heartbeat_at = CASE WHEN ? THEN ? ELSE heartbeat_at END, worker = COALESCE(?, worker)
                WHERE id = ? AND state = ?
                """
            // A trial set running again (a paused one continued) has not finished.
            let finished = outcome.state == .running ? nil : now
            var arguments: StatementArguments = [
                outcome.state.rawValue, try SQLiteRows.finite(outcome.accuracy, what: "accuracy"),
                try SQLiteRows.json(outcome.metrics, what: "the metrics"), outcome.evaluatorOutput, outcome.error,
                finished, signOfLife, now, outcome.worker, id, expected.rawValue,
            ]
            if let lastSeenBefore {
                sql += " AND COALESCE(heartbeat_at, started_at) < ?"
                _ = arguments.append(contentsOf: [StoreTime.text(lastSeenBefore)])
            }
            try db.execute(sql: sql, arguments: arguments)
            if db.changesCount > 0 { return true }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM trials WHERE id = ?", arguments: [id]) != nil else {
                throw StoreError.unknownTrial(id)
            }
            return false
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
            if let architecture = query.architecture {
                conditions.append("architecture = ?")
                _ = arguments.append(contentsOf: [architecture.canonicalJSON])
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
