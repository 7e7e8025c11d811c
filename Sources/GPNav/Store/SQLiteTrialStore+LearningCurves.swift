import Foundation
import GRDB

extension SQLiteTrialStore {
    public func addEpochReport(_ report: EpochReport, trialID: Int64) throws -> Bool {
        try EpochReport.checkStorable([report], trialID: trialID)
        let now = StoreTime.text(Date())
        return try writeImmediate { db in
            // The IMMEDIATE transaction holds the write lock, so the checks and the insert are one step.
            guard let state = try String.fetchOne(db, sql: "SELECT state FROM trials WHERE id = ?", arguments: [trialID]) else {
                throw StoreError.unknownTrial(trialID)
            }
            guard state == TrialState.running.rawValue else { return false }
            let last = try Int.fetchOne(db, sql: "SELECT max(epoch) FROM trial_reports WHERE trial_id = ?", arguments: [trialID])
            if let last, last >= report.epoch { return false }
            try db.execute(sql: "INSERT INTO trial_reports (trial_id, epoch, accuracy, reported_at) VALUES (?, ?, ?, ?)",
                           arguments: [trialID, report.epoch, report.accuracy, now])
            return true
        }
    }

    public func learningCurves(study: String?) throws -> [Int64: [EpochReport]] {
        try read { db in
            var sql = "SELECT trial_id, epoch, accuracy FROM trial_reports"
            var arguments = StatementArguments()
            if let study {
                sql += " WHERE trial_id IN (SELECT id FROM trials WHERE study_id = ?)"
                _ = arguments.append(contentsOf: [try studyID(named: study, in: db)])
            }
            var curves: [Int64: [EpochReport]] = [:]
            for row in try Row.fetchAll(db, sql: sql + " ORDER BY trial_id, epoch", arguments: arguments) {
                let trialID: Int64 = try row.decode(forColumn: "trial_id")
                curves[trialID, default: []].append(EpochReport(epoch: try row.decode(forColumn: "epoch"),
                                                                accuracy: try row.decode(forColumn: "accuracy")))
            }
            return curves
        }
    }

    public func lastEpochsReported(study: String, before cutoff: Date) throws -> [Int64: Int] {
        try read { db in
            let sql = """
                SELECT trial_id, max(epoch) AS epoch FROM trial_reports
                WHERE trial_id IN (SELECT id FROM trials WHERE study_id = ?) AND reported_at < ? GROUP BY trial_id
                """
            var epochs: [Int64: Int] = [:]
            for row in try Row.fetchAll(db, sql: sql, arguments: [try studyID(named: study, in: db), StoreTime.text(cutoff)]) {
                epochs[try row.decode(forColumn: "trial_id")] = try row.decode(forColumn: "epoch")
            }
            return epochs
        }
    }

    public func addLearningCurves(_ curves: [Int64: [EpochReport]]) throws {
        for (trialID, curve) in curves { try EpochReport.checkStorable(curve, trialID: trialID) }
        let now = StoreTime.text(Date())
        try writeImmediate { db in
            for (trialID, curve) in curves.sorted(by: { $0.key < $1.key }) where !curve.isEmpty {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM trials WHERE id = ?", arguments: [trialID]) != nil else {
                    throw StoreError.unknownTrial(trialID)
                }
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM trial_reports WHERE trial_id = ?", arguments: [trialID]) != nil {
                    continue
                }
                for report in curve {
                    try db.execute(sql: "INSERT INTO trial_reports (trial_id, epoch, accuracy, reported_at) VALUES (?, ?, ?, ?)",
                                   arguments: [trialID, report.epoch, report.accuracy, now])
                }
            }
        }
    }
}
