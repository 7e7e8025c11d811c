import Foundation
import GRDB
import Testing
@testable import GPNav

@Suite("Schema migrations")
struct SchemaMigrationsTests {
    /// `Database/` at the repository root, found from this file's path.
    static let databaseDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Database")

    @Test(arguments: [("sqlite", SchemaMigrations.all), ("postgres", SchemaMigrations.postgres)])
    func embeddedMigrationsAreByteIdenticalToDatabaseFilesInOrder(backend: String, migrations: [SchemaMigrations.Migration]) async throws {
        let directory = Self.databaseDirectory.appendingPathComponent(backend)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".sql") }.sorted()
        #expect(!files.isEmpty)
        #expect(migrations.map(\.identifier) == files)
        for (migration, file) in zip(migrations, files) {
            let text = try Data(contentsOf: directory.appendingPathComponent(file))
            #expect(Data(migration.sql.utf8) == text, "embedded \(migration.identifier) differs from Database/\(backend)/\(file)")
        }
    }

    /// `Tests/Fixtures/store-before-families`: a store the release before architecture families
    /// made, and what that release read back from it (see its make.sh).
    static let releaseFixture = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/store-before-families")

    @Test func storeMadeByTheReleaseBeforeFamiliesReadsBackAsThatReleaseReadItWithCanonicalText() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("store.sqlite")
        try FileManager.default.copyItem(atPath: Self.releaseFixture.appendingPathComponent("store.sqlite").path, toPath: path)
        #expect(throws: StoreError.olderSchema(path: path)) { _ = try SQLiteTrialStore(path: path, access: .readOnly) }
        let store = try SQLiteTrialStore(path: path, access: .readWrite(createIfMissing: false))
        let studies = try store.studies()
        #expect(studies.map(\.name) == ["macs-300M", "imported"])
        #expect(studies.map(\.family) == ["mobilevitv2", "mobilevitv2"])
        let names = Dictionary(uniqueKeysWithValues: studies.map { ($0.id ?? -1, $0.name) })
        let trials = try store.trials(TrialQuery())
        let release = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: Self.releaseFixture.appendingPathComponent("trials.json"))) as? [[String: Any]])
        #expect(trials.count == 14)
        #expect(trials.count == release.count)
        for (trial, expected) in zip(trials, release) {
            let data = try JSONEncoder().encode(TrialJSON(trial, study: names[trial.studyID] ?? ""))
            var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(object.removeValue(forKey: "family") as? String == "mobilevitv2")
            #expect(NSDictionary(dictionary: object) == NSDictionary(dictionary: expected), "trial \(trial.number) of \(names[trial.studyID] ?? "")")
        }
        let texts = try await store.database.read { db in try String.fetchAll(db, sql: "SELECT architecture FROM trials ORDER BY study_id, number") }
        #expect(texts == trials.map(\.architecture.canonicalJSON))
        // The 0.30000000000000004 of the imported study, which SQLite's printf cannot write, is exact too.
        #expect(texts.contains { $0.hasSuffix(#""width":0.30000000000000004}"#) })
        // The depths live in the architecture's text under the family's names, in no column of MobileViTv2's.
        let columns = try await store.database.read { db in try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info('trials')") }
        #expect(!columns.contains("mv2_depths") && !columns.contains("vit_depths") && columns.contains("architecture"))
        await #expect(try store.database.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
            == SchemaMigrations.all.map(\.identifier))
    }

    @Test func newDatabaseRecordsEveryMigrationAndUsesWAL() async throws {
        let directory = try TemporaryDirectory()
        let (store, _) = try Fixtures.store(at: directory.file("a.sqlite"))
        let (applied, journal) = try await store.database.read { db in
            (try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier"),
             try String.fetchOne(db, sql: "PRAGMA journal_mode"))
        }
        #expect(applied == SchemaMigrations.all.map(\.identifier))
        #expect(journal == "wal")
        // Reopening an up-to-date file applies nothing and keeps the data.
        let reopened = try SQLiteTrialStore(path: directory.file("a.sqlite"), access: .readOnly)
        #expect(try reopened.studies().map(\.name) == ["macs-300M"])
    }

    /// SQLite's CHECK on a trial's state is widened in place (its stored text edited): afterwards
    /// it takes `abandoned`, still refuses a state gpnav does not know, and the file is sound.
    @Test func trialStateCheckTakesAbandonedAndStillRefusesUnknownStates() async throws {
        let directory = try TemporaryDirectory()
        let (store, study) = try Fixtures.store(at: directory.file("a.sqlite"))
        _ = try store.addFinishedTrial(try Fixtures.trial(studyID: try #require(study.id), state: .abandoned))
        await #expect(throws: DatabaseError.self) {
            try await store.database.write { db in try db.execute(sql: "UPDATE trials SET state = 'lost'") }
        }
        let (states, check) = try await store.database.read { db in
            (try String.fetchAll(db, sql: "SELECT state FROM trials"), try String.fetchAll(db, sql: "PRAGMA integrity_check"))
        }
        #expect(states == ["abandoned"] && check == ["ok"])
    }

    @Test func databaseWithUnknownMigrationIsRefusedAsNewer() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("newer.sqlite")
        let (store, _) = try Fixtures.store(at: path)
        try await store.database.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('0099_future.sql')")
        }
        for access in [SQLiteTrialStore.Access.readOnly, .readWrite(createIfMissing: true)] {
            #expect(throws: StoreError.newerSchema(path: path, unknown: ["0099_future.sql"])) {
                _ = try SQLiteTrialStore(path: path, access: access)
            }
        }
        #expect(StoreError.newerSchema(path: path, unknown: ["x"]).kind == .database)
    }

    @Test func sqliteFileOfAnotherApplicationIsRefusedAndLeftUnchanged() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("other.sqlite")
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in try db.execute(sql: "CREATE TABLE notes (text TEXT)") }
        try queue.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: StoreError.notADatabase(path: path)) {
            _ = try SQLiteTrialStore(path: path, access: .readWrite(createIfMissing: true))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test(arguments: [SQLiteTrialStore.Access.readOnly, .readWrite(createIfMissing: true)])
    func fileThatIsNotSQLiteIsRefusedAndLeftUnchanged(access: SQLiteTrialStore.Access) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("notes.sqlite")
        let text = Data("resolution,width\n256,1.0\n".utf8)
        try text.write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.notADatabase(path: path)) {
            _ = try SQLiteTrialStore(path: path, access: access)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == text)
        #expect(try directory.contents() == ["notes.sqlite"])
    }

    @Test func missingDirectoryIsReportedAndNothingIsCreated() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("missing/sub/x.sqlite")
        #expect(throws: StoreError.missingDirectory(path: path, directory: directory.file("missing/sub"))) {
            _ = try SQLiteTrialStore(path: path, access: .readWrite(createIfMissing: true))
        }
        #expect(try directory.contents().isEmpty)
    }

    @Test func readingOrNonCreatingOpenOfMissingFileCreatesNothing() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("x.sqlite")
        for access in [SQLiteTrialStore.Access.readOnly, .readWrite(createIfMissing: false)] {
            #expect(throws: StoreError.noDatabase(path: path)) {
                _ = try SQLiteTrialStore(path: path, access: access)
            }
        }
        #expect(try directory.contents().isEmpty)
        #expect(StoreError.noDatabase(path: path).kind == .notFound)
    }

    @Test func emptyFileIsNoDatabaseForReadingAndBecomesOneForWriting() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("empty.sqlite")
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        #expect(throws: StoreError.noDatabase(path: path)) {
            _ = try SQLiteTrialStore(path: path, access: .readOnly)
        }
        let store = try SQLiteTrialStore(path: path, access: .readWrite(createIfMissing: false))
        #expect(try store.studies().isEmpty)
    }

    @Test func everyErrorMessageIsOneLine() async {
        let errors: [StoreError] = [
            .noDatabase(path: "a"), .missingDirectory(path: "a/b", directory: "a"), .notADatabase(path: "a"),
            .newerSchema(path: "a", unknown: ["0002_x.sql"]), .olderSchema(path: "a"), .readOnly(path: "a", reason: "b"),
            .unknownStudy("s", known: ["t"]), .unknownStudy("s", known: []), .duplicateStudy("s"),
            .unknownTrial(3), .trialNotRunning(number: 1, state: .failed), .invalidValue("x"),
            .corruptRow("x"), .backend(store: "a", message: "disk I/O error"),
        ]
        for error in errors {
            #expect(!error.description.isEmpty)
            #expect(!error.description.contains("\n"))
        }
    }
}
