import Foundation
import GPNav
import Testing

/// What the database file holds when commands end: the main file alone is a complete copy after
/// every writing command, reading commands leave it untouched, and many processes may create it.
@Suite("The database file after commands")
struct DatabaseFileTests {
    /// The trials of a copy of the main file alone (no -wal, no -shm), by study.
    private func trialsInCopy(of path: String, fixture: CLIFixture, name: String) throws -> [String: Int] {
        let copy = fixture.file(name)
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        let store = try SQLiteTrialStore(path: copy, access: .readOnly)
        defer { try? store.close() }
        var counts: [String: Int] = [:]
        for study in try store.studies() {
            counts[study.name] = try store.trials(TrialQuery(study: study.name)).count
        }
        return counts
    }

    @Test func everyWritingCommandLeavesAllItsTrialsInTheMainFile() async throws {
        let fixture = try CLIFixture()
        let db = fixture.file("w.sqlite")
        let runner = fixture.runner

        #expect(try await runner.run(["search", "--macs", "250M", "--trials", "4", "--study", "a", "--db", db]).status == 0)
        #expect(try trialsInCopy(of: db, fixture: fixture, name: "1.sqlite") == ["a": 4])

        // A search that stops on failures exits through the error path: still checkpointed.
        let failing = try await runner.run(["search", "--macs", "250M", "--trials", "3", "--study", "b", "--max-failures", "2",
                                      "--evaluator-command", "exit 3", "--db", db])
        #expect(failing.status == 6, "\(failing.stderr)")
        #expect(try trialsInCopy(of: db, fixture: fixture, name: "2.sqlite") == ["a": 4, "b": 2])

        #expect(try await runner.run(["evaluate", "--model", "mobilevitv2-0.75", "--study", "c", "--db", db]).status == 0)
        #expect(try trialsInCopy(of: db, fixture: fixture, name: "3.sqlite")["c"] == 1)

        let csv = try await runner.run(["trials", "--study", "a", "--format", "csv", "--db", db])
        try csv.stdout.write(toFile: fixture.file("a.csv"), atomically: true, encoding: .utf8)
        #expect(try await runner.run(["import", fixture.file("a.csv"), "--study", "d", "--db", db]).status == 0)
        #expect(try trialsInCopy(of: db, fixture: fixture, name: "4.sqlite")["d"] == 4)

        #expect(try await runner.run(["studies", "delete", "a", "--db", db]).status == 0)
        #expect(try trialsInCopy(of: db, fixture: fixture, name: "5.sqlite") == ["b": 2, "c": 1, "d": 4])
        #expect(!FileManager.default.fileExists(atPath: db + "-wal"))
    }

    @Test func readingCommandsLeaveTheFileBytesAndTimeUnchanged() async throws {
        let fixture = try CLIFixture()
        try fixture.seed().close()
        let path = fixture.file("gpnav.sqlite")
        // Let a clock tick pass, so that any rewrite would show in the modification time.
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let modified = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
        usleep(20_000)
        let commands: [[String]] = [
            ["trials"], ["trials", "--format", "json"], ["studies"], ["pareto", "--study", "s300"],
            ["export", "--study", "s300", "--trial", "1", "--format", "json"], ["analyze", "--study", "s300"],
        ]
        for command in commands {
            _ = try await fixture.runner.run(command)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date == modified)
        #expect(try fixture.contents().filter { $0.hasPrefix("gpnav.sqlite") } == ["gpnav.sqlite"])
    }

    /// 24 processes start at once on a file that does not exist yet: each creates or finds it,
    /// migrates or waits, and records its trial; none fails with "database is locked".
    @Test func manyProcessesCreatingOneNewDatabaseAllSucceed() async throws {
        let fixture = try CLIFixture()
        let db = fixture.file("fresh.sqlite")
        let running = try (0..<24).map { index in
            try fixture.runner.start(["evaluate", "--model", "mobilevitv2-0.5", "--study", "p\(index)", "--db", db])
        }
        for process in running {
            let output = try await process.wait()
            #expect(output.status == 0, "\(output.stderr)")
        }
        let store = try SQLiteTrialStore(path: db, access: .readOnly)
        defer { try? store.close() }
        #expect(try store.studies().count == 24)
        #expect(try store.trials(TrialQuery()).count == 24)
    }
}
