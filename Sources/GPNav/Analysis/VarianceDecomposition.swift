/// A functional ANOVA (Sobol) decomposition of a function tabulated on a full grid, with
/// every grid point weighted equally.
///
/// Let f be given on the grid X_1 x ... x X_d (sizes n_1..n_d) and let E[.] be the mean over the
/// grid (a product of uniform measures). The decomposition
///
///     f = f_0 + sum_i f_i(x_i) + sum_{i<j} f_ij(x_i, x_j) + (higher-order terms)
///
/// has
///
///     f_0        = E[f]
///     f_i(a)     = E[f | x_i = a] - f_0                                   (main effect)
///     f_ij(a, b) = E[f | x_i = a, x_j = b] - f_i(a) - f_j(b) - f_0        (pair effect)
///
/// Under a product measure these terms are mutually orthogonal, so the total variance
/// V = E[(f - f_0)^2] splits exactly: V = sum_i V_i + sum_{i<j} V_ij + V_rest with
/// V_i = E[f_i^2] and V_ij = E[f_ij^2]. The shares are S_i = V_i / V and S_ij = V_ij / V, and the
/// higher-order remainder is defined as 1 - sum S_i - sum S_ij, so that the shares sum to exactly
/// 1 up to rounding; mathematically it equals V_rest / V >= 0, and rounding can push it only
/// slightly (of the order of 1e-15) below 0. A constant function (V = 0, or V below 1e-24 of
/// E[f^2], where rounding dominates) has no variance to split: every main and pair share is 0
/// and the remainder is 1.
struct VarianceDecomposition: Sendable, Equatable {
    /// The grid's mean E[f].
    public let mean: Double
    /// The total variance V over the grid.
    public let variance: Double
    /// S_i per axis, in axis order.
    public let mainShares: [Double]
    /// S_ij for each pair i < j, in the order (0,1), (0,2), ..., (1,2), ...
    public let pairShares: [PairShare]
    /// 1 - sum of the main and pair shares (the interactions of three or more factors).
    public let remainderShare: Double

    /// The share of one pair of axes.
    struct PairShare: Sendable, Equatable {
        public var first: Int
        public var second: Int
        public var share: Double
    }

    /// Why a decomposition cannot be computed.
    enum DecompositionError: Error, Equatable {
        /// `values.count` differs from the product of `shape`, or an axis is empty.
        case shape
        /// A value is NaN or infinite.
        case nonFinite
    }

    /// Decomposes `values`, laid out row-major over `shape` (the last axis varies fastest).
    /// - Throws: ``DecompositionError``.
    public init(values: [Double], shape: [Int]) throws(DecompositionError) {
        guard !shape.isEmpty, shape.allSatisfy({ $0 > 0 }), shape.reduce(1, *) == values.count else {
            throw .shape
        }
        guard values.allSatisfy(\.isFinite) else { throw .nonFinite }
        let count = Double(values.count)
        let mean = values.reduce(0, +) / count
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / count
        self.mean = mean
        self.variance = variance
        let d = shape.count
        // strides[i]: distance in `values` between neighbours along axis i.
        var strides = [Int](repeating: 1, count: d)
        for i in stride(from: d - 2, through: 0, by: -1) { strides[i] = strides[i + 1] * shape[i + 1] }
        let index = { (flat: Int, axis: Int) in (flat / strides[axis]) % shape[axis] }

        // Main effects f_i(a) = E[f | x_i = a] - f_0.
        var effects: [[Double]] = []
        for axis in 0..<d {
            var sums = [Double](repeating: 0, count: shape[axis])
            for (flat, value) in values.enumerated() { sums[index(flat, axis)] += value }
            let per = count / Double(shape[axis])
            effects.append(sums.map { $0 / per - mean })
        }
        let mainVariances = effects.map { effect in effect.reduce(0) { $0 + $1 * $1 } / Double(effect.count) }

        var pairs: [(Int, Int, Double)] = []
        for i in 0..<d {
            for j in (i + 1)..<d {
                let (ni, nj) = (shape[i], shape[j])
                var sums = [Double](repeating: 0, count: ni * nj)
                for (flat, value) in values.enumerated() { sums[index(flat, i) * nj + index(flat, j)] += value }
                let per = count / Double(ni * nj)
                var sumSquares = 0.0
                for a in 0..<ni {
                    for b in 0..<nj {
                        let effect = sums[a * nj + b] / per - effects[i][a] - effects[j][b] - mean
                        sumSquares += effect * effect
                    }
                }
                pairs.append((i, j, sumSquares / Double(ni * nj)))
            }
        }

        let meanSquare = values.reduce(0) { $0 + $1 * $1 } / count
        guard variance > 1e-24 * max(meanSquare, .leastNormalMagnitude) else {
            mainShares = Array(repeating: 0, count: d)
            pairShares = pairs.map { PairShare(first: $0.0, second: $0.1, share: 0) }
            remainderShare = 1
            return
        }
        mainShares = mainVariances.map { $0 / variance }
        pairShares = pairs.map { PairShare(first: $0.0, second: $0.1, share: $0.2 / variance) }
        remainderShare = 1 - mainShares.reduce(0, +) - pairShares.reduce(0) { $0 + $1.share }
    }

    /// The pair share of axes `i` and `j` (either order); nil for i == j or out of range.
    public func pairShare(_ i: Int, _ j: Int) -> Double? {
        pairShares.first { ($0.first, $0.second) == (min(i, j), max(i, j)) }?.share
    }
}
