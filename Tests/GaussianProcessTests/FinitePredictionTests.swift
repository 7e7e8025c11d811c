import Foundation
import Testing
@testable import GaussianProcess

/// Inputs near the end of double precision: correlations at an infinite scaled distance are 0
/// (not infinity x 0 = NaN), and a prediction that still cannot be finite is an error.
struct FinitePredictionTests {
    @Test(arguments: KernelFamily.allCases)
    func theCorrelationAtAnOverflowingDistanceIsZero(_ family: KernelFamily) throws {
        let kernel = Kernel(family: family, signalVariance: 1.5, lengthScales: [0.25])
        let k = kernel.crossCovariance(try Matrix(rowMajor: [[-1.6e308], [0]]), try Matrix(rowMajor: [[1.6e308], [3e3]]))
        #expect(k.storage.allSatisfy { $0 == 0 }, "\(k.storage)")
        let (matrix, gradient) = kernel.matrixAndGradient(try Matrix(rowMajor: [[-1.6e308], [1.6e308]]))
        #expect(matrix.storage == [1.5, 0, 0, 1.5])
        #expect(gradient.allSatisfy { $0.storage.allSatisfy(\.isFinite) })
    }

    @Test(arguments: KernelFamily.allCases)
    func farQueriesGetThePriorNotNaN(_ family: KernelFamily) throws {
        let x = try Matrix(rowMajor: [[0], [1], [2], [3]])
        let fitted = try GaussianProcessRegressor(kernel: Kernel(family: family, signalVariance: 1, lengthScales: [1]))
            .fit(x: x, y: [1, 2, 2.5, 2])
        let prediction = try fitted.checkedPrediction(try Matrix(rowMajor: [[1.79e308], [-1.79e308], [-8e307]]))
        #expect(prediction.mean.allSatisfy { abs($0 - fitted.targetMean) < 1e-9 }, "\(prediction.mean)")
        #expect(prediction.standardDeviation.allSatisfy { $0 > 0 && $0.isFinite })
    }

    @Test func aQueryThatOverflowsLikeATrainingPointIsAnErrorNamingItsRow() throws {
        let kernel = Kernel(family: .rbf, signalVariance: 1, lengthScales: [0.5])
        let x = try Matrix(rowMajor: [[0], [1], [2]])
        let fitted = try GaussianProcessRegressor(kernel: kernel, optimize: false).fit(x: x, y: [1, 3, 2])
        // 1.5e308 / 0.5 overflows; two such points are infinity - infinity apart: NaN.
        let far = try GaussianProcessRegressor(kernel: kernel, optimize: false)
            .fit(x: try Matrix(rowMajor: [[0], [1.5e308], [2]]), y: [1, 3, 2])
        #expect(throws: GaussianProcessError.nonFinitePrediction(row: 2)) {
            try far.checkedPrediction(try Matrix(rowMajor: [[1], [1.5e308]]))
        }
        #expect(throws: GaussianProcessError.nonFinite("query inputs")) {
            try fitted.checkedPrediction(try Matrix(rowMajor: [[.nan]]))
        }
    }
}
