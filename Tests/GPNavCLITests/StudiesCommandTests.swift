import Foundation
import GPNav
import Testing

@Suite("gpnav studies")
struct StudiesCommandTests {
    @Test func listsCountsByStateAndBestAccuracy() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let output = try await fixture.runner.run(["studies", "--format", "json"])
        #expect(output.status == 0, "\(output.stderr)")
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
        #expect(objects.map { $0["study"] as? String } == ["s300", "other"])
        #expect(objects[0]["trials"] as? Int == 6)
        #expect(objects[0]["complete"] as? Int == 4)
        #expect(objects[0]["failed"] as? Int == 1)
        #expect(objects[0]["running"] as? Int == 1)
        // Best within the 300M budget: the 1.03G trial's higher accuracy is not a candidate.
        #expect(objects[0]["best_accuracy"] as? Double == 70.18)
        #expect((objects[0]["budget"] as? [String: Any])?["macs"] as? Int == 300_000_000)
        #expect(objects.map { $0["family"] as? String } == ["mobilevitv2", "mobilevitv2"])
        let table = try await fixture.runner.run(["studies"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("70.18"))
        #expect(table.stdout.contains("300 M"))
        #expect(!table.stdout.contains("abandoned"), "no column for a state no study has")
        #expect(table.stdout.split(separator: "\n").allSatisfy { $0.count <= 100 })
    }

    @Test func abandonedTrialsAreCountedAndListedAsAStateOfTheirOwn() async throws {
        let fixture = try CLIFixture()
        let store = try fixture.seed()
        let other = try #require(try store.study(named: "other")?.id)
        _ = try store.addFinishedTrial(try CLIFixture.trial(other, .abandoned, resolution: 256, width: 1.0, macs: 1_840_000_000,
                                                            params: 4_900_000, accuracy: nil, error: "no heartbeat since 2025-11-21T00:00:30.000Z"))
        let output = try await fixture.runner.run(["studies", "--format", "json"])
        #expect(output.status == 0, "\(output.stderr)")
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
        #expect(objects.map { $0["abandoned"] as? Int } == [0, 1])
        #expect(objects.map { $0["failed"] as? Int } == [1, 0])
        #expect(objects.map { $0["trials"] as? Int } == [6, 2])
        let csv = try CSV.parse(try await fixture.runner.run(["studies", "--format", "csv"]).stdout)
        let column = try #require(csv.first?.fields.firstIndex(of: "abandoned"))
        #expect(csv.dropFirst().map { $0.fields[column] } == ["0", "1"])
        let table = try await fixture.runner.run(["studies"]).stdout.split(separator: "\n")
        #expect(table.first?.split(separator: " ").prefix(8) == ["study", "trials", "complete", "running", "failed", "pruned", "abandoned", "best"])
        #expect(table.last?.split(separator: " ").prefix(7) == ["other", "2", "1", "0", "0", "0", "1"], "\(table)")
        let listed = try CSV.parse(try await fixture.runner.run(["trials", "--state", "abandoned", "--format", "csv"]).stdout)
        #expect(listed.dropFirst().map { $0.fields[1] + "#" + $0.fields[0] + " " + $0.fields[2] } == ["other#1 abandoned"])
    }

    @Test func deleteRemovesTheStudyAndItsTrialsOnly() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let output = try await fixture.runner.run(["studies", "delete", "s300"])
        #expect(output.status == 0, "\(output.stderr)")
        let left = try CSV.parse(try await fixture.runner.run(["trials", "--format", "csv"]).stdout)
        #expect(left.dropFirst().map { $0.fields[1] } == ["other"])
        let again = try await fixture.runner.run(["studies", "delete", "s300"])
        #expect(again.status == 4)
        #expect(again.stderr == "gpnav: error: unknown study 's300'; known studies: other\n")
    }

    @Test("create makes a study that search can resume; the same again is a no-op, other settings a usage error")
    func createMakesAStudyOnceWithTheSearchsRules() async throws {
        let fixture = try CLIFixture()
        let created = try await fixture.runner.run(["studies", "create", "--macs", "300M", "--trials", "3"])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout == "Created study 'macs-300M': MobileViTv2 within 300 M MACs, 3 trials.\n")
        let again = try await fixture.runner.run(["studies", "create", "--macs", "300M", "--trials", "3"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.hasPrefix("Study 'macs-300M' exists with these settings"))
        let other = try await fixture.runner.run(["studies", "create", "--macs", "300M", "--trials", "4"])
        #expect(other.status == 2)
        #expect(other.stderr.contains("target trials: stored 3, given 4") && other.stderr.split(separator: "\n").count == 1,
                "\(other.stderr)")
        for bad in [["studies", "create", "x$(id)", "--macs", "300M"], ["studies", "create", "--macs", "1"],
                    ["studies", "create", "s"]] {
            let refused = try await fixture.runner.run(bad)
            #expect(refused.status == 2, "\(bad): \(refused.stderr)")
            #expect(refused.stderr.hasPrefix("gpnav: error:") && refused.stderr.split(separator: "\n").count == 1)
        }
        // The study is the one a search would have made: the search resumes it to its target.
        let search = try await fixture.runner.run(["search", "--study", "macs-300M", "--resume", "--format", "json"])
        #expect(search.status == 0, "\(search.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [String: Any])
        #expect(report["complete_trials"] as? Int == 3)
    }

    @Test func emptyDatabaseSaysSo() async throws {
        let fixture = try CLIFixture()
        _ = try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readWrite(createIfMissing: true))
        let output = try await fixture.runner.run(["studies"])
        #expect(output.status == 0)
        #expect(output.stdout == "No studies yet.\n")
    }
}
