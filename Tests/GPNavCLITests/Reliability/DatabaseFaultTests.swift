import Foundation
import GPNav
import GRDB
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Damaged, foreign, read-only and misplaced database files: clear errors with exit code 5 (or 4
/// for a file that is not there), reads that work where they can, and no file changed by a
/// command that failed.
@Suite("Database faults")
struct DatabaseFaultTests {
    /// Commands that write, each of which must refuse a database it cannot use.
    static let writers: [[String]] = [
        ["search", "--macs", "300M", "--trials", "2", "--study", "new"],
        ["search", "--study", "s300", "--resume"],
        ["evaluate", "--model", "mobilevitv2-0.5"],
        ["studies", "delete", "s300"],
    ]
    /// Commands that only read.
    static let readers: [[String]] = [["trials"], ["pareto"], ["studies"], ["downsize", "--macs", "300M", "--study", "s300"]]

    /// Runs `command` expecting a failure with `status`, one clean line that contains `mentions`,
    /// and the directory byte-for-byte as before.
    static func expectRefused(_ command: [String], in fixture: CLIFixture, runner: GPNavRunner? = nil,
                              status: Int32 = 5, mentions: String) async throws {
        let before = try Reliability.snapshot(fixture.directory)
        let output = try await (runner ?? fixture.runner).run(command)
        #expect(output.status == status, "\(command): \(output.stderr)")
        #expect(Reliability.isOneCleanErrorLine(output.stderr), "\(command): \(output.stderr)")
        #expect(output.stderr.contains(mentions), "\(command): \(output.stderr)")
        #expect(try Reliability.snapshot(fixture.directory) == before, "\(command) changed a file")
    }

    @Test(arguments: writers)
    func aFileThatIsNotSQLiteIsRefusedByWritersAndUnchanged(command: [String]) async throws {
        let fixture = try CLIFixture()
        try "id,accuracy\n1,70\n".write(toFile: fixture.file("gpnav.sqlite"), atomically: true, encoding: .utf8)
        try await Self.expectRefused(command, in: fixture, mentions: "is not a gpnav database")
    }

    @Test(arguments: [0.5, 0.25])
    func aTruncatedDatabaseGivesAClearErrorAndIsLeftAsItWas(keptFraction: Double) async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let path = fixture.file("gpnav.sqlite")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(Int(Double(bytes.count) * keptFraction)).write(to: URL(fileURLWithPath: path))
        for command in Self.readers + Self.writers {
            try await Self.expectRefused(command, in: fixture, mentions: "gpnav.sqlite")
        }
    }

    @Test func aDatabaseInAMissingDirectoryIsNotCreated() async throws {
        let fixture = try CLIFixture()
        for command in Self.writers {
            try await Self.expectRefused(command + ["--db", "no/such/dir/gpnav.sqlite"], in: fixture,
                                   status: command.contains("studies") || command.contains("--resume") ? 4 : 5,
                                   mentions: "no/such/dir")
        }
        #expect(try fixture.contents().isEmpty)
    }

    @Test func aNewerSchemaIsRefusedByEveryCommandAndLeftUnchanged() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let queue = try DatabaseQueue(path: fixture.file("gpnav.sqlite"))
        try await queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('9999_from_the_future')") }
        try queue.close()
        for command in Self.readers + Self.writers {
            try await Self.expectRefused(command, in: fixture, mentions: "newer gpnav (unknown schema migrations: 9999_from_the_future)")
        }
    }

    /// A runner that cannot write what it does not own: `gpnav` as user nobody when the tests run
    /// as root (root may write any file), else the plain runner.
    static func unprivileged(_ fixture: CLIFixture) async throws -> GPNavRunner? {
        var runner = fixture.runner
        guard getuid() == 0 else { return runner }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return nil }
        runner.launcher = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        // Where nobody cannot reach the built executable (a checkout under /root), skip.
        guard try await runner.run(["--version"]).status == 0 else { return nil }
        return runner
    }

    /// Makes the fixture's directory and files belong to the user `unprivileged` runs as.
    static func handOver(_ fixture: CLIFixture) throws {
        guard getuid() == 0 else { return }
        for name in try fixture.contents() { chown(fixture.file(name), 65534, 65534) }
        chown(fixture.directory, 65534, 65534)
    }

    @Test func aReadOnlyFileServesReadsAndRefusesWrites() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        guard let runner = try await Self.unprivileged(fixture) else { return }
        try Self.handOver(fixture)
        chmod(fixture.file("gpnav.sqlite"), 0o444)
        defer { chmod(fixture.file("gpnav.sqlite"), 0o644) }
        let before = try Reliability.snapshot(fixture.directory)
        for command in Self.readers {
            let output = try await runner.run(command)
            #expect(output.status == 0, "\(command): \(output.stderr)")
        }
        #expect(try Reliability.snapshot(fixture.directory) == before)
        for command in Self.writers {
            try await Self.expectRefused(command, in: fixture, runner: runner, mentions: "is read-only")
        }
    }

    @Test func aReadOnlyDirectoryServesReadsAndRefusesWrites() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        guard let runner = try await Self.unprivileged(fixture) else { return }
        try Self.handOver(fixture)
        chmod(fixture.directory, 0o555)
        defer { chmod(fixture.directory, 0o755) }
        let before = try Reliability.snapshot(fixture.directory)
        for command in Self.readers {
            let output = try await runner.run(command)
            #expect(output.status == 0, "\(command): \(output.stderr)")
        }
        #expect(try Reliability.snapshot(fixture.directory) == before)
        for command in Self.writers {
            try await Self.expectRefused(command, in: fixture, runner: runner, mentions: "is read-only")
        }
        // A new database cannot be made there either.
        try await Self.expectRefused(["search", "--macs", "300M", "--db", "fresh.sqlite"], in: fixture, runner: runner,
                               mentions: "fresh.sqlite")
    }
}
