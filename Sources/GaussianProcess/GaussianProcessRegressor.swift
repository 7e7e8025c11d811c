import Foundation

/// Exact Gaussian-process regression (Rasmussen & Williams, Algorithm 2.1) with hyperparameters
/// fitted by maximising the log marginal likelihood, as scikit-learn's `GaussianProcessRegressor`.
///
/// Targets are normalised to zero mean and unit population standard deviation (a constant target
/// keeps scale 1); `alpha` is added to the diagonal of K in those normalised units. With
/// `optimize`, the log-hyperparameters are fitted by a bounded quasi-Newton method from the
/// kernel's own values (clamped into its bounds) and from `restarts` further starts drawn
/// log-uniformly within the bounds by `SplitMix64(seed)`; the best log marginal likelihood wins.
/// `shouldStop`, polled before each start and each quasi-Newton iteration, ends the search early
/// with the best hyperparameters found so far (a caller that stops it discards the fit).
/// At most ``maximumTrainingPoints`` points are accepted.
///
/// `noiseFloor` is the smallest white-noise variance the fit may settle on, in the targets' own
/// units squared. Maximum likelihood on a few points can explain every difference as signal
/// and drive the noise to its lower bound, which makes the process claim a precision that
/// repeated measurements do not have. The floor is applied as scikit-learn applies any bound: the
/// lower end of the kernel's noise bound becomes max(bound, noiseFloor / scale^2) in normalised
/// units (scale: the targets' normalisation), the upper end is raised to it when it was lower,
/// and the noise variance starts from within the new bound; the same fit in scikit-learn is a
/// `WhiteKernel` whose `noise_level_bounds` start there.
public struct GaussianProcessRegressor: Sendable {
    /// The most training points a fit accepts: K and its factor take 8 n^2 bytes each (200 MB at
    /// the limit) and the fit costs n^3; larger data needs a subsample.
    public static let maximumTrainingPoints = 5_000

    public var kernel: Kernel
    public var alpha: Double
    public var normalizeTargets: Bool
    public var optimize: Bool
    public var restarts: Int
    public var seed: UInt64
    /// The smallest noise variance, in the targets' units squared (0: the kernel's bounds alone).
    public var noiseFloor: Double
    public var shouldStop: @Sendable () -> Bool

    public init(kernel: Kernel, alpha: Double = 1e-10, normalizeTargets: Bool = true,
                optimize: Bool = true, restarts: Int = 0, seed: UInt64 = 0, noiseFloor: Double = 0,
                shouldStop: @escaping @Sendable () -> Bool = { false }) {
        self.kernel = kernel
        self.alpha = alpha
        self.normalizeTargets = normalizeTargets
        self.optimize = optimize
        self.restarts = restarts
        self.seed = seed
        self.noiseFloor = noiseFloor
        self.shouldStop = shouldStop
    }

    /// Fits the process to the rows of `x` (points) and targets `y`.
    ///
    /// `observationNoise`, when given, holds one variance per point in the targets' units squared,
    /// added to that point's diagonal of K on top of the kernel's own noise (scikit-learn's
    /// `alpha` given as an array; R&W section 2.2 with Sigma_n = diag(noise)): a point known less
    /// precisely than one observation, such as a final result predicted from a partial curve,
    /// pulls the posterior less. It is not fitted, and it follows the targets' normalisation.
    /// - Throws: ``GaussianProcessError`` for fewer than 2 points, mismatched sizes, non-finite
    ///   values, a negative observation noise, invalid hyperparameters (a negative or non-finite
    ///   noise floor, or a positive one for a kernel without a noise term), or a kernel matrix
    ///   that no jitter makes positive definite.
    public func fit(x: Matrix, y: [Double], observationNoise: [Double]? = nil) throws(GaussianProcessError)
        -> FittedGaussianProcess {
        try kernel.validate()
        guard x.rows >= 2 else { throw .tooFewPoints(x.rows) }
        guard x.rows <= Self.maximumTrainingPoints else { throw .tooManyPoints(x.rows, limit: Self.maximumTrainingPoints) }
        guard x.columns == kernel.dimensions else {
            throw .dimensionMismatch(expected: kernel.dimensions, actual: x.columns)
        }
        guard y.count == x.rows else {
            throw .invalidShape("\(x.rows) input rows but \(y.count) targets")
        }
        guard x.isFinite else { throw .nonFinite("training inputs") }
        guard y.allSatisfy(\.isFinite) else { throw .nonFinite("training targets") }
        guard alpha.isFinite, alpha >= 0 else { throw .nonFinite("alpha (a non-negative diagonal term)") }
        guard restarts >= 0 else { throw .invalidHyperparameters("restarts must be 0 or more") }
        guard noiseFloor.isFinite, noiseFloor >= 0 else {
            throw .invalidHyperparameters("the noise floor must be a finite variance of 0 or more")
        }
        guard noiseFloor == 0 || kernel.noiseVariance != nil else {
            throw .invalidHyperparameters("a noise floor needs a kernel with a noise term")
        }
        if let observationNoise {
            guard observationNoise.count == x.rows else {
                throw .invalidShape("\(x.rows) input rows but \(observationNoise.count) observation noise variances")
            }
            guard observationNoise.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
                throw .nonFinite("observation noise (a finite variance of 0 or more per point)")
            }
        }

