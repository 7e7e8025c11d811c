import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GPNav
import MobileViT
import OpenAPIRuntime

/// A client of `gpnav serve`'s `/v1` API for `gpnav worker`: the client generated from
/// `openapi.json`, over URLSession (``SameOriginTransport``).
///
/// The bearer token goes only to the server's origin (scheme, host and port): a redirect within
/// it is followed, a redirect anywhere else is not, and ends the request with
/// ``ServiceClientError/redirected(to:origin:)``. Every URL in a message has its password masked.
public struct ServiceClient: Sendable {
    /// The server's base URL, e.g. `http://127.0.0.1:8470`.
    public let baseURL: URL
    let client: Client

    public init(server: ServerURL, token: String?, requestTimeout: Seconds = Seconds(clamping: 60)) {
        self.baseURL = server.url
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = requestTimeout.timeInterval
        let redirects = SameOriginRedirects(origin: server.origin)
        let session = URLSession(configuration: configuration, delegate: redirects, delegateQueue: nil)
        client = Client(serverURL: server.url, configuration: GPNavAPI.configuration,
                        transport: SameOriginTransport(session: session, redirects: redirects, token: token),
                        middlewares: [ReplyStatusMiddleware(origin: server.origin)])
    }

    /// Claims up to `count` trials of `study` for `worker`; with `resumes` (the worker can
    /// continue a paused training), a paused trial may be among them
    /// (``SuggestionReply/Trial/resumedAfterEpoch``).
    public func suggest(study: String, worker: String, count: Int = 1,
                        resumes: Bool = false) async throws(ServiceClientError) -> SuggestionReply {
        try await call("suggestion") {
            // An old server reads the key it does not know as no key at all; false is not sent.
            let body = Components.Schemas.SuggestionRequest(worker: worker, count: count, resumes: resumes ? true : nil)
            let reply = try await client.suggest(path: .init(name: study), body: .json(body))
            return try SuggestionReply(try reply.ok.body.json, resumes: resumes)
        }
    }

    /// The stored settings of `study` that a worker uses.
    public func study(_ study: String) async throws(ServiceClientError) -> StudyReply {
        try await call("study") {
            let reply = try await client.getStudy(path: .init(name: study)).ok.body.json
            return StudyReply(name: reply.name, seed: reply.seed)
        }
    }

    /// Tells the server the trial is still being trained.
    public func heartbeat(study: String, trial: Int) async throws(ServiceClientError) {
        try await call("heartbeat") {
            _ = try await client.heartbeat(path: .init(name: study, number: String(trial))).noContent
        }
    }

    /// Sends one point of a trial's learning curve; returns whether the server says to stop training.
    /// With `resumable` (this training can be continued later), a stop may be a pause.
    public func report(study: String, trial: Int, _ report: EpochReport,
                       resumable: Bool = false) async throws(ServiceClientError) -> Bool {
        try await call("report") {
            let body = Components.Schemas.EpochReport(epoch: report.epoch, accuracy: report.accuracy,
                                                      resumable: resumable ? true : nil)
            return try await client.reportEpoch(path: .init(name: study, number: String(trial)), body: .json(body))
                .ok.body.json.prune
        }
    }

    /// Reports a trial's result.
    public func complete(study: String, trial: Int, result: EvaluationResult) async throws(ServiceClientError) {
        let body = Components.Schemas.Result(accuracy: result.accuracy, metrics: .init(additionalProperties: result.metrics),
                                             output: result.output)
        try await call("result") {
            _ = try await client.completeTrial(path: .init(name: study, number: String(trial)), body: .json(body)).ok
        }
    }

    /// Reports a trial failed.
    public func fail(study: String, trial: Int, reason: String, output: String?) async throws(ServiceClientError) {
        try await call("failure") {
            _ = try await client.failTrial(path: .init(name: study, number: String(trial)),
                                           body: .json(.init(reason: reason, output: output))).ok
        }
    }

    /// Gives trial `trial` up because this worker stopped its training (the study abandons it and
    /// may train its architecture again), as an interrupted `gpnav search` does with its own.
    public func abandon(study: String, trial: Int, reason: String) async throws(ServiceClientError) {
        try await call("failure") {
            _ = try await client.failTrial(path: .init(name: study, number: String(trial)),
                                           body: .json(.init(reason: reason, abandoned: true))).ok
        }
    }

    /// Runs one call of the generated client; its errors become ``ServiceClientError``: the
    /// transport's and the status middleware's as they are, an unreadable reply as
    /// ``ServiceClientError/badReply(_:)`` naming `what` was read.
    func call<T>(_ what: String, _ body: () async throws -> T) async throws(ServiceClientError) -> T {
        do {
            return try await body()
        } catch let error as ServiceClientError {
            throw error
        } catch let error as ClientError {
            if let cause = error.underlyingError as? ServiceClientError { throw cause }
            throw .badReply("\(what): \(Self.describe(error.underlyingError))")
        } catch {
            throw .badReply("\(what): \(Self.describe(error))")
        }
    }
}

