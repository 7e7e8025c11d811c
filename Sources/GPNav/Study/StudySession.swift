import Foundation
import MobileViT

/// A study you can ask and tell: the one implementation of a study's life-cycle rules, which the
/// local search (`gpnav search`), `gpnav evaluate`, `gpnav import` and the server all call.
///
/// ``ask(worker:count:)`` claims trials (the worker's own running trials first, then the
/// downsizing chain, then expected improvement under the GP conditioned on running trials); a
/// worker keeps a claimed trial alive with ``heartbeat(trial:)`` and ends it with
/// ``tell(trial:result:)`` or ``fail(trial:reason:output:)``. Trials are addressed by their number
/// within the study. A running trial whose heartbeat is older than the lease is given up as
/// abandoned (``reapAbandoned()``); its architecture is proposed again up to
/// ``Trial/abandonedRetries`` times, and a late result for it is still kept unless the study has
/// reached its target. The rules themselves are ``TrialLifecycle``'s.
///
/// Safe for concurrent callers: asks for one session run one at a time (and reuse the study's
/// fitted model while its results are unchanged); heartbeats, results and status go straight to
/// the store and never wait behind a model fit. Several processes may share one study through
/// the store: claims are atomic there.
public final class StudySession: Sendable {
    public let store: any TrialStore
    /// The stored record of the study.
    public let study: Study
    /// Whether ``open(store:name:settings:given:mode:leaseSeconds:restarts:refresh:)`` created the
    /// study (false: it existed).
    public let wasCreated: Bool
    /// Seconds without a heartbeat after which a running trial counts as abandoned.
    public let leaseSeconds: Double
    /// Settings given on open that replaced stored ones, in words (a budget given to a study
    /// made by import, a new target), for the caller to report. (The evaluator is the caller's:
    /// the stored summary is the study's record of how it was created.)
    public let adjustments: [String]
    /// Nil for a study without a budget (it records trials but proposes none).
    let proposer: StudyProposer?

    private init(store: any TrialStore, study: Study, wasCreated: Bool, leaseSeconds: Double,
                 adjustments: [String], restarts: Int, refresh: ModelRefresh) {
        self.store = store
        self.study = study
        self.wasCreated = wasCreated
        self.leaseSeconds = leaseSeconds
        self.adjustments = adjustments
        proposer = study.budget.hasLimit
            ? StudyProposer(study: study, store: store, leaseSeconds: leaseSeconds, restarts: restarts,
                            refresh: refresh)
            : nil
    }

    /// Opens an existing study by name, as stored.
    /// - Throws: ``StoreError/unknownStudy(_:known:)`` when missing.
    public static func open(store: any TrialStore, name: String, leaseSeconds: Double,
                            refresh: ModelRefresh = .inline) async throws -> StudySession {
        guard let existing = try await store.study(named: name) else {
            throw StoreError.unknownStudy(name, known: try await store.studies().map(\.name))
        }
        return StudySession(store: store, study: existing, wasCreated: false, leaseSeconds: leaseSeconds,
                                adjustments: [], restarts: 2, refresh: refresh)
    }

