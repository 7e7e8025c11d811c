#if PostgreSQL
import Foundation

extension PostgresTrialStore {
    public func trials(_ query: TrialQuery) async throws -> [Trial] {
        try await transaction(readOnly: true) { session in
            var conditions: [String] = []
            var values: [PostgresValue] = []
            func bind(_ value: PostgresValue) -> String {
                values.append(value)
                return "$\(values.count)"
            }
            if let name = query.study { conditions.append("study_id = " + bind(.int(try await studyID(named: name, in: session)))) }
            if let state = query.state { conditions.append("state = " + bind(.text(state.rawValue))) }
            if let architecture = query.architecture { conditions.append("architecture = " + bind(.text(architecture.canonicalJSON))) }
            if let maxMACs = query.maxMACs { conditions.append("macs <= " + bind(.int(maxMACs))) }
            if let minAccuracy = query.minAccuracy { conditions.append("accuracy >= " + bind(.double(minAccuracy))) }
            var sql = SQLiteRows.trialSelection(details: query.details)
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
            return try await session.rows(sql, values).map(PostgresRows.trial)
        }
    }

    public func trials(ids: [Int64]) async throws -> [Trial] {
        guard !ids.isEmpty else { return [] }
        return try await transaction(readOnly: true) { session in
            var byID: [Int64: Trial] = [:]
            for row in try await session.rows(PostgresRows.trialSelection + " WHERE id = ANY($1)", [.ints(ids)]) {
                let trial = try PostgresRows.trial(from: row)
                if let id = trial.id { byID[id] = trial }
            }
            return ids.compactMap { byID[$0] }
        }
    }

    public func objectivePoints(_ objectives: [Objective], study: String?) async throws -> [ObjectivePoint] {
        try await transaction(readOnly: true) { session in
            let (sql, values) = try await objectiveSelection(objectives, study: study, in: session)
            return try await points(session.rows(sql + " ORDER BY id", values), count: objectives.count)
        }
    }

    /// For two objectives, only the rows whose second objective is the best among all rows at least
    /// as good in the first (a running maximum or minimum over the rows sorted by the first) cross
    /// the network: every point on the front is one of them, and few others are (those tied with
    /// a front point in the second objective). Other counts of objectives read every point.
    public func paretoCandidates(_ objectives: [Objective], study: String?) async throws -> [ObjectivePoint] {
        guard objectives.count == 2 else { return try await objectivePoints(objectives, study: study) }
        return try await transaction(readOnly: true) { session in
            let (selection, values) = try await objectiveSelection(objectives, study: study, in: session)
            let first = objectives[0].direction == .max ? "DESC" : "ASC"
            let best = objectives[1].direction == .max ? "max" : "min"
            // The window's default frame runs to the last row tied with the current one in the first
            // objective, so a tie in the first objective is decided by the second.
            let sql = """
                SELECT id, o1, o2 FROM (
                    SELECT id, o1, o2, \(best)(o2) OVER (ORDER BY o1 \(first)) AS best
                    FROM (\(selection)) AS points (id, o1, o2)
                    WHERE o1 IS NOT NULL AND o2 IS NOT NULL
                ) AS swept
                WHERE o2 = best ORDER BY id
                """
            return try await points(session.rows(sql, values), count: 2)
        }
    }

    /// `SELECT id, <one column per objective>` over the complete trials (of one study), and its values.
    private func objectiveSelection(_ objectives: [Objective], study: String?,
                                    in session: PostgresSession) async throws -> (String, [PostgresValue]) {
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
            values.append(.int(try await studyID(named: study, in: session)))
            sql += " AND study_id = $\(values.count)"
        }
        return (sql, values)
    }

    /// The points of rows `id, value, value, ...`, leaving out rows that lack a value.
    private func points(_ rows: [PostgresValues], count: Int) throws -> [ObjectivePoint] {
        var points: [ObjectivePoint] = []
        points.reserveCapacity(rows.count)
        rowLoop: for row in rows {
            var point: [Double] = []
            point.reserveCapacity(count)
            for index in 0..<count {
                guard let value = try row.get(index + 1, as: Double?.self) else { continue rowLoop }
                point.append(value)
            }
            points.append(ObjectivePoint(trialID: try row.get(0), values: point))
        }
        return points
    }

    public func metricNames(study: String?) async throws -> [String] {
        try await transaction(readOnly: true) { session in
            var sql = """
                SELECT DISTINCT metric.key COLLATE "C" AS key FROM trials, jsonb_each(trials.metrics::jsonb) AS metric
                WHERE trials.state = 'complete' AND jsonb_typeof(metric.value) = 'number'
                """
            var values: [PostgresValue] = []
            if let study {
                values.append(.int(try await studyID(named: study, in: session)))
                sql += " AND trials.study_id = $1"
            }
            return try await session.rows(sql + " ORDER BY key", values).map { try $0.get(0) }
        }
    }
}
#endif
