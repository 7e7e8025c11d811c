import GaussianProcess
import MobileViT

/// Chooses the next architecture: the candidate with the largest expected improvement.
///
/// With the model's predictive mean mu(x) and standard deviation sigma(x) and the incumbent
/// f* (the best posterior mean among evaluated architectures that meet the budgets), expected
/// improvement is EI(x) = sigma(x) * (z Phi(z) + phi(z)), z = (mu(x) - f*) / sigma(x); it is
/// compared in log space, which stays finite and ordered far in the tail where EI underflows.
/// Under a constraint that is known only by a model (a latency budget), EI is weighted by the
/// probability that the candidate meets it, EI(x) P(feasible | x) (constrained EI: Schonlau,
/// Welch & Jones 1998; Gardner et al. 2014), added in log space.
struct AcquisitionProposer: Sendable {
    public let pool: CandidatePool
    /// The candidates' encoded inputs kept between proposals (a study's planner keeps them).
    let inputs: CandidateInputs?

    public init(pool: CandidatePool) {
        self.pool = pool
        inputs = nil
    }

    init(pool: CandidatePool, inputs: CandidateInputs) {
        self.pool = pool
        self.inputs = inputs
    }

    /// A proposal: the candidate, its log EI (times the feasibility weight, when given) and the
    /// model's prediction there.
    struct Choice: Sendable {
        public var candidate: Candidate
        public var logExpectedImprovement: Double
        public var predictedAccuracy: Double
        public var predictedStd: Double
    }

    /// The best evaluated trial by the model: the highest posterior mean among `trials` within the
    /// budgets, with the model's mean and standard deviation there (f* is that mean).
    public func incumbent(model: AccuracyModel, among trials: [Trial]) -> (trial: Trial, mean: Double, std: Double)? {
        model.highestPosteriorMean(among: trials, within: pool.budget).map { ($0.trial, $0.mean, $0.std) }
    }

    /// Log EI at each of `architectures` under `model`, against the incumbent among `evaluated`
    /// as ``propose(model:evaluated:taken:admitting:logFeasibility:using:)`` scores candidates,
    /// with the model's mean and standard deviation there.
    func logExpectedImprovements(of architectures: [Architecture], model: AccuracyModel,
                                 evaluated: [Trial]) -> [(logEI: Double, mean: Double, std: Double)] {
        guard !architectures.isEmpty else { return [] }
        let prediction = model.predict(architectures)
        let best = incumbent(model: model, among: evaluated)?.mean ?? (prediction.mean.max() ?? 0)
        return prediction.mean.indices.map { index in
            let mean = prediction.mean[index]
            let std = prediction.standardDeviation[index]
            return (Acquisition.logExpectedImprovement(mean: mean, standardDeviation: std, best: best), mean, std)
        }
    }

    /// The candidate maximising log EI + `logFeasibility` among those `admitting` lets through (a
    /// latency screen), or nil when every candidate has been taken or refused. `logFeasibility` is
    /// log P(the candidate meets a modelled constraint); 0 everywhere leaves EI as it is.
    public func propose<G: RandomNumberGenerator>(
        model: AccuracyModel, evaluated: [Trial], taken: Set<Architecture>,
        admitting: (Architecture) -> Bool = { _ in true }, logFeasibility: (Candidate) -> Double = { _ in 0 },
        using generator: inout G
    ) -> Choice? {
        let incumbent = self.incumbent(model: model, among: evaluated)
        let candidates = pool.candidates(excluding: taken, around: incumbent?.trial.architecture, admitting: admitting,
                                         using: &generator)
        guard !candidates.isEmpty else { return nil }
        let prediction = if let inputs, inputs.encoding == model.encoding {
            model.predict(encoded: inputs.rows(for: candidates))
        } else {
            model.predict(candidates.map(\.architecture))
        }
        let best = incumbent?.mean ?? (prediction.mean.max() ?? 0)
        var choice: Choice?
        for (index, candidate) in candidates.enumerated() {
            let mean = prediction.mean[index]
            let std = prediction.standardDeviation[index]
            let value = Acquisition.logExpectedImprovement(mean: mean, standardDeviation: std, best: best)
                + logFeasibility(candidate)
            guard value.isFinite || value == -.infinity else { continue }
            // Ties (e.g. all -inf) fall to the larger model, then the earlier grid point.
            if let current = choice {
                if value < current.logExpectedImprovement { continue }
                if value == current.logExpectedImprovement && candidate.cost.macs <= current.candidate.cost.macs { continue }
            }
            choice = Choice(candidate: candidate, logExpectedImprovement: value, predictedAccuracy: mean, predictedStd: std)
        }
        return choice
    }
}
