import Foundation
import GaussianProcess
import MobileViT

/// The local search driver: a loop over a ``StudySession``'s ask and tell, as Optuna's
/// `optimize` is, with the training of each trial done by an ``Evaluator`` in this process.
///
/// It keeps up to `parallel` evaluations in flight, each slot asking the session for its next
/// trial, keeps them alive with heartbeats, and tells (or fails) each result; every rule of the
/// study (what to propose, when it is done, what a late or repeated result means) is the
/// session's. Several processes may run the same study: the session re-reads the study before
/// every proposal and claims atomically in the store.
///
/// Cancelling the task that runs ``run(progress:)`` stops it: no further trial starts, the
/// evaluations in flight are awaited and recorded, and `run` throws `CancellationError`. An
/// evaluation that fails after the cancellation (its command was stopped) is not the training's
/// failure: its trial is abandoned (``StudySession/abandon(trial:reason:)``), as a worker's
/// stopped trial is, so that resuming the study trains it again.
public struct ArchitectureSearch: Sendable {
    public let store: any TrialStore
    /// The evaluator for a study with a given seed (the simulator's noise follows the study's seed).
    public let makeEvaluator: @Sendable (UInt64) -> any Evaluator
    public let configuration: SearchConfiguration
    /// Measures latencies for a study with a latency budget, before each trial is trained.
    public var latencyMeter: (any LatencyMeter)? = nil

    /// A search whose evaluator is made for the study's seed once the study is open.
    public init(store: any TrialStore, configuration: SearchConfiguration,
                makeEvaluator: @escaping @Sendable (_ seed: UInt64) -> any Evaluator) {
        self.store = store
        self.makeEvaluator = makeEvaluator
        self.configuration = configuration
    }

    /// A search with a fixed evaluator.
    public init(store: any TrialStore, evaluator: any Evaluator, configuration: SearchConfiguration) {
        self.init(store: store, configuration: configuration) { _ in evaluator }
    }

    /// Opens (or creates) the study as the configuration says.
    /// - Throws: ``StudyError``, ``SearchError``, ``SearchSpaceError``, store errors.
    public func openSession() async throws -> StudySession {
        var settings = configuration.settings
        settings.evaluator = makeEvaluator(settings.seed).summary
        return try await StudySession.open(
            store: store, name: configuration.studyName, settings: settings, given: configuration.given,
            mode: configuration.resume ? .createOrResume : .create,
            leaseSeconds: configuration.staleAfterSeconds, restarts: configuration.restarts)
    }

    /// Runs the search to the study's target and returns what it found.
    /// - Throws: ``StudyError``, ``SearchError``, ``SearchSpaceError``, store errors, GP errors;
    ///   `CancellationError` when the task was cancelled.
    public func run(progress: @escaping @Sendable (SearchEvent) -> Void = { _ in }) async throws -> SearchReport {
        // Refused before the study is created; a resumed study's own budget is checked once it is open.
        _ = try latencyMeter(for: configuration.settings, study: configuration.studyName)
        let session = try await openSession()
        return try await run(session, progress: progress)
    }

