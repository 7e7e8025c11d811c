import Foundation
import GaussianProcess

/// Whether a running training should stop: a Gaussian process over (architecture factors,
/// training progress), fitted to the learning curves of every trial, predicts the trial's final
/// accuracy, and the trial stops when even an optimistic bound on it stays below the best
/// complete result.
///
/// The model's inputs are the architecture's encoded factors x and the progress
/// t = log(epoch) / log(E) in [0, 1] (E the full length; curves rise fast and then saturate, and
/// on a log scale of epochs their shape is closer to what a stationary kernel can follow). The
/// kernel is Matern 5/2 with one length scale per input, so the partial curves of all trials,
/// complete, pruned or running, teach it both how accuracy varies across architectures at a given
/// progress and how strongly an early result predicts the final one (the length scale along t),
/// rather than comparing with a median of other curves at the same epoch as Optuna's
/// `MedianPruner` does. Hyperparameters are fitted to every curve but the trial asked about; the
/// model is then conditioned on that trial's reports with those hyperparameters, so the
/// prediction is a linear function of its reports, and the decision is a pure function of the
/// inputs (fixed seed, curves sorted by trial).
///
/// For the trial the rule predicts the final accuracy of this training at (x, t = 1) with the
/// noise of one training included: mean mu and standard deviation sigma. It stops when
///
///     mu + optimism * sigma < best
///
/// and never before the trial has reported ``minimumEpochs`` epochs, nor while fewer than
/// ``minimumCompleteCurves`` trials are complete (no basis for a final accuracy); a fit that
/// fails never stops a trial.
public struct PruningDecision: Sendable {
    /// The full training length E, in epochs.
    public let fullEpochs: Int
    /// Reports needed before a trial may stop (the last reported epoch must reach it).
    public let minimumEpochs: Int
    /// z of the optimistic bound mu + z sigma; 1.96 is a two-sided 95 % band's upper end.
    public let optimism: Double
    /// Complete curves needed before any trial may stop.
    public let minimumCompleteCurves: Int
    /// The most reports of one curve the model uses, spread evenly over log(epoch), the last always among them.
    public let reportsPerCurve: Int
    /// Seed of the hyperparameter search's restarts.
    public let seed: UInt64
    /// The smallest noise variance of one report, points^2: the study's ``TrainingNoise/floorVariance``.
    public let noiseFloor: Double

    /// - Parameters:
    ///   - fullEpochs: E, at least 1.
    ///   - minimumEpochs: default E / 9 rounded up (Hyperband's smallest rung at a reduction
    ///     factor of 3 over two brackets: 3 of 27 epochs), at least 1.
    ///   - noiseFloor: default the stated prior of ``TrainingNoise`` (0.1 points squared); a
    ///     study with repeated trainings passes its own ``TrainingNoise/floorVariance``.
    /// - Throws: ``PruningError/invalidSetting(_:)`` for a length below 1, a minimum outside
    ///   1...E, an optimism or a noise floor that is negative or not finite.
    public init(fullEpochs: Int, minimumEpochs: Int? = nil, optimism: Double = 1.96, minimumCompleteCurves: Int = 2,
                reportsPerCurve: Int = 8, seed: UInt64 = 0,
                noiseFloor: Double = TrainingNoise.priorStandardDeviation * TrainingNoise.priorStandardDeviation) throws(PruningError) {
        guard fullEpochs >= 1 else { throw .invalidSetting("the full length must be at least 1 epoch, got \(fullEpochs)") }
        let minimum = minimumEpochs ?? max(1, (fullEpochs + 8) / 9)
        guard (1...fullEpochs).contains(minimum) else {
            throw .invalidSetting("the minimum epochs before a stop must be within 1...\(fullEpochs), got \(minimum)")
        }
        guard optimism.isFinite, optimism >= 0 else { throw .invalidSetting("the optimism must be a finite number of 0 or more") }
        guard noiseFloor.isFinite, noiseFloor >= 0 else { throw .invalidSetting("the noise floor must be a finite variance of 0 or more") }
        guard minimumCompleteCurves >= 1, reportsPerCurve >= 2 else {
            throw .invalidSetting("at least 1 complete curve and 2 reports per curve are needed")
        }
        self.fullEpochs = fullEpochs
        self.minimumEpochs = minimum
        self.optimism = optimism
        self.minimumCompleteCurves = minimumCompleteCurves
        self.reportsPerCurve = reportsPerCurve
        self.seed = seed
        self.noiseFloor = noiseFloor
    }

