import ArgumentParser
import Foundation
import GPNav
import MobileViT

/// `gpnav latency measure`: measures one architecture with a latency command and stores it.
struct LatencyMeasureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measure",
        abstract: "Measure an architecture's latency with a latency command and store it for its device.",
        discussion: """
            Runs the command once (its {config} is the architecture's JSON configuration), checks \
            that it measured the target's runtime, threads and precision, and stores the \
            measurement, replacing an earlier one of the same architecture on the same target.

            Example:
              gpnav latency measure --device edge --resolution 224 --width 0.75 \\
                --latency-command 'python -m gpnav_torch.latency --config {config}'
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var targetOptions: LatencyTargetOptions
    @OptionGroup var architectureOptions: ArchitectureOptions

    @Option(help: ArgumentHelp("Command that measures and prints one JSON line with latency_ms.", valueName: "command"))
    var latencyCommand: String

    @Option(help: ArgumentHelp("Time limit of the measurement (default 600).", valueName: "seconds"),
            transform: ArgumentRange.seconds(positive: true))
    var latencyTimeout = Seconds(clamping: 600)

    @Option(help: "Output format.")
    var format: ReportFormat = .table

    func validate() throws {
        if latencyCommand.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--latency-command is empty") }
    }

    func run() async throws {
        let architecture = try architectureOptions.architecture()
        let meter = LatencyCommand(commandTemplate: latencyCommand, timeout: latencyTimeout.duration,
                                   configDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("gpnav-latency"))
        let measurement = try await meter.measurement(of: architecture, on: targetOptions.target, study: "gpnav-latency-measure",
                                                      trialNumber: 0)
        let store = try await database.openForWriting(create: true)
        try await store.saveLatencyMeasurement(measurement)
        let record = LatencyMeasurementRecord(measurement)
        let text = format == .json ? try JSONOutput.encode(record) + "\n"
            : "\(architecture) on \(measurement.target.text): "
                + String(format: "measured %.3f ms (spread %.3f ms); stored.\n", measurement.latencyMs, measurement.spreadMs)
        try StandardStreams.writeOutput(text)
    }
}
