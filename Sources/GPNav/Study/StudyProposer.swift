import Foundation
import Synchronization

/// The one place a study's proposals are made: asks for one study run here one at a time (two
/// asks must not plan from the same data and claim alike), with the planner's state and the
/// study's fitted model kept between them. Heartbeats and results never come through here, so
/// they do not wait behind a model fit.
///
/// Asks take turns (``OneAtATime``), and asks that wait for a turn are served together when it
/// starts (``QueuedAsks``): the study is read once for all of them, then each is served in arrival
/// order, and a trial one of them claims is added to what the planner knows without reading the
/// study again. The store is read and written with `await`, while the
/// planning itself (model fits, proposals) runs on a serial dispatch queue of its own rather than
/// on Swift's cooperative pool: a fit takes its thread for as long as it runs, and the pool has
/// only one thread per core.
/// The planner is made on the first ask (it reads the study and may fit its model for a chain
/// guided by earlier results), so that opening a session for a heartbeat or a result is cheap.
final class StudyProposer: @unchecked Sendable {
    /// Every use of ``made`` happens in a turn of ``turns``; planning runs on ``queue``.
    private let turns = OneAtATime()
    private let queued = QueuedAsks()
    let queue = DispatchQueue(label: "gpnav.study-proposer")
    private var made: SearchPlanner?
    private let study: Study
    private let store: any TrialStore
    private let leaseSeconds: Double
    private let restarts: Int
    let refresh: ModelRefresh
    let fits = ModelFitRecord()
    /// ``SearchPlanner/approximateBytes`` of the planner after the last ask (0 before the first).
    let cachedBytes = Mutex(0)

    init(study: Study, store: any TrialStore, leaseSeconds: Double, restarts: Int, refresh: ModelRefresh) {
        self.study = study
        self.store = store
        self.leaseSeconds = leaseSeconds
        self.restarts = restarts
        self.refresh = refresh
    }

    /// Up to `count` trials for `worker`: its own running trials first, then new claims.
    /// Asks that arrive while a turn runs wait, and the next turn serves all of them at once.
    func ask(worker: String, count: Int) async throws -> StudySuggestion {
        try await withCheckedThrowingContinuation { answer in
            queued.add(QueuedAsk(worker: worker, count: count, answer: answer))
            // Each ask takes a turn; a turn that finds its ask already served has nothing to do.
            Task { try? await self.turns.run { await self.serveQueued() } }
        }
    }

    /// Serves every queued ask, in arrival order, from one read of the study's trials.
    private func serveQueued() async {
        let asks = queued.takeAll()
        guard !asks.isEmpty else { return }
        do {
            var planner = try await planner()
            try await planner.refresh()
            made = planner
        } catch {
            for ask in asks { ask.answer.resume(throwing: error) }
            return
        }
        for ask in asks {
            do {
                ask.answer.resume(returning: try await askNow(worker: ask.worker, count: ask.count))
            } catch {
                ask.answer.resume(throwing: error)
            }
        }
    }

    /// Stops the study's background hyperparameter searches (none starts again) and returns once
    /// the running one has given up. Asks still work afterwards, with the hyperparameters found so far.
    func stopBackgroundSearches() async {
        await backgroundRefit()?.stop()
    }

    /// The background searches of the study's model, once the first ask made it.
    func backgroundRefit() async -> BackgroundRefit? {
        (try? await turns.run { self.made?.model.backgroundRefit }) ?? nil
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
        let trials = try await store.trials(TrialQuery(study: study.name, details: false))
        let planner = try await onQueue {
            try SearchPlanner(study: self.study, targetTrials: self.study.targetTrials, leaseSeconds: self.leaseSeconds,
                              store: self.store, trials: trials, restarts: self.restarts, modelRefresh: self.refresh)
        }
        made = planner
        return planner
    }

    private func recordFits(_ planner: SearchPlanner) {
        made = planner
        cachedBytes.withLock { $0 = planner.approximateBytes }
        fits.update(ModelFitStatistics(fits: planner.model.fitCount, totalSeconds: planner.model.fitSeconds))
    }

    private func askNow(worker: String, count: Int) async throws -> StudySuggestion {
        var planner = try await planner()
        defer { recordFits(planner) }
        let studyName = study.name
        let epochs = study.epochs
        var suggested: [SuggestedTrial] = []
        let own = planner.trials.filter { $0.state == .running && $0.worker == worker }.prefix(max(0, count))
        for trial in own {
            if let id = trial.id { try await store.heartbeat(trialID: id) }
            suggested.append(SuggestedTrial(trial: trial, phase: SearchPhase(trial.proposal),
                                            config: TrialConfig(trial: trial, study: studyName, epochs: epochs)))
        }
        var exhausted = false
        // The trials are up to date as far as this process knows (read when the turn started,
        // with this turn's claims added); a lost race reads them again, to see the other's trial.
        var fresh = true
        claiming: while suggested.count < count {
            // Another process may claim the same proposal first (they plan alike from the same
            // data); then plan again, now seeing its trial. A few lost races in a row end here,
            // and the caller asks again later.
            for _ in 0..<8 {
                try await planner.prepareNext(worker: worker, refresh: !fresh)
                fresh = true
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
                    guard let claimed = try await TrialLifecycle(store: store, study: study).claim(proposed, retryingAbandonedUpTo: Trial.abandonedRetries) else {
                        fresh = false
                        continue
                    }
                    planner.add(claimed: claimed)
                    suggested.append(SuggestedTrial(trial: claimed, phase: phase,
                                                    config: TrialConfig(trial: claimed, study: studyName, epochs: epochs)))
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
        var report: SearchReport
        (planner, report) = try await onQueue { [planner] in
            var planning = planner
            let report = try planning.report()
            return (planning, report)
        }
        // The planner keeps trials without metrics and output; the report shows them whole.
        let whole = try await store.trials(TrialQuery(study: study.name))
        let byID = Dictionary(whole.compactMap { trial in trial.id.map { ($0, trial) } }, uniquingKeysWith: { first, _ in first })
        report.trials = report.trials.map { trial in trial.id.flatMap { byID[$0] } ?? trial }
        report.best = report.best.map { trial in trial.id.flatMap { byID[$0] } ?? trial }
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
