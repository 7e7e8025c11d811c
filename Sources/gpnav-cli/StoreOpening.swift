import GPNav

/// How a command uses the database.
enum StoreMode {
    /// Reads only: never creates or changes the store; works on read-only files.
    case readOnly
    /// Reads and writes; creates the store and its schema when missing.
    case readWrite
}

/// Opens the store named by `--db` / `GPNAV_DB` / `gpnav.sqlite`.
func openStore(_ options: DatabaseOptions, mode: StoreMode) async throws -> any TrialStore {
    switch mode {
    case .readOnly: try await options.openForReading()
    case .readWrite: try await options.openForWriting(create: true)
    }
}
