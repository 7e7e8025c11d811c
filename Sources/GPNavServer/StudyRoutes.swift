import Foundation
import GPNav
import Hummingbird
import Logging

/// The `/v1` routes: small handlers that decode, call the Study API and encode. Every rule
/// (claiming, resuming, idempotent results, leases, settings, result limits) lives in the
/// library. Each change of a study or trial is logged as a lifecycle event (`event` metadata:
/// `study_created`, `trials_claimed`, `trial_told`, `trial_failed`, `model_fitted`).
struct StudyRoutes: Sendable {
    let sessions: StudySessions
    let metrics: ServiceMetrics
    let leaseSeconds: Double
    let logger: Logger

    var store: any TrialStore { sessions.store }

    func register(on router: Router<ServerRequestContext>) {
        router.post("/v1/studies") { request, context in try await createStudy(request, context) }
        router.get("/v1/studies") { _, _ in try await listStudies() }
        router.get("/v1/studies/{name}") { _, context in try await showStudy(context) }
        router.post("/v1/studies/{name}/suggestions") { request, context in try await suggest(request, context) }
        router.post("/v1/studies/{name}/trials/{number}/heartbeat") { _, context in try await heartbeat(context) }
        router.post("/v1/studies/{name}/trials/{number}/complete") { request, context in try await complete(request, context) }
        router.post("/v1/studies/{name}/trials/{number}/fail") { request, context in try await fail(request, context) }
        router.get("/v1/studies/{name}/trials") { request, context in try await listTrials(request, context) }
        router.get("/v1/studies/{name}/pareto") { request, context in try await pareto(request, context) }
    }

    // MARK: Studies

    func createStudy(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(CreateStudyBody.self, from: request, context: context)
        let (session, created) = try await sessions.createOrOpen(body.name, settings: body.settings)
        if created {
            logger.info("study created", metadata: [
                "event": "study_created", "study": "\(body.name)", "budget": "\(body.settings.budget.limitsText)",
                "target_trials": "\(body.settings.targetTrials)", "family": "\(body.settings.family)",
            ])
        }
        return JSONBody.response(StudyJSON(status: try await session.status()), status: created ? .created : .ok)
    }

    func listStudies() async throws -> Response {
        var studies: [StudyJSON] = []
        for study in try await store.studies() {
            let session = try await sessions.sessionForRecording(named: study.name)
            studies.append(StudyJSON(status: try await session.status()))
        }
        return JSONBody.response(StudyListJSON(studies: studies))
    }

    func showStudy(_ context: ServerRequestContext) async throws -> Response {
        let session = try await session(context, forAsking: false)
        return JSONBody.response(StudyJSON(status: try await session.status()))
    }

    // MARK: Trials

    func suggest(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        let session = try await session(context, forAsking: true)
        let body = try await JSONBody.decode(SuggestionBody.self, from: request, context: context)
        let count = body.count ?? 1
        guard (1...ServerLimits.maxSuggestionCount).contains(count) else {
            throw APIError.badParameter(name: "count", detail: "must be 1 to \(ServerLimits.maxSuggestionCount)")
        }
        let worker = body.worker ?? "anonymous"
        guard !worker.isEmpty, worker.count <= 200, !worker.contains(where: \.isNewline) else {
            throw APIError.badParameter(name: "worker", detail: "must be 1 to 200 characters on one line")
        }
        AccessRecord.note(worker: worker)
        let fitsBefore = session.modelFitStatistics
        // The session plans on a queue of its own, so a model fit here holds up no other request.
        let suggestion = try await session.ask(worker: worker, count: count)
        let name = session.study.name
        logEvents(asked: suggestion, worker: worker, study: name, fitsBefore: fitsBefore, fitsAfter: session.modelFitStatistics)
        let answer = SuggestionJSON(
            trials: suggestion.trials.map { SuggestedTrialJSON(suggested: $0, study: name, leaseSeconds: leaseSeconds) },
            done: suggestion.done, exhausted: suggestion.exhausted)
        metrics.recordAsk(seconds: Self.seconds(ContinuousClock.now - started))
        return JSONBody.response(answer)
    }

