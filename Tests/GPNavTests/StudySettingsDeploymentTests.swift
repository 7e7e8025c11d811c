import Foundation
import MobileViT
import Testing
@testable import GPNav

/// The deployment bits as a study setting: JSON key `bits`, the memory budget's widths and words,
/// agreement with the memory budget, what they choose (ranking metric, latency target), and the
/// int8 ranking of trials.
@Suite("Study settings: deployment bits")
struct StudySettingsDeploymentTests {
    static func settings(bits: Int?, budget: Budget = Budget(macs: 300_000_000)) -> StudySettings {
        var settings = StudySettings(budget: budget)
        settings.deploymentBits = bits
        return settings
    }

    @Test func deploymentBitsReadBackFromTheKeyBitsAndSettingsWithoutThemWriteNoKey() throws {
        for bits in Budget.supportedBits {
            let settings = Self.settings(bits: bits)
            try settings.validate()
            #expect(try JSONDecoder().decode(StudySettings.self, from: try JSONEncoder().encode(settings)) == settings)
        }
        let read = try JSONDecoder().decode(StudySettings.self, from: Data(#"{"budget":{"macs":1},"bits":8}"#.utf8))
        #expect(read.deploymentBits == 8 && read.ranksByInt8Accuracy)
        let written = try JSONEncoder().encode(Self.settings(bits: nil))
        let object = try #require(try JSONSerialization.jsonObject(with: written) as? [String: Any])
        #expect(object["bits"] == nil, "a study without deployment bits reads as it did before them")
        #expect(try JSONDecoder().decode(StudySettings.self, from: written).deploymentBits == nil)
    }

    @Test func unsupportedBitsAreRefusedInTheMemoryBudgetsWordsAndSoAreBitsDisagreeingWithIt() {
        #expect(throws: StudyError.invalidBudget("bits 7 is not supported: use 32, 16, 8, 6, 4")) {
            try Self.settings(bits: 7).validate()
        }
        #expect(throws: StudyError.invalidBudget("bits 8 differ from the memory budget's bits 4")) {
            try Self.settings(bits: 8, budget: Budget(memoryBytes: 1_000_000, bits: 4)).validate()
        }
        #expect(throws: Never.self) { try Self.settings(bits: 8, budget: Budget(memoryBytes: 1_000_000, bits: 8)).validate() }
    }

    @Test func onlyGivenEightBitsRankByInt8AndTheLatencyTargetFollowsTheDeployedBits() {
        #expect(Self.settings(bits: 8).ranksByInt8Accuracy)
        #expect(!Self.settings(bits: 32).ranksByInt8Accuracy && !Self.settings(bits: 4).ranksByInt8Accuracy)
        // A memory budget at its default 8 bits keeps ranking by float accuracy, as before.
        let memory = Self.settings(bits: nil, budget: Budget(memoryBytes: 1_000_000, bits: 8))
        #expect(!memory.ranksByInt8Accuracy && memory.deployedBits == 8)
        #expect(Self.settings(bits: 8).deployedBits == 8 && Self.settings(bits: nil).deployedBits == nil)
    }

    @Test func rankingByInt8ReplacesCompleteTrialsAccuracyAndLeavesOthersAndFloatStudiesAlone() throws {
        let architecture = try Architecture(resolution: 224, width: 0.75, mv2Depths: [1, 2], vitDepths: [2, 3, 3])
        func trial(_ id: Int64, _ state: TrialState, _ accuracy: Double?) -> Trial {
            Trial(id: id, studyID: 1, number: Int(id), state: state, architecture: architecture, macs: 1, params: 1,
                  accuracy: accuracy, proposal: Proposal(kind: .manual), startedAt: Date(timeIntervalSince1970: 0))
        }
        let trials = [trial(1, .complete, 70), trial(2, .complete, 71), trial(3, .running, nil), trial(4, .pruned, 50)]
        let ranked = Self.settings(bits: 8).ranked(trials, int8Accuracy: [1: 69.5, 4: 10])
        #expect(ranked.map(\.accuracy) == [69.5, nil, nil, 50], "trial 2 reported no int8 accuracy: none to rank by")
        #expect(Self.settings(bits: 32).ranked(trials, int8Accuracy: [1: 69.5]).map(\.accuracy) == trials.map(\.accuracy))
    }

    @Test func pruningIsRefusedInAnEightBitStudyOnlyBecauseItsCurvesAreFloatAndItsRankingInt8() throws {
        var settings = Self.settings(bits: 8)
        settings.epochs = 9
        settings.prune = true
        #expect(throws: StudyError.pruneWithInt8Ranking) { try settings.validate() }
        settings.deploymentBits = 32
        try settings.validateForNewStudy()
        // A memory budget counted at 8 bits ranks by float accuracy, so its curves may prune.
        settings.deploymentBits = nil
        settings.budget = Budget(memoryBytes: 10_000_000, bits: 8)
        try settings.validateForNewStudy()
    }

    @Test func theBestObservedTrialOfAnEightBitStudyIsByInt8AccuracyAndComesBackWithItsFloatAccuracy() throws {
        let architecture = try Architecture(resolution: 224, width: 0.75, mv2Depths: [1, 2], vitDepths: [2, 3, 3])
        func trial(_ id: Int64, _ accuracy: Double, int8: Double?, macs: Int = 1) -> Trial {
            Trial(id: id, studyID: 1, number: Int(id), state: .complete, architecture: architecture, macs: macs, params: 1,
                  accuracy: accuracy, metrics: int8.map { ["accuracy_int8": $0] } ?? [:],
                  proposal: Proposal(kind: .manual), startedAt: Date(timeIntervalSince1970: 0))
        }
        // Trial 1 is best by float, 2 by int8, 3 reported no int8 accuracy, 4 is over the budget.
        let trials = [trial(1, 80, int8: 60), trial(2, 75, int8: 74), trial(3, 90, int8: nil),
                      trial(4, 99, int8: 99, macs: 400_000_000)]
        let int8Study = Study(name: "q", settings: Self.settings(bits: 8))
        let best = try #require(StudySession.bestObserved(trials, study: int8Study))
        #expect(best.number == 2 && best.accuracy == 75, "returned as stored: \(best)")
        #expect(int8Study.settings.rankingAccuracy(of: best) == 74)
        #expect(StudySession.bestObserved(trials, study: Study(name: "f", settings: Self.settings(bits: nil)))?.number == 3)
        #expect(StudySession.bestObserved(Array(trials[2...]), study: int8Study) == nil, "no int8 accuracy within budget")
    }

    @Test func anEightBitResultWithoutAnInt8AccuracyInRangeIsRefused() throws {
        let settings = Self.settings(bits: 8)
        for metrics in [[:], ["accuracy_int8": 101.0], ["accuracy_int8": -1.0]] {
            #expect(throws: StudyError.missingRankingMetric(metric: "accuracy_int8", bits: 8)) {
                try settings.checkRanked(EvaluationResult(accuracy: 70, metrics: metrics))
            }
        }
        try settings.checkRanked(EvaluationResult(accuracy: 70, metrics: ["accuracy_int8": 69]))
        try Self.settings(bits: nil).checkRanked(EvaluationResult(accuracy: 70))
    }
}
