import Foundation
import Hummingbird
import Logging
import Synchronization

/// What a handler tells the access log about its request: the worker it served, when it knows.
/// Handlers run in the task of the middleware that set it (``AccessLogMiddleware``).
final class AccessRecord: Sendable {
    @TaskLocal static var current: AccessRecord?

    private let state = Mutex<String?>(nil)

    var worker: String? { state.withLock { $0 } }

    /// Names the worker of the current request, when the request has a record.
    static func note(worker: String?) {
        guard let worker, let record = current else { return }
        record.state.withLock { $0 = worker }
    }
}

/// One line per request (method, path without the query, status, duration, worker: never a
/// header's value or a body, so no token or result reaches the log) and its count in
/// `gpnav_requests_total` by route pattern. The outermost middleware, so it sees the status the
/// error middleware chose.
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger
    let metrics: ServiceMetrics

    /// The methods counted by name in `gpnav_requests_total`.
    static var countedMethods: Set<String> { ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"] }

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let record = AccessRecord()
        do {
            let response = try await AccessRecord.$current.withValue(record) { try await next(request, context) }
            log(request, context: context, status: Int(response.status.code), started: started, worker: record.worker)
            return response
        } catch {
            log(request, context: context, status: 500, started: started, worker: record.worker)
            throw error
        }
    }

    private func log(_ request: Request, context: Context, status: Int, started: ContinuousClock.Instant, worker: String?) {
        // Hummingbird names no route, or "NotFound", for a path it does not serve.
        let route = context.endpointPath.flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "unmatched"
        // Methods are any token a client sends: only the standard ones name a series of their own.
        let method = Self.countedMethods.contains(request.method.rawValue) ? request.method.rawValue : "other"
        metrics.recordRequest(method: method, route: route, status: status)
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) / 1e15
        var metadata: Logger.Metadata = [
            "event": "request", "method": "\(request.method.rawValue)", "path": "\(request.uri.path)",
            "route": "\(route)", "status": "\(status)", "duration_ms": "\((milliseconds * 1000).rounded() / 1000)",
        ]
        if let worker { metadata["worker"] = "\(worker)" }
        logger.info("\(request.method.rawValue) \(request.uri.path) \(status)", metadata: metadata)
    }
}
