import Foundation

/// The Cholesky factor L of K(Z, Z) + (alpha + jitter) I over inputs Z that arrive one at a time.
///
/// Appending an input z solves L l = k(Z, z) by forward substitution and adds the row
/// [l^T, sqrt(k(z, z) + alpha + jitter - l^T l)]: O(N^2) instead of refactorising in O(N^3). In
/// exact arithmetic the result is the factor `dpotrf` gives for the same matrix (R&W Algorithm
/// 2.1, line 2). L is stored row by row with a leading dimension `stride` >= N, so one row is
/// contiguous for the substitutions, and the whole of it is, to BLAS, the column-major upper factor
/// L^T. Like every factor here it is never inverted.
struct GrowingCholeskyFactor: Sendable {
    let kernel: Kernel
    /// alpha + jitter, added to the diagonal of K(Z, Z) (which already holds the noise variance).
    let diagonalExtra: Double
    /// N, the inputs factorised so far.
    private(set) var count = 0
    private var stride = 0
    private var lower: [Double] = []
    /// Z divided by the length scales, row-major (input i at `i * d ..< (i + 1) * d`).
    private var scaledInputs: [Double] = []

    /// Bytes held by the factor and the scaled inputs (their capacity, since that is what is allocated).
    var approximateBytes: Int { (lower.capacity + scaledInputs.capacity) * MemoryLayout<Double>.stride }

    init(kernel: Kernel, diagonalExtra: Double) {
        self.kernel = kernel
        self.diagonalExtra = diagonalExtra
    }

    /// `row` divided by the length scales, as ``Kernel/scaledPoints(_:)`` divides.
    func scaled(_ row: [Double]) -> [Double] {
        zip(row, kernel.lengthScales).map { $0 * (1 / $1) }
    }

    /// k(z_i, q) = s c(|z_i - q|) for input i and a scaled point q that is another point than z_i
    /// (no noise term, as ``Kernel/crossCovariance(_:_:)``).
    func covariance(_ i: Int, _ point: [Double]) -> Double {
        let d = point.count
        var r2 = 0.0
        for t in 0..<d {
            let delta = scaledInputs[i * d + t] - point[t]
            r2 += delta * delta
        }
        return kernel.signalVariance * kernel.family.correlation(squaredDistance: r2)
    }

    /// Replaces the factor by the one of `rows`, factorised at once (`dpotrf`).
    /// - Returns: false (the factor is then empty) when the matrix is not positive definite.
    mutating func build(_ rows: [[Double]]) -> Bool {
        count = 0
        lower = []
        scaledInputs = []
        guard let inputs = try? Matrix(rowMajor: rows) else { return false }
        let n = rows.count
        var a = kernel.matrix(inputs).storage
        for i in 0..<n { a[i + i * n] += diagonalExtra }
        guard LinearAlgebra.choleskyInPlace(&a, n: n) else { return false }
        let width = Self.capacity(for: n)
        var factor = [Double](repeating: 0, count: width * width)
        for r in 0..<n {
            for j in 0...r { factor[r * width + j] = a[r + j * n] }
        }
        guard factor.allSatisfy(\.isFinite) else { return false }
        stride = width
        lower = factor
        scaledInputs = rows.flatMap(scaled)
        count = n
        return true
    }

    /// Appends the input `row` (one more row and column of K).
    /// - Returns: false, leaving the factor unchanged, when the extended matrix is not
    ///   numerically positive definite (the new pivot is not positive and finite).
    mutating func append(_ row: [Double]) -> Bool {
        let point = scaled(row)
        var l: [Double] = []
        l.reserveCapacity(count + 1)
        extend(&l) { covariance($0, point) }
        let pivot = kernel.signalVariance + (kernel.noiseVariance ?? 0) + diagonalExtra - l.reduce(0) { $0 + $1 * $1 }
        guard pivot.isFinite, pivot > 0, l.allSatisfy(\.isFinite) else { return false }
        reserve(count + 1)
        let base = count * stride
        for j in 0..<count { lower[base + j] = l[j] }
        lower[base + count] = pivot.squareRoot()
        scaledInputs += point
        count += 1
        return true
    }

    /// Continues the forward substitution of L x = b: `x` holds the first `x.count` entries of
    /// the solution, and entries `x.count ..< count` are appended, b_r coming from `rightHandSide(r)`.
    func extend(_ x: inout [Double], rightHandSide: (Int) -> Double) {
        let start = x.count
        guard start < count else { return }
        x.reserveCapacity(count)
        lower.withUnsafeBufferPointer { l in
            for r in start..<count {
                let base = r * stride
                var dot = 0.0
                x.withUnsafeBufferPointer { solved in
                    for j in 0..<r { dot += l[base + j] * solved[j] }
                }
                x.append((rightHandSide(r) - dot) / l[base + r])
            }
        }
    }

    /// Solves L V = B in place for the `m` columns of the column-major N x m matrix `b` (`dtrsm`).
    func solve(_ b: inout [Double], columns m: Int) {
        LinearAlgebra.rowMajorLowerTriangularSolveInPlace(lower, n: count, stride: stride, &b, m: m)
    }

    /// Room for `n` rows, keeping the factor; the room grows by a quarter at a time.
    private mutating func reserve(_ n: Int) {
        guard n > stride else { return }
        let width = Self.capacity(for: n)
        var grown = [Double](repeating: 0, count: width * width)
        for r in 0..<count {
            for j in 0...r { grown[r * width + j] = lower[r * stride + j] }
        }
        lower = grown
        stride = width
    }

    private static func capacity(for n: Int) -> Int { n + max(32, n / 4) }
}
