extension StudySnapshot {
    /// What proposers see of `study` with `trials`: the one place where a study's stored record
    /// and settings become a snapshot.
    init(study: Study, trials: [Trial]) {
        let stored = study.settings
        self.init(name: study.name, space: stored.space, budget: stored.budget, seed: stored.seed,
                  targetTrials: stored.targetTrials,
                  settings: ProposerSettings(stepFactor: stored.stepFactor, jointFactors: stored.jointFactors,
                                             start: stored.start, epochs: stored.epochs,
                                             epochBudget: stored.epochBudget),
                  trials: trials,
                  latency: stored.latency.map { LatencyScreen(budget: $0, target: $0.target(bits: stored.deployedBits)) })
    }
}