    /// Creates or opens the study `name` per `mode` with `settings`, of which only those in `given`
    /// were given by the caller (the rest are defaults). The rules, in one place:
    /// - a new study gets `settings`, checked by ``StudySettings/validateForNewStudy()``;
    /// - budget, space, seed, step factor, joint factors and start model are an existing study's own:
    ///   a given value that differs is refused with ``StudyError/settingsDiffer(name:differences:)``
    ///   naming each difference;
    /// - a study without a budget (made by `gpnav import` or `gpnav evaluate`) takes the settings
    ///   given when it is first resumed with a budget (its own space, seed and target where none is
    ///   given), and keeps them from then on; its complete trials seed the GP;
    /// - a given target of complete trials replaces the stored one (`--resume --trials 50` continues
    ///   a 30-trial study to 50), except under ``StudyOpenMode/createOrConfirm``, where it must match;
    /// - the evaluator given is the one in use; the stored one is kept as the study's record.
    /// - Parameters:
    ///   - restarts: random restarts of each full hyperparameter fit of the study's model.
    ///   - refresh: where the study's model re-optimises its hyperparameters (the server passes
    ///     ``ModelRefresh/background``).
    /// - Throws: ``StudyError``, ``StoreError``, ``SearchError`` (no budget, budget below the
    ///   space), ``SearchSpaceError``.
    public static func open(store: any TrialStore, name: String, settings: StudySettings,
                            given: Set<StudySettings.Key> = StudySettings.Key.every, mode: StudyOpenMode,
                            leaseSeconds: Double, restarts: Int = 2,
                            refresh: ModelRefresh = .inline) async throws -> StudySession {
        // A create request repeated is checked as the first one was, whether or not the study exists.
        if mode == .createOrConfirm { try settings.validateForNewStudy() } else { try settings.validate() }
        if let existing = try await store.study(named: name) {
            return try await resume(existing, store: store, settings: settings, given: given, mode: mode,
                                    leaseSeconds: leaseSeconds, restarts: restarts, refresh: refresh)
        }
        // Without a budget only an existing study can be resumed.
        let resumesOnly = mode == .resume || (mode == .createOrResume && !(given.contains(.budget) && settings.budget.hasLimit))
        guard !resumesOnly else {
            throw StoreError.unknownStudy(name, known: try await store.studies().map(\.name))
        }
        try settings.validateForNewStudy()
        // A new study's name obeys the naming rule; an existing one (found above) keeps its own.
        let created: Study
        do {
            created = try await store.createStudy(Study(name: try StudyName(name).text, settings: settings))
        } catch StoreError.duplicateStudy {
            // Another process created it between the read and the write.
            guard let existing = try await store.study(named: name) else { throw StoreError.duplicateStudy(name) }
            return try await resume(existing, store: store, settings: settings, given: given, mode: mode,
                                    leaseSeconds: leaseSeconds, restarts: restarts, refresh: refresh)
        }
        return StudySession(store: store, study: created, wasCreated: true, leaseSeconds: leaseSeconds,
                                adjustments: [], restarts: restarts, refresh: refresh)
    }

    /// Opens the study `name` for recording trials that are not proposed (`gpnav evaluate`,
    /// `gpnav import`), creating it without a budget (`family`'s default space, target 0) when
    /// missing.
    public static func openForRecording(store: any TrialStore, name: String, seed: UInt64,
                                        family: any ArchitectureFamily = ArchitectureFamilies.standard,
                                        evaluatorSummary: String, leaseSeconds: Double) async throws -> StudySession {
        var created = false
        var record = try await store.study(named: name)
        if record == nil {
            do {
                let settings = StudySettings.recording(family: family, seed: seed, evaluator: evaluatorSummary)
                record = try await store.createStudy(Study(name: try StudyName(name).text, settings: settings))
                created = true
            } catch StoreError.duplicateStudy {
                record = try await store.study(named: name)
            }
        }
        guard let record else { throw StoreError.unknownStudy(name, known: []) }
        return StudySession(store: store, study: record, wasCreated: created, leaseSeconds: leaseSeconds,
                                adjustments: [], restarts: 2, refresh: .inline)
    }

    private static func resume(_ existing: Study, store: any TrialStore, settings: StudySettings,
                               given: Set<StudySettings.Key>, mode: StudyOpenMode, leaseSeconds: Double,
                               restarts: Int, refresh: ModelRefresh) async throws -> StudySession {
        guard mode != .create else {
            throw StudyError.exists(name: existing.name, completeTrials: try await completeCount(of: existing, in: store))
        }
        var study = existing
        var adjustments: [String] = []
        if !existing.budget.hasLimit, given.contains(.budget), settings.budget.hasLimit {
            // A study made by import (or evaluate) has trials but no budget: the first resume with
            // a budget makes it a search, seeded by those trials.
            var merged = settings
            if !given.contains(.space) && !given.contains(.family) { merged.space = existing.space }
            if !given.contains(.seed) { merged.seed = existing.seed }
            if !given.contains(.targetTrials), existing.targetTrials > 0 { merged.targetTrials = existing.targetTrials }
            merged.evaluator = existing.evaluator
            try merged.validateForNewStudy()
            study.settings = merged
            study = try await store.updateStudy(study)
            adjustments.append("the study had no budget: it now searches within \(settings.budget.limitsText), "
                               + "its \(try await completeCount(of: study, in: store)) complete trials seeding the model")
        } else {
            // A given target and epoch budget replace the stored ones on resume; a create request
            // repeated must match them.
            let compared = mode == .createOrConfirm ? given : given.subtracting([.targetTrials, .epochBudget])
            let differences = settings.differences(from: existing.settings, in: compared)
            guard differences.isEmpty else { throw StudyError.settingsDiffer(name: existing.name, differences: differences) }
            if given.contains(.targetTrials), settings.targetTrials != existing.targetTrials {
                study.targetTrials = settings.targetTrials
                study = try await store.updateStudy(study)
                adjustments.append("target trials: \(existing.targetTrials) stored, now \(settings.targetTrials)")
            }
            if given.contains(.epochBudget),
               let adjusted = try await adjustEpochBudget(of: study, to: settings.epochBudget, in: store) {
                study = adjusted.study
                adjustments.append(adjusted.note)
            }
        }
        return StudySession(store: store, study: study, wasCreated: false, leaseSeconds: leaseSeconds,
                                adjustments: adjustments, restarts: restarts, refresh: refresh)
    }

