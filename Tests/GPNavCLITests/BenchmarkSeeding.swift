import Foundation
import GPNav
import MobileViT
import Testing

/// Fills a store for `Experiments/store/run.sh`; skipped unless `GPNAV_BENCH_DB` names one (a
/// SQLite file or a PostgreSQL URL). Not a test of behaviour: it lets the benchmark insert through
/// the real store API, in transactions of 1,000 trials (``TrialStore/addFinishedTrials(_:)``).
@Suite("Benchmark seeding")
struct BenchmarkSeeding {
    static let path = ProcessInfo.processInfo.environment["GPNAV_BENCH_DB"]
    static let count = Int(ProcessInfo.processInfo.environment["GPNAV_BENCH_TRIALS"] ?? "") ?? 100_000

    @Test(.enabled(if: path != nil, "set GPNAV_BENCH_DB to fill a benchmark database"))
    func insertSyntheticTrials() async throws {
        let path = try #require(Self.path)
        let store = try await openStore(try StoreLocation(path), access: .readWrite(createIfMissing: true))
        let study = try await store.createStudy(Study(name: "bench", settings: StudySettings(
            budget: Budget(macs: 300_000_000), targetTrials: Self.count, seed: 1, evaluator: "synthetic (benchmark)")))
        let studyID = try #require(study.id)
        var generator = SplitMix64(state: 2026)
        let space = SearchSpace.default
        let start = Date()
        var batch: [Trial] = []
        for _ in 0..<Self.count {
            let resolution = space.resolutions.randomElement(using: &generator) ?? 256
            let width = space.widths.randomElement(using: &generator) ?? 1
            let mv2 = space.mv2DepthMultipliers.randomElement(using: &generator) ?? 1
            let vit = space.vitDepthMultipliers.randomElement(using: &generator) ?? 1
            let architecture = try Architecture(resolution: resolution, width: width, mv2DepthMultiplier: mv2,
                                                vitDepthMultiplier: vit)
            // Synthetic counts with the right scaling (MACs ~ w^2 r^2 depth), not the cost model.
            let scale = width * width * (0.5 + 0.25 * mv2 + 0.25 * vit)
            let macs = Int(1_843_000_000 * scale * Double(resolution * resolution) / 65_536)
            let params = Int(4_900_000 * scale)
            let roll = Double.random(in: 0..<1, using: &generator)
            let state: TrialState = roll < 0.9 ? .complete : roll < 0.95 ? .failed : roll < 0.98 ? .pruned : .running
            let accuracy = 80 - 12 / (1 + log(Double(macs) / 1e8 + 1)) + Double.random(in: -0.3...0.3, using: &generator)
            batch.append(Trial(
                studyID: studyID, number: 0, state: state, architecture: architecture, macs: macs, params: params,
                accuracy: state == .complete ? (accuracy * 100).rounded() / 100 : nil,
                metrics: state == .complete ? ["top5": ((accuracy + 15) * 100).rounded() / 100] : [:],
                proposal: Proposal(kind: .random), error: state == .failed ? "synthetic failure" : nil,
                startedAt: Date(), finishedAt: state == .running ? nil : Date()))
            if batch.count == 1_000 {
                _ = try await store.addFinishedTrials(batch)
                batch.removeAll()
            }
        }
        _ = try await store.addFinishedTrials(batch)
        let seconds = Date().timeIntervalSince(start)
        print("inserted \(Self.count) trials in \(String(format: "%.1f", seconds)) s (\(Int(Double(Self.count) / seconds)) per second)")
    }
}

/// SplitMix64, for a reproducible benchmark set.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
