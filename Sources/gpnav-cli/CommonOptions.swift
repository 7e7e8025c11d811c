import ArgumentParser
import Foundation
import GPNav

/// `--db PATH|URL`, shared by every command that touches the store.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The store: a SQLite file (PATH or sqlite:PATH) or a PostgreSQL database (postgresql://user:password@host:5432/name) (default: $GPNAV_DB, else gpnav.sqlite in the working directory).",
        valueName: "path|url"))
    var db: String?

    /// The store named in effect, as given: `--db`, then `GPNAV_DB`, then `gpnav.sqlite`.
    var path: String {
        if let db { return db }
        if let fromEnvironment = ProcessInfo.processInfo.environment["GPNAV_DB"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "gpnav.sqlite"
    }

    /// Options naming the store `text`, as `--db text` would (for commands with two stores).
    static func named(_ text: String) -> DatabaseOptions {
        var options = DatabaseOptions()
        options.db = text
        return options
    }

    /// The backend and place that ``path`` names.
    var location: StoreLocation {
        get throws { try StoreLocation(path) }
    }

    /// How output names the store: the file's path, or the URL without its password.
    var shownName: String {
        (try? location.description) ?? PostgresURL.redacting(path)
    }

    /// The file whose name and directory place training commands' config files: the SQLite file,
    /// or for PostgreSQL a file named after the database in the working directory.
    var configBasePath: String {
        switch try? location {
        case .postgres(let url): url.database
        case .sqlite(let path): path
        case nil: path
        }
    }
}

/// Output formats of commands that print rows (table, CSV or JSON).
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// Output formats of commands that print one report, which has no CSV form (search, evaluate,
/// analyze): `--help` offers only these, and the parser refuses others.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}
