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
    ])
    func frontMatchesHandComputedRows(arguments: [String], expected: [String]) throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let output = try fixture.runner.run(["pareto"] + arguments)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(try Self.rows(output.stdout) == expected)
    }

    @Test func outWritesTheSameCSVToAFile() throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let stdout = try fixture.runner.run(["pareto", "--study", "s300"]).stdout
        let output = try fixture.runner.run(["pareto", "--study", "s300", "--out", "front.csv"])
        #expect(output.status == 0)
        #expect(output.stdout.isEmpty)
        #expect(try String(contentsOfFile: fixture.file("front.csv"), encoding: .utf8) == stdout)
    }

    @Test func badObjectivesAndUnwritableOutAreOneLineErrors() throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let bad = try fixture.runner.run(["pareto", "--objectives", "accuracy"])
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("gpnav: error: objective 'accuracy' must be NAME:max or NAME:min"))
        let before = try fixture.contents()
        let unwritable = try fixture.runner.run(["pareto", "--out", "missing/front.csv"])
        #expect(unwritable.status == 2)
        #expect(unwritable.stderr == "gpnav: error: cannot write 'missing/front.csv': check that its directory exists and is writable\n")
        #expect(try fixture.contents() == before)
        let unknown = try fixture.runner.run(["pareto", "--study", "nope"])
        #expect(unknown.status == 4)
    }
}
