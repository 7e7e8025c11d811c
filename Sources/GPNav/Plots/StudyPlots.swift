import Foundation
import MobileViT

/// Builds the plots of a stored study from its trials: the pictures behind `gpnav plot`.
public enum StudyPlots {
    /// `WHAT: study NAME`, with "(simulated accuracy)" when the study's evaluator is the stub.
    public static func title(_ what: String, study: Study) -> String {
        "\(what): study \(study.name)" + (study.evaluator.hasPrefix("stub") ? " (simulated accuracy)" : "")
    }

    /// Complete trials with an accuracy.
    static func complete(_ trials: [Trial]) -> [Trial] {
        trials.filter { $0.state == .complete && $0.accuracy.map(\.isFinite) == true }
    }

    /// Accuracy against MACs: every complete trial (hollow when over the study's budget), the
    /// Pareto front (accuracy max, MACs min) joined as a staircase, the MACs budget, and the
    /// family's published models as context: the axes span the trials and the budget, and
    /// published models beyond that span are named at the edge rather than widening it.
    /// - Throws: ``PlotError/noCompleteTrials(study:)``.
    public static func pareto(study: Study, trials: [Trial]) throws -> AccuracyMACsPlot {
        let complete = complete(trials)
        guard !complete.isEmpty else { throw PlotError.noCompleteTrials(study: study.name) }
        let values = complete.map { [$0.accuracy ?? 0, Double($0.macs)] }
        let front = try ParetoFront.indices(of: values, directions: [.max, .min])
        let point = { (trial: Trial) in
            AccuracyMACsPlot.Point(macs: trial.macs, accuracy: trial.accuracy ?? 0,
                                   overBudget: !study.budget.admits(macs: trial.macs, params: trial.params))
        }
        let macs = complete.map(\.macs) + (study.budget.macs.map { [$0] } ?? [])
        let span = (macs.min() ?? 1)...(macs.max() ?? 1)
        var plot = AccuracyMACsPlot(
            title: title("Accuracy against MACs", study: study),
            series: [
                .init(name: "trials (\(complete.count) complete)", points: complete.map(point), color: "#9e9e9e",
                      size: 3.5, cssClass: "trial-mark"),
                .init(name: "Pareto front (\(front.count))", points: front.map { point(complete[$0]) }, color: "#2166ac",
                      size: 4.5, connection: .step, cssClass: "front"),
                .init(name: PublishedReferences.legend(of: study.space.family),
                      points: PublishedReferences.points(of: study.space.family),
                      shape: .diamond, color: "#d6604d", filled: false, size: 4.5, cssClass: "reference-mark"),
            ],
            budgetMACs: study.budget.macs,
            macsRange: span
        )
        plot.accuracyKind = PlottedAccuracy(study: study)
        return plot
    }

    /// Every trial's learning curve, `curves` by trial id; the best complete trial within budget stands out.
    /// - Throws: ``PlotError/noLearningCurves(study:)`` when no trial has one.
    public static func curves(study: Study, trials: [Trial], curves: [Int64: [EpochReport]]) throws -> LearningCurvePlot {
        let best = StudySession.bestObserved(trials, budget: study.budget)?.number
        let drawn = trials.sorted { $0.number < $1.number }.compactMap { trial -> LearningCurvePlot.Curve? in
            guard let id = trial.id, let points = curves[id], !points.isEmpty else { return nil }
            return LearningCurvePlot.Curve(number: trial.number, macs: trial.macs, state: trial.state, points: points,
                                           isBest: trial.number == best)
        }
        guard !drawn.isEmpty else { throw PlotError.noLearningCurves(study: study.name) }
        return LearningCurvePlot(title: title("Learning curves", study: study), curves: drawn)
    }

    /// Best accuracy so far (within budget) against trial number.
    /// - Throws: ``PlotError/noCompleteTrials(study:)``.
    public static func history(study: Study, trials: [Trial]) throws -> HistoryPlot {
        guard !complete(trials).isEmpty else { throw PlotError.noCompleteTrials(study: study.name) }
        let entries = trials.sorted { $0.number < $1.number }.map { trial in
            HistoryPlot.Entry(number: trial.number, accuracy: trial.state == .complete ? trial.accuracy : nil,
                              failed: trial.state == .failed || trial.state == .pruned || trial.state == .abandoned,
                              withinBudget: study.budget.admits(macs: trial.macs, params: trial.params),
                              origin: HistoryPlot.Origin(trial.proposal.kind))
        }
        var plot = HistoryPlot(title: title("Search history", study: study), entries: entries)
        plot.accuracyKind = PlottedAccuracy(study: study)
        return plot
    }

