import Foundation
import GPNav
import MobileViT

/// `gpnav analyze` output: JSON (snake_case, every key present) and the terminal table.
struct AnalyzeReport: Encodable {
    struct Input: Encodable {
        var name: String
        var lengthScale: Double
        var relevance: Double
        var rank: Int
        enum CodingKeys: String, CodingKey { case name, lengthScale = "length_scale", relevance, rank }
    }

    struct Shares: Encodable {
        struct Main: Encodable { var factor: String; var share: Double }
        struct Pair: Encodable { var factors: [String]; var share: Double }
        var main: [Main]
        var pairs: [Pair]
        var higherOrder: Double
        var gridMean: Double
        var gridVariance: Double
        enum CodingKeys: String, CodingKey {
            case main, pairs, higherOrder = "higher_order", gridMean = "grid_mean", gridVariance = "grid_variance"
        }
    }

    struct Hyperparameters: Encodable {
        var signalVariance: Double
        var noiseVariance: Double
        var targetScale: Double
        var logMarginalLikelihood: Double
        enum CodingKeys: String, CodingKey {
            case signalVariance = "signal_variance", noiseVariance = "noise_variance", targetScale = "target_scale"
            case logMarginalLikelihood = "log_marginal_likelihood"
        }
    }

    struct Comparison: Encodable {
        var with: CrossValidation
        var without: CrossValidation
        var jointFactorsImprove: Bool
        enum CodingKeys: String, CodingKey { case with, without, jointFactorsImprove = "joint_factors_improve" }
    }

    struct Step: Encodable {
        var architecture: Architecture
        var macs: Int
        var predictedAccuracy: Double
        var accuracyPerGMAC: Double
        enum CodingKeys: String, CodingKey {
            case architecture, macs, predictedAccuracy = "predicted_accuracy", accuracyPerGMAC = "accuracy_per_gmac"
        }
        init(_ step: DesignPrinciples.Step) {
            architecture = step.architecture
            macs = step.macs
            predictedAccuracy = step.predictedAccuracy
            accuracyPerGMAC = step.pointsPerGMAC
        }
    }

