import ArgumentParser
import Foundation
import GPNav

/// `gpnav plot`: SVG pictures of a study (cube, pareto, front, history, curves).
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw a study as an SVG picture: the GP's cube, a Pareto front, the history, or the learning curves.",
        discussion: """
            Each subcommand writes one SVG file (--out), readable in any browser; no plotting \
            software is needed. Without --study the database's only study is drawn. Titles say \
            "(simulated accuracy)" when the study's accuracies come from the training stub. A \
            study deployed at 8 bits (--bits 8) is drawn by its trials' int8 accuracy \
            (accuracy_int8), the one it ranks by; learning curves stay float.

            Examples:
              gpnav plot cube --x resolution --y width --out cube.svg
              gpnav plot cube --x resolution --y width --grid --out cube-grid.svg
              gpnav plot pareto --study macs-300M --out pareto.svg
              gpnav plot front --x params --y accuracy --out front.svg
              gpnav plot history --out history.svg
              gpnav plot curves --out curves.svg
            """,
        subcommands: [PlotCubeCommand.self, PlotParetoCommand.self, PlotFrontCommand.self, PlotHistoryCommand.self,
                      PlotCurvesCommand.self]
    )
}

/// `--db`, `--study` and `--out`, shared by the plot subcommands.
struct PlotStudyOptions: ParsableArguments {
    @OptionGroup var database: DatabaseOptions

    @Option(help: "The study to draw (default: the database's only study).")
    var study: String?

    @Option(help: ArgumentHelp("The SVG file to write.", valueName: "file.svg"))
    var out: String

    /// The chosen study and all its trials, ranked as the study ranks them (an 8-bit study's by int8 accuracy).
    func load() async throws -> (study: Study, trials: [Trial]) {
        try await load(from: try await database.openForReading())
    }

    /// The chosen study and all its trials, ranked as the study ranks them, from `store`.
    func load(from store: any TrialStore) async throws -> (study: Study, trials: [Trial]) {
        let chosen: Study
        if let study {
            guard let found = try await store.study(named: study) else {
                throw StoreError.unknownStudy(study, known: try await store.studies().map(\.name))
            }
            chosen = found
        } else {
            let all = try await store.studies()
            guard all.count == 1, let only = all.first else { throw PlotStudyChoiceError(studies: all.map(\.name)) }
            chosen = only
        }
        return (chosen, try await StudySession.rankedTrials(of: chosen, in: store))
    }

    func write(_ svg: String) throws {
        try OutputDestination.write(svg, to: out)
    }
}

/// `--study` was omitted and the database does not hold exactly one study.
struct PlotStudyChoiceError: UserFacingError {
    var studies: [String]
    var kind: FailureKind { studies.isEmpty ? .notFound : .usage }
    var description: String {
        studies.isEmpty
            ? "the database has no studies: run 'gpnav search' first"
            : "the database has \(studies.count) studies (\(studies.joined(separator: ", "))): choose one with --study NAME"
    }
}
