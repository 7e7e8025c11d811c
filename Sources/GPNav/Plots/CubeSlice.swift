import Foundation
import MobileViT

/// The data of one cube panel: the GP's prediction and the exact MACs over a 2D slice of the
/// grid, with the other two factors fixed, and the evaluated trials placed on it.
public struct CubeSlice: Sendable {
    /// One evaluated trial, at its (nearest) grid values of the panel's two factors.
    public struct Mark: Sendable, Equatable {
        public var number: Int
        public var x: Double
        public var y: Double
        public var accuracy: Double
        /// Whether the trial's other two factors equal the panel's fixed values.
        public var onSlice: Bool
    }

    public var x: CubeFactor
    public var y: CubeFactor
    public var xValues: [Double]
    public var yValues: [Double]
    /// The two fixed factors and their values.
    public var fixed: [(factor: CubeFactor, value: Double)]
    /// Predicted mean accuracy (%), `mean[j][i]` at (xValues[i], yValues[j]).
    public var mean: [[Double]]
    /// Predicted standard deviation (points), same layout.
    public var standardDeviation: [[Double]]
    /// Exact MACs (published convention), same layout.
    public var macs: [[Double]]
    public var marks: [Mark]

    /// The fixed factors in words, e.g. `MV2 x1, attention x0.5`.
    public var caption: String {
        fixed.map { $0.factor.caption($0.value) }.joined(separator: ", ")
    }

    /// Evaluates `model` and the cost model over the slice of `space` through `fixedAt` spanned by
    /// `x` and `y` (which must differ).
    /// - Parameter observations: evaluated trials (number, architecture, accuracy) to mark.
    public static func compute(model: AccuracyModel, space: SearchSpace, x: CubeFactor, y: CubeFactor,
                               fixedAt point: GridPoint,
                               observations: [(number: Int, architecture: Architecture, accuracy: Double)]) -> CubeSlice {
        let others = CubeFactor.allCases.filter { $0 != x && $0 != y }
        let xValues = x.gridValues(in: space), yValues = y.gridValues(in: space)
        var architectures: [Architecture] = []
        var slots: [(Int, Int)] = []
        var macs = [[Double]](repeating: [Double](repeating: .nan, count: xValues.count), count: yValues.count)
        for j in yValues.indices {
            for i in xValues.indices {
                let cell = y.setting(j, in: x.setting(i, in: point))
                guard let architecture = try? space.architecture(at: cell) else { continue }
                architectures.append(architecture)
                slots.append((i, j))
                macs[j][i] = Double(CostModel.cost(of: architecture).macs)
            }
        }
        let prediction = model.predict(architectures)
        var mean = [[Double]](repeating: [Double](repeating: .nan, count: xValues.count), count: yValues.count)
        var sd = mean
        for (k, (i, j)) in slots.enumerated() where k < prediction.mean.count {
            mean[j][i] = prediction.mean[k]
            sd[j][i] = prediction.standardDeviation[k]
        }
        let marks = observations.map { observation -> Mark in
            let at = CubeFactor.nearestPoint(to: observation.architecture, in: space)
            let onSlice = others.allSatisfy { $0.index(in: at) == $0.index(in: point) }
            return Mark(number: observation.number, x: xValues[x.index(in: at)], y: yValues[y.index(in: at)],
                        accuracy: observation.accuracy, onSlice: onSlice)
        }
        return CubeSlice(x: x, y: y, xValues: xValues, yValues: yValues,
                         fixed: others.map { ($0, $0.gridValues(in: space)[$0.index(in: point)]) },
                         mean: mean, standardDeviation: sd, macs: macs, marks: marks)
    }
}

extension CubeSlice {
    /// Small multiples: one slice per combination of values of the two factors other than `x`
    /// and `y`, at most `perFactor` evenly spaced grid values of each (always both ends), the
    /// first other factor down the rows and the second across the columns. Factors not in the
    /// panels' axes are taken from `base` where there is only one value.
    /// - Returns: the slices row by row, and the number of columns.
    public static func grid(model: AccuracyModel, space: SearchSpace, x: CubeFactor, y: CubeFactor,
                            base: GridPoint, perFactor: Int = 4,
                            observations: [(number: Int, architecture: Architecture, accuracy: Double)])
        -> (slices: [CubeSlice], columns: Int) {
        let others = CubeFactor.allCases.filter { $0 != x && $0 != y }
        let rowIndices = spread(others[0].gridValues(in: space).count, perFactor)
        let columnIndices = spread(others[1].gridValues(in: space).count, perFactor)
        var slices: [CubeSlice] = []
        for r in rowIndices {
            for c in columnIndices {
                let point = others[1].setting(c, in: others[0].setting(r, in: base))
                slices.append(compute(model: model, space: space, x: x, y: y, fixedAt: point, observations: observations))
            }
        }
        return (slices, columnIndices.count)
    }

    /// At most `limit` indices of 0..<count, evenly spaced, first and last included.
    static func spread(_ count: Int, _ limit: Int) -> [Int] {
        guard count > limit, limit >= 2 else { return Array(0..<count) }
        return Array(Set((0..<limit).map { Int((Double($0) * Double(count - 1) / Double(limit - 1)).rounded()) })).sorted()
    }
}