    private static func completeCount(of study: Study, in store: any TrialStore) async throws -> Int {
        try await store.trials(TrialQuery(study: study.name, state: .complete)).count
    }

    /// The architectures the latency screen judged by the device's latency model since the
    /// session opened, and those it refused as clearly over the budget (never measured); nil
    /// for a study without a latency budget.
    public var latencyScreenCounts: (screened: Int, refused: Int)? {
        proposer?.latencyTally?.counts
    }

    /// Fits of the study's model since the session opened (none for a study without a budget);
    /// readable while an ask is fitting.
    public var modelFitStatistics: ModelFitStatistics {
        proposer?.fits.current ?? ModelFitStatistics()
    }

    /// About how many bytes the session keeps between asks (its planner, candidate pool and fitted
    /// model; 0 before the first ask), so that a server can bound what its open sessions hold and
    /// close the least recently used. An estimate from sizes, updated after each ask.
    public var approximateCachedBytes: Int {
        proposer?.cachedBytes.withLock { $0 } ?? 0
    }

    // MARK: Asking

    /// Claims up to `count` next trials for `worker`: its own running trials first, then the
    /// downsizing chain, then GP expected improvement conditioned on running trials.
    /// No trial starts whose full training would pass the epoch budget (see
    /// ``StudySnapshot/epochBudgetCovered``). `done` is true when the study has reached its target
    /// of complete trials, when its epoch budget is covered and no trial is given, or when no admitted candidate is left
    /// (then `exhausted` is true as well).
    /// - Throws: ``StudyError/noBudget(study:)`` for a study that only records trials; store errors.
    /// - Parameter latency: who measures a latency study's proposals: the asker after claiming
    ///   (the default), or measure-only workers before (then only architectures measured within the
    ///   budget are claimed, see ``LatencyMeasuring/beforeClaim``).
    /// - Parameter resuming: whether the asker can continue a paused training from where it
    ///   stopped (``Evaluator/canResume``); then, in a study with pruning, a pruned trial the
    ///   study's model rates as the best use of the next epochs is handed out again, running,
    ///   with ``SuggestedTrial/resumedAfterEpoch`` (freeze-thaw: ``PausedTrainingChoice``).
    public func ask(worker: String, count: Int, latency: LatencyMeasuring = .byClaimant,
                    resuming: Bool = false) async throws -> StudySuggestion {
        guard let proposer else { throw StudyError.noBudget(study: study.name) }
        return try await proposer.ask(worker: worker, count: count, latency: latency,
                                      resuming: resuming && study.settings.prune)
    }

    /// Stops the background hyperparameter searches of the study's model (``ModelRefresh/background``)
    /// and returns once none runs; a server calls it for every session before it exits. Asks
    /// still work afterwards, with the hyperparameters found so far.
    public func stopBackgroundSearches() async {
        await proposer?.stopBackgroundSearches()
    }

    /// Stores a trial of `architecture` that nobody proposed (`gpnav evaluate`), running for `worker`.
    public func startManualTrial(_ architecture: Architecture, worker: String) async throws -> SuggestedTrial {
        guard let studyID = study.id else { throw StoreError.unknownStudy(study.name, known: []) }
        guard architecture.familyName == study.family else {
            throw StudyError.familyMismatch(study: study.name, studyFamily: study.family, architectureFamily: architecture.familyName)
        }
        let cost = CostModel.cost(of: architecture)
        let now = Date()
        let trial = try await lifecycle.start(Trial(
            studyID: studyID, number: 0, state: .running, architecture: architecture, macs: cost.macs,
            params: cost.params, proposal: Proposal(kind: .manual), startedAt: now, heartbeatAt: now, worker: worker))
        return SuggestedTrial(trial: trial, phase: .random,
                              config: TrialConfig(trial: trial, study: study.name, epochs: study.epochs))
    }

