import GaussianProcess
import MobileViT

/// A Gaussian process of top-1 accuracy over the encoded factors of a search space.
///
/// Targets are accuracies in percent; the GP normalises them to zero mean and unit variance
/// internally. The kernel is Matern 5/2 with one length scale per input (ARD), a signal variance
/// and a white-noise variance (training is noisy), fitted by maximising the log marginal likelihood.
public struct AccuracyModel: Sendable {
    public let encoding: FactorEncoding
    public let process: FittedGaussianProcess
    /// Number of observations the model was fitted to (fantasies excluded).
    public let observationCount: Int
    /// When set, predictions come from whitened cross-covariances kept between calls (a study's
    /// asks on the server); they equal the full computation up to rounding.
    public var posteriorCache: PosteriorCache?
    /// The pending architectures' inputs that ``posteriorCache`` conditions on (the believer).
    private var pendingInputs: Matrix?

    /// Bounds that keep a sparse design well posed: inputs live in [0, 1], so length scales
    /// below 0.05 or above 20 carry no information; noise below 1e-6 of the variance is numerical.
    /// A fit's `noiseFloor` (``TrainingNoise``) raises the noise's lower bound above this.
    public static let bounds = KernelBounds(
        signalVariance: 1e-2...1e3,
        lengthScale: 5e-2...1e2,
        noiseVariance: 1e-6...5e-1
    )

    /// Fits a model to `observations` (architecture, accuracy).
    /// - Parameters:
    ///   - warmStart: a previous fit's kernel to start from; with `optimize` false it is used as is.
    ///   - restarts: random restarts of the hyperparameter search, drawn from `seed`.
    ///   - noiseFloor: the smallest noise variance of one training, in points^2
    ///     (``TrainingNoise/floorVariance``); 0 leaves the noise to ``bounds`` alone.
    ///   - observationNoise: nil, or one extra variance per observation in points^2 (0 for a
    ///     result trained in full; a pruned trial's predicted variance for its predicted final).
    /// - Throws: ``GaussianProcessError`` when fewer than 2 observations are given or the fit fails.
    public static func fit(
        _ observations: [(architecture: Architecture, accuracy: Double)],
        encoding: FactorEncoding,
        warmStart: Kernel? = nil,
        optimize: Bool = true,
        restarts: Int = 2,
        seed: UInt64 = 0,
        noiseFloor: Double = 0,
        observationNoise: [Double]? = nil,
        shouldStop: @escaping @Sendable () -> Bool = { false }
    ) throws -> AccuracyModel {
        let x = try encodedMatrix(observations.map(\.architecture), encoding: encoding)
        // A warm start keeps its hyperparameters but not the bounds a previous floor raised.
        var kernel = warmStart ?? Kernel(
            family: .matern52,
            signalVariance: 1,
            lengthScales: Array(repeating: 0.5, count: encoding.names.count),
            noiseVariance: 1e-2,
            bounds: bounds
        )
        kernel.bounds = bounds
        let regressor = GaussianProcessRegressor(
            kernel: kernel, alpha: 1e-10, normalizeTargets: true,
            optimize: optimize, restarts: restarts, seed: seed, noiseFloor: noiseFloor, shouldStop: shouldStop
        )
        let fitted = try regressor.fit(x: x, y: observations.map(\.accuracy), observationNoise: observationNoise)
        return AccuracyModel(encoding: encoding, process: fitted, observationCount: observations.count)
    }

    /// Predictive mean and standard deviation of the latent accuracy (no observation noise).
    public func predict(_ architectures: [Architecture]) -> Prediction {
        predict(encoded: architectures.map(encoding.encode))
    }

    /// The fitted noise variance of one training, in points^2: how far a retraining of an
    /// architecture with another seed is expected to scatter about its latent accuracy.
    public var trainingNoiseVariance: Double { process.noiseVarianceInTargetUnits }

    /// Predictive mean and standard deviation at inputs already encoded with ``encoding`` (one
    /// row per architecture), as ``predict(_:)`` gives them for the architectures.
    func predict(encoded rows: [[Double]]) -> Prediction {
        guard !rows.isEmpty else { return Prediction(mean: [], standardDeviation: []) }
        if let posteriorCache, let cached = posteriorCache.predict(rows: rows, process: process, pending: pendingInputs) {
            return cached
        }
        guard let x = try? Matrix(rowMajor: rows) else { return Prediction(mean: [], standardDeviation: []) }
        if let pendingInputs, let believer = try? conditioned(on: pendingInputs) { return believer.process.predict(x) }
        return process.predict(x)
    }

    /// The model conditioned also on pending architectures, each "observed" at its current
    /// predictive mean (the kriging believer): the mean is unchanged there but the uncertainty
    /// collapses, so the next proposal looks elsewhere.
    public func withFantasies(_ pending: [Architecture]) throws -> AccuracyModel {
        guard !pending.isEmpty else { return self }
        let x = try Self.encodedMatrix(pending, encoding: encoding)
        guard posteriorCache == nil else {
            var believer = self
            believer.pendingInputs = x
            return believer
        }
        return try conditioned(on: x)
    }

    private func conditioned(on x: Matrix) throws -> AccuracyModel {
        let believed = process.predict(x).mean
        let conditioned = try process.conditioned(onAdditional: x, y: believed)
        return AccuracyModel(encoding: encoding, process: conditioned, observationCount: observationCount)
    }

    static func encodedMatrix(_ architectures: [Architecture], encoding: FactorEncoding) throws -> Matrix {
        try Matrix(rowMajor: architectures.map(encoding.encode))
    }
}
