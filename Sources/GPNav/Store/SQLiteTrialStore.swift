import Foundation
import GRDB

/// The SQLite backend of ``TrialStore``: one file, shared safely by several gpnav processes.
///
/// Reads go through one `DatabaseQueue` connection; writes through a GRDB `DatabasePool` in WAL
/// mode (readers never block the writer), opened on the first write so that a command that fails
/// before writing leaves the file byte-for-byte as it was. Both have a 30-second busy timeout, and
/// every write runs in an `IMMEDIATE` transaction, so that concurrent writers queue up for the
/// write lock instead of failing. The schema comes from `Database/sqlite/*.sql`
/// (see ``SchemaMigrations``), applied in order under one write lock and recorded in the
/// `grdb_migrations` table; a file with migrations this build does not know is refused.
public final class SQLiteTrialStore: ClosableTrialStore {
    /// How a command means to use the file.
    public typealias Access = StoreAccess

    /// The database file's path, as given.
    public let path: String
    /// Whether the store was opened for reading only.
    public let isReadOnly: Bool
    /// The connection every read goes through: a single-connection `DatabaseQueue`, which GRDB
    /// opens without writing anything.
    let database: any DatabaseWriter
    /// The `DatabasePool` (WAL) that writes, for writing commands; opened on the first write,
    /// because GRDB's pool set-up itself writes to the file (it creates and drops a table to make
    /// the -wal file), and a command that fails before it writes must leave the file as it was.
    private let writer: LazyDatabasePool?

    /// How long a writer waits for another process's write lock before giving up.
    public static let busyTimeout: TimeInterval = 30

    /// Opens (or, for `.readWrite(createIfMissing: true)`, creates) the database at `path`.
    ///
    /// A failed open leaves the file system as it was: nothing is created when the directory is
    /// missing, the file is missing for a read, or the file is not a gpnav database.
    /// - Throws: ``StoreError`` with one line saying what is wrong.
    public init(path: String, access mode: Access) throws(StoreError) {
        // SQLite takes "" for a private temporary database, which cannot hold gpnav's WAL.
        guard !path.isEmpty else { throw .invalidLocation(path, reason: "the file path is empty") }
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
            guard writable else { throw .readOnly(path: path, reason: Self.notWritable) }
            isReadOnly = false
        }

