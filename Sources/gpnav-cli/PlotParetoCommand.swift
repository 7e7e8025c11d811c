import ArgumentParser
import GPNav

/// `gpnav plot pareto`: accuracy against MACs with the Pareto front.
struct PlotParetoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pareto",
        abstract: "Accuracy against MACs (log scale): all trials, the Pareto front, budget, presets.",
        discussion: """
            Every complete trial is a grey dot, hollow when it breaks the study's budget; the Pareto \
            front (accuracy max, MACs min) is joined as a staircase; the MACs budget is a dashed \
            vertical line with the MACs beyond it shaded. The axes span the study's trials and its \
            budget; the family's published models (real ImageNet top-1) inside that span are \
            labelled diamonds, and those beyond it are named at the edge. MACs ticks share one \
            unit, named in the axis title.

            Example:
              gpnav plot pareto --study macs-300M --out pareto.svg
            """
    )

    @OptionGroup var options: PlotStudyOptions

    func run() async throws {
        let (study, trials) = try await options.load()
        try options.write(try StudyPlots.pareto(study: study, trials: trials).render())
    }
}
