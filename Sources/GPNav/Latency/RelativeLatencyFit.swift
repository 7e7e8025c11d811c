import Foundation

/// The non-negative coefficients c of a latency model that fit measured latencies by their
/// relative error, robustly: c minimises sum_i w_i ((x_i . c - y_i) / y_i)^2 over c >= 0, the
/// weights w_i those of Huber's loss on the relative residuals, found by iteratively reweighted
/// non-negative least squares (Huber 1964; Holland and Welsch 1977; each step solves
/// ``NonNegativeLeastSquares`` on the rows scaled by sqrt(w_i) / y_i, target sqrt(w_i)).
///
/// Why relative: the goal is a share of predictions within +/-10 %, and latencies span 40x, so an
/// absolute fit lets the largest networks decide and misses the smallest by 20 % and more. Why
/// robust: a reading disturbed by another process is slower than the network, never faster, and
/// one such reading among 20 moves a plain fit for every architecture. A residual r counts fully
/// while |r| <= k s and with weight k s / |r| beyond, k = 1.345 (95 % efficiency for Gaussian
/// errors), s = 1.4826 x the median absolute deviation of the residuals (a standard deviation
/// for Gaussian errors). A fit whose residuals are all (numerically) 0 is the plain one.
/// On 300 architectures measured on a quiet machine (Experiments/latency/RESULTS.md) the
/// relative fit raised the held-out share within +/-10 % by 2 to 8 points at N = 20, 40 and 80,
/// the robust weights by up to 2 more.
struct RelativeLatencyFit {
    /// One coefficient per column of the rows, each >= 0.
    let coefficients: [Double]
    /// The Huber weight of each row at the solution, in (0, 1].
    let weights: [Double]

    /// Huber's threshold in units of the residuals' scale.
    static let huberThreshold = 1.345
    /// The most reweighting steps; the weights usually settle in 3 to 6.
    static let maximumSteps = 10

    /// Fits `rows` (one list of terms per measured architecture) to `latencies` (milliseconds),
    /// reweighting from `startingWeights` (one per row; all 1 when nil): a fit of nearly the same
    /// rows, such as one left out for cross-validation, settles in a step or two from its weights.
    /// `steps` bounds the reweighting steps (0: the weighted fit alone, no reweighting).
    /// - Throws: ``LatencyModelError/fitFailed(_:)`` for a latency that is not a positive
    ///   number, terms that are not finite, or no convergence.
    init(rows: [[Double]], latencies: [Double], startingWeights: [Double]? = nil,
         steps: Int = maximumSteps) throws(LatencyModelError) {
        guard latencies.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw .fitFailed("a measured latency is not a positive number of milliseconds")
        }
        var weights = startingWeights.flatMap { $0.count == rows.count ? $0 : nil } ?? [Double](repeating: 1, count: rows.count)
        var coefficients = try Self.solve(rows, latencies, weights: weights)
        for _ in 0..<max(0, steps) {
            let residuals = rows.indices.map { (Self.dot(coefficients, rows[$0]) - latencies[$0]) / latencies[$0] }
            let center = residuals.median
            let scale = 1.4826 * residuals.map { abs($0 - center) }.median
            guard scale > 1e-9 else { break }
            let limit = Self.huberThreshold * scale
            let next = residuals.map { abs($0) <= limit ? 1 : limit / abs($0) }
            // Weights this close move the coefficients by far less than a reading's own noise.
            guard zip(next, weights).contains(where: { abs($0 - $1) > 1e-3 }) else { break }
            weights = next
            coefficients = try Self.solve(rows, latencies, weights: weights)
        }
        self.coefficients = coefficients
        self.weights = weights
    }

    static func dot(_ coefficients: [Double], _ row: [Double]) -> Double {
        zip(coefficients, row).reduce(0) { $0 + $1.0 * $1.1 }
    }

    private static func solve(_ rows: [[Double]], _ latencies: [Double], weights: [Double]) throws(LatencyModelError) -> [Double] {
        let columns = rows.first?.count ?? 0
        var matrix = [Double](repeating: 0, count: rows.count * columns)
        var target = [Double](repeating: 0, count: rows.count)
        for (i, row) in rows.enumerated() {
            let scale = weights[i].squareRoot()
            target[i] = scale
            for (j, value) in row.enumerated() { matrix[j * rows.count + i] = scale * value / latencies[i] }
        }
        do {
            return try NonNegativeLeastSquares(matrix: matrix, rows: rows.count, columns: columns, target: target).coefficients
        } catch {
            switch error {
            case .notFinite: throw .fitFailed("a measurement or a term is not a finite number")
            case .shape: throw .fitFailed("no terms to fit")
            case .noConvergence: throw .fitFailed("non-negative least squares did not converge")
            }
        }
    }
}
