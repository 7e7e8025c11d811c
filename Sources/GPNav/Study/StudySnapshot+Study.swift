extension StudySnapshot {
    /// What proposers see of `study` with `trials`: the one place where a study's stored record
    /// and settings become a snapshot.
    init(study: Study, trials: [Trial]) {
        let stored = StudySettings(study: study)
        self.init(name: study.name, space: study.space, budget: study.budget, seed: study.seed,
                  targetTrials: study.targetTrials,
                  settings: ProposerSettings(stepFactor: stored.stepFactor, jointFactors: stored.jointFactors,
                                             start: stored.start),
                  trials: trials)
    }
}
