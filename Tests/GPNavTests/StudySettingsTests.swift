import Foundation
import GaussianProcess
import MobileViT
import Testing
@testable import GPNav

/// ``StudySettings``: its JSON reads back exactly what it wrote, its reading is strict, each
/// rule refuses what it should (once, here; the command line and the API are checked against the
/// same errors in their own suites), and a resume's differences are named in words.
@Suite("Study settings")
struct StudySettingsTests {
    static func decode(_ json: String) throws -> StudySettings {
        try JSONDecoder().decode(StudySettings.self, from: Data(json.utf8))
    }

    /// Settings drawn at random: either family, a sub-grid of its space, any budget, seed, step
    /// factor, start preset of the family (or none) and evaluator text (Unicode and quotes included).
    static func random(_ generator: inout SplitMix64) -> StudySettings {
        let family = ArchitectureFamilies.all[Int.random(in: 0..<ArchitectureFamilies.all.count, using: &generator)]
        var space = SearchSpace(family: family, classes: Int.random(in: 1...5000, using: &generator))
        space.grids = space.grids.map { grid in
            let from = Int.random(in: 0..<grid.count, using: &generator)
            return Array(grid[from...].prefix(Int.random(in: 1...grid.count, using: &generator)))
        }
        func maybe(_ range: ClosedRange<Int>) -> Int? {
            Bool.random(using: &generator) ? Int.random(in: range, using: &generator) : nil
        }
        let memory = maybe(1...Int.max)
        let budget = Budget(macs: maybe(1...Int.max), params: maybe(1...Int.max), memoryBytes: memory,
                            bits: memory == nil ? nil : Budget.supportedBits.randomElement(using: &generator))
        let evaluators = ["stub: training simulator, noise 0.15", "python train.py --config {config} \"é\" \\ /", "", "👩‍🔬\n\t"]
        return StudySettings(
            space: space, budget: budget, targetTrials: Int.random(in: 0...Int.max, using: &generator),
            seed: generator.next(), stepFactor: Double.random(in: 0..<1, using: &generator) + .ulpOfOne,
            jointFactors: Bool.random(using: &generator),
            start: Bool.random(using: &generator) ? family.presets.randomElement(using: &generator)?.architecture : nil,
            evaluator: evaluators.randomElement(using: &generator) ?? "", epochs: maybe(1...Int.max),
            epochBudget: maybe(1...Int.max))
    }

    @Test func settingsReadBackFromTheirJSONExactly() throws {
        var generator = SplitMix64(seed: 20)
        let encoder = JSONEncoder()
        for _ in 0..<300 {
            var settings = Self.random(&generator)
            if Bool.random(using: &generator) { settings.seed = [0, 1, UInt64.max, UInt64(Int64.max) + 1].randomElement(using: &generator) ?? 0 }
            let data = try encoder.encode(settings)
            #expect(try JSONDecoder().decode(StudySettings.self, from: data) == settings, "\(String(decoding: data, as: UTF8.self))")
        }
    }

