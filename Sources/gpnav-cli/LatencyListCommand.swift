import ArgumentParser
import Foundation
import GPNav
import MobileViT

/// `gpnav latency list`: the stored latency measurements.
struct LatencyListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List stored latency measurements (the default): one device's, or every device's.",
        usage: "gpnav latency list [--device <name>] [<options>]",
        discussion: """
            Measured medians of one forward pass in milliseconds (latency_ms, wall time), their \
            spread (the interquartile range), the CPU time and the load average when measured. \
            Reads the database only.

            Examples:
              gpnav latency list
              gpnav latency list --device edge --format csv
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("Only this device's measurements (default: every device's).", valueName: "name"))
    var device: String?

    @Option(help: "Output format.")
    var format: OutputFormat = .table

    func run() async throws {
        let store = try await database.openForReading()
        let records = try await store.latencyMeasurements(device: device).map(LatencyMeasurementRecord.init)
        let text: String
        switch format {
        case .json: text = try JSONOutput.encode(records) + "\n"
        case .csv: text = CSV.format(header: LatencyMeasurementRecord.csvHeader, rows: records.map(\.csvFields))
        case .table: text = records.isEmpty ? "No latency measurements\(device.map { " on \($0)" } ?? "").\n" : Self.table(records)
        }
        try StandardStreams.writeOutput(text)
    }

    static func table(_ records: [LatencyMeasurementRecord]) -> String {
        var table = TextTable(header: ["device", "runtime", "threads", "bits", "architecture", "MACs", "latency ms",
                                       "spread ms", "cpu ms", "load", "measured"],
                              alignments: [.left, .left, .right, .right, .left, .right, .right, .right, .right, .right, .left])
        for record in records {
            table.append([record.device, record.runtime, String(record.threads), String(record.bits),
                          record.architecture.description, Quantity.formatCount(record.macs),
                          String(format: "%.3f", record.latencyMs), String(format: "%.3f", record.spreadMs),
                          record.cpuMs.map { String(format: "%.3f", $0) } ?? "-",
                          record.loadAverage.map { String(format: "%.2f", $0) } ?? "-", String(record.measuredAt.prefix(16))])
        }
        return table.render()
    }
}

/// One measurement as `gpnav latency list --format json|csv` writes it.
struct LatencyMeasurementRecord: Encodable {
    var device: String
    var runtime: String
    var threads: Int
    var bits: Int
    var architecture: Architecture
    var macs: Int
    var params: Int
    var latencyMs: Double
    var spreadMs: Double
    var cpuMs: Double?
    var loadAverage: Double?
    var measuredAt: String

    init(_ measurement: LatencyMeasurement) {
        device = measurement.target.device
        runtime = measurement.target.runtime
        threads = measurement.target.threads
        bits = measurement.target.bits
        architecture = measurement.architecture
        let cost = CostModel.cost(of: measurement.architecture)
        macs = cost.macs
        params = cost.params
        latencyMs = measurement.latencyMs
        spreadMs = measurement.spreadMs
        cpuMs = measurement.cpuMs
        loadAverage = measurement.loadAverage
        measuredAt = TrialExport.timeText(measurement.measuredAt)
    }

    static let csvHeader = ["device", "runtime", "threads", "bits", "family", "architecture", "macs", "params",
                            "latency_ms", "latency_spread_ms", "cpu_ms", "load_average_1m", "measured_at"]

    var csvFields: [String] {
        [device, runtime, String(threads), String(bits), architecture.familyName, architecture.description, String(macs),
         String(params), String(latencyMs), String(spreadMs), cpuMs.map { String($0) } ?? "",
         loadAverage.map { String($0) } ?? "", measuredAt]
    }

    private enum CodingKeys: String, CodingKey {
        case device, runtime, threads, bits, architecture, macs, params, latencyMs = "latency_ms"
        case spreadMs = "latency_spread_ms", cpuMs = "cpu_ms", loadAverage = "load_average_1m", measuredAt = "measured_at"
    }
}
