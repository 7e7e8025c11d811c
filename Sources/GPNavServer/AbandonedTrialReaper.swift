import Foundation
import GPNav
import Logging
import ServiceLifecycle

/// Abandons running trials whose heartbeat is older than the lease (the library's rule, in
/// ``TrialLifecycle``), every `interval` seconds, in every study of the store; their
/// architectures become proposable again. Stops at graceful
/// shutdown.
struct AbandonedTrialReaper: Service {
    let sessions: StudySessions
    let metrics: ServiceMetrics
    let interval: Double
    let logger: Logger

    func run() async throws {
        // Ends quietly when shutdown cancels the sleep.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await reapOnce()
                try await Task.sleep(for: .seconds(interval))
            }
        }
    }

    /// One pass over every study; returns how many trials were abandoned.
    @discardableResult
    func reapOnce() async -> Int {
        var reaped = 0
        do {
            for study in try await sessions.store.studies() {
                // Reaping needs no planner: an open session serves, else one made for it alone.
                let session = try await sessions.sessionForRecording(named: study.name)
                let count = try await session.reapAbandoned()
                if count > 0 {
                    logger.info("abandoned trials failed", metadata: [
                        "event": "trials_reaped", "study": "\(study.name)", "count": "\(count)",
                    ])
                }
                reaped += count
            }
        } catch {
            logger.error("reaping abandoned trials failed: \(error)")
        }
        if reaped > 0 { metrics.recordAbandoned(reaped) }
        return reaped
    }
}
