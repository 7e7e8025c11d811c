// Per-trial overhead of the search (GP fit plus proposal plus store writes, evaluation excluded)
// at 50, 200 and 1000 complete trials.
//
//     swift run -c release search-overhead [--sizes 50,200,1000] [--extra 5]
//
// For each size n a study is filled with n complete trials (random admitted architectures of the
// 300M-MACs space scored by the training SIMULATOR, whose evaluation takes microseconds) and then
// resumed for `extra` more trials, timing each trial end to end (proposal, GP conditioning, the
// store's writes; the simulator's evaluation takes microseconds). Separately it times one full
// hyperparameter fit on the n results: up to 200 trials every proposal pays one; above 200,
// gpnav refits hyperparameters only when the data grew by 20% and otherwise refactorises.
import Foundation
import GaussianProcess
import GPNav
import MobileViT

OpenBLASCore.reexecuteIfMisdetected()

var sizes = [50, 200, 1000]
var extra = 5
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let flag = arguments.next(), let value = arguments.next() {
    switch flag {
    case "--sizes": sizes = value.split(separator: ",").compactMap { Int($0) }
    case "--extra": extra = Int(value) ?? extra
    default: break
    }
}

/// Records the time of each finished trial.
final class Clock: @unchecked Sendable {
    private let lock = NSLock()
    private var stamps: [Date] = []
    func mark() { lock.lock(); stamps.append(Date()); lock.unlock() }
    var intervals: [Double] {
        lock.lock(); defer { lock.unlock() }
        return zip(stamps, stamps.dropFirst()).map { $1.timeIntervalSince($0) }
    }
}

let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gpnav-overhead-\(getpid())")
try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: scratch) }
let budget = Budget(macs: 300_000_000)
let pool = CandidatePool(space: .default, budget: budget, nearFraction: 0)
let simulator = TrainingSimulator(seed: 0)

print("| complete trials | full hyperparameter fit ms | per-trial overhead median ms | per-trial overhead max ms |")
print("|---|---|---|---|")
for n in sizes {
    let db = scratch.appendingPathComponent("n\(n).sqlite").path
    let store = try SQLiteTrialStore(path: db, access: .readWrite(createIfMissing: true))
    let study = try store.createStudy(Study(name: "overhead", settings: StudySettings(
        budget: budget, targetTrials: n, seed: 0, start: try Architecture(resolution: 96, width: 0.25), evaluator: simulator.summary)))
    guard let studyID = study.id else { throw CocoaError(.fileWriteUnknown) }
    var generator = SplitMix64(seed: 99)
    var observations: [(architecture: Architecture, accuracy: Double)] = []
    for (number, candidate) in pool.admitted.shuffled(using: &generator).prefix(n).enumerated() {
        let accuracy = simulator.noiseFreeAccuracy(candidate.architecture)
        observations.append((candidate.architecture, accuracy))
        _ = try store.addFinishedTrial(Trial(studyID: studyID, number: number, state: .complete,
                                             architecture: candidate.architecture, macs: candidate.cost.macs,
                                             params: candidate.cost.params, accuracy: accuracy,
                                             proposal: Proposal(kind: .random), startedAt: Date(), finishedAt: Date()))
    }
    let fitStart = Date()
    _ = try AccuracyModel.fit(observations, encoding: FactorEncoding(space: .default), restarts: n <= 100 ? 2 : 0)
    let fullFit = Date().timeIntervalSince(fitStart)
    // The chain is already "evaluated" by nobody: start from a preset inside the budget so that
    // phase 1 is a single model, then time the GP trials.
    let clock = Clock()
    let settings = StudySettings(budget: budget, targetTrials: n + extra + 1, seed: 0,
                                 start: try Architecture(resolution: 96, width: 0.25))
    let configuration = SearchConfiguration(studyName: "overhead", settings: settings, resume: true)
    clock.mark()
    _ = try await ArchitectureSearch(store: store, evaluator: simulator, configuration: configuration).run { event in
        if case .trialFinished = event { clock.mark() }
    }
    // Drop the first interval: opening the study, the initial fit and the chain's single model.
    let later = clock.intervals.dropFirst().sorted()
    print(String(format: "| %d | %.1f | %.1f | %.1f |", n, fullFit * 1000,
                 later.isEmpty ? Double.nan : later[later.count / 2] * 1000, (later.last ?? .nan) * 1000))
}
