import Foundation
import Testing

/// `--db` values that name no usable store are refused at once with one line and exit 2, before
/// any file is made or any connection tried.
@Suite("Database locations")
struct DatabaseLocationTests {
    @Test(arguments: [
        ["trials", "--db", ""],
        ["trials", "--db", "sqlite:"],
        ["search", "--macs", "300M", "--trials", "1", "--db", ""],
        ["search", "--macs", "300M", "--trials", "1", "--db", "sqlite:"],
        ["studies", "--db", "sqlite:"],
    ])
    func anEmptyDatabasePathIsRefusedAtOnce(arguments: [String]) async throws {
        let fixture = try CLIFixture()
        let output = try await fixture.runner.start(arguments).wait(atMost: 20)
        #expect(output.status == 2, "\(output.stderr)")
        #expect(output.seconds < 10)
        #expect(Reliability.isOneCleanErrorLine(output.stderr), "\(output.stderr)")
        #expect(output.stderr.contains("empty"), "\(output.stderr)")
        #expect(try fixture.contents().isEmpty)
    }

    @Test(arguments: ["99999", "65536", "0", "-1", "5432x"])
    func aPostgreSQLPortOutsideTheTCPRangeIsRefusedAtOnce(port: String) async throws {
        let fixture = try CLIFixture()
        let output = try await fixture.runner.start(["trials", "--db", "postgresql://gpnav:pw-secret@127.0.0.1:\(port)/gpnav"])
            .wait(atMost: 20)
        #expect(output.status == 2, "\(output.stderr)")
        #expect(output.stderr.contains("port"), "\(output.stderr)")
        #expect(!output.stderr.contains("pw-secret"), "\(output.stderr)")
        #expect(Reliability.isOneCleanErrorLine(output.stderr), "\(output.stderr)")
    }
}
