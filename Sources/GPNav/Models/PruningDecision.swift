import Foundation
import GaussianProcess

/// Whether a running training should stop: a Gaussian process over (architecture factors,
/// training progress), fitted to the learning curves of finished trials, predicts the trial's
/// final accuracy, and the trial stops when even an optimistic bound on it stays below the best
/// complete result.
///
/// The model's inputs are the architecture's encoded factors x and the progress
/// t = log(epoch) / log(E) in [0, 1] (E the full length; curves rise fast and then saturate, and
/// on a log scale of epochs their shape is closer to what a stationary kernel can follow). The
/// kernel is Matern 5/2 with one length scale per input, so the curves teach it both how
/// accuracy varies across architectures at a given progress and how strongly an early result
/// predicts the final one (the length scale along t), rather than comparing with a median of
/// other curves at the same epoch as Optuna's `MedianPruner` does.
///
/// **Rungs.** A trial is judged only when its reports reach a rung, the epochs
/// r_k = m eta^k below E (m = ``minimumEpochs``, eta = ``reductionFactor``: 3 and 9 of 27 epochs,
/// successive halving's rungs as in Hyperband and ASHA); a report that skips a rung is judged
/// there. **Bounded data.** The model learns from at most ``curveLimit`` finished curves, those
/// nearest the trial's architecture in encoded factors (two thirds of them complete when the
/// study has that many, so that early results are tied to finals), each at its rung epochs and
/// its last report, and from the trial's own reports at its rungs and its last one. A decision
/// therefore fits a GP to at most ``curveLimit`` x (rungs + 1) + rungs + 1 points however long
/// the study runs. Hyperparameters are fitted to the other curves; the model is then conditioned
/// on the trial's own points with them, so the prediction is a linear function of its reports,
/// and the decision is a pure function of the inputs (fixed seed, ties broken by trial number).
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
    /// The first rung: reports needed before a trial may stop.
    public let minimumEpochs: Int
    /// eta: each rung is this many times the one before.
    public let reductionFactor: Int
    /// z of the optimistic bound mu + z sigma; 1.96 is a two-sided 95 % band's upper end.
    public let optimism: Double
    /// Complete curves needed before any trial may stop.
    public let minimumCompleteCurves: Int
    /// The most finished curves (complete or pruned) one decision learns from.
    public let curveLimit: Int
    /// Seed of the hyperparameter search's restarts.
    public let seed: UInt64
    /// The smallest noise variance of one report, points^2: the study's ``TrainingNoise/floorVariance``.
    public let noiseFloor: Double
    /// Whether a stopped training can be continued later (freeze-thaw, ``PausedTrainingChoice``):
    /// then a stop is a pause, a mistake can be undone, and a training pauses at every rung it
    /// reaches with a model (``PruningVerdict/Reason/paused``; ``PruningVerdict/Reason/hopeless``
    /// where even successive halving's bound, ``optimism(atRung:)``, stays below the best), so
    /// that every step's epochs go where the proposals expect the most gain per epoch.
    public let resumable: Bool

    /// - Parameters:
    ///   - fullEpochs: E, at least 1.
    ///   - minimumEpochs: default E / 9 rounded up (Hyperband's smallest rung at a reduction
    ///     factor of 3 over two brackets: 3 of 27 epochs), at least 1.
    ///   - reductionFactor: eta, at least 2 (default 3, Hyperband's and ASHA's).
    ///   - curveLimit: at least 2 (default 24).
    ///   - noiseFloor: default the stated prior of ``TrainingNoise`` (0.1 points squared); a
    ///     study with repeated trainings passes its own ``TrainingNoise/floorVariance``.
    /// - Throws: ``PruningError/invalidSetting(_:)`` for a length below 1, a minimum outside
    ///   1...E, a reduction factor below 2, an optimism or a noise floor that is negative or not finite.
    public init(fullEpochs: Int, minimumEpochs: Int? = nil, reductionFactor: Int = 3, optimism: Double = 1.96,
                minimumCompleteCurves: Int = 2, curveLimit: Int = 24, seed: UInt64 = 0,
                noiseFloor: Double = TrainingNoise.priorStandardDeviation * TrainingNoise.priorStandardDeviation,
                resumable: Bool = false) throws(PruningError) {
        guard fullEpochs >= 1 else { throw .invalidSetting("the full length must be at least 1 epoch, got \(fullEpochs)") }
        let minimum = minimumEpochs ?? max(1, (fullEpochs + 8) / 9)
        guard (1...fullEpochs).contains(minimum) else {
            throw .invalidSetting("the minimum epochs before a stop must be within 1...\(fullEpochs), got \(minimum)")
        }
        guard reductionFactor >= 2 else { throw .invalidSetting("the reduction factor must be at least 2, got \(reductionFactor)") }
        guard optimism.isFinite, optimism >= 0 else { throw .invalidSetting("the optimism must be a finite number of 0 or more") }
        guard noiseFloor.isFinite, noiseFloor >= 0 else { throw .invalidSetting("the noise floor must be a finite variance of 0 or more") }
        guard minimumCompleteCurves >= 1, curveLimit >= 2 else {
            throw .invalidSetting("at least 1 complete curve and a limit of 2 curves or more are needed")
        }
        self.fullEpochs = fullEpochs
        self.minimumEpochs = minimum
        self.reductionFactor = reductionFactor
        self.optimism = optimism
        self.minimumCompleteCurves = minimumCompleteCurves
        self.curveLimit = curveLimit
        self.seed = seed
        self.noiseFloor = noiseFloor
        self.resumable = resumable
    }

    /// z of the optimistic bound at rung index `rung` (0 for the first of the K ``rungs``): the
    /// fixed ``optimism``, or, when stops can be undone (``resumable``), successive halving's
    /// shares as a probability: a trial goes on past rung i only while P(final >= best) is at
    /// least eta^-(K - i) (1/9 at epoch 3 and 1/3 at epoch 9 of 27), so
    /// z_i = Phi^-1(1 - eta^-(K - i)) (1.22 and 0.43).
    public func optimism(atRung rung: Int) -> Double {
        let count = rungs.count
        guard resumable, (0..<count).contains(rung) else { return optimism }
        let share = pow(Double(reductionFactor), -Double(count - rung))
        return Self.standardNormalQuantile(1 - share)
    }

    /// Phi^-1(p) for p in (0, 1), by bisection on Phi to within 1e-12.
    static func standardNormalQuantile(_ p: Double) -> Double {
        var low = -40.0
        var high = 40.0
        while high - low > 1e-12 {
            let middle = (low + high) / 2
            if Acquisition.probabilityOfImprovement(mean: middle, standardDeviation: 1, best: 0) < p {
                low = middle
            } else {
                high = middle
            }
        }
        return (low + high) / 2
    }

    /// The epochs at which trials are judged: m, m eta, m eta^2, ... below E.
    public var rungs: [Int] {
        var rungs: [Int] = []
        var rung = minimumEpochs
        while rung < fullEpochs {
            rungs.append(rung)
            let (next, overflow) = rung.multipliedReportingOverflow(by: reductionFactor)
            guard !overflow else { break }
            rung = next
        }
        return rungs
    }

    /// Whether a trial whose reports end at `epochs` (any order) reached a rung with its last
    /// report: a rung r with previous < r <= last, previous being the report before the last.
    public func reachesRung(_ epochs: [Int]) -> Bool {
        let sorted = epochs.sorted()
        guard let last = sorted.last else { return false }
        let previous = sorted.count > 1 ? sorted[sorted.count - 2] : 0
        return rungs.contains { previous < $0 && $0 <= last }
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
        guard reachesRung(asked.reports.map(\.epoch)) else { return PruningVerdict(reason: .betweenRungs) }
        let finished = curves.filter { $0.trial != trial && $0.status != .running && !$0.reports.isEmpty }
        guard finished.filter({ $0.status == .complete }).count >= minimumCompleteCurves else {
            return PruningVerdict(reason: .noModel)
        }
        guard let prediction = predictFinal(of: asked, from: nearest(finished, to: asked.factors)) else {
            return PruningVerdict(reason: .noModel)
        }
        let rung = rungs.lastIndex { $0 <= lastEpoch } ?? 0
        let optimistic = prediction.mean + optimism(atRung: rung) * prediction.std
        // A stop that can be undone is a pause at every rung: whether the training goes on is then
        // the proposals' choice, its gain per epoch against a new candidate's (PausedTrainingChoice).
        let reason: PruningVerdict.Reason = optimistic < best ? .hopeless : resumable ? .paused : .promising
        return PruningVerdict(reason: reason, predictedFinal: prediction.mean, predictedStd: prediction.std,
                              optimisticFinal: optimistic)
    }

    /// At most ``curveLimit`` of the finished `curves`, nearest `factors` (squared distance, ties
    /// by trial number): up to two thirds complete ones, the rest pruned ones, and complete ones
    /// again where too few pruned ones are there. In trial order.
    func nearest(_ curves: [PruningCurve], to factors: [Double]) -> [PruningCurve] {
        func distance(_ curve: PruningCurve) -> Double {
            zip(curve.factors, factors).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        }
        let ranked = curves.map { (curve: $0, distance: distance($0)) }
            .sorted { ($0.distance, $0.curve.trial) < ($1.distance, $1.curve.trial) }.map(\.curve)
        let complete = ranked.filter { $0.status == .complete }
        let pruned = ranked.filter { $0.status == .pruned }
        let completeShare = max(minimumCompleteCurves, (2 * curveLimit) / 3)
        let prunedTaken = Array(pruned.prefix(max(0, curveLimit - min(complete.count, completeShare))))
        let completeTaken = Array(complete.prefix(curveLimit - prunedTaken.count))
        return (completeTaken + prunedTaken).sorted { $0.trial < $1.trial }
    }

    /// The final accuracy of `asked`'s training (mean, std with one training's noise), or nil when
    /// the model cannot be fitted or predicts something not finite.
    func predictFinal(of asked: PruningCurve, from others: [PruningCurve]) -> (mean: Double, std: Double)? {
        let rows = others.flatMap { curve in modelPoints(curve.reports).map { (curve.factors + [progress($0.epoch)], $0.accuracy) } }
        let own = modelPoints(asked.reports).map { (asked.factors + [progress($0.epoch)], $0.accuracy) }
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

    /// The reports of one curve the model learns from: those at a rung and the last one (a
    /// complete curve's last is its final result), in epoch order; at most rungs + 1 of them.
    func modelPoints(_ reports: [PruningCurve.Report]) -> [PruningCurve.Report] {
        let sorted = reports.sorted { $0.epoch < $1.epoch }
        let rungs = Set(rungs)
        return sorted.enumerated().filter { rungs.contains($0.element.epoch) || $0.offset == sorted.count - 1 }.map(\.element)
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
