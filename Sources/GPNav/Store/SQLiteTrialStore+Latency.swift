import Foundation
import GRDB

extension SQLiteTrialStore {
    public func saveLatencyMeasurement(_ measurement: LatencyMeasurement) throws {
        let stored = try LatencyRows.checked(measurement)
        try writeImmediate { db in
            try db.execute(sql: """
                INSERT INTO latency_measurements (\(LatencyRows.columns.joined(separator: ", ")))
                VALUES (\(LatencyRows.columns.map { _ in "?" }.joined(separator: ", ")))
                ON CONFLICT (\(LatencyRows.keyColumns.joined(separator: ", "))) DO UPDATE SET \(LatencyRows.replacedColumns)
                """, arguments: [
                    stored.target.device, stored.architecture.canonicalJSON, stored.target.runtime, stored.target.threads,
                    stored.target.bits, stored.latencyMs, stored.spreadMs, stored.cpuMs, StoreTime.text(stored.measuredAt),
                    stored.loadAverage,
                ])
        }
    }

    public func latencyMeasurements(on target: LatencyTarget) throws -> [LatencyMeasurement] {
        try measurements(where: "device = ? AND runtime = ? AND threads = ? AND bits = ?",
                         [target.device, target.runtime, target.threads, target.bits])
    }

    public func latencyMeasurements(device: String?) throws -> [LatencyMeasurement] {
        guard let device else { return try measurements(where: "1", []) }
        return try measurements(where: "device = ?", [device])
    }

    private func measurements(where condition: String, _ arguments: StatementArguments) throws -> [LatencyMeasurement] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(LatencyRows.columns.joined(separator: ", ")) FROM latency_measurements
                WHERE \(condition) ORDER BY \(LatencyRows.order())
                """, arguments: arguments).map { row in
                try LatencyRows.measurement(
                    device: row.decode(forColumn: "device"), architecture: row.decode(forColumn: "architecture"),
                    runtime: row.decode(forColumn: "runtime"), threads: row.decode(forColumn: "threads"),
                    bits: row.decode(forColumn: "bits"), latencyMs: row.decode(forColumn: "latency_ms"),
                    spreadMs: row.decode(forColumn: "latency_spread_ms"), cpuMs: row.decode(forColumn: "cpu_ms"),
                    measuredAt: row.decode(forColumn: "measured_at"), loadAverage: row.decode(forColumn: "load_average"))
            }
        }
    }
}
