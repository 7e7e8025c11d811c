import Foundation
import GPNav
import Testing

/// The `History:` and `Pareto:` commands `gpnav search` prints run as printed, in the same
/// directory and environment, and never show a password.
@Suite("Search's follow-up commands name the store")
struct SearchStoreHintTests {
    @Test func storeFromGPNAV_DBIsNotRepeatedAndTheCommandsRunAsPrinted() async throws {
        let fixture = try CLIFixture()
        var runner = fixture.runner
        runner.environment["GPNAV_DB"] = "from env.sqlite"
        let search = try await runner.run(["search", "--macs", "300M", "--trials", "3", "--study", "hinted"])
        #expect(search.status == 0, "\(search.stderr)")
        let hints = StoreHintLines(search.stdout)
        #expect(hints.commands == ["gpnav trials --study hinted --sort accuracy --desc",
                                   "gpnav pareto --study hinted --out pareto.csv"])
        try await hints.expectRunnable(in: fixture, environment: runner.environment)
    }

    @Test func storePathWithASpaceIsQuotedForTheShell() async throws {
        let fixture = try CLIFixture()
        let search = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "3", "--study", "hinted",
                                             "--db", "my trials.sqlite"])
        #expect(search.status == 0, "\(search.stderr)")
        let hints = StoreHintLines(search.stdout)
        #expect(hints.commands.first == "gpnav trials --study hinted --sort accuracy --desc --db 'my trials.sqlite'")
        #expect(hints.note == nil)
        try await hints.expectRunnable(in: fixture, environment: [:])
    }

    @Test func plainStorePathIsGivenBareWithoutItsSQLitePrefix() async throws {
        let fixture = try CLIFixture()
        let search = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "3", "--study", "hinted",
                                             "--db", "sqlite:plain.sqlite"])
        #expect(search.status == 0, "\(search.stderr)")
        let hints = StoreHintLines(search.stdout)
        #expect(hints.commands.last == "gpnav pareto --study hinted --out pareto.csv --db plain.sqlite")
        try await hints.expectRunnable(in: fixture, environment: [:])
    }
}

/// The same on a PostgreSQL store: needs GPNAV_TEST_POSTGRES_URL (`bash .ci/with-postgres swift test --traits Full`).
@Suite("Search's follow-up commands on PostgreSQL", .enabled(if: PostgresServer.url != nil, "needs GPNAV_TEST_POSTGRES_URL: run `bash .ci/with-postgres swift test --traits Full`"))
struct PostgresSearchStoreHintTests {
    @Test func urlWithAPasswordGivenAsDbIsNotPrintedAndTheCommandsRunWithGPNAV_DB() async throws {
        let server = try PostgresServer()
        let fixture = try CLIFixture()
        let db = server.newSchemaURL()
        let search = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "3", "--study", "pghint", "--db", db])
        #expect(search.status == 0, "\(search.stderr)")
        #expect(!search.stdout.contains(server.password))
        let hints = StoreHintLines(search.stdout)
        #expect(hints.commands.count == 2)
        #expect(hints.commands.allSatisfy { $0.hasSuffix(" --db \"$GPNAV_DB\"") })
        let shown = try PostgresURL(db).redacted
        #expect(hints.note == "Store:   set GPNAV_DB to \(shown) with the password in place of *** (it is not shown)")
        try await hints.expectRunnable(in: fixture, environment: ["GPNAV_DB": db])
    }

    @Test func urlFromGPNAV_DBIsNotRepeated() async throws {
        let server = try PostgresServer()
        let fixture = try CLIFixture()
        var runner = fixture.runner
        runner.environment["GPNAV_DB"] = server.newSchemaURL()
        let search = try await runner.run(["search", "--macs", "300M", "--trials", "3", "--study", "pgenv"])
        #expect(search.status == 0, "\(search.stderr)")
        let hints = StoreHintLines(search.stdout)
        #expect(hints.commands.allSatisfy { !$0.contains("--db") } && hints.note == nil, "\(search.stdout)")
        try await hints.expectRunnable(in: fixture, environment: runner.environment)
    }
}

/// The follow-up lines of a search's table: the commands after `History:` and `Pareto:`, and the
/// `Store:` note.
struct StoreHintLines {
    let commands: [String]
    let note: String?

    init(_ stdout: String) {
        let lines = stdout.split(separator: "\n").map(String.init)
        commands = lines.compactMap { line in
            ["History:", "Pareto:"].first { line.hasPrefix($0) }.map {
                String(line.dropFirst($0.count)).trimmingCharacters(in: .whitespaces)
            }
        }
        note = lines.first { $0.hasPrefix("Store:") }
    }

    /// Runs each command through `/bin/sh` as printed (with the built gpnav for `gpnav`).
    func expectRunnable(in fixture: CLIFixture, environment: [String: String]) async throws {
        #expect(!commands.isEmpty)
        for command in commands {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            let program = "'" + GPNavRunner.executable.path + "'"
            process.arguments = ["-c", program + command.dropFirst("gpnav".count)]
            process.currentDirectoryURL = URL(fileURLWithPath: fixture.directory)
            var merged = ProcessInfo.processInfo.environment
            merged["GPNAV_DB"] = nil
            merged.merge(environment) { $1 }
            process.environment = merged
            let output = Pipe()
            let errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let complaint = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(command): \(complaint)")
            if command.hasPrefix("gpnav trials") { #expect(printed.contains(" complete "), "\(command): \(printed)") }
        }
    }
}
