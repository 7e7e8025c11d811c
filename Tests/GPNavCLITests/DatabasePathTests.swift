import Foundation
import Testing

/// Database paths of any shape: short names, a blank name from the environment, trailing slashes
/// and the root; working out their directory never crashes.
@Suite("Database paths")
struct DatabasePathTests {
    @Test(arguments: ["b", "Z", "é"])
    func aOneCharacterDatabaseNameIsCreatedAndReadBack(_ name: String) async throws {
        let fixture = try CLIFixture()
        let search = try await fixture.runner.run(["search", "--macs", "400M", "--trials", "2", "--db", name])
        #expect(search.status == 0, "\(search.stderr)")
        #expect(FileManager.default.fileExists(atPath: fixture.file(name)))
        let trials = try await fixture.runner.run(["trials", "--db", name, "--format", "csv"])
        #expect(trials.status == 0, "\(trials.stderr)")
        #expect(trials.stdout.split(separator: "\n").count == 3)
    }

    @Test(arguments: [" ", "\t", "q", "./"])
    func aShortDatabasePathFromTheEnvironmentGivesOneCleanLine(_ path: String) async throws {
        let fixture = try CLIFixture()
        var runner = fixture.runner
        runner.environment = ["GPNAV_DB": path]
        let output = try await runner.run(["studies"])
        #expect([4, 5].contains(output.status), "\(output.status): \(output.stderr)")
        #expect(Reliability.isOneCleanErrorLine(output.stderr), "\(output.stderr)")
    }
}
