import Foundation
import MobileViT

/// One of the four global factors of the cube, as an axis of a plot.
public enum CubeFactor: String, CaseIterable, Sendable {
    case resolution
    case width
    case mv2Depth = "mv2-depth"
    case vitDepth = "vit-depth"

    /// Axis title with units.
    public var label: String {
        switch self {
        case .resolution: "input resolution (px)"
        case .width: "width multiplier (x)"
        case .mv2Depth: "MV2 depth multiplier (x base 1,2)"
        case .vitDepth: "attention depth multiplier (x base 2,4,3)"
        }
    }

    /// A short name for panel captions, e.g. `res 256`, `MV2 x1.5`.
    public func caption(_ value: Double) -> String {
        switch self {
        case .resolution: "res \(Int(value.rounded()))"
        case .width: "width \(SVGDocument.number(value, decimals: 4))"
        case .mv2Depth: "MV2 x\(SVGDocument.number(value, decimals: 3))"
        case .vitDepth: "attention x\(SVGDocument.number(value, decimals: 3))"
        }
    }

    /// The factor's grid values in `space` (pixels, width multipliers or depth multipliers).
    public func gridValues(in space: SearchSpace) -> [Double] {
        switch self {
        case .resolution: space.resolutions.map(Double.init)
        case .width: space.widths
        case .mv2Depth: space.mv2DepthMultipliers
        case .vitDepth: space.vitDepthMultipliers
        }
    }

    /// The index of `point` along this factor.
    public func index(in point: GridPoint) -> Int {
        switch self {
        case .resolution: point.resolution
        case .width: point.width
        case .mv2Depth: point.mv2Depth
        case .vitDepth: point.vitDepth
        }
    }

    /// `point` with this factor's index replaced.
    public func setting(_ index: Int, in point: GridPoint) -> GridPoint {
        var copy = point
        switch self {
        case .resolution: copy.resolution = index
        case .width: copy.width = index
        case .mv2Depth: copy.mv2Depth = index
        case .vitDepth: copy.vitDepth = index
        }
        return copy
    }

    /// Index of the grid value nearest to `value` (on a log scale; values must be positive).
    public func nearestIndex(to value: Double, in space: SearchSpace) -> Int {
        let values = gridValues(in: space)
        guard value > 0, value.isFinite else { return 0 }
        return values.indices.min { abs(log(values[$0] / value)) < abs(log(values[$1] / value)) } ?? 0
    }

    /// The grid point of `space` nearest to `architecture`: exact where it lies on the grid; depth
    /// multipliers matched by the per-stage depths they give, else by total depth.
    public static func nearestPoint(to architecture: Architecture, in space: SearchSpace) -> GridPoint {
        if let exact = space.gridPoint(of: architecture) { return exact }
        func depthIndex(_ multipliers: [Double], base: [Int], depths: [Int]) -> Int {
            if let match = multipliers.firstIndex(where: { (try? Architecture.scaledDepths(base, by: $0)) == depths }) {
                return match
            }
            let total = Double(depths.reduce(0, +))
            return multipliers.indices.min { a, b in
                let da = (try? Architecture.scaledDepths(base, by: multipliers[a]))?.reduce(0, +) ?? 0
                let db = (try? Architecture.scaledDepths(base, by: multipliers[b]))?.reduce(0, +) ?? 0
                return abs(Double(da) - total) < abs(Double(db) - total)
            } ?? 0
        }
        return GridPoint(
            resolution: CubeFactor.resolution.nearestIndex(to: Double(architecture.resolution), in: space),
            width: CubeFactor.width.nearestIndex(to: architecture.width, in: space),
            mv2Depth: depthIndex(space.mv2DepthMultipliers, base: Architecture.baseMV2Depths, depths: architecture.mv2Depths),
            vitDepth: depthIndex(space.vitDepthMultipliers, base: Architecture.baseViTDepths, depths: architecture.vitDepths)
        )
    }
}
