import Foundation
import Testing
@testable import GaussianProcess

/// Sizes from the user never multiply into an unchecked allocation: a fit refuses more points
/// than its limit, and predictions go in blocks whatever the number of query rows.
struct BoundedSizeTests {
    @Test func aFitRefusesMorePointsThanItsLimitNamingIt() throws {
        let n = GaussianProcessRegressor.maximumTrainingPoints + 1
        let x = try Matrix(rows: n, columns: 1, storage: (0..<n).map { Double($0) })
        let regressor = GaussianProcessRegressor(kernel: Kernel(family: .rbf, signalVariance: 1, lengthScales: [1]))
        #expect(throws: GaussianProcessError.tooManyPoints(n, limit: GaussianProcessRegressor.maximumTrainingPoints)) {
            try regressor.fit(x: x, y: (0..<n).map { sin(Double($0)) })
        }
    }

    @Test func predictionsInBlocksEqualOneBatch() throws {
        // 2000 training points make blocks of 2000 query rows; 4500 rows take three blocks.
        let n = 2_000
        let x = try Matrix(rows: n, columns: 2, storage: (0..<(2 * n)).map { sin(Double($0) * 0.37) * 3 })
        let kernel = Kernel(family: .matern32, signalVariance: 1.3, lengthScales: [0.8, 1.1], noiseVariance: 0.05)
        let fitted = try GaussianProcessRegressor(kernel: kernel, optimize: false)
            .fit(x: x, y: (0..<n).map { cos(Double($0) * 0.11) })
        let m = 4_500
        let queries = try Matrix(rows: m, columns: 2, storage: (0..<(2 * m)).map { cos(Double($0) * 0.23) * 3 })
        #expect(FittedGaussianProcess.crossCovarianceBudget / n < m)
        let blocked = try fitted.checkedPrediction(queries, includeNoise: true)
        let whole = fitted.predict(queries, includeNoise: true)
        #expect(blocked.mean.count == m)
        #expect(zip(blocked.mean, whole.mean).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) })
        #expect(zip(blocked.standardDeviation, whole.standardDeviation).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) })
    }
}