    /// The verdict on running trial `trial` among `curves`, against the best complete result `best` (%).
    /// - Throws: ``PruningError`` for a trial that is not among the curves or not running, curves
    ///   with different factor counts, an epoch outside 1...E or given twice, or an accuracy or
    ///   best that is not a finite percentage.
    public func verdict(for trial: Int, curves: [PruningCurve], best: Double) throws(PruningError) -> PruningVerdict {
        try check(curves, best: best)
        guard let asked = curves.first(where: { $0.trial == trial }) else { throw .unknownTrial(trial) }
        guard asked.status == .running else { throw .notRunning(trial) }
        let lastEpoch = asked.reports.map(\.epoch).max() ?? 0
        guard lastEpoch >= minimumEpochs else { return PruningVerdict(reason: .tooEarly) }
        guard lastEpoch < fullEpochs else { return PruningVerdict(reason: .finished) }
        let others = curves.filter { $0.trial != trial }.sorted { $0.trial < $1.trial }
        guard others.filter({ $0.status == .complete && !$0.reports.isEmpty }).count >= minimumCompleteCurves else {
            return PruningVerdict(reason: .noModel)
        }
        guard let prediction = predictFinal(of: asked, from: others) else { return PruningVerdict(reason: .noModel) }
        let optimistic = prediction.mean + optimism * prediction.std
        return PruningVerdict(reason: optimistic < best ? .hopeless : .promising, predictedFinal: prediction.mean,
                              predictedStd: prediction.std, optimisticFinal: optimistic)
    }

    /// The final accuracy of `asked`'s training (mean, std with one training's noise), or nil when
    /// the model cannot be fitted or predicts something not finite.
    func predictFinal(of asked: PruningCurve, from others: [PruningCurve]) -> (mean: Double, std: Double)? {
        let rows = others.flatMap { curve in selected(curve.reports).map { (curve.factors + [progress($0.epoch)], $0.accuracy) } }
        let own = selected(asked.reports).map { (asked.factors + [progress($0.epoch)], $0.accuracy) }
        let dimensions = asked.factors.count + 1
        let kernel = Kernel(family: .matern52, signalVariance: 1, lengthScales: Array(repeating: 0.5, count: dimensions),
                            noiseVariance: 1e-2, bounds: AccuracyModel.bounds)
        guard let x = try? Matrix(rowMajor: rows.map(\.0)), let ownX = try? Matrix(rowMajor: own.map(\.0)),
              let query = try? Matrix(rowMajor: [asked.factors + [1]]),
              let fitted = try? GaussianProcessRegressor(kernel: kernel, restarts: 1, seed: seed, noiseFloor: noiseFloor)
                  .fit(x: x, y: rows.map(\.1)),
              let conditioned = try? fitted.conditioned(onAdditional: ownX, y: own.map(\.1)),
              let prediction = try? conditioned.checkedPrediction(query, includeNoise: true)
        else { return nil }
        return (prediction.mean[0], prediction.standardDeviation[0])
    }

    /// Training progress of `epoch` on [0, 1]: log(epoch) / log(E) (1 when E is 1).
    func progress(_ epoch: Int) -> Double {
        fullEpochs > 1 ? log(Double(epoch)) / log(Double(fullEpochs)) : 1
    }

    /// At most ``reportsPerCurve`` of `reports`, nearest to evenly spaced points of log(epoch)
    /// from the first to the last, which is always kept; in epoch order.
    func selected(_ reports: [PruningCurve.Report]) -> [PruningCurve.Report] {
        let sorted = reports.sorted { $0.epoch < $1.epoch }
        guard sorted.count > reportsPerCurve, let first = sorted.first, let last = sorted.last else { return sorted }
        let low = log(Double(first.epoch))
        let high = log(Double(last.epoch))
        var chosen = Set<Int>()
        for k in 0..<reportsPerCurve {
            let target = low + (high - low) * Double(k) / Double(reportsPerCurve - 1)
            let index = sorted.indices.min { abs(log(Double(sorted[$0].epoch)) - target) < abs(log(Double(sorted[$1].epoch)) - target) }
            if let index { chosen.insert(index) }
        }
        chosen.insert(sorted.count - 1)
        return chosen.sorted().map { sorted[$0] }
    }

    private func check(_ curves: [PruningCurve], best: Double) throws(PruningError) {
        guard best.isFinite, (0...100).contains(best) else { throw .invalidAccuracy(trial: nil, best) }
        let dimensions = curves.first?.factors.count ?? 0
        for curve in curves {
            guard curve.factors.count == dimensions, curve.factors.allSatisfy(\.isFinite) else {
                throw .factorMismatch(trial: curve.trial, expected: dimensions, actual: curve.factors.count)
            }
            var seen = Set<Int>()
            for report in curve.reports {
                guard (1...fullEpochs).contains(report.epoch) else {
                    throw .epochOutOfRange(trial: curve.trial, epoch: report.epoch, fullEpochs: fullEpochs)
                }
                guard seen.insert(report.epoch).inserted else { throw .repeatedEpoch(trial: curve.trial, epoch: report.epoch) }
                guard report.accuracy.isFinite, (0...100).contains(report.accuracy) else {
                    throw .invalidAccuracy(trial: curve.trial, report.accuracy)
                }
            }
        }
    }
}
