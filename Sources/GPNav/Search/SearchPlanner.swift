import Foundation
import GaussianProcess
import MobileViT

/// Decides what a study evaluates next, from the study's trials as stored.
struct SearchPlanner: Sendable {
    /// What ``next(worker:)`` found.
    enum Next: Sendable {
        /// A trial to claim (state running, number to be assigned by the store).
        case trial(Trial, SearchPhase)
        /// The study has, or will have once its running trials end, its target of complete trials.
        case targetReached
        /// No admitted candidate is left.
        case exhausted
    }

    let study: Study
    let studyID: Int64
    let store: any TrialStore
    let pool: CandidatePool
    /// The pool's encoded candidates, kept from one proposal to the next.
    private let candidateInputs: CandidateInputs
    /// Complete trials to reach.
    var targetTrials: Int
    /// Seconds without a heartbeat after which a running trial counts as abandoned.
    let leaseSeconds: Double
    private(set) var chain: [DownsizingStep]
    private(set) var trials: [Trial] = []
    private(set) var model: StudyModel

    /// Plans from `trials`, the study's trials as just read (``refresh()`` reads them again).
    init(study: Study, targetTrials: Int, leaseSeconds: Double, store: any TrialStore, trials: [Trial],
         restarts: Int = 2, modelRefresh: ModelRefresh = .inline) throws {
        guard let id = study.id else { throw StoreError.corruptRow("study '\(study.name)' has no row id") }
        self.study = study
        self.studyID = id
        self.store = store
        self.targetTrials = targetTrials
        self.leaseSeconds = leaseSeconds
        let settings = study.settings
        model = StudyModel(study: study, restarts: restarts, refresh: modelRefresh)
        pool = CandidatePool(space: study.space, budget: study.budget)
        candidateInputs = CandidateInputs(pool: pool, encoding: model.encoding)
        chain = []
        self.trials = trials
        let engine = DownsizingEngine(space: study.space, budget: study.budget, stepFactor: settings.stepFactor)
        // With enough results already (a resumed or imported study) the chain is model-guided.
        let guide = completeCount >= 2 * model.encoding.names.count ? try? fitModel() : nil
        chain = Self.thinned(try engine.chain(from: settings.start ?? engine.defaultStart(), model: guide),
                             keeping: max(2, targetTrials / 2))
    }

    /// At most `count` models of a chain, evenly spaced, always keeping the last (within budget).
    static func thinned(_ chain: [DownsizingStep], keeping count: Int) -> [DownsizingStep] {
        guard chain.count > count, count >= 2 else { return chain }
        let last = chain.count - 1
        let picks = (0..<count).map { Int((Double($0) * Double(last) / Double(count - 1)).rounded()) }
        return Array(Set(picks)).sorted().map { chain[$0] }
    }

    /// Reads the study's trials again, without their metrics and output (planning needs neither,
    /// and an ask must not slow down with what workers reported).
    mutating func refresh() async throws {
        trials = try await store.trials(TrialQuery(study: study.name, details: false))
    }

    /// Adds a trial this process just claimed to ``trials``, as a read of the store would show it
    /// (claims are numbered after every trial read before), without reading the store again.
    mutating func add(claimed trial: Trial) {
        trials.append(trial)
    }

    var complete: [Trial] { StudyModel.observed(trials) }

    /// About how many bytes the planner keeps between asks: the candidate pool and its encoded
    /// inputs, the study's trials and its model. An estimate from sizes, not a measurement; it
    /// lets a server bound what its open studies hold (``StudySession/approximateCachedBytes``).
    var approximateBytes: Int {
        pool.admitted.count * CandidatePool.approximateBytesPerCandidate + candidateInputs.approximateBytes
            + trials.count * Trial.approximateBytes + model.approximateBytes
    }
    var completeCount: Int { complete.count }

    /// The complete trial within budget with the highest observed accuracy.
    var bestObserved: Trial? {
        Self.bestObserved(trials, budget: study.budget)
    }

    /// The complete trial of `trials` within `budget` with the highest observed accuracy (the
    /// earlier on ties).
    static func bestObserved(_ trials: [Trial], budget: Budget) -> Trial? {
        StudyModel.observed(trials).filter { budget.admits(macs: $0.macs, params: $0.params) }
            .max { ($0.accuracy ?? 0, -$0.number) < ($1.accuracy ?? 0, -$1.number) }
    }