    /// The GP's predicted accuracy over `x` and `y`, the other factors fixed at `fixed` (default:
    /// the recommended trial, the highest posterior mean among complete trials within budget, as
    /// `gpnav search` reports it; else the best observed), one panel or, with `grid`, small
    /// multiples over the other two factors that always include the recommended trial's panel.
    ///
    /// A categorical axis (a choice such as v1's MV2 expansion) is not interpolated: it becomes
    /// one panel per value, and the first continuous factor not otherwise named takes its place
    /// as the axis. Colours span the predictions over the MACs the study explored (its trials and
    /// its budget) and the observed accuracies, not the whole grid's extrapolated corners.
    /// - Throws: ``PlotError`` for too few trials or equal axes; GP errors from the fit.
    public static func cube(study: Study, trials: [Trial], x: CubeFactor, y: CubeFactor,
                            fixed: [CubeFactor: Double] = [:], grid: Bool = false) throws -> CubePlot {
        guard x != y else { throw PlotError.sameAxes(x.rawValue) }
        let space = study.space
        var xIndex = try x.position(in: space), yIndex = try y.position(in: space)
        var fixedIndices: [(Int, Double)] = []
        for (factor, value) in fixed { fixedIndices.append((try factor.position(in: space), value)) }
        let complete = complete(trials)
        guard complete.count >= 2 else { throw PlotError.tooFewTrials(study: study.name, count: complete.count) }
        let observations = complete.map { (number: $0.number, architecture: $0.architecture, accuracy: $0.accuracy ?? 0) }
        let model = try StudyModel.fit(study: study, trials: complete)
        let sampled = StudyModelSample.select(StudyModel.observed(complete)).count
        let recommended = recommendedTrial(model: model, study: study, complete: complete)
        var point = recommended.map { space.nearestPoint(to: $0.architecture) } ?? GridPoint(space.grids.map { _ in 0 })
        for (factor, value) in fixedIndices {
            point[factor] = space.nearestIndex(along: factor, to: value)
        }
        // A categorical axis gives way to a continuous factor, not fixed if one can be found.
        var categorical: Int?
        for axis in [xIndex, yIndex] where space.factors[axis].isCategorical {
            let taken = Set([xIndex, yIndex] + fixedIndices.map(\.0))
            let continuous = space.factorIndices.filter { !space.factors[$0].isCategorical && $0 != xIndex && $0 != yIndex }
            guard let replacement = continuous.first(where: { !taken.contains($0) }) ?? continuous.first else {
                throw PlotError.noContinuousFactor(space.factors[axis].argument)
            }
            categorical = axis
            if axis == xIndex { xIndex = replacement } else { yIndex = replacement }
        }
        let what = sampled == complete.count
            ? "Predicted accuracy (GP, \(complete.count) trials)"
            : "Predicted accuracy (GP, \(sampled) of \(complete.count) trials)"
        let macs = complete.map(\.macs) + (study.budget.macs.map { [$0] } ?? [])
        let explored = Double(macs.min() ?? 0)...Double(macs.max() ?? 0)
        let note = categorical.map { axis in
            "\(space.factors[axis].words) is a choice: one panel per value, \(space.factors[yIndex].words) up"
        }
        let slices: [CubeSlice], columns: Int
        if grid {
            (slices, columns) = CubeSlice.grid(model: model, space: space, x: xIndex, y: yIndex, base: point,
                                               observations: observations, recommended: recommended?.number)
        } else if let categorical {
            slices = CubeSlice.panels(along: categorical, model: model, space: space, x: xIndex, y: yIndex, base: point,
                                      observations: observations, recommended: recommended?.number)
            columns = slices.count
        } else {
            slices = [CubeSlice.compute(model: model, space: space, x: xIndex, y: yIndex, fixedAt: point,
                                        observations: observations, recommended: recommended?.number)]
            columns = 1
        }
        var plot = CubePlot(title: title(what, study: study), slices: slices, columns: columns,
                            budgetMACs: study.budget.macs, exploredMACs: explored, note: note)
        plot.accuracyKind = PlottedAccuracy(study: study)
        return plot
    }

    /// The highest posterior mean among complete trials within the study's budgets (ties to the
    /// earlier trial), as `gpnav search` recommends; the best observed when none is within budget.
    static func recommendedTrial(model: AccuracyModel, study: Study, complete: [Trial]) -> Trial? {
        if let rated = model.highestPosteriorMean(among: complete, within: study.budget) { return rated.trial }
        let admitted = complete.filter { study.budget.admits(macs: $0.macs, params: $0.params) }
        return (admitted.isEmpty ? complete : admitted).max { ($0.accuracy ?? 0) < ($1.accuracy ?? 0) }
    }
}

/// Why a plot cannot be drawn.
public enum PlotError: UserFacingError, Equatable {
    case noCompleteTrials(study: String)
    case tooFewTrials(study: String, count: Int)
    case sameAxes(String)
    case unknownFactor(String, family: String, known: [String])
    case noContinuousFactor(String)
    case noLearningCurves(study: String)
    /// No complete trial has a value of an objective asked for; `missing` says which, in words.
    case noObjectiveValues(study: String, missing: String)

    public var kind: FailureKind {
        switch self {
        case .sameAxes, .unknownFactor, .noContinuousFactor: return .usage
        case .noCompleteTrials, .tooFewTrials, .noLearningCurves, .noObjectiveValues: break
        }
        return .data
    }

    public var description: String {
        switch self {
        case .noLearningCurves(let study):
            "study '\(study)' has no learning curves: no trial reported an intermediate result"
        case .noCompleteTrials(let study):
            "study '\(study)' has no complete trials to plot"
        case .noObjectiveValues(let study, let missing):
            "no complete trial of study '\(study)' has \(missing)"
        case .tooFewTrials(let study, let count):
            "study '\(study)' has \(count) complete trial\(count == 1 ? "" : "s"); the GP cube needs at least 2"
        case .sameAxes(let factor):
            "both axes are '\(factor)': a cube plot needs two different factors"
        case .unknownFactor(let factor, let family, let known):
            "architecture family \(family) has no factor '\(factor)': its factors are \(known.joined(separator: ", "))"
        case .noContinuousFactor(let factor):
            "'\(factor)' is a choice, drawn as panels, and no other continuous factor is left for its axis"
        }
    }
}
