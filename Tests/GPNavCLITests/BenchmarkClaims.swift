import Foundation
import GPNav
import MobileViT
import Testing

/// Claim-and-finish throughput for `Experiments/store/run.sh`; skipped unless
/// `GPNAV_BENCH_CLAIMS_DB` names a store (a SQLite file or a PostgreSQL URL).
///
/// With 1, 4 and 16 writers, each its own store (its own SQLite connections or PostgreSQL pool,
/// as separate processes have), every writer claims a distinct architecture of one study and
/// finishes it as complete, `GPNAV_BENCH_CLAIMS_EACH` times (default 100). Prints trials per second.
@Suite("Benchmark claims")
struct BenchmarkClaims {
    static let location = ProcessInfo.processInfo.environment["GPNAV_BENCH_CLAIMS_DB"]
    static let each = Int(ProcessInfo.processInfo.environment["GPNAV_BENCH_CLAIMS_EACH"] ?? "") ?? 100

    /// The `index`th architecture of the default space (distinct for every index below 3,306).
    static func architecture(_ index: Int) throws -> Architecture {
        let space = SearchSpace.default
        let resolutions = space.resolutions.count, widths = space.widths.count
        return try Architecture(resolution: space.resolutions[index % resolutions],
                                width: space.widths[(index / resolutions) % widths],
                                mv2DepthMultiplier: space.mv2DepthMultipliers[(index / (resolutions * widths)) % space.mv2DepthMultipliers.count],
                                vitDepthMultiplier: 1)
    }

    @Test(.enabled(if: location != nil, "set GPNAV_BENCH_CLAIMS_DB to measure claim-and-finish throughput"))
    func claimAndFinishThroughput() async throws {
        let location = try StoreLocation(try #require(Self.location))
        let setup = try await openStore(location, access: .readWrite(createIfMissing: true))
        for writers in [1, 4, 16] {
            let study = try await setup.createStudy(Study(name: "claims-\(writers)", settings: StudySettings(
                budget: Budget(macs: 300_000_000), targetTrials: writers * Self.each, seed: 1, evaluator: "synthetic (benchmark)")))
            let studyID = try #require(study.id)
            let each = Self.each
            let start = Date()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        try await Task.detached {
                            let store = try await openStore(location, access: .readWrite(createIfMissing: false))
                            for index in 0..<each {
                                let trial = Trial(studyID: studyID, number: 0, state: .running,
                                                  architecture: try Self.architecture(writer * each + index),
                                                  macs: 1_000_000, params: 1_000, proposal: Proposal(kind: .random),
                                                  startedAt: Date())
                                guard let claimed = try await store.claimTrial(trial), let id = claimed.id else {
                                    throw StoreError.backend(store: "\(location)", message: "a distinct architecture was refused")
                                }
                                try await store.finishTrial(id: id, outcome: TrialOutcome(state: .complete, accuracy: 70))
                            }
                            try await store.close()
                        }.value
                    }
                }
                try await group.waitForAll()
            }
            let seconds = Date().timeIntervalSince(start)
            let total = writers * each
            #expect(try await setup.trials(TrialQuery(study: study.name)).map(\.number) == Array(0..<total))
            print("claims: \(writers) writers, \(total) trials claimed and finished in \(String(format: "%.2f", seconds)) s: \(Int(Double(total) / seconds)) trials per second")
        }
    }
}
