import ArgumentParser
import Foundation
import GaussianProcess
import GPNav

/// `gpnav gp`: fit a Gaussian process to any numeric CSV table and predict new rows.
struct GPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gp",
        abstract: "Fit a Gaussian process to a numeric CSV table and predict new rows.",
        discussion: """
            Every column of the training table except --target is an input, used as given (no \
            scaling); the target is normalised to zero mean and unit standard deviation. The \
            hyperparameters are fitted by maximising the log marginal likelihood, unless --fixed. \
            A white-noise variance is learned too, unless --no-noise (exact observations).

            Examples:
              gpnav gp --train runs.csv --target accuracy --predict candidates.csv
              gpnav gp --train runs.csv --target y --restarts 5 --format json
              gpnav gp --train exact.csv --target y --no-noise
              gpnav gp --train t.csv --target y --length-scales 0.5,0.7,0.9 --fixed
            """
    )

    @Option(help: ArgumentHelp("Training table (CSV with a header; numbers only).", valueName: "path"))
    var train: String

    @Option(help: ArgumentHelp("The column to model; every other column is an input.", valueName: "column"))
    var target: String

    @Option(help: ArgumentHelp("Rows to predict: a CSV holding every input column (others are ignored).", valueName: "path"))
    var predict: String?

    @Option(help: "Kernel family: matern52, matern32 or rbf.")
    var kernel: KernelFamily = .matern52

    @Option(name: .customLong("length-scales"),
            help: ArgumentHelp("Initial (or, with --fixed, final) length scales, one per input column (default 1 each).", valueName: "a,b,..."))
    var lengthScalesText: String?

    @Option(name: .customLong("signal-variance"), help: ArgumentHelp("Initial signal variance (amplitude as a variance; default 1).", valueName: "V"),
            transform: ArgumentRange.number(1e-100...1e100))
    var signalVariance: Double = 1

    @Option(name: .customLong("noise-variance"), help: ArgumentHelp(
        "Initial white-noise variance, in normalised units (default \(Self.initialNoiseVariance); with --fixed, the value used, and no noise term without it).",
        valueName: "N"),
            transform: ArgumentRange.number(1e-100...1e100))
    var noiseVariance: Double?

    @Flag(name: .customLong("no-noise"), help: "Fit no white-noise term: the observations are taken as exact.")
    var noNoise = false

    @Option(help: ArgumentHelp("Diagonal term added to K in normalised units, as scikit-learn's alpha (default 1e-10).", valueName: "A"),
            transform: ArgumentRange.number(0...1e100))
    var alpha: Double = 1e-10

    @Flag(help: "Keep the given hyperparameters; do not optimise them.")
    var fixed = false

    @Option(help: ArgumentHelp("Random restarts of the optimiser (0 to 100, default 0), drawn log-uniformly within the bounds.",
                               valueName: "n"),
            transform: ArgumentRange.count(0...100))
    var restarts: Int = 0

    @Option(help: "Seed for the restarts.")
    var seed: UInt64 = 0

    @Option(help: "Output format: table, json or csv.")
    var format: OutputFormat = .table

    /// The white-noise variance the fit starts from unless --noise-variance says otherwise: a tenth
    /// of the normalised targets' variance, away from the all-noise optimum that 1 can fall into.
    static let initialNoiseVariance = 0.1

    func validate() throws {
        if noNoise, noiseVariance != nil { throw ValidationError("--no-noise and --noise-variance contradict each other: give one") }
        _ = try lengthScales()
    }

    /// The parsed --length-scales, if given.
    func lengthScales() throws -> [Double]? {
        guard let lengthScalesText else { return nil }
        let parts = lengthScalesText.split(separator: ",", omittingEmptySubsequences: false)
        let values = parts.compactMap { NumberText.double($0) }
        guard values.count == parts.count, values.allSatisfy({ (1e-100...1e100).contains($0) }) else {
            throw ValidationError("--length-scales must be numbers from 1e-100 to 1e100 separated by commas, e.g. 0.5,0.7,0.9")
        }
        return values
    }

    func run() throws {
        let training = try NumericTable.load(path: train)
        guard let targetIndex = training.columnNames.firstIndex(of: target) else {
            throw NumericTable.ReadError(kind: .data, message: "\(train): no column '\(target)' (columns: \(training.columnNames.joined(separator: ", ")))")
        }
        let inputNames = training.columnNames.enumerated().filter { $0.offset != targetIndex }.map(\.element)
        guard !inputNames.isEmpty else {
            throw NumericTable.ReadError(kind: .data, message: "\(train): needs at least one input column besides '\(target)'")
        }
        guard training.rows.count >= 2 else {
            throw NumericTable.ReadError(kind: .data, message: "\(train): needs at least 2 data rows, found \(training.rows.count)")
        }
        let scales = try lengthScales() ?? Array(repeating: 1, count: inputNames.count)
        guard scales.count == inputNames.count else {
            throw ValidationError("--length-scales has \(scales.count) value(s) but \(train) has \(inputNames.count) input column(s)")
        }
        let x = try Matrix(rowMajor: training.rows.map { row in row.enumerated().filter { $0.offset != targetIndex }.map(\.element) })
        let y = training.rows.map { $0[targetIndex] }

        let noise = noNoise ? nil : noiseVariance ?? (fixed ? nil : Self.initialNoiseVariance)
        let initial = Kernel(family: kernel, signalVariance: signalVariance, lengthScales: scales, noiseVariance: noise)
        let regressor = GaussianProcessRegressor(kernel: initial, alpha: alpha, normalizeTargets: true,
                                                 optimize: !fixed, restarts: restarts, seed: seed)
        let fitted = try regressor.fit(x: x, y: y)

        var queries: Matrix?
        if let predict {
            let table = try NumericTable.load(path: predict)
            var indices: [Int] = []
            for name in inputNames {
                guard let index = table.columnNames.firstIndex(of: name) else {
                    throw NumericTable.ReadError(kind: .data, message: "\(predict): no input column '\(name)'")
                }
                indices.append(index)
            }
            let values = table.rows.flatMap { row in indices.map { row[$0] } }
            queries = try Matrix(rows: table.rows.count, columns: inputNames.count,
                                 storage: Self.columnMajor(rowMajor: values, rows: table.rows.count, columns: inputNames.count))
        }
        let report = try GPReport(fitted: fitted, inputs: inputNames, target: target, restarts: restarts, seed: seed,
                              optimised: !fixed, queries: queries)
        try StandardStreams.writeOutput(try report.render(format))
    }

    static func columnMajor(rowMajor values: [Double], rows: Int, columns: Int) -> [Double] {
        var storage = [Double](repeating: 0, count: values.count)
        for i in 0..<rows {
            for j in 0..<columns { storage[i + j * rows] = values[i * columns + j] }
        }
        return storage
    }
}

extension KernelFamily: ExpressibleByArgument {}
