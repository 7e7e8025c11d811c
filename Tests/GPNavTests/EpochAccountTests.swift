import Foundation
import Testing
@testable import GPNav

@Suite struct EpochAccountTests {
    /// Trial `number` of study 1, finished `minutes` after the epoch (nil: running), with id 100 + number.
    private func trial(_ number: Int, _ state: TrialState, finishedAfter minutes: Double?, width: Double = 1.0) throws -> Trial {
        var trial = try Fixtures.trial(studyID: 1, width: width, state: state, accuracy: state == .complete ? 70 : nil)
        trial.number = number
        trial.id = Int64(100 + number)
        trial.finishedAt = minutes.map { Fixtures.epoch.addingTimeInterval($0 * 60) }
        return trial
    }

    private func curve(_ epochs: Int) -> [EpochReport] {
        (1...epochs).map { EpochReport(epoch: $0, accuracy: Double($0)) }
    }

    @Test func eachTrialCountsItsLastReportedEpochOrTheFullLengthWhenCompleteWithoutReports() throws {
        let trials = [try trial(0, .complete, finishedAfter: 1), try trial(1, .complete, finishedAfter: 2, width: 0.75),
                      try trial(2, .failed, finishedAfter: 3, width: 0.5), try trial(3, .failed, finishedAfter: 4, width: 0.25),
                      try trial(4, .running, finishedAfter: nil, width: 0.625)]
        let curves: [Int64: [EpochReport]] = [101: curve(10), 102: curve(3), 104: curve(2)]
        let account = EpochAccount(trials: trials, curves: curves, epochs: 10)
        #expect(account.byTrial == [0: 10, 1: 10, 2: 3, 3: 0, 4: 2])
        #expect(account.total == 25)
        #expect(account.unknownTrials == 0)
        // Without a training length, a complete trial without reports is unknown and left out.
        let unknown = EpochAccount(trials: trials, curves: curves, epochs: nil)
        #expect(unknown.byTrial[0] == .some(nil))
        #expect(unknown.total == 15)
        #expect(unknown.unknownTrials == 1)
    }

    @Test func theRecommendationsPointCountsEveryTrialFinishedUpToItsArchitecturesFirstCompleteTrial() throws {
        // Trial 2 repeats trial 0's architecture; trial 1 finished before trial 0 although numbered after it.
        let trials = [try trial(0, .complete, finishedAfter: 5), try trial(1, .failed, finishedAfter: 2, width: 0.5),
                      try trial(2, .complete, finishedAfter: 9), try trial(3, .complete, finishedAfter: 7, width: 0.75)]
        let curves: [Int64: [EpochReport]] = [101: curve(4)]
        let account = EpochAccount(trials: trials, curves: curves, epochs: 8, recommended: trials[2])
        #expect(account.total == 8 + 4 + 8 + 8)
        #expect(account.totalAtRecommended == 4 + 8)
        #expect(EpochAccount(trials: trials, curves: curves, epochs: 8).totalAtRecommended == nil)
    }
}
