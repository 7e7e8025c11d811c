import Foundation
import MobileViT
import Synchronization

/// The one place a study's proposals are made: asks for one study run here one at a time (two
/// asks must not plan from the same data and claim alike), with the study's ``Proposer`` (and
/// the fitted model it keeps) kept between them. Only this side reads the store and claims: it
/// hands the proposer a ``StudySnapshot`` of the study and claims what it proposes. Heartbeats and results never come through here, so
/// they do not wait behind a model fit.
///
/// Asks take turns (``OneAtATime``), and asks that wait for a turn are served together when it
/// starts (``QueuedAsks``): the study is read once for all of them, then each is served in arrival
/// order, and a trial one of them claims is added to the snapshot without reading the study
/// again. The store is read and written with `await`, while the
/// planning itself (model fits, proposals) runs on a serial dispatch queue of its own rather than
/// on Swift's cooperative pool: a fit takes its thread for as long as it runs, and the pool has
/// only one thread per core.
/// The proposer is made on the first ask (it counts the candidate pool and may fit its model for
/// a chain guided by earlier results), so that opening a session for a heartbeat or a result is
/// cheap.
final class StudyProposer: @unchecked Sendable {
    /// Every use of ``proposer`` and ``snapshot`` happens in a turn of ``turns``; proposing runs
    /// on ``queue``.
    private let turns = OneAtATime()
    private let queued = QueuedAsks()
    let queue = DispatchQueue(label: "gpnav.study-proposer")
    private var proposer: (any Proposer)?
    /// The study as last read, with the trials this process claimed since added.
    private var snapshot: StudySnapshot
    private let study: Study
    private let store: any TrialStore
    private let leaseSeconds: Double
    private let makeProposer: @Sendable (StudySnapshot) throws -> any Proposer
    let fits = ModelFitRecord()
    /// About how many bytes the proposer and the snapshot kept after the last ask (0 before the first).
    let cachedBytes = Mutex(0)
    /// Proposals that asks measuring before claiming (``LatencyMeasuring/beforeClaim``) found
    /// unmeasured on the study's target, oldest first; dropped once measured or taken (a trial of
    /// it: a failed measurement's). At most ``maxWanted``: asks with no measure-only worker
    /// around must not grow it without end. Kept in memory only: what must outlive the process
    /// (measurements, failed measurements' trials) is stored, and after a restart the next ask
    /// proposes again from the stored study and lists what it still wants.
    let wanted = Mutex<[ProposedArchitecture]>([])
    static let maxWanted = 64
    /// The latency screen's tally of refusals by prediction (shared with every snapshot's screen);
    /// nil for a study without a latency budget.
    let latencyTally: LatencyScreenTally?

    /// The proposer of a study with a budget: the downsizing chain, then GP expected improvement.
    convenience init(study: Study, store: any TrialStore, leaseSeconds: Double, restarts: Int, refresh: ModelRefresh) {
        self.init(study: study, store: store, leaseSeconds: leaseSeconds) { snapshot in
            try DownsizingThenGPProposer(snapshot: snapshot, restarts: restarts, refresh: refresh)
        }
    }

    /// Proposals from the proposer `makeProposer` makes from the study's first snapshot.
    init(study: Study, store: any TrialStore, leaseSeconds: Double,
         makeProposer: @escaping @Sendable (StudySnapshot) throws -> any Proposer) {
        self.study = study
        self.store = store
        self.leaseSeconds = leaseSeconds
        self.makeProposer = makeProposer
        snapshot = StudySnapshot(study: study, trials: [])
        latencyTally = snapshot.latency?.tally
    }

    /// Up to `count` trials for `worker`: its own running trials first, then new claims.
    /// Asks that arrive while a turn runs wait, and the next turn serves all of them at once.
    /// With `resuming`, the asker can continue a paused training, and may be handed one.
    func ask(worker: String, count: Int, latency: LatencyMeasuring = .byClaimant,
             resuming: Bool = false) async throws -> StudySuggestion {
        try await withCheckedThrowingContinuation { answer in
            queued.add(QueuedAsk(worker: worker, count: count, latency: latency, resuming: resuming, answer: answer))
            // Each ask takes a turn; a turn that finds its ask already served has nothing to do.
            Task { try? await self.turns.run { await self.serveQueued() } }
        }
    }

