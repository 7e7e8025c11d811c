import Foundation
import GaussianProcess
import MobileViT

/// Decides what a search evaluates next, from the study's trials as stored.
struct SearchPlanner {
    let study: Study
    let studyID: Int64
    let configuration: SearchConfiguration
    let store: any TrialStore
    let encoding: FactorEncoding
    let pool: CandidatePool
    private(set) var chain: [DownsizingStep]
    private(set) var trials: [Trial] = []
    private var cachedModel: (model: AccuracyModel, completeCount: Int)?
    private var lastOptimized: (kernel: Kernel, count: Int)?
    private var lastRestarted: Int?

    /// Observations above which hyperparameters are re-optimised only when the data grew by 20%
    /// (in between, the last hyperparameters are kept and only the factorisation is redone).
    static let fullRefitLimit = 200
    /// Observations above which random restarts are skipped (the warm start is already good).
    static let restartLimit = 100
    /// Between fits with random restarts, this many results are added with warm-started fits only
    /// (the previous optimum moves little when one result is added).
    static let restartInterval = 10

    init(study: Study, configuration: SearchConfiguration, store: any TrialStore) throws {
        guard let id = study.id else { throw StoreError.corruptRow("study '\(study.name)' has no row id") }
        self.study = study
        self.studyID = id
        self.configuration = configuration
        self.store = store
        encoding = FactorEncoding(space: study.space, includeJointFactors: configuration.jointFactors)
        pool = CandidatePool(space: study.space, budget: study.budget)
        chain = []
        try refresh()
        let engine = DownsizingEngine(space: study.space, budget: study.budget, stepFactor: configuration.stepFactor)
        // With enough results already (a resumed or imported study) the chain is model-guided.
        let model = completeCount >= 2 * encoding.names.count ? try? fitModel() : nil
        chain = Self.thinned(try engine.chain(from: configuration.start ?? engine.defaultStart(), model: model),
                             keeping: max(2, configuration.trials / 2))
    }

    /// At most `count` models of a chain, evenly spaced, always keeping the last (within budget).
    static func thinned(_ chain: [DownsizingStep], keeping count: Int) -> [DownsizingStep] {
        guard chain.count > count, count >= 2 else { return chain }
        let last = chain.count - 1
        let picks = (0..<count).map { Int((Double($0) * Double(last) / Double(count - 1)).rounded()) }
        return Array(Set(picks)).sorted().map { chain[$0] }
    }

    mutating func refresh() throws {
        trials = try store.trials(TrialQuery(study: study.name))
    }

    var complete: [Trial] { trials.filter { $0.state == .complete && $0.accuracy != nil } }
    var completeCount: Int { complete.count }

    /// The complete trial within budget with the highest observed accuracy.
    var bestObserved: Trial? {
        complete.filter { study.budget.admits(macs: $0.macs, params: $0.params) }
            .max { ($0.accuracy ?? 0, -$0.number) < ($1.accuracy ?? 0, -$1.number) }
    }

    /// The next trial to start (state running, number to be assigned by the store), or nil when
    /// the study has, or will have once running trials end, its target of complete trials.
    mutating func next(ownPending: [Architecture]) throws -> (Trial, SearchPhase)? {
        try refresh()
        var running = trials.filter { $0.state == .running }
        if completeCount + running.count >= configuration.trials, running.contains(where: { !ownPending.contains($0.architecture) }) {
            // Before stopping on trials that others are running, make sure those others are alive.
            let cutoff = Date().addingTimeInterval(-configuration.staleAfterSeconds)
            if try store.failStaleTrials(study: study.name, heartbeatBefore: cutoff) > 0 {
                try refresh()
                running = trials.filter { $0.state == .running }
            }
        }
        guard completeCount + running.count < configuration.trials else { return nil }
        let taken = Set(trials.map(\.architecture) + ownPending)

        if let step = chain.first(where: { !taken.contains($0.architecture) }) {
            let proposal = Proposal(kind: step.step == 0 ? .start : .downsize, step: step.step,
                                    predictedAccuracy: step.predictedAccuracy, predictedStd: step.predictedStd)
            return (makeTrial(step.architecture, cost: step.cost, proposal: proposal), .downsizing)
        }

        var generator = SplitMix64(seed: study.seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(trials.count + 1))
        guard completeCount >= 2, let model = try? fitModel() else {
            let candidates = pool.candidates(excluding: taken, around: nil, using: &generator)
            guard let pick = candidates.randomElement(using: &generator) else { return nil }
            return (makeTrial(pick.architecture, cost: pick.cost, proposal: Proposal(kind: .random)), .random)
        }
        let pending = running.map(\.architecture) + ownPending
        let believer = (try? model.withFantasies(pending)) ?? model
        let proposer = AcquisitionProposer(pool: pool)
        guard let choice = proposer.propose(model: believer, evaluated: complete,
                                            taken: taken, using: &generator) else { return nil }
        let proposal = Proposal(kind: .gp, acquisition: choice.logExpectedImprovement,
                                predictedAccuracy: choice.predictedAccuracy, predictedStd: choice.predictedStd)
        return (makeTrial(choice.candidate.architecture, cost: choice.candidate.cost, proposal: proposal), .gaussianProcess)
    }

    /// The GP fitted to every complete trial, refitted only when results were added.
    mutating func fitModel() throws -> AccuracyModel {
        let observations = complete.compactMap { trial in trial.accuracy.map { (trial.architecture, $0) } }
        if let cached = cachedModel, cached.completeCount == observations.count { return cached.model }
        let n = observations.count
        let optimize = n <= Self.fullRefitLimit || Double(n) >= 1.2 * Double(lastOptimized?.count ?? 0)
        let restart = optimize && n <= Self.restartLimit
            && lastRestarted.map { n - $0 >= Self.restartInterval } ?? true
        let model = try AccuracyModel.fit(
            observations.map { (architecture: $0.0, accuracy: $0.1) },
            encoding: encoding,
            warmStart: lastOptimized?.kernel,
            optimize: optimize,
            restarts: restart ? configuration.restarts : 0,
            seed: study.seed &+ UInt64(n)
        )
        if optimize { lastOptimized = (model.process.kernel, n) }
        if restart { lastRestarted = n }
        cachedModel = (model, n)
        return model
    }

    private func makeTrial(_ architecture: Architecture, cost: Cost, proposal: Proposal) -> Trial {
        let now = Date()
        return Trial(studyID: studyID, number: 0, state: .running, architecture: architecture,
                     macs: cost.macs, params: cost.params, proposal: proposal, startedAt: now, heartbeatAt: now,
                     worker: WorkerIdentity.current)
    }

    /// The study's result: the recommended trial and every trial.
    mutating func report() throws -> SearchReport {
        try refresh()
        var report = SearchReport(study: study, best: bestObserved, trials: trials)
        if completeCount >= 2, let model = try? fitModel(),
           let best = AcquisitionProposer(pool: pool).incumbent(model: model, among: complete) {
            report.best = best.trial
            report.bestPredictedAccuracy = best.mean
            report.bestPredictedStd = best.std
        }
        return report
    }
}
