import Foundation
import Testing
@testable import GPNav
import MobileViT

extension TrialStoreContractTests {
    @Test(arguments: StoreBackend.available)
    func summaryBestOfAnEightBitStudyIsTheInt8AccuracyOfTheTrialBestObservedNamesAndAFloatStudyKeepsItsFloat(
        backend: StoreBackend) async throws {
        let (store, _) = try await backend.newStore()
        var eightBit = Fixtures.study("int8")
        eightBit.settings.deploymentBits = 8
        let int8Study = try await store.createStudy(eightBit)
        let floatStudy = try await store.createStudy(Fixtures.study("float", createdAt: Fixtures.epoch.addingTimeInterval(1)))
        // Float and int8 accuracies disagree on the best; the 95 / 94.5 trial is over the 300 M
        // budget, the failed one does not count, and the complete one without an int8 accuracy has
        // none to rank by in the 8-bit study.
        let rows: [(TrialState, Double, Double?, Int)] = [
            (.complete, 80, 60.25, 290_000_000), (.complete, 70, 68.5, 250_000_000), (.complete, 90, nil, 200_000_000),
            (.complete, 95, 94.5, 300_000_001), (.failed, 0, 99, 100_000_000), (.complete, 75, 67, 300_000_000),
        ]
        for study in [int8Study, floatStudy] {
            let id = try #require(study.id)
            for (state, accuracy, int8, macs) in rows {
                _ = try await store.addFinishedTrial(try Fixtures.trial(
                    studyID: id, state: state, macs: macs, accuracy: accuracy,
                    metrics: int8.map { [StudySettings.int8AccuracyMetric: $0, "latency_ms": 3] } ?? ["latency_ms": 3]))
            }
        }
        let summaries = Dictionary(uniqueKeysWithValues: try await store.studySummaries().map { ($0.study.name, $0) })
        let int8Summary = try #require(summaries["int8"])
        let floatSummary = try #require(summaries["float"])
        // The reference: the library's one rule over the trials read back whole.
        let int8Trials = try await store.trials(TrialQuery(study: "int8"))
        let best = try #require(StudySession.bestObserved(int8Trials, study: int8Study))
        #expect(best.metrics[StudySettings.int8AccuracyMetric] == 68.5)
        #expect(int8Summary.bestAccuracy == 68.5)
        #expect(int8Summary.bestFloatAccuracy == 90 && int8Summary.bestInt8Accuracy == 68.5)
        let floatBest = try #require(StudySession.bestObserved(try await store.trials(TrialQuery(study: "float")),
                                                               study: floatStudy))
        #expect(floatSummary.bestAccuracy == floatBest.accuracy && floatSummary.bestAccuracy == 90)
        #expect(int8Summary.counts == [.complete: 5, .failed: 1] && floatSummary.counts == int8Summary.counts)
    }
}
