import Foundation
import GPNav
import Testing

@Suite("gpnav studies")
struct StudiesCommandTests {
    @Test func listsCountsByStateAndBestAccuracy() throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let output = try fixture.runner.run(["studies", "--format", "json"])
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
        let table = try fixture.runner.run(["studies"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("70.18"))
        #expect(table.stdout.contains("300 M"))
        #expect(table.stdout.split(separator: "\n").allSatisfy { $0.count <= 100 })
    }

    @Test func deleteRemovesTheStudyAndItsTrialsOnly() throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let output = try fixture.runner.run(["studies", "delete", "s300"])
        #expect(output.status == 0, "\(output.stderr)")
        let left = try CSV.parse(try fixture.runner.run(["trials", "--format", "csv"]).stdout)
        #expect(left.dropFirst().map { $0.fields[1] } == ["other"])
        let again = try fixture.runner.run(["studies", "delete", "s300"])
        #expect(again.status == 4)
        #expect(again.stderr == "gpnav: error: unknown study 's300'; known studies: other\n")
    }

    @Test func emptyDatabaseSaysSo() throws {
        let fixture = try CLIFixture()
        _ = try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readWrite(createIfMissing: true))
        let output = try fixture.runner.run(["studies"])
        #expect(output.status == 0)
        #expect(output.stdout == "No studies yet.\n")
    }
}
