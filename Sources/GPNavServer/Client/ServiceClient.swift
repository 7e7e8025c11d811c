import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GPNav
import MobileViT

/// A client of `gpnav serve`'s `/v1` API over plain HTTP (URLSession), for `gpnav worker`.
///
/// The bearer token goes only to the server's origin (scheme, host and port): a redirect within
/// it is followed, a redirect anywhere else is not, and ends the request with
/// ``ServiceClientError/redirected(to:origin:)``. Every URL in a message has its password masked.
public struct ServiceClient: Sendable {
    /// The server's base URL, e.g. `http://127.0.0.1:8470`.
    public let baseURL: URL
    let origin: Origin
    let token: String?
    let session: URLSession
    let redirects: SameOriginRedirects

    public init(server: ServerURL, token: String?, requestTimeout: Seconds = Seconds(clamping: 60)) {
        self.baseURL = server.url
        self.origin = server.origin
        self.token = token
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = requestTimeout.timeInterval
        let redirects = SameOriginRedirects(origin: server.origin)
        self.redirects = redirects
        self.session = URLSession(configuration: configuration, delegate: redirects, delegateQueue: nil)
    }

    /// Claims up to `count` trials of `study` for `worker`.
    public func suggest(study: String, worker: String, count: Int = 1) async throws(ServiceClientError) -> SuggestionReply {
        struct Body: Encodable { var worker: String; var count: Int }
        let data = try await send("POST", path: ["v1", "studies", study, "suggestions"],
                                  body: Body(worker: worker, count: count))
        do {
            return try JSONDecoder().decode(SuggestionReply.self, from: data)
        } catch {
            throw .badReply("suggestion: \(Self.describe(error))")
        }
    }

    /// The stored settings of `study` that a worker uses.
    public func study(_ study: String) async throws(ServiceClientError) -> StudyReply {
        let data = try await send("GET", path: ["v1", "studies", study], body: Optional<Int>.none)
        do {
            return try JSONDecoder().decode(StudyReply.self, from: data)
        } catch {
            throw .badReply("study: \(Self.describe(error))")
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
    func send<Body: Encodable>(_ method: String, path: [String], body: Body?) async throws(ServiceClientError) -> Data {
        // Each component percent-encoded whole, "/" included, so that a study name stays one segment.
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove("/")
        let encoded = path.map { $0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0 }
        let base = baseURL.absoluteString.hasSuffix("/") ? String(baseURL.absoluteString.dropLast()) : baseURL.absoluteString
        guard let url = URL(string: base + "/" + encoded.joined(separator: "/")) else {
            throw .badReply(URLRedaction.masked("cannot form a URL from \(baseURL.absoluteString) and \(path.joined(separator: "/"))"))
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
            (data, response) = try await session.data(for: request, delegate: redirects)
        } catch {
            throw .unreachable(URLRedaction.masked("\(method) \(url.absoluteString): \(error.localizedDescription)"))
        }
        guard let http = response as? HTTPURLResponse else { throw .badReply("not an HTTP response") }
        switch http.statusCode {
        case 200..<300:
            return data
        case 300..<400:
            // A redirect within the origin was followed by the session: this one leads elsewhere.
            let location = http.value(forHTTPHeaderField: "Location").map { String($0.prefix(300)) } ?? "nowhere"
            let target = URL(string: location, relativeTo: url)?.absoluteURL
            throw .redirected(to: URLRedaction.masked(target?.absoluteString ?? location), origin: origin.description)
        case 500...:
            throw .unreachable("\(method) \(url.path): status \(http.statusCode)")
        default:
            let message = (try? JSONDecoder().decode(ErrorReply.self, from: data))?.error
                ?? String(decoding: data.prefix(200), as: UTF8.self)
            throw .refused(status: http.statusCode, message: message)
        }
    }
}

/// A session delegate that lets a redirect through only when it stays within `origin`; any other
/// is refused, and the 3xx answer itself ends the request.
final class SameOriginRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    let origin: Origin

    init(origin: Origin) { self.origin = origin }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(request.url.flatMap(Origin.init) == origin ? request : nil)
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
        /// How long the claim lasts without a heartbeat; a reply's `lease_seconds` outside
        /// what ``GPNav/Seconds`` admits makes the reply unreadable.
        public var lease: Seconds
        /// The study's full training length in epochs (`epochs` of the config); nil when it sets none.
        public var epochs: Int?

        private enum CodingKeys: String, CodingKey {
            case number, architecture, macs, params, lease = "lease_seconds", config
        }

        private enum ConfigKeys: String, CodingKey { case epochs }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            number = try container.decode(Int.self, forKey: .number)
            architecture = try container.decode(Architecture.self, forKey: .architecture)
            macs = try container.decode(Int.self, forKey: .macs)
            params = try container.decode(Int.self, forKey: .params)
            if container.contains(.config) {
                epochs = try container.nestedContainer(keyedBy: ConfigKeys.self, forKey: .config)
                    .decodeIfPresent(Int.self, forKey: .epochs)
            }
            let seconds = try container.decode(Double.self, forKey: .lease)
            do {
                lease = try Seconds(seconds)
            } catch {
                throw DecodingError.dataCorruptedError(forKey: .lease, in: container, debugDescription: error.description)
            }
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