    @Test func theJSONHasOneSnakeCaseKeyPerSettingAlwaysWritten() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(StudySettings())) as? [String: Any])
        #expect(object.keys.sorted() == ["budget", "epoch_budget", "epochs", "evaluator", "family", "joint_factors", "seed",
                                         "space", "start", "step_factor", "trials"])
        #expect(object["start"] is NSNull)
        #expect(object["family"] as? String == ArchitectureFamilies.standard.name)
    }

    @Test func missingKeysTakeTheDefaultsAndAFamilyAlonePicksItsSpace() throws {
        #expect(try Self.decode("{}") == StudySettings())
        #expect(try Self.decode(#"{"seed": null, "start": null, "step_factor": null}"#) == StudySettings())
        let v1 = try Self.decode(#"{"family": "mobilevit", "budget": {"macs": 5}}"#)
        #expect(v1.space == SearchSpace(family: MobileViTv1Family()))
        #expect(v1.budget == Budget(macs: 5))
    }

    @Test func anUnknownKeyIsRefusedNamingIt() {
        for (json, key) in [(#"{"step": 0.5}"#, "step"), (#"{"budget": {"mac": 5}}"#, "mac"), (#"{"name": "s"}"#, "name")] {
            do {
                _ = try Self.decode(json)
                Issue.record("\(json) was read")
            } catch DecodingError.dataCorrupted(let context) {
                #expect(context.codingPath.last?.stringValue == key)
                #expect(context.debugDescription.hasPrefix("'\(key)' is not a"), "\(context.debugDescription)")
            } catch {
                Issue.record("\(json): \(error)")
            }
        }
    }

    @Test func aValueOfTheWrongTypeIsRefused() {
        for json in [#"{"seed": "7"}"#, #"{"trials": 1.5}"#, #"{"joint_factors": 1}"#, #"{"budget": 300}"#,
                     #"{"seed": -1}"#, #"{"step_factor": "0.8"}"#, #"{"evaluator": 3}"#, #"{"space": []}"#, "[]"] {
            #expect(throws: DecodingError.self, "\(json)") { try Self.decode(json) }
        }
    }

    @Test func aFamilyThatDiffersFromTheSpacesIsRefusedAndAnUnknownOneNamed() throws {
        let v2Space = String(decoding: try JSONEncoder().encode(SearchSpace.default), as: UTF8.self)
        #expect(throws: StudyError.familyDiffersFromSpace(family: "mobilevit", spaceFamily: "mobilevitv2")) {
            try Self.decode(#"{"family": "mobilevit", "space": \#(v2Space)}"#)
        }
        #expect(throws: ArchitectureError.self) { try Self.decode(#"{"family": "resnet"}"#) }
    }

    // MARK: Rules, each once

    static let valid = StudySettings(budget: Budget(macs: 300_000_000))

    static func with(_ change: (inout StudySettings) -> Void) -> StudySettings {
        var settings = valid
        change(&settings)
        return settings
    }

    @Test func theTargetLiesInItsRange() throws {
        for target in [1, 100_000] { try Self.with { $0.targetTrials = target }.validate() }
        for target in [0, -3, 100_001, Int.max] {
            #expect(throws: StudyError.invalidTarget(target)) { try Self.with { $0.targetTrials = target }.validate() }
        }
    }

    @Test func theStepFactorLiesStrictlyBetweenZeroAndOne() throws {
        for factor in [0.5, 1e-9, 0.999] { try Self.with { $0.stepFactor = factor }.validate() }
        for factor in [0, 1, -0.5, 1.5, .infinity] {
            #expect(throws: StudyError.invalidStepFactor(factor)) { try Self.with { $0.stepFactor = factor }.validate() }
        }
        #expect(throws: StudyError.self) { try Self.with { $0.stepFactor = .nan }.validate() }
    }

    @Test func budgetLimitsArePositiveAndTheBitWidthSupported() {
        for (budget, detail) in [(Budget(macs: 0), "macs 0"), (Budget(params: -1), "params -1"),
                                 (Budget(memoryBytes: 0), "memory_bytes 0"), (Budget(memoryBytes: 5, bits: 7), "bits 7")] {
            do {
                try Self.with { $0.budget = budget }.validate()
                Issue.record("\(budget) passed")
            } catch StudyError.invalidBudget(let message) {
                #expect(message.hasPrefix(detail))
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test func theEvaluatorDescriptionHasALimit() throws {
        let limit = StudySettings.maxEvaluatorSummaryLength
        try Self.with { $0.evaluator = String(repeating: "é", count: limit) }.validate()
        #expect(throws: StudyError.evaluatorTooLong(limit + 1)) {
            try Self.with { $0.evaluator = String(repeating: "e", count: limit + 1) }.validate()
        }
    }

    @Test func theSpaceIsChecked() {
        #expect(throws: SearchSpaceError.self) { try Self.with { $0.space.grids[0] = [] }.validate() }
        #expect(throws: SearchSpaceError.self) { try Self.with { $0.space.grids[1] = [1, 0.5] }.validate() }
    }

    @Test func theStartModelIsOfTheSpacesFamily() throws {
        let v1 = try #require(MobileViTv1Family().presets.first).architecture
        try Self.with { $0.space = SearchSpace(family: MobileViTv1Family()); $0.start = v1 }.validate()
        #expect(throws: SearchError.startOutsideFamily(start: v1.description, startFamily: "mobilevit", spaceFamily: "mobilevitv2")) {
            try Self.with { $0.start = v1 }.validate()
        }
    }

    @Test func theTrainingLengthAndTheEpochBudgetLieInTheirRangesAndTheBudgetCoversOneTraining() throws {
        try Self.with { $0.epochs = 10; $0.epochBudget = 10 }.validateForNewStudy()
        for epochs in [0, 10_001] {
            #expect(throws: StudyError.invalidEpochs(epochs)) { try Self.with { $0.epochs = epochs }.validate() }
        }
        #expect(throws: StudyError.invalidEpochBudget(0, epochs: nil)) { try Self.with { $0.epochBudget = 0 }.validate() }
        #expect(throws: StudyError.invalidEpochBudget(9, epochs: 10)) {
            try Self.with { $0.epochs = 10; $0.epochBudget = 9 }.validate()
        }
        // Without a length, an epoch budget is a resume's (for the stored length), never a new study's.
        try Self.with { $0.epochBudget = 45 }.validate()
        #expect(throws: StudyError.invalidEpochBudget(45, epochs: nil)) {
            try Self.with { $0.epochBudget = 45 }.validateForNewStudy()
        }
    }

    @Test func aNewStudyNeedsABudgetThatTheSpaceCanMeet() throws {
        try Self.valid.validateForNewStudy()
        try StudySettings().validate()
        #expect(throws: SearchError.noBudget) { try StudySettings().validateForNewStudy() }
        #expect(throws: SearchError.self) { try Self.with { $0.budget = Budget(macs: 1_000_000) }.validateForNewStudy() }
        // A budget below the space is a new study's rule only: a resume compares it with the study's.
        try Self.with { $0.budget = Budget(macs: 1_000_000) }.validate()
    }

    // MARK: Differences

    @Test func eachDifferenceIsNamedWithTheStoredAndTheGivenValue() throws {
        let stored = StudySettings(budget: Budget(macs: 300_000_000), targetTrials: 30, seed: 2)
        let v2Start = try #require(MobileViTv2Family().presets.first).architecture
        var given = StudySettings(budget: Budget(macs: 200_000_000), targetTrials: 40, seed: 5, stepFactor: 0.7,
                                  jointFactors: false, start: v2Start, evaluator: "other", epochs: 27, epochBudget: 270)
        given.space.grids[0] = [128, 256]
        #expect(given.differences(from: stored, in: StudySettings.Key.every) == [
            "budget: stored 300000000 MACs, given 200000000 MACs",
            "search space: the stored one differs from the one given",
            "seed: stored 2, given 5",
            "step factor: stored 0.8, given 0.7",
            "joint factors: stored on, given off",
            "start model: stored default, given \(v2Start)",
            "epochs: stored none, given 27",
            "epoch budget: stored none, given 270",
            "target trials: stored 30, given 40",
        ])
        #expect(given.differences(from: stored, in: [.seed, .evaluator]) == ["seed: stored 2, given 5"],
                "only the settings given are compared, and never the evaluator")
        #expect(StudySettings(space: SearchSpace(family: MobileViTv1Family())).differences(from: stored, in: [.space])
            == ["family: mobilevitv2 stored, mobilevit given"])
        #expect(stored.differences(from: stored, in: StudySettings.Key.every).isEmpty)
    }
}
