import Foundation
import MobileViT

/// One point of a ``SearchSpace`` grid, by index along each factor.
public struct GridPoint: Hashable, Sendable {
    public var resolution: Int
    public var width: Int
    public var mv2Depth: Int
    public var vitDepth: Int

    public init(resolution: Int, width: Int, mv2Depth: Int, vitDepth: Int) {
        self.resolution = resolution
        self.width = width
        self.mv2Depth = mv2Depth
        self.vitDepth = vitDepth
    }
}

/// Why a search space cannot be used.
public struct SearchSpaceError: UserFacingError, Equatable {
    public var message: String
    public var kind: FailureKind { .usage }
    public var description: String { message }
}

extension SearchSpace {
    /// Number of grid points.
    public var count: Int {
        resolutions.count * widths.count * mv2DepthMultipliers.count * vitDepthMultipliers.count
    }

    /// The most grid points a space may have: the search draws candidates from the grid and the
    /// analysis predicts at every point, so its size must stay bounded whatever the axes say.
    public static let maximumGridPoints = 1_000_000

    /// Checks that every axis is non-empty, ascending without repeats, that the grid has at most
    /// ``maximumGridPoints`` points, and that every grid point is a valid architecture (so nothing
    /// proposed can fail validation).
    public func validate() throws(SearchSpaceError) {
        func check<T: Comparable>(_ values: [T], _ name: String) throws(SearchSpaceError) {
            guard !values.isEmpty else { throw SearchSpaceError(message: "search space: \(name) is empty") }
            guard zip(values, values.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw SearchSpaceError(message: "search space: \(name) must be strictly ascending")
            }
        }
        try check(resolutions, "resolutions")
        try check(widths, "widths")
        try check(mv2DepthMultipliers, "mv2_depth_multipliers")
        try check(vitDepthMultipliers, "vit_depth_multipliers")
        // Multiplied with overflow checks: the axes' lengths come from the user.
        var points = 1
        for length in [resolutions.count, widths.count, mv2DepthMultipliers.count, vitDepthMultipliers.count] {
            let (product, overflow) = points.multipliedReportingOverflow(by: length)
            guard !overflow, product <= Self.maximumGridPoints else {
                throw SearchSpaceError(message: "search space: the grid has more than \(Self.maximumGridPoints) points "
                    + "(\(resolutions.count) x \(widths.count) x \(mv2DepthMultipliers.count) x \(vitDepthMultipliers.count)); use coarser axes")
            }
            points = product
        }
        // The corners bound every factor, so checking them checks the grid.
        for r in [resolutions[0], resolutions[resolutions.count - 1]] {
            for w in [widths[0], widths[widths.count - 1]] {
                for m in [mv2DepthMultipliers[0], mv2DepthMultipliers[mv2DepthMultipliers.count - 1]] {
                    for v in [vitDepthMultipliers[0], vitDepthMultipliers[vitDepthMultipliers.count - 1]] {
                        do {
                            _ = try Architecture(resolution: r, width: w, mv2DepthMultiplier: m,
                                                 vitDepthMultiplier: v, classes: classes)
                        } catch {
                            throw SearchSpaceError(message: "search space: \(error)")
                        }
                    }
                }
            }
        }
        for r in resolutions where r % 2 != 0 || !Architecture.resolutionRange.contains(r) {
            throw SearchSpaceError(message: "search space: \(ArchitectureError.resolution(r))")
        }
    }

    /// The architecture at a grid point. Points of a validated space are always valid.
    public func architecture(at point: GridPoint) throws(ArchitectureError) -> Architecture {
        try Architecture(
            resolution: resolutions[point.resolution],
            width: widths[point.width],
            mv2DepthMultiplier: mv2DepthMultipliers[point.mv2Depth],
            vitDepthMultiplier: vitDepthMultipliers[point.vitDepth],
            classes: classes
        )
    }

    /// Every grid point, resolution-major.
    public var allPoints: [GridPoint] {
        var points: [GridPoint] = []
        points.reserveCapacity(count)
        for r in resolutions.indices {
            for w in widths.indices {
                for m in mv2DepthMultipliers.indices {
                    for v in vitDepthMultipliers.indices {
                        points.append(GridPoint(resolution: r, width: w, mv2Depth: m, vitDepth: v))
                    }
                }
            }
        }
        return points
    }

    /// The grid point whose architecture equals `architecture`, if it lies on the grid.
    public func gridPoint(of architecture: Architecture) -> GridPoint? {
        guard architecture.classes == classes,
              let r = resolutions.firstIndex(of: architecture.resolution),
              let w = widths.firstIndex(where: { abs($0 - architecture.width) < 1e-9 }),
              let m = mv2DepthMultipliers.firstIndex(where: {
                  (try? Architecture.scaledDepths(Architecture.baseMV2Depths, by: $0)) == architecture.mv2Depths
              }),
              let v = vitDepthMultipliers.firstIndex(where: {
                  (try? Architecture.scaledDepths(Architecture.baseViTDepths, by: $0)) == architecture.vitDepths
              })
        else { return nil }
        return GridPoint(resolution: r, width: w, mv2Depth: m, vitDepth: v)
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
}
