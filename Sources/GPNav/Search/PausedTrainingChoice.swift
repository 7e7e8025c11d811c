import Foundation
import GaussianProcess
import MobileViT

/// Freeze-thaw's choice (Swersky, Snoek & Adams 2014, "Freeze-Thaw Bayesian Optimization"):
/// whether the epochs of the next training go to a new architecture or to continuing a paused
/// one, a trial pruned part of the way whose training can go on from where it stopped.
///
/// Both are scored by expected improvement against the incumbent, a new candidate under the
/// proposals' model, a paused trial under the final its own curve predicts (the pruning
/// decision's mean and standard deviation, kept with the trial; the model's where it has none),
/// per epoch it costs:
/// a new training costs the full E epochs, a paused one only the E - k it has left, so the
/// choice maximises log EI - log(cost), EI per unit of cost as Snoek, Larochelle & Adams (2012)
/// weigh EI by the cost of an evaluation. A paused trial wins ties (its cost is the lower).
struct PausedTrainingChoice {
    let acquisition: AcquisitionProposer
    /// The study's full training length E; nil: nothing is ever continued.
    let epochs: Int?

    /// The paused trial to continue instead of the new candidate `choice` (nil: none is left), or
    /// nil when the new candidate is worth more per epoch or nothing is paused. `finals` holds
    /// the predicted finals of paused trials by trial id (``StudySnapshot/prunedFinals``).
    func continuation(of paused: [(trial: Trial, epochs: Int)], finals: [Int64: PredictedFinal] = [:],
                      model: AccuracyModel, evaluated: [Trial],
                      against choice: AcquisitionProposer.Choice?) -> ProposedArchitecture? {
        guard let epochs, !paused.isEmpty else { return nil }
        var scores = acquisition.logExpectedImprovements(of: paused.map(\.trial.architecture), model: model,
                                                         evaluated: evaluated)
        // A paused trial's own curve says more about its final than the proposals' model, in which
        // it stands with its prediction's variance as noise and so leans on its neighbours: measured
        // on the fidelity benchmark, scoring by the model continued trainings whose curves had fallen
        // behind (Experiments/fidelity/RESULTS.md).
        if let best = acquisition.incumbent(model: model, among: evaluated)?.mean {
            for (index, entry) in paused.enumerated() {
                guard let id = entry.trial.id, let final = finals[id], let std = final.std, std.isFinite, std > 0 else { continue }
                scores[index] = (Acquisition.logExpectedImprovement(mean: final.mean, standardDeviation: std, best: best),
                                 final.mean, std)
            }
        }
        var best: (index: Int, value: Double)?
        for (index, score) in scores.enumerated() where score.logEI.isFinite {
            let value = score.logEI - log(Double(max(1, epochs - paused[index].epochs)))
            if best.map({ value > $0.value }) ?? true { best = (index, value) }
        }
        guard let best else { return nil }
        if let choice, choice.logExpectedImprovement.isFinite,
           choice.logExpectedImprovement - log(Double(epochs)) > best.value { return nil }
        let trial = paused[best.index].trial
        let score = scores[best.index]
        return ProposedArchitecture(
            architecture: trial.architecture, cost: Cost(macs: trial.macs, params: trial.params),
            proposal: Proposal(kind: .gp, acquisition: score.logEI, predictedAccuracy: score.mean, predictedStd: score.std),
            resumes: trial.number)
    }
}
