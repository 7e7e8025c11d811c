import Foundation

/// The one place a study's proposals are made: asks for one study run here one at a time (two
/// asks must not plan from the same data and claim alike), with the planner's state and the
/// study's fitted model kept between them. Heartbeats and results never come through here, so
/// they do not wait behind a model fit.
actor StudyProposer {
    private var planner: SearchPlanner
    private let store: any TrialStore
    let fits = ModelFitRecord()

    init(planner: SearchPlanner, store: any TrialStore) {
        self.planner = planner
        self.store = store
        // Opening may have fitted already (a chain guided by the study's results).
        fits.update(ModelFitStatistics(fits: planner.model.fitCount, totalSeconds: planner.model.fitSeconds))
    }

    private func recordFits() {
        fits.update(ModelFitStatistics(fits: planner.model.fitCount, totalSeconds: planner.model.fitSeconds))
    }

    var targetTrials: Int { planner.targetTrials }

    /// Up to `count` trials for `worker`: its own running trials first, then new claims.
    func ask(worker: String, count: Int) throws -> StudySuggestion {
        defer { recordFits() }
        let studyName = planner.study.name
        try planner.refresh()
        var suggested: [SuggestedTrial] = []
        let own = planner.trials.filter { $0.state == .running && $0.worker == worker }.prefix(max(0, count))
        for trial in own {
            if let id = trial.id { try store.heartbeat(trialID: id) }
            suggested.append(SuggestedTrial(trial: trial, phase: SearchPhase(trial.proposal),
                                            config: TrialConfig(trial: trial, study: studyName)))
        }
        var exhausted = false
        claiming: while suggested.count < count {
            // Another process may claim the same proposal first (they plan alike from the same
            // data); then plan again, now seeing its trial. A few lost races in a row end here,
            // and the caller asks again later.
            for _ in 0..<8 {
                switch try planner.next(worker: worker) {
                case .targetReached:
                    break claiming
                case .exhausted:
                    exhausted = true
                    break claiming
                case .trial(let proposed, let phase):
                    guard let claimed = try store.claimTrial(proposed, retryingAbandonedUpTo: Trial.abandonedRetries) else {
                        continue
                    }
                    suggested.append(SuggestedTrial(trial: claimed, phase: phase,
                                                    config: TrialConfig(trial: claimed, study: studyName)))
                    continue claiming
                }
            }
            break
        }
        try planner.refresh()
        let reached = planner.completeCount >= planner.targetTrials
        return StudySuggestion(trials: suggested, done: reached || exhausted, exhausted: exhausted && !reached)
    }

    /// The study's result: the recommended trial (highest posterior mean within budget) and every trial.
    func report() throws -> SearchReport {
        defer { recordFits() }
        return try planner.report()
    }
}

extension SearchPhase {
    /// The phase that proposes trials of this kind (manual and imported ones count as random).
    init(_ proposal: Proposal) {
        switch proposal.kind {
        case .start, .downsize: self = .downsizing
        case .gp: self = .gaussianProcess
        case .random, .manual, .imported: self = .random
        }
    }
}
