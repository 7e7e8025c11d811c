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
        var gains: [[Double]] = []
        gains.reserveCapacity(points.count)
        for (index, point) in points.enumerated() {
            guard point.count == directions.count else {
                throw .wrongLength(index: index, expected: directions.count, got: point.count)
            }
            guard point.allSatisfy(\.isFinite) else { throw .nonFinite(index: index) }
            gains.append(zip(point, directions).map { value, direction in direction == .max ? value : -value })
        }
        let order = gains.indices.sorted { lhs, rhs in
            for (a, b) in zip(gains[lhs], gains[rhs]) where a != b { return a > b }
            return lhs < rhs
        }
        return directions.count == 2 ? sweep(order, gains) : filter(order, gains)
    }

    /// Whether `a` dominates `b`, both in "larger is better" form.
    static func dominates(_ a: [Double], _ b: [Double]) -> Bool {
        var strictlyBetter = false
        for (x, y) in zip(a, b) {
            if x < y { return false }
            if x > y { strictlyBetter = true }
        }
        return strictlyBetter
    }

    /// Two objectives: walk groups of equal first objective, best first. A group's points with its
    /// best second objective are on the front unless an earlier (strictly better first objective)
    /// group reached a second objective at least as good.
    private static func sweep(_ order: [Int], _ gains: [[Double]]) -> [Int] {
        var front: [Int] = []
        var bestSecond: Double? = nil
        var start = 0
        while start < order.count {
            let first = gains[order[start]][0]
            var end = start
            while end < order.count, gains[order[end]][0] == first { end += 1 }
            let groupBest = gains[order[start]][1]
            if bestSecond.map({ groupBest > $0 }) ?? true {
                for position in start..<end where gains[order[position]][1] == groupBest {
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
    /// so checking against the front found so far suffices.
    private static func filter(_ order: [Int], _ gains: [[Double]]) -> [Int] {
        var front: [Int] = []
        for index in order where !front.contains(where: { dominates(gains[$0], gains[index]) }) {
            front.append(index)
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
