import Foundation
import GPNav
import MobileViT

/// The end of a search, as a table for people or JSON for programs.
struct SearchReportView {
    let report: SearchReport
    let evaluator: any Evaluator
    /// How the printed follow-up commands name the store.
    let store: StoreHint

    private var dbFlag: String { store.flag }

    /// The note the follow-up commands need, as a line, or nothing.
    private var storeNote: String { store.note.map { $0 + "\n" } ?? "" }

    func render(format: ReportFormat) throws -> String {
        let text = try renderUnescaped(format: format)
        return format == .json ? text : TerminalText.escapedLines(text)
    }

    private func renderUnescaped(format: ReportFormat) throws -> String {
        format == .json ? try JSONOutput.encode(json) + "\n" : table
    }

    private var completeCount: Int { report.trials.filter { $0.state == .complete }.count }
    private var failedCount: Int { report.trials.filter { $0.state == .failed }.count }

    private func budgetShare(_ trial: Trial) -> Double? {
        report.study.budget.macs.map { Double(trial.macs) / Double($0) }
    }

    private var table: String {
        let study = report.study
        var text = ""
        if evaluator.isSimulated {
            text += "NOTE: accuracies come from the training SIMULATOR, not from real training.\n"
        }
        if let reason = report.endedEarly {
            text += "NOTE: the search ended early: \(reason).\n"
        }
        guard let best = report.best else {
            text += "No complete trial within the budget in study '\(study.name)' (\(completeCount) complete, \(failedCount) failed).\n"
            return text + "History: gpnav trials --study \(study.name)\(dbFlag)\n" + storeNote
        }
        text += "Best \(study.space.family.displayName) within \(describe(study.budget)) (study '\(study.name)', \(completeCount) complete, \(failedCount) failed trials):\n"
        var rows: [(String, String)] = [
            ("trial", "\(best.number)"),
            ("resolution", "\(best.architecture.resolution) x \(best.architecture.resolution)"),
            ("width", formatWidth(best.architecture.width)),
        ]
        let family = best.architecture.family
        for (group, depths) in zip(family.depthGroups, best.architecture.depthLists) {
            rows.append(("\(group.shortName) depths", depths.map(String.init).joined(separator: ",")))
        }
        for (choice, value) in zip(family.choices, best.architecture.choiceValues) {
            rows.append((choice.words, choice.text(of: value)))
        }
        var macsText = "\(best.macs) (\(Quantity.formatCount(best.macs))"
        if let share = budgetShare(best) { macsText += String(format: ", %.1f%% of the budget", share * 100) }
        rows.append(("MACs", macsText + ")"))
        rows.append(("params", "\(best.params) (\(Quantity.formatCount(best.params)))"))
        var accuracy = String(format: "%.2f%% top-1 observed", best.accuracy ?? 0)
        // An 8-bit study ranks by the int8 accuracy, and the GP's estimate is of it.
        if report.study.settings.ranksByInt8Accuracy {
            accuracy = String(format: "%.2f%% top-1 int8 observed (float %.2f%%)",
                              best.metrics[StudySettings.int8AccuracyMetric] ?? 0, best.accuracy ?? 0)
        }
        if let mean = report.bestPredictedAccuracy, let std = report.bestPredictedStd {
            accuracy += String(format: "; GP estimate %.2f%% +/- %.2f", mean, std)
            if let training = report.bestTrainingStd { accuracy += String(format: ", one training +/- %.2f", training) }
        }
        rows.append(("accuracy", accuracy))
        if let noise = report.trainingNoiseVariance { rows.append(("noise", noiseText(noise))) }
        if let retraining = report.retraining { rows.append(("retrained", retrainingText(retraining))) }
        rows.append(("found by", foundBy(best.proposal)))
        if let spent = epochsSpentText { rows.append(("epochs spent", spent)) }
        if let latency = report.latency {
            rows.append(("latency", "\(latency.measurements) measured, \(latency.refusedAfterMeasuring) refused after measuring, "
                         + "\(latency.failedMeasurements) failed; the model refused \(latency.refusedByModel) of "
                         + "\(latency.screenedByModel) unmeasured architectures"))
        }
        let labelWidth = rows.map(\.0.count).max() ?? 0
        for (label, value) in rows {
            text += "  " + label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + "  " + value + "\n"
        }
        text += "History: gpnav trials --study \(study.name) --sort accuracy --desc\(dbFlag)\n"
        text += "Pareto:  gpnav pareto --study \(study.name) --out pareto.csv\(dbFlag)\n"
        return text + storeNote
    }

    /// The study's training cost in epochs, when any trial's epochs are known.
    private var epochsSpentText: String? {
        guard let account = report.epochAccount, account.isKnown else { return nil }
        var text = "\(account.total) in all"
        if account.unknownTrials > 0 { text += " (\(account.unknownTrials) trial(s) of unknown length left out)" }
        if let found = account.totalAtRecommended { text += "; \(found) when this architecture was first complete" }
        return text
    }

    /// The model's noise of one training and what it rests on.
    private func noiseText(_ variance: Double) -> String {
        let noise = report.trainingNoise
        var text = String(format: "one training scatters %.2f points (std)", variance.squareRoot())
        if let pooled = noise.pooledVariance {
            let freedom = noise.degreesOfFreedom
            text += String(format: "; repeated trainings show %.2f", pooled.squareRoot())
                + " (\(freedom) degree\(freedom == 1 ? "" : "s") of freedom)"
        } else {
            text += String(format: "; no architecture was trained twice, so only the floor of %.2f bounds it: "
                           + "--repeat-best N measures it", TrainingNoise.priorStandardDeviation)
        }
        return text
    }

