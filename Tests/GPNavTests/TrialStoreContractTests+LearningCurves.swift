import Foundation
import Testing
@testable import GPNav

extension TrialStoreContractTests {
    @Test(arguments: StoreBackend.available)
    func epochReportsOfARunningTrialAreStoredAndReadBackInEpochOrder(backend: StoreBackend) async throws {
        let (store, study, _) = try await backend.storeWithStudy()
        let trial = try Fixtures.trial(studyID: try #require(study.id), state: .running, accuracy: nil)
        let running = try #require(try await store.insertTrial(trial, claimKey: nil))
        let id = try #require(running.id)
        let curve = [EpochReport(epoch: 1, accuracy: 12.5), EpochReport(epoch: 2, accuracy: 30.25),
                     EpochReport(epoch: 5, accuracy: 41.0)]
        for report in curve { #expect(try await store.addEpochReport(report, trialID: id)) }
        #expect(try await store.learningCurves(study: study.name) == [id: curve])
        #expect(try await store.learningCurves(study: nil) == [id: curve])
    }

    @Test(arguments: StoreBackend.available)
    func aRepeatedOrEarlierEpochIsNotStoredAndTheCurveStaysAsItWas(backend: StoreBackend) async throws {
        let (store, study, _) = try await backend.storeWithStudy()
        let trial = try Fixtures.trial(studyID: try #require(study.id), state: .running, accuracy: nil)
        let running = try #require(try await store.insertTrial(trial, claimKey: nil))
        let id = try #require(running.id)
        #expect(try await store.addEpochReport(EpochReport(epoch: 3, accuracy: 40), trialID: id))
        #expect(try await store.addEpochReport(EpochReport(epoch: 3, accuracy: 41), trialID: id) == false)
        #expect(try await store.addEpochReport(EpochReport(epoch: 2, accuracy: 39), trialID: id) == false)
        #expect(try await store.learningCurves(study: study.name) == [id: [EpochReport(epoch: 3, accuracy: 40)]])
    }

    @Test(arguments: StoreBackend.available)
    func aReportForAFinishedTrialIsNotStoredButTheCurveBeforeItStays(backend: StoreBackend) async throws {
        let (store, study, _) = try await backend.storeWithStudy()
        let trial = try Fixtures.trial(studyID: try #require(study.id), state: .running, accuracy: nil)
        let running = try #require(try await store.insertTrial(trial, claimKey: nil))
        let id = try #require(running.id)
        #expect(try await store.addEpochReport(EpochReport(epoch: 1, accuracy: 20), trialID: id))
        #expect(try await store.compareAndSetTrial(id: id, expected: .running, lastSeenBefore: nil,
                                                   outcome: TrialOutcome(state: .failed, error: "out of memory"), signOfLife: false))
        #expect(try await store.addEpochReport(EpochReport(epoch: 2, accuracy: 30), trialID: id) == false)
        #expect(try await store.learningCurves(study: study.name) == [id: [EpochReport(epoch: 1, accuracy: 20)]])
    }

    @Test(arguments: StoreBackend.available)
    func unknownTrialsAndImpossibleReportsAreRefusedWithTheirReason(backend: StoreBackend) async throws {
        let (store, study, _) = try await backend.storeWithStudy()
        await #expect(throws: StoreError.unknownTrial(987_654)) {
            try await store.addEpochReport(EpochReport(epoch: 1, accuracy: 1), trialID: 987_654)
        }
        let trial = try Fixtures.trial(studyID: try #require(study.id), state: .running, accuracy: nil)
        let running = try #require(try await store.insertTrial(trial, claimKey: nil))
        let id = try #require(running.id)
        for bad in [EpochReport(epoch: 0, accuracy: 1), EpochReport(epoch: 1, accuracy: .nan),
                    EpochReport(epoch: 1, accuracy: 100.5), EpochReport(epoch: 10_001, accuracy: 1)] {
            await #expect(throws: StoreError.self) { try await store.addEpochReport(bad, trialID: id) }
        }
        #expect(try await store.learningCurves(study: study.name).isEmpty)
    }

    @Test(arguments: StoreBackend.available)
    func curvesAreReadPerStudyAndGoWhenTheirStudyIsDeleted(backend: StoreBackend) async throws {
        let (store, first, _) = try await backend.storeWithStudy()
        let second = try await store.createStudy(Fixtures.study("other"))
        let firstID = try #require(first.id), secondID = try #require(second.id)
        let a = try #require(try await store.insertTrial(try Fixtures.trial(studyID: firstID, state: .running, accuracy: nil), claimKey: nil)?.id)
        let b = try #require(try await store.insertTrial(try Fixtures.trial(studyID: secondID, state: .running, accuracy: nil), claimKey: nil)?.id)
        _ = try await store.addEpochReport(EpochReport(epoch: 1, accuracy: 5), trialID: a)
        _ = try await store.addEpochReport(EpochReport(epoch: 1, accuracy: 6), trialID: b)
        #expect(try await store.learningCurves(study: "other") == [b: [EpochReport(epoch: 1, accuracy: 6)]])
        await #expect(throws: StoreError.self) { try await store.learningCurves(study: "nope") }
        try await store.deleteStudy(named: "other")
        #expect(try await store.learningCurves(study: nil) == [a: [EpochReport(epoch: 1, accuracy: 5)]])
    }

    @Test(arguments: StoreBackend.available)
    func importedCurvesAreStoredWholeOrNotAtAll(backend: StoreBackend) async throws {
        let (store, study, _) = try await backend.storeWithStudy()
        let finished = try await store.addFinishedTrial(try Fixtures.trial(studyID: try #require(study.id)))
        let id = try #require(finished.id)
        let curve = [EpochReport(epoch: 1, accuracy: 50), EpochReport(epoch: 2, accuracy: 78.1)]
        // A curve whose epochs go back is refused, and nothing of the batch is kept.
        await #expect(throws: StoreError.self) {
            try await store.addLearningCurves([id: curve, 987_654: curve])
        }
        await #expect(throws: StoreError.self) {
            try await store.addLearningCurves([id: curve.reversed()])
        }
        #expect(try await store.learningCurves(study: study.name).isEmpty)
        try await store.addLearningCurves([id: curve])
        #expect(try await store.learningCurves(study: study.name) == [id: curve])
    }
}
