import Foundation
import MobileViT

/// The downsizing formula: derives ever smaller models of a family until every budget holds.
///
/// Step k goes from model a_k with M_k MACs to a target T_k = max(s * M_k, B), where s is the
/// step factor (0.8 by default) and B the MACs budget (without a MACs budget, T_k = s * M_k until
/// the other budgets hold). With shares alpha_j (``FactorExponents``, sum 1) and MACs
/// elasticities e_j = d ln M / d ln f_j measured on the grid at a_k, each factor f_j of the
/// family (for MobileViTv2: resolution, width, MV2-depth multiplier, attention-depth multiplier)
/// moves to
///
///     f_j' = f_j * (T_k / M_k) ^ (alpha_j / e_j)
///
/// so that, to first order, factor j removes the fraction alpha_j of ln(M_k / T_k). The result is
/// snapped to the grid (each factor to a neighbouring grid value at or below its current one); an
/// intermediate step takes the snapped point whose MACs are nearest T_k, the last step the one
/// with the most MACs that still meets every budget.
///
/// Without data the shares are the family's defaults (``FactorExponents/defaults(for:)``). With a fitted accuracy model, the
/// shares follow the accuracy each factor loses per MAC saved: with
/// lambda_j = (mu(a_k) - mu(a_k with f_j one grid step lower)) / (ln M_k - ln M_j'),
/// alpha_j is proportional to 1 / max(lambda_j, 0.01) (points per unit of ln MACs), floored at
/// 5% per factor, so factors that cost little accuracy per MAC saved give up the most.
///
/// This is gpnav's own formula in the spirit of the paper's iterative downsizing; the paper's
/// exact formula is not public.
public struct DownsizingEngine: Sendable {
    public var space: SearchSpace
    public var budget: Budget
    /// s: the factor by which each step shrinks MACs.
    public var stepFactor: Double
    /// Shares used when no accuracy model is given.
    public var defaultExponents: FactorExponents

    /// s when nothing else is said (a study's default, ``StudySettings/defaultStepFactor``, is this).
    public static let defaultStepFactor = 0.8

    /// An engine; `defaultExponents` nil means the family's defaults.
    public init(space: SearchSpace, budget: Budget, stepFactor: Double = DownsizingEngine.defaultStepFactor,
                defaultExponents: FactorExponents? = nil) {
        self.space = space
        self.budget = budget
        self.stepFactor = stepFactor
        self.defaultExponents = defaultExponents ?? .defaults(for: space)
    }

    /// The starting model: the smallest published preset of the space's family that exceeds a
    /// budget (the largest preset if all fit), moved to the nearest grid point. The family's
    /// base network at the space's first grid values when the family publishes none.
    public func defaultStart() throws -> Architecture {
        let presets = space.family.presets.map(\.architecture)
        guard let last = presets.last else { return try architecture(at: GridPoint(space.grids.map { _ in 0 })) }
        return presets.first { !admits($0) } ?? last
    }

    /// The chain from `start` (step 0) down to the first model that meets every budget.
    /// - Throws: ``SearchError/budgetBelowSpace(smallestMACs:smallestParams:)`` when no grid point
    ///   fits, ``SearchError/startOutsideFamily(start:startFamily:spaceFamily:)`` when `start` is
    ///   of another family than the space.
    public func chain(from start: Architecture, model: AccuracyModel? = nil) throws -> [DownsizingStep] {
        guard start.familyName == space.familyName else {
            throw SearchError.startOutsideFamily(start: start.description, startFamily: start.familyName,
                                                 spaceFamily: space.familyName)
        }
        let smallest = space.smallestCost()
        guard budget.admits(macs: smallest.macs, params: smallest.params) else {
            throw SearchError.budgetBelowSpace(smallestMACs: smallest.macs, smallestParams: smallest.params)
        }
        var point = space.nearestPoint(to: start)
        var current = try architecture(at: point)
        var steps = [makeStep(0, current, exponents: nil, guided: false, model: model)]
        while !admits(current) {
            let cost = CostModel.cost(of: current)
            let isLast = budget.macs.map { Double(cost.macs) * stepFactor <= Double($0) } ?? false
            let target = isLast ? Double(budget.macs ?? 0) : Double(cost.macs) * stepFactor
            let (shares, guided) = exponents(at: point, macs: cost.macs, model: model)
            point = try nextPoint(from: point, macs: cost.macs, target: target, shares: shares, lastStep: isLast)
            current = try architecture(at: point)
            steps.append(makeStep(steps.count, current, exponents: shares, guided: guided, model: model))
        }
        return steps
    }

    // MARK: - One step

