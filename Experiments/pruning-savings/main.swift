// How many epochs would the pruning decision save, and what would it lose?
//
//     swift run -c release pruning-savings [--trials 12] [--seeds 3] [--budgets 100M,300M] [--epochs 27] [--optimism 1.96]
//
// Each search runs on the training SIMULATOR as today (its trials and their final accuracies),
// and is then replayed trial by trial with learning curves: trial i trains epoch by epoch, and
// after every epoch `PruningDecision` is asked about it, given the curves of trials 0..<i
// (complete or pruned) and the best complete result within budget so far. A trial told to stop
// counts the epochs it trained. The proposals are those of the search without pruning (a replay,
// not a search that learns from pruned curves), so this measures the decision alone.
//
// The curves are SYNTHETIC (this branch's simulator reports final accuracies only): trial i
// reaches its simulated final accuracy a_i along a_i (1 - exp(-epoch / tau_i)) with
// tau_i = E / 27 * (2 + 4 m_i), m_i its MACs over the largest of the study (small models rise
// faster), plus Gaussian noise of 0.3 points per report (seeded). Rerun with the simulator's
// learning curves once it has them.
//
// Columns: epochs trained with pruning over without (E per trial); trials pruned; "lost": pruned
// trials whose full training would have beaten the best of their time (a wrong stop); the best
// found within budget without and with pruning (simulated final accuracy).
import Foundation
import GaussianProcess
import ExperimentSupport
import GPNav
import MobileViT

OpenBLASCore.reexecuteIfMisdetected()

struct Options {
    var trials = 12
    var seeds = 3
    var budgets = [100_000_000, 300_000_000]
    var epochs = 27
    var optimism = 1.96

    init(arguments: [String]) throws {
        let flags = try ExperimentFlags(arguments, known: ["--trials", "--seeds", "--budgets", "--epochs", "--optimism"])
        guard let optimism = Double(flags.text("--optimism", "1.96")) else { throw ExperimentError("--optimism must be a number") }
        self.optimism = optimism
        trials = try flags.integer("--trials", trials)
        seeds = try flags.integer("--seeds", seeds)
        budgets = try flags.counts("--budgets", budgets)
        epochs = try flags.integer("--epochs", epochs)
    }
}

/// The synthetic curve of a trial with final accuracy `final` and relative size `size` in (0, 1].
func curveAccuracy(final: Double, size: Double, epoch: Int, epochs: Int, seed: UInt64) -> Double {
    var generator = SplitMix64(seed: seed &* 7_919 &+ UInt64(epoch))
    let u1 = max(Double(generator.next() >> 11) / Double(1 << 53), 1e-300)
    let u2 = Double(generator.next() >> 11) / Double(1 << 53)
    let normal = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    let tau = Double(epochs) / 27 * (2 + 4 * size)
    return min(100, max(0, final * (1 - exp(-Double(epoch) / tau)) + 0.3 * normal))
}

let options = parsedOrExit { try Options(arguments: CommandLine.arguments) }
let decision = try PruningDecision(fullEpochs: options.epochs, optimism: options.optimism)
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gpnav-pruning-savings-\(getpid())")
try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: scratch) }
let f = { (x: Double) in String(format: "%.2f", x) }

print("E = \(options.epochs) epochs, \(options.trials) trials, \(options.seeds) seeds; minimum \(decision.minimumEpochs) epochs, optimism \(decision.optimism)")
print("")
print("| budget | seed | epochs with / without pruning | saved | pruned trials | lost | best without | best with | seconds deciding |")
print("|---|---|---|---|---|---|---|---|---|")
var totalUsed = 0, totalFull = 0
for budgetMACs in options.budgets {
    let budget = Budget(macs: budgetMACs)
    for seed in 0..<options.seeds {
        let store = try SQLiteTrialStore(path: scratch.appendingPathComponent("b\(budgetMACs)-s\(seed).sqlite").path,
                                         access: .readWrite(createIfMissing: true))
        let configuration = SearchConfiguration(studyName: "p", settings: StudySettings(
            budget: budget, targetTrials: options.trials, seed: UInt64(seed)))
        let report = try await ArchitectureSearch(store: store, evaluator: TrainingSimulator(seed: UInt64(seed)),
                                                  configuration: configuration).run()
        let trials = report.trials.filter { $0.state == .complete && $0.accuracy != nil }
        let encoding = FactorEncoding(space: report.study.space)
        let largest = Double(trials.map(\.macs).max() ?? 1)
        var curves: [PruningCurve] = []
        var used = 0, pruned = 0, lost = 0
        var bestWithout = -Double.infinity, bestWith = -Double.infinity
        var seconds = 0.0
        for trial in trials {
            let final = trial.accuracy ?? 0
            let admitted = budget.admits(macs: trial.macs, params: trial.params)
            let bestSoFar = bestWith
            var curve = PruningCurve(trial: trial.number, factors: encoding.encode(trial.architecture), reports: [], status: .running)
            var stoppedAt: Int?
            for epoch in 1...options.epochs {
                curve.reports.append(.init(epoch: epoch, accuracy: curveAccuracy(
                    final: final, size: Double(trial.macs) / largest, epoch: epoch, epochs: options.epochs,
                    seed: UInt64(seed) &* 1_000 &+ UInt64(trial.number))))
                guard epoch < options.epochs, bestSoFar.isFinite else { continue }
                let began = Date()
                let verdict = try decision.verdict(for: trial.number, curves: curves + [curve], best: bestSoFar)
                seconds += Date().timeIntervalSince(began)
                if verdict.shouldStop {
                    stoppedAt = epoch
                    break
                }
            }
            used += stoppedAt ?? options.epochs
            if admitted { bestWithout = max(bestWithout, final) }
            if stoppedAt != nil {
                pruned += 1
                curve.status = .pruned
                if admitted && final > bestSoFar { lost += 1 }
            } else {
                curve.status = .complete
                // The final result is the last report's, as a command's last line would give it.
                curve.reports[options.epochs - 1].accuracy = final
                if admitted { bestWith = max(bestWith, final) }
            }
            curves.append(curve)
        }
        let full = trials.count * options.epochs
        totalUsed += used
        totalFull += full
        print("| \(Quantity.formatCount(budgetMACs)) | \(seed) | \(used) / \(full) | \(f(100 * (1 - Double(used) / Double(full)))) % "
              + "| \(pruned) | \(lost) | \(f(bestWithout)) | \(f(bestWith)) | \(String(format: "%.1f", seconds)) |")
    }
}
print("")
print("all runs: \(totalUsed) of \(totalFull) epochs, \(f(100 * (1 - Double(totalUsed) / Double(max(totalFull, 1))))) % saved")
