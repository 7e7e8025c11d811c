import MobileViT

/// Proposes the models of a downsizing chain in order, each once: from the start model down to
/// the first one that meets every budget (``DownsizingEngine``), thinned to at most half the
/// study's target. Exhausted once every model of the chain has a trial.
struct DownsizingChainProposer: Proposer {
    /// The chain's models to evaluate, in order.
    let chain: [DownsizingStep]

    /// The chain of `snapshot`'s study from its start model; `guide`, when given, is the study's
    /// fitted model, which steers the chain (a resumed or imported study has results already).
    /// - Throws: ``SearchError`` when no grid point meets the budget or the start model is of
    ///   another family; ``SearchSpaceError``.
    init(snapshot: StudySnapshot, guide: AccuracyModel?) throws {
        let engine = DownsizingEngine(space: snapshot.space, budget: snapshot.budget,
                                      stepFactor: snapshot.settings.stepFactor)
        chain = Self.thinned(try engine.chain(from: snapshot.settings.start ?? engine.defaultStart(), model: guide),
                             keeping: max(2, snapshot.targetTrials / 2))
    }

    /// At most `count` models of a chain, evenly spaced, always keeping the last (within budget).
    static func thinned(_ chain: [DownsizingStep], keeping count: Int) -> [DownsizingStep] {
        guard chain.count > count, count >= 2 else { return chain }
        let last = chain.count - 1
        let picks = (0..<count).map { Int((Double($0) * Double(last) / Double(count - 1)).rounded()) }
        return Array(Set(picks)).sorted().map { chain[$0] }
    }

    /// The first model of the chain no trial has taken.
    func propose(for snapshot: StudySnapshot) -> ProposerOutcome {
        let taken = snapshot.taken
        guard let step = chain.first(where: { !taken.contains($0.architecture) }) else { return .exhausted }
        let proposal = Proposal(kind: step.step == 0 ? .start : .downsize, step: step.step,
                                predictedAccuracy: step.predictedAccuracy, predictedStd: step.predictedStd)
        return .proposal(ProposedArchitecture(architecture: step.architecture, cost: step.cost, proposal: proposal))
    }
}
