/// A dense matrix of `Double` stored column by column, as LAPACK expects.
///
/// For data sets, rows are points and columns are input dimensions; element (i, j) lives at
/// `storage[i + j * rows]`.
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public var storage: [Double]

    /// A matrix over `storage` in column-major order.
    /// - Throws: ``GaussianProcessError/invalidShape(_:)`` when a size is negative or
    ///   `storage.count != rows * columns`.
    public init(rows: Int, columns: Int, storage: [Double]) throws(GaussianProcessError) {
        guard rows >= 0, columns >= 0, storage.count == rows * columns else {
            throw .invalidShape("\(storage.count) values cannot fill a \(rows)x\(columns) matrix")
        }
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// A matrix from its rows, e.g. `[[x0, x1], [x0, x1]]` for two points in two dimensions.
    /// - Throws: ``GaussianProcessError/invalidShape(_:)`` when there are no rows, no columns, or
    ///   the rows differ in length.
    public init(rowMajor: [[Double]]) throws(GaussianProcessError) {
        guard let first = rowMajor.first, !first.isEmpty else {
            throw .invalidShape("a matrix needs at least one row and one column")
        }
        let columns = first.count
        if let ragged = rowMajor.firstIndex(where: { $0.count != columns }) {
            throw .invalidShape("row \(ragged + 1) has \(rowMajor[ragged].count) values, row 1 has \(columns)")
        }
        var storage = [Double](repeating: 0, count: rowMajor.count * columns)
        for (i, row) in rowMajor.enumerated() {
            for (j, value) in row.enumerated() { storage[i + j * rowMajor.count] = value }
        }
        self.rows = rowMajor.count
        self.columns = columns
        self.storage = storage
    }

    /// A matrix of zeros; negative sizes count as zero.
    public init(zerosRows rows: Int, columns: Int) {
        self.rows = max(rows, 0)
        self.columns = max(columns, 0)
        self.storage = [Double](repeating: 0, count: self.rows * self.columns)
    }

    public subscript(row: Int, column: Int) -> Double {
        get { storage[row + column * rows] }
        set { storage[row + column * rows] = newValue }
    }

    /// Row `i` as an array (one point of a data set).
    public func row(_ i: Int) -> [Double] {
        (0..<columns).map { storage[i + $0 * rows] }
    }

    /// The rows of `self` followed by the rows of `other`; both must have the same column count.
    func appendingRows(of other: Matrix) -> Matrix {
        var result = Matrix(zerosRows: rows + other.rows, columns: columns)
        for j in 0..<columns {
            for i in 0..<rows { result[i, j] = self[i, j] }
            for i in 0..<other.rows { result[rows + i, j] = other[i, j] }
        }
        return result
    }

    /// Whether every element is finite.
    var isFinite: Bool { storage.allSatisfy(\.isFinite) }
}
