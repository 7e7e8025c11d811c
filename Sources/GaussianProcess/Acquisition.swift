import Foundation

/// Acquisition functions for maximising a target modelled by a Gaussian process with predictive
/// mean mu and standard deviation sigma. With z = (mu - best - xi) / sigma:
///
/// - expected improvement EI = E[max(f - best - xi, 0)] = sigma h(z), h(z) = phi(z) + z Phi(z);
/// - probability of improvement PI = Phi(z);
/// - upper confidence bound UCB = mu + sqrt(beta) sigma (Srinivas et al. 2010's GP-UCB form).
///
/// With sigma = 0 the improvement is deterministic: EI = max(mu - best - xi, 0), PI is 1 when
/// mu > best + xi and 0 otherwise. Non-finite inputs give NaN.
public enum Acquisition {
    /// log EI, accurate far in the lower tail where EI underflows (Ament et al. 2023, "Unexpected
    /// improvements to expected improvement"): log h(z) is computed directly for z > -1, as
    /// -z^2/2 - log(2 pi)/2 + log1p(z Phi(z)/phi(z)) for -26 < z <= -1 (Phi/phi from erfc), and from
    /// the asymptotic series h(z) = phi(z) z^-2 (1 - 3 z^-2 + 15 z^-4 - ...) for z <= -26.
    /// Returns -infinity when the improvement is certainly 0 (sigma = 0 and mu <= best + xi).
    public static func logExpectedImprovement(mean: Double, standardDeviation: Double, best: Double, xi: Double = 0) -> Double {
        let improvement = mean - best - xi
        guard standardDeviation > 0 else {
            return improvement > 0 ? log(improvement) : (improvement.isNaN || standardDeviation.isNaN ? .nan : -.infinity)
        }
        return log(standardDeviation) + logH(improvement / standardDeviation)
    }

    /// EI itself; underflows to 0 far in the tail (use ``logExpectedImprovement(mean:standardDeviation:best:xi:)`` to rank there).
    public static func expectedImprovement(mean: Double, standardDeviation: Double, best: Double, xi: Double = 0) -> Double {
        let improvement = mean - best - xi
        guard standardDeviation > 0 else {
            return standardDeviation.isNaN ? .nan : max(improvement, 0)
        }
        let z = improvement / standardDeviation
        if z > -1 { return standardDeviation * (density(z) + z * cumulative(z)) }
        return exp(log(standardDeviation) + logH(z))
    }

    /// mu + sqrt(beta) sigma; `beta` must be non-negative (a negative one gives NaN).
    public static func upperConfidenceBound(mean: Double, standardDeviation: Double, beta: Double) -> Double {
        mean + beta.squareRoot() * standardDeviation
    }

    /// Phi((mu - best - xi) / sigma).
    public static func probabilityOfImprovement(mean: Double, standardDeviation: Double, best: Double, xi: Double = 0) -> Double {
        let improvement = mean - best - xi
        guard standardDeviation > 0 else {
            if improvement.isNaN || standardDeviation.isNaN { return .nan }
            return improvement > 0 ? 1 : 0
        }
        return cumulative(improvement / standardDeviation)
    }

    /// log Phi(z), the log of the standard normal distribution function, finite far into the
    /// lower tail (for z < -30, log phi(z) - log(-z) + log(1 - 1/z^2 + 3/z^4), the asymptotic
    /// series of Mills' ratio, where Phi itself underflows); NaN for NaN.
    public static func logCumulative(_ z: Double) -> Double {
        if z.isNaN { return .nan }
        if z >= -30 { return log(cumulative(z)) }
        let inverseSquare = 1 / (z * z)
        return -0.5 * z * z - 0.5 * log(2 * Double.pi) - log(-z) + log(1 - inverseSquare + 3 * inverseSquare * inverseSquare)
    }

    static func density(_ z: Double) -> Double { exp(-0.5 * z * z) / (2 * Double.pi).squareRoot() }

    static func cumulative(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// log(phi(z) + z Phi(z)).
    static func logH(_ z: Double) -> Double {
        if z.isNaN { return .nan }
        if z > -1 { return log(density(z) + z * cumulative(z)) }
        let logDensityAtZ = -0.5 * z * z - 0.5 * log(2 * Double.pi)
        if z > -26 {
            // Phi(z) / phi(z) = sqrt(pi/2) erfcx(-z / sqrt 2), formed without underflow for z > -26.
            let ratio = 0.5 * erfc(-z / 2.0.squareRoot()) * (2 * Double.pi).squareRoot() * exp(0.5 * z * z)
            return logDensityAtZ + log1p(z * ratio)
        }
        let inverseSquare = 1 / (z * z)
        var series = 0.0
        var term = 1.0
        for k in 0..<8 {
            series += term
            term *= -Double(2 * k + 3) * inverseSquare
        }
        return logDensityAtZ - 2 * log(-z) + log(series)
    }
}
