import Foundation
import GPNav
import MobileViT
import TestScratch

/// A fresh directory for one test, and a small database with hand-made trials.
struct CLIFixture {
    let directory: String
    let runner: GPNavRunner

    init() throws {
        directory = try TestScratch.directory("cli")
        runner = GPNavRunner(directory: directory)
    }

    func file(_ name: String) -> String { directory + "/" + name }

    func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    static let epoch = Date(timeIntervalSince1970: 1_763_683_200) // 2025-11-21T00:00:00Z

    static func study(_ name: String) -> Study {
        Study(name: name, createdAt: epoch, settings: StudySettings(budget: Budget(macs: 300_000_000), targetTrials: 10, seed: 7,
                                                                evaluator: "stub: training simulator"))
    }

    static func trial(_ studyID: Int64, _ state: TrialState, resolution: Int, width: Double, macs: Int,
                      params: Int, accuracy: Double?, metrics: [String: Double] = [:],
                      proposal: Proposal = Proposal(kind: .manual), error: String? = nil) throws -> Trial {
        Trial(studyID: studyID, number: 0, state: state,
              architecture: try Architecture(resolution: resolution, width: width),
              macs: macs, params: params, accuracy: accuracy, metrics: metrics, proposal: proposal,
              error: error, startedAt: epoch, finishedAt: state == .running ? nil : epoch.addingTimeInterval(90))
    }

    /// `gpnav.sqlite` in the directory with studies `s300` (trials 0-5) and `other` (trial 0):
    ///
    /// | study | # | state    | res | width | MACs          | params     | accuracy | notes           |
    /// |-------|---|----------|-----|-------|---------------|------------|----------|-----------------|
    /// | s300  | 0 | complete | 256 | 0.75  | 1,030,000,000 | 2,870,000  | 75.6     | start 0         |
    /// | s300  | 1 | complete | 224 | 0.5   |   298,123,456 | 1,370,000  | 70.18    | downsize 1, top5|
    /// | s300  | 2 | failed   | 192 | 0.5   |   210,000,000 | 1,370,000  | -        | error with , "  |
    /// | s300  | 3 | complete | 192 | 0.5   |   210,000,000 | 1,370,000  | 68.0     | gp 0.5          |
    /// | s300  | 4 | complete | 224 | 0.625 |   400,000,000 | 2,000,000  | 69.0     |                 |
    /// | s300  | 5 | running  | 256 | 0.5   |   390,000,000 | 1,370,000  | -        |                 |
    /// | other | 0 | complete | 256 | 2.0   | 5,000,000,000 | 10,000,000 | 80.0     |                 |
    @discardableResult
    func seed(_ name: String = "gpnav.sqlite") throws -> SQLiteTrialStore {
        let store = try SQLiteTrialStore(path: file(name), access: .readWrite(createIfMissing: true))
        let s300 = try store.createStudy(Self.study("s300")).id ?? -1
        let trials = [
            try Self.trial(s300, .complete, resolution: 256, width: 0.75, macs: 1_030_000_000, params: 2_870_000,
                           accuracy: 75.6, proposal: Proposal(kind: .start, step: 0)),
            try Self.trial(s300, .complete, resolution: 224, width: 0.5, macs: 298_123_456, params: 1_370_000,
                           accuracy: 70.18, metrics: ["top5": 89.5], proposal: Proposal(kind: .downsize, step: 1)),
            try Self.trial(s300, .failed, resolution: 192, width: 0.5, macs: 210_000_000, params: 1_370_000,
                           accuracy: nil, error: "exit 1, said \"out of memory\""),
            try Self.trial(s300, .complete, resolution: 192, width: 0.5, macs: 210_000_000, params: 1_370_000,
                           accuracy: 68.0, proposal: Proposal(kind: .gp, acquisition: 0.5)),
            try Self.trial(s300, .complete, resolution: 224, width: 0.625, macs: 400_000_000, params: 2_000_000,
                           accuracy: 69.0),
            try Self.trial(s300, .running, resolution: 256, width: 0.5, macs: 390_000_000, params: 1_370_000,
                           accuracy: nil),
        ]
        for trial in trials { _ = try store.addFinishedTrial(trial) }
        var other = Self.study("other")
        other.createdAt = Self.epoch.addingTimeInterval(1)
        let otherID = try store.createStudy(other).id ?? -1
        _ = try store.addFinishedTrial(try Self.trial(otherID, .complete, resolution: 256, width: 2.0,
                                                      macs: 5_000_000_000, params: 10_000_000, accuracy: 80.0))
        return store
    }
}
