import Foundation
import MobileViT
import Testing

/// A MobileViT v1 study end to end: `search --family mobilevit`, then every command that reads it.
@Suite("MobileViT v1 through every command")
struct MobileViTv1SearchTests {
    private func objects(_ text: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    }

    /// SQLite always; PostgreSQL too when the tests have a server (`bash .ci/with-postgres swift test --traits Full`).
    static let backends = ["sqlite"] + (PostgresServer.url == nil ? [] : ["postgres"])

    @Test("a mobilevit search is followed by trials, pareto, analyze, plot cube and export, all of mobilevit",
          arguments: backends)
    func searchAndEveryReaderSayMobileViT(backend: String) async throws {
        let fixture = try CLIFixture()
        var runner = fixture.runner
        if backend == "postgres" { runner.environment["GPNAV_DB"] = try PostgresServer().newSchemaURL() }
        let search = try await runner.run(["search", "--family", "mobilevit", "--macs", "300M", "--trials", "12",
                                             "--format", "json"])
        #expect(search.status == 0, "\(search.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [String: Any])
        let best = try #require(report["best"] as? [String: Any])
        #expect(best["family"] as? String == "mobilevit")
        #expect(try #require(best["macs"] as? Int) <= 300_000_000)
        // The default study name names the family: a MobileViTv2 search under the same budget is another study.
        #expect(report["study"] as? String == "mobilevit-macs-300M")

        let trials = try await runner.run(["trials", "--study", "mobilevit-macs-300M", "--format", "json"])
        #expect(trials.status == 0, "\(trials.stderr)")
        let rows = try objects(trials.stdout)
        #expect(rows.count == 12)
        #expect(rows.allSatisfy { $0["family"] as? String == "mobilevit" })
        let table = try await runner.run(["trials", "--study", "mobilevit-macs-300M"])
        let tableHeader = try #require(table.stdout.split(separator: "\n").first)
        #expect(tableHeader.contains("base_plan") && tableHeader.contains("expansion"))
        // Every stored count is the exact count of the stored v1 architecture.
        for row in rows {
            let data = try JSONSerialization.data(withJSONObject: row)
            let architecture = try JSONDecoder().decode(Architecture.self, from: data)
            #expect(architecture.familyName == "mobilevit")
            #expect(CostModel.cost(of: architecture).macs == row["macs"] as? Int)
        }

        // The CSV round-trips: imported into a new study, the same v1 architectures come back.
        let csv = try await runner.run(["trials", "--study", "mobilevit-macs-300M", "--format", "csv"])
        try csv.stdout.write(toFile: fixture.file("v1.csv"), atomically: true, encoding: .utf8)
        let imported = try await runner.run(["import", "v1.csv", "--study", "copy"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let copied = try objects(try await runner.run(["trials", "--study", "copy", "--format", "json"]).stdout)
        let keys = ["family", "base_plan", "expansion", "mv2_depths", "vit_depths", "resolution", "macs"]
        #expect(copied.map { row in keys.map { "\(row[$0] ?? "")" } } == rows.map { row in keys.map { "\(row[$0] ?? "")" } })

        let pareto = try await runner.run(["pareto", "--study", "mobilevit-macs-300M"])
        #expect(pareto.status == 0, "\(pareto.stderr)")
        let header = try #require(pareto.stdout.split(separator: "\n").first)
        #expect(header.contains("family") && header.contains("expansion") && header.contains("base_plan"))
        #expect(pareto.stdout.split(separator: "\n").dropFirst().allSatisfy { $0.contains("mobilevit") })

        let analyze = try await runner.run(["analyze", "--study", "mobilevit-macs-300M"])
        #expect(analyze.status == 0, "\(analyze.stderr)")
        #expect(analyze.stdout.contains("MV2 expansion ratio") || analyze.stdout.contains("mv2_expansion"))

        let plot = try await runner.run(["plot", "cube", "--study", "mobilevit-macs-300M", "--x", "width", "--y", "mv2-expansion",
                                           "--out", "cube.svg"])
        #expect(plot.status == 0, "\(plot.stderr)")
        let svg = try String(contentsOfFile: fixture.file("cube.svg"), encoding: .utf8)
        #expect(svg.contains("MV2 expansion ratio"))

        let export = try await runner.run(["export", "--study", "mobilevit-macs-300M", "--trial", "0"])
        #expect(export.status == 0, "\(export.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any])
        #expect(document["family"] as? String == "mobilevit")
        let plan = try #require(document["channel_plan"] as? [String: Any])
        #expect(plan["head"] != nil)  // v1's plan: its final 1x1 conv before pooling
        let yaml = try await runner.run(["export", "--study", "mobilevit-macs-300M", "--trial", "0", "--format", "cvnets-yaml"])
        #expect(yaml.status == 2)
        #expect(yaml.stderr.contains("mobilevitv2 architectures only"))
    }

    @Test("every preset of every family is a --model; a model of another family than --family is refused")
    func presetsOfEveryFamily() async throws {
        let fixture = try CLIFixture()
        let macs = try await fixture.runner.run(["macs", "--model", "mobilevit-xs", "--format", "json"])
        #expect(macs.status == 0, "\(macs.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(macs.stdout.utf8)) as? [String: Any])
        #expect(report["params"] as? Int == 2_317_848)
        #expect(report["family"] as? String == "mobilevit")
        let mismatch = try await fixture.runner.run(["macs", "--family", "mobilevitv2", "--model", "mobilevit-s"])
        #expect(mismatch.status != 0)
        #expect(mismatch.stderr.hasPrefix("gpnav: error:") && mismatch.stderr.contains("mobilevit"))
        let full = try await fixture.runner.run(["macs", "--model", "mobilevit-s", "--convention", "full"])
        #expect(full.status == 2)
        #expect(full.stderr.contains("mobilevit is not counted under the full convention"))
        let unknown = try await fixture.runner.run(["macs", "--family", "resnet"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("unknown architecture family 'resnet'"))
        let downsize = try await fixture.runner.run(["downsize", "--family", "mobilevit", "--macs", "300M", "--format", "json"])
        #expect(downsize.status == 0, "\(downsize.stderr)")
        // The chain starts at XXS (the smallest preset above 300 M), as a width on S's plan: near
        // XXS's 0.36 G MACs, not at S's plan with XXS's width multiplier (1.7 G).
        let steps = try objects(downsize.stdout)
        #expect(try #require(steps.first?["macs"] as? Int) < 500_000_000)
        #expect(steps.first?["base_plan"] as? String == "s")
        let expansions = try await fixture.runner.run(["search", "--macs", "300M", "--mv2-expansions", "2,4"])
        #expect(expansions.status == 2)
        #expect(expansions.stderr.contains("mobilevitv2 has no factor 'mv2_expansion'"))
    }

    @Test("macs and evaluate set v1's expansion and base plan with --choice; a wrong name or value is one line")
    func choicesOfAFamilyAreFlags() async throws {
        let fixture = try CLIFixture()
        func json(_ arguments: [String]) async throws -> [String: Any] {
            let output = try await fixture.runner.run(arguments + ["--format", "json"])
            #expect(output.status == 0, "\(output.stderr)")
            return try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        }
        let four = try await json(["macs", "--model", "mobilevit-xs"])
        let two = try await json(["macs", "--model", "mobilevit-xs", "--choice", "expansion=2"])
        #expect(four["expansion"] as? Int == 4 && two["expansion"] as? Int == 2)
        #expect(try #require(two["macs"] as? Int) < (try #require(four["macs"] as? Int)))
        let plan = try await json(["macs", "--family", "mobilevit", "--choice", "base_plan=xxs", "--choice", "expansion=2"])
        #expect(plan["base_plan"] as? String == "xxs" && plan["expansion"] as? Int == 2)
        for (arguments, message) in [
            (["--family", "mobilevit", "--choice", "expansion=3"], "MV2 expansion ratio 3 is invalid: it must be one of 2, 4"),
            (["--family", "mobilevit", "--choice", "base_plan=xl"], "base plan 'xl' is invalid: it must be one of xxs, xs, s"),
            (["--family", "mobilevit", "--choice", "ratio=2"], "names no choice of family mobilevit: write NAME=VALUE with NAME one of base_plan, expansion"),
            (["--choice", "expansion=2"], "family mobilevitv2 has no choices"),
        ] {
            let output = try await fixture.runner.run(["macs"] + arguments)
            #expect(output.status == 2, "\(arguments): \(output.stderr)")
            #expect(output.stderr.contains(message) && output.stderr.split(separator: "\n").count == 1, "\(output.stderr)")
        }
        let evaluated = try await fixture.runner.run(["evaluate", "--model", "mobilevit-xs", "--choice", "expansion=2", "--study", "e"])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let trials = try await fixture.runner.run(["trials", "--study", "e", "--format", "json"])
        let stored = try #require(try JSONSerialization.jsonObject(with: Data(trials.stdout.utf8)) as? [[String: Any]])
        #expect(stored.first?["expansion"] as? Int == 2, "\(trials.stdout)")
    }

    @Test("resuming a study with another family names both families")
    func resumingWithAnotherFamilyNamesIt() async throws {
        let fixture = try CLIFixture()
        let first = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "2", "--study", "phone"])
        #expect(first.status == 0, "\(first.stderr)")
        let other = try await fixture.runner.run(["search", "--family", "mobilevit", "--macs", "300M", "--trials", "2",
                                            "--study", "phone", "--resume"])
        #expect(other.status == 2, "\(other.stderr)")
        #expect(other.stderr.contains("family: mobilevitv2 stored, mobilevit given"), "\(other.stderr)")
        #expect(other.stderr.split(separator: "\n").count == 1, "\(other.stderr)")
    }
}
