import ArgumentParser
import GPNav

/// `gpnav plot history`: best accuracy so far against trial number.
struct PlotHistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Best accuracy so far (within budget) against trial number.",
        discussion: """
            The line is the best accuracy among complete trials within budget up to each trial. \
            Each complete trial is a mark that says what proposed it: orange squares for the \
            downsizing chain, blue dots for GP expected improvement, diamonds for random draws and \
            for trials given by the user; hollow when over budget. Failed or pruned trials are red \
            x marks along the bottom. The legend lists only what is drawn.

            Example:
              gpnav plot history --study macs-300M --out history.svg
            """
    )

    @OptionGroup var options: PlotStudyOptions

    func run() async throws {
        let (study, trials) = try await options.load()
        try options.write(try StudyPlots.history(study: study, trials: trials).render())
    }
}
