import Foundation
import GaussianProcess
import MobileViT

/// The search loop: the downsizing chain first, then expected improvement under the GP.
///
/// Phase 1 evaluates the chain from the starting model down to the budget (it spans the scales
/// between them and seeds the model). Phase 2 fits the GP to every complete trial of the study,
/// conditions it on the trials still running (their outcome fantasised at the predictive mean)
/// and evaluates the admitted candidate with the largest expected improvement, until the study
/// holds its target of complete trials. Budgets are hard constraints on exact counts.
///
/// Several processes may run the same study: each re-reads the study before every proposal,
/// so it learns from the others' results and avoids what they are evaluating.
public struct ArchitectureSearch: Sendable {
    public let store: any TrialStore
    public let evaluator: any Evaluator
    public let configuration: SearchConfiguration

    public init(store: any TrialStore, evaluator: any Evaluator, configuration: SearchConfiguration) {
        self.store = store
        self.evaluator = evaluator
        self.configuration = configuration
    }

    /// Runs the search to the study's target and returns what it found.
    /// - Throws: ``SearchError``, ``SearchSpaceError``, store errors, GP errors.
    public func run(progress: @escaping @Sendable (SearchEvent) -> Void = { _ in }) async throws -> SearchReport {
        try configuration.space.validate()
        // Refuse an impossible request before anything is written: a new study must not be
        // created for a budget that no architecture of the space meets.
        try Self.checkFeasible(configuration.budget, in: configuration.space)
        let (study, resumed) = try openStudy()
        let cutoff = Date().addingTimeInterval(-configuration.staleAfterSeconds)
        let failedStale = try store.failStaleTrials(study: study.name, heartbeatBefore: cutoff)
        var planner = try SearchPlanner(study: study, configuration: configuration, store: store)
        progress(.began(study: study, resumed: resumed, completeTrials: planner.completeCount, failedStale: failedStale))

        let inFlight = InFlightTrials()
        let heartbeat = Task { [store] in
            let interval = max(1, min(30, configuration.staleAfterSeconds / 4))
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(interval))
                for id in await inFlight.ids { try? store.heartbeat(trialID: id) }
            }
        }
        defer { heartbeat.cancel() }

        var failures = 0
        var lastFailure = ""
        try await withThrowingTaskGroup(of: (Trial, SearchPhase, Result<EvaluationResult, EvaluationFailure>).self) { group in
            var running = 0
            func launch() async throws -> Bool {
                // Once gpnav is stopping (SIGINT, SIGTERM), start nothing that would only fail.
                guard failures < configuration.maxFailures, !RunningCommands.isStopping else { return false }
                // Another process may claim the same proposal first (they plan alike from the same
                // data); then plan again, now seeing its trial. A few lost races in a row end here.
                var claimed: (Trial, SearchPhase)?
                for _ in 0..<8 where claimed == nil {
                    guard let (trial, phase) = try planner.next(ownPending: await inFlight.architectures) else { return false }
                    claimed = try store.claimTrial(trial).map { ($0, phase) }
                }
                guard let (started, phase) = claimed, let id = started.id else { return false }
                await inFlight.insert(id: id, architecture: started.architecture)
                progress(.trialStarted(started, phase: phase))
                let request = EvaluationRequest(architecture: started.architecture, macs: started.macs,
                                                params: started.params, study: study.name, trialNumber: started.number)
                group.addTask { [evaluator] in
                    do throws(EvaluationFailure) {
                        return (started, phase, .success(try await evaluator.evaluate(request)))
                    } catch {
                        return (started, phase, .failure(error))
                    }
                }
                running += 1
                return true
            }
            while running < configuration.parallel, try await launch() {}
            while let (trial, phase, result) = try await group.next() {
                running -= 1
                guard let id = trial.id else { continue }
                let outcome: TrialOutcome
                switch result {
                case .success(let evaluation):
                    outcome = TrialOutcome(state: .complete, accuracy: evaluation.accuracy,
                                           metrics: evaluation.metrics, evaluatorOutput: evaluation.output)
                case .failure(let failure):
                    failures += 1
                    lastFailure = failure.reason
                    outcome = TrialOutcome(state: .failed, evaluatorOutput: failure.output, error: failure.reason)
                }
                do {
                    try store.finishTrial(id: id, outcome: outcome)
                } catch StoreError.trialNotRunning {
                    // Another process judged this trial abandoned (its heartbeat went stale, e.g.
                    // while this process was suspended) and marked it failed; that verdict stands.
                }
                await inFlight.remove(id: id)
                try planner.refresh()
                var finished = trial
                finished.state = outcome.state
                finished.accuracy = outcome.accuracy
                finished.error = outcome.error
                progress(.trialFinished(finished, phase: phase, best: planner.bestObserved, completeTrials: planner.completeCount))
                while running < configuration.parallel, try await launch() {}
            }
        }
        if failures >= configuration.maxFailures {
            throw SearchError.tooManyFailures(count: failures, lastReason: lastFailure)
        }
        return try planner.report()
    }

    /// Checks that `budget` sets a limit and that the smallest architecture of `space` meets it.
    /// - Throws: ``SearchError/noBudget``, ``SearchError/budgetBelowSpace(smallestMACs:smallestParams:)``.
    public static func checkFeasible(_ budget: Budget, in space: SearchSpace) throws(SearchError) {
        guard budget.macs != nil || budget.params != nil || budget.memoryBytes != nil else { throw .noBudget }
        let smallest = space.smallestCost()
        guard budget.admits(macs: smallest.macs, params: smallest.params) else {
            throw .budgetBelowSpace(smallestMACs: smallest.macs, smallestParams: smallest.params)
        }
    }

    /// Creates the study, or opens it with `resume`; a name taken concurrently is re-read.
    private func openStudy() throws -> (Study, resumed: Bool) {
        if let existing = try store.study(named: configuration.studyName) {
            guard configuration.resume else {
                let complete = try store.trials(TrialQuery(study: existing.name, state: .complete)).count
                throw SearchError.studyExists(name: existing.name, completeTrials: complete)
            }
            return (existing, true)
        }
        // A new study's name obeys the naming rule; an existing one (found above) keeps its own.
        let study = Study(
            name: try StudyName(configuration.studyName).text, space: configuration.space, budget: configuration.budget,
            seed: configuration.seed, evaluator: evaluator.summary, targetTrials: configuration.trials,
            settings: [
                "step_factor": String(configuration.stepFactor),
                "joint_factors": String(configuration.jointFactors),
                "start": configuration.start.map { String(describing: $0) } ?? "default",
            ]
        )
        do {
            return (try store.createStudy(study), false)
        } catch {
            // Another process may have created it between the read and the write.
            if configuration.resume, let existing = try store.study(named: configuration.studyName) {
                return (existing, true)
            }
            throw error
        }
    }
}

/// The ids and architectures of the trials this process is evaluating.
actor InFlightTrials {
    private var trials: [Int64: Architecture] = [:]
    var ids: [Int64] { Array(trials.keys) }
    var architectures: [Architecture] { Array(trials.values) }
    func insert(id: Int64, architecture: Architecture) { trials[id] = architecture }
    func remove(id: Int64) { trials.removeValue(forKey: id) }
}
