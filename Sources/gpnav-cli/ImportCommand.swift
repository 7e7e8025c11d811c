import ArgumentParser
import Foundation
import GPNav
import MobileViT

/// `gpnav import`: results of real trainings, from CSV, into a study.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import finished trials from a CSV file into a study (all rows or none).",
        discussion: """
            Reads the columns that `gpnav trials --format csv` writes. Required: resolution, width, \
            accuracy (percent; may be empty for failed or pruned trials), and the depth groups of \
            each row's family (per stage, e.g. "2,4,3": \(FamilyNames.depthGroups)). Optional: family (default mobilevitv2, which files without the \
            column are), classes, state (complete, failed, pruned, abandoned; default complete), error, \
            started_at, finished_at, metric_<name>. Other columns are ignored; \
            macs and params are recomputed from the architecture, never taken from the file.

            Every row is checked before anything is stored; the first bad row is reported with its \
            line number and nothing is imported. The study is created when missing (default search \
            space, no budget, seed 0, evaluator "import").

            Examples:
              gpnav trials --study macs-300M --state complete --format csv > done.csv
              gpnav import done.csv --study macs-300M-copy --db other.sqlite
              gpnav import trainings.csv --study real-300M
            """
    )

    @Argument(help: ArgumentHelp("The CSV file.", valueName: "file.csv"))
    var file: String

    @Option(help: "The study to import into (created when missing).")
    var study: String

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard !study.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--study must not be empty") }
    }

    func run() async throws {
        // The file is read and checked whole before the database is opened, so a bad file
        // leaves the database (or its absence) exactly as it was.
        let existingClasses = await Self.existingStudyClasses(study, database: database)
        let rows = try TrialImport.load(path: file, defaultClasses: existingClasses ?? SearchSpace.default.classes)
        try await database.checkStudyName(study)
        let store = try await database.openForWriting(create: true)
        let family = rows.first?.architecture.family ?? ArchitectureFamilies.standard
        let session = try await StudySession.openForRecording(store: store, name: study, seed: 0, family: family,
                                                              evaluatorSummary: "import", leaseSeconds: 120)
        let created = session.wasCreated
        let stored = try await session.importTrials(rows)
        let complete = stored.filter { $0.state == .complete }.count
        let numbers = stored.isEmpty ? "" : " (trials \(stored[0].number)-\(stored[stored.count - 1].number))"
        try StandardStreams.writeOutput("Imported \(stored.count) trial\(stored.count == 1 ? "" : "s") into study '\(TerminalText.escaped(study))'\(numbers): "
              + "\(complete) complete, \(stored.count - complete) failed or pruned\(created ? "; study created" : "").\n")
    }

    /// The class count of the named study's space when the database and study exist, without
    /// creating or changing anything. A database that cannot be read here (e.g. an older schema,
    /// which the write below upgrades) gives nil; opening it for writing reports real problems.
    static func existingStudyClasses(_ name: String, database: DatabaseOptions) async -> Int? {
        guard database.storeExists,
              let store = try? await database.openForReading() else { return nil }
        return (try? await store.study(named: name))?.space.classes
    }
}