    /// Serves every queued ask, in arrival order, from one read of the study's trials.
    private func serveQueued() async {
        let asks = queued.takeAll()
        guard !asks.isEmpty else { return }
        do {
            try await readTrials()
            _ = try await madeProposer()
        } catch {
            for ask in asks { ask.answer.resume(throwing: error) }
            return
        }
        for ask in asks {
            do {
                ask.answer.resume(returning: try await askNow(worker: ask.worker, count: ask.count, latency: ask.latency,
                                                              resuming: ask.resuming))
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
        (try? await turns.run { self.proposer?.backgroundRefit }) ?? nil
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

    /// Reads the study's trials into ``snapshot``, without their metrics and output (proposing
    /// needs neither, and an ask must not slow down with what workers reported).
    private func readTrials() async throws {
        snapshot.trials = try await store.trials(TrialQuery(study: study.name, details: false))
        // Curves count only against a training length (the epoch budget, pruning).
        if study.epochs != nil { snapshot.curves = try await store.learningCurves(study: study.name) }
        // Pruned trials' predicted finals are metrics, which the read above leaves out.
        if study.settings.prune, snapshot.trials.contains(where: { $0.state == .pruned }) {
            let pruned = try await store.trials(TrialQuery(study: study.name, state: .pruned))
            snapshot.prunedFinals = Dictionary(pruned.compactMap { trial in
                trial.id.flatMap { id in
                    trial.metrics[PruningVerdict.predictedFinalMetric].map { mean in
                        (id, PredictedFinal(mean: mean, std: trial.metrics[PruningVerdict.predictedStdMetric]))
                    }
                }
            }, uniquingKeysWith: { first, _ in first })
            snapshot.finallyPruned = Set(pruned.compactMap { trial in
                trial.metrics[PruningVerdict.resumableMetric] == 0 ? trial.id : nil
            })
        }
        if let target = snapshot.latency?.target {
            // Both read before the snapshot is changed: an argument that reads the snapshot inside
            // the optional chain's mutating access of it is a simultaneous access.
            let measurements = try await store.latencyMeasurements(on: target)
            let family = snapshot.space.family
            snapshot.latency?.read(measurements, family: family)
            let measured = snapshot.latency?.measured ?? [:]
            let ended = snapshot.targetReached
            let taken = snapshot.taken
            wanted.withLock { wanted in
                wanted = ended ? [] : wanted.filter { measured[$0.architecture] == nil && !taken.contains($0.architecture) }
            }
        }
        // An 8-bit study ranks by int8 accuracy, a metric, which the first read leaves out.
        snapshot.trials = try await StudySession.ranked(snapshot.trials, of: study, in: store)
    }

    /// The proposer, made on first use from ``snapshot`` as last read.
    private func madeProposer() async throws -> any Proposer {
        if let proposer { return proposer }
        let first = snapshot
        let make = makeProposer
        let made = try await onQueue { try make(first) }
        proposer = made
        return made
    }

    /// Runs `body` with the proposer on ``queue`` and keeps the proposer as `body` left it.
    private func proposing<T: Sendable>(_ body: @escaping @Sendable (inout any Proposer) throws -> T) async throws -> T {
        let current = try await madeProposer()
        let (changed, result) = try await onQueue {
            var working = current
            let result = try body(&working)
            return (working, result)
        }
        proposer = changed
        return result
    }

    private func recordFits() {
        guard let proposer else { return }
        cachedBytes.withLock { $0 = proposer.approximateBytes + snapshot.trials.count * Trial.approximateBytes }
        fits.update(proposer.modelFitStatistics)
    }

    /// Before stopping on trials that others are running, makes sure those others are alive (a
    /// write only when one looks abandoned, so that idle workers asking do not queue writes).
    private func reapIfStopping(worker: String) async throws {
        let running = snapshot.running
        let cutoff = Date().addingTimeInterval(-leaseSeconds)
        let looksAbandoned = { (trial: Trial) in
            trial.worker != worker
                && ((trial.heartbeatAt ?? trial.startedAt) < cutoff || trial.worker.map(WorkerIdentity.isGone) ?? false)
        }
        if snapshot.proposingStops, running.contains(where: looksAbandoned) {
            if try await TrialLifecycle(store: store, study: study).reap(lastSeenBefore: cutoff) > 0 {
                try await readTrials()
            }
        }
    }

    private func askNow(worker: String, count: Int, latency: LatencyMeasuring,
                        resuming: Bool = false) async throws -> StudySuggestion {
        defer { recordFits() }
        let studyName = study.name
        let epochs = study.epochs
        var suggested: [SuggestedTrial] = []
        let own = snapshot.running.filter { $0.worker == worker }.prefix(max(0, count))
        for trial in own {
            if let id = trial.id { try await store.heartbeat(trialID: id) }
            suggested.append(SuggestedTrial(trial: trial, phase: SearchPhase(trial.proposal),
                                            config: TrialConfig(trial: trial, study: studyName, epochs: epochs)))
        }
        var exhausted = false
        // The snapshot is up to date as far as this process knows (read when the turn started,
        // with this turn's claims added); a lost race reads the study again, to see the other's trial.
        var fresh = true
        claiming: while suggested.count < count {
            // Another process may claim the same proposal first (they plan alike from the same
            // data); then plan again, now seeing its trial. A few lost races in a row end here,
            // and the caller asks again later.
            for _ in 0..<8 {
                if !fresh { try await readTrials() }
                try await reapIfStopping(worker: worker)
                fresh = true
                var current = snapshot
                current.resumable = resuming
                switch try await proposing({ [current] proposer in try proposer.propose(for: current) }) {
                case .targetReached:
                    break claiming
                case .exhausted:
                    exhausted = true
                    break claiming
                case .proposal(let proposed):
                    // Measured first: an unmeasured proposal waits for a measure-only worker.
                    if latency == .beforeClaim, let screen = current.latency, !screen.measuredWithinBudget(proposed.architecture) {
                        if screen.measured[proposed.architecture] == nil {
                            wanted.withLock { wanted in
                                guard !wanted.contains(where: { $0.architecture == proposed.architecture }) else { return }
                                wanted.append(proposed)
                                if wanted.count > Self.maxWanted { wanted.removeFirst(wanted.count - Self.maxWanted) }
                            }
                        }
                        break claiming
                    }
                    if let number = proposed.resumes {
                        guard let resumed = try await resume(number, for: worker) else {
                            fresh = false
                            continue
                        }
                        suggested.append(resumed)
                        continue claiming
                    }
                    guard let claimed = try await TrialLifecycle(store: store, study: study).claim(
                        trial(proposed, for: worker), retryingAbandonedUpTo: Trial.abandonedRetries) else {
                        fresh = false
                        continue
                    }
                    // A claim of an architecture with trials is a retry: they were all abandoned.
                    let retried = snapshot.trials.filter { $0.architecture == claimed.architecture }.map(\.number).max()
                    // Claims are numbered after every trial read before: the snapshot now shows
                    // the claim as a read of the store would.
                    snapshot.trials.append(claimed)
                    suggested.append(SuggestedTrial(trial: claimed, phase: SearchPhase(proposed.proposal),
                                                    config: TrialConfig(trial: claimed, study: studyName, epochs: epochs),
                                                    retriedTrial: retried))
                    continue claiming
                }
            }
            break
        }
        // Claims add running trials only, so the last read still counts the complete ones. A
        // covered epoch budget ends the study for a worker that gets nothing: the running trials
        // use the rest.
        let epochsSpent = suggested.isEmpty && snapshot.epochBudgetCovered
        return StudySuggestion(trials: suggested, done: snapshot.targetReached || epochsSpent || exhausted,
                               exhausted: exhausted && !snapshot.targetReached)
    }

    /// Continues paused trial `number` for `worker` (freeze-thaw): it runs again from the epochs
    /// its curve holds, and the snapshot shows it running; nil when it is no longer paused
    /// (another process continued it first).
    private func resume(_ number: Int, for worker: String) async throws -> SuggestedTrial? {
        guard let index = snapshot.trials.firstIndex(where: { $0.number == number }),
              let id = snapshot.trials[index].id else { return nil }
        do {
            try await TrialLifecycle(store: store, study: study).resume(id: id, worker: worker)
        } catch StoreError.trialNotRunning {
            return nil
        }
        guard let trial = try await store.trials(ids: [id]).first else { return nil }
        snapshot.trials[index] = trial
        return SuggestedTrial(trial: trial, phase: SearchPhase(trial.proposal),
                              config: TrialConfig(trial: trial, study: study.name, epochs: study.epochs),
                              resumedAfterEpoch: snapshot.curves[id]?.last?.epoch ?? 0)
    }

    /// A running trial of `proposed` for `worker`, to be claimed (the store numbers it).
    func trial(_ proposed: ProposedArchitecture, for worker: String) throws -> Trial {
        guard let studyID = study.id else { throw StoreError.corruptRow("study '\(study.name)' has no row id") }
        let now = Date()
        return Trial(studyID: studyID, number: 0, state: .running, architecture: proposed.architecture,
                     macs: proposed.cost.macs, params: proposed.cost.params, proposal: proposed.proposal,
                     startedAt: now, heartbeatAt: now, worker: worker)
    }

    private func reportNow() async throws -> SearchReport {
        defer { recordFits() }
        try await readTrials()
        let current = snapshot
        let recommendation = try await proposing { proposer in try proposer.recommendation(for: current) }
        var report = SearchReport(study: study, best: StudySession.bestObserved(current.trials, budget: study.budget),
                                  trials: current.trials)
        if let recommendation {
            report.best = recommendation.trial
            report.bestPredictedAccuracy = recommendation.predictedAccuracy
            report.bestPredictedStd = recommendation.predictedStd
            report.trainingNoiseVariance = recommendation.trainingNoiseVariance
        }
        report.epochAccount = try await EpochAccount.reading(study: study.name, trials: current.trials,
                                                             curves: current.curves, epochs: study.epochs,
                                                             recommended: report.best, from: store)
        // The snapshot keeps trials without metrics and output; the report shows them whole.
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
