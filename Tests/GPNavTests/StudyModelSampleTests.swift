import Foundation
import Testing
@testable import GPNav

struct StudyModelSampleTests {
    static func trials(_ accuracies: [Double]) throws -> [Trial] {
        try accuracies.enumerated().map { number, accuracy in
            var trial = try Fixtures.trial(studyID: 1, accuracy: accuracy)
            trial.number = number
            return trial
        }
    }

    @Test func atOrBelowTheLimitEveryTrialIsUsed() throws {
        let trials = try Self.trials([70, 71, 69, 72])
        #expect(StudyModelSample.select(trials, limit: 4).map(\.number) == [0, 1, 2, 3])
    }

    @Test func aboveTheLimitTheBestAndTheMostRecentAreUsedInTheirOrder() throws {
        let trials = try Self.trials([70, 80, 69, 72, 71, 68, 73])
        // The best (#1), then the most recent others (#6, #5, #4), listed in trial order.
        #expect(StudyModelSample.select(trials, limit: 4).map(\.number) == [1, 4, 5, 6])
        #expect(StudyModelSample.select(trials, limit: 1).map(\.number) == [1])
    }

    @Test func theDefaultLimitBoundsALargeStudy() throws {
        let trials = try Self.trials((0..<(StudyModelSample.limit * 7 + 3)).map { 60 + Double($0 % 97) / 10 })
        let sample = StudyModelSample.select(trials)
        #expect(sample.count == StudyModelSample.limit)
        #expect(sample.contains { $0.accuracy == trials.compactMap(\.accuracy).max() })
    }

    @Test func aGridWithTooManyPointsIsRefusedWithoutOverflow() throws {
        var space = SearchSpace.default
        space.widths = (0..<2_000).map { 0.5 + Double($0) * 0.0005 }
        space.resolutions = Array(stride(from: 128, through: 1_024, by: 2))
        #expect(throws: SearchSpaceError.self) { try space.validate() }
        // Axes whose lengths would overflow Int when multiplied.
        space.vitDepthMultipliers = (0..<3_000_000).map { 0.25 + Double($0) * 1e-7 }
        space.mv2DepthMultipliers = (0..<3_000_000).map { 0.5 + Double($0) * 1e-7 }
        #expect(throws: SearchSpaceError.self) { try space.validate() }
    }
}
