import Foundation
import GPNav
import Testing

/// Four `gpnav search` processes on one database file at once: all finish, no "database is
/// locked" reaches the user, and every study's trials are numbered 0, 1, 2, ... with none lost.
@Suite("Concurrent searches on one file")
struct ConcurrentSearchTests {
    static func expectGapFreeAndSettled(_ trials: [Reliability.TrialRecord]) {
        #expect(trials.map(\.number) == Array(0..<trials.count), "numbers \(trials.map(\.number))")
        #expect(!trials.contains { $0.state == "running" })
        #expect(trials.filter { $0.state == "complete" }.allSatisfy { $0.accuracy != nil && $0.macs != nil && $0.params != nil })
    }

    @Test func fourSearchesOfDistinctStudiesAllFinishWithEveryTrialKept() async throws {
        let fixture = try CLIFixture()
        let running = try (0..<4).map { index in
            try fixture.runner.start(["search", "--macs", "300M", "--trials", "5", "--study", "s\(index)", "--seed", "\(index)"])
        }
        for process in running {
            let output = try await process.wait()
            #expect(output.status == 0, "\(output.stderr)")
            #expect(!output.stderr.lowercased().contains("locked"), "\(output.stderr)")
        }
        for index in 0..<4 {
            let trials = try await Reliability.trials(fixture, study: "s\(index)")
            Self.expectGapFreeAndSettled(trials)
            #expect(trials.filter { $0.state == "complete" }.count == 5)
            #expect(trials.allSatisfy { $0.state == "complete" })
        }
    }

    @Test func fourSearchesOfOneStudyCreateItOnceShareItsNumbersAndNeverEvaluateAnArchitectureTwice() async throws {
        let fixture = try CLIFixture()
        let running = try (0..<4).map { _ in
            try fixture.runner.start(["search", "--macs", "300M", "--trials", "10", "--study", "shared", "--resume",
                                      "--parallel", "2", "--evaluator-command", Reliability.trainingCommand(sleep: 0.1)])
        }
        for process in running {
            let output = try await process.wait()
            #expect(output.status == 0, "\(output.stderr)")
            #expect(!output.stderr.lowercased().contains("locked"), "\(output.stderr)")
        }
        let studies = try await fixture.runner.run(["studies", "--format", "csv"])
        #expect(studies.stdout.split(separator: "\n").count == 2, "\(studies.stdout)")
        let trials = try await Reliability.trials(fixture, study: "shared")
        Self.expectGapFreeAndSettled(trials)
        let complete = trials.filter { $0.state == "complete" }
        // Each process stops once it sees the target; ones that started a trial just before may overshoot.
        #expect(complete.count >= 10 && complete.count <= 10 + 4 * 2, "\(complete.count) complete")
        #expect(trials.allSatisfy { $0.state == "complete" })
        let architectures = trials.map(\.architecture)
        #expect(Set(architectures).count == architectures.count, "evaluated twice: \(architectures)")
    }

    /// The store half of the above: a claim on an architecture the study already has stores nothing.
    @Test func aClaimOnAnArchitectureTheStudyHasStoresNothing() async throws {
        let fixture = try CLIFixture()
        let store = try fixture.seed()
        let study = try #require(try store.study(named: "s300"))
        let s300 = try #require(study.id)
        let lifecycle = TrialLifecycle(store: store, study: study)
        // 224 x 0.5 is trial 1 of s300 (complete); 224 x 0.625 is trial 4; 160 x 0.5 is new.
        let taken = try CLIFixture.trial(s300, .running, resolution: 224, width: 0.5, macs: 1, params: 1, accuracy: nil)
        #expect(try await lifecycle.claim(taken) == nil)
        let fresh = try CLIFixture.trial(s300, .running, resolution: 160, width: 0.5, macs: 1, params: 1, accuracy: nil)
        let claimed = try #require(try await lifecycle.claim(fresh))
        #expect(claimed.number == 6 && claimed.state == .running)
        #expect(try await lifecycle.claim(fresh) == nil)
        #expect(try store.trials(TrialQuery(study: "s300")).count == 7)
    }
}
