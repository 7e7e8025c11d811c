import GaussianProcess
import MobileViT

/// The study's Gaussian process of accuracy: fitted in this one place, to every complete trial,
/// with the study's encoding (its space and joint-factor setting) and seed.
///
/// A search or a server keeps one value and asks it for the model before each proposal; the
/// fitted model is reused while the study's complete trials are unchanged (same count, same last
/// row id), so an unchanged study is never refitted. Hyperparameters are re-optimised for every
/// new result up to ``fullRefitLimit`` results and then only when the data grew by 20 %, with
/// random restarts every ``restartInterval`` results up to ``restartLimit``, warm-started from
/// the previous optimum in between.
public struct StudyModel: Sendable {
    /// Observations above which hyperparameters are re-optimised only when the data grew by 20%
    /// (in between, the last hyperparameters are kept and only the factorisation is redone).
    public static let fullRefitLimit = 200
    /// Observations above which random restarts are skipped (the warm start is already good).
    public static let restartLimit = 100
    /// Between fits with random restarts, this many results are added with warm-started fits only
    /// (the previous optimum moves little when one result is added).
    public static let restartInterval = 10

    public let encoding: FactorEncoding
    public let seed: UInt64
    /// Random restarts of each full hyperparameter fit.
    public let restarts: Int
    /// The most complete trials one fit uses (``StudyModelSample``): an exact GP needs n^2 memory.
    public let sampleLimit: Int
    /// How many times a model was fitted (not reused), for those who check that it is reused.
    public private(set) var fitCount = 0
    /// Seconds spent fitting, over all fits.
    public private(set) var fitSeconds: Double = 0
    private var cached: (model: AccuracyModel, key: DataKey)?
    private var lastOptimized: (kernel: Kernel, count: Int)?
    private var lastRestarted: Int?

    /// What identifies the data a model was fitted to.
    private struct DataKey: Equatable {
        var count: Int
        var lastID: Int64?
    }

    /// A model of `study`, to be fitted on first use; `jointFactors` overrides the study's own
    /// setting (an analysis compares the model with and without them).
    public init(study: Study, restarts: Int = 2, jointFactors: Bool? = nil,
                sampleLimit: Int = StudyModelSample.searchLimit) {
        self.sampleLimit = sampleLimit
        encoding = FactorEncoding(space: study.space,
                                  includeJointFactors: jointFactors ?? StudySettings(study: study).jointFactors)
        seed = study.seed
        self.restarts = restarts
    }

    /// The complete trials with an accuracy, the only ones a model learns from.
    public static func observed(_ trials: [Trial]) -> [Trial] {
        trials.filter { $0.state == .complete && $0.accuracy != nil }
    }

    /// The model fitted to the complete trials among `trials`, reused when they are unchanged.
    /// - Throws: ``GaussianProcessError`` when fewer than 2 are complete or the fit fails.
    public mutating func model(for trials: [Trial]) throws -> AccuracyModel {
        let observed = Self.observed(trials)
        let key = DataKey(count: observed.count, lastID: observed.compactMap(\.id).max())
        if let cached, cached.key == key { return cached.model }
        let complete = StudyModelSample.select(observed, limit: sampleLimit)
        let n = complete.count
        let clock = ContinuousClock()
        let began = clock.now
        defer {
            let elapsed = (clock.now - began).components
            fitSeconds += Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        }
        let optimize = n <= Self.fullRefitLimit || Double(n) >= 1.2 * Double(lastOptimized?.count ?? 0)
        let restart = optimize && n <= Self.restartLimit
            && lastRestarted.map { n - $0 >= Self.restartInterval } ?? true
        let model = try AccuracyModel.fit(
            complete.compactMap { trial in trial.accuracy.map { (architecture: trial.architecture, accuracy: $0) } },
            encoding: encoding,
            warmStart: lastOptimized?.kernel,
            optimize: optimize,
            restarts: restart ? restarts : 0,
            seed: seed &+ UInt64(n)
        )
        if optimize { lastOptimized = (model.process.kernel, n) }
        if restart { lastRestarted = n }
        cached = (model, key)
        fitCount += 1
        return model
    }

    /// A model of `study` fitted once to its complete `trials` (at most ``StudyModelSample/limit``
    /// of them), as a reading command (analyze, plot, downsize) needs it.
    /// - Throws: ``GaussianProcessError`` when fewer than 2 are complete or the fit fails.
    public static func fit(study: Study, trials: [Trial], restarts: Int = 2,
                           jointFactors: Bool? = nil) throws -> AccuracyModel {
        var model = StudyModel(study: study, restarts: restarts, jointFactors: jointFactors,
                               sampleLimit: StudyModelSample.limit)
        return try model.model(for: trials)
    }
}
