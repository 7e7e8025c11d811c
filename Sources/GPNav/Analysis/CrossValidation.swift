import Foundation
import GaussianProcess

/// Leave-one-out cross-validation of a fitted Gaussian process, from its one factorisation.
///
/// With mu_i and sigma_i the leave-one-out predictive mean and standard deviation of observation
/// y_i (R&W eq. 5.12, ``GaussianProcess/FittedGaussianProcess/leaveOneOut()``; sigma_i includes
/// the noise, so it is the spread of a new observation), the log predictive density of y_i is
/// (R&W eq. 5.10)
///
///     log p(y_i | X, y_-i, theta) = -1/2 log(2 pi sigma_i^2) - (y_i - mu_i)^2 / (2 sigma_i^2)
///
/// and L_LOO is its sum over the n observations (R&W eq. 5.11); higher is better. The RMSE is
/// sqrt(1/n sum (y_i - mu_i)^2) in accuracy points. Hyperparameters stay those fitted to all n
/// observations, as in R&W section 5.4.2.
public struct CrossValidation: Sendable, Equatable, Codable {
    /// Number of observations left out in turn.
    public var observationCount: Int
    /// Root mean square leave-one-out error, in accuracy points.
    public var rmse: Double
    /// L_LOO, the summed log predictive density (R&W eq. 5.11).
    public var logPredictiveDensity: Double

    /// L_LOO / n, comparable across studies of different sizes.
    public var meanLogPredictiveDensity: Double { logPredictiveDensity / Double(observationCount) }

    public init(observationCount: Int, rmse: Double, logPredictiveDensity: Double) {
        self.observationCount = observationCount
        self.rmse = rmse
        self.logPredictiveDensity = logPredictiveDensity
    }

    /// The leave-one-out scores of `process` on its own training data.
    /// - Throws: ``FactorAnalysisError/nonFinite(_:)`` when the factorisation cannot be inverted
    ///   or a score is not finite.
    public init(_ process: FittedGaussianProcess) throws(FactorAnalysisError) {
        let loo = process.leaveOneOut()
        let y = process.trainingTargets
        guard loo.mean.count == y.count, !y.isEmpty else {
            throw .nonFinite("leave-one-out predictions (the kernel matrix could not be inverted)")
        }
        var squares = 0.0
        var density = 0.0
        for i in y.indices {
            let residual = y[i] - loo.mean[i]
            let variance = loo.standardDeviation[i] * loo.standardDeviation[i]
            guard variance > 0 else { throw .nonFinite("leave-one-out variance of observation \(i + 1)") }
            squares += residual * residual
            density += -0.5 * log(2 * Double.pi * variance) - residual * residual / (2 * variance)
        }
        let rmse = (squares / Double(y.count)).squareRoot()
        guard rmse.isFinite, density.isFinite else { throw .nonFinite("leave-one-out scores") }
        self.init(observationCount: y.count, rmse: rmse, logPredictiveDensity: density)
    }

    private enum CodingKeys: String, CodingKey {
        case observationCount = "observation_count", rmse, logPredictiveDensity = "log_predictive_density"
    }
}
