import ArgumentParser
import GPNav

extension FrontObjective: ExpressibleByArgument {}

/// `gpnav plot front`: any two objectives of a study against each other, with their Pareto front.
struct PlotFrontCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "front",
        abstract: "Two objectives of the complete trials against each other, with their Pareto front.",
        discussion: """
            Objectives: accuracy (maximised), macs, params, epochs (trained, from the learning \
            curves or the study's --epochs) and latency (the latency_ms a search under a latency \
            budget measured), all minimised. Every complete trial with both values is a grey dot, \
            hollow when it breaks the study's budget; the front is joined as a staircase. MACs and \
            parameters are on log scales. The dashboard draws the same picture.

            Examples:
              gpnav plot front --x params --y accuracy --out params.svg
              gpnav plot front --study edge --x latency --y accuracy --out latency.svg
            """
    )

    @OptionGroup var options: PlotStudyOptions

    @Option(help: ArgumentHelp("Objective across: \(FrontObjective.knownNames.joined(separator: ", ")) (default macs).",
                               valueName: "objective"))
    var x: FrontObjective = .macs

    @Option(help: ArgumentHelp("Objective up (default accuracy).", valueName: "objective"))
    var y: FrontObjective = .accuracy

    func validate() throws {
        guard x != y else { throw ValidationError("--x and --y are both '\(x.rawValue)': choose two different objectives") }
    }

    func run() async throws {
        let store = try await options.database.openForReading()
        let (study, trials) = try await options.load(from: store)
        let curves = x == .epochs || y == .epochs ? try await store.learningCurves(study: study.name) : [:]
        try options.write(try StudyPlots.front(study: study, trials: trials, curves: curves, x: x, y: y).render())
    }
}
