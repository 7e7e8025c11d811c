import Foundation
import Testing
@testable import GPNav
import MobileViT

/// Reads without details (``TrialQuery/details``) leave out metrics and output, on every backend,
/// and a study's status reads that way, whatever size its trials' results were stored at.
@Suite("Trial store contract: reads without details", .serialized)
struct TrialQueryDetailsTests {
    @Test(arguments: StoreBackend.available)
    func aReadWithoutDetailsLeavesMetricsAndOutputOutAndKeepsTheRest(backend: StoreBackend) async throws {
        let (store, study, _) = try await backend.storeWithStudy()
        var trial = try Fixtures.trial(studyID: try #require(study.id), accuracy: 74.5, metrics: ["top5": 92.1])
        trial.evaluatorOutput = "epoch 1"
        let stored = try await store.addFinishedTrial(trial)
        let whole = try #require(try await store.trials(TrialQuery(study: study.name)).first)
        let light = try #require(try await store.trials(TrialQuery(study: study.name, details: false)).first)
        #expect(whole == stored)
        #expect(light.metrics.isEmpty && light.evaluatorOutput == nil)
        var expected = whole
        expected.metrics = [:]
        expected.evaluatorOutput = nil
        #expect(light == expected)
    }

    @Test(arguments: StoreBackend.available)
    func statusCountsAndBestAreTheSameWithAHugeStoredResult(backend: StoreBackend) async throws {
        let (store, study, _) = try await backend.storeWithStudy()
        // Stored straight into the store, as results were before their size was bounded.
        let metrics = Dictionary(uniqueKeysWithValues: (0..<25_000).map { ("m\($0)", Double($0)) })
        var huge = try Fixtures.trial(studyID: try #require(study.id), macs: 250_000_000, accuracy: 71, metrics: metrics)
        huge.evaluatorOutput = String(repeating: "x", count: 1 << 20)
        _ = try await store.addFinishedTrial(huge)
        let session = try await StudySession.open(store: store, name: study.name, leaseSeconds: 60)
        let status = try await session.status()
        #expect(status.complete == 1)
        #expect(status.best?.metrics.count == 25_000, "the best trial is shown whole")
        #expect(status.best?.evaluatorOutput?.utf8.count == 1 << 20)
    }
}
