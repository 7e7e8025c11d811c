import Foundation

/// The one place a study's proposals are made: asks for one study run here one at a time (two
/// asks must not plan from the same data and claim alike), with the planner's state and the
/// study's fitted model kept between them. Heartbeats and results never come through here, so
/// they do not wait behind a model fit.
///
/// Asks take turns (``OneAtATime``): the store is read and written with `await`, while the
/// planning itself (model fits, proposals) runs on a serial dispatch queue of its own rather than
/// on Swift's cooperative pool: a fit takes its thread for as long as it runs, and the pool has
/// only one thread per core.
/// The planner is made on the first ask (it reads the study and may fit its model for a chain
/// guided by earlier results), so that opening a session for a heartbeat or a result is cheap.
final class StudyProposer: @unchecked Sendable {
    /// Every use of ``made`` happens in a turn of ``turns``; planning runs on ``queue``.
    private let turns = OneAtATime()
    let queue = DispatchQueue(label: "gpnav.study-proposer")
    private var made: SearchPlanner?
    private let study: Study
    private let store: any TrialStore
    private let leaseSeconds: Double
    private let restarts: Int
    let refresh: ModelRefresh
    let fits = ModelFitRecord()

    init(study: Study, store: any TrialStore, leaseSeconds: Double, restarts: Int, refresh: ModelRefresh) {
        self.study = study
        self.store = store
        self.leaseSeconds = leaseSeconds
        self.restarts = restarts
        self.refresh = refresh
    }

    /// Up to `count` trials for `worker`: its own running trials first, then new claims.
    func ask(worker: String, count: Int) async throws -> StudySuggestion {
        try await turns.run { try await self.askNow(worker: worker, count: count) }
    }

    /// The study's result: the recommended trial (highest posterior mean within budget) and every trial.
    func report() async throws -> SearchReport {
        try await turns.run { try await self.reportNow() }
    }

    private func onQueue<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// The planner, made on first use.
    private func planner() async throws -> SearchPlanner {
        if let made { return made }
        let trials = try await store.trials(TrialQuery(study: study.name))
        let planner = try await onQueue {
            try SearchPlanner(study: self.study, targetTrials: self.study.targetTrials, leaseSeconds: self.leaseSeconds,
                              store: self.store, trials: trials, restarts: self.restarts, modelRefresh: self.refresh)
        }
        made = planner
        return planner
    }

    private func recordFits(_ planner: SearchPlanner) {
        made = planner
        fits.update(ModelFitStatistics(fits: planner.model.fitCount, totalSeconds: planner.model.fitSeconds))
    }

    private func askNow(worker: String, count: Int) async throws -> StudySuggestion {
        var planner = try await planner()
        defer { recordFits(planner) }
        let studyName = study.name
        try await planner.refresh()
        var suggested: [SuggestedTrial] = []
        let own = planner.trials.filter { $0.state == .running && $0.worker == worker }.prefix(max(0, count))
        for trial in own {
            if let id = trial.id { try await store.heartbeat(trialID: id) }
            suggested.append(SuggestedTrial(trial: trial, phase: SearchPhase(trial.proposal),
                                            config: TrialConfig(trial: trial, study: studyName)))
        }
        var exhausted = false
        // The trials were just read; after a claim they are read again (to see it, and others').
        var fresh = true
        claiming: while suggested.count < count {
            // Another process may claim the same proposal first (they plan alike from the same
            // data); then plan again, now seeing its trial. A few lost races in a row end here,
            // and the caller asks again later.
            for _ in 0..<8 {
                defer { fresh = false }
                try await planner.prepareNext(worker: worker, refresh: !fresh)
                let next: SearchPlanner.Next
                (planner, next) = try await onQueue { [planner] in
                    var planning = planner
                    let next = try planning.next(worker: worker)
                    return (planning, next)
                }
                switch next {
                case .targetReached:
                    break claiming
                case .exhausted:
                    exhausted = true
                    break claiming
                case .trial(let proposed, let phase):
                    guard let claimed = try await store.claimTrial(proposed, retryingAbandonedUpTo: Trial.abandonedRetries) else {
                        continue
                    }
                    suggested.append(SuggestedTrial(trial: claimed, phase: phase,
                                                    config: TrialConfig(trial: claimed, study: studyName)))
                    continue claiming
                }
            }
            break
        }
        // Claims add running trials only, so the last read still counts the complete ones.
        let reached = planner.completeCount >= planner.targetTrials
        return StudySuggestion(trials: suggested, done: reached || exhausted, exhausted: exhausted && !reached)
    }

    private func reportNow() async throws -> SearchReport {
        var planner = try await planner()
        defer { recordFits(planner) }
        try await planner.refresh()
        let report: SearchReport
        (planner, report) = try await onQueue { [planner] in
            var planning = planner
            let report = try planning.report()
            return (planning, report)
        }
        return report
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
