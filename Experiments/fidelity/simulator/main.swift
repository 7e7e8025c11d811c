// The training SIMULATOR of gpnav, exposed to the fidelity benchmark's Python peers (Optuna,
// DEHB), so that every method trains on the very same simulated curves without a copy of the
// simulator's formula in Python. Not part of the product.
//
//     fidelity-simulator space --macs 100M
//         The default search space (gpnav search's), every grid point in order (first factor
//         slowest) with its exact MACs and noise-free full-length accuracy, and the exhaustive
//         optimum among the points within the budget: one JSON object.
//     fidelity-simulator curves --seed 3 --epochs 27
//         A line server: each stdin line {"study": "tpe-median", "trial": 4, "point": [i, j, k, l]}
//         is answered by one line {"curve": [a_1, ..., a_E]}, the simulated learning curve of that
//         training (noise seeded by seed, study, trial and architecture, as in `gpnav search`).
//     fidelity-simulator trials --db FILE --study NAME
//         The trials of a study that `gpnav search` stored, in the order they finished, with the
//         epochs each trained, its noise-free accuracy, grid point and stored learning curve.
import Foundation
import ExperimentSupport
import GPNav
import MobileViT

struct SpacePoint: Encodable {
    var macs: Int
    var accuracy: Double
}

struct SpaceAnswer: Encodable {
    var simulator: String
    var family: String
    var factors: [String]
    var grids: [[Double]]
    var budgetMACs: Int
    var admitted: Int
    var optimumIndex: Int
    var optimumAccuracy: Double
    var macs: [Int]
    var accuracy: [Double]
    enum CodingKeys: String, CodingKey {
        case simulator, family, factors, grids, admitted, macs, accuracy
        case budgetMACs = "budget_macs", optimumIndex = "optimum_index", optimumAccuracy = "optimum_accuracy"
    }
}

struct CurveRequest: Decodable {
    var study: String
    var trial: Int
    var point: [Int]
}

struct CurveAnswer: Encodable {
    var curve: [Double]
}

struct TrialRow: Encodable {
    var trial: Int
    var state: String
    var macs: Int
    var epochs: Int
    var noiseFreeAccuracy: Double
    /// The trial's grid point in the default space (nil off the grid).
    var point: [Int]?
    /// The learning curve `gpnav search` stored for the trial.
    var curve: [Double]
    enum CodingKeys: String, CodingKey {
        case trial, state, macs, epochs, point, curve
        case noiseFreeAccuracy = "noise_free_accuracy"
    }
}

let space = SearchSpace.default
let truth = TrainingSimulator(seed: 0, noise: 0)

func writeJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    var data = try encoder.encode(value)
    data.append(UInt8(ascii: "\n"))
    FileHandle.standardOutput.write(data)
}

func describeSpace(budgetMACs: Int) throws {
    let budget = Budget(macs: budgetMACs)
    let points = space.allPoints
    var macs: [Int] = [], accuracy: [Double] = []
    macs.reserveCapacity(points.count)
    accuracy.reserveCapacity(points.count)
    var optimum: (index: Int, accuracy: Double)?
    var admitted = 0
    for (index, point) in points.enumerated() {
        let architecture = try space.architecture(at: point)
        let cost = CostModel.cost(of: architecture)
        let clean = truth.noiseFreeAccuracy(architecture)
        macs.append(cost.macs)
        accuracy.append(clean)
        guard budget.admits(macs: cost.macs, params: cost.params) else { continue }
        admitted += 1
        if clean > optimum?.accuracy ?? -.infinity { optimum = (index, clean) }
    }
    guard let optimum else { throw ExperimentError("no grid point is within \(budgetMACs) MACs") }
    try writeJSON(SpaceAnswer(simulator: truth.summary, family: space.familyName, factors: space.factors.map(\.argument),
                              grids: space.grids, budgetMACs: budgetMACs, admitted: admitted,
                              optimumIndex: optimum.index, optimumAccuracy: optimum.accuracy, macs: macs, accuracy: accuracy))
}

func serveCurves(seed: UInt64, epochs: Int) throws {
    let simulator = TrainingSimulator(seed: seed)
    let decoder = JSONDecoder()
    while let line = readLine() {
        let request: CurveRequest
        do {
            request = try decoder.decode(CurveRequest.self, from: Data(line.utf8))
        } catch {
            throw ExperimentError("a request line is not {\"study\", \"trial\", \"point\"}: \(line.prefix(200))")
        }
        let point = GridPoint(request.point)
        guard point.indices.count == space.grids.count,
              zip(point.indices, space.grids).allSatisfy({ $0.0 >= 0 && $0.0 < $0.1.count }) else {
            throw ExperimentError("point \(request.point) is not on the grid")
        }
        let architecture = try space.architecture(at: point)
        let cost = CostModel.cost(of: architecture)
        let evaluation = EvaluationRequest(architecture: architecture, macs: cost.macs, params: cost.params,
                                           study: request.study, trialNumber: request.trial, epochs: epochs)
        let final = min(100, max(0, simulator.noiseFreeAccuracy(architecture) + simulator.noise(for: evaluation)))
        try writeJSON(CurveAnswer(curve: simulator.learningCurve(for: evaluation, final: final).map(\.accuracy)))
    }
}

func listTrials(database: String, study: String) throws {
    let store = try SQLiteTrialStore(path: database, access: .readOnly)
    guard let stored = try store.study(named: study) else { throw ExperimentError("no study \(study) in \(database)") }
    let curves = try store.learningCurves(study: study)
    let trials = try store.trials(TrialQuery(study: study))
        .filter { $0.state != .running }
        .sorted { ($0.finishedAt ?? .distantFuture, $0.number) < ($1.finishedAt ?? .distantFuture, $1.number) }
    let rows = trials.map { trial in
        let curve = trial.id.flatMap { curves[$0] } ?? []
        return TrialRow(trial: trial.number, state: trial.state.rawValue, macs: trial.macs,
                        epochs: EpochAccount.epochsTrained(trial, curve: curve, epochs: stored.epochs) ?? 0,
                        noiseFreeAccuracy: truth.noiseFreeAccuracy(trial.architecture),
                        point: space.gridPoint(of: trial.architecture)?.indices, curve: curve.map(\.accuracy))
    }
    try writeJSON(rows)
}

do {
    let arguments = CommandLine.arguments
    guard arguments.count >= 2 else { throw ExperimentError("usage: fidelity-simulator space|curves|trials [flags]") }
    let command = arguments[1]
    let rest = [arguments[0]] + arguments.dropFirst(2)
    switch command {
    case "space":
        let flags = try ExperimentFlags(rest, known: ["--macs"])
        try describeSpace(budgetMACs: try flags.counts("--macs", [100_000_000]).first ?? 100_000_000)
    case "curves":
        let flags = try ExperimentFlags(rest, known: ["--seed", "--epochs"])
        let epochs = try flags.integer("--epochs", 27)
        guard EpochReport.epochRange.contains(epochs) else { throw ExperimentError("--epochs must be in \(EpochReport.epochRange)") }
        try serveCurves(seed: UInt64(try flags.integer("--seed", 0)), epochs: epochs)
    case "trials":
        let flags = try ExperimentFlags(rest, known: ["--db", "--study"])
        try listTrials(database: flags.text("--db", ""), study: flags.text("--study", ""))
    default:
        throw ExperimentError("unknown command \(command): space, curves or trials")
    }
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(2)
}