extension ServiceClient {
    /// A decoding error as one line: where in the reply, and what.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return String(describing: error).prefix(300).description }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing \(path(context.codingPath + [key]))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at \(path(context.codingPath))"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "unreadable"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}

/// The part of a study's settings (`GET /v1/studies/{name}`) a worker uses.
public struct StudyReply: Sendable {
    public var name: String
    /// The study's seed: a simulated training takes its noise from it, as `gpnav search` does.
    public var seed: UInt64
}

/// The answer to a suggestion request.
public struct SuggestionReply: Sendable {
    /// One claimed trial.
    public struct Trial: Sendable {
        public var number: Int
        public var architecture: Architecture
        public var macs: Int
        public var params: Int
        /// How long the claim lasts without a heartbeat; a reply's `lease_seconds` outside
        /// what ``GPNav/Seconds`` admits makes the reply unreadable.
        public var lease: Seconds
        /// The study's full training length in epochs (`epochs` of the config); nil when it sets none.
        public var epochs: Int?
        /// The abandoned trial of the same architecture this one retries, whose checkpoint its
        /// training may resume from; nil when it retries none.
        public var retriedTrial: Int?
        /// The epochs this paused trial trained before: its training goes on from there; nil for
        /// a training from scratch. Only a worker that asked with `resumes` gets one.
        public var resumedAfterEpoch: Int?
    }

    public var trials: [Trial]
    public var done: Bool

    /// The reply's values; a lease outside what ``GPNav/Seconds`` admits, or a continued trial
    /// the asker cannot continue (`resumes` false, or an epoch outside the study's length), is
    /// ``ServiceClientError/badReply(_:)``.
    init(_ reply: Components.Schemas.Suggestion, resumes: Bool) throws(ServiceClientError) {
        trials = try reply.trials.map { (trial) throws(ServiceClientError) in
            let lease: Seconds
            do {
                lease = try Seconds(trial.leaseSeconds)
            } catch {
                throw .badReply("suggestion: lease_seconds: \(error)")
            }
            // A trial retries only earlier trials: any other number would name another trial's files.
            if let retried = trial.retriedTrial, !(0..<trial.number).contains(retried) {
                throw .badReply("suggestion: retried_trial \(retried) is not an earlier trial than \(trial.number)")
            }
            let epochs = try Self.epochs(in: trial.config)
            if let after = trial.resumedAfterEpoch {
                // Trained again from scratch, the epochs before would be reported twice.
                guard resumes else {
                    throw .badReply("suggestion: trial \(trial.number) continues after epoch \(after), but this worker does not resume")
                }
                guard after >= 0, after < epochs ?? Int.max else {
                    throw .badReply("suggestion: resumed_after_epoch \(after) is not within the study's \(epochs.map(String.init) ?? "unset") epochs")
                }
            }
            return Trial(number: trial.number, architecture: trial.architecture, macs: trial.macs, params: trial.params,
                         lease: lease, epochs: epochs, retriedTrial: trial.retriedTrial,
                         resumedAfterEpoch: trial.resumedAfterEpoch)
        }
        done = reply.done
    }

    /// The `epochs` of a suggested trial's config: absent or null when the study sets none, else
    /// a whole number (anything else makes the reply unreadable).
    private static func epochs(in config: OpenAPIObjectContainer?) throws(ServiceClientError) -> Int? {
        guard let value = config?.value["epochs"], let value else { return nil }
        guard let epochs = value as? Int else { throw .badReply("suggestion: config.epochs is not a whole number") }
        return epochs
    }
}

/// Why a request to the server did not succeed.
public enum ServiceClientError: UserFacingError, Sendable, Equatable {
    /// No answer (connection refused, time-out) or a server error: worth retrying.
    case unreachable(String)
    /// The server answered with a 4xx status and this message.
    case refused(status: Int, message: String)
    /// The server redirected to a URL of another origin, which was not followed.
    case redirected(to: String, origin: String)
    /// The server's answer could not be read.
    case badReply(String)

    public var kind: FailureKind {
        switch self {
        case .refused(404, _): .notFound
        case .refused, .redirected: .usage
        case .unreachable, .badReply: .database
        }
    }

    public var description: String {
        switch self {
        case .unreachable(let detail): "server unreachable: \(detail)"
        case .refused(let status, let message): "server refused (HTTP \(status)): \(message)"
        case .badReply(let detail): "unreadable server reply: \(detail)"
        case .redirected(let target, let origin):
            "the server redirected to \(target), outside \(origin); redirects to another origin are not followed, "
                + "so that the token is not sent there"
        }
    }
}
