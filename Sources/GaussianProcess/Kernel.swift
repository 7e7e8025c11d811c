import Foundation

/// An ARD stationary kernel times an amplitude, plus an optional white-noise term:
///
///     k(x, x') = s * c(r) + n * [x == x'],   r^2 = sum_k ((x_k - x'_k) / l_k)^2
///
/// with signal variance `s`, correlation `c` of the chosen ``KernelFamily``, length scales `l_k`
/// and noise variance `n` (scikit-learn's `ConstantKernel(s) * Matern(l) + WhiteKernel(n)`).
/// As in scikit-learn, the noise term is added on the diagonal of K(X, X) only, never between
/// two different sets of points.
public struct Kernel: Sendable, Equatable {
    public var family: KernelFamily
    /// The amplitude as a variance, as scikit-learn's `ConstantKernel`.
    public var signalVariance: Double
    /// One length scale per input dimension (automatic relevance determination).
    public var lengthScales: [Double]
    /// White-noise variance; `nil` means no noise term.
    public var noiseVariance: Double?
    public var bounds: KernelBounds

    public init(
        family: KernelFamily = .matern52,
        signalVariance: Double = 1,
        lengthScales: [Double],
        noiseVariance: Double? = nil,
        bounds: KernelBounds = .init()
    ) {
        self.family = family
        self.signalVariance = signalVariance
        self.lengthScales = lengthScales
        self.noiseVariance = noiseVariance
        self.bounds = bounds
    }

    /// The number of input dimensions.
    public var dimensions: Int { lengthScales.count }

    /// log [signal variance, length scales..., noise variance?], scikit-learn's order.
    /// Setting it with the wrong count leaves the kernel unchanged; use ``withTheta(_:)`` to be told.
    public var theta: [Double] {
        get {
            var values = [log(signalVariance)] + lengthScales.map { log($0) }
            if let noiseVariance { values.append(log(noiseVariance)) }
            return values
        }
        set {
            guard let updated = try? withTheta(newValue) else { return }
            self = updated
        }
    }

    /// The kernel with hyperparameters exp(`theta`).
    /// - Throws: ``GaussianProcessError/invalidHyperparameters(_:)`` for a wrong count or a
    ///   non-finite value.
    public func withTheta(_ theta: [Double]) throws(GaussianProcessError) -> Kernel {
        let expected = 1 + dimensions + (noiseVariance == nil ? 0 : 1)
        guard theta.count == expected else {
            throw .invalidHyperparameters("expected \(expected) log-hyperparameters, got \(theta.count)")
        }
        guard theta.allSatisfy(\.isFinite) else {
            throw .invalidHyperparameters("log-hyperparameters must be finite")
        }
        var kernel = self
        kernel.signalVariance = exp(theta[0])
        kernel.lengthScales = theta[1...dimensions].map { exp($0) }
        if noiseVariance != nil { kernel.noiseVariance = exp(theta[dimensions + 1]) }
        return kernel
    }

    /// Bounds on ``theta``, as (lower, upper) logarithms in the same order.
    public var thetaBounds: [(lower: Double, upper: Double)] {
        var result = [(log(bounds.signalVariance.lowerBound), log(bounds.signalVariance.upperBound))]
        let length = (log(bounds.lengthScale.lowerBound), log(bounds.lengthScale.upperBound))
        result += Array(repeating: length, count: dimensions)
        if noiseVariance != nil {
            result.append((log(bounds.noiseVariance.lowerBound), log(bounds.noiseVariance.upperBound)))
        }
        return result.map { (lower: $0.0, upper: $0.1) }
    }