    /// Runs the search on an open session.
    public func run(_ session: StudySession, progress: @escaping @Sendable (SearchEvent) -> Void = { _ in }) async throws -> SearchReport {
        let evaluator = makeEvaluator(session.study.seed)
        let meter = try latencyMeter(for: session.study.settings, study: session.study.name).map(CountingLatencyMeter.init)
        var refusedAfterMeasuring = 0
        var failedMeasurements = 0
        let failedStale = try await session.reapAbandoned()
        let opening = try await session.status()
        progress(.began(study: session.study, resumed: !session.wasCreated, completeTrials: opening.complete,
                        failedStale: failedStale, evaluator: evaluator.summary))
        for adjustment in session.adjustments { progress(.settingAdjusted(adjustment)) }
        if !session.wasCreated, evaluator.summary != session.study.evaluator {
            progress(.settingAdjusted("evaluator: the study was created with '\(session.study.evaluator)'; "
                                      + "this run uses '\(evaluator.summary)'"))
        }

        let inFlight = InFlightTrials()
        let heartbeat = Task {
            let interval = max(1, min(30, configuration.staleAfterSeconds / 4))
            while !Task.isCancelled {
                try? await Task.sleep(for: Seconds(clamping: interval).duration)
                for number in await inFlight.numbers { try? await session.heartbeat(trial: number) }
            }
        }
        defer { heartbeat.cancel() }

        var failures = 0
        var lastFailure = ""
        var exhausted = false
        var askedOut = false
        let deadline = configuration.timeLimit.map { ContinuousClock.now + $0.duration }
        var timeIsUp: Bool { deadline.map { ContinuousClock.now >= $0 } ?? false }
        var stoppedByTime = false
        let parallel = configuration.parallel
        try await withThrowingTaskGroup(of: (SuggestedTrial, Int, Result<EvaluationResult, EvaluationFailure>).self) { group in
            var freeSlots = Array((0..<parallel).reversed())
            func launch() async throws -> Bool {
                guard failures < configuration.maxFailures, !askedOut, !Task.isCancelled else { return false }
                guard !timeIsUp else {
                    stoppedByTime = true
                    return false
                }
                guard let slot = freeSlots.popLast() else { return false }
                let worker = parallel == 1 ? WorkerIdentity.current : WorkerIdentity.slot(slot)
                let suggestion = try await session.ask(worker: worker, count: 1, resuming: evaluator.canResume)
                guard let next = suggestion.trials.first else {
                    freeSlots.append(slot)
                    if suggestion.done {
                        askedOut = true
                        exhausted = suggestion.exhausted
                    }
                    return false
                }
                await inFlight.insert(next.trial.number)
                // Measured one at a time, before training starts, so that measurements do not disturb each other.
                let screening = try await screen(next, in: session, meter: meter, progress: progress)
                guard case .train(let latencyMs) = screening else {
                    await inFlight.remove(next.trial.number)
                    freeSlots.append(slot)
                    if case .ended(let failure?) = screening {
                        failures += 1
                        failedMeasurements += 1
                        lastFailure = failure
                    } else {
                        refusedAfterMeasuring += 1
                    }
                    return true
                }
                progress(.trialStarted(next.trial, phase: next.phase))
                let request = EvaluationRequest(architecture: next.trial.architecture, macs: next.trial.macs,
                                                params: next.trial.params, study: session.study.name,
                                                trialNumber: next.trial.number, epochs: session.epochs, slot: slot,
                                                retriedTrial: next.retriedTrial, resumedAfterEpoch: next.resumedAfterEpoch)
                let reporter: EpochReporter = { report in
                    progress(.epochReported(trial: next.trial.number, report))
                    do {
                        return try await session.record(report, trial: next.trial.number, resumable: evaluator.canResume)
                    } catch {
                        // The evaluator checked the report; a store that cannot keep it now must
                        // not stop the training, whose result is what counts.
                        return .proceed
                    }
                }
                group.addTask { [evaluator] in
                    do throws(EvaluationFailure) {
                        var result = try await evaluator.evaluate(request, reporting: reporter)
                        if let latencyMs { result.metrics[StudySession.latencyMetric] = latencyMs }
                        return (next, slot, .success(result))
                    } catch {
                        return (next, slot, .failure(error))
                    }
                }
                return true
            }
            while try await launch() {}
            while let (suggested, slot, result) = try await group.next() {
                freeSlots.append(slot)
                let number = suggested.trial.number
                var finished = suggested.trial
                // A trial the study pruned stays pruned, whatever its training did after the stop.
                if let pruned = try await session.prunedTrial(number) {
                    finished = pruned
                } else {
                switch result {
                case .success(let evaluation):
                    do {
                        finished = try await session.tell(trial: number, result: evaluation)
                    } catch let error as StudyError {
                        switch error {
                        case .invalidAccuracy, .invalidMetric, .missingRankingMetric, .resultTooLarge:
                            // The evaluator's own promise broke: the trial fails, saying why.
                            failures += 1
                            lastFailure = error.description
                            finished = try await failed(number, in: session, reason: error.description,
                                                        output: evaluation.output, otherwise: suggested.trial)
                        default:
                            // Another process ended it meanwhile (given up as abandoned once the
                            // study was done): its verdict stands.
                            finished.state = .failed
                            finished.error = error.description
                        }
                    }
                case .failure where Task.isCancelled:
                    finished = try await abandoned(number, in: session, otherwise: suggested.trial)
                case .failure(let failure) where failure.kind == .stopped && evaluator.canResume:
                    // Stopped because the study paused it, and continued since by another slot:
                    // the training goes on there, so this stop ends nothing.
                    finished = try await session.store.trial(study: session.study.name, number: number) ?? suggested.trial
                case .failure(let failure):
                    failures += 1
                    lastFailure = failure.reason
                    finished = try await failed(number, in: session, reason: failure.reason, output: failure.output,
                                                otherwise: suggested.trial)
                }
                }
                await inFlight.remove(number)
                let status = try await session.status()
                progress(.trialFinished(finished, phase: suggested.phase, best: status.best, completeTrials: status.complete))
                while try await launch() {}
            }
        }
        try Task.checkCancellation()
        if failures >= configuration.maxFailures {
            throw SearchError.tooManyFailures(count: failures, lastReason: lastFailure)
        }
        var retraining: RetrainingSummary?
        let retrainingSkipped = configuration.repeatBest > 0 && timeIsUp
        if configuration.repeatBest > 0, !retrainingSkipped {
            retraining = try await retrainBest(try await session.report(), session: session, evaluator: evaluator,
                                               inFlight: inFlight, progress: progress)
        }
        var report = try await session.report()
        report.retraining = retraining
        report.evaluator = evaluator.summary
        report.simulated = evaluator.isSimulated
        if let meter {
            let screened = session.latencyScreenCounts
            report.latency = LatencySearchCounts(measurements: meter.count.value.withLock { $0 },
                                                 refusedAfterMeasuring: refusedAfterMeasuring,
                                                 failedMeasurements: failedMeasurements,
                                                 screenedByModel: screened?.screened ?? 0, refusedByModel: screened?.refused ?? 0)
        }
        let complete = report.trials.filter { $0.state == .complete }.count
        if exhausted {
            report.endedEarly = "no admitted architecture is left to propose: \(complete) of \(session.study.targetTrials) "
                + "complete trials (the search space within the budget is used up)"
        } else if let limit = configuration.timeLimit, stoppedByTime && complete < session.study.targetTrials {
            report.endedEarly = "the time limit of \(limit.spanText) passed: \(complete) of \(session.study.targetTrials) "
                + "complete trials; no trial started after it, and the running ones finished"
        } else if let limit = configuration.timeLimit, retrainingSkipped {
            report.endedEarly = "the time limit of \(limit.spanText) passed before the retrainings of --repeat-best"
        }
        return report
    }

