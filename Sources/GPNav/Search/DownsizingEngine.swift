import Foundation
import MobileViT

/// The downsizing formula: derives ever smaller MobileViTv2 models until every budget holds.
///
/// Step k goes from model a_k with M_k MACs to a target T_k = max(s * M_k, B), where s is the
/// step factor (0.8 by default) and B the MACs budget (without a MACs budget, T_k = s * M_k until
/// the other budgets hold). With shares alpha_j (``FactorExponents``, sum 1) and MACs
/// elasticities e_j = d ln M / d ln f_j measured on the grid at a_k, each factor f_j (resolution,
/// width, MV2-depth multiplier, attention-depth multiplier) moves to
///
///     f_j' = f_j * (T_k / M_k) ^ (alpha_j / e_j)
///
/// so that, to first order, factor j removes the fraction alpha_j of ln(M_k / T_k). The result is
/// snapped to the grid (each factor to a neighbouring grid value at or below its current one); an
/// intermediate step takes the snapped point whose MACs are nearest T_k, the last step the one
/// with the most MACs that still meets every budget.
///
/// Without data the shares are ``FactorExponents/default``. With a fitted accuracy model, the
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

    public init(space: SearchSpace, budget: Budget, stepFactor: Double = 0.8,
                defaultExponents: FactorExponents = .default) {
        self.space = space
        self.budget = budget
        self.stepFactor = stepFactor
        self.defaultExponents = defaultExponents
    }

    /// The starting model: the smallest published preset that exceeds a budget (the largest
    /// preset if all fit), moved to the nearest grid point.
    public func defaultStart() -> Architecture {
        let presets = Preset.all.map(\.architecture)
        let above = presets.first { !admits($0) }
        return above ?? presets[presets.count - 1]
    }

    /// The chain from `start` (step 0) down to the first model that meets every budget.
    /// - Throws: ``SearchError/budgetBelowSpace(smallestMACs:)`` when no grid point fits.
    public func chain(from start: Architecture, model: AccuracyModel? = nil) throws -> [DownsizingStep] {
        let smallest = space.smallestCost()
        guard budget.admits(macs: smallest.macs, params: smallest.params) else {
            throw SearchError.budgetBelowSpace(smallestMACs: smallest.macs, smallestParams: smallest.params)
        }
        var point = nearestGridPoint(to: start)
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
        for axis in Axis.allCases {
            let values = space.logValues(axis)
            let current = point[axis]
            let elasticity = self.elasticity(at: point, axis: axis, macs: macs)
            elasticities.append(max(elasticity, 0))
            goals.append(values[current])
            guard elasticity > 0, shares.values[axis.rawValue] > 0 else {
                options.append([current])
                continue
            }
            let goal = values[current] + shares.values[axis.rawValue] * logRatio / elasticity
            goals[axis.rawValue] = goal
            let below = (0...current).last { values[$0] <= goal } ?? 0
            let above = min(current, below + 1)
            options.append(Array(Set([below, above, current])).sorted())
        }
        var best: (point: GridPoint, score: Double)?
        for r in options[0] {
            for w in options[1] {
                for m in options[2] {
                    for v in options[3] {
                        let candidate = GridPoint(resolution: r, width: w, mv2Depth: m, vitDepth: v)
                        guard candidate != point, let arch = try? architecture(at: candidate) else { continue }
                        let cost = CostModel.cost(of: arch)
                        guard cost.macs < macs else { continue }
                        let score: Double
                        if lastStep {
                            guard budget.admits(macs: cost.macs, params: cost.params) else { continue }
                            score = -Double(cost.macs)
                        } else {
                            // Nearest the target MACs, and then nearest the split the shares ask
                            // for: each factor's miss is weighed by its elasticity, in ln-MACs.
                            let miss = Axis.allCases.map { axis in
                                elasticities[axis.rawValue] * abs(space.logValues(axis)[candidate[axis]] - goals[axis.rawValue])
                            }
                            score = abs(log(Double(cost.macs)) - log(target)) + 0.5 * miss.reduce(0, +)
                        }
                        // Ties go to the point closest to the current one (fewest index moves).
                        let tieBreak = 1e-9 * Double(Axis.allCases.map { abs(candidate[$0] - point[$0]) }.reduce(0, +))
                        if score + tieBreak < best?.score ?? .infinity {
                            best = (candidate, score + tieBreak)
                        }
                    }
                }
            }
        }
        if let best { return best.point }
        return try fallbackPoint(from: point, macs: macs, shares: shares)
    }

    /// When no bracketed point works (coarse grids), step down the factor with the largest share
    /// one grid index at a time until MACs drop and, at the last step, the budgets hold.
    private func fallbackPoint(from point: GridPoint, macs: Int, shares: FactorExponents) throws -> GridPoint {
        var candidate = point
        let order = Axis.allCases.sorted { shares.values[$0.rawValue] > shares.values[$1.rawValue] }
        while true {
            guard let axis = order.first(where: { candidate[$0] > 0 }) ?? Axis.allCases.first(where: { candidate[$0] > 0 }) else {
                let smallest = space.smallestCost()
                throw SearchError.budgetBelowSpace(smallestMACs: smallest.macs, smallestParams: smallest.params)
            }
            candidate[axis] -= 1
            let cost = CostModel.cost(of: try architecture(at: candidate))
            if cost.macs < macs { return candidate }
        }
    }

    /// e_j = d ln M / d ln f_j, from the grid neighbour one step down (or up at the bottom).
    func elasticity(at point: GridPoint, axis: Axis, macs: Int) -> Double {
        let values = space.logValues(axis)
        let index = point[axis]
        guard index > 0, let lower = try? architecture(at: point.with(axis, index - 1)) else { return 0 }
        let lowerMACs = CostModel.cost(of: lower).macs
        return (log(Double(macs)) - log(Double(lowerMACs))) / (values[index] - values[index - 1])
    }

    /// The shares for a step from `point`: model-guided when a model is given.
    func exponents(at point: GridPoint, macs: Int, model: AccuracyModel?) -> (FactorExponents, Bool) {
        let available = Axis.allCases.map { point[$0] > 0 }
        let fallback = defaultExponents.normalized(available: available) ?? defaultExponents
        guard let model, let here = try? architecture(at: point) else { return (fallback, false) }
        var inverseLoss = [Double](repeating: 0, count: 4)
        var architectures = [here]
        var savings = [Double](repeating: 0, count: 4)
        for axis in Axis.allCases where available[axis.rawValue] {
            guard let lower = try? architecture(at: point.with(axis, point[axis] - 1)) else { continue }
            architectures.append(lower)
            savings[axis.rawValue] = log(Double(macs)) - log(Double(CostModel.cost(of: lower).macs))
        }
        let prediction = model.predict(architectures)
        var next = 1
        for axis in Axis.allCases where available[axis.rawValue] && next < prediction.mean.count {
            let saved = savings[axis.rawValue]
            let lost = prediction.mean[0] - prediction.mean[next]
            next += 1
            guard saved > 0 else { continue }
            inverseLoss[axis.rawValue] = 1 / max(lost / saved, 0.01)
        }
        let total = inverseLoss.reduce(0, +)
        guard total > 0, total.isFinite else { return (fallback, false) }
        let floored = inverseLoss.enumerated().map { available[$0.offset] ? max($0.element / total, 0.05) : 0 }
        let shares = FactorExponents(floored).normalized(available: available) ?? fallback
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

    /// The grid point nearest to `architecture` on a log scale along each axis.
    func nearestGridPoint(to architecture: Architecture) -> GridPoint {
        if let exact = space.gridPoint(of: architecture) { return exact }
        return GridPoint(
            resolution: SearchSpace.nearestIndex(space.resolutions.map(Double.init), toLog: Double(architecture.resolution)),
            width: SearchSpace.nearestIndex(space.widths, toLog: architecture.width),
            mv2Depth: SearchSpace.nearestIndex(space.mv2DepthMultipliers, toLog: architecture.mv2DepthFactor),
            vitDepth: SearchSpace.nearestIndex(space.vitDepthMultipliers, toLog: architecture.vitDepthFactor)
        )
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
        let point = GridPoint(resolution: 0, width: 0, mv2Depth: 0, vitDepth: 0)
        guard let architecture = try? architecture(at: point) else { return Cost(macs: 0, params: 0) }
        return CostModel.cost(of: architecture)
    }
}
