import ArgumentParser
import Foundation
import GPNav
import MobileViT

/// `gpnav latency predict`: the latency model's prediction for one architecture, labelled as one.
struct LatencyPredictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict an architecture's latency on a device from the device's latency model.",
        discussion: """
            Prints a prediction, not a measurement: the model's median in milliseconds with its \
            spread (the model's held-out root mean square relative error times the prediction), \
            and the stored measurement beside it when the architecture was measured on the target.

            Examples:
              gpnav latency predict --device edge --resolution 224 --width 0.75
              gpnav latency predict --device edge --model mobilevitv2-0.5 --format json
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var targetOptions: LatencyTargetOptions
    @OptionGroup var architectureOptions: ArchitectureOptions

    @Option(help: "Output format.")
    var format: ReportFormat = .table

    func run() async throws {
        let architecture = try architectureOptions.architecture()
        let target = targetOptions.target
        let store = try await database.openForReading()
        let measurements = try await store.latencyMeasurements(on: target)
        let model = try LatencyModel(family: architecture.family, target: target, measurements: measurements)
        let prediction = try model.predict(architecture)
        let measured = measurements.last { $0.architecture == architecture }
        let report = LatencyPredictionReport(architecture: architecture, target: target, prediction: prediction,
                                             accuracy: model.accuracy, measuredMs: measured?.latencyMs)
        try StandardStreams.writeOutput(format == .json ? try JSONOutput.encode(report) + "\n" : report.text)
    }
}

/// One prediction as `gpnav latency predict` reports it.
struct LatencyPredictionReport: Encodable {
    var architecture: Architecture
    var target: LatencyTarget
    var prediction: LatencyPrediction
    var accuracy: LatencyModelAccuracy
    var measuredMs: Double?

    var text: String {
        var text = "\(architecture) on \(target.text): "
            + String(format: "predicted %.3f ms +/- %.3f ms (a prediction of the latency model, not a measurement; ",
                     prediction.latencyMs, prediction.spreadMs)
        text += String(format: "%d of %d held-out architectures within +/-10 %%)\n", accuracy.withinTenPercent, accuracy.heldOut)
        if let measuredMs { text += String(format: "measured: %.3f ms\n", measuredMs) }
        return text
    }

    private enum CodingKeys: String, CodingKey {
        case architecture, device, runtime, threads, bits, kind, latencyMs = "predicted_latency_ms"
        case spreadMs = "predicted_spread_ms", measuredMs = "measured_latency_ms", heldOut = "held_out"
        case withinTenPercent = "held_out_within_10_percent"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(architecture, forKey: .architecture)
        try container.encode(target.device, forKey: .device)
        try container.encode(target.runtime, forKey: .runtime)
        try container.encode(target.threads, forKey: .threads)
        try container.encode(target.bits, forKey: .bits)
        try container.encode("prediction", forKey: .kind)
        try container.encode(prediction.latencyMs, forKey: .latencyMs)
        try container.encode(prediction.spreadMs, forKey: .spreadMs)
        try container.encode(measuredMs, forKey: .measuredMs)
        try container.encode(accuracy.heldOut, forKey: .heldOut)
        try container.encode(accuracy.withinTenPercent, forKey: .withinTenPercent)
    }
}
