import Foundation

extension SearchSpace {
    /// Natural logarithms of the grid values along factor `factor` (a position in the factors).
    func logValues(_ factor: Int) -> [Double] {
        grids[factor].map { log($0) }
    }

    /// The number of grid values along factor `factor`.
    func axisCount(_ factor: Int) -> Int {
        grids[factor].count
    }

    /// The positions of the factors, in order.
    var factorIndices: Range<Int> { grids.indices }
}
