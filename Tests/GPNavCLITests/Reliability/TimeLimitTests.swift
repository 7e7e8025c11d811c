import Foundation
import Testing

/// `gpnav search --time-limit`, as Optuna's `optimize(timeout=)`: no trial starts after the
/// limit, the running ones finish and are kept, the report says so, and the study resumes.
@Suite("Search time limit")
struct TimeLimitTests {
    @Test func noTrialStartsAfterTheLimitAndTheRunningOneFinishes() async throws {
        let fixture = try CLIFixture()
        // Each training takes 2 s: within a 3 s limit at most two trials start.
        let output = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "10", "--study", "timed",
                                             "--time-limit", "3s", "--evaluator-command", Reliability.trainingCommand(sleep: 2)])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("NOTE: the search ended early: the time limit of 3s passed: "), "\(output.stdout)")
        let trials = try await Reliability.trials(fixture, study: "timed")
        #expect((1...2).contains(trials.count), "\(trials)")
        #expect(trials.allSatisfy { $0.state == "complete" }, "\(trials)")

        let json = try await fixture.runner.run(["search", "--study", "timed", "--resume", "--time-limit", "1d",
                                           "--format", "json", "--evaluator-command", Reliability.trainingCommand()])
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.stdout.contains("\"ended_early\" : false") || json.stdout.contains("\"ended_early\": false"), "\(json.stdout)")
        await #expect(try Reliability.trials(fixture, study: "timed").filter { $0.state == "complete" }.count == 10)
    }

    @Test func aLimitThatIsNotATimeIsAUsageErrorNamingTheForm() async throws {
        let fixture = try CLIFixture()
        let output = try await fixture.runner.run(["search", "--macs", "300M", "--time-limit", "2 weeks"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("--time-limit") && output.stderr.contains("90s, 30m, 2h or 1d"), "\(output.stderr)")
        #expect(try fixture.contents().isEmpty)
    }
}
