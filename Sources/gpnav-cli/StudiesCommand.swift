import ArgumentParser
import Foundation
import GPNav
import MobileViT

/// `gpnav studies`: list the studies of a database, create one, or delete one.
struct StudiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "studies",
        abstract: "List studies with their trial counts and best accuracy, create one for workers, or delete one.",
        discussion: """
            Examples:
              gpnav studies
              gpnav studies --format json
              gpnav studies create --macs 300M --trials 30
              gpnav studies delete macs-300M
            """,
        subcommands: [List.self, Create.self, Delete.self],
        defaultSubcommand: List.self
    )

    /// `gpnav studies list` (the default).
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List studies (the default): trials by state, best accuracy, budget.",
            discussion: """
                The best accuracy is that of the best complete trial within the study's budget, \
                by what the study ranks by: its int8 accuracy (accuracy_int8) when deployed at 8 \
                bits (--bits 8). Reads the database only; it never creates or changes it.
                """
        )

        @OptionGroup var database: DatabaseOptions

        @Option(help: "Output format.")
        var format: OutputFormat = .table

        func run() async throws {
            let store = try await database.openForReading()
            let summaries = try await store.studySummaries()
            let accounts = try await EpochAccount.ofStudies(in: store)
            let records = summaries.map { StudyRecord($0, epochs: accounts[$0.study.name]) }
            let text: String
            switch format {
            case .json:
                text = try JSONOutput.encode(records) + "\n"
            case .csv:
                text = CSV.format(header: StudyRecord.csvHeader, rows: records.map(\.csvFields))
            case .table:
                text = records.isEmpty ? "No studies yet.\n" : Self.table(records)
            }
            try StandardStreams.writeOutput(text)
        }

        static func table(_ records: [StudyRecord]) -> String {
            // The abandoned column only where a study has such trials, so the usual table stays narrow.
            let abandoned = records.contains { $0.abandoned > 0 }
            var table = TextTable(
                header: ["study", "trials", "complete", "running", "failed", "pruned"] + (abandoned ? ["abandoned"] : [])
                    + ["best acc %", "MACs budget", "epochs", "created"],
                alignments: [.left] + Array(repeating: .right, count: abandoned ? 9 : 8) + [.left])
            for record in records {
                table.append([
                    record.name, String(record.trials), String(record.complete), String(record.running),
                    String(record.failed), String(record.pruned),
                ] + (abandoned ? [String(record.abandoned)] : []) + [
                    CellText.accuracy(record.bestAccuracy), record.budget.macs.map(Quantity.formatCount) ?? "-",
                    record.epochsSpent.map(String.init) ?? "-",
                    String(record.createdAt.prefix(16)),
                ])
            }
            return table.render()
        }
    }

    /// `gpnav studies delete NAME`.
    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete",
            abstract: "Delete a study and all its trials.",
            discussion: "Example: gpnav studies delete macs-300M"
        )

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The study's name.")
        var name: String

        func run() async throws {
            try await database.openForWriting(create: false).deleteStudy(named: name)
            try StandardStreams.writeOutput("Deleted study '\(TerminalText.escaped(name))' and its trials.\n")
        }
    }
}

/// One study as `gpnav studies --format json|csv` writes it.
struct StudyRecord: Encodable {
    var name: String
    var createdAt: String
    var trials: Int
    var complete: Int
    var running: Int
    var failed: Int
    var pruned: Int
    var abandoned: Int
    var bestAccuracy: Double?
    var budget: Budget
    var objectives: [String]
    var seed: UInt64
    var evaluator: String
    var targetTrials: Int
    var family: String
    /// Epochs the study's trials trained (nil: no trial's length is known), and those spent when
    /// its best trial within budget was first complete.
    var epochsSpent: Int?
    var epochsAtBest: Int?

    init(_ summary: StudySummary, epochs: EpochAccount? = nil) {
        let study = summary.study
        name = study.name
        createdAt = TrialExport.timeText(study.createdAt)
        complete = summary.counts[.complete] ?? 0
        running = summary.counts[.running] ?? 0
        failed = summary.counts[.failed] ?? 0
        pruned = summary.counts[.pruned] ?? 0
        abandoned = summary.counts[.abandoned] ?? 0
        trials = summary.counts.values.reduce(0, +)
        bestAccuracy = summary.bestAccuracy
        budget = study.budget
        objectives = study.objectives
        seed = study.seed
        evaluator = study.evaluator
        targetTrials = study.targetTrials
        family = study.family
        epochsSpent = epochs?.knownTotal
        epochsAtBest = epochs?.totalAtRecommended
    }

    static let csvHeader = [
        "study", "created_at", "trials", "complete", "running", "failed", "pruned", "abandoned", "best_accuracy",
        "budget_macs", "budget_params", "budget_memory_bytes", "budget_bits", "objectives", "seed",
        "evaluator", "target_trials", "family", "epochs_spent", "epochs_at_best",
    ]

    var csvFields: [String] {
        [
            name, createdAt, String(trials), String(complete), String(running), String(failed), String(pruned),
            String(abandoned), bestAccuracy.map { String($0) } ?? "", budget.macs.map(String.init) ?? "",
            budget.params.map(String.init) ?? "", budget.memoryBytes.map(String.init) ?? "",
            budget.bits.map(String.init) ?? "", objectives.joined(separator: ","), String(seed), evaluator,
            String(targetTrials), family, epochsSpent.map(String.init) ?? "", epochsAtBest.map(String.init) ?? "",
        ]
    }

    private enum CodingKeys: String, CodingKey {
        case name = "study", createdAt = "created_at", trials, complete, running, failed, pruned, abandoned
        case bestAccuracy = "best_accuracy", budget, objectives, seed, evaluator, targetTrials = "target_trials"
        case family, epochsSpent = "epochs_spent", epochsAtBest = "epochs_at_best"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(trials, forKey: .trials)
        try container.encode(complete, forKey: .complete)
        try container.encode(running, forKey: .running)
        try container.encode(failed, forKey: .failed)
        try container.encode(pruned, forKey: .pruned)
        try container.encode(abandoned, forKey: .abandoned)
        try container.encode(bestAccuracy, forKey: .bestAccuracy)
        try container.encode(budget, forKey: .budget)
        try container.encode(objectives, forKey: .objectives)
        try container.encode(seed, forKey: .seed)
        try container.encode(evaluator, forKey: .evaluator)
        try container.encode(targetTrials, forKey: .targetTrials)
        try container.encode(family, forKey: .family)
        try container.encode(epochsSpent, forKey: .epochsSpent)
        try container.encode(epochsAtBest, forKey: .epochsAtBest)
    }
}
