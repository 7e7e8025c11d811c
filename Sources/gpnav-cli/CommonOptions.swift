import ArgumentParser
import Foundation

/// `--db PATH`, shared by every command that touches the store.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "SQLite database file (default: $GPNAV_DB, else gpnav.sqlite in the working directory).",
        valueName: "path"))
    var db: String?

    /// The database path in effect: `--db`, then `GPNAV_DB`, then `gpnav.sqlite`.
    var path: String {
        if let db { return db }
        if let fromEnvironment = ProcessInfo.processInfo.environment["GPNAV_DB"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "gpnav.sqlite"
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