    private func nextPoint(from point: GridPoint, macs: Int, target: Double, shares: FactorExponents,
                           lastStep: Bool) throws -> GridPoint {
        let logRatio = log(target / Double(macs))  // negative
        // Per axis: the two grid indices at or below the current one that bracket the target value.
        var options: [[Int]] = []
        var goals: [Double] = []
        var elasticities: [Double] = []
        let axes = space.factorIndices
        for axis in axes {
            let values = space.logValues(axis)
            let current = point[axis]
            let elasticity = self.elasticity(at: point, axis: axis, macs: macs)
            elasticities.append(max(elasticity, 0))
            goals.append(values[current])
            guard elasticity > 0, shares.values[axis] > 0 else {
                options.append([current])
                continue
            }
            let goal = values[current] + shares.values[axis] * logRatio / elasticity
            goals[axis] = goal
            let below = (0...current).last { values[$0] <= goal } ?? 0
            let above = min(current, below + 1)
            options.append(Array(Set([below, above, current])).sorted())
        }
        var best: (point: GridPoint, score: Double)?
        for indices in SearchSpace.product(options) {
            let candidate = GridPoint(indices)
            guard candidate != point, let arch = try? architecture(at: candidate) else { continue }
            let cost = CostModel.cost(of: arch)
            guard cost.macs < macs else { continue }
            let score: Double
            if lastStep {
                guard budget.admits(macs: cost.macs, params: cost.params) else { continue }
                score = -Double(cost.macs)
            } else {
                // Nearest the target MACs, and then nearest the split the shares ask for: each
                // factor's miss is weighed by its elasticity, in ln-MACs.
                let miss = axes.map { axis in
                    elasticities[axis] * abs(space.logValues(axis)[candidate[axis]] - goals[axis])
                }
                score = abs(log(Double(cost.macs)) - log(target)) + 0.5 * miss.reduce(0, +)
            }
            // Ties go to the point closest to the current one (fewest index moves).
            let tieBreak = 1e-9 * Double(axes.map { abs(candidate[$0] - point[$0]) }.reduce(0, +))
            if score + tieBreak < best?.score ?? .infinity {
                best = (candidate, score + tieBreak)
            }
        }
        if let best { return best.point }
        return try fallbackPoint(from: point, macs: macs, shares: shares)
    }

    /// When no bracketed point works (coarse grids), step down the factor with the largest share
    /// one grid index at a time until MACs drop and, at the last step, the budgets hold.
    private func fallbackPoint(from point: GridPoint, macs: Int, shares: FactorExponents) throws -> GridPoint {
        var candidate = point
        let order = space.factorIndices.sorted { shares.values[$0] > shares.values[$1] }
        while true {
            guard let axis = order.first(where: { candidate[$0] > 0 }) ?? space.factorIndices.first(where: { candidate[$0] > 0 }) else {
                let smallest = space.smallestCost()
                throw SearchError.budgetBelowSpace(smallestMACs: smallest.macs, smallestParams: smallest.params)
            }
            candidate[axis] -= 1
            let cost = CostModel.cost(of: try architecture(at: candidate))
            if cost.macs < macs { return candidate }
        }
    }

    /// e_j = d ln M / d ln f_j, from the grid neighbour one step down (or up at the bottom).
    func elasticity(at point: GridPoint, axis: Int, macs: Int) -> Double {
        let values = space.logValues(axis)
        let index = point[axis]
        guard index > 0, let lower = try? architecture(at: point.with(axis, index - 1)) else { return 0 }
        let lowerMACs = CostModel.cost(of: lower).macs
        return (log(Double(macs)) - log(Double(lowerMACs))) / (values[index] - values[index - 1])
    }

    /// The shares for a step from `point`: model-guided when a model is given.
    func exponents(at point: GridPoint, macs: Int, model: AccuracyModel?) -> (FactorExponents, Bool) {
        let axes = space.factorIndices
        let available = axes.map { point[$0] > 0 }
        let fallback = defaultExponents.normalized(available: available) ?? defaultExponents
        guard let model, let here = try? architecture(at: point) else { return (fallback, false) }
        var inverseLoss = [Double](repeating: 0, count: axes.count)
        var architectures = [here]
        var savings = [Double](repeating: 0, count: axes.count)
        for axis in axes where available[axis] {
            guard let lower = try? architecture(at: point.with(axis, point[axis] - 1)) else { continue }
            architectures.append(lower)
            savings[axis] = log(Double(macs)) - log(Double(CostModel.cost(of: lower).macs))
        }
        let prediction = model.predict(architectures)
        var next = 1
        for axis in axes where available[axis] && next < prediction.mean.count {
            let saved = savings[axis]
            let lost = prediction.mean[0] - prediction.mean[next]
            next += 1
            guard saved > 0 else { continue }
            inverseLoss[axis] = 1 / max(lost / saved, 0.01)
        }
        let total = inverseLoss.reduce(0, +)
        guard total > 0, total.isFinite else { return (fallback, false) }
        let floored = inverseLoss.enumerated().map { available[$0.offset] ? max($0.element / total, 0.05) : 0 }
        let shares = FactorExponents(factors: defaultExponents.factors, values: floored).normalized(available: available)
            ?? fallback
        return (shares, true)
    }

    // MARK: - Helpers

    func admits(_ architecture: Architecture) -> Bool {
        let cost = CostModel.cost(of: architecture)
        return budget.admits(macs: cost.macs, params: cost.params)
    }

    private func architecture(at point: GridPoint) throws -> Architecture {
        do {
            return try space.architecture(at: point)
        } catch {
            throw SearchSpaceError(message: "search space: \(error)")
        }
    }


    private func makeStep(_ index: Int, _ architecture: Architecture, exponents: FactorExponents?,
                          guided: Bool, model: AccuracyModel?) -> DownsizingStep {
        let prediction = model?.predict([architecture])
        return DownsizingStep(
            step: index, architecture: architecture, cost: CostModel.cost(of: architecture),
            exponents: exponents, guidedByModel: guided,
            predictedAccuracy: prediction?.mean.first, predictedStd: prediction?.standardDeviation.first
        )
    }
}

extension SearchSpace {
    /// The cost of the cheapest grid point (smallest factors everywhere).
    public func smallestCost() -> Cost {
        let point = GridPoint(grids.map { _ in 0 })
        guard let architecture = try? architecture(at: point) else { return Cost(macs: 0, params: 0) }
        return CostModel.cost(of: architecture)
    }
}
