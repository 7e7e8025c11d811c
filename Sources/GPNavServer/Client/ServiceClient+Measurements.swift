import Foundation
import GPNav
import MobileViT

/// One architecture a study on a device waits to have measured before it trains it, the target
/// (runtime, threads, bits) to measure it on, and the study's latency budget, by which the
/// worker decides whether to read it again (``LatencyBudget/judgedMeasurement(reading:)``).
public struct WantedMeasurement: Sendable, Hashable {
    public var study: String
    public var architecture: Architecture
    public var target: LatencyTarget
    public var budget: LatencyBudget
}

/// A trial a study stored failed because a wanted architecture could not be measured.
public struct FailedMeasurementTrial: Sendable, Hashable {
    public var study: String
    public var trial: Int
}

extension ServiceClient {
    /// The architectures the studies measured on `device` wait for.
    /// - Throws: ``ServiceClientError/badReply(_:)`` also when an entry's budget or target is not
    ///   one a study could have (``LatencyBudget/validate()``): the worker judges its readings by
    ///   that budget, so it does not take the server's word for it.
    public func wantedMeasurements(device: String) async throws(ServiceClientError) -> [WantedMeasurement] {
        try await call("wanted measurements") {
            try await client.wantedMeasurements(path: .init(name: device)).ok.body.json.wanted.map { wanted in
                let budget = LatencyBudget(maxMs: wanted.maxMs, device: device, runtime: wanted.runtime,
                                           threads: wanted.threads, admissionSpreads: wanted.admissionSpreads)
                let target = LatencyTarget(device: device, runtime: wanted.runtime, threads: wanted.threads,
                                           bits: wanted.bits)
                do throws(LatencyError) {
                    try budget.validate()
                    try target.validate()
                } catch {
                    throw ServiceClientError.badReply("wanted measurements: \(error.description)")
                }
                return WantedMeasurement(study: wanted.study, architecture: wanted.architecture, target: target,
                                         budget: budget)
            }
        }
    }

    /// Stores `reading`, a latency command's report of `architecture` on `target`, on the server.
    public func saveMeasurement(_ reading: LatencyReading, of architecture: Architecture,
                                on target: LatencyTarget) async throws(ServiceClientError) {
        let body = Components.Schemas.DeviceMeasurement(
            architecture: architecture, runtime: target.runtime, threads: target.threads, bits: target.bits,
            reading: .init(latencyMs: reading.latencyMs, latencySpreadMs: reading.spreadMs, cpuMs: reading.cpuMs,
                           runtime: reading.runtime, threads: reading.threads, precision: reading.precision,
                           device: reading.hardware, loadAverage1m: reading.loadAverage))
        try await call("measurement") {
            _ = try await client.saveMeasurement(path: .init(name: target.device), body: .json(body)).noContent
        }
    }

    /// Reports that the latency command could not measure `architecture` on `target`, for `reason`
    /// (sent as ``MeasurementFailureReason/bounded(_:)`` makes it); the failed trials the studies
    /// that waited for it stored (none when none waits now).
    public func reportMeasurementFailure(of architecture: Architecture, on target: LatencyTarget,
                                         reason: String) async throws(ServiceClientError) -> [FailedMeasurementTrial] {
        let body = Components.Schemas.MeasurementFailure(
            architecture: architecture, runtime: target.runtime, threads: target.threads, bits: target.bits,
            error: MeasurementFailureReason.bounded(reason))
        return try await call("failed measurement") {
            try await client.reportMeasurementFailure(path: .init(name: target.device), body: .json(body)).ok.body.json
                .failedTrials.map { FailedMeasurementTrial(study: $0.study, trial: $0.trial) }
        }
    }
}
