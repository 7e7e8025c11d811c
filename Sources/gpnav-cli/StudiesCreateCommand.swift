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

        @OptionGroup var settingsOptions: StudySettingsOptions

        @OptionGroup var spaceOptions: SearchSpaceOptions

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            // The flags map onto the study's settings; the library checks them before the store is
            // opened, by the rules POST /v1/studies applies.
            var (settings, given) = try settingsOptions.settings(space: try spaceOptions.searchSpace(),
                                                                 budget: try budgetOptions.budget())
            budgetOptions.applyDeploymentBits(to: &settings, given: &given)
            try settings.validateForNewStudy()
            let studyName = name ?? settings.defaultStudyName
            try await database.checkStudyName(studyName)
            let store = try await database.openForWriting(create: true)
            let session = try await StudySession.open(store: store, name: studyName, settings: settings,
                                                      mode: .createOrConfirm, leaseSeconds: 120)
            let shown = TerminalText.escaped(studyName)
            let text = session.wasCreated
                ? "Created study '\(shown)': \(settings.space.family.displayName) within \(describe(settings.budget)), "
                    + "\(settings.targetTrials) trials.\n"
                : "Study '\(shown)' exists with these settings; nothing changed.\n"
            try StandardStreams.writeOutput(text)
        }
    }
}
