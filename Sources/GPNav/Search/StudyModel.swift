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
/// the previous optimum in between. With ``ModelNoise/floored`` the noise never goes below the
/// study's ``TrainingNoise`` floor (a stated prior, or the spread of repeated trainings of one
/// architecture, measured over every complete trial, not only the fitted sample); with
/// ``ModelNoise/fitted`` it is left to the kernel's bounds. ``refresh`` says whether that search runs inside the call that
/// needs it (``ModelRefresh/inline``) or in the background while the call conditions on the data
/// with the current hyperparameters (``ModelRefresh/background``).
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
    /// Where hyperparameters are re-optimised.
    public let refresh: ModelRefresh
    /// Whether fits keep the noise at or above the study's ``TrainingNoise`` floor.
    public let noise: ModelNoise
    /// How many times a model was fitted (not reused), for those who check that it is reused;
    /// under ``ModelRefresh/background`` a finished hyperparameter search counts once more when
    /// it is swapped in.
    public private(set) var fitCount = 0
    /// Seconds spent fitting, over all fits (background searches included once swapped in).
    public private(set) var fitSeconds: Double = 0
    private var cached: (model: AccuracyModel, key: DataKey)?
    private var lastOptimized: (kernel: Kernel, count: Int)?
    private var lastRestarted: Int?
    /// Hyperparameters swapped in from the background so far; part of the cache key.
    private var swaps = 0
    private let background: BackgroundRefit?
    /// Under ``ModelRefresh/background``, the posterior at candidates kept between asks, so that
    /// an ask costs O(n m) rather than O(n^2 m) (see ``PosteriorCache``); replaced by the one a
    /// background search prepared for its hyperparameters when they are swapped in.
    private var posteriorCache: PosteriorCache?

    /// What identifies the data a model was fitted to, and the hyperparameters it was fitted with.
    private struct DataKey: Equatable {
        var count: Int
        var lastID: Int64?
        var swaps: Int
    }

    /// A model over `space`, to be fitted on first use, with the study's seed and joint-factor
    /// setting (a study's own model is made from its settings in `StudyModel+Study.swift`).
    init(space: SearchSpace, seed: UInt64, jointFactors: Bool, restarts: Int = 2,
         sampleLimit: Int = StudyModelSample.searchLimit, refresh: ModelRefresh = .inline, noise: ModelNoise = .floored) {
        self.sampleLimit = sampleLimit
        self.noise = noise
        encoding = FactorEncoding(space: space, includeJointFactors: jointFactors)
        self.seed = seed
        self.restarts = restarts
        self.refresh = refresh
        background = refresh == .background ? BackgroundRefit() : nil
        posteriorCache = refresh == .background ? PosteriorCache() : nil
    }

    /// The background searches of this model (nil under ``ModelRefresh/inline``); copies of the
    /// model share them.
    var backgroundRefit: BackgroundRefit? { background }

    /// About how many bytes the fitted model and its posterior cache hold: an exact GP over n
    /// observations keeps n x n matrices (the kernel's factor and its copies while fitting).
    var approximateBytes: Int {
        let n = cached?.model.observationCount ?? 0
        return 3 * n * n * MemoryLayout<Double>.stride + (posteriorCache?.approximateBytes ?? 0)
    }

    /// The complete trials with an accuracy, the only ones a model learns from.
    public static func observed(_ trials: [Trial]) -> [Trial] {
        trials.filter { $0.state == .complete && $0.accuracy != nil }
    }

    /// The model fitted to the complete trials among `trials`, reused when they are unchanged.
    /// `observationNoise` gives some of them, by trial id, an extra noise variance in points^2
    /// (a pruned trial standing at its predicted final); the others are results as trained.
    /// Under ``ModelRefresh/background`` it uses the latest hyperparameters found in the
    /// background and starts a new search when the schedule calls for one and none is running.
    /// - Throws: ``GaussianProcessError`` when fewer than 2 are complete or the fit fails.
    public mutating func model(for trials: [Trial], observationNoise: [Int64: Double] = [:]) throws -> AccuracyModel {
        if let outcome = background?.takeFinished() { swapIn(outcome) }
        let observed = Self.observed(trials)
        let key = DataKey(count: observed.count, lastID: observed.compactMap(\.id).max(), swaps: swaps)
        if let cached, cached.key == key { return cached.model }
        let complete = StudyModelSample.select(observed, limit: sampleLimit)
        let n = complete.count
        let points = complete.compactMap { trial in trial.accuracy.map { (architecture: trial.architecture, accuracy: $0) } }
        let extra = complete.map { trial in trial.id.flatMap { observationNoise[$0] } ?? 0 }
        let pointNoise = extra.contains { $0 > 0 } && extra.count == points.count ? extra : nil
        let noiseFloor = noise == .floored ? TrainingNoise(trials: observed).floorVariance : 0
        let began = ContinuousClock.now
        defer { fitSeconds += Self.seconds(since: began) }
        let optimize = n <= Self.fullRefitLimit || Double(n) >= 1.2 * Double(lastOptimized?.count ?? 0)
        let restart = optimize && n <= Self.restartLimit
            && lastRestarted.map { n - $0 >= Self.restartInterval } ?? true
        var model: AccuracyModel
        if let background {
            if optimize && lastOptimized?.count != n {
                startSearch(points, pointNoise: pointNoise, noiseFloor: noiseFloor, restart: restart, in: background)
            }
            model = try AccuracyModel.fit(points, encoding: encoding, warmStart: lastOptimized?.kernel, optimize: false,
                                          restarts: 0, seed: seed &+ UInt64(n), noiseFloor: noiseFloor,
                                          observationNoise: pointNoise)
            model.posteriorCache = posteriorCache
        } else {
            model = try AccuracyModel.fit(points, encoding: encoding, warmStart: lastOptimized?.kernel, optimize: optimize,
                                          restarts: restart ? restarts : 0, seed: seed &+ UInt64(n), noiseFloor: noiseFloor,
                                          observationNoise: pointNoise)
            if optimize { lastOptimized = (model.process.kernel, n) }
            if restart { lastRestarted = n }
        }
        cached = (model, key)
        fitCount += 1
        return model
    }

    /// Starts the scheduled hyperparameter search for `points` in the background, warm-started
    /// from the current hyperparameters (nothing happens while another search runs).
    private func startSearch(_ points: [(architecture: Architecture, accuracy: Double)], pointNoise: [Double]?,
                             noiseFloor: Double, restart: Bool, in background: BackgroundRefit) {
        let encoding = encoding
        let warmStart = lastOptimized?.kernel
        let restarts = restart ? self.restarts : 0
        let seed = seed &+ UInt64(points.count)
        let sendable = points.map { SendablePoint(architecture: $0.architecture, accuracy: $0.accuracy) }
        let cache = posteriorCache
        background.start { shouldStop in
            let began = ContinuousClock.now
            guard let fitted = try? AccuracyModel.fit(sendable.map { ($0.architecture, $0.accuracy) }, encoding: encoding,
                                                      warmStart: warmStart, optimize: true, restarts: restarts, seed: seed,
                                                      noiseFloor: noiseFloor, observationNoise: pointNoise,
                                                      shouldStop: shouldStop),
                  !shouldStop()
            else { return nil }
            let seconds = Self.seconds(since: began)
            // The posterior at the candidates asked so far, for the new hyperparameters, made here
            // rather than by the first ask after the swap.
            return BackgroundRefit.Outcome(kernel: fitted.process.kernel, count: sendable.count, restarted: restarts > 0,
                                           posteriorCache: cache?.prepared(for: fitted.process), seconds: seconds)
        }
    }

    /// Takes the hyperparameters of a finished background search for the fits after it.
    private mutating func swapIn(_ outcome: BackgroundRefit.Outcome) {
        lastOptimized = (outcome.kernel, outcome.count)
        if let prepared = outcome.posteriorCache { posteriorCache = prepared }
        if outcome.restarted { lastRestarted = outcome.count }
        swaps += 1
        fitCount += 1
        fitSeconds += outcome.seconds
    }

    private struct SendablePoint: Sendable {
        var architecture: Architecture
        var accuracy: Double
    }

    private static func seconds(since began: ContinuousClock.Instant) -> Double {
        let elapsed = (ContinuousClock.now - began).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    }
}
