import Testing
@testable import GaussianProcess

/// |actual - expected| <= tolerance * max(|expected|, tiny): relative agreement.
func relativelyClose(_ actual: Double, _ expected: Double, _ tolerance: Double) -> Bool {
    abs(actual - expected) <= tolerance * max(abs(expected), 1e-300)
}

/// A matrix from row-major values with `columns` columns.
func matrix(rowMajor values: [Double], columns: Int) throws -> Matrix {
    let rows = values.count / columns
    return try Matrix(rowMajor: (0..<rows).map { Array(values[($0 * columns)..<(($0 + 1) * columns)]) })
}

func family(named name: String) -> KernelFamily {
    KernelFamily(rawValue: name) ?? .matern52
}

extension ScikitLearnReferences.GradientCase: CustomTestStringConvertible {
    var testDescription: String { family }
}

extension ScikitLearnReferences.OptimisedCase: CustomTestStringConvertible {
    var testDescription: String { name }
}
