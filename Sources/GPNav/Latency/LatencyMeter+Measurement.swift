import Foundation
import MobileViT

extension LatencyMeter {
    /// Measures `architecture` once and returns the measurement on `target`, taken now.
    /// - Throws: ``LatencyError/measurementFailed(_:)``, or ``LatencyError/targetMismatch(_:)``
    ///   when the meter reports another runtime, thread count or precision than the target's.
    public func measurement(of architecture: Architecture, on target: LatencyTarget, study: String,
                            trialNumber: Int) async throws(LatencyError) -> LatencyMeasurement {
        let cost = CostModel.cost(of: architecture)
        let request = EvaluationRequest(architecture: architecture, macs: cost.macs, params: cost.params, study: study,
                                        trialNumber: trialNumber)
        return try await measure(request).measurement(of: architecture, on: target, at: Date())
    }
}

extension LatencyModel {
    /// The model of `family` on `target`, fitted to `store`'s measurements of that target only.
    /// - Throws: ``LatencyModelError``, or the store's errors.
    public static func fitted(from store: any LatencyMeasurementStore, family: any ArchitectureFamily,
                              target: LatencyTarget) async throws -> LatencyModel {
        try LatencyModel(family: family, target: target, measurements: try await store.latencyMeasurements(on: target))
    }
}
