/// Why the trial store could not do what was asked; each case reads as one line a user can act on.
public enum StoreError: UserFacingError, Equatable, Sendable {
    /// No database file exists at the path and the command only reads.
    case noDatabase(path: String)
    /// The directory that should hold the database does not exist.
    case missingDirectory(path: String, directory: String)
    /// The file exists but is not a SQLite database (or not a gpnav one).
    case notADatabase(path: String)
    /// The database was written by a newer gpnav, with migrations this build does not know.
    case newerSchema(path: String, unknown: [String])
    /// The database was written by an older gpnav and a read-only command cannot upgrade it.
    case olderSchema(path: String)
    /// The store cannot be written and the command needs to write; `reason` is the backend's word on
    /// what is read-only (a file or directory, a user's privileges, a store opened for reading).
    case readOnly(path: String, reason: String)
    /// No study has this name.
    case unknownStudy(String, known: [String])
    /// A study with this name exists already.
    case duplicateStudy(String)
    /// No trial has this row id.
    case unknownTrial(Int64)
    /// A trial cannot be finished because it is no longer running.
    case trialNotRunning(number: Int, state: TrialState)
    /// A value cannot be stored (NaN or infinite numbers).
    case invalidValue(String)
    /// A stored value cannot be read back (hand-edited or damaged row).
    case corruptRow(String)
    /// Any other failure of the database, with the database's own message.
    case backend(store: String, message: String)
    /// `--db` names no store gpnav can use (a PostgreSQL URL that does not parse); never shows a password.
    case invalidLocation(String, reason: String)
    /// The database server cannot be reached, or refuses the user, password or database name.
    case unreachable(store: String, detail: String)
    /// A copied study's trials at the destination differ from the source's (the copy was undone).
    case copyMismatch(study: String, detail: String)
    /// The connection to the database server was lost and could not be made again in time.
    case connectionLost(store: String, seconds: Int, detail: String)
    /// The store's backend is a part this build of gpnav left out (``BuildFeature``).
    case notBuilt(store: String, feature: BuildFeature)

    /// The reason of ``readOnly(path:reason:)`` for a store opened for reading only, in every backend.
    public static let openedForReading = "opened for reading only"

    public var kind: FailureKind {
        switch self {
        case .noDatabase, .unknownStudy, .unknownTrial: .notFound
        case .duplicateStudy, .trialNotRunning: .usage
        case .invalidValue: .data
        case .invalidLocation, .notBuilt: .usage
        case .missingDirectory, .notADatabase, .newerSchema, .olderSchema, .readOnly, .corruptRow, .backend,
             .unreachable, .connectionLost, .copyMismatch:
            .database
        }
    }

    public var description: String {
        switch self {
        case .noDatabase(let path):
            "no database at '\(path)'"
        case .missingDirectory(let path, let directory):
            "cannot create database '\(path)': directory '\(directory)' does not exist"
        case .notADatabase(let path):
            "'\(path)' is not a gpnav database (not SQLite, or SQLite without gpnav's tables)"
        case .newerSchema(let path, let unknown):
            "database '\(path)' was written by a newer gpnav (unknown schema migrations: \(unknown.joined(separator: ", "))); upgrade gpnav to use it"
        case .olderSchema(let path):
            "database '\(path)' has an older schema, which only a store opened for writing upgrades"
        case .readOnly(let path, let reason):
            "database '\(path)' is read-only (\(reason))"
        case .unknownStudy(let name, let known):
            known.isEmpty
                ? "unknown study '\(name)': the database has no studies yet"
                : "unknown study '\(name)'; known studies: \(known.joined(separator: ", "))"
        case .duplicateStudy(let name):
            "a study named '\(name)' exists already"
        case .unknownTrial(let id):
            "no trial with row id \(id)"
        case .trialNotRunning(let number, let state):
            "trial \(number) is \(state.rawValue), not running, so it cannot be finished again"
        case .invalidValue(let detail):
            "cannot store the trial: \(detail)"
        case .corruptRow(let detail):
            "the database holds a value gpnav cannot read: \(detail)"
        case .backend(let store, let message):
            "database '\(store)': \(message)"
        case .invalidLocation(let text, let reason):
            "cannot use database '\(text)': \(reason)"
        case .unreachable(let store, let detail):
            "cannot connect to database '\(store)': \(detail)"
        case .copyMismatch(let study, let detail):
            "copying study '\(study)' went wrong and was undone: \(detail)"
        case .connectionLost(let store, let seconds, let detail):
            "lost the connection to database '\(store)' and could not connect again within \(seconds) s: \(detail)"
        case .notBuilt(let store, let feature):
            FeatureNotBuilt(feature: feature, needed: store).description
        }
    }
}
