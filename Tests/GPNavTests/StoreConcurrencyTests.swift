import Foundation
import Testing
@testable import GPNav

@Suite("Store concurrency")
struct StoreConcurrencyTests {
    /// Separate stores on one location, each on its own thread, stand in for several gpnav
    /// processes: separate SQLite connections lock the file as processes do, and separate
    /// PostgreSQL stores have connection pools of their own.
    @Test(arguments: StoreBackend.available)
    func concurrentWritersGetUniqueGapFreeNumbersAndLoseNothing(backend: StoreBackend) async throws {
        let (_, study, location) = try await backend.storeWithStudy()
        let studyID = try #require(study.id)
        let writers = 6
        let trialsEach = 30
        let results = try await withThrowingTaskGroup(of: [Trial].self) { group in
            for writer in 0..<writers {
                group.addTask {
                    try await Task.detached {
                        let store = try await openStore(location, access: .readWrite(createIfMissing: false))
                        var stored: [Trial] = []
                        for index in 0..<trialsEach {
                            let trial = try Fixtures.trial(studyID: studyID, state: .running,
                                                           macs: writer * 1000 + index)
                            let started = try #require(try await store.insertTrial(trial, claimKey: nil))
                            let finished = try await store.compareAndSetTrial(
                                id: try #require(started.id), expected: .running, lastSeenBefore: nil,
                                outcome: TrialOutcome(state: .complete, accuracy: Double(index)), signOfLife: true)
                            #expect(finished)
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
        let reader = try await openStore(location, access: .readOnly)
        let trials = try await reader.trials(TrialQuery())
        #expect(trials.map(\.number) == Array(0..<writers * trialsEach))
        #expect(Set(trials.map(\.macs)) == Set(results.map(\.macs)))
        #expect(trials.allSatisfy { $0.state == .complete })
    }

    @Test(arguments: StoreBackend.available)
    func concurrentInsertsOfOneClaimKeyHaveExactlyOneWinner(backend: StoreBackend) async throws {
        let (_, study, location) = try await backend.storeWithStudy()
        let studyID = try #require(study.id)
        let rounds = 5
        let wins = try await StoreBackend.concurrently(6, at: location) { store in
            // Each round, every claimer inserts under the same key.
            var won: [Int] = []
            for round in 0..<rounds {
                let trial = try Fixtures.trial(studyID: studyID, resolution: 128 + 32 * round, state: .running)
                if try await store.insertTrial(trial, claimKey: "round \(round)") != nil { won.append(round) }
            }
            return won
        }.flatMap { $0 }
        #expect(wins.sorted() == Array(0..<rounds))
        let trials = try await openStore(location, access: .readOnly).trials(TrialQuery())
        #expect(trials.map(\.number) == Array(0..<rounds))
    }

    @Test(arguments: StoreBackend.available)
    func concurrentFirstOpensOfANewStoreAllSucceed(backend: StoreBackend) async throws {
        let location = try backend.newLocation()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<6 {
                group.addTask {
                    try await Task.detached {
                        let store = try await openStore(location, access: .readWrite(createIfMissing: true))
                        _ = try await store.createStudy(Fixtures.study("study-\(index)"))
                    }.value
                }
            }
            try await group.waitForAll()
        }
        let store = try await openStore(location, access: .readOnly)
        #expect(try await store.studies().map(\.name).sorted() == (0..<6).map { "study-\($0)" })
    }
}
