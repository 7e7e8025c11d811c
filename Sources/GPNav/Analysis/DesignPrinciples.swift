import Foundation
import MobileViT

/// How accuracy trades against MACs along each global factor, around the recommended trial.
///
/// The centre c is the grid point of the recommended trial (the complete trial within the
/// study's budgets with the highest posterior mean mu, as `gpnav search` recommends; the nearest
/// grid point on a log scale when the trial lies off the grid). Along factor k, with c+ and c-
/// one grid step up and down and M(.) the exact MACs from ``MobileViT/CostModel``:
///
///     gain_k = (mu(c+) - mu(c)) / (M(c+) - M(c)) * 1e9     points per extra GMAC (step up)
///     loss_k = (mu(c) - mu(c-)) / (M(c) - M(c-)) * 1e9     points lost per GMAC saved (step down)
///
/// Downsizing should shrink first the factor with the smallest loss_k (least accuracy lost per
/// MAC saved) and last the one with the largest. A step that does not exist (the grid's edge) or
/// does not change the MACs is left out.
public struct DesignPrinciples: Sendable {
    /// One neighbour of the centre along one factor.
    public struct Step: Sendable, Equatable {
        public var architecture: Architecture
        public var macs: Int
        /// Posterior mean at the neighbour, in percent.
        public var predictedAccuracy: Double
        /// Accuracy change per GMAC change, in points per GMAC (see the type's formulas).
        public var pointsPerGMAC: Double
    }

    /// The finite differences along one factor.
    public struct FactorSlope: Sendable, Equatable {
        /// The factor's name (``MobileViT/ArchitectureFactor/name``).
        public var factor: String
        public var up: Step?
        public var down: Step?
    }

    /// The recommended trial.
    public var best: Trial
    /// The grid point the slopes are taken around, and its MACs and posterior mean.
    public var centre: Architecture
    public var centreMACs: Int
    public var centrePredictedAccuracy: Double
    /// The study's MACs budget, if any.
    public var budgetMACs: Int?
    /// One entry per global factor, in factor order.
    public var slopes: [FactorSlope]
    /// The factor with the least accuracy lost per GMAC saved, and the one with the most.
    public var shrinkFirst: String?
    public var shrinkLast: String?

    /// Nil when no complete trial meets the study's budgets.
    init?(model: AccuracyModel, study: Study, complete: [Trial]) throws(FactorAnalysisError) {
        let admitted = complete.filter { study.budget.admits(macs: $0.macs, params: $0.params) }
        guard !admitted.isEmpty else { return nil }
        guard let recommended = model.highestPosteriorMean(among: admitted, within: study.budget) else {
            throw .nonFinite("the predictions at the trials")
        }
        let space = study.space
        let point = space.nearestPoint(to: recommended.trial.architecture)
        guard let centre = try? space.architecture(at: point) else { throw .invalidSpace("grid point \(point) is not valid") }

        var neighbours: [Architecture] = [centre]
        var slots: [(axis: Int, up: Bool)] = []
        for axis in space.factorIndices {
            for (up, offset) in [(true, 1), (false, -1)] {
                let moved = point[axis] + offset
                guard (0..<space.axisCount(axis)).contains(moved),
                      let architecture = try? space.architecture(at: point.with(axis, moved)) else { continue }
                neighbours.append(architecture)
                slots.append((axis, up))
            }
        }
        let predicted = model.predict(neighbours).mean
        guard predicted.count == neighbours.count, predicted.allSatisfy(\.isFinite) else {
            throw .nonFinite("the predictions around the recommended trial")
        }
        let centreMACs = CostModel.cost(of: centre).macs
        var slopes = FactorEncoding.globalFactorNames(of: space).map { FactorSlope(factor: $0, up: nil, down: nil) }
        for (offset, slot) in slots.enumerated() {
            let architecture = neighbours[offset + 1]
            let macs = CostModel.cost(of: architecture).macs
            guard macs != centreMACs else { continue }
            let slope = (predicted[offset + 1] - predicted[0]) / (Double(macs - centreMACs) / 1e9)
            let step = Step(architecture: architecture, macs: macs, predictedAccuracy: predicted[offset + 1], pointsPerGMAC: slope)
            if slot.up { slopes[slot.axis].up = step } else { slopes[slot.axis].down = step }
        }
        let shrinkable = slopes.filter { $0.down != nil }
        best = recommended.trial
        self.centre = centre
        self.centreMACs = centreMACs
        centrePredictedAccuracy = predicted[0]
        budgetMACs = study.budget.macs
        self.slopes = slopes
        shrinkFirst = shrinkable.min { ($0.down?.pointsPerGMAC ?? 0) < ($1.down?.pointsPerGMAC ?? 0) }?.factor
        shrinkLast = shrinkable.max { ($0.down?.pointsPerGMAC ?? 0) < ($1.down?.pointsPerGMAC ?? 0) }?.factor
    }
}
