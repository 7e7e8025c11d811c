import GaussianProcess
import Testing
@testable import GPNav

@Suite("Non-negative least squares")
struct NonNegativeLeastSquaresTests {
    // References: scipy.optimize.nnls 1.17.1 (Lawson-Hanson), computed outside this code.

    @Test func matchesScipysDocumentedExample() throws {
        let solution = try NonNegativeLeastSquares(matrix: [1, 1, 0, 0, 0, 1], rows: 3, columns: 2, target: [2, 1, 1])
        #expect(abs(solution.coefficients[0] - 1.5) < 1e-12 && abs(solution.coefficients[1] - 1) < 1e-12)
        #expect(abs(solution.residualNorm - 0.7071067811865476) < 1e-12)
    }

    @Test func matchesScipyWhereTheUnconstrainedSolutionHasNegativeCoefficients() throws {
        let columns: [[Double]] = [[3.1, 1.5, 4.0, 1.3, 5.0, 1.1], [4.5, 4.4, 2.3, 2.2, 4.0, 0.8],
                                   [3.9, 0.0, 1.5, 2.5, 3.1, 3.1], [1.1, 4.1, 1.4, 2.8, 4.9, 0.2]]
        let solution = try NonNegativeLeastSquares(matrix: columns.flatMap { $0 }, rows: 6, columns: 4,
                                                   target: [-1.6, 3.1, 2.7, 7.2, 4.3, 3.1])
        let expected = [0, 0, 0.26040049, 0.94421256]
        for (found, reference) in zip(solution.coefficients, expected) { #expect(abs(found - reference) < 1e-7) }
        #expect(abs(solution.residualNorm - 5.990486968439399) < 1e-9)
    }

    @Test func meetsTheOptimalityConditionsOnRandomProblems() throws {
        var generator = SplitMix64(seed: 11)
        for _ in 0..<200 {
            let rows = Int.random(in: 1...12, using: &generator)
            let columns = Int.random(in: 1...8, using: &generator)
            let matrix = (0..<(rows * columns)).map { _ in Double.random(in: -1...3, using: &generator) }
            let target = (0..<rows).map { _ in Double.random(in: -5...5, using: &generator) }
            let x = try NonNegativeLeastSquares(matrix: matrix, rows: rows, columns: columns, target: target).coefficients
            #expect(x.allSatisfy { $0 >= 0 })
            var residual = target
            for j in 0..<columns { for i in 0..<rows { residual[i] -= matrix[j * rows + i] * x[j] } }
            let scale = 1e-7 * (1 + target.map(abs).max()!) * 3 * Double(rows)
            for j in 0..<columns {
                let gradient = (0..<rows).reduce(0.0) { $0 + matrix[j * rows + $1] * residual[$1] }
                // Karush-Kuhn-Tucker: no descent direction into x_j >= 0, and none along a positive x_j.
                #expect(gradient <= scale)
                if x[j] > 0 { #expect(abs(gradient) <= scale) }
            }
        }
    }

    @Test func recoversExactNonNegativeCoefficientsOfCollinearFeaturesFitWithoutFailing() throws {
        // Column 2 is twice column 1: the fit must not fail, and must reproduce the target.
        let first: [Double] = [1, 2, 3, 4]
        let matrix = first + first.map { 2 * $0 } + [1, 1, 1, 1]
        let target = first.map { 3 * $0 + 0.5 }
        let solution = try NonNegativeLeastSquares(matrix: matrix, rows: 4, columns: 3, target: target)
        #expect(solution.residualNorm < 1e-9)
        #expect(abs(solution.coefficients[0] + 2 * solution.coefficients[1] - 3) < 1e-9)
        #expect(abs(solution.coefficients[2] - 0.5) < 1e-9)
    }

    @Test func refusesNaNAndBadShapes() {
        #expect(throws: NonNegativeLeastSquares.Failure.notFinite) {
            try NonNegativeLeastSquares(matrix: [1, .nan], rows: 2, columns: 1, target: [1, 2])
        }
        #expect(throws: NonNegativeLeastSquares.Failure.notFinite) {
            try NonNegativeLeastSquares(matrix: [1, 2], rows: 2, columns: 1, target: [1, .infinity])
        }
        #expect(throws: NonNegativeLeastSquares.Failure.shape) {
            try NonNegativeLeastSquares(matrix: [1, 2, 3], rows: 2, columns: 2, target: [1, 2])
        }
    }
}