    /// Checks that every hyperparameter is positive and finite and that the bounds are usable.
    func validate() throws(GaussianProcessError) {
        guard !lengthScales.isEmpty else { throw .invalidHyperparameters("at least one length scale is needed") }
        let values = [signalVariance] + lengthScales + (noiseVariance.map { [$0] } ?? [])
        guard values.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw .invalidHyperparameters("signal variance, length scales and noise variance must be positive and finite")
        }
        let limits = [bounds.signalVariance, bounds.lengthScale, bounds.noiseVariance]
        guard limits.allSatisfy({ $0.lowerBound > 0 && $0.upperBound.isFinite }) else {
            throw .invalidHyperparameters("bounds must be positive and finite")
        }
    }

    /// Inputs divided by their length scales, row-major (point i at `i * d ..< (i + 1) * d`), so
    /// that the pair loops read contiguous memory.
    func scaledPoints(_ x: Matrix) -> [Double] {
        let d = dimensions
        var points = [Double](repeating: 0, count: x.rows * d)
        for k in 0..<d {
            let inverse = 1 / lengthScales[k]
            for i in 0..<x.rows { points[i * d + k] = x.storage[i + k * x.rows] * inverse }
        }
        return points
    }

    /// K(X, X) = s c(R) + n I, symmetric, both triangles filled. `x` must have ``dimensions`` columns.
    public func matrix(_ x: Matrix) -> Matrix {
        let n = x.rows
        let d = dimensions
        let points = scaledPoints(x)
        var result = Matrix(zerosRows: n, columns: n)
        let diagonal = signalVariance + (noiseVariance ?? 0)
        result.storage.withUnsafeMutableBufferPointer { k in
            points.withUnsafeBufferPointer { p in
                for j in 0..<n {
                    k[j + j * n] = diagonal
                    for i in (j + 1)..<n {
                        var r2 = 0.0
                        for t in 0..<d {
                            let delta = p[i * d + t] - p[j * d + t]
                            r2 += delta * delta
                        }
                        let value = signalVariance * family.correlation(squaredDistance: r2)
                        k[i + j * n] = value
                        k[j + i * n] = value
                    }
                }
            }
        }
        return result
    }

    /// K(A, B) = s c(R) between the rows of `a` and the rows of `b`, without noise; `a.rows` x `b.rows`.
    public func crossCovariance(_ a: Matrix, _ b: Matrix) -> Matrix {
        let d = dimensions
        let pa = scaledPoints(a)
        let pb = scaledPoints(b)
        var result = Matrix(zerosRows: a.rows, columns: b.rows)
        let rows = a.rows
        result.storage.withUnsafeMutableBufferPointer { k in
            for j in 0..<b.rows {
                for i in 0..<rows {
                    var r2 = 0.0
                    for t in 0..<d {
                        let delta = pa[i * d + t] - pb[j * d + t]
                        r2 += delta * delta
                    }
                    k[i + j * rows] = signalVariance * family.correlation(squaredDistance: r2)
                }
            }
        }
        return result
    }

    /// K(X, X) and dK/d theta_j for every log-hyperparameter, in ``theta`` order:
    /// dK/d log s = s c(R); dK/d log l_k = s g(r) D_k (see ``KernelFamily``); dK/d log n = n I.
    /// This materialises one n x n matrix per hyperparameter; the fit avoids it.
    public func matrixAndGradient(_ x: Matrix) -> (matrix: Matrix, gradient: [Matrix]) {
        let n = x.rows
        let d = dimensions
        let points = scaledPoints(x)
        let k = matrix(x)
        var signal = k
        var lengths = [Matrix](repeating: Matrix(zerosRows: n, columns: n), count: d)
        for j in 0..<n {
            signal[j, j] = signalVariance
            for i in 0..<n where i != j {
                var r2 = 0.0
                for t in 0..<d {
                    let delta = points[i * d + t] - points[j * d + t]
                    r2 += delta * delta
                }
                let g = signalVariance * family.correlationAndFactor(squaredDistance: r2).g
                // Beyond the negligible distance g is 0 and delta may be infinite: leave the 0.
                for t in 0..<d where g != 0 {
                    let delta = points[i * d + t] - points[j * d + t]
                    lengths[t][i, j] = g * delta * delta
                }
            }
        }
        var gradient = [signal] + lengths
        if let noiseVariance {
            var noise = Matrix(zerosRows: n, columns: n)
            for i in 0..<n { noise[i, i] = noiseVariance }
            gradient.append(noise)
        }
        return (k, gradient)
    }
}