    private func retrainingText(_ retraining: RetrainingSummary) -> String {
        let count = retraining.accuracies.count
        guard let mean = retraining.mean else { return "no complete training (\(retraining.failed) failed)" }
        var text = "\(count) training\(count == 1 ? "" : "s") (trials \(retraining.trials.map { String($0.number) }.joined(separator: ", ")))"
        text += String(format: ": mean %.2f%%", mean)
        if let std = retraining.standardDeviation, let range = retraining.range {
            text += String(format: ", std %.2f, %.2f..%.2f", std, range.lowerBound, range.upperBound)
        }
        if retraining.failed > 0 { text += "; \(retraining.failed) retraining(s) failed" }
        if retraining.seedLooksIgnored { text += "; every training gave the same accuracy: does the command use {seed}?" }
        return text
    }

    private func foundBy(_ proposal: Proposal) -> String {
        switch proposal.kind {
        case .start: "the downsizing chain's starting model"
        case .downsize: "downsizing formula, step \(proposal.step ?? 0)"
        case .gp: String(format: "GP expected improvement (log EI %.2f)", proposal.acquisition ?? .nan)
        case .random: "random exploration"
        case .manual: "manual evaluation"
        case .imported: "import"
        }
    }

    private struct JSONReport: Encodable {
        struct Best: Encodable {
            var trial: Int
            var macs: Int
            var params: Int
            var accuracy: Double?
            var accuracyInt8: Double?
            var predictedAccuracy: Double?
            var predictedStd: Double?
            var predictedTrainingStd: Double?
            var noiseStd: Double?
            var noiseMeasured: Bool
            var retraining: Retraining?
            var budgetShare: Double?
            var proposal: String
            var step: Int?
            enum CodingKeys: String, CodingKey {
                case trial, macs, params, accuracy, proposal, step, accuracyInt8 = "accuracy_int8"
                case predictedAccuracy = "predicted_accuracy", predictedStd = "predicted_std"
                case predictedTrainingStd = "predicted_training_std", noiseStd = "noise_std"
                case noiseMeasured = "noise_measured", retraining
                case budgetShare = "budget_share"
            }
        }
        struct Retraining: Encodable {
            var trials: [Int]
            var accuracies: [Double]
            var mean: Double?
            var std: Double?
            var failed: Int
        }
        var study: String
        var evaluator: String
        var simulated: Bool
        var budget: Budget
        var completeTrials: Int
        var failedTrials: Int
        var targetTrials: Int
        var endedEarly: Bool
        var endedEarlyReason: String?
        var best: ArchitectureJSON<Best>?
        /// What the best trial and the GP's estimate are of: `accuracy`, or `accuracy_int8` at 8 bits.
        var rankedBy: String
        var epochsSpent: Int?
        var epochsAtBest: Int?
        var latency: LatencySearchCounts?
        enum CodingKeys: String, CodingKey {
            case study, evaluator, simulated, budget, completeTrials = "complete_trials", latency
            case failedTrials = "failed_trials", targetTrials = "target_trials", endedEarly = "ended_early"
            case endedEarlyReason = "ended_early_reason", best, rankedBy = "ranked_by"
            case epochsSpent = "epochs_spent", epochsAtBest = "epochs_at_best"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(study, forKey: .study)
            try container.encode(evaluator, forKey: .evaluator)
            try container.encode(simulated, forKey: .simulated)
            try container.encode(budget, forKey: .budget)
            try container.encode(completeTrials, forKey: .completeTrials)
            try container.encode(failedTrials, forKey: .failedTrials)
            try container.encode(targetTrials, forKey: .targetTrials)
            try container.encode(endedEarly, forKey: .endedEarly)
            try container.encodeIfPresent(endedEarlyReason, forKey: .endedEarlyReason)
            try container.encodeIfPresent(best, forKey: .best)
            try container.encode(rankedBy, forKey: .rankedBy)
            // Written as null when unknown, so that a reader finds the keys in every report.
            try container.encode(epochsSpent, forKey: .epochsSpent)
            try container.encode(epochsAtBest, forKey: .epochsAtBest)
            try container.encodeIfPresent(latency, forKey: .latency)
        }
    }

    private var json: JSONReport {
        JSONReport(
            study: report.study.name, evaluator: evaluator.summary, simulated: evaluator.isSimulated,
            budget: report.study.budget, completeTrials: completeCount, failedTrials: failedCount,
            targetTrials: report.study.targetTrials, endedEarly: report.endedEarly != nil,
            endedEarlyReason: report.endedEarly,
            best: report.best.map { best in
                ArchitectureJSON(architecture: best.architecture, fields: JSONReport.Best(
                    trial: best.number, macs: best.macs, params: best.params, accuracy: best.accuracy,
                    accuracyInt8: best.metrics[StudySettings.int8AccuracyMetric],
                    predictedAccuracy: report.bestPredictedAccuracy, predictedStd: report.bestPredictedStd,
                    predictedTrainingStd: report.bestTrainingStd, noiseStd: report.trainingNoiseVariance.map { $0.squareRoot() },
                    noiseMeasured: report.trainingNoise.isMeasured,
                    retraining: report.retraining.map { retraining in
                        JSONReport.Retraining(trials: retraining.trials.map(\.number), accuracies: retraining.accuracies,
                                              mean: retraining.mean, std: retraining.standardDeviation, failed: retraining.failed)
                    },
                    budgetShare: budgetShare(best), proposal: best.proposal.kind.rawValue, step: best.proposal.step))
            },
            rankedBy: report.study.settings.ranksByInt8Accuracy ? StudySettings.int8AccuracyMetric : "accuracy",
            epochsSpent: epochsSpentText == nil ? nil : report.epochAccount?.total,
            epochsAtBest: report.epochAccount?.totalAtRecommended,
            latency: report.latency
        )
    }
}
