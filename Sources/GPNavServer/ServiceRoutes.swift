import Foundation
import GPNav
import Hummingbird

/// The routes about the service itself: liveness, the API document and the metrics.
struct ServiceRoutes: Sendable {
    let sessions: StudySessions
    let metrics: ServiceMetrics

    func register(on router: Router<ServerRequestContext>) {
        router.get("/healthz") { _, _ in
            JSONBody.response(["status": "ok"])
        }
        router.get("/openapi.json") { _, _ in
            JSONBody.response(data: Data(OpenAPIDocument.json.utf8), contentType: "application/json")
        }
        router.get("/metrics") { _, _ in try await exposition() }
    }

    private func exposition() async throws -> Response {
        let summaries = try await sessions.store.studySummaries()
        let fits = await sessions.openSessions.sorted { $0.key < $1.key }.map { name, session in
            let statistics = session.modelFitStatistics
            return (study: name, fits: statistics.fits, seconds: statistics.totalSeconds)
        }
        let cache = ServiceMetrics.StudyCacheState(openStudies: await sessions.openSessions.count,
                                                   estimatedBytes: await sessions.cachedBytes,
                                                   evictions: await sessions.evictions)
        let text = metrics.exposition(summaries: summaries, fits: fits, cache: cache)
        return JSONBody.response(data: Data(text.utf8), contentType: "text/plain; version=0.0.4; charset=utf-8")
    }
}
