import Foundation
import MobileViT
import Testing

/// Every registered family through every command that reads a study: what a new family gets by
/// registering, with no test naming it.
@Suite("every family through every command")
struct FamilyCommandContractTests {
    /// SQLite always; PostgreSQL too when the tests have a server (`bash .ci/with-postgres swift test --traits Full`).
    static let cases = ArchitectureFamilies.names.flatMap { family in
        (["sqlite"] + (PostgresServer.url == nil ? [] : ["postgres"])).map { (family, $0) }
    }

    private func objects(_ text: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    }

    /// Keys of a trial row that carry its architecture: its family's own names.
    private func architectureKeys(_ family: any ArchitectureFamily) -> [String] {
        ["family", "resolution", "width"] + family.depthGroups.map(\.name) + family.choices.map(\.name)
    }

    @Test("search, trials, import, pareto, analyze, plot cube and export speak the family's own factors",
          arguments: cases)
    func searchAndEveryReaderSpeakTheFamilysFactors(name: String, backend: String) async throws {
        let family = try ArchitectureFamilies.named(name)
        let fixture = try CLIFixture()
        var runner = fixture.runner
        if backend == "postgres" { runner.environment["GPNAV_DB"] = try PostgresServer().newSchemaURL() }
        // A budget below the smallest published model, so that the downsizing chain has steps.
        let smallest = family.presets.map { CostModel.cost(of: $0.architecture).macs }.min() ?? 1
        let budget = String(smallest * 4 / 5)
        let search = try await runner.run(["search", "--family", name, "--macs", budget, "--trials", "8", "--study", "f",
                                     "--format", "json"])
        #expect(search.status == 0, "\(search.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [String: Any])
        let best = try #require(report["best"] as? [String: Any])
        // The default family's architecture JSON leaves `family` out, as it always has.
        #expect((best["family"] as? String ?? ArchitectureFamilies.standard.name) == name)
        #expect(try #require(best["macs"] as? Int) <= smallest * 4 / 5)

        let rows = try objects(try await runner.run(["trials", "--study", "f", "--format", "json"]).stdout)
        #expect(rows.count == 8)
        for row in rows {
            for key in architectureKeys(family) { #expect(row[key] != nil, "\(key) missing from \(row)") }
            let architecture = try JSONDecoder().decode(Architecture.self, from: try JSONSerialization.data(withJSONObject: row))
            #expect(architecture.familyName == name)
            #expect(CostModel.cost(of: architecture).macs == row["macs"] as? Int)
        }

        // The CSV has the family's own columns and round-trips through import.
        let csv = try await runner.run(["trials", "--study", "f", "--format", "csv"])
        let header = try #require(csv.stdout.split(separator: "\n").first).split(separator: ",").map(String.init)
        for key in architectureKeys(family) { #expect(header.contains(key), "\(key) missing from \(header)") }
        try csv.stdout.write(toFile: fixture.file("f.csv"), atomically: true, encoding: .utf8)
        let imported = try await runner.run(["import", "f.csv", "--study", "copy"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let copied = try objects(try await runner.run(["trials", "--study", "copy", "--format", "json"]).stdout)
        let keys = architectureKeys(family) + ["macs"]
        #expect(copied.map { row in keys.map { "\(row[$0] ?? "")" } } == rows.map { row in keys.map { "\(row[$0] ?? "")" } })

        let pareto = try await runner.run(["pareto", "--study", "f"])
        #expect(pareto.status == 0, "\(pareto.stderr)")
        let analyze = try await runner.run(["analyze", "--study", "f"])
        #expect(analyze.status == 0, "\(analyze.stderr)")
        let third = try #require(family.factors.dropFirst(2).first)
        #expect(analyze.stdout.contains(third.words) || analyze.stdout.contains(third.name), "\(analyze.stdout)")
        let plot = try await runner.run(["plot", "cube", "--study", "f", "--x", "width", "--y", third.argument, "--out", "cube.svg"])
        #expect(plot.status == 0, "\(plot.stderr)")
        #expect(try String(contentsOfFile: fixture.file("cube.svg"), encoding: .utf8).contains(third.label))

        let export = try await runner.run(["export", "--study", "f", "--trial", "0"])
        #expect(export.status == 0, "\(export.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any])
        #expect(document["family"] as? String == name)
        let architecture = try JSONDecoder().decode(Architecture.self, from: Data(export.stdout.utf8))
        let plan = try #require(document["channel_plan"] as? [String: Any])
        let expected = try #require(try JSONSerialization.jsonObject(
            with: Data(CostModel.channelPlan(of: architecture).canonicalText.utf8)) as? [String: Any])
        #expect(NSDictionary(dictionary: plan).isEqual(to: expected))
    }

    @Test("a family's factors are --factor flags; another family's factor is refused naming the family's own",
          arguments: ArchitectureFamilies.names)
    func factorFlagsComeFromTheFamily(_ name: String) async throws {
        let family = try ArchitectureFamilies.named(name)
        let fixture = try CLIFixture()
        let factor = try #require(family.factors.last)
        let grid = factor.defaultGrid.prefix(2).map { factor.isWholeNumber ? String(Int($0)) : String($0) }.joined(separator: ",")
        let created = try await fixture.runner.run(["studies", "create", "g", "--family", name, "--macs", "1G",
                                              "--factor", "\(factor.argument)=\(grid)"])
        #expect(created.status == 0, "\(created.stderr)")
        let refused = try await fixture.runner.run(["studies", "create", "h", "--family", name, "--macs", "1G",
                                              "--factor", "no-such-factor=1,2"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("has no factor 'no-such-factor'")
            && refused.stderr.contains(family.factors.map(\.argument).joined(separator: ", ")), "\(refused.stderr)")
    }

    @Test("macs of a family without flags is its base network at its own base resolution", arguments: ArchitectureFamilies.names)
    func macsDefaultsToTheFamilysBaseNetwork(_ name: String) async throws {
        let family = try ArchitectureFamilies.named(name)
        let output = try await CLIFixture().runner.run(["macs", "--family", name, "--format", "json"])
        #expect(output.status == 0, "\(output.stderr)")
        let architecture = try JSONDecoder().decode(Architecture.self, from: Data(output.stdout.utf8))
        #expect(architecture == (try family.baseArchitecture()))
    }
}