        let normalisation = TargetNormalisation(y, enabled: normalizeTargets)
        let targets = y.map(normalisation.normalise)
        let noise = observationNoise.map { $0.map { $0 / (normalisation.scale * normalisation.scale) } }
        var fitted = Self.floored(kernel, noiseVariance: noiseFloor / (normalisation.scale * normalisation.scale))
        if optimize {
            fitted = try optimisedKernel(fitted, x: x, y: targets, observationNoise: noise)
        }
        guard let factor = try CholeskyFactor.make(kernel: fitted, x: x, y: targets, alpha: alpha, observationNoise: noise,
                                                   escalate: true) else {
            throw .notPositiveDefinite(jitter: 0)
        }
        return FittedGaussianProcess(kernel: fitted, alpha: alpha, normalisation: normalisation,
                                     trainingInputs: x, trainingTargets: y, factor: factor, observationNoise: noise)
    }

    /// `kernel` with its noise bound starting at `floor` (normalised units) or above, and its
    /// noise variance within that bound; unchanged for a floor of 0 or a kernel without noise.
    static func floored(_ kernel: Kernel, noiseVariance floor: Double) -> Kernel {
        guard floor > 0, let noise = kernel.noiseVariance else { return kernel }
        var result = kernel
        let lower = max(kernel.bounds.noiseVariance.lowerBound, floor)
        let upper = max(kernel.bounds.noiseVariance.upperBound, lower)
        result.bounds.noiseVariance = lower...upper
        result.noiseVariance = min(max(noise, lower), upper)
        return result
    }

    /// The kernel whose theta maximises the log marginal likelihood over all starts from `kernel`.
    private func optimisedKernel(_ kernel: Kernel, x: Matrix, y: [Double], observationNoise: [Double]?)
        throws(GaussianProcessError) -> Kernel {
        let bounds = kernel.thetaBounds
        let lower = bounds.map(\.lower)
        let upper = bounds.map(\.upper)
        var starts = [kernel.theta]
        var generator = SplitMix64(seed: seed)
        for _ in 0..<restarts {
            starts.append(bounds.map { $0.lower + ($0.upper - $0.lower) * generator.nextUnit() })
        }
        let template = kernel
        let alpha = alpha
        let objective: ([Double]) -> (value: Double, gradient: [Double])? = { theta in
            guard let candidate = try? template.withTheta(theta),
                  var factor = (try? CholeskyFactor.make(kernel: candidate, x: x, y: y, alpha: alpha,
                                                         observationNoise: observationNoise, escalate: false)) ?? nil
            else { return nil }
            let value = factor.logMarginalLikelihood
            guard let gradient = factor.destructiveGradient(kernel: candidate, x: x) else { return nil }
            return (-value, gradient.map { -$0 })
        }
        var best: BoundedQuasiNewton.Result?
        for start in starts where !shouldStop() {
            guard let result = BoundedQuasiNewton().minimise(start: start, lower: lower, upper: upper,
                                                             shouldStop: shouldStop, objective: objective)
            else { continue }
            if best.map({ result.value < $0.value }) ?? true { best = result }
        }
        guard let best else {
            // No start gave a positive-definite K: fall back to the given kernel; the final
            // factorisation escalates jitter or reports the failure.
            return kernel
        }
        return try kernel.withTheta(best.x)
    }
}

/// y -> (y - mean) / scale with the population standard deviation as scale (1 when it is 0).
struct TargetNormalisation: Sendable, Equatable {
    var mean: Double
    var scale: Double

    init(_ y: [Double], enabled: Bool) {
        guard enabled, !y.isEmpty else {
            mean = 0
            scale = 1
            return
        }
        let count = Double(y.count)
        let mean = y.reduce(0, +) / count
        let variance = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / count
        let deviation = variance.squareRoot()
        self.mean = mean
        // As scikit-learn: a scale below 10 machine epsilons counts as no spread at all.
        self.scale = deviation < 10 * Double.ulpOfOne ? 1 : deviation
    }

    func normalise(_ value: Double) -> Double { (value - mean) / scale }
}
