import GaussianProcess
import MobileViT
import Testing
@testable import GPNav

/// Where the study's noise floor applies: the recommendation and its +/- are floored, the
/// proposals' ranking is not (Experiments/search-quality/RESULTS.md measured both).
@Suite("Model noise")
struct ModelNoiseTests {
    let scratch: ScratchDirectory
    let store: SQLiteTrialStore

    init() throws {
        scratch = try ScratchDirectory()
        store = try SQLiteTrialStore(path: scratch.path("s.sqlite"), access: .readWrite(createIfMissing: true))
    }

    /// A study with `count` complete trials told a noiseless smooth accuracy, so that maximum
    /// likelihood drives a free noise far below the floor; `repeat` adds a second training of the
    /// first trial's architecture `repeat` points away.
    func study(completing count: Int, repeat offset: Double? = nil) async throws -> (Study, [Trial]) {
        let session = try await StudySession.open(store: store, name: "s", settings: StudySessionTests.settings(trials: 20),
                                                  mode: .createOrConfirm, leaseSeconds: 120)
        for _ in 0..<count {
            let trial = try #require(try await session.ask(worker: "w", count: 1).trials.first).trial
            _ = try await session.tell(trial: trial.number, result: EvaluationResult(accuracy: Self.accuracy(trial.architecture)))
        }
        var trials = try store.trials(TrialQuery(study: "s"))
        if let offset, var again = trials.first {
            again.id = 10_000
            again.number = trials.count
            again.accuracy = (again.accuracy ?? 0) + offset
            trials.append(again)
        }
        return (session.study, trials)
    }

    static func accuracy(_ architecture: Architecture) -> Double {
        60 + 8 * architecture.width + Double(architecture.resolution) / 100
    }

    static let priorVariance = TrainingNoise.priorStandardDeviation * TrainingNoise.priorStandardDeviation

    @Test func aFittedModelLeavesTheNoiseToMaximumLikelihoodAsBeforeTheFloor() async throws {
        let (study, trials) = try await study(completing: 6)
        var model = StudyModel(space: study.space, seed: study.seed, jointFactors: study.settings.jointFactors, noise: .fitted)
        let fitted = try model.model(for: trials)
        let points = StudyModelRefreshTests.points(trials)
        let unfloored = try AccuracyModel.fit(points, encoding: model.encoding, restarts: 2, seed: study.seed &+ UInt64(points.count))
        #expect(fitted.process.kernel == unfloored.process.kernel)
        #expect(fitted.trainingNoiseVariance < Self.priorVariance / 10, "noiseless data: the free noise collapses")
    }

    @Test func aFlooredModelNeverClaimsLessNoiseThanTheStatedPrior() async throws {
        let (study, trials) = try await study(completing: 6)
        var model = StudyModel(space: study.space, seed: study.seed, jointFactors: study.settings.jointFactors, noise: .floored)
        #expect(try model.model(for: trials).trainingNoiseVariance >= Self.priorVariance * (1 - 1e-9))
    }

    @Test func theRecommendationIsFlooredWhileTheProposalsModelIsNot() async throws {
        let (study, trials) = try await study(completing: 6)
        let snapshot = StudySnapshot(study: study, trials: trials)
        var proposer = GaussianProcessProposer(snapshot: snapshot, restarts: 2, refresh: .inline)
        let recommended = proposer.recommendation(for: snapshot)
        let recommendation = try #require(recommended)
        #expect(recommendation.trainingNoiseVariance >= Self.priorVariance * (1 - 1e-9))
        let proposing = try proposer.fittedModel(for: snapshot)
        #expect(proposing.trainingNoiseVariance < Self.priorVariance / 10)
        // The recommended trial has the highest posterior mean of the floored model, and the
        // report's numbers are that model's at it.
        var floored = StudyModel(space: study.space, seed: study.seed, jointFactors: study.settings.jointFactors, noise: .floored)
        let model = try floored.model(for: trials)
        let best = try #require(AcquisitionProposer(pool: proposer.pool).incumbent(model: model, among: snapshot.complete))
        #expect(recommendation.trial.number == best.trial.number)
        #expect(recommendation.predictedAccuracy == best.mean && recommendation.predictedStd == best.std)
    }

    @Test func repeatedTrainingsRaiseTheRecommendationsNoiseToTheirSpread() async throws {
        // Two trainings 3 points apart: pooled variance 4.5 points^2, far above the prior.
        let (study, trials) = try await study(completing: 6, repeat: 3)
        let snapshot = StudySnapshot(study: study, trials: trials)
        var proposer = GaussianProcessProposer(snapshot: snapshot, restarts: 2, refresh: .inline)
        let recommended = proposer.recommendation(for: snapshot)
        let recommendation = try #require(recommended)
        #expect(recommendation.trainingNoiseVariance >= 4.5 * (1 - 1e-9))
    }
}
