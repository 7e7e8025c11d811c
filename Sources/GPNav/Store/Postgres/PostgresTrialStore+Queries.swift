import Foundation

extension PostgresTrialStore {
    public func trials(_ query: TrialQuery) throws -> [Trial] {
        try transaction(readOnly: true) { session in
            var conditions: [String] = []
            var values: [PostgresValue] = []
            func bind(_ value: PostgresValue) -> String {
                values.append(value)
                return "$\(values.count)"
            }
            if let name = query.study { conditions.append("study_id = " + bind(.int(try studyID(named: name, in: session)))) }
            if let state = query.state { conditions.append("state = " + bind(.text(state.rawValue))) }
            if let maxMACs = query.maxMACs { conditions.append("macs <= " + bind(.int(maxMACs))) }
            if let minAccuracy = query.minAccuracy { conditions.append("accuracy >= " + bind(.double(minAccuracy))) }
            var sql = PostgresRows.trialSelection
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            // NULL sorts first ascending and last descending, as in SQLite; the indexes agree.
            let direction = query.descending ? "DESC" : "ASC"
            let nulls = query.descending ? "NULLS LAST" : "NULLS FIRST"
            switch query.sort {
            case .number: sql += " ORDER BY study_id \(direction), number \(direction)"
            case .accuracy: sql += " ORDER BY accuracy \(direction) \(nulls), id \(direction)"
            case .macs, .params: sql += " ORDER BY \(query.sort.rawValue) \(direction), id \(direction)"
            }
            if let limit = query.limit { sql += " LIMIT " + bind(.int(max(0, limit))) }
            return try session.rows(sql, values).map(PostgresRows.trial)
        }
    }

    public func trials(ids: [Int64]) throws -> [Trial] {
        guard !ids.isEmpty else { return [] }
        return try transaction(readOnly: true) { session in
            var byID: [Int64: Trial] = [:]
            for row in try session.rows(PostgresRows.trialSelection + " WHERE id = ANY($1)", [.ints(ids)]) {
                let trial = try PostgresRows.trial(from: row)
                if let id = trial.id { byID[id] = trial }
            }
            return ids.compactMap { byID[$0] }
        }
    }

    public func objectivePoints(_ objectives: [Objective], study: String?) throws -> [ObjectivePoint] {
        try transaction(readOnly: true) { session in
            var values: [PostgresValue] = []
            let columns = objectives.map { objective -> String in
                guard objective.isMetric else { return objective.name + "::double precision" }
                values.append(.text(objective.name))
                let key = "$\(values.count)"
                // Only numbers count; a missing or non-numeric metric reads as NULL.
                return "CASE WHEN jsonb_typeof(metrics::jsonb -> \(key)::text) = 'number' "
                    + "THEN (metrics::jsonb ->> \(key)::text)::double precision END"
            }
            var sql = "SELECT id, \(columns.joined(separator: ", ")) FROM trials WHERE state = 'complete'"
            if let study {
                values.append(.int(try studyID(named: study, in: session)))
                sql += " AND study_id = $\(values.count)"
            }
            var points: [ObjectivePoint] = []
            rowLoop: for row in try session.rows(sql + " ORDER BY id", values) {
                var point: [Double] = []
                point.reserveCapacity(objectives.count)
                for index in objectives.indices {
                    guard let value = try row.get(index + 1, as: Double?.self) else { continue rowLoop }
                    point.append(value)
                }
                points.append(ObjectivePoint(trialID: try row.get(0), values: point))
            }
            return points
        }
    }

    public func metricNames(study: String?) throws -> [String] {
        try transaction(readOnly: true) { session in
            var sql = """
                SELECT DISTINCT metric.key COLLATE "C" AS key FROM trials, jsonb_each(trials.metrics::jsonb) AS metric
                WHERE trials.state = 'complete' AND jsonb_typeof(metric.value) = 'number'
                """
            var values: [PostgresValue] = []
            if let study {
                values.append(.int(try studyID(named: study, in: session)))
                sql += " AND trials.study_id = $1"
            }
            return try session.rows(sql + " ORDER BY key", values).map { try $0.get(0) }
        }
    }
}
