import Foundation
import Testing

/// `gpnav search --repeat-best`: the recommendation retrained with other seeds, end to end.
@Suite("search --repeat-best")
struct RepeatBestCommandTests {
    @Test func repeatBestRetrainsTheRecommendationAndItsSpreadIsWithinThePrintedPlusMinus() async throws {
        let fixture = try CLIFixture()
        let result = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "6", "--seed", "2",
                                             "--repeat-best", "2", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let best = try #require(report["best"] as? [String: Any])
        let retraining = try #require(best["retraining"] as? [String: Any])
        #expect((retraining["trials"] as? [Int])?.count == 3)
        #expect(best["noise_measured"] as? Bool == true)
        let spread = try #require(retraining["std"] as? Double)
        let printed = try #require(best["predicted_training_std"] as? Double)
        #expect(printed >= spread * (1 - 1e-9))
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.filter { $0.contains("retraining with seed 1") }.count == 2, "\(result.stderr)")
        #expect(lines.contains { $0.contains("retraining with seed 2") && $0.contains("->") })
    }

    @Test func theTableSaysTheNoiseRestsOnTheFloorWithoutRepeats() async throws {
        let fixture = try CLIFixture()
        let result = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "6"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("one training +/- "))
        #expect(result.stdout.contains("--repeat-best N measures it"))
    }

    @Test func repeatBestOutsideItsRangeIsRefused() async throws {
        let fixture = try CLIFixture()
        let result = try await fixture.runner.run(["search", "--macs", "300M", "--repeat-best", "101"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--repeat-best"))
    }
}