        var configuration = Configuration()
        // Reading commands on a writable file still connect read-write, so that closing removes
        // SQLite's -wal and -shm files (a read-only connection leaves them); ``isReadOnly`` keeps
        // them from writing.
        configuration.readonly = !writable
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.label = "gpnav"
        let poolConfiguration = configuration
        writer = isReadOnly ? nil : LazyDatabasePool {
            try Self.retryingWhileBusy(orWhen: Self.isRefusedWALSwitch) {
                try DatabasePool(path: path, configuration: poolConfiguration)
            }
        }
        do {
            // A new file is made by the pool, so that it is in WAL mode from the start.
            if !exists { _ = try writer?.pool() }
            let readingPath = Self.readingPath(path, writable: writable)
            database = try Self.retryingWhileBusy { try DatabaseQueue(path: readingPath, configuration: configuration) }
        } catch {
            throw Self.storeError(error, path: path)
        }
        try prepareSchema(creating: !exists)
    }

    /// The name SQLite opens for reading. A file we cannot write (or in a directory we cannot
    /// write) is opened as immutable when no write-ahead log is pending: SQLite then needs no -shm
    /// file, which it could not create in a read-only directory, and which a read-only connection
    /// would leave behind beside a read-only file. With a pending log, the plain path (and SQLite's
    /// own rules for read-only WAL access) applies, so that no committed write is missed.
    static func readingPath(_ path: String, writable: Bool) -> String {
        guard !writable else { return path }
        let log = (try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int ?? 0
        guard log == 0 else { return path }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var escaped = ""
        for character in absolute {
            switch character {
            case "%": escaped += "%25"
            case "?": escaped += "%3f"
            case "#": escaped += "%23"
            default: escaped.append(character)
            }
        }
        return "file:" + escaped + "?immutable=1"
    }

    /// The directory that holds `path` (`.` for a bare file name).
    /// Plain string work: Foundation's `deletingLastPathComponent` traps on one-character paths.
    static func directory(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    // MARK: Schema

    /// The table that lists applied migrations; GRDB's migrator made it in earlier releases, so
    /// its name and shape stay.
    static let appliedMigrationsTable = "grdb_migrations"

    /// The identifiers of the migrations applied to the file (none before the first).
    static func appliedIdentifiers(_ db: Database) throws -> Set<String> {
        guard try db.tableExists(appliedMigrationsTable) else { return [] }
        return try String.fetchSet(db, sql: "SELECT identifier FROM \(appliedMigrationsTable)")
    }

    /// Applies every pending migration of `Database/sqlite/`, in order, in one IMMEDIATE transaction
    /// that reads the applied list itself. SQLite's write lock is held from that read to the commit,
    /// so two processes opening a new or older file at once cannot both run a step: the second
    /// waits for the lock and then finds nothing pending. (GRDB's migrator reads the list before
    /// its first transaction, one transaction per step, which let a second process run a step the
    /// first had just applied.)
    private static func applyPendingMigrations(_ pool: DatabasePool) throws {
        try pool.barrierWriteWithoutTransaction { db in
            // SQLite ignores this pragma inside a transaction; off for the steps that rebuild a
            // table (SQLite's ALTER TABLE procedure), checked before the commit, then on again.
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            let applied = Result {
                try db.inTransaction(.immediate) {
                    try db.execute(sql: "CREATE TABLE IF NOT EXISTS \(appliedMigrationsTable) (identifier TEXT NOT NULL PRIMARY KEY)")
                    let done = try appliedIdentifiers(db)
                    for migration in SchemaMigrations.all where !done.contains(migration.identifier) {
                        try db.execute(sql: migration.sql)
                        try completions[migration.identifier]?(db)
                        try db.execute(sql: "INSERT INTO \(appliedMigrationsTable) (identifier) VALUES (?)",
                                       arguments: [migration.identifier])
                    }
                    try db.checkForeignKeys()
                    return .commit
                }
            }
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            try applied.get()
        }
    }

    private enum SchemaState {
        case current, needsMigration, empty
    }

    /// Checks the file is a gpnav database this build understands, and migrates it when writable.
    private func prepareSchema(creating: Bool) throws(StoreError) {
        let state = try schemaState()
        switch state {
        case .current:
            return
        case .empty where isReadOnly:
            throw .noDatabase(path: path)
        case .needsMigration where isReadOnly:
            throw .olderSchema(path: path)
        case .empty, .needsMigration:
            // Several processes may open a new file at once: one applies the migrations under the
            // write lock, the others wait for it (busy timeout) and find the schema current. A
            // lock still held past that wait (a long migration of a large file) is tried again
            // until the deadline.
            let deadline = Date().addingTimeInterval(Self.busyTimeout)
            while true {
                do {
                    try Self.applyPendingMigrations(try writerPool())
                    return
                } catch {
                    if (try? schemaState()) == .current { return }
                    guard Self.isBusy(error), Date() < deadline else { throw Self.storeError(error, path: path) }
                    Self.pauseBeforeRetry()
                }
            }
        }
    }

    /// Whether `error` is SQLite saying another connection holds a lock it needs.
    static func isBusy(_ error: any Error) -> Bool {
        guard let databaseError = error as? DatabaseError else { return false }
        return databaseError.resultCode == .SQLITE_BUSY || databaseError.resultCode == .SQLITE_LOCKED
    }

    /// Runs `open` again while SQLite reports the file busy, within the busy timeout. Opening can
    /// fail busy without SQLite's busy handler being asked: the switch to WAL of a file another
    /// process is switching too, or a WAL recovery in progress.
    /// `orWhen` names other errors worth another try.
    static func retryingWhileBusy<T>(orWhen retryable: (any Error) -> Bool = { _ in false }, _ open: () throws -> T) throws -> T {
        let deadline = Date().addingTimeInterval(busyTimeout)
        while true {
            do {
                return try open()
            } catch where (isBusy(error) || retryable(error)) && Date() < deadline {
                pauseBeforeRetry()
            }
        }
    }

    /// Whether `error` is GRDB reporting that SQLite kept the old journal mode: SQLite answers a
    /// switch to WAL that another connection's lock prevents with the old mode, not an error.
    static func isRefusedWALSwitch(_ error: any Error) -> Bool {
        guard let databaseError = error as? DatabaseError else { return false }
        return databaseError.resultCode == .SQLITE_ERROR && (databaseError.message ?? "").contains("could not activate WAL")
    }

    /// A short random pause, so that processes that collided do not collide again in step.
    private static func pauseBeforeRetry() {
        usleep(useconds_t.random(in: 5_000...50_000))
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
        guard tables.contains(appliedMigrationsTable) else {
            // A SQLite file with other tables belongs to something else: leave it alone.
            if tables.isEmpty { return .empty }
            throw StoreError.notADatabase(path: path)
        }
        let applied = try appliedIdentifiers(db)
        let known = SchemaMigrations.all.map(\.identifier)
        let unknown = applied.subtracting(known).sorted()
        guard unknown.isEmpty else { throw StoreError.newerSchema(path: path, unknown: unknown) }
        return applied.count == known.count ? .current : .needsMigration
    }

    // MARK: Errors and transactions

    /// What is read-only when SQLite cannot write: WAL writes the -wal and -shm files beside the database.
    static let notWritable = "file or directory not writable"

    /// The ``StoreError`` for any error thrown while using the file.
    static func storeError(_ error: any Error, path: String) -> StoreError {
        if let storeError = error as? StoreError { return storeError }
        if let databaseError = error as? DatabaseError {
            switch databaseError.resultCode {
            case .SQLITE_NOTADB: return .notADatabase(path: path)
            case .SQLITE_READONLY: return .readOnly(path: path, reason: notWritable)
            case .SQLITE_CANTOPEN:
                if !FileManager.default.fileExists(atPath: directory(of: path)) {
                    return .missingDirectory(path: path, directory: directory(of: path))
                }
                return .backend(store: path, message: "cannot open the file (\(databaseError.message ?? "unable to open"))")
            default:
                return .backend(store: path, message: databaseError.message ?? "\(databaseError.resultCode)")
            }
        }
        return .backend(store: path, message: String(describing: error))
    }

    /// Runs `updates` in one `IMMEDIATE` transaction: the write lock is taken at `BEGIN`, so what
    /// `updates` reads cannot change under it before it commits (trial numbers rely on this).
    func writeImmediate<T>(_ updates: (Database) throws -> T) throws(StoreError) -> T {
        if isReadOnly { throw .readOnly(path: path, reason: StoreError.openedForReading) }
        do {
            return try writerPool().writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try updates(db)
                    return .commit
                }
                guard let result else { throw StoreError.backend(store: path, message: "a write returned nothing") }
                return result
            }
        } catch {
            throw Self.storeError(error, path: path)
        }
    }

    // MARK: Closing

    /// Moves every committed write into the database file and closes the connections.
    ///
    /// A checkpoint in `TRUNCATE` mode copies the write-ahead log into the main file and empties
    /// the log, so that the `.sqlite` file alone holds every trial (a copy or backup of it
    /// misses nothing). It waits, within the busy timeout, for other processes' readers and
    /// writer; when it cannot finish (another process keeps the file busy), the log stays and the
    /// last connection to close copies it in. A store that never wrote touches nothing. Later
    /// uses of the store fail; closing twice does nothing.
    /// - Throws: ``StoreError`` when a connection cannot be closed.
    public func close() throws(StoreError) {
        do {
            try writer?.closeIfOpened { pool in
                // A checkpoint that cannot finish is not an error: the log still holds every write.
                try? pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
            }
            try database.close()
        } catch {
            throw Self.storeError(error, path: path)
        }
    }

    deinit {
        try? close()
    }

    /// The pool that writes, opened now if it is not yet.
    private func writerPool() throws -> DatabasePool {
        guard let writer else { throw StoreError.readOnly(path: path, reason: StoreError.openedForReading) }
        return try writer.pool()
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

/// A `DatabasePool` opened on first use, once, from whichever thread asks first.
final class LazyDatabasePool: @unchecked Sendable {
    private let lock = NSLock()
    private var opened: DatabasePool?
    private let open: () throws -> DatabasePool

    init(open: @escaping () throws -> DatabasePool) {
        self.open = open
    }

    func pool() throws -> DatabasePool {
        lock.lock()
        defer { lock.unlock() }
        if isClosed { throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the store is closed") }
        if let opened { return opened }
        let pool = try open()
        opened = pool
        return pool
    }

    private var isClosed = false

    /// Runs `finish` on the pool, if it was ever opened, then closes it; later ``pool()`` calls fail.
    @discardableResult
    func closeIfOpened(_ finish: (DatabasePool) throws -> Void) throws -> DatabasePool? {
        lock.lock()
        defer { lock.unlock() }
        isClosed = true
        guard let pool = opened else { return nil }
        try finish(pool)
        try pool.close()
        opened = nil
        return pool
    }
}
