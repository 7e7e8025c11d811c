import Foundation
import Testing
@testable import GPNav

@Suite("SQLite trial store: closing")
struct SQLiteTrialStoreClosingTests {
    /// Another connection keeps the file open, so SQLite's own checkpoint-on-last-close cannot
    /// run: only the store's checkpoint puts the trials into the main file.
    @Test func closeCopiesTheLogIntoTheMainFileWhileOthersStillHaveItOpen() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("c.sqlite")
        let (store, study) = try Fixtures.store(at: path)
        let other = try SQLiteTrialStore(path: path, access: .readWrite(createIfMissing: false))
        defer { try? other.close() }
        for macs in 1...5 {
            _ = try store.addFinishedTrial(try Fixtures.trial(studyID: try #require(study.id), macs: macs))
        }
        _ = try other.studies()
        try store.close()

        try FileManager.default.copyItem(atPath: path, toPath: directory.file("copy.sqlite"))
        let copy = try SQLiteTrialStore(path: directory.file("copy.sqlite"), access: .readOnly)
        defer { try? copy.close() }
        #expect(try copy.trials(TrialQuery()).map(\.macs) == [1, 2, 3, 4, 5])
    }

    @Test func aClosedStoreRefusesWritesAndClosingTwiceIsHarmless() async throws {
        let directory = try TemporaryDirectory()
        let (store, _) = try Fixtures.store(at: directory.file("d.sqlite"))
        try store.close()
        try store.close()
        #expect(throws: StoreError.self) { try store.createStudy(Fixtures.study("later")) }
    }
}
