import MobileViT

/// Proposes what a study trains of its downsizing chain (``DownsizingEngine``): the chain's
/// in-budget end, its start model, and the chain continued below the budget; never more than one
/// model above the budgets.
///
/// The chain is computed exactly (MACs and parameters are counted, not predicted), so its
/// over-budget models need no training to be placed: they can never be recommended, and
/// training them is what a real study paid for most. What they taught the GP, how accuracy
/// moves with scale, the start model alone (the chain's widest span) and the formula's steps
/// below the budget teach as well, the latter at a fraction of the budget's cost: from the end,
/// each next model is the engine's chain to s times the previous model's MACs (the other budgets
/// kept), down to half the MACs budget, where the candidates end (``CandidatePool``). A study
/// trains at most as many chain models as before (the chain's length, at most half the target,
/// at least 2). A study that already has a trial above its budgets (resumed from an older gpnav
/// that trained the whole chain, or imported) gets no other.
struct DownsizingChainProposer: Proposer {
    /// The chain's models a study trains, in order: the in-budget end, the start model (when the
    /// chain has more than one), then models below the end.
    let toTrain: [DownsizingStep]
    let budget: Budget
    /// The engine and guide the chain was made with, to continue it below a latency budget.
    let engine: DownsizingEngine
    let guide: AccuracyModel?
    /// The most formula steps a chain model is moved down to meet a latency budget.
    static let maxLatencySteps = 8

    /// The chain of `snapshot`'s study from its start model; `guide`, when given, is the study's
    /// fitted model, which steers the chain (a resumed or imported study has results already).
    /// - Throws: ``SearchError`` when no grid point meets the budget or the start model is of
    ///   another family; ``SearchSpaceError``.
    init(snapshot: StudySnapshot, guide: AccuracyModel?) throws {
        let budget = snapshot.budget
        let engine = DownsizingEngine(space: snapshot.space, budget: budget, stepFactor: snapshot.settings.stepFactor)
        let chain = try engine.chain(from: snapshot.settings.start ?? engine.defaultStart(), model: guide)
        var toTrain = chain.count > 1 ? [chain[chain.count - 1], chain[0]] : chain
        let count = min(chain.count, max(2, snapshot.targetTrials / 2))
        var lowest = toTrain[0]
        while toTrain.count < count, let next = try? Self.below(lowest, engine: engine, guide: guide),
              2 * next.cost.macs >= budget.macs ?? 0 {
            toTrain.append(next)
            lowest = next
        }
        self.toTrain = toTrain
        self.budget = budget
        self.engine = engine
        self.guide = guide
    }

    /// `step`, or, in a study with a latency budget, the first model down the formula from it
    /// that the screen's latency estimate (``LatencyScreen/estimate(of:macs:)``) puts within the
    /// admission limit: each move goes to `min(s, limit / estimate)` times the MACs, so that a
    /// chain that ends over the latency budget (MACs alone placed it) starts where the device's
    /// latency model says the budget is. `step` itself without a latency budget or any estimate.
    func latencyBounded(_ step: DownsizingStep, screen: LatencyScreen?) -> DownsizingStep {
        guard let screen else { return step }
        var current = step
        for _ in 0..<Self.maxLatencySteps {
            guard let estimate = screen.estimate(of: current.architecture, macs: current.cost.macs),
                  estimate.latencyMs > screen.admissionLimitMs || !screen.admits(current.architecture) else { return current }
            var lower = engine
            let ratio = min(engine.stepFactor, screen.admissionLimitMs / estimate.latencyMs)
            lower.budget.macs = Int(Double(current.cost.macs) * ratio)
            guard let chain = try? lower.chain(from: current.architecture, model: guide), let end = chain.last,
                  chain.count > 1 else { return current }
            current = DownsizingStep(step: current.step + chain.count - 1, architecture: end.architecture, cost: end.cost,
                                     exponents: end.exponents, guidedByModel: end.guidedByModel,
                                     predictedAccuracy: end.predictedAccuracy, predictedStd: end.predictedStd)
        }
        return current
    }

    /// The next model of the formula below `step`: the engine's chain from it to s times its MACs,
    /// the other budgets kept; nil when the space has nothing smaller.
    static func below(_ step: DownsizingStep, engine: DownsizingEngine, guide: AccuracyModel?) throws -> DownsizingStep? {
        var lower = engine
        lower.budget.macs = Int(Double(step.cost.macs) * engine.stepFactor)
        let chain = try lower.chain(from: step.architecture, model: guide)
        guard let end = chain.last, chain.count > 1 else { return nil }
        return DownsizingStep(step: step.step + chain.count - 1, architecture: end.architecture, cost: end.cost,
                              exponents: end.exponents, guidedByModel: end.guidedByModel,
                              predictedAccuracy: end.predictedAccuracy, predictedStd: end.predictedStd)
    }

    /// The first model of ``toTrain`` no trial has taken, unless it is above the budgets and the
    /// study has a trial above them already.
    func propose(for snapshot: StudySnapshot) -> ProposerOutcome {
        let taken = snapshot.taken
        let trainedAbove = snapshot.trials.contains { trial in
            taken.contains(trial.architecture) && !budget.admits(macs: trial.macs, params: trial.params)
        }
        // A latency study's chain proposes as many models as it would train, each moved within
        // the latency estimate; the moves are computed only while the chain is still proposing.
        let steps: [DownsizingStep]
        if let screen = snapshot.latency {
            let proposed = snapshot.trials.filter { trial in
                (trial.proposal.kind == .start || trial.proposal.kind == .downsize) && screen.admits(trial.architecture)
            }
            steps = proposed.count < toTrain.count ? toTrain.map { latencyBounded($0, screen: screen) } : []
        } else {
            steps = toTrain
        }
        let next = steps.first { step in
            !taken.contains(step.architecture) && snapshot.latencyAdmits(step.architecture)
                && (!trainedAbove || budget.admits(macs: step.cost.macs, params: step.cost.params))
        }
        guard let step = next else { return .exhausted }
        let proposal = Proposal(kind: step.step == 0 ? .start : .downsize, step: step.step,
                                predictedAccuracy: step.predictedAccuracy, predictedStd: step.predictedStd)
        return .proposal(ProposedArchitecture(architecture: step.architecture, cost: step.cost, proposal: proposal))
    }
}
