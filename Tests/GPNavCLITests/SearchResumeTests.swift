import Foundation
import GPNav
import MobileViT
import Testing

/// `gpnav search` over the study's life-cycle rules: what `--resume` keeps, uses or refuses, a
/// study made by import continued as a search, a search that runs out of candidates, and
/// abandoned trials proposed again.
@Suite("search resume rules")
struct SearchResumeTests {
    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func aResumeWithASettingThatDiffersIsRefusedNamingEachDifference() async throws {
        let fixture = try CLIFixture()
        let first = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "3", "--seed", "2", "--study", "r"])
        #expect(first.status == 0, "\(first.stderr)")
        let refused = try await fixture.runner.run(["search", "--study", "r", "--resume", "--trials", "5", "--seed", "5",
                                              "--step-factor", "0.7"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("seed: stored 2, given 5"))
        #expect(refused.stderr.contains("step factor: stored 0.8, given 0.7"))
        #expect(Reliability.isOneCleanErrorLine(refused.stderr))
        await #expect(try Reliability.trials(fixture, study: "r").count == 3, "a refused resume runs nothing")
        // Repeating the study's own settings, or leaving them out, continues it.
        let resumed = try await fixture.runner.run(["search", "--study", "r", "--resume", "--trials", "5", "--seed", "2",
                                              "--macs", "300M", "--format", "json"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try json(resumed.stdout)["complete_trials"] as? Int == 5)
        let again = try await fixture.runner.run(["search", "--study", "r", "--resume", "--format", "json"])
        #expect(try json(again.stdout)["complete_trials"] as? Int == 5, "the new target is kept with the study")
    }

    @Test func aResumeWithAnotherEvaluatorSaysWhichOneRuns() async throws {
        let fixture = try CLIFixture()
        _ = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "3", "--study", "e"])
        let resumed = try await fixture.runner.run(["search", "--study", "e", "--resume", "--trials", "4", "--noise", "0.5",
                                              "--format", "json"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let began = try #require(resumed.stderr.split(separator: "\n").first)
        #expect(began.contains("noise 0.5"), "the evaluator named is the one that runs")
        #expect(resumed.stderr.contains("the study was created with 'stub: training simulator (not real training), noise 0.15"))
        #expect((try json(resumed.stdout)["evaluator"] as? String)?.contains("noise 0.5") == true)
    }

    @Test func anImportedStudyResumedWithABudgetIsSearchedFromItsTrials() async throws {
        let fixture = try CLIFixture()
        _ = try await fixture.runner.run(["search", "--macs", "400M", "--trials", "8", "--seed", "4", "--study", "trained",
                                    "--db", "old.sqlite"])
        let csv = try await fixture.runner.run(["trials", "--study", "trained", "--state", "complete", "--format", "csv",
                                          "--db", "old.sqlite"])
        try csv.stdout.write(toFile: fixture.file("done.csv"), atomically: true, encoding: .utf8)
        let imported = try await fixture.runner.run(["import", fixture.file("done.csv"), "--study", "real"])
        #expect(imported.status == 0, "\(imported.stderr)")

        let resumed = try await fixture.runner.run(["search", "--study", "real", "--resume", "--macs", "300M", "--trials", "12",
                                              "--format", "json"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("had no budget"))
        #expect(try json(resumed.stdout)["complete_trials"] as? Int == 12)
        let listed = try await fixture.runner.run(["trials", "--study", "real", "--format", "json"])
        let trials = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(trials.count == 12 && trials.prefix(8).allSatisfy { $0["proposal"] as? String == "import" })
        #expect(trials.dropFirst(8).allSatisfy { $0["proposal"] as? String != "import" && $0["state"] as? String == "complete" })
        // The budget is the study's now: a later resume needs no flags.
        let later = try await fixture.runner.run(["search", "--study", "real", "--resume", "--trials", "13", "--format", "json"])
        #expect(later.status == 0, "\(later.stderr)")
        #expect(try json(later.stdout)["complete_trials"] as? Int == 13)
    }

    @Test func aSearchThatRunsOutOfCandidatesSaysItEndedEarly() async throws {
        let fixture = try CLIFixture()
        let largest = CostModel.cost(of: try Architecture(resolution: 112, width: 0.5625)).macs
        let arguments = ["search", "--macs", String(largest), "--trials", "20", "--resolutions", "96,112",
                         "--widths", "0.5,0.5625", "--mv2-depth-multipliers", "1", "--vit-depth-multipliers", "1"]
        let result = try await fixture.runner.run(arguments + ["--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try json(result.stdout)
        #expect(report["ended_early"] as? Bool == true)
        #expect((report["ended_early_reason"] as? String)?.contains("no admitted architecture") == true)
        #expect((report["complete_trials"] as? Int ?? 99) < 20)
        #expect(report["target_trials"] as? Int == 20)
        let table = try await fixture.runner.run(arguments + ["--study", "table"])
        #expect(table.stdout.contains("ended early"))
    }

    @Test func anAbandonedArchitectureIsProposedAgain() async throws {
        let fixture = try CLIFixture()
        // The chain's second model, as a search with the same settings proposes it.
        _ = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "2", "--db", "probe.sqlite"])
        let chain = try await Reliability.trials(fixture, study: "macs-300M", db: "probe.sqlite")
        _ = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "1"])
        // A process elsewhere claimed that model, then went silent.
        let store = try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readWrite(createIfMissing: false))
        let study = try #require(try store.study(named: "macs-300M"))
        let architecture = try Architecture(resolution: chain[1].resolution, width: chain[1].width,
                                            mv2Depths: chain[1].mv2Depths, vitDepths: chain[1].vitDepths)
        let cost = CostModel.cost(of: architecture)
        let old = Date().addingTimeInterval(-3600)
        _ = try await TrialLifecycle(store: store, study: study).start(Trial(studyID: try #require(study.id), number: 0, state: .running,
                                       architecture: architecture, macs: cost.macs, params: cost.params,
                                       proposal: Proposal(kind: .downsize, step: 1), startedAt: old,
                                       heartbeatAt: old, worker: "elsewhere:1"))
        let resumed = try await fixture.runner.run(["search", "--study", "macs-300M", "--resume", "--trials", "3"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let trials = try await Reliability.trials(fixture, study: "macs-300M")
        #expect(trials[1].state == "abandoned" && trials[1].error?.hasPrefix("no heartbeat since") == true)
        #expect(trials[2].state == "complete")
        #expect(trials[2].architecture == chain[1].architecture)
    }
}
