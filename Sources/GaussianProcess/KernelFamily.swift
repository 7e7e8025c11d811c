import Foundation

/// The stationary correlation functions offered, each a function of the scaled distance
/// r = sqrt(sum_k ((x_k - x'_k) / l_k)^2).
public enum KernelFamily: String, CaseIterable, Sendable {
    /// Matern nu = 5/2: (1 + sqrt5 r + 5/3 r^2) exp(-sqrt5 r); twice differentiable samples.
    case matern52
    /// Matern nu = 3/2: (1 + sqrt3 r) exp(-sqrt3 r); once differentiable samples.
    case matern32
    /// Squared exponential: exp(-r^2 / 2); infinitely differentiable samples.
    case rbf

    /// The correlation k(r) and the factor g(r) with dk / d(log l_k) = g(r) * D_k, where
    /// D_k = ((x_k - x'_k) / l_k)^2 (R&W eq. 4.14 and 4.17, differentiated through r).
    ///
    /// Matern 5/2: g = 5/3 (1 + sqrt5 r) exp(-sqrt5 r); Matern 3/2: g = 3 exp(-sqrt3 r);
    /// RBF: g = exp(-r^2 / 2). All are finite at r = 0, where every D_k is 0 as well.
    @inline(__always)
    func correlationAndFactor(squaredDistance r2: Double) -> (k: Double, g: Double) {
        if r2 > Self.negligibleSquaredDistance { return (0, 0) }
        switch self {
        case .matern52:
            let r = (5 * r2).squareRoot()
            let e = exp(-r)
            return ((1 + r + 5.0 / 3.0 * r2) * e, 5.0 / 3.0 * (1 + r) * e)
        case .matern32:
            let r = (3 * r2).squareRoot()
            let e = exp(-r)
            return ((1 + r) * e, 3 * e)
        case .rbf:
            let e = exp(-0.5 * r2)
            return (e, e)
        }
    }

    /// Beyond this squared scaled distance every correlation is below 1e-900 and is exactly 0;
    /// returning 0 early also keeps r = infinity from giving infinity x 0 = NaN in the Matern forms.
    static let negligibleSquaredDistance = 1e6

    /// The correlation k(r) alone; 0 for r^2 beyond ``negligibleSquaredDistance`` (a NaN stays NaN).
    @inline(__always)
    func correlation(squaredDistance r2: Double) -> Double {
        if r2 > Self.negligibleSquaredDistance { return 0 }
        switch self {
        case .matern52:
            let r = (5 * r2).squareRoot()
            return (1 + r + 5.0 / 3.0 * r2) * exp(-r)
        case .matern32:
            let r = (3 * r2).squareRoot()
            return (1 + r) * exp(-r)
        case .rbf:
            return exp(-0.5 * r2)
        }
    }
}
