/// Which backend keeps the trials, and where: what `--db` and `GPNAV_DB` name.
///
/// `postgresql://...` and `postgres://...` name a PostgreSQL database (``PostgresURL``);
/// `sqlite:PATH` or any other text is the path of a SQLite file, which must not be empty.
public enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresURL)

    /// Parses `text`.
    /// - Throws: ``StoreError/invalidLocation(_:reason:)`` for a PostgreSQL URL that does not parse
    ///   or an empty file path (SQLite would open a temporary database, and gpnav would wait on it).
    public init(_ text: String) throws(StoreError) {
        if PostgresURL.names(text) {
            self = .postgres(try PostgresURL(text))
            return
        }
        let path = text.hasPrefix("sqlite:") ? String(text.dropFirst("sqlite:".count)) : text
        guard !path.isEmpty else { throw .invalidLocation(text, reason: "the file path is empty") }
        self = .sqlite(path: path)
    }

    /// How messages and listings name the store: the file's path, or the URL without its password.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let url): url.redacted
        }
    }
}

/// How a command means to use a store.
public enum StoreAccess: Sendable, Hashable {
    /// Only reads: never creates, migrates or changes anything; works on read-only files.
    case readOnly
    /// Reads and writes; creates the store (and its schema) only when `createIfMissing`.
    case readWrite(createIfMissing: Bool)
}

/// Opens the store at `location` for `access`: the one way every command opens a store.
/// - Throws: ``StoreError`` with one line saying what is wrong (never a password).
public func openStore(_ location: StoreLocation, access: StoreAccess) async throws(StoreError) -> any ClosableTrialStore {
    switch location {
    case .sqlite(let path): try SQLiteTrialStore(path: path, access: access)
    case .postgres(let url):
        #if PostgreSQL
        try await PostgresTrialStore(url: url, access: access)
        #else
        throw .notBuilt(store: url.redacted, feature: .postgreSQL)
        #endif
    }
}

/// A ``TrialStore`` that holds connections or files to release when a command ends.
public protocol ClosableTrialStore: TrialStore {
    /// Releases what the store holds; later uses fail; closing twice does nothing.
    func close() async throws(StoreError)
}
