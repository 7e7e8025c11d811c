import Foundation
import GaussianProcess
import GRDB
import Testing
@testable import GPNav
import MobileViT

@Suite("SQLite trial store")
struct SQLiteTrialStoreTests {
    @Test func sortingByAccuracyOrMACsWalksAnIndexWithoutSorting() async throws {
        let directory = try TemporaryDirectory()
        let (store, _) = try Fixtures.store(at: directory.file("plan.sqlite"))
        let sqls = [
            "SELECT * FROM trials ORDER BY accuracy DESC, id DESC LIMIT 20",
            "SELECT * FROM trials WHERE study_id = 1 ORDER BY accuracy DESC, id DESC LIMIT 20",
            "SELECT * FROM trials ORDER BY macs ASC, id ASC LIMIT 20",
            "SELECT * FROM trials WHERE study_id = 1 ORDER BY study_id ASC, number ASC LIMIT 20",
        ]
        for sql in sqls {
            let plan = try await store.database.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { row -> String in try row.decode(forColumn: "detail") }
            }.joined(separator: "; ")
            #expect(plan.contains("USING INDEX") || plan.contains("USING COVERING INDEX"), "\(sql): \(plan)")
            #expect(!plan.contains("TEMP B-TREE"), "\(sql): \(plan)")
        }
    }

    @Test func paretoQueryOverBuiltinObjectivesReadsOnlyACoveringIndex() async throws {
        let directory = try TemporaryDirectory()
        let (store, _) = try Fixtures.store(at: directory.file("cover.sqlite"))
        for sql in ["SELECT id, accuracy, macs FROM trials WHERE state = 'complete'",
                    "SELECT id, accuracy, params FROM trials WHERE state = 'complete' AND study_id = 1"] {
            let plan = try await store.database.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { row -> String in try row.decode(forColumn: "detail") }
            }.joined(separator: "; ")
            #expect(plan.contains("USING COVERING INDEX trials_state"), "\(sql): \(plan)")
        }
    }

    @Test func readOnlyStoreReadsButRefusesWritesWithReadOnlyError() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("ro.sqlite")
        let (writer, study) = try Fixtures.store(at: path)
        _ = try writer.addFinishedTrial(try Fixtures.trial(studyID: try #require(study.id)))
        let reader = try SQLiteTrialStore(path: path, access: .readOnly)
        #expect(try reader.trials(TrialQuery()).count == 1)
        let refused = StoreError.readOnly(path: path, reason: StoreError.openedForReading)
        #expect(throws: refused) { try reader.createStudy(Fixtures.study("new")) }
        #expect(throws: refused) { try reader.deleteStudy(named: study.name) }
        #expect(refused.kind == .database)
    }

    @Test(.enabled(if: getuid() != 0, "root ignores file permissions"))
    func writableOpenOfReadOnlyFileIsRefusedWhileReadingWorks() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("perm.sqlite")
        _ = try Fixtures.store(at: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        #expect(throws: StoreError.readOnly(path: path, reason: "file or directory not writable")) {
            _ = try SQLiteTrialStore(path: path, access: .readWrite(createIfMissing: true))
        }
        #expect(try SQLiteTrialStore(path: path, access: .readOnly).studies().count == 1)
    }

    @Test(.enabled(if: getuid() != 0, "root ignores file permissions"))
    func readOnlyDirectoryStillAllowsReadingButNotWriting() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("ro-dir.sqlite")
        do {
            let (store, study) = try Fixtures.store(at: path)
            _ = try store.addFinishedTrial(try Fixtures.trial(studyID: try #require(study.id)))
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: directory.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path) }
        #expect(try directory.contents() == ["ro-dir.sqlite"])
        let reader = try SQLiteTrialStore(path: path, access: .readOnly)
        #expect(try reader.trials(TrialQuery()).count == 1)
        #expect(throws: StoreError.readOnly(path: path, reason: "file or directory not writable")) {
            _ = try SQLiteTrialStore(path: path, access: .readWrite(createIfMissing: true))
        }
    }
}