    struct Slope: Encodable {
        var factor: String
        var up: Step?
        var down: Step?
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(factor, forKey: .factor)
            try container.encode(up, forKey: .up)
            try container.encode(down, forKey: .down)
        }
        enum CodingKeys: String, CodingKey { case factor, up, down }
    }

    struct Principles: Encodable {
        var bestTrial: Int
        var bestAccuracy: Double?
        var centre: Architecture
        var centreMACs: Int
        var centrePredictedAccuracy: Double
        var budgetMACs: Int?
        var slopes: [Slope]
        var shrinkFirst: String?
        var shrinkLast: String?
        enum CodingKeys: String, CodingKey {
            case bestTrial = "best_trial", bestAccuracy = "best_accuracy", centre, centreMACs = "centre_macs"
            case centrePredictedAccuracy = "centre_predicted_accuracy", budgetMACs = "budget_macs", slopes
            case shrinkFirst = "shrink_first", shrinkLast = "shrink_last"
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(bestTrial, forKey: .bestTrial)
            try container.encode(bestAccuracy, forKey: .bestAccuracy)
            try container.encode(centre, forKey: .centre)
            try container.encode(centreMACs, forKey: .centreMACs)
            try container.encode(centrePredictedAccuracy, forKey: .centrePredictedAccuracy)
            try container.encode(budgetMACs, forKey: .budgetMACs)
            try container.encode(slopes, forKey: .slopes)
            try container.encode(shrinkFirst, forKey: .shrinkFirst)
            try container.encode(shrinkLast, forKey: .shrinkLast)
        }
    }

    var study: String
    var observations: Int
    var completeTrials: Int
    var jointFactors: Bool
    var hyperparameters: Hyperparameters
    var inputs: [Input]
    var varianceShares: Shares
    var crossValidation: CrossValidation
    var jointFactorComparison: Comparison
    var designPrinciples: Principles?
    var statements: [String]

    enum CodingKeys: String, CodingKey {
        case study, observations, completeTrials = "complete_trials", jointFactors = "joint_factors", hyperparameters, inputs
        case varianceShares = "variance_shares", crossValidation = "cross_validation"
        case jointFactorComparison = "joint_factor_comparison", designPrinciples = "design_principles", statements
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(study, forKey: .study)
        try container.encode(observations, forKey: .observations)
        try container.encode(completeTrials, forKey: .completeTrials)
        try container.encode(jointFactors, forKey: .jointFactors)
        try container.encode(hyperparameters, forKey: .hyperparameters)
        try container.encode(inputs, forKey: .inputs)
        try container.encode(varianceShares, forKey: .varianceShares)
        try container.encode(crossValidation, forKey: .crossValidation)
        try container.encode(jointFactorComparison, forKey: .jointFactorComparison)
        try container.encode(designPrinciples, forKey: .designPrinciples)
        try container.encode(statements, forKey: .statements)
    }

    init(_ analysis: FactorAnalysis) {
        study = analysis.study
        observations = analysis.observationCount
        completeTrials = analysis.completeTrialCount
        jointFactors = analysis.includesJointFactors
        let h = analysis.hyperparameters
        hyperparameters = Hyperparameters(signalVariance: h.signalVariance, noiseVariance: h.noiseVariance,
                                          targetScale: h.targetScale, logMarginalLikelihood: h.logMarginalLikelihood)
        inputs = analysis.inputs.map { Input(name: $0.name, lengthScale: $0.lengthScale, relevance: $0.relevance, rank: $0.rank) }
        varianceShares = Shares(
            main: analysis.mainShares.map { Shares.Main(factor: $0.factors[0], share: $0.share) },
            pairs: analysis.pairShares.map { Shares.Pair(factors: $0.factors, share: $0.share) },
            higherOrder: analysis.remainderShare, gridMean: analysis.gridMean, gridVariance: analysis.gridVariance)
        crossValidation = analysis.crossValidation
        jointFactorComparison = Comparison(with: analysis.jointFactors.withJointFactors,
                                           without: analysis.jointFactors.withoutJointFactors,
                                           jointFactorsImprove: analysis.jointFactors.jointFactorsImprove)
        designPrinciples = analysis.principles.map { p in
            Principles(bestTrial: p.best.number, bestAccuracy: p.best.accuracy, centre: p.centre, centreMACs: p.centreMACs,
                       centrePredictedAccuracy: p.centrePredictedAccuracy, budgetMACs: p.budgetMACs,
                       slopes: p.slopes.map { Slope(factor: $0.factor, up: $0.up.map(Step.init), down: $0.down.map(Step.init)) },
                       shrinkFirst: p.shrinkFirst, shrinkLast: p.shrinkLast)
        }
        statements = analysis.statements
    }

    /// The analysis for a terminal: four small tables and the principles in words.
    static func table(_ analysis: FactorAnalysis) -> String {
        let h = analysis.hyperparameters
        let sampled = analysis.completeTrialCount > analysis.observationCount
            ? " (the best and the most recent, of \(analysis.completeTrialCount); the fit's limit is \(StudyModelSample.limit))" : ""
        var text = "Study \(analysis.study): GP fitted to \(analysis.observationCount) complete trials\(sampled)"
            + " (\(analysis.includesJointFactors ? "with" : "without") joint factors)\n"
        text += String(format: "signal variance %.4g points^2, noise variance %.4g points^2 (noise std %.3g points), log marginal likelihood %.4g\n\n",
                       h.signalVariance, h.noiseVariance, h.noiseVariance.squareRoot(), h.logMarginalLikelihood)

        var inputs = TextTable(header: ["input", "length scale", "relevance 1/l", "rank", "variance share"],
                               alignments: [.left, .right, .right, .right, .right])
        for input in analysis.inputs {
            let share = analysis.mainShares.first { $0.factors == [input.name] }.map { percent($0.share) } ?? "-"
            inputs.append([input.name, String(format: "%.3g", input.lengthScale), String(format: "%.3g", input.relevance),
                           String(input.rank), share])
        }
        text += inputs.render() + "\n"

        var pairs = TextTable(header: ["pair", "variance share"], alignments: [.left, .right])
        for pair in analysis.pairShares.sorted(by: { $0.share > $1.share }) {
            pairs.append([pair.factors.joined(separator: " x "), percent(pair.share)])
        }
        pairs.append([analysis.higherInteractionOrders, percent(analysis.remainderShare)])
        text += pairs.render() + "\n"

        var models = TextTable(header: ["model", "LOO RMSE (points)", "LOO log predictive density"],
                               alignments: [.left, .right, .right])
        for (name, scores) in [("with joint factors", analysis.jointFactors.withJointFactors),
                               ("without joint factors", analysis.jointFactors.withoutJointFactors)] {
            models.append([name, String(format: "%.3f", scores.rmse), String(format: "%.2f", scores.logPredictiveDensity)])
        }
        text += models.render() + "\n"

        if let principles = analysis.principles {
            // Both columns are accuracy changes: per GMAC added going up, per GMAC saved going down
            // (the slope's negative), so a loss reads as a minus sign in both.
            var slopes = TextTable(header: ["factor", "step up: points per GMAC added", "step down: points per GMAC saved"],
                                   alignments: [.left, .right, .right])
            for slope in principles.slopes {
                slopes.append([slope.factor, slope.up.map { String(format: "%+.3f", $0.pointsPerGMAC) } ?? "-",
                               slope.down.map { String(format: "%+.3f", -$0.pointsPerGMAC) } ?? "-"])
            }
            text += slopes.render() + "\n"
        }
        text += analysis.statements.map { "- " + $0 }.joined(separator: "\n") + "\n"
        return text
    }

    static func percent(_ share: Double) -> String { String(format: "%.2f %%", share * 100) }
}