    /// Stores finished trials read from a file (`gpnav import`), all or none. A study that was
    /// created for them by ``openForRecording(store:name:seed:evaluatorSummary:leaseSeconds:)``
    /// is deleted again when they cannot be stored.
    public func importTrials(_ rows: [TrialImport.Row]) async throws -> [Trial] {
        guard let studyID = study.id else { throw StoreError.unknownStudy(study.name, known: []) }
        do {
            try TrialImport.checkFamily(rows, study: study)
            return try await store.addFinishedTrials(TrialImport.trials(rows, studyID: studyID))
        } catch {
            if wasCreated { try? await store.deleteStudy(named: study.name) }
            throw error
        }
    }

    // MARK: Telling

    /// Marks a running trial alive now.
    /// - Throws: ``StudyError/unknownTrial(study:number:)``, ``StudyError/trialNotRunning(study:number:state:)``.
    public func heartbeat(trial number: Int) async throws {
        let trial = try await lookUp(number)
        guard trial.state == .running, let id = trial.id else {
            throw StudyError.trialNotRunning(study: study.name, number: number, state: trial.state)
        }
        try await store.heartbeat(trialID: id)
    }

    /// Completes a running trial. Idempotent: the same accuracy and metrics again return the
    /// trial; a different result for a complete trial throws ``StudyError/conflictingResult(study:number:)``.
    /// A late result for a trial given up as abandoned is kept (it becomes complete) unless the
    /// study has reached its target (``StudyError/studyEnded(study:)``).
    /// - Throws: ``StudyError`` (invalid accuracy or metric, unknown trial, not running), store errors.
    /// - Throws: ``StudyError`` (invalid accuracy or metric, a result over ``TrialResultLimits``,
    ///   unknown trial, not running), store errors.
    public func tell(trial number: Int, result: EvaluationResult) async throws -> Trial {
        try await tellOnce(trial: number, result: result).trial
    }

    /// ``tell(trial:result:)``, saying whether this call stored the result (`accepted`) or found
    /// the trial complete with it already (an idempotent repeat), so that results are counted once.
    public func tellOnce(trial number: Int, result: EvaluationResult) async throws -> (trial: Trial, accepted: Bool) {
        guard result.accuracy.isFinite, (0...100).contains(result.accuracy) else {
            throw StudyError.invalidAccuracy(result.accuracy)
        }
        try TrialResultLimits.check(result)
        try study.settings.checkRanked(result)
        let outcome = TrialOutcome(state: .complete, accuracy: result.accuracy, metrics: result.metrics,
                                   evaluatorOutput: result.output)
        let trial = try await lookUp(number)
        guard let id = trial.id else { throw StudyError.unknownTrial(study: study.name, number: number) }
        do {
            switch trial.state {
            case .running:
                try await lifecycle.finish(id: id, outcome: outcome)
            case .abandoned:
                guard try await Self.completeCount(of: study, in: store) < study.targetTrials else {
                    throw StudyError.studyEnded(study: study.name)
                }
                try await lifecycle.completeLate(id: id, outcome: outcome)
            default:
                return (try settled(trial, with: result), false)
            }
        } catch StoreError.trialNotRunning {
            // Another caller ended it first: the same result is fine, anything else is refused.
            return (try settled(try await lookUp(number), with: result), false)
        }
        return (try await lookUp(number), true)
    }

    /// `trial`, already ended, when it is complete with `result`; otherwise the refusal.
    private func settled(_ trial: Trial, with result: EvaluationResult) throws -> Trial {
        switch trial.state {
        case .complete:
            guard trial.accuracy == result.accuracy, trial.metrics == result.metrics else {
                throw StudyError.conflictingResult(study: study.name, number: trial.number)
            }
            return trial
        default:
            throw StudyError.trialNotRunning(study: study.name, number: trial.number, state: trial.state)
        }
    }

