import Foundation
import MobileViT

extension FactorAnalysis {
    /// The analysis as design principles in plain sentences, each carrying its numbers.
    public var statements: [String] {
        var lines: [String] = []
        let ranked = mainShares.sorted { $0.share > $1.share }
        if let top = ranked.first, let bottom = ranked.last {
            let length = { (name: String) in inputs.first { $0.name == name }.map { Self.number($0.lengthScale) } ?? "?" }
            lines.append("\(factorName(top.factors[0]).capitalizedFirst) matters most: it alone explains "
                + "\(Self.percent(top.share)) of the variance of the predicted accuracy over the space "
                + "(length scale \(length(top.factors[0]))); \(factorName(bottom.factors[0])) matters least "
                + "(\(Self.percent(bottom.share)), length scale \(length(bottom.factors[0]))).")
            let atBound = inputs.filter(\.isAtUpperBound).map(\.name)
            if !atBound.isEmpty {
                // A long length scale reads as "irrelevant", yet with a large signal variance it is a
                // smooth, near-linear trend of any size: say so rather than contradict the share.
                lines.append("A length scale at the fit's upper bound (\(Self.number(AccuracyModel.bounds.lengthScale.upperBound)), "
                    + "\(atBound.joined(separator: ", ")) here) means the predicted accuracy changes smoothly, nearly linearly, "
                    + "along that input over the whole space, not that it changes little: the variance share gives the size "
                    + "of a factor's effect, the length scale only its curvature.")
            }
        }
        if let pair = pairShares.max(by: { $0.share < $1.share }) {
            lines.append("The strongest interaction is \(factorName(pair.factors[0])) x \(factorName(pair.factors[1])) "
                + "(\(Self.percent(pair.share)) of the variance); all pairs together \(Self.percent(pairShares.reduce(0) { $0 + $1.share })), "
                + "\(higherInteractionOrders) interactions \(Self.percent(max(remainderShare, 0))).")
        }
        let with = jointFactors.withJointFactors
        let without = jointFactors.withoutJointFactors
        lines.append("The joint factors resolution x depth and resolution x width "
            + (jointFactors.jointFactorsImprove ? "improve" : "do not improve")
            + " the model: leave-one-out log predictive density \(Self.number(with.logPredictiveDensity)) with them, "
            + "\(Self.number(without.logPredictiveDensity)) without; RMSE \(Self.number(with.rmse)) vs \(Self.number(without.rmse)) points.")
        guard let principles else {
            lines.append("No complete trial meets the study's budget, so there are no design principles at the budget.")
            return lines
        }
        let best = principles.best
        lines.append("Around trial \(best.number) (\(principles.centre), \(Quantity.formatCount(principles.centreMACs)) MACs, "
            + "predicted \(String(format: "%.2f", principles.centrePredictedAccuracy)) %), one grid step up gains per extra GMAC: "
            + principles.slopes.compactMap { slope in
                slope.up.map { "\(factorName(slope.factor)) \(Self.signed($0.pointsPerGMAC))" }
            }.joined(separator: ", ") + " points.")
        let losses = principles.slopes.compactMap { slope in slope.down.map { (slope.factor, $0) } }
        if let first = principles.shrinkFirst, let last = principles.shrinkLast,
           let firstStep = losses.first(where: { $0.0 == first })?.1, let lastStep = losses.first(where: { $0.0 == last })?.1 {
            lines.append("When downsizing, shrink \(factorName(first)) first: one step down "
                + "\(Self.perGMACSaved(firstStep.pointsPerGMAC)) "
                + "(\(Self.signed(firstStep.predictedAccuracy - principles.centrePredictedAccuracy)) points for "
                + "\(Quantity.formatCount(principles.centreMACs - firstStep.macs)) MACs fewer); shrink \(factorName(last)) last: "
                + "one step down \(Self.perGMACSaved(lastStep.pointsPerGMAC)).")
        }
        let atBottom = principles.slopes.filter { $0.down == nil }.map { factorName($0.factor) }
        if !atBottom.isEmpty {
            lines.append("\(atBottom.joined(separator: " and ").capitalizedFirst) \(atBottom.count == 1 ? "is" : "are") already at the "
                + "bottom of the grid there and cannot shrink further.")
        }
        return lines
    }

    /// The factor's name in words (``MobileViT/ArchitectureFactor/words``).
    func factorName(_ name: String) -> String {
        factors.first { $0.name == name }?.words ?? name
    }

    /// The orders of interaction the pair shares leave out, in words: `three- and four-way` for
    /// four factors.
    public var higherInteractionOrders: String {
        let orders = factors.count >= 3 ? Array(3...factors.count) : [3]
        let words = ["three", "four", "five", "six", "seven", "eight"]
        let names = orders.map { $0 - 3 < words.count ? words[$0 - 3] : String($0) }
        guard names.count > 1 else { return "\(names[0])-way" }
        return names.dropLast().map { "\($0)-" }.joined(separator: ", ") + " and \(names[names.count - 1])-way"
    }

    /// A step down's slope (points per GMAC, positive when accuracy falls with the MACs) as what
    /// saving a GMAC does: "loses 40.2 points per GMAC saved", or "gains ..." when the model
    /// predicts the smaller network more accurate.
    static func perGMACSaved(_ pointsPerGMAC: Double) -> String {
        "\(pointsPerGMAC < 0 ? "gains" : "loses") \(number(abs(pointsPerGMAC))) points per GMAC saved"
    }

    static func percent(_ share: Double) -> String { String(format: "%.1f %%", share * 100) }
    static func number(_ value: Double) -> String { String(format: "%.3g", value) }
    static func signed(_ value: Double) -> String { String(format: "%+.3g", value) }
}

extension String {
    fileprivate var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
