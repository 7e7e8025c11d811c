import Foundation
import GaussianProcess
@testable import GPNav
import MobileViT
import TestScratch

/// A fresh directory for one test's database files, removed with the test process's scratch root.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = try TestScratch.directory("store")
    }

    func file(_ name: String) -> String { path + "/" + name }

    /// The names in the directory, sorted.
    func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }
}

/// Small builders for studies and trials; MACs and params are given, not computed.
enum Fixtures {
    static let epoch = Date(timeIntervalSince1970: 1_763_683_200) // 2025-11-21T00:00:00Z

    static func study(_ name: String = "macs-300M", createdAt: Date = epoch) -> Study {
        Study(name: name, createdAt: createdAt,
              settings: StudySettings(budget: Budget(macs: 300_000_000), targetTrials: 50, seed: 42,
                                      evaluator: "stub: training simulator, noise 0.15"))
    }

    static func trial(
        studyID: Int64, resolution: Int = 256, width: Double = 1.0, mv2Depths: [Int] = [1, 2],
        vitDepths: [Int] = [2, 4, 3], state: TrialState = .complete, macs: Int = 1_843_000_000,
        params: Int = 4_900_000, accuracy: Double? = 78.1, metrics: [String: Double] = [:],
        proposal: Proposal = Proposal(kind: .manual), startedAt: Date = epoch
    ) throws -> Trial {
        Trial(studyID: studyID, number: 0, state: state,
              architecture: try Architecture(resolution: resolution, width: width, mv2Depths: mv2Depths,
                                             vitDepths: vitDepths),
              macs: macs, params: params, accuracy: state == .complete ? accuracy : nil, metrics: metrics,
              proposal: proposal, startedAt: startedAt,
              finishedAt: state == .running ? nil : startedAt.addingTimeInterval(60))
    }

    /// A new database at `path` holding one study, and the store and study.
    static func store(at path: String, study name: String = "macs-300M") throws -> (SQLiteTrialStore, Study) {
        let store = try SQLiteTrialStore(path: path, access: .readWrite(createIfMissing: true))
        return (store, try store.createStudy(study(name)))
    }
}

extension GaussianProcess.SplitMix64 {
    /// The library's SplitMix64 under the name the store tests use (same algorithm, same sequence).
    init(state: UInt64) { self.init(seed: state) }
}
