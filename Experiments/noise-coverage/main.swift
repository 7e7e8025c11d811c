// Does the printed +/- of the recommendation cover what retraining it gives?
//
//     swift run -c release noise-coverage [--trials 12] [--seeds 5] [--budgets 100M,300M] [--repeat 2] [--draws 200]
//
// Part 1, the training SIMULATOR (its noise is known: 0.15 points). For each budget and seed a
// search of `--trials` trials recommends a trial; `--draws` fresh simulated trainings of that
// architecture (other trial numbers, so other noise) are its seed-to-seed spread. Compared:
//   before   what gpnav printed before the noise floor: the model's +/- with the noise left free
//            (a fit of the same trials without a floor, as the study's model made it)
//   floor    the +/- of one training now, with only the prior floor (no repeats)
//   repeats  the same after `--repeat-best --repeat` (the study resumed, the recommendation retrained)
// "covered" is the share of the fresh trainings within the printed mean +/- 2 x the printed std.
//
// Part 2, real training records (Experiments/real-training, runs 1 and 2 on the demo data):
// the trials of each run and the two retrainings with seeds 1 and 2 of its best and its worst
// trial. The model of the run's trials is fitted as before, with the floor, and with the
// retrainings added as repeats; its +/- at the best trial is compared with the three trainings.
import Foundation
import GaussianProcess
import ExperimentSupport
import GPNav
import MobileViT

OpenBLASCore.reexecuteIfMisdetected()

struct Options {
    var trials = 12
    var seeds = 5
    var budgets = [100_000_000, 300_000_000]
    var repeats = 2
    var draws = 200
    var records = "Experiments/real-training"

    init(arguments: [String]) throws {
        let flags = try ExperimentFlags(arguments, known: ["--trials", "--seeds", "--budgets", "--repeat", "--draws", "--records"])
        trials = try flags.integer("--trials", trials)
        seeds = try flags.integer("--seeds", seeds)
        budgets = try flags.counts("--budgets", budgets)
        repeats = try flags.integer("--repeat", repeats)
        draws = try flags.integer("--draws", draws)
        records = flags.text("--records", records)
    }
}

func sampleStd(_ values: [Double]) -> Double {
    let mean = values.reduce(0, +) / Double(values.count)
    return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
}

/// Share of `values` within mean +/- 2 std.
func covered(_ values: [Double], mean: Double, std: Double) -> Double {
    Double(values.filter { abs($0 - mean) <= 2 * std }.count) / Double(values.count)
}

/// The model's mean and +/- at `architecture` from a fit without a noise floor (gpnav before it):
/// the latent std it printed, with the noise the fit settled on.
func unflooredEstimate(_ points: [(architecture: Architecture, accuracy: Double)], encoding: FactorEncoding,
                       at architecture: Architecture, seed: UInt64) throws -> (mean: Double, std: Double, noise: Double) {
    let model = try AccuracyModel.fit(points, encoding: encoding, restarts: 2, seed: seed &+ UInt64(points.count))
    let prediction = model.predict([architecture])
    return (prediction.mean[0], prediction.standardDeviation[0], model.trainingNoiseVariance.squareRoot())
}

/// The same with the study's floor: the mean and the +/- of one training.
func flooredEstimate(_ points: [(architecture: Architecture, accuracy: Double)], encoding: FactorEncoding,
                     at architecture: Architecture, seed: UInt64) throws -> (mean: Double, std: Double, noise: Double) {
    let floor = TrainingNoise(points).floorVariance
    let model = try AccuracyModel.fit(points, encoding: encoding, restarts: 2, seed: seed &+ UInt64(points.count), noiseFloor: floor)
    let prediction = model.predict([architecture])
    let noise = model.trainingNoiseVariance
    return (prediction.mean[0], (prediction.standardDeviation[0] * prediction.standardDeviation[0] + noise).squareRoot(), noise.squareRoot())
}

let options = parsedOrExit { try Options(arguments: CommandLine.arguments) }
let f = { (x: Double) in String(format: "%.2f", x) }
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gpnav-noise-coverage-\(getpid())")
try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: scratch) }

