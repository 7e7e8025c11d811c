import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GPNav
import MobileViT

/// A client of `gpnav serve`'s `/v1` API over plain HTTP (URLSession), for `gpnav worker`.
public struct ServiceClient: Sendable {
    /// The server's base URL, e.g. `http://127.0.0.1:8470`.
    public let baseURL: URL
    let token: String?
    let session: URLSession

    public init(baseURL: URL, token: String?, requestTimeout: Double = 60) {
        self.baseURL = baseURL
        self.token = token
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = requestTimeout
        self.session = URLSession(configuration: configuration)
    }

    /// Claims up to `count` trials of `study` for `worker`.
    public func suggest(study: String, worker: String, count: Int = 1) async throws(ServiceClientError) -> SuggestionReply {
        struct Body: Encodable { var worker: String; var count: Int }
        let data = try await send("POST", path: ["v1", "studies", study, "suggestions"],
                                  body: Body(worker: worker, count: count))
        do {
            return try JSONDecoder().decode(SuggestionReply.self, from: data)
        } catch {
            throw .badReply("suggestion: \(error)")
        }
    }

    /// The stored settings of `study` that a worker uses.
    public func study(_ study: String) async throws(ServiceClientError) -> StudyReply {
        let data = try await send("GET", path: ["v1", "studies", study], body: Optional<Int>.none)
        do {
            return try JSONDecoder().decode(StudyReply.self, from: data)
        } catch {
            throw .badReply("study: \(error)")
        }
    }

    /// Tells the server the trial is still being trained.
    public func heartbeat(study: String, trial: Int) async throws(ServiceClientError) {
        _ = try await send("POST", path: ["v1", "studies", study, "trials", String(trial), "heartbeat"],
                           body: Optional<Int>.none)
    }

    /// Reports a trial's result.
    public func complete(study: String, trial: Int, result: EvaluationResult) async throws(ServiceClientError) {
        struct Body: Encodable { var accuracy: Double; var metrics: [String: Double]; var output: String? }
        _ = try await send("POST", path: ["v1", "studies", study, "trials", String(trial), "complete"],
                           body: Body(accuracy: result.accuracy, metrics: result.metrics, output: result.output))
    }

    /// Reports a trial failed.
    public func fail(study: String, trial: Int, reason: String, output: String?) async throws(ServiceClientError) {
        struct Body: Encodable { var reason: String; var output: String? }
        _ = try await send("POST", path: ["v1", "studies", study, "trials", String(trial), "fail"],
                           body: Body(reason: reason, output: output))
    }

    /// Sends one request; 2xx returns the body, other statuses throw ``ServiceClientError/refused(status:message:)``,
    /// transport failures and 5xx throw ``ServiceClientError/unreachable(_:)`` (worth retrying).
    private func send<Body: Encodable>(_ method: String, path: [String], body: Body?) async throws(ServiceClientError) -> Data {
        // Each component percent-encoded whole, "/" included, so that a study name stays one segment.
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove("/")
        let encoded = path.map { $0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0 }
        let base = baseURL.absoluteString.hasSuffix("/") ? String(baseURL.absoluteString.dropLast()) : baseURL.absoluteString
        guard let url = URL(string: base + "/" + encoded.joined(separator: "/")) else {
            throw .badReply("cannot form a URL from \(baseURL.absoluteString) and \(path.joined(separator: "/"))")
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            do { request.httpBody = try JSONEncoder().encode(body) } catch { throw .badReply("cannot encode the request: \(error)") }
        }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw .unreachable("\(method) \(url.absoluteString): \(error.localizedDescription)")
        }
        guard let http = response as? HTTPURLResponse else { throw .badReply("not an HTTP response") }
        switch http.statusCode {
        case 200..<300:
            return data
        case 500...:
            throw .unreachable("\(method) \(url.path): status \(http.statusCode)")
        default:
            let message = (try? JSONDecoder().decode(ErrorReply.self, from: data))?.error
                ?? String(decoding: data.prefix(200), as: UTF8.self)
            throw .refused(status: http.statusCode, message: message)
        }
    }
}

/// The body of an error answer: `{"error": "one line"}`.
private struct ErrorReply: Decodable {
    var error: String
}

/// The part of a study's settings (`GET /v1/studies/{name}`) a worker uses.
public struct StudyReply: Decodable, Sendable {
    public var name: String
    /// The study's seed: a simulated training takes its noise from it, as `gpnav search` does.
    public var seed: UInt64
}

/// The answer to a suggestion request.
public struct SuggestionReply: Decodable, Sendable {
    /// One claimed trial.
    public struct Trial: Decodable, Sendable {
        public var number: Int
        public var architecture: Architecture
        public var macs: Int
        public var params: Int
        public var leaseSeconds: Double

        private enum CodingKeys: String, CodingKey {
            case number, architecture, macs, params, leaseSeconds = "lease_seconds"
        }
    }

    public var trials: [Trial]
    public var done: Bool
}

/// Why a request to the server did not succeed.
public enum ServiceClientError: UserFacingError, Sendable, Equatable {
    /// No answer (connection refused, time-out) or a server error: worth retrying.
    case unreachable(String)
    /// The server answered with a 4xx status and this message.
    case refused(status: Int, message: String)
    /// The server's answer could not be read.
    case badReply(String)

    public var kind: FailureKind {
        switch self {
        case .refused(404, _): .notFound
        case .refused: .usage
        case .unreachable, .badReply: .database
        }
    }

    public var description: String {
        switch self {
        case .unreachable(let detail): "server unreachable: \(detail)"
        case .refused(let status, let message): "server refused (HTTP \(status)): \(message)"
        case .badReply(let detail): "unreadable server reply: \(detail)"
        }
    }
}
