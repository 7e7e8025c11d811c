import ArgumentParser
import Foundation
import GPNav
import MobileViT

/// `gpnav downsize`: print the downsizing chain without evaluating anything.
struct DownsizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "downsize",
        abstract: "Print the downsizing chain from a published \(FamilyNames.displayed) down to a budget, evaluating nothing.",
        usage: "gpnav downsize --macs <count> [<budget and other options>]",
        discussion: """
            Each step shrinks MACs by --step-factor, sharing the reduction among resolution, width, \
            MV2 depth and attention depth. Without --study the shares are the documented defaults; \
            with --study the study's Gaussian process chooses them, so that each factor gives up \
            MACs where it costs the least predicted accuracy, and each step shows the prediction.

            Examples:
              gpnav downsize --macs 300M
              gpnav downsize --macs 300M --from mobilevitv2-1.0 --study macs-300M
            """
    )

    @OptionGroup var budgetOptions: BudgetOptions

    @Option(help: ArgumentHelp(
        "Architecture family: \(FamilyNames.registered) (default: the --study's, else \(ArchitectureFamilies.standard.name)).",
        valueName: "name"))
    var family: String?

    @Option(help: ArgumentHelp("Starting model (default: the smallest preset above the budget).", valueName: "preset"))
    var from: String?

    @Option(help: "Study whose complete trials guide the chain through its GP (and whose space it uses).")
    var study: String?

    @Option(help: ArgumentHelp("Factor by which each step shrinks MACs, in (0, 1) (default \(StudySettings.defaultStepFactor)).", valueName: "f"),
            transform: ArgumentRange.stepFactor)
    var stepFactor: Double = StudySettings.defaultStepFactor

    @Option(help: "Output: table, json or csv.")
    var format: OutputFormat = .table

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard !budgetOptions.isEmpty else { throw ValidationError("give a budget, e.g. --macs 300M") }
    }

    func run() async throws {
        let budget = try budgetOptions.budget()
        let named = try family.map { try ArchitectureFamilies.named($0) }
        var space = SearchSpace(family: named ?? ArchitectureFamilies.standard)
        var model: AccuracyModel?
        if let study {
            let store = try await openStore(database, mode: .readOnly)
            guard let stored = try await store.study(named: study) else {
                throw StoreError.unknownStudy(study, known: try await store.studies().map(\.name))
            }
            if let named, named.name != stored.space.familyName {
                throw ValidationError("--family \(named.name) differs from study '\(study)''s family (\(stored.space.familyName))")
            }
            space = stored.space
            let complete = try await store.trials(TrialQuery(study: study, state: .complete))
            if StudyModel.observed(complete).count >= 2 {
                model = try StudyModel.fit(study: stored, trials: complete)
            }
        }
        let engine = DownsizingEngine(space: space, budget: budget, stepFactor: stepFactor)
        let start = try from.map { try Preset.named($0).architecture } ?? engine.defaultStart()
        let chain = try engine.chain(from: start, model: model)
        try StandardStreams.writeOutput(try render(chain, space: space, budget: budget, format: format))
    }

    private func render(_ chain: [DownsizingStep], space: SearchSpace, budget: Budget, format: OutputFormat) throws -> String {
        let family = space.family
        let header = ["step", "resolution", "width"] + family.depthGroups.map(\.name) + family.choices.map(\.name)
            + ["macs", "params", "predicted_accuracy", "predicted_std"] + space.factors.map { "share_" + $0.name }
        let rows: [[String]] = chain.map { step in
            let a = step.architecture
            let shares = step.exponents?.values.map { String(format: "%.3f", $0) } ?? space.factors.map { _ in "" }
            var row: [String] = ["\(step.step)", "\(a.resolution)", formatWidth(a.width)]
            row += a.depthLists.map { $0.map(String.init).joined(separator: ",") }
            row += a.choiceTexts
            row += ["\(step.cost.macs)", "\(step.cost.params)"]
            row.append(step.predictedAccuracy.map { String(format: "%.3f", $0) } ?? "")
            row.append(step.predictedStd.map { String(format: "%.3f", $0) } ?? "")
            return row + shares
        }
        switch format {
        case .csv:
            return CSV.format(header: header, rows: rows)
        case .json:
            let objects = chain.map { step in
                ArchitectureJSON(architecture: step.architecture, fields: ChainStepJSON(
                    step: step.step, macs: step.cost.macs, params: step.cost.params,
                    predictedAccuracy: step.predictedAccuracy, predictedStd: step.predictedStd,
                    shares: step.exponents, guidedByModel: step.guidedByModel))
            }
            return try JSONOutput.encode(objects) + "\n"
        case .table:
            let parts: [String] = family.depthGroups.map(\.shortName) + family.choices.map(\.name)
            let sharesTitle = "shares " + space.factors.map(\.shortName).joined(separator: "/")
            let tableHeader: [String] = ["step", "res", "width"] + parts + ["MACs", "params", "predicted", sharesTitle]
            let alignments: [TextTable.Alignment] = [.right, .right, .right] + parts.map { _ in .left }
                + [.right, .right, .right, .left]
            var table = TextTable(header: tableHeader, alignments: alignments)
            for step in chain {
                let a = step.architecture
                let predicted = step.predictedAccuracy.map { mean in
                    String(format: "%.2f%% +/- %.2f", mean, step.predictedStd ?? 0)
                } ?? "-"
                let shares = step.exponents.map { e in e.values.map { String(format: "%.2f", $0) }.joined(separator: "/") } ?? "-"
                var row: [String] = ["\(step.step)", "\(a.resolution)", formatWidth(a.width)]
                row += a.depthLists.map { $0.map(String.init).joined(separator: ",") }
                row += a.choiceTexts
                row += [Quantity.formatCount(step.cost.macs), Quantity.formatCount(step.cost.params), predicted, shares]
                table.append(row)
            }
            let guided = chain.contains { $0.guidedByModel } ? "GP-guided shares" : "default shares (no study data)"
            return "Downsizing chain to \(describe(budget)), \(guided):\n" + table.render()
        }
    }
}

private struct ChainStepJSON: Encodable {
    var step: Int
    var macs: Int
    var params: Int
    var predictedAccuracy: Double?
    var predictedStd: Double?
    var shares: FactorExponents?
    var guidedByModel: Bool
    enum CodingKeys: String, CodingKey {
        case step, macs, params, shares
        case predictedAccuracy = "predicted_accuracy", predictedStd = "predicted_std"
        case guidedByModel = "guided_by_model"
    }
}