print("Part 1: simulator (noise 0.15), \(options.trials) trials, \(options.seeds) seeds, \(options.draws) fresh trainings, --repeat-best \(options.repeats)")
print("")
print("| budget | spread of fresh trainings (std) | printed before: +/- (covered) | floor: +/- (covered) | repeats: +/- (covered) | repeats' own std |")
print("|---|---|---|---|---|---|")
for budgetMACs in options.budgets {
    var spread: [Double] = [], before: [Double] = [], floor: [Double] = [], repeated: [Double] = [], own: [Double] = []
    var coverBefore: [Double] = [], coverFloor: [Double] = [], coverRepeated: [Double] = []
    for seed in 0..<options.seeds {
        let simulator = TrainingSimulator(seed: UInt64(seed))
        let db = scratch.appendingPathComponent("b\(budgetMACs)-s\(seed).sqlite").path
        let store = try SQLiteTrialStore(path: db, access: .readWrite(createIfMissing: true))
        var configuration = SearchConfiguration(studyName: "c", settings: StudySettings(
            budget: Budget(macs: budgetMACs), targetTrials: options.trials, seed: UInt64(seed)))
        let report = try await ArchitectureSearch(store: store, evaluator: simulator, configuration: configuration).run()
        guard let best = report.best, let mean = report.bestPredictedAccuracy, let std = report.bestTrainingStd else { continue }
        var fresh: [Double] = []
        for i in 0..<options.draws {
            let request = EvaluationRequest(architecture: best.architecture, macs: best.macs, params: best.params,
                                            study: "c", trialNumber: 1_000_000 + i)
            fresh.append(try await simulator.evaluate(request).accuracy)
        }
        let points = StudyModel.observed(report.trials).compactMap { t in t.accuracy.map { (t.architecture, $0) } }
        let encoding = FactorEncoding(space: report.study.space)
        let old = try unflooredEstimate(points, encoding: encoding, at: best.architecture, seed: UInt64(seed))
        spread.append(sampleStd(fresh))
        before.append(old.std)
        coverBefore.append(covered(fresh, mean: old.mean, std: old.std))
        floor.append(std)
        coverFloor.append(covered(fresh, mean: mean, std: std))

        configuration.resume = true
        configuration.repeatBest = options.repeats
        let again = try await ArchitectureSearch(store: store, evaluator: simulator, configuration: configuration).run()
        guard let againMean = again.bestPredictedAccuracy, let againStd = again.bestTrainingStd,
              let retrained = again.retraining?.standardDeviation else { continue }
        repeated.append(againStd)
        own.append(retrained)
        // (The recommendation may move after the retrainings; the fresh trainings are of the first one.)
        coverRepeated.append(covered(fresh, mean: againMean, std: againStd))
    }
    print("| \(Quantity.formatCount(budgetMACs)) | \(f(median(spread))) | \(f(median(before))) (\(f(median(coverBefore) * 100)) %) "
          + "| \(f(median(floor))) (\(f(median(coverFloor) * 100)) %) | \(f(median(repeated))) (\(f(median(coverRepeated) * 100)) %) "
          + "| \(f(median(own))) |")
}
print("(medians over the seeds)")
print("")

print("Part 2: real training records (\(options.records))")
print("")
print("| run | best trial | its three trainings (std) | printed before | floor, no repeats | with the retrainings as repeats | all three within +/- 2 std |")
print("|---|---|---|---|---|---|---|")
let space = try SearchSpaceFile.load(options.records + "/space.json")
let encoding = FactorEncoding(space: space)
for run in ["run1", "run2"] {
    let rows = try TrialImport.load(path: "\(options.records)/\(run)/trials.csv", defaultClasses: space.classes)
    let points = rows.compactMap { row in row.state == .complete ? row.accuracy.map { (row.architecture, $0) } : nil }
    // "trial N seed S {json}": the retrainings; the first trial named is the run's best within budget.
    var retrainings: [(trial: Int, accuracy: Double)] = []
    for line in try String(contentsOfFile: "\(options.records)/\(run)/seeds.txt", encoding: .utf8).split(separator: "\n") {
        let words = line.split(separator: " ", maxSplits: 4)
        guard words.count == 5, let trial = Int(words[1]),
              let json = try JSONSerialization.jsonObject(with: Data(words[4].utf8)) as? [String: Any],
              let accuracy = json["accuracy"] as? Double else { continue }
        retrainings.append((trial, accuracy))
    }
    guard let bestNumber = retrainings.first?.trial, let bestAccuracy = rows[bestNumber].accuracy else { continue }
    let architecture = rows[bestNumber].architecture
    let three = [bestAccuracy] + retrainings.filter { $0.trial == bestNumber }.map(\.accuracy)
    let repeats = points + retrainings.map { (rows[$0.trial].architecture, $0.accuracy) }
    let old = try unflooredEstimate(points, encoding: encoding, at: architecture, seed: 1)
    let floored = try flooredEstimate(points, encoding: encoding, at: architecture, seed: 1)
    let measured = try flooredEstimate(repeats, encoding: encoding, at: architecture, seed: 1)
    let inside = three.allSatisfy { abs($0 - measured.mean) <= 2 * measured.std }
    print("| \(run) | \(bestNumber) | \(three.map(f).joined(separator: ", ")) (\(f(sampleStd(three)))) "
          + "| \(f(old.mean)) +/- \(f(old.std)) | \(f(floored.mean)) +/- \(f(floored.std)) "
          + "| \(f(measured.mean)) +/- \(f(measured.std)) (noise \(f(measured.noise))) | \(inside ? "yes" : "no") |")
}
