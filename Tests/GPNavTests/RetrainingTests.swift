import Foundation
import MobileViT
import Testing
@testable import GPNav

/// The simulator, recording the seed of every request.
final class SeedRecorder: Evaluator, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Int: Int] = [:]
    let inner: TrainingSimulator
    init(seed: UInt64) { inner = TrainingSimulator(seed: seed) }
    var summary: String { inner.summary }
    var isSimulated: Bool { true }
    /// Seed by trial number.
    var seeds: [Int: Int] { lock.withLock { recorded } }
    func evaluate(_ request: EvaluationRequest) async throws(EvaluationFailure) -> EvaluationResult {
        lock.withLock { recorded[request.trialNumber] = request.seed }
        return try await inner.evaluate(request)
    }
}

/// `--repeat-best`: the recommendation retrained with other seeds, its spread, and what the model learns from it.
@Suite("Retraining the recommendation")
struct RetrainingTests {
    func search(_ db: String, trials: Int = 6, repeatBest: Int, resume: Bool = false,
                evaluator: SeedRecorder = SeedRecorder(seed: 3)) async throws -> SearchReport {
        let store = try SQLiteTrialStore(path: db, access: .readWrite(createIfMissing: true))
        var configuration = SearchConfiguration(studyName: "r", settings: StudySettings(budget: Budget(macs: 300_000_000), targetTrials: trials, seed: 3),
                                                resume: resume)
        configuration.repeatBest = repeatBest
        return try await ArchitectureSearch(store: store, evaluator: evaluator, configuration: configuration).run()
    }

    @Test func repeatBestRetrainsTheRecommendationWithSeedsOneToK() async throws {
        let scratch = try ScratchDirectory()
        let recorder = SeedRecorder(seed: 3)
        let before = try await search(scratch.path("a.sqlite"), repeatBest: 0)
        let best = try #require(before.best)
        let report = try await search(scratch.path("b.sqlite"), repeatBest: 2, evaluator: recorder)
        let retraining = try #require(report.retraining)
        #expect(retraining.architecture == best.architecture)
        #expect(retraining.trials.map(\.number) == [best.number, 6, 7])
        #expect(retraining.started == 2 && retraining.failed == 0)
        #expect(recorder.seeds[6] == 1 && recorder.seeds[7] == 2)
        #expect((0..<6).allSatisfy { recorder.seeds[$0] == 0 }, "a first training runs with seed 0")
        #expect(retraining.trials.dropFirst().map { $0.metrics["seed"] } == [1, 2])
        #expect(Set(retraining.accuracies).count == 3, "the simulator draws other noise for each retraining")
        #expect(report.trials.count == 8)
    }

    @Test func theModelsNoiseCoversTheRetrainingsSpread() async throws {
        let scratch = try ScratchDirectory()
        let report = try await search(scratch.path("a.sqlite"), repeatBest: 3)
        let retraining = try #require(report.retraining)
        let spread = try #require(retraining.standardDeviation)
        let noise = try #require(report.trainingNoiseVariance)
        #expect(report.trainingNoise.isMeasured)
        #expect(noise >= spread * spread * (1 - 1e-9))
        #expect(try #require(report.bestTrainingStd) >= spread * (1 - 1e-9))
    }

    @Test func withoutRepeatsTheNoiseStaysAtOrAboveThePrior() async throws {
        let scratch = try ScratchDirectory()
        let report = try await search(scratch.path("a.sqlite"), repeatBest: 0)
        #expect(report.retraining == nil)
        #expect(!report.trainingNoise.isMeasured)
        let noise = try #require(report.trainingNoiseVariance)
        #expect(noise >= TrainingNoise.priorStandardDeviation * TrainingNoise.priorStandardDeviation * (1 - 1e-9))
    }

    @Test func aResumedRunAddsOnlyTheMissingRetrainingsWithNewSeeds() async throws {
        let scratch = try ScratchDirectory()
        let db = scratch.path("a.sqlite")
        let first = try await search(db, repeatBest: 1)
        let again = try await search(db, repeatBest: 1, resume: true)
        #expect(again.retraining?.started == 0)
        #expect(again.trials.count == first.trials.count)
        let recorder = SeedRecorder(seed: 3)
        let more = try await search(db, repeatBest: 2, resume: true, evaluator: recorder)
        #expect(more.retraining?.started == 1)
        #expect(recorder.seeds == [first.trials.count: 2])
    }
}