    /// The reason an interrupted search's trials are abandoned with.
    public static let stoppedReason = "stopped: the search was interrupted"

    /// Abandons trial `number`, stopped by the search's cancellation; when it ended otherwise
    /// meanwhile, `trial` as the search saw it, abandoned.
    private func abandoned(_ number: Int, in session: StudySession, otherwise trial: Trial) async throws -> Trial {
        do {
            return try await session.abandon(trial: number, reason: Self.stoppedReason)
        } catch is StudyError {
            var shown = trial
            shown.state = .abandoned
            shown.error = Self.stoppedReason
            return shown
        }
    }

    /// Fails trial `number`; when it ended otherwise meanwhile, `trial` as the search saw it, failed.
    private func failed(_ number: Int, in session: StudySession, reason: String, output: String?,
                        otherwise trial: Trial) async throws -> Trial {
        do {
            return try await session.fail(trial: number, reason: reason, output: output)
        } catch is StudyError {
            var shown = trial
            shown.state = .failed
            shown.error = reason
            return shown
        }
    }

    /// Checks that `budget` sets a limit and that the smallest architecture of `space` meets it.
    /// - Throws: ``SearchError/noBudget``, ``SearchError/budgetBelowSpace(smallestMACs:smallestParams:)``.
    public static func checkFeasible(_ budget: Budget, in space: SearchSpace) throws(SearchError) {
        guard budget.hasLimit else { throw .noBudget }
        let smallest = space.smallestCost()
        guard budget.admits(macs: smallest.macs, params: smallest.params) else {
            throw .budgetBelowSpace(smallestMACs: smallest.macs, smallestParams: smallest.params)
        }
    }
}

/// The numbers of the trials this search is evaluating.
actor InFlightTrials {
    private var trials: Set<Int> = []
    var numbers: [Int] { Array(trials) }
    func insert(_ number: Int) { trials.insert(number) }
    func remove(_ number: Int) { trials.remove(number) }
}
