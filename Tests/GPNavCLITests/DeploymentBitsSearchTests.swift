import Foundation
import Testing

/// `gpnav search --bits 8`: the study ranks by the int8 accuracy the training command reports
/// (`accuracy_int8`), and a latency budget is measured on the int8 model. The training command is a
/// shell line whose float accuracy grows with the architecture's MACs and whose int8 accuracy
/// falls with them, so ranking by one or the other picks different trials.
@Suite("search --bits 8")
struct DeploymentBitsSearchTests {
    /// accuracy 50 + MACs / 10^8, accuracy_int8 90 - MACs / 10^8.
    static let opposedAccuracies = #"m=$(grep -o '"macs":[0-9]*' {config} | cut -d: -f2); "#
        + #"awk -v m="$m" 'BEGIN { printf "{\"accuracy\": %.4f, \"accuracy_int8\": %.4f}\n", 50 + m / 1e8, 90 - m / 1e8 }'"#

    func bestTrial(_ fixture: CLIFixture, _ flags: [String]) async throws -> (best: [String: Any], report: [String: Any]) {
        let result = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "4", "--evaluator-command",
                                             Self.opposedAccuracies, "--format", "json"] + flags)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return (try #require(report["best"] as? [String: Any]), report)
    }

    /// The complete trials within 300 M MACs of `study`, as `trials --format json` rows.
    func inBudget(_ fixture: CLIFixture, _ study: String) async throws -> [[String: Any]] {
        let trials = try await fixture.runner.run(["trials", "--study", study, "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(trials.stdout.utf8)) as? [[String: Any]])
        return rows.filter { $0["state"] as? String == "complete" && ($0["macs"] as? Int ?? .max) <= 300_000_000 }
    }

    /// A `trials --format json` row's int8 accuracy (-1 when it has none).
    static func int8(_ row: [String: Any]) -> Double { (row["metrics"] as? [String: Any])?["accuracy_int8"] as? Double ?? -1 }

    /// The complete trials within budget of `study`, the best of them by int8 accuracy and its
    /// number, checked to differ from the best by float accuracy (so the two rankings tell apart).
    func bestByInt8(_ fixture: CLIFixture, _ study: String) async throws
        -> (rows: [[String: Any]], best: [String: Any], number: Int) {
        let rows = try await inBudget(fixture, study)
        let best = try #require(rows.max { Self.int8($0) < Self.int8($1) })
        let bestByFloat = try #require(rows.max { ($0["accuracy"] as? Double ?? -1) < ($1["accuracy"] as? Double ?? -1) })
        let number = try #require(best["number"] as? Int)
        #expect(number != bestByFloat["number"] as? Int, "two rankings to tell apart: \(rows)")
        return (rows, best, number)
    }

    @Test func anEightBitStudyRecommendsByTheInt8AccuracyAndAFloatStudyByTheFloatOne() async throws {
        let fixture = try CLIFixture()
        let (int8Best, int8Report) = try await bestTrial(fixture, ["--bits", "8", "--study", "int8"])
        let int8 = { (row: [String: Any]) in (row["metrics"] as? [String: Any])?["accuracy_int8"] as? Double ?? -1 }
        let float = { (row: [String: Any]) in row["accuracy"] as? Double ?? -1 }
        let int8Rows = try await inBudget(fixture, "int8")
        let bestByInt8 = try #require(int8Rows.max { int8($0) < int8($1) })
        let bestByFloat = try #require(int8Rows.max { float($0) < float($1) })
        #expect(bestByInt8["number"] as? Int != bestByFloat["number"] as? Int, "two rankings to tell apart: \(int8Rows)")
        #expect(int8Best["trial"] as? Int == bestByInt8["number"] as? Int, "\(int8Best) \(int8Rows)")
        #expect(int8Best["accuracy_int8"] as? Double == int8(bestByInt8))
        #expect(int8Report["ranked_by"] as? String == "accuracy_int8")
        let predicted = try #require(int8Best["predicted_accuracy"] as? Double)
        #expect(abs(predicted - int8(bestByInt8)) < 1, "the GP's estimate is of the int8 accuracy")

        let (floatBest, floatReport) = try await bestTrial(fixture, ["--study", "float"])
        // The float accuracies are 50 to 53 here, the int8 ones 87 to 90: the GP models the float ones.
        let floatPredicted = try #require(floatBest["predicted_accuracy"] as? Double)
        #expect((50...54).contains(floatPredicted), "\(floatBest)")
        #expect(floatReport["ranked_by"] as? String == "accuracy")

        let csv = try await fixture.runner.run(["trials", "--study", "int8", "--format", "csv"])
        #expect(csv.stdout.split(separator: "\n").first?.contains("metric_accuracy_int8") == true)
        let table = try await fixture.runner.run(["trials", "--study", "int8"])
        #expect(table.stdout.contains("int8 %"), "\(table.stdout)")
    }

    @Test func theProgressLinesBestAndExportTrialBestOfAnEightBitStudyAreByInt8Accuracy() async throws {
        let fixture = try CLIFixture()
        let search = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "4", "--bits", "8", "--study", "q",
                                                   "--evaluator-command", Self.opposedAccuracies])
        #expect(search.status == 0, "\(search.stderr)")
        let int8 = Self.int8(_:)
        let (_, bestByInt8, number) = try await bestByInt8(fixture, "q")
        let last = try #require(search.stderr.split(separator: "\n").last { $0.hasPrefix("[4/4]") })
        #expect(last.hasSuffix(String(format: "best %.2f%% int8 (trial %d)", int8(bestByInt8), number))
                    || last.contains(String(format: "best %.2f%% int8 (trial %d)  [", int8(bestByInt8), number)), "\(last)")
        let export = try await fixture.runner.run(["export", "--study", "q", "--trial", "best", "--format", "json"])
        let exported = try #require(try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any])
        #expect(exported["trial"] as? Int == number, "\(export.stdout)")
    }

    @Test func theStudiesListsBestAndEpochsAtBestAndAnalyzeOfAnEightBitStudyAreByInt8Accuracy() async throws {
        let fixture = try CLIFixture()
        let search = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "4", "--bits", "8", "--epochs", "3",
                                                   "--study", "q", "--evaluator-command", Self.opposedAccuracies])
        #expect(search.status == 0, "\(search.stderr)")
        let int8 = Self.int8(_:)
        let (rows, bestByInt8, number) = try await bestByInt8(fixture, "q")

        let list = try await fixture.runner.run(["studies", "list", "--format", "json"])
        let studies = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        let record = try #require(studies.first { $0["study"] as? String == "q" })
        #expect(record["best_accuracy"] as? Double == int8(bestByInt8), "\(record)")
        // Trials run one after another and each trains the study's 3 epochs (no intermediate
        // reports), so the best was first complete after 3 epochs per trial up to its number.
        let all = try #require(try JSONSerialization.jsonObject(
            with: Data(try await fixture.runner.run(["trials", "--study", "q", "--format", "json"]).stdout.utf8)) as? [[String: Any]])
        let finishedByThen = all.filter { ($0["number"] as? Int ?? .max) <= number && $0["state"] as? String == "complete" }
        #expect(record["epochs_at_best"] as? Int == 3 * finishedByThen.count, "\(record)")

        let analyze = try await fixture.runner.run(["analyze", "--study", "q", "--format", "json"])
        #expect(analyze.status == 0, "\(analyze.stderr)")
        let analysis = try #require(try JSONSerialization.jsonObject(with: Data(analyze.stdout.utf8)) as? [String: Any])
        let principles = try #require(analysis["design_principles"] as? [String: Any])
        let recommended = try #require(rows.first { $0["number"] as? Int == principles["best_trial"] as? Int })
        #expect(principles["best_accuracy"] as? Double == int8(recommended), "\(principles)")
        // The int8 accuracies are 87 to 90 and the float ones 50 to 53: the fitted model is of the int8 ones.
        let centre = try #require(principles["centre_predicted_accuracy"] as? Double)
        #expect(abs(centre - int8(recommended)) < 1, "\(principles)")
    }

    @Test func pruningAnEightBitStudyIsRefusedWithOneLineSayingWhy() async throws {
        let fixture = try CLIFixture()
        let result = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "2", "--bits", "8", "--epochs", "9",
                                                   "--prune", "--study", "p", "--evaluator-command", Self.opposedAccuracies])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("pruning judges a training's float accuracy curve, and a study deployed at 8 bits ranks by int8 accuracy"))
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        let trials = try await fixture.runner.run(["trials", "--study", "p", "--format", "json"])
        #expect(trials.status != 0, "no study was made: \(trials.stdout)")
    }

    @Test func anEightBitStudyFailsATrialWhoseResultHasNoInt8AccuracyAndSaysWhy() async throws {
        let fixture = try CLIFixture()
        let result = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "2", "--bits", "8", "--study", "s",
                                             "--max-failures", "1", "--evaluator-command", #"echo '{"accuracy": 61}'"#])
        #expect(result.status != 0)
        let trials = try await fixture.runner.run(["trials", "--study", "s", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(trials.stdout.utf8)) as? [[String: Any]])
        #expect(!rows.isEmpty && rows.allSatisfy { $0["state"] as? String == "failed" })
        #expect((rows.first?["error"] as? String)?.contains("deployed at 8 bits and ranks by accuracy_int8") == true)
    }

    @Test func anEightBitLatencyStudyMeasuresTheInt8Model() async throws {
        let fixture = try CLIFixture()
        let script = fixture.file("latency.sh")
        // Says which precision it measured, as gpnav_torch.latency does: int8 only when given --int8.
        try """
            precision=float32; [ "$2" = "--int8" ] && precision=int8
            echo "{\\"latency_ms\\": 5, \\"latency_spread_ms\\": 0.1, \\"precision\\": \\"$precision\\"}"
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let flags = ["--latency", "40ms", "--bits", "8"]
        let int8 = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "2", "--evaluator-command",
                                           Self.opposedAccuracies, "--latency-command", "sh \(script) {config} --int8",
                                           "--device-name", "edge", "--study", "lat"] + flags)
        #expect(int8.status == 0, "\(int8.stderr)")
        // Another device, so that the int8 study's measurements are not reused.
        let float = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "2", "--evaluator-command",
                                            Self.opposedAccuracies, "--latency-command", "sh \(script) {config}",
                                            "--max-failures", "1", "--device-name", "other", "--study", "lat-float"] + flags)
        #expect(float.status != 0)
        #expect(float.stderr.contains("precision float32, the study's is int8"), "\(float.stderr)")
    }

    @Test func deploymentBitsOutsideTheSupportedWidthsOrDisagreeingWithTheMemoryBudgetAreRefused() async throws {
        let fixture = try CLIFixture()
        let odd = try await fixture.runner.run(["search", "--macs", "300M", "--bits", "7"])
        #expect(odd.status == 2 && odd.stderr.contains("--bits 7 is not supported: use 32, 16, 8, 6, 4"), "\(odd.stderr)")
        let created = try await fixture.runner.run(["studies", "create", "c", "--macs", "300M", "--bits", "8"])
        #expect(created.status == 0, "\(created.stderr)")
        let resumed = try await fixture.runner.run(["search", "--study", "c", "--resume", "--bits", "32", "--trials", "1"])
        #expect(resumed.status != 0 && resumed.stderr.contains("deployment bits: stored 8, given 32"), "\(resumed.stderr)")
    }
}
