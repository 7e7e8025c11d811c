import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GPNav
import HTTPTypes
import OpenAPIRuntime

/// The transport of the generated client: one URLSession exchange with `gpnav serve`, the bearer
/// token added, redirects confined to the server's origin (``SameOriginRedirects``: a redirect
/// elsewhere is not followed, and its 3xx answer comes back as the reply). URLSession is already
/// in Foundation, so the client needs no second HTTP stack to build. A failure to reach the
/// server is ``ServiceClientError/unreachable(_:)``, with any password in the URL masked. A
/// cancelled caller stops waiting at once; its exchange is left to end by itself, not cancelled.
struct SameOriginTransport: ClientTransport {
    let session: URLSession
    let redirects: SameOriginRedirects
    let token: String?
    /// The most bytes of a request body sent (the server's own limit).
    static let maxRequestBytes = ServerLimits.maxBodyBytes

    func send(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL,
              operationID: String) async throws -> (HTTPResponse, HTTPBody?) {
        let url = Self.url(baseURL, request.path ?? "/")
        guard let url else {
            throw ServiceClientError.badReply(URLRedaction.masked("cannot form a URL from \(baseURL.absoluteString) and \(request.path ?? "")"))
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method.rawValue
        for field in request.headerFields {
            urlRequest.addValue(field.value, forHTTPHeaderField: field.name.canonicalName)
        }
        if let token { urlRequest.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body { urlRequest.httpBody = try await Data(collecting: body, upTo: Self.maxRequestBytes) }
        let data: Data
        let response: URLResponse
        do {
            // Never cancelled mid-exchange: see `abandonedOnCancel`.
            (data, response) = try await abandonedOnCancel { [session, redirects, urlRequest] in
                try await session.data(for: urlRequest, delegate: redirects)
            }
        } catch {
            throw ServiceClientError.unreachable(
                URLRedaction.masked("\(request.method.rawValue) \(url.absoluteString): \(error.localizedDescription)"))
        }
        guard let http = response as? HTTPURLResponse else { throw ServiceClientError.badReply("not an HTTP response") }
        var fields = HTTPFields()
        for case let (name as String, value as String) in http.allHeaderFields {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        return (HTTPResponse(status: .init(code: http.statusCode), headerFields: fields), HTTPBody(data))
    }

    /// `path` (with its query) under `base`, whose own path may end in "/" or not.
    static func url(_ base: URL, _ path: String) -> URL? {
        let text = base.absoluteString.hasSuffix("/") ? String(base.absoluteString.dropLast()) : base.absoluteString
        return URL(string: text + path)
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
