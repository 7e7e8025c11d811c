import ArgumentParser
import GPNav

/// `--epochs` and `--epoch-budget`: a study's training length and the epochs it may spend.
struct EpochOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Full training length in epochs, 1 to 10000: the command gets it as {epochs}, GPNAV_EPOCHS and `epochs` "
            + "in its config; the simulator reports a learning curve of that many epochs (default: none).",
        valueName: "n"),
            transform: ArgumentRange.count(EpochReport.epochRange))
    var epochs: Int?

    @Option(help: ArgumentHelp(
        "Epochs the study may spend in all (needs --epochs); no trial starts whose full training would pass it. "
            + "Without --trials, it alone ends the study.",
        valueName: "n"),
            transform: ArgumentRange.count(StudySpec.epochBudgetRange))
    var epochBudget: Int?
}
