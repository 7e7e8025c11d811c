import GPNav

/// How a command uses the database.
enum StoreMode {
    /// Reads only: never creates or changes the file; works on read-only files.
    case readOnly
    /// Reads and writes; creates the file and its schema when missing.
    case readWrite
}

/// Opens the database named by `--db` / `GPNAV_DB` / `gpnav.sqlite`.
func openStore(_ options: DatabaseOptions, mode: StoreMode) throws -> any TrialStore {
    switch mode {
    case .readOnly: try SQLiteTrialStore(path: options.path, access: .readOnly)
    case .readWrite: OpenStores.track(try SQLiteTrialStore(path: options.path, access: .readWrite(createIfMissing: true)))
    }
}
