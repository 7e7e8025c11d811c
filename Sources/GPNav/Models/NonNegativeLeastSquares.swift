/// Non-negative least squares: the x >= 0 that minimises ||A x - b||_2 for an m x n matrix A.
///
/// Lawson and Hanson's active-set method (Solving Least Squares Problems, 1974, chapter 23,
/// algorithm NNLS). Variables move from the zero set Z to the positive set P one at a time,
/// the one whose gradient w = A^T (b - A x) is largest; each step solves the unconstrained
/// problem on P's columns with a Householder QR factorisation (never the normal equations, never
/// an inverse) and, when that solution leaves P's box, steps back to its boundary and drops the
/// variables that reached 0. At the end x satisfies the Karush-Kuhn-Tucker conditions: x >= 0,
/// w_j <= tolerance where x_j = 0, and |w_j| <= tolerance where x_j > 0.
///
/// Columns are scaled to unit largest entry before solving (the result is scaled back), so that
/// features in MACs and features in counts weigh alike. A column that is (numerically) a
/// combination of the positive set's columns never joins it: its coefficient stays 0, which the
/// non-negative problem allows, so collinear features give one of the minimisers.
struct NonNegativeLeastSquares {
    /// The solution, one coefficient per column, each >= 0.
    let coefficients: [Double]
    /// ||A x - b||_2 at the solution.
    let residualNorm: Double

    /// Why a problem has no solution to give.
    enum Failure: Error, Equatable {
        /// A, b or their sizes do not describe an m x n problem with m, n >= 1.
        case shape
        /// A or b holds NaN or an infinity.
        case notFinite
        /// The active-set iterations did not settle within their limit.
        case noConvergence
    }

    /// Solves the problem for `matrix` (column-major, `rows` x `columns`) and `target` (`rows` values).
    init(matrix: [Double], rows: Int, columns: Int, target: [Double]) throws(Failure) {
        guard rows >= 1, columns >= 1, matrix.count == rows * columns, target.count == rows else { throw .shape }
        guard matrix.allSatisfy(\.isFinite), target.allSatisfy(\.isFinite) else { throw .notFinite }
        var scaled = matrix
        var scales = [Double](repeating: 0, count: columns)
        for j in 0..<columns {
            let largest = (0..<rows).reduce(0.0) { max($0, abs(matrix[j * rows + $1])) }
            scales[j] = largest
            if largest > 0 { for i in 0..<rows { scaled[j * rows + i] /= largest } }
        }
        let targetNorm = (target.reduce(0) { $0 + $1 * $1 }).squareRoot()
        let tolerance = 1e-10 * max(1, targetNorm) * Double(max(rows, columns))
        var x = [Double](repeating: 0, count: columns)
        var positive: [Int] = []
        // Columns that are all zero or dependent on the positive set never enter it.
        var barred = Set(scales.indices.filter { scales[$0] == 0 })
        var outer = 0
        while true {
            let gradient = Self.gradient(scaled, rows: rows, columns: columns, x: x, target: target)
            let candidates = (0..<columns).filter { !positive.contains($0) && !barred.contains($0) && gradient[$0] > tolerance }
            guard let entering = candidates.max(by: { gradient[$0] < gradient[$1] }) else { break }
            outer += 1
            guard outer <= 3 * columns + 10 else { throw .noConvergence }
            guard let trial = Self.leastSquares(scaled, rows: rows, columns: positive + [entering], target: target),
                  trial.last.map({ $0 > 0 }) == true else {
                // Dependent on the positive set, or its unconstrained coefficient is not positive:
                // by Lawson-Hanson's lemma the latter cannot happen for w_t > 0 in exact arithmetic.
                barred.insert(entering)
                continue
            }
            positive.append(entering)
            var inner = 0
            while true {
                inner += 1
                guard inner <= 3 * columns + 10 else { throw .noConvergence }
                guard let solution = Self.leastSquares(scaled, rows: rows, columns: positive, target: target) else {
                    throw .noConvergence
                }
                if solution.allSatisfy({ $0 > 0 }) {
                    for (k, j) in positive.enumerated() { x[j] = solution[k] }
                    break
                }
                // Step from x toward the solution until the first coefficient reaches 0.
                var alpha = Double.infinity
                var blocking = positive[0]
                for (k, j) in positive.enumerated() where solution[k] <= 0 {
                    let step = x[j] / (x[j] - solution[k])
                    if step < alpha { (alpha, blocking) = (step, j) }
                }
                for (k, j) in positive.enumerated() { x[j] += alpha * (solution[k] - x[j]) }
                x[blocking] = 0
                let largest = positive.reduce(0.0) { max($0, abs(x[$1])) }
                let leaving = positive.filter { x[$0] <= 1e-14 * largest }
                for j in leaving { x[j] = 0 }
                positive.removeAll { leaving.contains($0) }
                if positive.isEmpty { break }
            }
        }
        var residual = target
        for j in 0..<columns where x[j] != 0 {
            for i in 0..<rows { residual[i] -= scaled[j * rows + i] * x[j] }
        }
        residualNorm = (residual.reduce(0) { $0 + $1 * $1 }).squareRoot()
        coefficients = (0..<columns).map { scales[$0] > 0 ? x[$0] / scales[$0] : 0 }
    }

