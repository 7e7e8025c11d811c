import ArgumentParser
import Foundation
import GPNav
import MobileViT

/// `gpnav downsize`: print the downsizing chain without evaluating anything.
struct DownsizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "downsize",
        abstract: "Print the downsizing chain from a MobileViTv2 down to a budget, evaluating nothing.",
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

    @Option(help: ArgumentHelp("Starting model (default: the smallest preset above the budget).", valueName: "preset"))
    var from: String?

    @Option(help: "Study whose complete trials guide the chain through its GP (and whose space it uses).")
    var study: String?

    @Option(help: ArgumentHelp("Factor by which each step shrinks MACs, in (0, 1) (default 0.8).", valueName: "f"), transform: ArgumentRange.number(0...1, open: true))
    var stepFactor: Double = 0.8

    @Option(help: "Output: table, json or csv.")
    var format: OutputFormat = .table

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard !budgetOptions.isEmpty else { throw ValidationError("give a budget, e.g. --macs 300M") }
    }

    func run() async throws {
        let budget = try budgetOptions.budget()
        var space = SearchSpace.default
        var model: AccuracyModel?
        if let study {
            let store = try await openStore(database, mode: .readOnly)
            guard let stored = try await store.study(named: study) else {
                throw StoreError.unknownStudy(study, known: try await store.studies().map(\.name))
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
        try StandardStreams.writeOutput(try render(chain, budget: budget, format: format))
    }

    private func render(_ chain: [DownsizingStep], budget: Budget, format: OutputFormat) throws -> String {
        let header = ["step", "resolution", "width", "mv2_depths", "vit_depths", "macs", "params",
                      "predicted_accuracy", "predicted_std", "share_resolution", "share_width",
                      "share_mv2_depth", "share_vit_depth"]
        let rows: [[String]] = chain.map { step in
            let a = step.architecture
            let shares = step.exponents?.values.map { String(format: "%.3f", $0) } ?? ["", "", "", ""]
            return ["\(step.step)", "\(a.resolution)", formatWidth(a.width),
                    a.mv2Depths.map(String.init).joined(separator: ","), a.vitDepths.map(String.init).joined(separator: ","),
                    "\(step.cost.macs)", "\(step.cost.params)",
                    step.predictedAccuracy.map { String(format: "%.3f", $0) } ?? "",
                    step.predictedStd.map { String(format: "%.3f", $0) } ?? ""] + shares
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
            var table = TextTable(
                header: ["step", "res", "width", "mv2", "vit", "MACs", "params", "predicted", "shares r/w/mv2/vit"],
                alignments: [.right, .right, .right, .left, .left, .right, .right, .right, .left])
            for step in chain {
                let a = step.architecture
                let predicted = step.predictedAccuracy.map { mean in
                    String(format: "%.2f%% +/- %.2f", mean, step.predictedStd ?? 0)
                } ?? "-"
                let shares = step.exponents.map { e in e.values.map { String(format: "%.2f", $0) }.joined(separator: "/") } ?? "-"
                table.append(["\(step.step)", "\(a.resolution)", formatWidth(a.width),
                              a.mv2Depths.map(String.init).joined(separator: ","),
                              a.vitDepths.map(String.init).joined(separator: ","),
                              Quantity.formatCount(step.cost.macs), Quantity.formatCount(step.cost.params),
                              predicted, shares])
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
