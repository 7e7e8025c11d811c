import Foundation
import Synchronization

extension ArchitectureSearch {
    /// What the search does with a claimed trial after its latency screening.
    enum Screening {
        /// Train it; the latency in milliseconds to store with its result, when measured.
        case train(latencyMs: Double?)
        /// It ended without training (over budget, or the measurement failed: `failure`).
        case ended(failure: String?)
    }

    /// Screens `next` by its latency when the study has a budget for it, reporting a trial that
    /// ends here as finished.
    func screen(_ next: SuggestedTrial, in session: StudySession, meter: (any LatencyMeter)?,
                progress: @Sendable (SearchEvent) -> Void) async throws -> Screening {
        guard let meter, let verdict = try await session.screenLatency(of: next.trial, meter: meter) else {
            return .train(latencyMs: nil)
        }
        let ended: Trial
        let failure: String?
        switch verdict {
        case .withinBudget(let measurement): return .train(latencyMs: measurement.latencyMs)
        case .overBudget(let trial, _): (ended, failure) = (trial, nil)
        case .failed(let trial, let reason): (ended, failure) = (trial, reason)
        }
        let status = try await session.status()
        progress(.trialFinished(ended, phase: next.phase, best: status.best, completeTrials: status.complete))
        return .ended(failure: failure)
    }

    /// The meter for a study with `settings`: ``latencyMeter``; nil for a study without a latency budget.
    /// - Throws: ``LatencyError/noMeter(study:)`` when the study has a budget and no meter was given.
    func latencyMeter(for settings: StudySettings, study: String) throws -> (any LatencyMeter)? {
        guard settings.latency != nil else { return nil }
        guard let latencyMeter else { throw LatencyError.noMeter(study: study) }
        return latencyMeter
    }
}

/// A meter that counts the measurements it makes, for the search's report.
struct CountingLatencyMeter: LatencyMeter {
    let inner: any LatencyMeter
    let count = Counter()

    final class Counter: Sendable {
        let value = Mutex(0)
    }

    var summary: String { inner.summary }

    func measure(_ request: EvaluationRequest) async throws(LatencyError) -> LatencyReading {
        count.value.withLock { $0 += 1 }
        return try await inner.measure(request)
    }
}