    /// w = A^T (b - A x).
    private static func gradient(_ a: [Double], rows: Int, columns: Int, x: [Double], target: [Double]) -> [Double] {
        var residual = target
        for j in 0..<columns where x[j] != 0 {
            for i in 0..<rows { residual[i] -= a[j * rows + i] * x[j] }
        }
        return (0..<columns).map { j in (0..<rows).reduce(0.0) { $0 + a[j * rows + $1] * residual[$1] } }
    }

    /// The unconstrained least-squares coefficients of `columns` of `a` for `target`, by Householder
    /// QR (Golub and Van Loan, Matrix Computations, algorithm 5.2.1, then back substitution); nil
    /// when those columns are numerically dependent (a diagonal of R below 1e-10 of the largest).
    static func leastSquares(_ a: [Double], rows: Int, columns: [Int], target: [Double]) -> [Double]? {
        let n = columns.count
        guard n <= rows else { return nil }
        var r = [Double](repeating: 0, count: rows * n)
        for (k, j) in columns.enumerated() {
            for i in 0..<rows { r[k * rows + i] = a[j * rows + i] }
        }
        var qtb = target
        var largestDiagonal = 0.0
        for k in 0..<n {
            // The reflector H = I - 2 v v^T / (v^T v) maps column k's rows k..<m onto -sign * norm e_k.
            let norm = (k..<rows).reduce(0.0) { $0 + r[k * rows + $1] * r[k * rows + $1] }.squareRoot()
            guard norm > 0 else { return nil }
            let diagonal = r[k * rows + k] >= 0 ? -norm : norm
            var v = [Double](repeating: 0, count: rows - k)
            for i in k..<rows { v[i - k] = r[k * rows + i] }
            v[0] -= diagonal
            let vv = v.reduce(0) { $0 + $1 * $1 }
            if vv > 0 {
                for c in k..<n {
                    let dot = (k..<rows).reduce(0.0) { $0 + v[$1 - k] * r[c * rows + $1] }
                    let factor = 2 * dot / vv
                    for i in k..<rows { r[c * rows + i] -= factor * v[i - k] }
                }
                let dot = (k..<rows).reduce(0.0) { $0 + v[$1 - k] * qtb[$1] }
                let factor = 2 * dot / vv
                for i in k..<rows { qtb[i] -= factor * v[i - k] }
            }
            largestDiagonal = max(largestDiagonal, abs(r[k * rows + k]))
        }
        var solution = [Double](repeating: 0, count: n)
        for k in stride(from: n - 1, through: 0, by: -1) {
            let diagonal = r[k * rows + k]
            guard abs(diagonal) > 1e-10 * largestDiagonal else { return nil }
            var sum = qtb[k]
            for c in (k + 1)..<n { sum -= r[c * rows + k] * solution[c] }
            solution[k] = sum / diagonal
        }
        return solution.allSatisfy(\.isFinite) ? solution : nil
    }
}
