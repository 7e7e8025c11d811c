import HTTPTypes
import OpenAPIRuntime

/// A transport that registers only the operations that read (GET): the read-only dashboard serves
/// the API's read routes through the same generated code as `gpnav serve`, and its write routes
/// do not exist at all (a POST to a read route is a 405, to a write route a 404), so no handler
/// that changes a study can be reached, whatever the request.
struct ReadOnlyTransport<Inner: ServerTransport>: ServerTransport {
    let inner: Inner

    func register(
        _ handler: @Sendable @escaping (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?),
        method: HTTPRequest.Method, path: String
    ) throws {
        guard method == .get else { return }
        try inner.register(handler, method: method, path: path)
    }
}
