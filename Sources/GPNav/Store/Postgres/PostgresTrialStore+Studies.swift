#if PostgreSQL
import Foundation

extension PostgresTrialStore {
    public func createStudy(_ study: Study) async throws -> Study {
        try await transaction { session in
            // One study per name in any Unicode form: "é" precomposed and decomposed collide.
            if let existing = try await storedName(study.name, in: session) { throw StoreError.duplicateStudy(existing) }
            guard let row = try await session.row("""
                INSERT INTO studies (name, created_at, budget_macs, budget_params, budget_memory_bytes, budget_bits,
                                     objectives, settings, family)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                ON CONFLICT (name) DO NOTHING RETURNING id
                """, [.text(study.name)] + (try PostgresRows.studyValues(study))) else {
                throw StoreError.duplicateStudy(study.name)
            }
            var stored = study
            stored.id = try row.get(0, as: Int64.self)
            return stored
        }
    }

    public func updateStudy(_ study: Study) async throws -> Study {
        guard let id = study.id else { throw StoreError.unknownStudy(study.name, known: []) }
        return try await transaction { session in
            // The creation time (the first value) stays as it is.
            let values = Array(try PostgresRows.studyValues(study).dropFirst())
            try await session.rows("""
                UPDATE studies SET budget_macs = $1, budget_params = $2, budget_memory_bytes = $3, budget_bits = $4,
                                   objectives = $5, settings = $6, family = $7
                WHERE id = $8
                """, values + [.int(id)])
            guard let row = try await session.row(PostgresRows.studySelection + " WHERE id = $1", [.int(id)]) else {
                throw StoreError.unknownStudy(study.name, known: try await names(in: session))
            }
            return try PostgresRows.study(from: row)
        }
    }

    public func study(named name: String) async throws -> Study? {
        try await transaction(readOnly: true) { session in
            guard let stored = try await storedName(name, in: session) else { return nil }
            return try await session.row(PostgresRows.studySelection + " WHERE name = $1", [.text(stored)])
                .map(PostgresRows.study)
        }
    }

    public func studies() async throws -> [Study] {
        try await transaction(readOnly: true) { session in
            try await session.rows(PostgresRows.studySelection + " ORDER BY created_at, id").map(PostgresRows.study)
        }
    }

    public func studySummaries() async throws -> [StudySummary] {
        try await transaction(readOnly: true) { session in
            let studies = try await session.rows(PostgresRows.studySelection + " ORDER BY created_at, id").map(PostgresRows.study)
            var counts: [Int64: [TrialState: Int]] = [:]
            var best: [Int64: (float: Double?, int8: Double?)] = [:]
            // Both best accuracies, as in the SQLite store; the library picks the one the study ranks by.
            for row in try await session.rows("""
                SELECT study_id, state, COUNT(*),
                       MAX(CASE WHEN admitted THEN accuracy END),
                       MAX(CASE WHEN admitted AND jsonb_typeof(metrics::jsonb -> $1::text) = 'number'
                                THEN (metrics::jsonb ->> $1::text)::double precision END)
                FROM \(StudySummary.judgedTrialsSQL)
                GROUP BY study_id, state
                """, [.text(StudySettings.int8AccuracyMetric)]) {
                let studyID: Int64 = try row.get(0)
                guard let state = TrialState(rawValue: try row.get(1)) else { continue }
                counts[studyID, default: [:]][state] = try row.int(2)
                if state == .complete {
                    best[studyID] = (try row.get(3, as: Double?.self), try row.get(4, as: Double?.self))
                }
            }
            return studies.map { study in
                let id = study.id ?? -1
                return StudySummary(study: study, counts: counts[id] ?? [:], bestFloatAccuracy: best[id]?.float,
                                    bestInt8Accuracy: best[id]?.int8)
            }
        }
    }

    public func deleteStudy(named name: String) async throws {
        try await transaction { session in
            let id = try await studyID(named: name, in: session)
            try await session.rows("DELETE FROM studies WHERE id = $1", [.int(id)])
        }
    }

    /// Every study's name, sorted byte by byte (as SQLite sorts them).
    func names(in session: PostgresSession) async throws -> [String] {
        try await session.rows("SELECT name FROM studies ORDER BY name COLLATE \"C\"").map { try $0.get(0) }
    }

    /// The row id of the study named `name`.
    /// - Throws: ``StoreError/unknownStudy(_:known:)`` listing the names that exist.
    func studyID(named name: String, in session: PostgresSession) async throws -> Int64 {
        if let stored = try await storedName(name, in: session),
           let row = try await session.row("SELECT id FROM studies WHERE name = $1", [.text(stored)]) {
            return try row.get(0)
        }
        throw StoreError.unknownStudy(name, known: try await names(in: session))
    }

    /// The name as stored of the study that `name` names (``StudyName/lookupForms(of:)``).
    func storedName(_ name: String, in session: PostgresSession) async throws -> String? {
        for form in StudyName.lookupForms(of: name)
        where try await session.row("SELECT 1 FROM studies WHERE name = $1", [.text(form)]) != nil {
            return form
        }
        return try await session.rows("SELECT name FROM studies").map { try $0.get(0, as: String.self) }
            .first { StudyName.sameStudy($0, name) }
    }
}
#endif
