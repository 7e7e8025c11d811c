import Foundation

/// A Gaussian process conditioned on training data, ready to predict.
public struct FittedGaussianProcess: Sendable {
    /// The kernel with its fitted hyperparameters (in normalised target units).
    public let kernel: Kernel
    /// log p(y | X, theta) of the normalised targets (scikit-learn's `log_marginal_likelihood_value_`),
    /// with K = K(X, X) + alpha I (+ ``jitter`` I in the rare case that escalation was needed).
    public let logMarginalLikelihood: Double
    public let trainingInputs: Matrix
    /// The targets in their original units.
    public let trainingTargets: [Double]
    /// Diagonal jitter added beyond `alpha` so that K could be factorised; usually 0.
    public var jitter: Double { factor.jitter }
    /// Mean and scale used to normalise the targets.
    public var targetMean: Double { normalisation.mean }
    public var targetScale: Double { normalisation.scale }
    /// The fitted white-noise variance in the targets' units squared (0 without a noise term):
    /// how far one observation scatters about the latent function.
    public var noiseVarianceInTargetUnits: Double {
        (kernel.noiseVariance ?? 0) * normalisation.scale * normalisation.scale
    }

    let alpha: Double
    let normalisation: TargetNormalisation
    let factor: CholeskyFactor
    /// Each training point's own extra noise variance in normalised units; nil when none has one
    /// (``GaussianProcessRegressor/fit(x:y:observationNoise:)``).
    let observationNoise: [Double]?

    init(kernel: Kernel, alpha: Double, normalisation: TargetNormalisation,
         trainingInputs: Matrix, trainingTargets: [Double], factor: CholeskyFactor, observationNoise: [Double]? = nil) {
        self.kernel = kernel
        self.alpha = alpha
        self.observationNoise = observationNoise
        self.normalisation = normalisation
        self.trainingInputs = trainingInputs
        self.trainingTargets = trainingTargets
        self.factor = factor
        self.logMarginalLikelihood = factor.logMarginalLikelihood
    }

    /// Predictive mean and standard deviation at the rows of `x`, in the targets' units
    /// (R&W Algorithm 2.1): mean = k*^T alpha, var = k(x*, x*) - v^T v with v = L \ k*, where one
    /// triangular solve handles the whole batch. Negative variances from rounding are clamped
    /// to 0. `includeNoise` adds the kernel's white-noise variance (the variance of a new
    /// observation rather than of the latent function).
    ///
    /// `x` must have as many columns as the training inputs; otherwise the result is empty.
    public func predict(_ x: Matrix, includeNoise: Bool = false) -> Prediction {
        guard x.columns == trainingInputs.columns else { return Prediction(mean: [], standardDeviation: []) }
        let n = trainingInputs.rows
        let m = x.rows
        var cross = kernel.crossCovariance(trainingInputs, x).storage
        let normalisedMean = LinearAlgebra.transposeTimes(cross, n: n, m: m, factor.weights)
        LinearAlgebra.lowerTriangularSolveInPlace(factor.lower, n: n, &cross, m: m)
        let prior = kernel.signalVariance + (includeNoise ? kernel.noiseVariance ?? 0 : 0)
        var mean = [Double](repeating: 0, count: m)
        var deviation = [Double](repeating: 0, count: m)
        for j in 0..<m {
            var explained = 0.0
            for i in 0..<n { explained += cross[i + j * n] * cross[i + j * n] }
            let variance = max(prior - explained, 0)
            mean[j] = normalisedMean[j] * normalisation.scale + normalisation.mean
            deviation[j] = variance.squareRoot() * normalisation.scale
        }
        return Prediction(mean: mean, standardDeviation: deviation)
    }

    /// ``predict(_:includeNoise:)`` for inputs from outside: every query value must be finite and
    /// every mean and standard deviation returned is finite.
    /// - Throws: ``GaussianProcessError/dimensionMismatch(expected:actual:)``,
    ///   ``GaussianProcessError/nonFinite(_:)`` for a NaN or infinite query, and
    ///   ``GaussianProcessError/nonFinitePrediction(row:)`` for a row whose result is not finite.
    public func checkedPrediction(_ x: Matrix, includeNoise: Bool = false) throws(GaussianProcessError) -> Prediction {
        guard x.columns == trainingInputs.columns else {
            throw .dimensionMismatch(expected: trainingInputs.columns, actual: x.columns)
        }
        guard x.isFinite else { throw .nonFinite("query inputs") }
        // In blocks of rows, so that the n x m cross-covariance stays bounded whatever m is.
        let block = max(1, Self.crossCovarianceBudget / max(trainingInputs.rows, 1))
        var prediction = Prediction(mean: [], standardDeviation: [])
        var start = 0
        while start < x.rows {
            let end = min(start + block, x.rows)
            let rows = start == 0 && end == x.rows ? x : try Self.rows(start..<end, of: x)
            let part = predict(rows, includeNoise: includeNoise)
            for row in 0..<(end - start) where !(part.mean[row].isFinite && part.standardDeviation[row].isFinite) {
                throw .nonFinitePrediction(row: start + row + 1)
            }
            prediction.mean += part.mean
            prediction.standardDeviation += part.standardDeviation
            start = end
        }
        return prediction
    }

