import ArgumentParser
import GPNav

/// `gpnav plot curves`: every trial's learning curve.
struct PlotCurvesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curves",
        abstract: "Every trial's learning curve: top-1 accuracy against epochs.",
        discussion: """
            One line per trial that reported intermediate results (a training command's \
            {"epoch": N, "accuracy": A} lines, or the simulator's curves with --epochs), coloured \
            by MACs from dark (small) to yellow (large); the best complete trial within budget is \
            thick and black, failed or pruned trials are dashed.

            Example:
              gpnav plot curves --study macs-300M --out curves.svg
            """
    )

    @OptionGroup var options: PlotStudyOptions

    func run() async throws {
        let store = try await options.database.openForReading()
        let (study, trials) = try await options.load(from: store)
        let curves = try await store.learningCurves(study: study.name)
        try options.write(try StudyPlots.curves(study: study, trials: trials, curves: curves).render())
    }
}
