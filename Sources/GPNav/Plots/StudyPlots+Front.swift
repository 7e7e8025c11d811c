import Foundation

extension StudyPlots {
    /// Objective `y` against objective `x` over the study's complete trials that have both, with
    /// their Pareto front in the objectives' own directions (accuracy max, the rest min), as
    /// `gpnav plot front` and the dashboard draw it.
    /// - Parameter curves: the study's learning curves by trial id (``LearningCurveStore``), for epochs.
    /// - Throws: ``PlotError/sameAxes(_:)``, ``PlotError/noCompleteTrials(study:)``,
    ///   ``PlotError/noObjectiveValues(study:missing:)`` when no complete trial has both values.
    public static func front(study: Study, trials: [Trial], curves: [Int64: [EpochReport]],
                             x: FrontObjective, y: FrontObjective) throws -> ObjectiveFrontPlot {
        guard x != y else { throw PlotError.sameAxes(x.rawValue) }
        let complete = complete(trials)
        guard !complete.isEmpty else { throw PlotError.noCompleteTrials(study: study.name) }
        var points: [ObjectiveFrontPlot.Point] = []
        for trial in complete {
            let curve = trial.id.flatMap { curves[$0] } ?? []
            guard let xValue = x.value(of: trial, curve: curve, epochs: study.epochs),
                  let yValue = y.value(of: trial, curve: curve, epochs: study.epochs) else { continue }
            points.append(.init(number: trial.number, x: xValue, y: yValue,
                                overBudget: !study.budget.admits(macs: trial.macs, params: trial.params)))
        }
        guard !points.isEmpty else {
            let missing = [x, y].first { objective in
                !complete.contains { objective.value(of: $0, curve: $0.id.flatMap { curves[$0] } ?? [], epochs: study.epochs) != nil }
            }
            throw PlotError.noObjectiveValues(study: study.name, missing: (missing ?? y).missingWords)
        }
        let front = try ParetoFront.indices(of: points.map { [$0.x, $0.y] }, directions: [x.direction, y.direction])
        var plot = ObjectiveFrontPlot(title: title("Pareto front of \(y.rawValue) and \(x.rawValue)", study: study),
                                      x: x, y: y, points: points, front: front.map { points[$0] })
        plot.accuracyKind = PlottedAccuracy(study: study)
        return plot
    }

    /// Accuracy against measured latency, as ``pareto(study:trials:)`` draws it against MACs: the
    /// complete trials with a measured `latency_ms` (never predictions), their Pareto front
    /// (accuracy max, latency min) and the study's latency budget as a dashed line.
    /// - Throws: as ``front(study:trials:curves:x:y:)`` (no trial measured: ``PlotError/noObjectiveValues(study:missing:)``).
    public static func latencyPareto(study: Study, trials: [Trial]) throws -> ObjectiveFrontPlot {
        var plot = try front(study: study, trials: trials, curves: [:], x: .latency, y: .accuracy)
        plot.title = title("Accuracy against measured latency", study: study)
        plot.xBudget = study.settings.latency?.maxMs
        return plot
    }
}
