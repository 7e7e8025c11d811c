import Foundation
import GRDB

/// The SQLite backend of ``TrialStore``: one file, shared safely by several gpnav processes.
///
/// The file is opened as a GRDB `DatabasePool` in WAL mode (readers never block the writer), with
/// a 30-second busy timeout, and every write runs in an `IMMEDIATE` transaction, so that concurrent
/// writers queue up for the write lock instead of failing. The schema comes from `Database/*.sql`
/// (see ``SchemaMigrations``), applied in order by GRDB's `DatabaseMigrator` and recorded in its
/// `grdb_migrations` table; a file with migrations this build does not know is refused.
public final class SQLiteTrialStore: TrialStore {
    /// How a command means to use the file.
    public enum Access: Sendable, Hashable {
        /// Only reads: never creates, migrates or changes the file; works on read-only files.
        case readOnly
        /// Reads and writes; creates the file (and its schema) only when `createIfMissing`.
        case readWrite(createIfMissing: Bool)
    }

    /// The database file's path, as given.
    public let path: String
    /// Whether the store was opened for reading only.
    public let isReadOnly: Bool
    /// A `DatabasePool` (WAL, concurrent readers) for writing commands; a single-connection
    /// `DatabaseQueue` for reading ones, which GRDB opens without writing anything.
    let database: any DatabaseWriter

    /// How long a writer waits for another process's write lock before giving up.
    public static let busyTimeout: TimeInterval = 30

    /// Opens (or, for `.readWrite(createIfMissing: true)`, creates) the database at `path`.
    ///
    /// A failed open leaves the file system as it was: nothing is created when the directory is
    /// missing, the file is missing for a read, or the file is not a gpnav database.
    /// - Throws: ``StoreError`` with one line saying what is wrong.
    public init(path: String, access mode: Access) throws(StoreError) {
        self.path = path
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = fileManager.fileExists(atPath: path, isDirectory: &isDirectory)
        if exists, isDirectory.boolValue { throw .notADatabase(path: path) }
        let directory = Self.directory(of: path)

        // WAL needs to create the -wal and -shm files beside the database, so the directory counts too.
        let writable = access(directory, W_OK) == 0 && (!exists || access(path, W_OK) == 0)
        switch mode {
        case .readOnly:
            guard exists else { throw .noDatabase(path: path) }
            isReadOnly = true
        case .readWrite(let createIfMissing):
            if !exists {
                guard createIfMissing else { throw .noDatabase(path: path) }
                var directoryIsDirectory: ObjCBool = false
                guard fileManager.fileExists(atPath: directory, isDirectory: &directoryIsDirectory),
                      directoryIsDirectory.boolValue else {
                    throw .missingDirectory(path: path, directory: directory)
                }
            }
            guard writable else { throw .readOnly(path: path) }
            isReadOnly = false
        }

        if exists, !isReadOnly {
            // Look before opening the pool: turning on WAL would change a foreign file's header.
            var inspection = Configuration()
            inspection.busyMode = .timeout(Self.busyTimeout)
            do {
                let queue = try DatabaseQueue(path: path, configuration: inspection)
                defer { try? queue.close() }
                _ = try queue.read { db in try Self.schemaState(db, path: path) }
            } catch {
                throw Self.storeError(error, path: path)
            }
        }

        var configuration = Configuration()
        // Reading commands on a writable file still connect read-write, so that closing removes
        // SQLite's -wal and -shm files (a read-only connection leaves them); ``isReadOnly`` keeps
        // them from writing.
        configuration.readonly = !writable
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.label = "gpnav"
        do {
            if !isReadOnly {
                database = try DatabasePool(path: path, configuration: configuration)
            } else if writable {
                database = try DatabaseQueue(path: path, configuration: configuration)
            } else {
                database = try Self.openUnwritable(path: path, configuration: configuration)
            }
        } catch {
            throw Self.storeError(error, path: path)
        }
        try prepareSchema()
    }

