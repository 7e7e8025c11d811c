import Foundation
import Testing

/// A training command's result line is read whatever its length up to the documented bound
/// (16 MiB); a longer line fails the trial with a reason that says so.
@Suite("Long result lines")
struct LongResultLineTests {
    private func evaluate(printing script: String) async throws -> (GPNavRunner.Output, [Reliability.TrialRecord]) {
        let fixture = try CLIFixture()
        let command = try Reliability.script(fixture, "train.sh", script)
        let output = try await fixture.runner.run(["evaluate", "--model", "mobilevitv2-0.5", "--study", "long", "--format", "json",
                                             "--evaluator-command", command])
        return await (output, try Reliability.trials(fixture, study: "long"))
    }

    @Test(arguments: [70_000, 1_000_000])
    func aResultLineLongerThan64KiBCounts(padding: Int) async throws {
        let (output, trials) = try await evaluate(printing: """
            printf '{"accuracy": 61.5, "note": "'
            head -c \(padding) /dev/zero | tr '\\0' x
            printf '"}\\n'
            """)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(trials.first?.state == "complete" && trials.first?.accuracy == 61.5, "\(trials)")
    }

    @Test func aResultLineOverTheBoundFailsTheTrialSayingSo() async throws {
        let (output, trials) = try await evaluate(printing: """
            printf '{"accuracy": 61.5, "note": "'
            head -c 17000000 /dev/zero | tr '\\0' x
            printf '"}\\n'
            """)
        #expect(output.status == 6, "\(output.stderr)")
        let error = trials.first?.error ?? ""
        #expect(trials.first?.state == "failed", "\(trials)")
        #expect(error.contains("16 MiB") && error.contains("line 1"), "\(error)")
        #expect(!error.contains("printed no JSON line"), "\(error)")
    }
}
