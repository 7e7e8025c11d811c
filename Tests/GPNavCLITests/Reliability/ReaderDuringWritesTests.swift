import Foundation
import GPNav
import Testing

/// `gpnav trials` and `gpnav pareto` run in a loop while searches write: every read succeeds and
/// never shows a half-written trial.
@Suite("Readers while writers write")
struct ReaderDuringWritesTests {
    @Test func readersNeverFailAndNeverSeeAHalfWrittenTrial() async throws {
        let fixture = try CLIFixture()
        // Create the file first so that the readers have something to open from the start.
        let first = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "1", "--study", "warm-up"])
        #expect(first.status == 0, "\(first.stderr)")
        let writers = try (0..<2).map { index in
            try fixture.runner.start(["search", "--macs", "400M", "--trials", "8", "--study", "w\(index)", "--seed", "\(index)",
                                      "--evaluator-command", Reliability.trainingCommand(sleep: 0.05)])
        }
        var reads = 0
        while writers.contains(where: { $0.process.isRunning }) || reads < 4 {
            let listed = try await fixture.runner.run(["trials", "--format", "json"])
            #expect(listed.status == 0, "\(listed.stderr)")
            let trials = try JSONDecoder().decode([Reliability.TrialRecord].self, from: Data(listed.stdout.utf8))
            for trial in trials {
                switch trial.state {
                case "complete": #expect(trial.accuracy != nil && trial.macs != nil && trial.params != nil, "\(trial)")
                case "failed": #expect(trial.error != nil, "\(trial)")
                default: #expect(trial.accuracy == nil, "\(trial)")
                }
            }
            let front = try await fixture.runner.run(["pareto"])
            #expect(front.status == 0, "\(front.stderr)")
            let rows = try CSV.parse(front.stdout)
            let header = try #require(rows.first?.fields)
            let accuracy = try #require(header.firstIndex(of: "accuracy"))
            let macs = try #require(header.firstIndex(of: "macs"))
            let state = try #require(header.firstIndex(of: "state"))
            for row in rows.dropFirst() {
                #expect(row.fields[state] == "complete" && !row.fields[accuracy].isEmpty && !row.fields[macs].isEmpty,
                        "\(row.fields)")
            }
            reads += 1
        }
        for writer in writers {
            let output = try await writer.wait()
            #expect(output.status == 0, "\(output.stderr)")
        }
        #expect(reads >= 4)
        for index in 0..<2 {
            await #expect(try Reliability.trials(fixture, study: "w\(index)").filter { $0.state == "complete" }.count == 8)
        }
    }
}