    func heartbeat(_ context: ServerRequestContext) async throws -> Response {
        let session = try await session(context, forAsking: false)
        try await session.heartbeat(trial: try Self.trialNumber(context))
        metrics.recordHeartbeat()
        return Response(status: .noContent)
    }

    func complete(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let session = try await session(context, forAsking: false)
        let number = try Self.trialNumber(context)
        let body = try await JSONBody.decode(CompleteBody.self, from: request, context: context)
        let result = EvaluationResult(accuracy: body.accuracy, metrics: body.metrics ?? [:], output: body.output)
        let (trial, accepted) = try await session.tellOnce(trial: number, result: result)
        AccessRecord.note(worker: trial.worker)
        // A repeated result (a worker retrying after a lost answer) is not a new one.
        if accepted {
            metrics.recordTell()
            logger.info("trial told", metadata: [
                "event": "trial_told", "study": "\(session.study.name)", "trial": "\(number)",
                "accuracy": "\(body.accuracy)", "worker": "\(trial.worker ?? "")",
            ])
        }
        return JSONBody.response(TrialJSON(trial, study: session.study.name))
    }

    func fail(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let session = try await session(context, forAsking: false)
        let number = try Self.trialNumber(context)
        let body = try await JSONBody.decode(FailBody.self, from: request, context: context)
        let reason = (body.reason?.isEmpty ?? true) ? "reported failed by the worker" : body.reason ?? ""
        let trial = try await session.fail(trial: number, reason: reason, output: body.output)
        AccessRecord.note(worker: trial.worker)
        metrics.recordFail()
        logger.info("trial failed", metadata: [
            "event": "trial_failed", "study": "\(session.study.name)", "trial": "\(number)",
            "worker": "\(trial.worker ?? "")",
        ])
        return JSONBody.response(TrialJSON(trial, study: session.study.name))
    }

    func listTrials(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let study = try await session(context, forAsking: false).study
        let query = try TrialListQuery(request.uri.queryParameters).trialQuery(study: study.name)
        let trials = try await store.trials(query)
        return try Self.trialsResponse(trials, study: study, request: request, jsonByDefault: true)
    }

    func pareto(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let study = try await session(context, forAsking: false).study
        // As `gpnav pareto`: the study's own objectives unless the query names others.
        let objectives = try request.uri.queryParameters.single("objectives").map(Objective.parseList)
            ?? Objective.defaults(for: [study])
        let trials = try await ParetoFront.trials(in: store, study: study.name, objectives: objectives)
        return try Self.trialsResponse(trials, study: study, request: request, jsonByDefault: false)
    }

    // MARK: Helpers

    /// The session of the study named in the path (percent-decoded: the router leaves `%20` as is):
    /// kept open for asks, the open one or one for this request alone otherwise.
    private func session(_ context: ServerRequestContext, forAsking: Bool) async throws -> StudySession {
        let raw = try context.parameters.require("name")
        guard let name = raw.removingPercentEncoding else {
            throw APIError.badParameter(name: "name", detail: "malformed percent-encoding")
        }
        return forAsking ? try await sessions.session(named: name) : try await sessions.sessionForRecording(named: name)
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

    private static func trialNumber(_ context: ServerRequestContext) throws -> Int {
        guard let number = context.parameters.get("number").flatMap(CanonicalInteger.parse) else {
            throw APIError.badParameter(name: "number", detail: "not a trial number (a non-negative integer in plain decimal)")
        }
        return number
    }

    /// Trials as `{"trials":[...]}` or as the CSV of `gpnav trials`, as the Accept header asks.
    private static func trialsResponse(_ trials: [Trial], study: Study, request: Request,
                                       jsonByDefault: Bool) throws -> Response {
        let accept = request.headers[.accept] ?? ""
        let wantsCSV = accept.contains("text/csv") || (!jsonByDefault && !accept.contains("application/json"))
        guard wantsCSV else {
            return JSONBody.response(TrialListJSON(trials: trials.map { TrialJSON($0, study: study.name) }))
        }
        let names = study.id.map { [$0: study.name] } ?? [:]
        return JSONBody.response(data: Data(TrialExport.csv(trials, studyNames: names).utf8),
                                 contentType: "text/csv; charset=utf-8")
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
