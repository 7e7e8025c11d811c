import ArgumentParser
import Foundation
import GPNav

/// `gpnav copy`: copy studies with all their trials between two stores.
struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy studies with all their trials from one store to another (SQLite or PostgreSQL).",
        discussion: """
            All or nothing: a study whose name exists at the destination is refused before anything \
            is written, and a copy that fails part way is undone. The trial counts are checked after \
            the copy. The source is only read.

            Examples:
              gpnav copy --from gpnav.sqlite --to postgresql://gpnav:SECRET@db:5432/gpnav
              gpnav copy --from postgresql://gpnav:SECRET@db:5432/gpnav --to backup.sqlite --study macs-300M
            """
    )

    @Option(help: ArgumentHelp("The store to copy from: a SQLite file or a postgresql:// URL.", valueName: "path|url"))
    var from: String

    @Option(help: ArgumentHelp("The store to copy to; created when missing.", valueName: "path|url"))
    var to: String

    @Option(help: ArgumentHelp("Copy only this study (repeat for several; default: every study).", valueName: "name"))
    var study: [String] = []

    func run() async throws {
        let source = try await DatabaseOptions.named(from).openForReading()
        let chosen = try await StoreCopy.studies(named: study.isEmpty ? nil : study, in: source)
        let destination = try await DatabaseOptions.named(to).openForWriting(create: true)
        let copied: [StoreCopy.Copied]
        do {
            copied = try await StoreCopy.copy(chosen, from: source, to: destination)
        } catch StoreError.duplicateStudy(let name) {
            // The generic advice ('gpnav studies delete NAME') would name the default store,
            // which may be the source: name the destination.
            throw DestinationHasStudy(study: name, destination: DatabaseOptions.named(to).shownName)
        }
        let lines = copied.map { "copied study '\($0.study)': \($0.trials) trials" }
        try StandardStreams.writeOutput(TerminalText.escapedLines(
            (copied.isEmpty ? ["no studies to copy"] : lines).joined(separator: "\n") + "\n"))
    }
}

/// `gpnav copy` found a study of the same name at the destination; nothing was written.
struct DestinationHasStudy: UserFacingError {
    var study: String
    /// The destination as output shows it (never a password).
    var destination: String

    var kind: FailureKind { .usage }

    var description: String {
        "a study named '\(study)' exists already in '\(destination)' (nothing was copied); "
            + "leave it out with --study, or delete it there first: gpnav studies delete \(ShellWord.quoted(study)) --db \(ShellWord.quoted(destination))"
    }
}

/// A word as a POSIX shell reads it back: as it is when it is plain, else in single quotes.
enum ShellWord {
    static func quoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_./:@=+,".contains($0)) }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
