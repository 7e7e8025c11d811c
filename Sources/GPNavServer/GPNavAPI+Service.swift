import Foundation
import GPNav
import OpenAPIRuntime

/// The operations about the service itself: liveness, the API document and the metrics.
extension GPNavAPI {
    func health(_ input: Operations.Health.Input) async throws -> Operations.Health.Output {
        .ok(.init(body: .json(.init(status: .ok))))
    }

    func openapi(_ input: Operations.Openapi.Input) async throws -> Operations.Openapi.Output {
        .ok(.init(body: .json(try OpenAPIDocument.object())))
    }

    func metrics(_ input: Operations.Metrics.Input) async throws -> Operations.Metrics.Output {
        let summaries = try await store.studySummaries()
        let fits = await sessions.openSessions.sorted { $0.key < $1.key }.map { name, session in
            let statistics = session.modelFitStatistics
            return (study: name, fits: statistics.fits, seconds: statistics.totalSeconds)
        }
        let cache = ServiceMetrics.StudyCacheState(openStudies: await sessions.openSessions.count,
                                                   estimatedBytes: await sessions.cachedBytes,
                                                   evictions: await sessions.evictions)
        let text = serviceMetrics.exposition(summaries: summaries, fits: fits, cache: cache)
        return .ok(.init(body: .plainText(HTTPBody(text))))
    }
}
