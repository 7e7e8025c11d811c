import Foundation

/// The four axes of the cube, in factor order.
enum Axis: Int, CaseIterable {
    case resolution, width, mv2Depth, vitDepth
}

extension GridPoint {
    subscript(axis: Axis) -> Int {
        get {
            switch axis {
            case .resolution: resolution
            case .width: width
            case .mv2Depth: mv2Depth
            case .vitDepth: vitDepth
            }
        }
        set {
            switch axis {
            case .resolution: resolution = newValue
            case .width: width = newValue
            case .mv2Depth: mv2Depth = newValue
            case .vitDepth: vitDepth = newValue
            }
        }
    }

    func with(_ axis: Axis, _ index: Int) -> GridPoint {
        var copy = self
        copy[axis] = index
        return copy
    }
}

extension SearchSpace {
    /// Natural logarithms of the grid values along `axis` (resolution, width, depth multipliers).
    func logValues(_ axis: Axis) -> [Double] {
        switch axis {
        case .resolution: resolutions.map { log(Double($0)) }
        case .width: widths.map { log($0) }
        case .mv2Depth: mv2DepthMultipliers.map { log($0) }
        case .vitDepth: vitDepthMultipliers.map { log($0) }
        }
    }

    func axisCount(_ axis: Axis) -> Int {
        switch axis {
        case .resolution: resolutions.count
        case .width: widths.count
        case .mv2Depth: mv2DepthMultipliers.count
        case .vitDepth: vitDepthMultipliers.count
        }
    }
}
