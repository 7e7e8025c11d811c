import ArgumentParser
import GPNav

/// `gpnav plot pareto`: accuracy against MACs or measured latency, with the Pareto front.
struct PlotParetoCommand: AsyncParsableCommand {
    /// The cost the accuracy is plotted against.
    enum Cost: String, CaseIterable, ExpressibleByArgument {
        case macs, latency
    }

    static let configuration = CommandConfiguration(
        commandName: "pareto",
        abstract: "Accuracy against MACs (log scale) or measured latency: all trials, the Pareto front, budget.",
        usage: "gpnav plot pareto --out <file.svg> [--x <cost>] [<options>]",
        discussion: """
            Every complete trial is a grey dot, hollow when it breaks the study's budget; the Pareto \
            front (accuracy max, MACs min) is joined as a staircase; the MACs budget is a dashed \
            vertical line with the MACs beyond it shaded. The axes span the study's trials and its \
            budget; the family's published models (real ImageNet top-1) inside that span are \
            labelled diamonds, and those beyond it are named at the edge. MACs ticks share one \
            unit, named in the axis title.

            --x latency plots against the latency_ms measured on the study's device instead (a \
            study searched under --latency): only measured trials, never the latency model's \
            predictions; the latency budget is the dashed line. Published models have no latency \
            on that device and are not drawn.

            Examples:
              gpnav plot pareto --study macs-300M --out pareto.svg
              gpnav plot pareto --study lat-40ms --x latency --out latency.svg
            """
    )

    @OptionGroup var options: PlotStudyOptions

    @Option(help: ArgumentHelp("The cost across: macs or latency (default macs).", valueName: "cost"))
    var x: Cost = .macs

    func run() async throws {
        let (study, trials) = try await options.load()
        switch x {
        case .macs: try options.write(try StudyPlots.pareto(study: study, trials: trials).render())
        case .latency: try options.write(try StudyPlots.latencyPareto(study: study, trials: trials).render())
        }
    }
}
