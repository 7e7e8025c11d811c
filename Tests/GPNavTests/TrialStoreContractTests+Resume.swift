import Foundation
import Testing
@testable import GPNav

/// The primitives a paused training's continuation (freeze-thaw) is built from, on every backend.
extension TrialStoreContractTests {
    @Test(arguments: StoreBackend.available)
    func aPrunedTrialSetRunningAgainHasNoEndTimeAndRunsForItsNewWorker(backend: StoreBackend) async throws {
        let (store, study, _) = try await backend.storeWithStudy()
        var trial = try Fixtures.trial(studyID: try #require(study.id), state: .running, accuracy: nil)
        trial.worker = "first-host:1"
        let running = try #require(try await store.insertTrial(trial, claimKey: nil))
        let id = try #require(running.id)
        #expect(try await store.addEpochReport(EpochReport(epoch: 1, accuracy: 20), trialID: id))
        #expect(try await store.compareAndSetTrial(id: id, expected: .running, lastSeenBefore: nil,
                                                   outcome: TrialOutcome(state: .pruned, error: "paused"), signOfLife: true))
        let paused = try #require(try await store.trials(ids: [id]).first)
        #expect(paused.finishedAt != nil && paused.worker == "first-host:1")

        #expect(try await store.compareAndSetTrial(id: id, expected: .pruned, lastSeenBefore: nil,
                                                   outcome: TrialOutcome(state: .running, worker: "second-host:2"),
                                                   signOfLife: true))
        let resumed = try #require(try await store.trials(ids: [id]).first)
        #expect(resumed.state == .running && resumed.finishedAt == nil && resumed.error == nil)
        #expect(resumed.worker == "second-host:2" && resumed.number == running.number)
        #expect(resumed.heartbeatAt.map { $0 >= (paused.finishedAt ?? .distantFuture) } == true)
        // Its curve goes on where it stopped.
        #expect(try await store.addEpochReport(EpochReport(epoch: 2, accuracy: 30), trialID: id))
        #expect(try await store.learningCurves(study: study.name)[id]?.map(\.epoch) == [1, 2])
        // An outcome without a worker keeps the stored one.
        #expect(try await store.compareAndSetTrial(id: id, expected: .running, lastSeenBefore: nil,
                                                   outcome: TrialOutcome(state: .complete, accuracy: 50), signOfLife: true))
        #expect(try await store.trials(ids: [id]).first?.worker == "second-host:2")
    }

    @Test(arguments: StoreBackend.available)
    func theLastEpochsReportedBeforeATimeAreReadPerTrial(backend: StoreBackend) async throws {
        let (store, study, _) = try await backend.storeWithStudy()
        let studyID = try #require(study.id)
        var ids: [Int64] = []
        for _ in 0..<2 {
            let trial = try Fixtures.trial(studyID: studyID, state: .running, accuracy: nil)
            ids.append(try #require(try await store.insertTrial(trial, claimKey: nil)?.id))
        }
        for epoch in 1...3 { #expect(try await store.addEpochReport(EpochReport(epoch: epoch, accuracy: 10), trialID: ids[0])) }
        // Stored times have millisecond precision: the cut-off lies clearly between the reports.
        try await Task.sleep(for: .milliseconds(20))
        let cutoff = Date()
        try await Task.sleep(for: .milliseconds(20))
        #expect(try await store.addEpochReport(EpochReport(epoch: 4, accuracy: 10), trialID: ids[0]))
        #expect(try await store.addEpochReport(EpochReport(epoch: 1, accuracy: 10), trialID: ids[1]))
        #expect(try await store.lastEpochsReported(study: study.name, before: cutoff) == [ids[0]: 3])
        #expect(try await store.lastEpochsReported(study: study.name, before: Date().addingTimeInterval(60))
                    == [ids[0]: 4, ids[1]: 1])
        await #expect(throws: StoreError.self) { try await store.lastEpochsReported(study: "no-such-study", before: cutoff) }
    }
}
