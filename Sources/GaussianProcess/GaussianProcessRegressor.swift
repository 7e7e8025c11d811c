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
    public var shouldStop: @Sendable () -> Bool

    public init(kernel: Kernel, alpha: Double = 1e-10, normalizeTargets: Bool = true,
                optimize: Bool = true, restarts: Int = 0, seed: UInt64 = 0,
                shouldStop: @escaping @Sendable () -> Bool = { false }) {
        self.kernel = kernel
        self.alpha = alpha
        self.normalizeTargets = normalizeTargets
        self.optimize = optimize
        self.restarts = restarts
        self.seed = seed
        self.shouldStop = shouldStop
    }

    /// Fits the process to the rows of `x` (points) and targets `y`.
    /// - Throws: ``GaussianProcessError`` for fewer than 2 points, mismatched sizes, non-finite
    ///   values, invalid hyperparameters, or a kernel matrix that no jitter makes positive definite.
    public func fit(x: Matrix, y: [Double]) throws(GaussianProcessError) -> FittedGaussianProcess {
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

        let normalisation = TargetNormalisation(y, enabled: normalizeTargets)
        let targets = y.map(normalisation.normalise)
        var fitted = kernel
        if optimize {
            fitted = try optimisedKernel(x: x, y: targets)
        }
        guard let factor = try CholeskyFactor.make(kernel: fitted, x: x, y: targets, alpha: alpha, escalate: true) else {
            throw .notPositiveDefinite(jitter: 0)
        }
        return FittedGaussianProcess(kernel: fitted, alpha: alpha, normalisation: normalisation,
                                     trainingInputs: x, trainingTargets: y, factor: factor)
    }

    /// The kernel whose theta maximises the log marginal likelihood over all starts.
    private func optimisedKernel(x: Matrix, y: [Double]) throws(GaussianProcessError) -> Kernel {
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
                  var factor = (try? CholeskyFactor.make(kernel: candidate, x: x, y: y, alpha: alpha, escalate: false)) ?? nil
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