    /// Entries of one cross-covariance block in ``checkedPrediction(_:includeNoise:)`` (32 MB).
    static let crossCovarianceBudget = 4_000_000

    /// The rows `range` of `x`, as a matrix of their own.
    static func rows(_ range: Range<Int>, of x: Matrix) throws(GaussianProcessError) -> Matrix {
        var storage = [Double]()
        storage.reserveCapacity(range.count * x.columns)
        for column in 0..<x.columns {
            storage += x.storage[(column * x.rows + range.lowerBound)..<(column * x.rows + range.upperBound)]
        }
        return try Matrix(rows: range.count, columns: x.columns, storage: storage)
    }

    /// The log marginal likelihood of the training data (normalised targets) at another `theta`
    /// and its gradient (R&W eq. 5.9), without refitting; jitter escalates as in the fit.
    public func logMarginalLikelihoodAndGradient(theta: [Double]) throws(GaussianProcessError) -> (value: Double, gradient: [Double]) {
        let candidate = try kernel.withTheta(theta)
        let targets = trainingTargets.map(normalisation.normalise)
        guard var factor = try CholeskyFactor.make(kernel: candidate, x: trainingInputs, y: targets, alpha: alpha,
                                                   observationNoise: observationNoise, escalate: true)
        else { throw .notPositiveDefinite(jitter: 0) }
        let value = factor.logMarginalLikelihood
        guard let gradient = factor.destructiveGradient(kernel: candidate, x: trainingInputs) else {
            throw .nonFinite("the log marginal likelihood gradient")
        }
        return (value, gradient)
    }

    /// The same hyperparameters and target normalisation, conditioned also on the rows of `x`
    /// with targets `y` (original units), each with the kernel's noise only; used to fantasise
    /// pending evaluations.
    public func conditioned(onAdditional x: Matrix, y: [Double]) throws(GaussianProcessError) -> FittedGaussianProcess {
        guard x.columns == trainingInputs.columns else {
            throw .dimensionMismatch(expected: trainingInputs.columns, actual: x.columns)
        }
        guard y.count == x.rows else { throw .invalidShape("\(x.rows) input rows but \(y.count) targets") }
        guard x.isFinite else { throw .nonFinite("additional inputs") }
        guard y.allSatisfy(\.isFinite) else { throw .nonFinite("additional targets") }
        let inputs = trainingInputs.appendingRows(of: x)
        let targets = trainingTargets + y
        let noise = observationNoise.map { $0 + Array(repeating: 0, count: x.rows) }
        guard let factor = try CholeskyFactor.make(kernel: kernel, x: inputs, y: targets.map(normalisation.normalise),
                                                   alpha: alpha, observationNoise: noise, escalate: true)
        else { throw .notPositiveDefinite(jitter: 0) }
        return FittedGaussianProcess(kernel: kernel, alpha: alpha, normalisation: normalisation,
                                     trainingInputs: inputs, trainingTargets: targets, factor: factor,
                                     observationNoise: noise)
    }

    /// Leave-one-out predictive means and standard deviations of the training targets from the one
    /// factorisation (R&W eq. 5.12): mu_i = y_i - [K^-1 y]_i / [K^-1]_ii, sigma_i^2 = 1 / [K^-1]_ii,
    /// in original units. K includes the noise term and alpha, so sigma is that of an observation.
    /// The diagonal of K^-1 comes from `dpotri`.
    public func leaveOneOut() -> Prediction {
        let n = trainingInputs.rows
        var inverse = factor.lower
        guard LinearAlgebra.inverseFromCholeskyInPlace(&inverse, n: n) else {
            return Prediction(mean: [], standardDeviation: [])
        }
        var mean = [Double](repeating: 0, count: n)
        var deviation = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let precision = inverse[i + i * n]
            let normalised = normalisation.normalise(trainingTargets[i]) - factor.weights[i] / precision
            mean[i] = normalised * normalisation.scale + normalisation.mean
            deviation[i] = (1 / precision).squareRoot() * normalisation.scale
        }
        return Prediction(mean: mean, standardDeviation: deviation)
    }
}
