import ArgumentParser
import Foundation
import GPNav
import MobileViT

/// `gpnav latency fit`: fits a target's latency model and reports how well it predicts held-out architectures.
struct LatencyFitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit a device's latency model to its measurements and report its held-out accuracy.",
        usage: "gpnav latency fit [--device <name>] [<options>]",
        discussion: """
            The model is a non-negative combination of a constant, the MACs of each stage, the \
            elements of every layer's output and the numbers of inverted residuals and attention \
            layers, fitted by non-negative least squares on relative errors, with outlying \
            readings down-weighted (Huber), to the measurements of one device, runtime, threads \
            and bits only. Its accuracy is the share \
            of held-out architectures predicted within +/-10 % of their measured median, each held \
            out in turn (leave-one-out cross-validation). Nothing is stored: searches fit the same \
            model from the same measurements.

            Examples:
              gpnav latency fit --device edge
              gpnav latency fit --device edge --threads 4 --format json
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var targetOptions: LatencyTargetOptions

    @Option(help: ArgumentHelp("Architecture family of the model (default \(ArchitectureFamilies.standard.name)).", valueName: "name"))
    var family: String = ArchitectureFamilies.standard.name

    @Option(help: "Output format.")
    var format: ReportFormat = .table

    func run() async throws {
        let family = try ArchitectureFamilies.named(family)
        let store = try await database.openForReading()
        let model = try await LatencyModel.fitted(from: store, family: family, target: targetOptions.target)
        let report = LatencyModelReport(model)
        try StandardStreams.writeOutput(format == .json ? try JSONOutput.encode(report) + "\n" : report.table())
    }
}

/// A fitted latency model as `gpnav latency fit` reports it.
struct LatencyModelReport: Encodable {
    var device: String
    var runtime: String
    var threads: Int
    var bits: Int
    var family: String
    var measurements: Int
    var heldOutWithinTenPercent: Int
    var percentWithinTenPercent: Double
    var rootMeanSquareRelativeError: Double
    var coefficients: [String: Double]
    let terms: [String]

    init(_ model: LatencyModel) {
        device = model.target.device
        runtime = model.target.runtime
        threads = model.target.threads
        bits = model.target.bits
        family = model.features.familyName
        measurements = model.accuracy.heldOut
        heldOutWithinTenPercent = model.accuracy.withinTenPercent
        percentWithinTenPercent = model.accuracy.percentWithinTenPercent
        rootMeanSquareRelativeError = model.accuracy.rootMeanSquareRelativeError
        terms = model.features.names
        coefficients = Dictionary(uniqueKeysWithValues: zip(model.features.names, model.coefficients))
    }

    func table() -> String {
        var lines = [
            "Latency model of \(family) on \(device) (\(runtime), \(threads) thread\(threads == 1 ? "" : "s"), \(bits) bits)",
            "fitted to \(measurements) measurements by robust non-negative least squares on relative errors.",
            String(format: "Held out one at a time: %d of %d architectures within +/-10 %% (%.1f %%); RMS relative error %.1f %%.",
                   heldOutWithinTenPercent, measurements, percentWithinTenPercent, 100 * rootMeanSquareRelativeError),
            "",
        ]
        var table = TextTable(header: ["term", "ms per unit"], alignments: [.left, .right])
        for term in terms { table.append([term, String(format: "%.6g", coefficients[term] ?? 0)]) }
        lines.append(table.render())
        return lines.joined(separator: "\n")
    }

    private enum CodingKeys: String, CodingKey {
        case device, runtime, threads, bits, family, measurements, coefficients
        case heldOutWithinTenPercent = "held_out_within_10_percent", percentWithinTenPercent = "percent_within_10_percent"
        case rootMeanSquareRelativeError = "rms_relative_error"
    }
}
