import Foundation

/// The Cholesky factor of K(X, X) + (alpha + jitter) I and the weights K^-1 y of R&W
/// Algorithm 2.1, for one kernel, one set of inputs and normalised targets.
struct CholeskyFactor: Sendable {
    /// n x n column-major; L in the lower triangle (the strict upper triangle holds K).
    var lower: [Double]
    /// alpha = K^-1 y (R&W Algorithm 2.1 line 3), by `dpotrs`.
    var weights: [Double]
    /// Extra diagonal jitter that made the factorisation succeed; 0 when none was needed.
    var jitter: Double
    /// log p(y | X) = -y^T alpha / 2 - sum_i log L_ii - n/2 log 2 pi (R&W eq. 2.30, Algorithm 2.1).
    var logMarginalLikelihood: Double

    var count: Int { weights.count }

    /// Factorises K + alpha I + diag(observationNoise) (the last, when given, one variance per
    /// input row, as scikit-learn's array `alpha`). With `escalate`, a failed factorisation is
    /// retried with extra jitter 1e-10, 1e-9, ... up to 1e-2 times the mean diagonal of K before giving up.
    /// - Returns: `nil` when K is not positive definite and `escalate` is false.
    /// - Throws: ``GaussianProcessError/notPositiveDefinite(jitter:)`` when escalation fails too.
    static func make(kernel: Kernel, x: Matrix, y: [Double], alpha: Double, observationNoise: [Double]? = nil,
                     escalate: Bool) throws(GaussianProcessError) -> CholeskyFactor? {
        let n = x.rows
        var a = kernel.matrix(x).storage
        var diagonal = [Double](repeating: 0, count: n)
        for i in 0..<n {
            a[i + i * n] += alpha + (observationNoise?[i] ?? 0)
            diagonal[i] = a[i + i * n]
        }
        var jitter = 0.0
        let meanDiagonal = diagonal.reduce(0, +) / Double(max(n, 1))
        var factored = LinearAlgebra.choleskyInPlace(&a, n: n)
        if !factored {
            guard escalate else { return nil }
            jitter = 1e-10 * meanDiagonal
            while !factored {
                guard jitter <= 1e-2 * meanDiagonal * (1 + 1e-12) else {
                    throw .notPositiveDefinite(jitter: jitter / 10)
                }
                // dpotrf touched only the lower triangle: restore it from the upper one.
                for j in 0..<n {
                    a[j + j * n] = diagonal[j] + jitter
                    for i in (j + 1)..<n { a[i + j * n] = a[j + i * n] }
                }
                factored = LinearAlgebra.choleskyInPlace(&a, n: n)
                if !factored { jitter *= 10 }
            }
        }
        var weights = y
        LinearAlgebra.choleskySolveInPlace(a, n: n, &weights, nrhs: 1)
        var logDeterminantHalf = 0.0
        var fit = 0.0
        for i in 0..<n {
            logDeterminantHalf += log(a[i + i * n])
            fit += y[i] * weights[i]
        }
        let value = -0.5 * fit - logDeterminantHalf - 0.5 * Double(n) * log(2 * Double.pi)
        guard value.isFinite, weights.allSatisfy(\.isFinite) else {
            if escalate { throw .notPositiveDefinite(jitter: jitter) }
            return nil
        }
        return CholeskyFactor(lower: a, weights: weights, jitter: jitter, logMarginalLikelihood: value)
    }

    /// The gradient of the log marginal likelihood with respect to the kernel's theta (R&W eq. 5.9):
    ///
    ///     d log p / d theta_j = 1/2 tr((alpha alpha^T - K^-1) dK/d theta_j)
    ///
    /// Destroys the factor: `dpotri` turns L into the lower triangle of K^-1. That explicit inverse
    /// is needed because eq. 5.9 takes its elementwise product with each dK/d theta_j; no system is
    /// solved with it. The sum runs once over the lower triangle, accumulating every
    /// hyperparameter together, in O(n^2 d) time without forming the d gradient matrices.
    mutating func destructiveGradient(kernel: Kernel, x: Matrix) -> [Double]? {
        let n = count
        let d = kernel.dimensions
        let inverted = LinearAlgebra.inverseFromCholeskyInPlace(&lower, n: n)
        guard inverted else { return nil }
        let points = kernel.scaledPoints(x)
        let family = kernel.family
        var signalSum = 0.0
        var traceSum = 0.0
        var lengthSums = [Double](repeating: 0, count: d)
        let w = weights
        lower.withUnsafeBufferPointer { inverse in
            points.withUnsafeBufferPointer { p in
                lengthSums.withUnsafeMutableBufferPointer { sums in
                    for j in 0..<n {
                        let diagonalTerm = w[j] * w[j] - inverse[j + j * n]
                        signalSum += diagonalTerm  // c(0) = 1; length-scale terms vanish at r = 0
                        traceSum += diagonalTerm
                        let pj = j * d
                        for i in (j + 1)..<n {
                            let twiceW = 2 * (w[i] * w[j] - inverse[i + j * n])
                            let pi = i * d
                            var r2 = 0.0
                            for t in 0..<d {
                                let delta = p[pi + t] - p[pj + t]
                                r2 += delta * delta
                            }
                            let (c, g) = family.correlationAndFactor(squaredDistance: r2)
                            signalSum += twiceW * c
                            let weight = twiceW * g
                            // g is exactly 0 beyond the negligible distance, where delta may be
                            // infinite: skip rather than form 0 x infinity.
                            for t in 0..<d where weight != 0 {
                                let delta = p[pi + t] - p[pj + t]
                                sums[t] += weight * delta * delta
                            }
                        }
                    }
                }
            }
        }
        var gradient = [0.5 * kernel.signalVariance * signalSum]
        gradient += lengthSums.map { 0.5 * kernel.signalVariance * $0 }
        if let noise = kernel.noiseVariance { gradient.append(0.5 * noise * traceSum) }
        return gradient.allSatisfy(\.isFinite) ? gradient : nil
    }
}
