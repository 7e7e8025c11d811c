import Foundation

/// Where latency measurements are kept, per device: every ``TrialStore`` backend implements it.
///
/// One measurement is kept per (device, architecture, runtime, threads, bits); measuring again
/// replaces it. Measurements belong to no study: every study on the same target reuses them.
public protocol LatencyMeasurementStore: Sendable {
    /// Stores `measurement`, replacing the one kept for the same target and architecture.
    func saveLatencyMeasurement(_ measurement: LatencyMeasurement) async throws
    /// The measurements on `target`, oldest first (then by architecture text).
    func latencyMeasurements(on target: LatencyTarget) async throws -> [LatencyMeasurement]
    /// Every measurement (of one device, or all when `device` is nil), by device, runtime, threads,
    /// bits, then oldest first.
    func latencyMeasurements(device: String?) async throws -> [LatencyMeasurement]
}
