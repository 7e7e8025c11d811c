import MobileViT

/// What a proposer knows of a study's latency budget: the budget and the latencies measured on
/// its target (by any study on the same device, runtime, threads and bits, never another's).
/// Screening reads measurements only; measuring and storing them is the study session's.
struct LatencyScreen: Sendable {
    var budget: LatencyBudget
    var target: LatencyTarget
    /// Measured median latency in milliseconds, by architecture.
    var measured: [Architecture: Double] = [:]

    /// Keeps `measurements` of the screen's target (any other is ignored).
    mutating func read(_ measurements: [LatencyMeasurement]) {
        measured = [:]
        for measurement in measurements where measurement.target == target {
            measured[measurement.architecture] = measurement.latencyMs
        }
    }

    /// The architectures measured over the budget: never proposed.
    var refused: Set<Architecture> {
        Set(measured.filter { !budget.admits(milliseconds: $0.value) }.keys)
    }
}
