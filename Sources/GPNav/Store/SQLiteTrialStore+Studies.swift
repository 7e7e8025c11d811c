import Foundation
import GRDB

extension SQLiteTrialStore {
    public func createStudy(_ study: Study) throws -> Study {
        try writeImmediate { db in
            // One study per name in any Unicode form: "é" precomposed and decomposed collide.
            if let existing = try storedName(study.name, in: db) {
                throw StoreError.duplicateStudy(existing)
            }
            var stored = study
            stored.id = try SQLiteRows.insertStudy(study, into: db)
            return stored
        }
    }

    public func updateStudy(_ study: Study) throws -> Study {
        guard let id = study.id else { throw StoreError.unknownStudy(study.name, known: []) }
        return try writeImmediate { db in
            try SQLiteRows.updateStudy(study, id: id, in: db)
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM studies WHERE id = ?", arguments: [id]) else {
                throw StoreError.unknownStudy(study.name, known: try String.fetchAll(db, sql: "SELECT name FROM studies ORDER BY name"))
            }
            return try SQLiteRows.study(from: row)
        }
    }

    public func study(named name: String) throws -> Study? {
        try read { db in
            guard let stored = try storedName(name, in: db) else { return nil }
            return try Row.fetchOne(db, sql: "SELECT * FROM studies WHERE name = ?", arguments: [stored]).map(SQLiteRows.study)
        }
    }

    public func studies() throws -> [Study] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM studies ORDER BY created_at, id").map(SQLiteRows.study)
        }
    }

    public func studySummaries() throws -> [StudySummary] {
        try read { db in
            let studies = try Row.fetchAll(db, sql: "SELECT * FROM studies ORDER BY created_at, id").map(SQLiteRows.study)
            var counts: [Int64: [TrialState: Int]] = [:]
            var best: [Int64: (float: Double?, int8: Double?)] = [:]
            // Both best accuracies of complete trials within the study's budgets; which one the
            // study ranks by is the library's rule (StudySummary.bestAccuracy). A metric that is
            // not a number reads as NULL, as in the objective queries.
            let rows = try Row.fetchCursor(db, sql: """
                SELECT study_id, state, COUNT(*) AS count,
                       MAX(CASE WHEN admitted THEN accuracy END) AS best,
                       MAX(CASE WHEN admitted AND json_type(metrics, '$.\(StudySettings.int8AccuracyMetric)') IN ('integer', 'real')
                                THEN json_extract(metrics, '$.\(StudySettings.int8AccuracyMetric)') END) AS best_int8
                FROM \(StudySummary.judgedTrialsSQL)
                GROUP BY study_id, state
                """)
            while let row = try rows.next() {
                let studyID: Int64 = try row.decode(forColumn: "study_id")
                let stateText: String = try row.decode(forColumn: "state")
                guard let state = TrialState(rawValue: stateText) else { continue }
                counts[studyID, default: [:]][state] = try row.decode(forColumn: "count")
                if state == .complete {
                    best[studyID] = (try row.decode(forColumn: "best"), try row.decode(forColumn: "best_int8"))
                }
            }
            return studies.map { study in
                let id = study.id ?? -1
                return StudySummary(study: study, counts: counts[id] ?? [:], bestFloatAccuracy: best[id]?.float,
                                    bestInt8Accuracy: best[id]?.int8)
            }
        }
    }

    public func deleteStudy(named name: String) throws {
        // Look first: an unknown name must not open the writer (which touches the file).
        _ = try read { db in try studyID(named: name, in: db) }
        try writeImmediate { db in
            let stored = try storedName(name, in: db) ?? name
            try db.execute(sql: "DELETE FROM studies WHERE name = ?", arguments: [stored])
            if db.changesCount == 0 {
                throw StoreError.unknownStudy(name, known: try String.fetchAll(db, sql: "SELECT name FROM studies ORDER BY name"))
            }
        }
    }

    /// The row id of the study named `name`.
    /// - Throws: ``StoreError/unknownStudy(_:known:)`` listing the names that exist.
    func studyID(named name: String, in db: Database) throws -> Int64 {
        if let stored = try storedName(name, in: db),
           let id = try Int64.fetchOne(db, sql: "SELECT id FROM studies WHERE name = ?", arguments: [stored]) {
            return id
        }
        throw StoreError.unknownStudy(name, known: try String.fetchAll(db, sql: "SELECT name FROM studies ORDER BY name"))
    }

    /// The name as stored of the study that `name` names: the exact name, its NFC form, or a
    /// stored name equal to it once both are in NFC (a name stored before names were normalised).
    func storedName(_ name: String, in db: Database) throws -> String? {
        for form in StudyName.lookupForms(of: name) {
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM studies WHERE name = ?", arguments: [form]) != nil {
                return form
            }
        }
        return try String.fetchAll(db, sql: "SELECT name FROM studies").first { StudyName.sameStudy($0, name) }
    }
}
