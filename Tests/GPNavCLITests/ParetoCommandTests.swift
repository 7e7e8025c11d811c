import Foundation
import GPNav
import Testing

@Suite("gpnav pareto")
struct ParetoCommandTests {
    /// `study#number` of each CSV row.
    static func rows(_ csv: String) throws -> [String] {
        let records = try CSV.parse(csv)
        #expect(records.first?.fields.prefix(3) == ["number", "study", "state"])
        return records.dropFirst().map { $0.fields[1] + "#" + $0.fields[0] }
    }

    // Fronts worked out by hand from the fixture table in CLIFixtures.swift.
    @Test(arguments: [
        (["--study", "s300"], ["s300#0", "s300#1", "s300#3"]),
        ([], ["other#0", "s300#0", "s300#1", "s300#3"]),
        (["--study", "s300", "--objectives", "accuracy:max,params:min"], ["s300#0", "s300#1"]),
        (["--study", "s300", "--objectives", "macs:min"], ["s300#3"]),
        (["--study", "s300", "--objectives", "top5:max,macs:min"], ["s300#1"]),
        (["--objectives", "accuracy:min,params:max"], ["s300#3", "s300#4", "s300#0", "other#0"]),
        (["--study", "s300", "--max-macs", "300M"], ["s300#1", "s300#3"]),
        // #3 is dominated only by #1 (298 M MACs): under 250M it is the front.
        (["--study", "s300", "--objectives", "accuracy:max,params:min", "--max-macs", "250M"], ["s300#3"]),
    ])
    func frontMatchesHandComputedRows(arguments: [String], expected: [String]) async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let output = try await fixture.runner.run(["pareto"] + arguments)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(try Self.rows(output.stdout) == expected)
    }

    @Test func tableAndJSONListTheSameFrontAsTheCSV() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let table = try await fixture.runner.run(["pareto", "--study", "s300", "--max-macs", "300M", "--format", "table"])
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.first?.contains("acc %") == true && lines.first?.contains("MACs") == true)
        #expect(lines.dropFirst(2).map { $0.split(separator: " ").first.map(String.init) } == ["1", "3"], "\(table.stdout)")
        #expect(lines.contains { $0.contains("70.18") })
        let json = try await fixture.runner.run(["pareto", "--study", "s300", "--max-macs", "300M", "--format", "json"])
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(objects.map { $0["number"] as? Int } == [1, 3])
        #expect(objects.map { $0["macs"] as? Int } == [298_123_456, 210_000_000])
        let none = try await fixture.runner.run(["pareto", "--study", "s300", "--max-macs", "1M", "--format", "table"])
        #expect(none.status == 0 && none.stdout == "No trials on the front.\n")
        let bad = try await fixture.runner.run(["pareto", "--max-macs", "lots"])
        #expect(bad.status == 2 && bad.stderr.hasPrefix("gpnav: error: --max-macs:") && bad.stderr.split(separator: "\n").count == 1)
    }

    @Test func outWritesTheSameCSVToAFile() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let stdout = try await fixture.runner.run(["pareto", "--study", "s300"]).stdout
        let output = try await fixture.runner.run(["pareto", "--study", "s300", "--out", "front.csv"])
        #expect(output.status == 0)
        #expect(output.stdout.isEmpty)
        #expect(try String(contentsOfFile: fixture.file("front.csv"), encoding: .utf8) == stdout)
    }

    @Test func badObjectivesAndUnwritableOutAreOneLineErrors() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let bad = try await fixture.runner.run(["pareto", "--objectives", "accuracy"])
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("gpnav: error: objective 'accuracy' must be NAME:max or NAME:min"))
        let before = try fixture.contents()
        let unwritable = try await fixture.runner.run(["pareto", "--out", "missing/front.csv"])
        #expect(unwritable.status == 2)
        #expect(unwritable.stderr == "gpnav: error: cannot write 'missing/front.csv': check that its directory exists and is writable\n")
        #expect(try fixture.contents() == before)
        let unknown = try await fixture.runner.run(["pareto", "--study", "nope"])
        #expect(unknown.status == 4)
    }

    @Test(arguments: [
        (["--objectives", "acc:max"], "'acc'", "accuracy, macs, params, top5"),
        (["--study", "s300", "--objectives", "accuracy:max,mac:min"], "'mac'", "accuracy, macs, params, top5"),
        (["--study", "other", "--objectives", "top5:max"], "'top5'", "accuracy, macs, params"),
        (["--study", "s300", "--objectives", "Accuracy:max"], "'Accuracy'", "accuracy, macs, params, top5"),
    ])
    func unknownObjectivesAreAnErrorListingTheValidNames(arguments: [String], named: String, valid: String) async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let output = try await fixture.runner.run(["pareto"] + arguments)
        #expect(output.status == 2, "\(output.stderr)")
        #expect(output.stdout.isEmpty)
        #expect(Reliability.isOneCleanErrorLine(output.stderr), "\(output.stderr)")
        #expect(output.stderr.contains("unknown objective \(named)") && output.stderr.hasSuffix(": the trials have \(valid)\n"),
                "\(output.stderr)")
    }

    @Test func withoutObjectivesAStudysOwnObjectivesAreUsed() async throws {
        let fixture = try CLIFixture()
        let store = try fixture.seed()
        var study = CLIFixture.study("by-params")
        study.objectives = ["accuracy:max", "params:min"]
        let id = try store.createStudy(study).id ?? -1
        for (resolution, width, macs, params, accuracy) in [(256, 0.75, 1_030_000_000, 2_870_000, 75.6),
                                                             (224, 0.5, 298_123_456, 1_370_000, 70.18),
                                                             (192, 0.5, 210_000_000, 1_370_000, 68.0)] {
            _ = try store.addFinishedTrial(try CLIFixture.trial(id, .complete, resolution: resolution, width: width,
                                                                macs: macs, params: params, accuracy: accuracy))
        }
        let byDefault = try await fixture.runner.run(["pareto", "--study", "by-params"])
        #expect(byDefault.status == 0, "\(byDefault.stderr)")
        #expect(try Self.rows(byDefault.stdout) == ["by-params#0", "by-params#1"])
        let byMACs = try await fixture.runner.run(["pareto", "--study", "by-params", "--objectives", "accuracy:max,macs:min"])
        #expect(try Self.rows(byMACs.stdout) == ["by-params#0", "by-params#1", "by-params#2"])
    }
}