    /// Architectures that may not be proposed: those of every trial, except trials given up as
    /// abandoned while the architecture has no other trial and at most ``Trial/abandonedRetries``
    /// abandoned ones.
    var taken: Set<Architecture> {
        var abandoned: [Architecture: Int] = [:]
        var other = Set<Architecture>()
        for trial in trials {
            if trial.isAbandoned { abandoned[trial.architecture, default: 0] += 1 } else { other.insert(trial.architecture) }
        }
        return other.union(abandoned.filter { $0.value > Trial.abandonedRetries }.keys)
    }

    /// Brings ``trials`` up to date before ``next(worker:)``; `refresh` false when they were read
    /// just before. Works only with the store (no model fit), so that it may run anywhere.
    mutating func prepareNext(worker: String, refresh reread: Bool = true) async throws {
        if reread { try await refresh() }
        let running = trials.filter { $0.state == .running }
        let cutoff = Date().addingTimeInterval(-leaseSeconds)
        let looksAbandoned = { (trial: Trial) in
            trial.worker != worker
                && ((trial.heartbeatAt ?? trial.startedAt) < cutoff || trial.worker.map(WorkerIdentity.isGone) ?? false)
        }
        // Before stopping on trials that others are running, make sure those others are alive (a
        // write only when one looks abandoned, so that idle workers asking do not queue writes).
        if completeCount + running.count >= targetTrials, running.contains(where: looksAbandoned) {
            if try await store.failStaleTrials(study: study.name, heartbeatBefore: cutoff) > 0 {
                try await refresh()
            }
        }
    }

    /// The next trial to start for `worker`, or why there is none, from ``trials`` as
    /// ``prepareNext(worker:refresh:)`` left them. Does not touch the store.
    mutating func next(worker: String) throws -> Next {
        let running = trials.filter { $0.state == .running }
        guard completeCount + running.count < targetTrials else { return .targetReached }
        let taken = self.taken

        if let step = chain.first(where: { !taken.contains($0.architecture) }) {
            let proposal = Proposal(kind: step.step == 0 ? .start : .downsize, step: step.step,
                                    predictedAccuracy: step.predictedAccuracy, predictedStd: step.predictedStd)
            return .trial(makeTrial(step.architecture, cost: step.cost, proposal: proposal, worker: worker), .downsizing)
        }

        var generator = SplitMix64(seed: study.seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(trials.count + 1))
        guard completeCount >= 2, let model = try? fitModel() else {
            let candidates = pool.candidates(excluding: taken, around: nil, using: &generator)
            guard let pick = candidates.randomElement(using: &generator) else { return .exhausted }
            return .trial(makeTrial(pick.architecture, cost: pick.cost, proposal: Proposal(kind: .random), worker: worker), .random)
        }
        let believer = (try? model.withFantasies(running.map(\.architecture))) ?? model
        let proposer = AcquisitionProposer(pool: pool, inputs: candidateInputs)
        guard let choice = proposer.propose(model: believer, evaluated: complete,
                                            taken: taken, using: &generator) else { return .exhausted }
        let proposal = Proposal(kind: .gp, acquisition: choice.logExpectedImprovement,
                                predictedAccuracy: choice.predictedAccuracy, predictedStd: choice.predictedStd)
        return .trial(makeTrial(choice.candidate.architecture, cost: choice.candidate.cost, proposal: proposal, worker: worker),
                      .gaussianProcess)
    }

    /// The study's model fitted to every complete trial (reused while they are unchanged).
    mutating func fitModel() throws -> AccuracyModel {
        try model.model(for: trials)
    }

    private func makeTrial(_ architecture: Architecture, cost: Cost, proposal: Proposal, worker: String) -> Trial {
        let now = Date()
        return Trial(studyID: studyID, number: 0, state: .running, architecture: architecture,
                     macs: cost.macs, params: cost.params, proposal: proposal, startedAt: now, heartbeatAt: now,
                     worker: worker)
    }

    /// The study's result from ``trials`` (``refresh()`` first): the recommended trial and every trial.
    mutating func report() throws -> SearchReport {
        var report = SearchReport(study: study, best: bestObserved, trials: trials)
        if completeCount >= 2, let model = try? fitModel(),
           let best = AcquisitionProposer(pool: pool).incumbent(model: model, among: complete) {
            report.best = best.trial
            report.bestPredictedAccuracy = best.mean
            report.bestPredictedStd = best.std
            report.trainingNoiseVariance = model.trainingNoiseVariance
        }
        return report
    }
}
