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
        /// Whether the trial's other factors equal the panel's fixed values.
        public var onSlice: Bool
        /// Whether it is the study's recommended trial.
        public var recommended: Bool = false
    }

    public var x: CubeFactor
    public var y: CubeFactor
    /// Axis titles with units.
    public var xLabel: String
    public var yLabel: String
    public var xValues: [Double]
    public var yValues: [Double]
    /// The fixed factors and their values.
    public var fixed: [(factor: ArchitectureFactor, value: Double)]
    /// Predicted mean accuracy (%), `mean[j][i]` at (xValues[i], yValues[j]).
    public var mean: [[Double]]
    /// Predicted standard deviation (points), same layout.
    public var standardDeviation: [[Double]]
    /// Exact MACs (published convention), same layout.
    public var macs: [[Double]]
    public var marks: [Mark]

    /// The fixed factors in words, e.g. `MV2 x1, attention x0.5`.
    public var caption: String {
        caption(of: fixed.map(\.factor.name))
    }

    /// The fixed factors named in `names`, in words.
    func caption(of names: [String]) -> String {
        fixed.filter { names.contains($0.factor.name) }.map { $0.factor.caption($0.value) }.joined(separator: ", ")
    }

    /// Evaluates `model` and the cost model over the slice of `space` through `fixedAt` spanned by
    /// factors `x` and `y` (positions in the space's factors, which must differ).
    /// - Parameters:
    ///   - observations: evaluated trials (number, architecture, accuracy) to mark.
    ///   - recommended: the number of the study's recommended trial, marked apart.
    public static func compute(model: AccuracyModel, space: SearchSpace, x: Int, y: Int, fixedAt point: GridPoint,
                               observations: [(number: Int, architecture: Architecture, accuracy: Double)],
                               recommended: Int? = nil) -> CubeSlice {
        let others = space.factorIndices.filter { $0 != x && $0 != y }
        let xValues = space.grids[x], yValues = space.grids[y]
        var architectures: [Architecture] = []
        var slots: [(Int, Int)] = []
        var macs = [[Double]](repeating: [Double](repeating: .nan, count: xValues.count), count: yValues.count)
        for j in yValues.indices {
            for i in xValues.indices {
                let cell = point.with(x, i).with(y, j)
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
            let at = space.nearestPoint(to: observation.architecture)
            let onSlice = others.allSatisfy { at[$0] == point[$0] }
            return Mark(number: observation.number, x: xValues[at[x]], y: yValues[at[y]],
                        accuracy: observation.accuracy, onSlice: onSlice, recommended: observation.number == recommended)
        }
        let factors = space.factors
        return CubeSlice(x: CubeFactor(rawValue: factors[x].argument) ?? .resolution,
                         y: CubeFactor(rawValue: factors[y].argument) ?? .width,
                         xLabel: factors[x].label, yLabel: factors[y].label, xValues: xValues, yValues: yValues,
                         fixed: others.map { (factors[$0], space.grids[$0][point[$0]]) },
                         mean: mean, standardDeviation: sd, macs: macs, marks: marks)
    }
}

extension CubeSlice {
    /// Small multiples: one slice per combination of values of the first two factors other than
    /// `x` and `y` (categorical factors first, so that each of their values gets panels), at most
    /// `perFactor` evenly spaced grid values of each (both ends and `base`'s value always among
    /// them, so the panel through `base` is drawn), the first other factor down the rows and the
    /// second across the columns. Factors not in the panels' axes or rows and columns are taken
    /// from `base`.
    /// - Returns: the slices row by row, and the number of columns.
    public static func grid(model: AccuracyModel, space: SearchSpace, x: Int, y: Int, base: GridPoint, perFactor: Int = 4,
                            observations: [(number: Int, architecture: Architecture, accuracy: Double)],
                            recommended: Int? = nil) -> (slices: [CubeSlice], columns: Int) {
        let others = space.factorIndices.filter { $0 != x && $0 != y }
        let ordered = others.filter { space.factors[$0].isCategorical } + others.filter { !space.factors[$0].isCategorical }
        let rowFactor = ordered.first, columnFactor = ordered.dropFirst().first
        let rowIndices = rowFactor.map { spread(space.axisCount($0), perFactor, including: base[$0]) } ?? [0]
        let columnIndices = columnFactor.map { spread(space.axisCount($0), perFactor, including: base[$0]) } ?? [0]
        var slices: [CubeSlice] = []
        for r in rowIndices {
            for c in columnIndices {
                var point = base
                if let rowFactor { point[rowFactor] = r }
                if let columnFactor { point[columnFactor] = c }
                slices.append(compute(model: model, space: space, x: x, y: y, fixedAt: point, observations: observations,
                                      recommended: recommended))
            }
        }
        return (slices, columnIndices.count)
    }

    /// One slice per value of the categorical factor `factor`, in grid order, through `base`:
    /// a choice is drawn as separate panels, never as an axis to interpolate along.
    public static func panels(along factor: Int, model: AccuracyModel, space: SearchSpace, x: Int, y: Int,
                              base: GridPoint, observations: [(number: Int, architecture: Architecture, accuracy: Double)],
                              recommended: Int? = nil) -> [CubeSlice] {
        (0..<space.axisCount(factor)).map { value in
            compute(model: model, space: space, x: x, y: y, fixedAt: base.with(factor, value), observations: observations,
                    recommended: recommended)
        }
    }

    /// At most `limit` indices of 0..<count, evenly spaced, first and last included; with
    /// `including`, that index replaces the nearest inner one unless already present.
    static func spread(_ count: Int, _ limit: Int, including: Int? = nil) -> [Int] {
        guard count > limit, limit >= 2 else { return Array(0..<count) }
        var indices = Array(Set((0..<limit).map { Int((Double($0) * Double(count - 1) / Double(limit - 1)).rounded()) })).sorted()
        if let including, (0..<count).contains(including), !indices.contains(including), indices.count > 2 {
            let inner = indices.indices.dropFirst().dropLast()
            if let nearest = inner.min(by: { abs(indices[$0] - including) < abs(indices[$1] - including) }) {
                indices[nearest] = including
                indices.sort()
            }
        }
        return indices
    }
}
