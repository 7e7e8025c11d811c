import Foundation
import Testing
@testable import GPNav

@Suite("Store concurrency")
struct StoreConcurrencyTests {
    /// Separate connections lock a SQLite file as separate processes do, so several stores on one
    /// file, each on its own thread, stand in for several gpnav processes.
    @Test func concurrentWritersGetUniqueGapFreeNumbersAndLoseNothing() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("shared.sqlite")
        let (_, study) = try Fixtures.store(at: path)
        let studyID = try #require(study.id)
        let writers = 6
        let trialsEach = 30
        let results = try await withThrowingTaskGroup(of: [Trial].self) { group in
            for writer in 0..<writers {
                group.addTask {
                    try await Task.detached {
                        let store = try SQLiteTrialStore(path: path, access: .readWrite(createIfMissing: false))
                        var stored: [Trial] = []
                        for index in 0..<trialsEach {
                            let trial = try Fixtures.trial(studyID: studyID, state: .running,
                                                           macs: writer * 1000 + index)
                            let started = try store.startTrial(trial)
                            try store.finishTrial(id: try #require(started.id),
                                                  outcome: TrialOutcome(state: .complete, accuracy: Double(index)))
                            stored.append(started)
                        }
                        return stored
                    }.value
                }
            }
            var all: [Trial] = []
            for try await stored in group { all += stored }
            return all
        }
        #expect(results.count == writers * trialsEach)
        #expect(results.map(\.number).sorted() == Array(0..<writers * trialsEach))
        let reader = try SQLiteTrialStore(path: path, access: .readOnly)
        let trials = try reader.trials(TrialQuery())
        #expect(trials.map(\.number) == Array(0..<writers * trialsEach))
        #expect(Set(trials.map(\.macs)) == Set(results.map(\.macs)))
        #expect(trials.allSatisfy { $0.state == .complete })
    }

    @Test func concurrentFirstOpensOfANewFileAllSucceed() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("new.sqlite")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<6 {
                group.addTask {
                    try await Task.detached {
                        let store = try SQLiteTrialStore(path: path, access: .readWrite(createIfMissing: true))
                        _ = try store.createStudy(Fixtures.study("study-\(index)"))
                    }.value
                }
            }
            try await group.waitForAll()
        }
        let store = try SQLiteTrialStore(path: path, access: .readOnly)
        #expect(try store.studies().map(\.name).sorted() == (0..<6).map { "study-\($0)" })
    }
}
