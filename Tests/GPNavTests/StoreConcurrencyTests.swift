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
                            let started = try await store.startTrial(trial)
                            try await store.finishTrial(id: try #require(started.id),
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
        let reader = try await openStore(location, access: .readOnly)
        let trials = try await reader.trials(TrialQuery())
        #expect(trials.map(\.number) == Array(0..<writers * trialsEach))
        #expect(Set(trials.map(\.macs)) == Set(results.map(\.macs)))
        #expect(trials.allSatisfy { $0.state == .complete })
    }

    @Test(arguments: StoreBackend.available)
    func concurrentClaimsOfOneArchitectureHaveExactlyOneWinner(backend: StoreBackend) async throws {
        let (_, study, location) = try await backend.storeWithStudy()
        let studyID = try #require(study.id)
        let claimers = 6
        let rounds = 5
        let wins = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<claimers {
                group.addTask {
                    try await Task.detached {
                        let store = try await openStore(location, access: .readWrite(createIfMissing: false))
                        // Each round, every claimer asks for the same architecture (resolution varies by round).
                        var won: [Int] = []
                        for round in 0..<rounds {
                            let trial = try Fixtures.trial(studyID: studyID, resolution: 128 + 32 * round, state: .running)
                            if try await store.claimTrial(trial) != nil { won.append(round) }
                        }
                        return won
                    }.value
                }
            }
            var all: [Int] = []
            for try await won in group { all += won }
            return all
        }
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
