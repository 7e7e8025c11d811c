import Foundation
import GPNav
import OpenAPIRuntime

/// The operations on a study's trials: ask, heartbeat, tell (complete or fail), list, Pareto front.
extension GPNavAPI {
    func suggest(_ input: Operations.Suggest.Input) async throws -> Operations.Suggest.Output {
        let started = ContinuousClock.now
        let session = try await session(input.path.name, forAsking: true)
        let body: Components.Schemas.SuggestionRequest? = switch input.body {
        case .json(let body): body
        case nil: nil
        }
        let count = body?.count ?? 1
        guard (1...ServerLimits.maxSuggestionCount).contains(count) else {
            throw APIError.badParameter(name: "count", detail: "must be 1 to \(ServerLimits.maxSuggestionCount)")
        }
        let worker = body?.worker ?? "anonymous"
        guard !worker.isEmpty, worker.count <= 200, !worker.contains(where: \.isNewline) else {
            throw APIError.badParameter(name: "worker", detail: "must be 1 to 200 characters on one line")
        }
        AccessRecord.note(worker: worker)
        let fitsBefore = session.modelFitStatistics
        // The session plans on a queue of its own, so a model fit here holds up no other request.
        // A latency study's workers train only what a measure-only worker measured within budget.
        // Only a worker that says it can continue a paused training is handed one.
        let suggestion = try await session.ask(worker: worker, count: count, latency: .beforeClaim,
                                               resuming: body?.resumes ?? false)
        let name = session.study.name
        logEvents(asked: suggestion, worker: worker, study: name, fitsBefore: fitsBefore,
                  fitsAfter: session.modelFitStatistics)
        let answer = Components.Schemas.Suggestion(
            trials: try suggestion.trials.map { try WireValues.suggested($0, study: name, leaseSeconds: leaseSeconds) },
            done: suggestion.done, exhausted: suggestion.exhausted)
        serviceMetrics.recordAsk(seconds: Self.seconds(ContinuousClock.now - started))
        return .ok(.init(body: .json(answer)))
    }

    func heartbeat(_ input: Operations.Heartbeat.Input) async throws -> Operations.Heartbeat.Output {
        let session = try await session(input.path.name, forAsking: false)
        try await session.heartbeat(trial: try Self.trialNumber(input.path.number))
        serviceMetrics.recordHeartbeat()
        return .noContent(.init())
    }

    func completeTrial(_ input: Operations.CompleteTrial.Input) async throws -> Operations.CompleteTrial.Output {
        let session = try await session(input.path.name, forAsking: false)
        let number = try Self.trialNumber(input.path.number)
        let body = switch input.body { case .json(let body): body }
        let result = EvaluationResult(accuracy: body.accuracy, metrics: body.metrics?.additionalProperties ?? [:],
                                      output: body.output)
        let (trial, accepted) = try await session.tellOnce(trial: number, result: result)
        AccessRecord.note(worker: trial.worker)
        // A repeated result (a worker retrying after a lost answer) is not a new one.
        if accepted {
            serviceMetrics.recordTell()
            logger.info("trial told", metadata: [
                "event": "trial_told", "study": "\(session.study.name)", "trial": "\(number)",
                "accuracy": "\(body.accuracy)", "worker": "\(trial.worker ?? "")",
            ])
        }
        return .ok(.init(body: .json(try WireValues.trial(trial, study: session.study.name))))
    }

    func failTrial(_ input: Operations.FailTrial.Input) async throws -> Operations.FailTrial.Output {
        let session = try await session(input.path.name, forAsking: false)
        let number = try Self.trialNumber(input.path.number)
        let body: Components.Schemas.Failure? = switch input.body {
        case .json(let body): body
        case nil: nil
        }
        let reason = (body?.reason?.isEmpty ?? true) ? "reported failed by the worker" : body?.reason ?? ""
        let trial = body?.abandoned == true
            ? try await session.abandon(trial: number, reason: reason)
            : try await session.fail(trial: number, reason: reason, output: body?.output)
        AccessRecord.note(worker: trial.worker)
        serviceMetrics.recordFail()
        logger.info("trial failed", metadata: [
            "event": "trial_failed", "study": "\(session.study.name)", "trial": "\(number)",
            "worker": "\(trial.worker ?? "")",
        ])
        return .ok(.init(body: .json(try WireValues.trial(trial, study: session.study.name))))
    }

    func listTrials(_ input: Operations.ListTrials.Input) async throws -> Operations.ListTrials.Output {
        let study = try await session(input.path.name, forAsking: false).study
        let query = try TrialListQuery(state: input.query.state, sort: input.query.sort, desc: input.query.desc,
                                       limit: input.query.limit).trialQuery(study: study.name)
        let trials = try await store.trials(query)
        if Self.wantsCSV(input.headers.accept.map(\.contentType.rawValue), jsonByDefault: true) {
            return .ok(.init(body: .csv(Self.csv(trials, study: study))))
        }
        return .ok(.init(body: .json(try WireValues.trials(trials, study: study.name))))
    }

    func pareto(_ input: Operations.Pareto.Input) async throws -> Operations.Pareto.Output {
        let study = try await session(input.path.name, forAsking: false).study
        // As `gpnav pareto`: the study's own objectives unless the query names others.
        let objectives = try input.query.objectives.map(Objective.parseList) ?? Objective.defaults(for: [study])
        let trials = try await ParetoFront.trials(in: store, study: study.name, objectives: objectives)
        if Self.wantsCSV(input.headers.accept.map(\.contentType.rawValue), jsonByDefault: false) {
            return .ok(.init(body: .csv(Self.csv(trials, study: study))))
        }
        return .ok(.init(body: .json(try WireValues.trials(trials, study: study.name))))
    }

    // MARK: Helpers

    /// Whether the Accept header asks for the CSV of `gpnav trials`: when it names `text/csv`, or,
    /// on a route whose default is CSV, when it does not name JSON.
    private static func wantsCSV(_ accepted: [String], jsonByDefault: Bool) -> Bool {
        accepted.contains("text/csv") || (!jsonByDefault && !accepted.contains("application/json"))
    }

    private static func csv(_ trials: [Trial], study: Study) -> HTTPBody {
        let names = study.id.map { [$0: study.name] } ?? [:]
        return HTTPBody(TrialExport.csv(trials, studyNames: names))
    }

    /// The lifecycle events of an ask: the trials claimed, and a model fit when one finished.
    private func logEvents(asked suggestion: StudySuggestion, worker: String, study: String,
                           fitsBefore: ModelFitStatistics, fitsAfter: ModelFitStatistics) {
        for suggested in suggestion.trials {
            logger.info("trial claimed", metadata: [
                "event": "trial_claimed", "study": "\(study)", "trial": "\(suggested.trial.number)",
                "worker": "\(worker)", "proposal": "\(suggested.trial.proposal.kind.rawValue)",
                "phase": "\(suggested.phase.rawValue)",
            ])
        }
        if fitsAfter.fits > fitsBefore.fits {
            logger.info("model fitted", metadata: [
                "event": "model_fitted", "study": "\(study)", "fits": "\(fitsAfter.fits)",
                "seconds": "\(fitsAfter.totalSeconds - fitsBefore.totalSeconds)",
            ])
        }
    }

    static func trialNumber(_ text: String) throws -> Int {
        guard let number = CanonicalInteger.parse(text) else {
            throw APIError.badParameter(name: "number", detail: "not a trial number (a non-negative integer in plain decimal)")
        }
        return number
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