    /// A read-only connection to a file nobody here may write. SQLite reads a WAL database through
    /// its -shm file, which it cannot create in a read-only directory; then the file is opened as
    /// immutable (`?immutable=1`), which is right as long as no one with more rights writes it meanwhile.
    private static func openUnwritable(path: String, configuration: Configuration) throws -> DatabaseQueue {
        do {
            return try DatabaseQueue(path: path, configuration: configuration)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_READONLY || error.resultCode == .SQLITE_CANTOPEN {
            var escaped = ""
            for character in path.unicodeScalars {
                switch character {
                case "%": escaped += "%25"
                case "?": escaped += "%3f"
                case "#": escaped += "%23"
                default: escaped.unicodeScalars.append(character)
                }
            }
            return try DatabaseQueue(path: "file:\(escaped)?mode=ro&immutable=1", configuration: configuration)
        }
    }

    /// The directory that holds `path` (`.` for a bare file name).
    static func directory(of path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        return directory.isEmpty ? "." : directory
    }

    // MARK: Schema

    /// GRDB's migrator with every migration of `Database/`, registered once, in order.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        for migration in SchemaMigrations.all {
            let sql = migration.sql
            migrator.registerMigration(migration.identifier) { db in try db.execute(sql: sql) }
        }
        return migrator
    }()

    private enum SchemaState {
        case current, needsMigration, empty
    }

    /// Checks the file is a gpnav database this build understands, and migrates it when writable.
    private func prepareSchema() throws(StoreError) {
        let state = try schemaState()
        switch state {
        case .current:
            return
        case .empty where isReadOnly:
            throw .noDatabase(path: path)
        case .needsMigration where isReadOnly:
            throw .olderSchema(path: path)
        case .empty, .needsMigration:
            // Several processes may open a new file at once: each migration runs in its own IMMEDIATE
            // transaction, and a process that loses the race finds the migration applied and goes on.
            var lastError: (any Error)? = nil
            for _ in 0..<3 {
                do {
                    try Self.migrator.migrate(database)
                    return
                } catch {
                    lastError = error
                    if (try? schemaState()) == .current { return }
                }
            }
            throw Self.storeError(lastError ?? StoreError.notADatabase(path: path), path: path)
        }
    }

    private func schemaState() throws(StoreError) -> SchemaState {
        let path = self.path
        do {
            return try database.read { db in try Self.schemaState(db, path: path) }
        } catch {
            throw Self.storeError(error, path: path)
        }
    }

    private static func schemaState(_ db: Database, path: String) throws -> SchemaState {
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        guard tables.contains("grdb_migrations") else {
            // A SQLite file with other tables belongs to something else: leave it alone.
            if tables.isEmpty { return .empty }
            throw StoreError.notADatabase(path: path)
        }
        let applied = try migrator.appliedIdentifiers(db)
        let known = SchemaMigrations.all.map(\.identifier)
        let unknown = applied.subtracting(known).sorted()
        guard unknown.isEmpty else { throw StoreError.newerSchema(path: path, unknown: unknown) }
        return applied.count == known.count ? .current : .needsMigration
    }

    // MARK: Errors and transactions

    /// The ``StoreError`` for any error thrown while using the file.
    static func storeError(_ error: any Error, path: String) -> StoreError {
        if let storeError = error as? StoreError { return storeError }
        if let databaseError = error as? DatabaseError {
            switch databaseError.resultCode {
            case .SQLITE_NOTADB: return .notADatabase(path: path)
            case .SQLITE_READONLY: return .readOnly(path: path)
            case .SQLITE_CANTOPEN:
                if !FileManager.default.fileExists(atPath: directory(of: path)) {
                    return .missingDirectory(path: path, directory: directory(of: path))
                }
                return .sqlite(path: path, message: "cannot open the file (\(databaseError.message ?? "unable to open"))")
            default:
                return .sqlite(path: path, message: databaseError.message ?? "\(databaseError.resultCode)")
            }
        }
        return .sqlite(path: path, message: String(describing: error))
    }

    /// Runs `updates` in one `IMMEDIATE` transaction: the write lock is taken at `BEGIN`, so what
    /// `updates` reads cannot change under it before it commits (trial numbers rely on this).
    func writeImmediate<T>(_ updates: (Database) throws -> T) throws(StoreError) -> T {
        if isReadOnly { throw .readOnly(path: path) }
        do {
            return try database.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try updates(db)
                    return .commit
                }
                guard let result else { throw StoreError.sqlite(path: path, message: "a write returned nothing") }
                return result
            }
        } catch {
            throw Self.storeError(error, path: path)
        }
    }

    /// Runs `reads` on a snapshot of the database.
    func read<T>(_ reads: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try database.read(reads)
        } catch {
            throw Self.storeError(error, path: path)
        }
    }
}
