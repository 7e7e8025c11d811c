// Search quality against the exhaustive optimum and three baselines, with the training
// SIMULATOR as ground truth (its noise-free accuracy scores every method's final choice).
//
//     swift run -c release search-quality [--trials 40] [--seeds 5] [--budgets 100M,200M,300M,500M]
//
// Methods, each given the same number of trials and the same noisy simulator:
//   gpnav       `ArchitectureSearch` (downsizing chain, then GP expected improvement); its
//               recommendation (highest posterior mean within budget) is scored, and the most
//               models above the budget it trained in one run is shown (every trial is trained).
//   random      that many uniform draws from the admitted grid points; best observed is scored.
//   chain       the downsizing chain alone; best observed within budget is scored.
//   width-only  MobileViTv2 at 256x256 with base depths, widest width (in steps of 1/64) within
//               budget (the official scaling recipe); no search, scored directly.
//   optimum     the best noise-free accuracy over every admitted grid point.
import Foundation
import GaussianProcess
import ExperimentSupport
import GPNav
import MobileViT

OpenBLASCore.reexecuteIfMisdetected()

struct Options {
    var trials = 40
    var seeds = 5
    var budgets = [100_000_000, 200_000_000, 300_000_000, 500_000_000]

    init(arguments: [String]) throws {
        let flags = try ExperimentFlags(arguments, known: ["--trials", "--seeds", "--budgets"])
        trials = try flags.integer("--trials", trials)
        seeds = try flags.integer("--seeds", seeds)
        budgets = try flags.counts("--budgets", budgets)
    }
}

func noisyScore(_ simulator: TrainingSimulator, _ architecture: Architecture, study: String, trial: Int) async -> Double {
    let cost = CostModel.cost(of: architecture)
    let request = EvaluationRequest(architecture: architecture, macs: cost.macs, params: cost.params, study: study, trialNumber: trial)
    return (try? await simulator.evaluate(request).accuracy) ?? -.infinity
}

let options = parsedOrExit { try Options(arguments: CommandLine.arguments) }
let space = SearchSpace.default
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gpnav-search-quality-\(getpid())")
try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: scratch) }

print("| budget | optimum | gpnav median (min..max) | gap median | random median | chain median | width-only | gpnav trained above budget (max) | gpnav seconds/run |")
print("|---|---|---|---|---|---|---|---|---|")
var allGaps: [Double] = []
for budgetMACs in options.budgets {
    let budget = Budget(macs: budgetMACs)
    let pool = CandidatePool(space: space, budget: budget)
    let truth = TrainingSimulator(seed: 0, noise: 0)
    let optimum = pool.admitted.map { truth.noiseFreeAccuracy($0.architecture) }.max() ?? .nan
    // The official recipe scales width alone, on a fine width grid (1/64 steps) below the space's too.
    let widthOnly = stride(from: 2.0, through: 0.125, by: -1.0 / 64).lazy.compactMap { width -> Architecture? in
        guard let a = try? Architecture(resolution: 256, width: width), budget.admits(macs: CostModel.cost(of: a).macs, params: 0) else { return nil }
        return a
    }.first
    let widthOnlyScore = widthOnly.map(truth.noiseFreeAccuracy) ?? .nan

    var gpnavScores: [Double] = [], randomScores: [Double] = [], chainScores: [Double] = []
    var seconds: [Double] = []
    var aboveBudget: [Int] = []
    for seed in 0..<options.seeds {
        let simulator = TrainingSimulator(seed: UInt64(seed))
        let db = scratch.appendingPathComponent("b\(budgetMACs)-s\(seed).sqlite").path
        let store = try SQLiteTrialStore(path: db, access: .readWrite(createIfMissing: true))
        let configuration = SearchConfiguration(
            studyName: "q", settings: StudySettings(space: space, budget: budget, targetTrials: options.trials, seed: UInt64(seed)))
        let started = Date()
        let report = try await ArchitectureSearch(store: store, evaluator: simulator, configuration: configuration).run()
        seconds.append(Date().timeIntervalSince(started))
        gpnavScores.append(report.best.map { truth.noiseFreeAccuracy($0.architecture) } ?? .nan)
        aboveBudget.append(report.trials.filter { !budget.admits(macs: $0.macs, params: $0.params) }.count)

        var generator = SplitMix64(seed: UInt64(1000 + seed))
        var bestRandom: (observed: Double, architecture: Architecture)?
        for trial in 0..<options.trials {
            guard let pick = pool.admitted.randomElement(using: &generator) else { break }
            let observed = await noisyScore(simulator, pick.architecture, study: "random", trial: trial)
            if observed > bestRandom?.observed ?? -.infinity { bestRandom = (observed, pick.architecture) }
        }
        randomScores.append(bestRandom.map { truth.noiseFreeAccuracy($0.architecture) } ?? .nan)

        let engine = DownsizingEngine(space: space, budget: budget)
        let chain = try engine.chain(from: engine.defaultStart())
        var bestChain: (observed: Double, architecture: Architecture)?
        for (trial, step) in chain.enumerated() where budget.admits(macs: step.cost.macs, params: step.cost.params) {
            let observed = await noisyScore(simulator, step.architecture, study: "chain", trial: trial)
            if observed > bestChain?.observed ?? -.infinity { bestChain = (observed, step.architecture) }
        }
        chainScores.append(bestChain.map { truth.noiseFreeAccuracy($0.architecture) } ?? .nan)
    }
    let gaps = gpnavScores.map { optimum - $0 }
    allGaps += gaps
    let f = { (x: Double) in String(format: "%.2f", x) }
    print("| \(Quantity.formatCount(budgetMACs)) | \(f(optimum)) | \(f(median(gpnavScores))) (\(f(gpnavScores.min() ?? .nan))..\(f(gpnavScores.max() ?? .nan))) | \(f(median(gaps))) | \(f(median(randomScores))) | \(f(median(chainScores))) | \(f(widthOnlyScore)) | \(aboveBudget.max() ?? 0) | \(String(format: "%.1f", median(seconds))) |")
}
print("")
print(String(format: "median gap to the optimum over all budgets and seeds: %.3f points (max %.3f); %d trials, %d seeds",
             median(allGaps), allGaps.max() ?? .nan, options.trials, options.seeds))