    /// Fails a running trial with `reason` (and the evaluator's output). Failing a trial that is
    /// failed already, or was abandoned meanwhile, returns it as it is.
    /// - Throws: ``StudyError/unknownTrial(study:number:)``, ``StudyError/trialNotRunning(study:number:state:)``
    ///   for a complete or pruned trial, ``StudyError/resultTooLarge(_:)`` over ``TrialResultLimits``.
    public func fail(trial number: Int, reason: String, output: String? = nil) async throws -> Trial {
        try TrialResultLimits.check(reason: reason, output: output)
        let trial = try await lookUp(number)
        guard let id = trial.id else { throw StudyError.unknownTrial(study: study.name, number: number) }
        if trial.state == .running {
            do {
                try await lifecycle.finish(id: id, outcome: TrialOutcome(state: .failed, evaluatorOutput: output, error: reason))
            } catch StoreError.trialNotRunning {
                // Ended meanwhile; judged below as it is now.
            }
        }
        let now = try await lookUp(number)
        guard now.state == .failed || now.state == .abandoned else {
            throw StudyError.trialNotRunning(study: study.name, number: number, state: now.state)
        }
        return now
    }

    /// Gives up running trial `number` because its evaluation was stopped (the search or worker
    /// was interrupted), not because it failed: it becomes abandoned, so a resumed study trains
    /// its architecture again (``Trial/abandonedRetries``). One that ended meanwhile as failed or
    /// abandoned is returned as it is.
    /// - Throws: ``StudyError/trialNotRunning(study:number:state:)`` when it completed or was pruned.
    public func abandon(trial number: Int, reason: String) async throws -> Trial {
        try TrialResultLimits.check(reason: reason, output: nil)
        let trial = try await lookUp(number)
        guard let id = trial.id else { throw StudyError.unknownTrial(study: study.name, number: number) }
        if trial.state == .running {
            do {
                try await lifecycle.abandon(id: id, reason: reason)
            } catch StoreError.trialNotRunning {
                // Ended meanwhile; judged below as it is now.
            }
        }
        let now = try await lookUp(number)
        guard now.state == .failed || now.state == .abandoned else {
            throw StudyError.trialNotRunning(study: study.name, number: number, state: now.state)
        }
        return now
    }

    /// Abandons running trials whose heartbeat is older than the lease, or whose process on this
    /// host is gone; returns how many.
    public func reapAbandoned() async throws -> Int {
        try await lifecycle.reap(lastSeenBefore: Date().addingTimeInterval(-leaseSeconds))
    }

    /// The rules of the study's trials' lives, over its store.
    var lifecycle: TrialLifecycle { TrialLifecycle(store: store, study: study) }

    /// Counts by state, the target and the best complete trial within budget. Reads the trials
    /// without their metrics and output (only the best one whole), so that a status costs the same
    /// whatever the trials reported.
    public func status() async throws -> StudyStatus {
        let trials = try await store.trials(TrialQuery(study: study.name, details: false))
        var counts: [TrialState: Int] = [:]
        for trial in trials { counts[trial.state, default: 0] += 1 }
        // An 8-bit study's best is by int8 accuracy, a metric, which the read above leaves out.
        var best = StudySession.bestObserved(try await Self.ranked(trials, of: study, in: store), budget: study.budget)
        if let number = best?.number { best = try await store.trial(study: study.name, number: number) ?? best }
        var status = StudyStatus(study: study, complete: counts[.complete] ?? 0, running: counts[.running] ?? 0,
                                 failed: counts[.failed] ?? 0, pruned: counts[.pruned] ?? 0,
                                 abandoned: counts[.abandoned] ?? 0, targetTrials: study.targetTrials,
                                 best: best)
        status.epochAccount = try await EpochAccount.reading(study: study.name, trials: trials,
                                                             curves: try await store.learningCurves(study: study.name),
                                                             epochs: epochs, recommended: best, from: store)
        return status
    }

    /// The study's result: every trial and the recommended one (the highest GP posterior mean
    /// among complete trials within budget; the best observed when there is no model).
    public func report() async throws -> SearchReport {
        if let proposer { return try await proposer.report() }
        let trials = try await store.trials(TrialQuery(study: study.name))
        var report = SearchReport(study: study, best: StudySession.bestObserved(trials, study: study), trials: trials)
        report.epochAccount = try await EpochAccount.reading(study: study.name, trials: trials,
                                                             curves: try await store.learningCurves(study: study.name),
                                                             epochs: epochs, recommended: report.best, from: store)
        return report
    }

    private func lookUp(_ number: Int) async throws -> Trial {
        guard let trial = try await store.trial(study: study.name, number: number) else {
            throw StudyError.unknownTrial(study: study.name, number: number)
        }
        return trial
    }
}
