import ArgumentParser
import Foundation
import GPNav

/// `gpnav analyze`: what the Gaussian process learnt about the four global factors of a study.
struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Explain a study: factor relevance, interactions, joint factors and design principles.",
        discussion: """
            Fits the Gaussian process to the study's complete trials (at least 3) and reports: \
            the fitted hyperparameters; each input's ARD length scale and rank; the share of the \
            variance of the predicted accuracy over the study's grid explained by each factor and \
            each pair of factors (a functional ANOVA of the posterior mean); leave-one-out RMSE and \
            log predictive density of the model with and without the joint factors; and, around \
            the recommended trial within the budget, the accuracy gained per extra GMAC along each \
            factor and which factor to shrink first and last when downsizing.

            Reading it: a factor's variance share is the size of its effect; its length scale is \
            only how curved the effect is, and one at the fit's upper bound (100) marks a smooth, \
            near-linear effect of any size. The slope columns are accuracy changes in points: per \
            GMAC added one grid step up, and per GMAC saved one step down, so a minus sign is \
            accuracy lost either way.

            A study deployed at 8 bits (--bits 8) is analysed by its trials' int8 accuracy \
            (accuracy_int8), the one it ranks by. Reads the database only. Without --study, the \
            most recently created study.

            Examples:
              gpnav analyze --study macs-300M
              gpnav analyze --study macs-300M --format json > analysis.json
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The study to analyse (default: the most recently created).")
    var study: String?

    @Option(help: ArgumentHelp("Output format.", valueName: "table|json"))
    var format: ReportFormat = .table

    func run() async throws {
        let store = try await database.openForReading()
        let chosen: Study
        if let study {
            guard let found = try await store.study(named: study) else {
                throw StoreError.unknownStudy(study, known: try await store.studies().map(\.name).sorted())
            }
            chosen = found
        } else {
            guard let latest = try await store.studies().last else { throw NoStudies() }
            chosen = latest
        }
        let trials = try await StudySession.rankedTrials(of: chosen, in: store)
        let analysis = try FactorAnalysis.analyze(study: chosen, trials: trials)
        let text = switch format {
        case .json: try JSONOutput.encode(AnalyzeReport(analysis)) + "\n"
        case .table: TerminalText.escapedLines(AnalyzeReport.table(analysis))
        }
        try StandardStreams.writeOutput(text)
    }
}

/// The database holds no study to analyse.
struct NoStudies: UserFacingError {
    var kind: FailureKind { .notFound }
    var description: String { "the database has no studies yet: run 'gpnav search' or 'gpnav import' first" }
}
