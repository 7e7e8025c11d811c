#if PostgreSQL
import Foundation

extension PostgresTrialStore {
    public func addEpochReport(_ report: EpochReport, trialID: Int64) async throws -> Bool {
        try EpochReport.checkStorable([report], trialID: trialID)
        let now = StoreTime.text(Date())
        return try await transaction { session in
            // Locking the trial's row orders its reports and its finish: one at a time per trial.
            guard let row = try await session.row("SELECT state FROM trials WHERE id = $1 FOR UPDATE", [.int(trialID)]) else {
                throw StoreError.unknownTrial(trialID)
            }
            guard try row.get(0, as: String.self) == TrialState.running.rawValue else { return false }
            let last = try await session.row("SELECT max(epoch) FROM trial_reports WHERE trial_id = $1", [.int(trialID)])
            if let last = try last?.optionalInt(0), last >= report.epoch { return false }
            try await session.rows("INSERT INTO trial_reports (trial_id, epoch, accuracy, reported_at) VALUES ($1, $2, $3, $4)",
                                   [.int(trialID), .int(report.epoch), .double(report.accuracy), .text(now)])
            return true
        }
    }

    public func learningCurves(study: String?) async throws -> [Int64: [EpochReport]] {
        try await transaction(readOnly: true) { session in
            var sql = "SELECT trial_id, epoch, accuracy FROM trial_reports"
            var values: [PostgresValue] = []
            if let study {
                values.append(.int(try await studyID(named: study, in: session)))
                sql += " WHERE trial_id IN (SELECT id FROM trials WHERE study_id = $1)"
            }
            var curves: [Int64: [EpochReport]] = [:]
            for row in try await session.rows(sql + " ORDER BY trial_id, epoch", values) {
                curves[try row.get(0, as: Int64.self), default: []].append(
                    EpochReport(epoch: try row.int(1), accuracy: try row.get(2, as: Double.self)))
            }
            return curves
        }
    }

    public func lastEpochsReported(study: String, before cutoff: Date) async throws -> [Int64: Int] {
        try await transaction(readOnly: true) { session in
            let studyID = try await studyID(named: study, in: session)
            let sql = """
                SELECT trial_id, max(epoch) FROM trial_reports
                WHERE trial_id IN (SELECT id FROM trials WHERE study_id = $1) AND reported_at < $2 GROUP BY trial_id
                """
            var epochs: [Int64: Int] = [:]
            for row in try await session.rows(sql, [.int(studyID), .text(StoreTime.text(cutoff))]) {
                epochs[try row.get(0, as: Int64.self)] = try row.int(1)
            }
            return epochs
        }
    }

    public func addLearningCurves(_ curves: [Int64: [EpochReport]]) async throws {
        for (trialID, curve) in curves { try EpochReport.checkStorable(curve, trialID: trialID) }
        let now = StoreTime.text(Date())
        try await transaction { session in
            for (trialID, curve) in curves.sorted(by: { $0.key < $1.key }) where !curve.isEmpty {
                guard try await session.row("SELECT 1 FROM trials WHERE id = $1 FOR UPDATE", [.int(trialID)]) != nil else {
                    throw StoreError.unknownTrial(trialID)
                }
                if try await session.row("SELECT 1 FROM trial_reports WHERE trial_id = $1", [.int(trialID)]) != nil {
                    continue
                }
                for report in curve {
                    try await session.rows(
                        "INSERT INTO trial_reports (trial_id, epoch, accuracy, reported_at) VALUES ($1, $2, $3, $4)",
                        [.int(trialID), .int(report.epoch), .double(report.accuracy), .text(now)])
                }
            }
        }
    }
}
#endif
