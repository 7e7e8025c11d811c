import Foundation
import Testing

/// `gpnav search --latency` end to end, with a small shell script as the latency command: its
/// latency is the architecture's resolution / 8 ms (256 px: 32 ms).
@Suite("search --latency")
struct LatencySearchCommandTests {
    static func fakeLatencyCommand(in fixture: CLIFixture) throws -> String {
        let script = fixture.file("latency.sh")
        try """
            r=$(grep -o '"resolution":[0-9]*' "$1" | cut -d: -f2)
            echo "{\\"latency_ms\\": $((r / 8)), \\"latency_spread_ms\\": 0.1, \\"runtime\\": \\"onnxruntime\\", \\"threads\\": 1}"
            """.write(toFile: script, atomically: true, encoding: .utf8)
        return "sh \(script) {config}"
    }

    @Test func anArchitectureOverTheLatencyBudgetIsStoredPrunedWithItsLatencyAndEveryTrainedOneMeetsIt() async throws {
        let fixture = try CLIFixture()
        let result = try await fixture.runner.run([
            "search", "--macs", "300M", "--trials", "6", "--seed", "3", "--latency", "26ms", "--device-name", "edge",
            "--latency-command", try Self.fakeLatencyCommand(in: fixture), "--study", "lat", "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let trials = try await fixture.runner.run(["trials", "--study", "lat", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(trials.stdout.utf8)) as? [[String: Any]])
        let pruned = rows.filter { $0["state"] as? String == "pruned" }
        let complete = rows.filter { $0["state"] as? String == "complete" }
        #expect(!pruned.isEmpty)
        #expect(complete.count == 6)
        for row in pruned {
            let latency = try #require((row["metrics"] as? [String: Any])?["latency_ms"] as? Double)
            // Refused by the default margin of one spread (0.1 ms): 26 ms exactly is within the budget but not admitted.
            #expect(latency + 0.1 > 26)
            #expect((row["error"] as? String)?.hasSuffix("ms on edge is over the 26 ms budget; not trained") == true)
        }
        for row in complete {
            #expect(try #require((row["metrics"] as? [String: Any])?["latency_ms"] as? Double) + 0.1 <= 26)
        }
    }

    @Test func plotParetoDrawsAccuracyAgainstTheMeasuredLatencyWithTheBudgetLine() async throws {
        let fixture = try CLIFixture()
        let search = try await fixture.runner.run([
            "search", "--macs", "300M", "--trials", "3", "--seed", "3", "--latency", "26ms", "--device-name", "edge",
            "--latency-command", try Self.fakeLatencyCommand(in: fixture), "--study", "lat",
        ])
        #expect(search.status == 0, "\(search.stderr)")
        let plot = try await fixture.runner.run(["plot", "pareto", "--study", "lat", "--x", "latency", "--out", "lat.svg"])
        #expect(plot.status == 0, "\(plot.stderr)")
        let svg = try String(contentsOfFile: fixture.file("lat.svg"), encoding: .utf8)
        #expect(svg.contains("budget 26 ms") && svg.contains("measured latency (ms)"), "\(svg.prefix(400))")
        #expect(svg.contains("trials (3 complete)"), "the 3 trained trials, each measured")
        let unknown = try await fixture.runner.run(["plot", "pareto", "--study", "lat", "--x", "params", "--out", "p.svg"])
        #expect(unknown.status == 2 && unknown.stderr.contains("'params'"), "\(unknown.stderr)")
        // A study searched without a latency budget has no measured latency to plot: one line.
        _ = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "2", "--study", "plain"])
        let none = try await fixture.runner.run(["plot", "pareto", "--study", "plain", "--x", "latency", "--out", "p.svg"])
        #expect(none.status != 0 && none.stderr.contains("no complete trial of study 'plain' has a measured latency"), "\(none.stderr)")
    }

    @Test func aLatencyBudgetWithoutALatencyCommandIsOneLineWithTheFlagToPass() async throws {
        let fixture = try CLIFixture()
        let result = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "2", "--latency", "26ms"])
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("has a latency budget, and no latency command was given"))
        #expect(result.stderr.contains("--latency-command"))
    }

    @Test(arguments: [
        (["--latency", "fast"], "'fast' is not a time"),
        (["--latency", "0ms"], "invalid latency budget: 0.0 ms is not a latency in (0, 600000] ms"),
        (["--latency", "40ms", "--latency-threads", "0"], "invalid latency budget: threads 0 is not in 1...1024"),
        (["--device-name", "edge"], "--device-name, --latency-runtime, --latency-threads and --latency-margin need --latency"),
    ])
    func aBadLatencyFlagIsRefusedInOneLineBeforeAnythingIsStored(flags: [String], message: String) async throws {
        let fixture = try CLIFixture()
        let result = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "2"] + flags)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(try fixture.contents().allSatisfy { !$0.hasSuffix(".sqlite") })
    }
}
