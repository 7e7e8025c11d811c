/// What one search run's latency screening did (``SearchReport/latency``): what was measured and
/// refused after measuring, and what the device's latency model refused before measuring.
public struct LatencySearchCounts: Sendable, Hashable, Codable {
    /// Measurements the run's latency command made (stored measurements reused are not counted).
    public var measurements: Int
    /// Claimed trials whose measurement the budget did not admit (stored pruned, not trained).
    public var refusedAfterMeasuring: Int
    /// Claimed trials whose measurement failed.
    public var failedMeasurements: Int
    /// Distinct unmeasured architectures the latency model judged, and those it refused as
    /// clearly over the budget (never proposed, so never measured).
    public var screenedByModel: Int
    public var refusedByModel: Int

    public init(measurements: Int, refusedAfterMeasuring: Int, failedMeasurements: Int, screenedByModel: Int,
                refusedByModel: Int) {
        self.measurements = measurements
        self.refusedAfterMeasuring = refusedAfterMeasuring
        self.failedMeasurements = failedMeasurements
        self.screenedByModel = screenedByModel
        self.refusedByModel = refusedByModel
    }

    enum CodingKeys: String, CodingKey {
        case measurements, refusedAfterMeasuring = "refused_after_measuring", failedMeasurements = "failed_measurements"
        case screenedByModel = "screened_by_model", refusedByModel = "refused_by_model"
    }
}
