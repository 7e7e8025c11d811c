import Foundation
import GaussianProcess
import MobileViT

/// Proposes by expected improvement under the study's Gaussian process (weighted, in a study
/// with a latency budget, by the probability of being admitted: ``LatencyScreen``), conditioned on the
/// running trials at their predicted mean (the kriging believer), among the study's
/// ``CandidatePool``; a random admitted architecture while fewer than 2 trials are complete.
///
/// It keeps the study's models (``StudyModel``: a fit is reused while the complete trials are
/// unchanged), the candidate pool and the candidates' encoded inputs between proposals.
///
/// Two models, one per question (``ModelNoise``). Proposals rank candidates under a model whose
/// noise is left to maximum likelihood; the recommendation, its estimate and its +/- come from a
/// model whose noise never falls below the study's ``TrainingNoise`` floor. Measured on the
/// training simulator (Experiments/search-quality/RESULTS.md, 12 trials, 5 and 20 seeds), the
/// floor lowered search quality when it steered proposals and raised it when it chose among the
/// trained models; the floored +/- is the one that covers a retraining
/// (Experiments/noise-coverage).
struct GaussianProcessProposer: Proposer {
    /// The model that proposes, its noise fitted freely.
    private(set) var model: StudyModel
    /// The model that recommends and says how sure it is, its noise floored.
    private(set) var reportingModel: StudyModel
    let pool: CandidatePool
    /// The pool's encoded candidates, kept from one proposal to the next.
    private let candidateInputs: CandidateInputs

    /// A proposer for `snapshot`'s study: its pool is counted now (every grid point within budget).
    /// - Parameters:
    ///   - restarts: random restarts of each full hyperparameter fit.
    ///   - refresh: where the model re-optimises its hyperparameters.
    init(snapshot: StudySnapshot, restarts: Int, refresh: ModelRefresh) {
        model = StudyModel(space: snapshot.space, seed: snapshot.seed, jointFactors: snapshot.settings.jointFactors,
                           restarts: restarts, refresh: refresh, noise: .fitted)
        reportingModel = StudyModel(space: snapshot.space, seed: snapshot.seed, jointFactors: snapshot.settings.jointFactors,
                                    restarts: restarts, noise: .floored)
        pool = CandidatePool(space: snapshot.space, budget: snapshot.budget)
        candidateInputs = CandidateInputs(pool: pool, encoding: model.encoding)
    }

    /// The study's model fitted to every complete trial of `snapshot` and the pruned ones'
    /// predicted finals, each with its predicted variance as extra noise
    /// (``StudySnapshot/modelTrials``, ``StudySnapshot/modelNoise``; reused while they are unchanged).
    /// - Throws: ``GaussianProcessError`` when fewer than 2 are complete or the fit fails.
    mutating func fittedModel(for snapshot: StudySnapshot) throws -> AccuracyModel {
        try model.model(for: snapshot.modelTrials, observationNoise: snapshot.modelNoise)
    }

    mutating func propose(for snapshot: StudySnapshot) -> ProposerOutcome {
        let taken = snapshot.taken
        var generator = SplitMix64(seed: snapshot.seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(snapshot.trials.count + 1))
        let complete = snapshot.complete
        guard complete.count >= 2, let model = try? fittedModel(for: snapshot) else {
            let candidates = pool.candidates(excluding: taken, around: nil, admitting: snapshot.latencyAdmits,
                                             using: &generator)
            // Under a latency budget, among those more likely admitted than not, when there are any.
            let likely = candidates.filter { snapshot.latencyLogAdmission($0) >= log(0.5) }
            guard let pick = (likely.isEmpty ? candidates : likely).randomElement(using: &generator) else { return .exhausted }
            return .proposal(ProposedArchitecture(architecture: pick.architecture, cost: pick.cost,
                                                  proposal: Proposal(kind: .random)))
        }
        let believer = (try? model.withFantasies(snapshot.running.map(\.architecture))) ?? model
        let acquisition = AcquisitionProposer(pool: pool, inputs: candidateInputs)
        let choice = acquisition.propose(model: believer, evaluated: complete, taken: taken,
                                         admitting: snapshot.latencyAdmits,
                                         logFeasibility: snapshot.latencyLogAdmission, using: &generator)
        if let resumed = PausedTrainingChoice(acquisition: acquisition, epochs: snapshot.settings.epochs)
            .continuation(of: snapshot.paused, finals: snapshot.prunedFinals, model: believer, evaluated: complete, against: choice) {
            return .proposal(resumed)
        }
        guard let choice else { return .exhausted }
        let proposal = Proposal(kind: .gp, acquisition: choice.logExpectedImprovement,
                                predictedAccuracy: choice.predictedAccuracy, predictedStd: choice.predictedStd)
        return .proposal(ProposedArchitecture(architecture: choice.candidate.architecture, cost: choice.candidate.cost,
                                              proposal: proposal))
    }

    /// The complete trial within budget with the highest posterior mean under the floored model,
    /// once 2 trials are complete.
    mutating func recommendation(for snapshot: StudySnapshot) -> Recommendation? {
        let complete = snapshot.complete
        guard complete.count >= 2, let model = try? reportingModel.model(for: snapshot.trials),
              let best = AcquisitionProposer(pool: pool).incumbent(model: model, among: complete) else { return nil }
        return Recommendation(trial: best.trial, predictedAccuracy: best.mean, predictedStd: best.std,
                              trainingNoiseVariance: model.trainingNoiseVariance)
    }

    /// The candidate pool and its encoded inputs, and the fitted model.
    var approximateBytes: Int {
        pool.admitted.count * CandidatePool.approximateBytesPerCandidate + candidateInputs.approximateBytes
            + model.approximateBytes + reportingModel.approximateBytes
    }

    var modelFitStatistics: ModelFitStatistics {
        ModelFitStatistics(fits: model.fitCount + reportingModel.fitCount,
                           totalSeconds: model.fitSeconds + reportingModel.fitSeconds)
    }

    var backgroundRefit: BackgroundRefit? { model.backgroundRefit }
}
