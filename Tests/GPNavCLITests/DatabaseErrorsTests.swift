import Foundation
import GPNav
import GRDB
import Testing

@Suite("Database errors at the command line")
struct DatabaseErrorsTests {
    static let commands: [[String]] = [["trials"], ["pareto"], ["studies"], ["studies", "delete", "s300"]]

    @Test(arguments: commands)
    func missingDatabaseIsReportedAndNothingIsCreated(command: [String]) async throws {
        let fixture = try CLIFixture()
        let output = try await fixture.runner.run(command)
        #expect(output.status == 4)
        #expect(output.stderr.hasPrefix("gpnav: error: no database at 'gpnav.sqlite'"))
        #expect(output.stderr.split(separator: "\n").count == 1)
        #expect(try fixture.contents().isEmpty)
        let elsewhere = try await fixture.runner.run(command + ["--db", fixture.file("no/such/dir/x.sqlite")])
        #expect(elsewhere.status == 4)
        #expect(try fixture.contents().isEmpty)
    }

    @Test(arguments: commands)
    func fileThatIsNotADatabaseIsRefusedAndUnchanged(command: [String]) async throws {
        let fixture = try CLIFixture()
        let text = "number,accuracy\n1,70\n"
        try text.write(toFile: fixture.file("gpnav.sqlite"), atomically: true, encoding: .utf8)
        let output = try await fixture.runner.run(command)
        #expect(output.status == 5)
        #expect(output.stderr == "gpnav: error: 'gpnav.sqlite' is not a gpnav database (not SQLite, or SQLite without gpnav's tables); choose another file with --db\n")
        #expect(try String(contentsOfFile: fixture.file("gpnav.sqlite"), encoding: .utf8) == text)
        #expect(try fixture.contents() == ["gpnav.sqlite"])
    }

    @Test func readingCommandsLeaveTheDirectoryAsTheyFoundIt() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let before = try fixture.contents()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: fixture.file("gpnav.sqlite")))
        #expect(before == ["gpnav.sqlite"])
        for command in [["trials"], ["pareto"], ["studies"], ["trials", "--study", "nope"]] {
            _ = try await fixture.runner.run(command)
            #expect(try fixture.contents() == before, "\(command)")
        }
        let after = try Data(contentsOf: URL(fileURLWithPath: fixture.file("gpnav.sqlite")))
        #expect(after == bytes, "\(after.count) vs \(bytes.count), first difference at \(String(describing: zip(after, bytes).enumerated().first { $0.element.0 != $0.element.1 }))")
    }

    @Test func newerSchemaIsRefused() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let queue = try DatabaseQueue(path: fixture.file("gpnav.sqlite"))
        try await queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('0002_future.sql')") }
        try queue.close()
        let output = try await fixture.runner.run(["trials"])
        #expect(output.status == 5)
        #expect(output.stderr.contains("was written by a newer gpnav (unknown schema migrations: 0002_future.sql)"))
    }

    @Test func environmentVariableChoosesTheDatabaseAndDbOverridesIt() async throws {
        let fixture = try CLIFixture()
        try fixture.seed("elsewhere.sqlite")
        var runner = fixture.runner
        runner.environment["GPNAV_DB"] = fixture.file("elsewhere.sqlite")
        #expect(try await runner.run(["studies"]).status == 0)
        #expect(try await runner.run(["studies", "--db", "gpnav.sqlite"]).status == 4)
    }
}
