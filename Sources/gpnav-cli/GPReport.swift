import Foundation
import GaussianProcess
import GPNav

/// What `gpnav gp` prints: the fitted hyperparameters, the log marginal likelihood and, for each
/// query row, the predictive mean and standard deviation (latent, and of a new observation).
struct GPReport: Encodable {
    struct Row: Encodable {
        var inputs: [String: Double]
        var mean: Double
        var std: Double
        var stdWithNoise: Double

        enum CodingKeys: String, CodingKey {
            case inputs, mean, std, stdWithNoise = "std_with_noise"
        }
    }

    var kernel: String
    var inputs: [String]
    var target: String
    var trainingRows: Int
    var logMarginalLikelihood: Double
    var signalVariance: Double
    var lengthScales: [Double]
    var noiseVariance: Double?
    var jitter: Double
    var optimised: Bool
    var restarts: Int
    var seed: UInt64
    var predictions: [Row]

    enum CodingKeys: String, CodingKey {
        case kernel, inputs, target, trainingRows = "training_rows"
        case logMarginalLikelihood = "log_marginal_likelihood", signalVariance = "signal_variance"
        case lengthScales = "length_scales", noiseVariance = "noise_variance", jitter, optimised, restarts, seed, predictions
    }

    /// - Throws: ``GaussianProcessError`` when a prediction is not finite.
    init(fitted: FittedGaussianProcess, inputs: [String], target: String, restarts: Int, seed: UInt64,
         optimised: Bool, queries: Matrix?) throws {
        kernel = fitted.kernel.family.rawValue
        self.inputs = inputs
        self.target = target
        trainingRows = fitted.trainingInputs.rows
        logMarginalLikelihood = fitted.logMarginalLikelihood
        signalVariance = fitted.kernel.signalVariance
        lengthScales = fitted.kernel.lengthScales
        noiseVariance = fitted.kernel.noiseVariance
        jitter = fitted.jitter
        self.optimised = optimised
        self.restarts = restarts
        self.seed = seed
        predictions = []
        if let queries {
            let latent = try fitted.checkedPrediction(queries)
            let observed = try fitted.checkedPrediction(queries, includeNoise: true)
            predictions = (0..<queries.rows).map { i in
                Row(inputs: Dictionary(uniqueKeysWithValues: zip(inputs, queries.row(i))),
                    mean: latent.mean[i], std: latent.standardDeviation[i], stdWithNoise: observed.standardDeviation[i])
            }
        }
    }

    func render(_ format: OutputFormat) throws -> String {
        switch format {
        case .json:
            return try JSONOutput.encode(self) + "\n"
        case .csv:
            if predictions.isEmpty {
                return CSV.format(header: ["parameter", "value"], rows: parameters.map { [$0.name, "\($0.value)"] })
            }
            return CSV.format(header: inputs + ["mean", "std", "std_with_noise"], rows: predictions.map { row in
                inputs.map { "\(row.inputs[$0] ?? .nan)" } + ["\(row.mean)", "\(row.std)", "\(row.stdWithNoise)"]
            })
        case .table:
            var summary = TextTable(header: ["parameter", "value"], alignments: [.left, .right])
            for parameter in parameters { summary.append([parameter.name, Self.short(parameter.value)]) }
            var text = "Gaussian process (\(kernel)) on \(trainingRows) rows, target '\(target)'\n" + summary.render()
            if !predictions.isEmpty {
                var table = TextTable(header: inputs + ["mean", "std", "std_with_noise"],
                                      alignments: Array(repeating: .right, count: inputs.count + 3))
                for row in predictions {
                    table.append(inputs.map { Self.short(row.inputs[$0] ?? .nan) } + [row.mean, row.std, row.stdWithNoise].map(Self.short))
                }
                text += "\n" + table.render()
            }
            return text
        }
    }

    /// Name/value pairs of the fit, in a stable order.
    private var parameters: [(name: String, value: Double)] {
        var result = [("log_marginal_likelihood", logMarginalLikelihood), ("signal_variance", signalVariance)]
        result += zip(inputs, lengthScales).map { ("length_scale_\($0.0)", $0.1) }
        if let noiseVariance { result.append(("noise_variance", noiseVariance)) }
        return result.map { (name: $0.0, value: $0.1) }
    }

    private static func short(_ value: Double) -> String { String(format: "%.6g", value) }
}
