import Foundation
import GPNav
import Testing

/// The learning curves from the command line: `--epochs`, `--epoch-budget`, `trials --curves`,
/// `plot curves`, and the epochs spent in `search` and `studies`.
@Suite("gpnav learning curves")
struct LearningCurveCommandTests {
    private func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    @Test func aSearchWithEpochsStoresEachTrialsCurveEndingAtItsResult() async throws {
        let fixture = try CLIFixture()
        let search = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "4", "--epochs", "5", "--format", "json"])
        #expect(search.status == 0, "\(search.stderr)")
        let report = try #require(try json(search.stdout) as? [String: Any])
        #expect(report["epochs_spent"] as? Int == 20)
        let csv = try await fixture.runner.run(["trials", "--curves", "--format", "csv"])
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.first == "study,number,state,epoch,accuracy")
        #expect(lines.count == 1 + 4 * 5)
        let points = try await #require(try json(fixture.runner.run(["trials", "--curves", "--format", "json"]).stdout) as? [[String: Any]])
        let trials = try await #require(try json(fixture.runner.run(["trials", "--format", "json"]).stdout) as? [[String: Any]])
        for trial in trials {
            let number = try #require(trial["number"] as? Int)
            let curve = points.filter { $0["number"] as? Int == number }
            #expect(curve.compactMap { $0["epoch"] as? Int } == [1, 2, 3, 4, 5])
            #expect(curve.last?["accuracy"] as? Double == trial["accuracy"] as? Double)
        }
        let table = try await fixture.runner.run(["trials", "--curves"])
        #expect(table.stdout.hasPrefix("study"))
        #expect(table.stdout.split(separator: "\n").count == 2 + 20)
    }

    @Test func plotCurvesDrawsOneLinePerTrialWithTheBestOneMarked() async throws {
        let fixture = try CLIFixture()
        #expect(try await fixture.runner.run(["search", "--macs", "300M", "--trials", "4", "--epochs", "6"]).status == 0)
        let plot = try await fixture.runner.run(["plot", "curves", "--out", "curves.svg"])
        #expect(plot.status == 0, "\(plot.stderr)")
        let check = try PlotCommandTests.SVGCheck(path: fixture.file("curves.svg"))
        #expect(check.isSVG)
        #expect(check.classes["curve"] == 4)
        #expect(check.classes["best"] == 1)
        #expect(check.classes["axis-label"] == 2)
    }

    @Test func plotCurvesOfAStudyWithoutCurvesSaysSoAndFails() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let plot = try await fixture.runner.run(["plot", "curves", "--study", "s300", "--out", "curves.svg"])
        #expect(plot.status != 0)
        #expect(plot.stderr.contains("study 's300' has no learning curves"))
        #expect(!FileManager.default.fileExists(atPath: fixture.file("curves.svg")))
    }

    @Test func anEpochBudgetEndsTheStudyBeforeAFullTrainingWouldPassIt() async throws {
        let fixture = try CLIFixture()
        let search = try await fixture.runner.run(["search", "--macs", "300M", "--epochs", "10", "--epoch-budget", "45",
                                             "--format", "json"])
        #expect(search.status == 0, "\(search.stderr)")
        let report = try #require(try json(search.stdout) as? [String: Any])
        #expect(report["complete_trials"] as? Int == 4)
        #expect(report["epochs_spent"] as? Int == 40)
        // Resumed with a larger budget, it goes on to the new one.
        let more = try await fixture.runner.run(["search", "--study", "macs-300M", "--resume", "--epoch-budget", "60", "--format", "json"])
        #expect(more.status == 0, "\(more.stderr)")
        #expect((try json(more.stdout) as? [String: Any])?["epochs_spent"] as? Int == 60)
        let refused = try await fixture.runner.run(["search", "--macs", "200M", "--epoch-budget", "45"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("an epoch budget of 45 needs the study's training length in epochs"))
    }

    @Test func resumingAStudyKeepsItsCurvesAndItsLengthAndStudiesShowTheEpochsSpent() async throws {
        let fixture = try CLIFixture()
        #expect(try await fixture.runner.run(["search", "--macs", "300M", "--trials", "3", "--epochs", "4"]).status == 0)
        let resumed = try await fixture.runner.run(["search", "--study", "macs-300M", "--resume", "--trials", "5"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let csv = try await fixture.runner.run(["trials", "--curves", "--format", "csv"])
        #expect(csv.stdout.split(separator: "\n").count == 1 + 5 * 4)
        let other = try await fixture.runner.run(["search", "--study", "macs-300M", "--resume", "--epochs", "8"])
        #expect(other.status == 2)
        #expect(other.stderr.contains("epochs: stored 4, given 8"))
        let studies = try await #require(try json(fixture.runner.run(["studies", "--format", "json"]).stdout) as? [[String: Any]])
        #expect(studies.first?["epochs_spent"] as? Int == 20)
        let table = try await fixture.runner.run(["studies"])
        #expect(table.stdout.contains("epochs"))
    }

    @Test func aTrainingCommandsCurveIsStoredAndABadLineFailsItsTrialWithTheLine() async throws {
        let fixture = try CLIFixture()
        let script = fixture.file("train.sh")
        try """
            case "$GPNAV_TRIAL" in
              0) printf '%s\\n' '{"epoch": 1, "accuracy": 30}' '{"epoch": 2, "accuracy": 50}' '{"accuracy": 55}' ;;
              *) printf '%s\\n' '{"epoch": 1, "accuracy": 30}' '{"epoch": 1, "accuracy": 31}' '{"accuracy": 55}' ;;
            esac
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let search = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "1", "--epochs", "2", "--max-failures", "1",
                                             "--evaluator", "command", "--evaluator-command", "sh \(script)"])
        #expect(search.status == 0, "\(search.stderr)")
        let rows = try await fixture.runner.run(["trials", "--curves", "--format", "csv"]).stdout.split(separator: "\n")
        #expect(rows.dropFirst().map { $0.split(separator: ",").prefix(4).joined(separator: ",") }
                == ["macs-300M,0,complete,1", "macs-300M,0,complete,2"])
        let second = try await fixture.runner.run(["search", "--study", "macs-300M", "--resume", "--trials", "2", "--max-failures", "1",
                                             "--evaluator", "command", "--evaluator-command", "sh \(script)"])
        #expect(second.status != 0)
        let trials = try await #require(try json(fixture.runner.run(["trials", "--format", "json"]).stdout) as? [[String: Any]])
        let failed = try #require(trials.first { $0["number"] as? Int == 1 })
        #expect(failed["state"] as? String == "failed")
        #expect((failed["error"] as? String)?.hasPrefix("stdout line 2: epoch 1 is reported twice") == true)
        let curves = try await fixture.runner.run(["trials", "--curves", "--format", "csv"]).stdout
        #expect(curves.contains("macs-300M,1,failed,1,30"))
    }

    @Test func aCopiedStudyKeepsEveryTrialsCurve() async throws {
        let fixture = try CLIFixture()
        #expect(try await fixture.runner.run(["search", "--macs", "300M", "--trials", "3", "--epochs", "4"]).status == 0)
        let copy = try await fixture.runner.run(["copy", "--from", "gpnav.sqlite", "--to", "copy.sqlite"])
        #expect(copy.status == 0, "\(copy.stderr)")
        let original = try await fixture.runner.run(["trials", "--curves", "--format", "csv"]).stdout
        let copied = try await fixture.runner.run(["trials", "--curves", "--format", "csv", "--db", "copy.sqlite"]).stdout
        #expect(original.split(separator: "\n").count == 1 + 3 * 4)
        #expect(copied == original)
    }
}
