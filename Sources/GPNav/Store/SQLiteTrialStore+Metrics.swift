import GRDB

extension SQLiteTrialStore {
    public func metricNames(study: String?) throws -> [String] {
        try read { db in
            var sql = """
                SELECT DISTINCT metric.key FROM trials, json_each(trials.metrics) AS metric
                WHERE trials.state = 'complete' AND metric.type IN ('integer', 'real')
                """
            var arguments = StatementArguments()
            if let study {
                sql += " AND trials.study_id = ?"
                _ = arguments.append(contentsOf: [try studyID(named: study, in: db)])
            }
            return try String.fetchAll(db, sql: sql + " ORDER BY metric.key", arguments: arguments)
        }
    }
}
