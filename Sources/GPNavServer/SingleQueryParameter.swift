import Hummingbird

/// Refuses a request that gives a query parameter more than once (400, naming it), as a key given
/// twice in a body is refused: readers (proxies, logs, this router) disagree on which value counts.
struct SingleQueryParametersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        var seen = Set<Substring>()
        for (name, _) in request.uri.queryParameters where !seen.insert(name).inserted {
            throw APIError.badParameter(name: String(name), detail: "given more than once")
        }
        return try await next(request, context)
    }
}
