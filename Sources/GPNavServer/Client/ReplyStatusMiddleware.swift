import Foundation
import GPNav
import HTTPTypes
import OpenAPIRuntime

/// Turns every answer of the server but a 2xx into a ``ServiceClientError`` before the generated
/// client reads it: a 3xx is a redirect that was not followed (it leads outside the server's
/// origin), 5xx is worth retrying, other statuses are refusals with the server's one-line message.
struct ReplyStatusMiddleware: ClientMiddleware {
    let origin: Origin

    func intercept(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
                   next: (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?))
        async throws -> (HTTPResponse, HTTPBody?) {
        let (response, responseBody) = try await next(request, body, baseURL)
        let status = response.status.code
        let method = request.method.rawValue
        let url = SameOriginTransport.url(baseURL, request.path ?? "/")
        switch status {
        case 200..<300:
            return (response, responseBody)
        case 300..<400:
            let location = response.headerFields[.location].map { String($0.prefix(300)) } ?? "nowhere"
            let target = url.flatMap { URL(string: location, relativeTo: $0)?.absoluteURL }
            throw ServiceClientError.redirected(to: URLRedaction.masked(target?.absoluteString ?? location),
                                                origin: origin.description)
        case 500...:
            throw ServiceClientError.unreachable("\(method) \(url?.path ?? ""): status \(status)")
        default:
            var data = Data()
            if let responseBody { data = try await Data(collecting: responseBody, upTo: 1 << 20) }
            let message = (try? JSONDecoder().decode(Components.Schemas._Error.self, from: data))?.error
                ?? String(decoding: data.prefix(200), as: UTF8.self)
            throw ServiceClientError.refused(status: status, message: message)
        }
    }
}
