import Foundation
import GPNav
import MobileViT
import Testing

/// The flags of `gpnav search` and `gpnav studies create` map onto ``StudySettings`` and the
/// library checks them: a refused setting is the library's own sentence (the one
/// `POST /v1/studies` answers with, `CreateStudySettingsTests`), exit 2, and no database made.
@Suite("study settings rules on the command line")
struct StudySettingsRulesTests {
    struct Rule: CustomTestStringConvertible, Sendable {
        var flags: [String]
        var settings: StudySettings
        /// Whether `gpnav search` takes the rule to the library too (it asks for a budget itself).
        var search = true
        var testDescription: String { flags.joined(separator: " ") }

        /// The library's refusal of ``settings``, in words.
        func expected() throws -> String {
            do {
                try settings.validateForNewStudy()
            } catch let error as CustomStringConvertible {
                return error.description
            }
            Issue.record("the library accepts \(flags)")
            return ""
        }
    }

    static let budget = Budget(macs: 300_000_000)
    static let v1Start = MobileViTv1Family().presets[0]

    static let rules: [Rule] = [
        Rule(flags: ["--macs", "300M", "--trials", "0"], settings: StudySettings(budget: budget, targetTrials: 0)),
        Rule(flags: ["--macs", "300M", "--trials", "100001"], settings: StudySettings(budget: budget, targetTrials: 100_001)),
        Rule(flags: ["--macs", "300M", "--step-factor", "1.5"], settings: StudySettings(budget: budget, stepFactor: 1.5)),
        Rule(flags: ["--macs", "300M", "--step-factor", "0"], settings: StudySettings(budget: budget, stepFactor: 0)),
        Rule(flags: [], settings: StudySettings(), search: false),
        Rule(flags: ["--macs", "1M"], settings: StudySettings(budget: Budget(macs: 1_000_000))),
        Rule(flags: ["--macs", "300M", "--from", v1Start.name], settings: StudySettings(budget: budget, start: v1Start.architecture)),
    ]

    @Test(arguments: rules)
    func aRefusedSettingIsTheLibrarysSentenceAndCreatesNothing(_ rule: Rule) async throws {
        let expected = try rule.expected()
        for command in rule.search ? [["studies", "create"], ["search"]] : [["studies", "create"]] {
            let fixture = try CLIFixture()
            let output = try await fixture.runner.run(command + rule.flags)
            #expect(output.status == 2, "\(command): \(output.stderr)")
            #expect(output.stderr.hasPrefix("gpnav: error: \(expected)"), "\(command): \(output.stderr)")
            #expect(Reliability.isOneCleanErrorLine(output.stderr), "\(output.stderr)")
            #expect(try fixture.contents().isEmpty, "no database is made")
        }
    }

    @Test func studiesCreateKeepsTheSearchSettingsItIsGiven() async throws {
        let fixture = try CLIFixture()
        let created = try await fixture.runner.run(["studies", "create", "s", "--macs", "300M", "--trials", "4", "--seed", "3",
                                              "--step-factor", "0.7", "--no-joint-factors"])
        #expect(created.status == 0, "\(created.stderr)")
        let study = try #require(try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readOnly).study(named: "s"))
        #expect(study.settings == StudySettings(budget: Self.budget, targetTrials: 4, seed: 3, stepFactor: 0.7, jointFactors: false))
        // A search resumes it with those settings; another step factor is named as a difference.
        let refused = try await fixture.runner.run(["search", "--study", "s", "--resume", "--step-factor", "0.8"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("step factor: stored 0.7, given 0.8"), "\(refused.stderr)")
    }
}
