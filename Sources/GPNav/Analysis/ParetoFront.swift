/// The non-dominated points of a set, for any number of objectives each maximised or minimised.
///
/// With every objective turned into "larger is better" (minimised ones negated), point a
/// dominates point b when a_k >= b_k for every objective k and a_k > b_k for at least one.
/// The front is every point that no other point dominates. Equal points do not dominate each
/// other, so duplicates on the front are all kept; ties on some objectives are decided by the rest.
///
/// The result is deterministic: front indices come ordered best-first lexicographically over
/// the objectives in the order given, and equal points by ascending index.
public enum ParetoFront {
    /// Indices into `points` of the non-dominated points, ordered as described above.
    ///
    /// Cost: O(n log n) for one or two objectives (a sort and a sweep); for more, O(n log n + n f)
    /// dominance checks, with f the size of the front.
    /// - Parameters:
    ///   - points: One row of objective values per point, each with `directions.count` values.
    ///   - directions: The direction of each objective.
    /// - Throws: ``ParetoError`` when a row has the wrong length or a value is NaN or infinite.
    public static func indices(of points: [[Double]], directions: [Objective.Direction]) throws(ParetoError) -> [Int] {
        guard !directions.isEmpty else { throw .noObjectives }
        let k = directions.count
        // Row-major n x k values in "larger is better" form, in one flat array for speed.
        var gains = [Double](repeating: 0, count: points.count * k)
        for (index, point) in points.enumerated() {
            guard point.count == k else { throw .wrongLength(index: index, expected: k, got: point.count) }
            for (objective, value) in point.enumerated() {
                guard value.isFinite else { throw .nonFinite(index: index) }
                gains[index * k + objective] = directions[objective] == .max ? value : -value
            }
        }
        let order = gains.withUnsafeBufferPointer { g in
            Array(0..<points.count).sorted { lhs, rhs in
                for objective in 0..<k where g[lhs * k + objective] != g[rhs * k + objective] {
                    return g[lhs * k + objective] > g[rhs * k + objective]
                }
                return lhs < rhs
            }
        }
        return gains.withUnsafeBufferPointer { g in
            k == 2 ? sweep(order, g) : filter(order, g, k)
        }
    }

    /// Whether row `a` dominates row `b` of `g` (k values per row, larger is better).
    @inline(__always)
    private static func dominates(_ a: Int, _ b: Int, _ g: UnsafeBufferPointer<Double>, _ k: Int) -> Bool {
        var strictlyBetter = false
        for objective in 0..<k {
            let x = g[a * k + objective], y = g[b * k + objective]
            if x < y { return false }
            if x > y { strictlyBetter = true }
        }
        return strictlyBetter
    }

    /// Two objectives: walk groups of equal first objective, best first. A group's points with its
    /// best second objective are on the front unless an earlier (strictly better first objective)
    /// group reached a second objective at least as good.
    private static func sweep(_ order: [Int], _ g: UnsafeBufferPointer<Double>) -> [Int] {
        var front: [Int] = []
        var bestSecond: Double? = nil
        var start = 0
        while start < order.count {
            let first = g[order[start] * 2]
            var end = start
            while end < order.count, g[order[end] * 2] == first { end += 1 }
            let groupBest = g[order[start] * 2 + 1]
            if bestSecond.map({ groupBest > $0 }) ?? true {
                for position in start..<end where g[order[position] * 2 + 1] == groupBest {
                    front.append(order[position])
                }
                bestSecond = groupBest
            }
            start = end
        }
        return front
    }

    /// Any number of objectives: a point's dominators all come before it in lexicographic order,
    /// and if one of them is off the front, a front member dominating it dominates the point too,
    /// so checking against the front found so far suffices. Neighbours in that order tend to share
    /// a dominator, so the last one found is tried first (this changes the speed, not the result).
    private static func filter(_ order: [Int], _ g: UnsafeBufferPointer<Double>, _ k: Int) -> [Int] {
        var front: [Int] = []
        var lastDominator: Int? = nil
        for index in order {
            if let last = lastDominator, dominates(last, index, g, k) { continue }
            if let dominator = front.first(where: { dominates($0, index, g, k) }) {
                lastDominator = dominator
            } else {
                front.append(index)
            }
        }
        return front
    }
}

/// Why a Pareto front could not be computed.
public enum ParetoError: UserFacingError, Equatable, Sendable {
    case noObjectives
    case wrongLength(index: Int, expected: Int, got: Int)
    case nonFinite(index: Int)

    public var kind: FailureKind { .data }

    public var description: String {
        switch self {
        case .noObjectives: "a Pareto front needs at least one objective"
        case .wrongLength(let index, let expected, let got): "point \(index) has \(got) objective values, expected \(expected)"
        case .nonFinite(let index): "point \(index) has a NaN or infinite objective value"
        }
    }
}
