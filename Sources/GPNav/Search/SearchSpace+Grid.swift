import Foundation
import MobileViT

/// One point of a ``SearchSpace`` grid: an index into each factor's grid, in factor order.
public struct GridPoint: Hashable, Sendable, CustomStringConvertible {
    /// The index along each factor.
    public var indices: [Int]

    public init(_ indices: [Int]) {
        self.indices = indices
    }

    /// The index along factor `factor` (a position in the family's factors).
    public subscript(factor: Int) -> Int {
        get { indices[factor] }
        set { indices[factor] = newValue }
    }

    /// This point with the index along `factor` replaced.
    public func with(_ factor: Int, _ index: Int) -> GridPoint {
        var copy = self
        copy[factor] = index
        return copy
    }

    public var description: String { "(\(indices.map(String.init).joined(separator: ", ")))" }
}

/// Why a search space cannot be used.
public struct SearchSpaceError: UserFacingError, Equatable {
    public var message: String

    public init(message: String) {
        self.message = message
    }

    public var kind: FailureKind { .usage }
    public var description: String { message }
}

extension SearchSpace {
    /// Number of grid points.
    public var count: Int {
        grids.reduce(1) { $0 * $1.count }
    }

    /// The most grid points a space may have: the search draws candidates from the grid and the
    /// analysis predicts at every point, so its size must stay bounded whatever the axes say.
    public static let maximumGridPoints = 1_000_000

    /// Checks that there is one grid per factor, each non-empty and ascending without repeats,
    /// that the grid has at most ``maximumGridPoints`` points, and that every grid point is a
    /// valid architecture (so nothing proposed can fail validation).
    public func validate() throws(SearchSpaceError) {
        let factors = self.factors
        guard grids.count == factors.count else {
            throw SearchSpaceError(message: "search space: \(familyName) needs \(factors.count) grids "
                + "(\(factors.map(\.spaceKey).joined(separator: ", "))), got \(grids.count)")
        }
        for (factor, values) in zip(factors, grids) {
            guard !values.isEmpty else { throw SearchSpaceError(message: "search space: \(factor.spaceKey) is empty") }
            guard zip(values, values.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw SearchSpaceError(message: "search space: \(factor.spaceKey) must be strictly ascending")
            }
        }
        // Multiplied with overflow checks: the axes' lengths come from the user.
        var points = 1
        for length in grids.map(\.count) {
            let (product, overflow) = points.multipliedReportingOverflow(by: length)
            guard !overflow, product <= Self.maximumGridPoints else {
                throw SearchSpaceError(message: "search space: the grid has more than \(Self.maximumGridPoints) points "
                    + "(\(grids.map { String($0.count) }.joined(separator: " x "))); use coarser axes")
            }
            points = product
        }
        // Every factor is monotone along its grid, so checking the corners checks the grid.
        let corners = grids.map { [0, $0.count - 1] }
        for corner in Self.product(corners) {
            do {
                _ = try architecture(at: GridPoint(corner))
            } catch {
                throw SearchSpaceError(message: "search space: \(error)")
            }
        }
        // Whole-number factors are checked value by value: an odd resolution or a choice not
        // allowed may hide between the corners.
        for (index, factor) in factors.enumerated() {
            switch factor.kind {
            case .resolution:
                for value in grids[index] {
                    let r = Int(exactly: value) ?? 1
                    guard r % 2 == 0, Architecture.resolutionRange.contains(r) else {
                        throw SearchSpaceError(message: "search space: \(ArchitectureError.resolution(r))")
                    }
                }
            case .choice(let name):
                let allowed = family.choices.first { $0.name == name }?.allowed ?? []
                for value in grids[index] where !allowed.contains(Int(exactly: value) ?? -1) {
                    let error = ArchitectureError.choice(name: factor.words, value: Int(exactly: value) ?? 0, allowed: allowed)
                    throw SearchSpaceError(message: "search space: \(error)")
                }
            case .width, .depthMultiplier:
                break
            }
        }
    }

    /// The grid values of `point`, one per factor.
    public func values(at point: GridPoint) -> [Double] {
        zip(grids, point.indices).map { $0[$1] }
    }

    /// The architecture at a grid point. Points of a validated space are always valid.
    public func architecture(at point: GridPoint) throws(ArchitectureError) -> Architecture {
        try Architecture(family: family, factorValues: values(at: point), classes: classes)
    }

    /// Every grid point, the first factor (resolution) slowest.
    public var allPoints: [GridPoint] {
        Self.product(grids.map { Array($0.indices) }).map(GridPoint.init)
    }

    /// The grid point whose architecture equals `architecture`, if it lies on the grid.
    public func gridPoint(of architecture: Architecture) -> GridPoint? {
        guard architecture.classes == classes, architecture.familyName == familyName else { return nil }
        var indices: [Int] = []
        for (factor, values) in zip(factors, grids) {
            guard let index = values.firstIndex(where: { factor.matches($0, in: architecture) }) else { return nil }
            indices.append(index)
        }
        // What no factor sets (e.g. MobileViT v1's base plan) must be the base network's too.
        let point = GridPoint(indices)
        let family = self.family
        for (choice, value) in zip(family.choices, architecture.choiceValues) where value != choice.defaultValue {
            guard factors.contains(where: { $0.kind == .choice(choice.name) }) else { return nil }
        }
        return point
    }

    /// The grid point nearest to `architecture`: exact where it lies on the grid; else, factor by
    /// factor, the grid value that gives the architecture's setting exactly (depth multipliers by
    /// the per-stage depths they give), or the value nearest on a log scale to the factor's value
    /// (``ArchitectureFactor/value(of:)``: depths by their total relative to the base network).
    /// An architecture of the space's family is first put in its search form
    /// (``MobileViT/ArchitectureFamily/searchEquivalent(_:)``).
    public func nearestPoint(to given: Architecture) -> GridPoint {
        if let exact = gridPoint(of: given) { return exact }
        let architecture = given.familyName == familyName ? family.searchEquivalent(given) : given
        if let exact = gridPoint(of: architecture) { return exact }
        return GridPoint(zip(factors, grids).map { factor, values in
            values.firstIndex { factor.matches($0, in: architecture) }
                ?? Self.nearestIndex(values, toLog: factor.value(of: architecture))
        })
    }

    /// Index of the grid value nearest to `value` on a log scale.
    static func nearestIndex(_ values: [Double], toLog value: Double) -> Int {
        var best = 0
        var bestDistance = Double.infinity
        for (index, candidate) in values.enumerated() {
            let distance = abs(log(candidate) - log(value))
            if distance < bestDistance {
                best = index
                bestDistance = distance
            }
        }
        return best
    }

    /// Every combination of one element of each list, the first list slowest.
    static func product<T>(_ lists: [[T]]) -> [[T]] {
        var result: [[T]] = [[]]
        for list in lists {
            result = result.flatMap { prefix in list.map { prefix + [$0] } }
        }
        return result
    }
}
