import ArgumentParser
import Foundation
import GPNav
import MobileViT

extension StudiesCommand {
    /// `gpnav studies create [NAME] --macs 300M ...`: a study for workers, without running it.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create a study without running it, for `gpnav worker` or the HTTP API to work on.",
            discussion: """
                The study gets the same settings `gpnav search` would give it, checked by the same \
                rules. Repeating the command with the same settings does nothing (exit 0); other \
                settings for an existing name are refused (exit 2), as POST /v1/studies does.

                Examples:
                  gpnav studies create --macs 300M --trials 30
                  gpnav studies create phone --family mobilevit --macs 300M --db studies.sqlite
                """
        )

        @Argument(help: "The study's name (default: from the family and the budget, e.g. macs-300M).")
        var name: String?

        @OptionGroup var budgetOptions: BudgetOptions

        @Option(help: ArgumentHelp("Complete trials to reach, 1 to 100000 (default 30, or no limit with --epoch-budget).",
                                   valueName: "n"),
                transform: ArgumentRange.count(StudySpec.targetTrialsRange))
        var trials: Int?

        @Option(help: "Seed of every random choice (default 0).")
        var seed: UInt64 = 0

        @OptionGroup var spaceOptions: SearchSpaceOptions

        @OptionGroup var epochOptions: EpochOptions

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard !budgetOptions.isEmpty else { throw ValidationError("give a budget, e.g. --macs 300M") }
        }

        func run() async throws {
            let budget = try budgetOptions.budget()
            let space = try spaceOptions.searchSpace()
            try ArchitectureSearch.checkFeasible(budget, in: space)
            let studyName = name ?? SearchConfiguration.defaultStudyName(for: budget, familyName: space.familyName)
            try await database.checkStudyName(studyName)
            let trials = trials ?? StudySpec.defaultTargetTrials(epochBudget: epochOptions.epochBudget)
            let spec = StudySpec(name: studyName, space: space, budget: budget, targetTrials: trials, seed: seed,
                                 evaluatorSummary: "remote workers (gpnav serve)", epochs: epochOptions.epochs,
                                 epochBudget: epochOptions.epochBudget)
            let store = try await database.openForWriting(create: true)
            let session = try await StudySession.open(store: store, spec: spec, mode: .createOrResume,
                                                      leaseSeconds: 120)
            let shown = TerminalText.escaped(studyName)
            let text = session.wasCreated
                ? "Created study '\(shown)': \(space.family.displayName) within \(describe(budget)), \(trials) trials.\n"
                : "Study '\(shown)' exists with these settings; nothing changed.\n"
            try StandardStreams.writeOutput(text)
        }
    }
}
