import Foundation
import GPNav

/// The factor relevance of a study as the dashboard shows it, taken from ``FactorAnalysis``
/// (the numbers `gpnav analyze` prints): each factor's share of the variance of the predicted
/// accuracy over the grid with its length scale and rank, the pairs that interact, what is left
/// to higher orders, and the analysis' own sentences.
struct DashboardRelevance: Encodable {
    struct Factor: Encodable {
        var name: String
        var share: Double
        var lengthScale: Double?
        var rank: Int?
        var atUpperBound: Bool

        private enum CodingKeys: String, CodingKey {
            case name, share, lengthScale = "length_scale", rank, atUpperBound = "at_upper_bound"
        }
    }

    struct Pair: Encodable {
        var factors: [String]
        var share: Double
    }

    var study: String
    /// Complete trials the model was fitted to, and those the study has.
    var observations: Int
    var completeTrials: Int
    /// Main effects, largest share first.
    var factors: [Factor]
    /// Pairs, largest share first.
    var pairs: [Pair]
    var higherOrder: Double
    var statements: [String]

    private enum CodingKeys: String, CodingKey {
        case study, observations, completeTrials = "complete_trials", factors, pairs, higherOrder = "higher_order", statements
    }

    init(_ analysis: FactorAnalysis) {
        study = analysis.study
        observations = analysis.observationCount
        completeTrials = analysis.completeTrialCount
        factors = analysis.mainShares.map { share in
            let name = share.factors.first ?? ""
            let input = analysis.inputs.first { $0.name == name }
            return Factor(name: name, share: share.share, lengthScale: input?.lengthScale, rank: input?.rank,
                          atUpperBound: input?.isAtUpperBound ?? false)
        }.sorted { $0.share > $1.share }
        pairs = analysis.pairShares.map { Pair(factors: $0.factors, share: $0.share) }.sorted { $0.share > $1.share }
        higherOrder = max(analysis.remainderShare, 0)
        statements = analysis.statements
    }

    /// The JSON text, keys sorted. The analysis checks its numbers are finite, so encoding cannot fail.
    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
