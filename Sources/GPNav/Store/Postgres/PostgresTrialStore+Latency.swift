#if PostgreSQL
import Foundation

extension PostgresTrialStore {
    public func saveLatencyMeasurement(_ measurement: LatencyMeasurement) async throws {
        let stored = try LatencyRows.checked(measurement)
        _ = try await transaction { session in
            try await session.rows("""
                INSERT INTO latency_measurements (\(LatencyRows.columns.joined(separator: ", ")))
                VALUES (\((1...LatencyRows.columns.count).map { "$\($0)" }.joined(separator: ", ")))
                ON CONFLICT (\(LatencyRows.keyColumns.joined(separator: ", "))) DO UPDATE SET \(LatencyRows.replacedColumns)
                """, [
                    .text(stored.target.device), .text(stored.architecture.canonicalJSON), .text(stored.target.runtime),
                    .int(stored.target.threads), .int(stored.target.bits), .double(stored.latencyMs),
                    .double(stored.spreadMs), .double(stored.cpuMs), .text(StoreTime.text(stored.measuredAt)),
                    .double(stored.loadAverage),
                ])
        }
    }

    public func latencyMeasurements(on target: LatencyTarget) async throws -> [LatencyMeasurement] {
        try await measurements(where: "device = $1 AND runtime = $2 AND threads = $3 AND bits = $4",
                               [.text(target.device), .text(target.runtime), .int(target.threads), .int(target.bits)])
    }

    public func latencyMeasurements(device: String?) async throws -> [LatencyMeasurement] {
        guard let device else { return try await measurements(where: "TRUE", []) }
        return try await measurements(where: "device = $1", [.text(device)])
    }

    private func measurements(where condition: String, _ values: [PostgresValue]) async throws -> [LatencyMeasurement] {
        try await transaction(readOnly: true) { session in
            try await session.rows("""
                SELECT \(LatencyRows.columns.joined(separator: ", ")) FROM latency_measurements
                WHERE \(condition) ORDER BY \(LatencyRows.order(collation: "\"C\""))
                """, values).map { row in
                try LatencyRows.measurement(
                    device: row.get(0), architecture: row.get(1), runtime: row.get(2), threads: row.int(3),
                    bits: row.int(4), latencyMs: row.get(5), spreadMs: row.get(6), cpuMs: row.get(7, as: Double?.self),
                    measuredAt: row.get(8), loadAverage: row.get(9, as: Double?.self))
            }
        }
    }
}
#endif
