import Foundation
import MobileViT

/// The `latency_measurements` table's columns, and a stored row read back into a value, for both
/// backends.
enum LatencyRows {
    /// The columns, in the order both backends write and read them.
    static let columns = ["device", "architecture", "runtime", "threads", "bits", "latency_ms", "latency_spread_ms",
                          "cpu_ms", "measured_at", "load_average"]
    /// The columns of a measurement's key, which a new measurement replaces the old one under.
    static let keyColumns = ["device", "runtime", "threads", "bits", "architecture"]
    /// The order measurements are listed in, with texts compared by `collation` (PostgreSQL's "C",
    /// so that both backends compare text byte by byte, as SQLite does by default).
    static func order(collation: String = "") -> String {
        let text = { (column: String) in collation.isEmpty ? column : "\(column) COLLATE \(collation)" }
        return [text("device"), text("runtime"), "threads", "bits", "measured_at", text("architecture")]
            .joined(separator: ", ")
    }

    /// The columns a measurement replaces, as `column = excluded.column` (an upsert's update).
    static var replacedColumns: String {
        columns.filter { !keyColumns.contains($0) }.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
    }

    /// Checks the numbers of `measurement` can be stored (finite, a positive latency).
    static func checked(_ measurement: LatencyMeasurement) throws -> LatencyMeasurement {
        for (what, value) in [("latency_ms", measurement.latencyMs), ("latency_spread_ms", measurement.spreadMs),
                              ("cpu_ms", measurement.cpuMs), ("load_average", measurement.loadAverage)] {
            _ = try SQLiteRows.finite(value, what: what)
        }
        guard measurement.latencyMs > 0, measurement.spreadMs >= 0, measurement.target.threads >= 1,
              measurement.target.bits >= 1, !measurement.target.device.isEmpty else {
            throw StoreError.invalidValue("a latency measurement needs a device name, a latency above 0 ms, a spread "
                                          + "of at least 0 ms, and at least 1 thread and 1 bit")
        }
        return measurement
    }

    /// The measurement a stored row holds.
    static func measurement(device: String, architecture: String, runtime: String, threads: Int, bits: Int,
                            latencyMs: Double, spreadMs: Double, cpuMs: Double?, measuredAt: String,
                            loadAverage: Double?) throws -> LatencyMeasurement {
        guard let time = try SQLiteRows.time(measuredAt, what: "a latency measurement's measured_at") else {
            throw StoreError.corruptRow("a latency measurement has no time")
        }
        return LatencyMeasurement(
            target: LatencyTarget(device: device, runtime: runtime, threads: threads, bits: bits),
            architecture: try SQLiteRows.architecture(architecture, what: "a latency measurement"),
            latencyMs: latencyMs, spreadMs: spreadMs, cpuMs: cpuMs, measuredAt: time, loadAverage: loadAverage)
    }
}
