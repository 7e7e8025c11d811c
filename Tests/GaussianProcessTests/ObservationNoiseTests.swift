import Foundation
import Testing
@testable import GaussianProcess

/// Per-point observation noise (scikit-learn's `alpha` as an array): against R&W eqs. 2.22 to
/// 2.24 with Sigma_n = diag(noise), worked out by hand for two points, and its limits.
struct ObservationNoiseTests {
    /// RBF, signal variance 1, length scale 1, white noise 0.1, fixed; no target normalisation and
    /// no alpha, so that the textbook formula applies as written.
    let regressor = GaussianProcessRegressor(
        kernel: Kernel(family: .rbf, signalVariance: 1, lengthScales: [1], noiseVariance: 0.1),
        alpha: 0, normalizeTargets: false, optimize: false)
    let x: Matrix
    let y = [1.0, 2.0]

    init() throws { x = try Matrix(rowMajor: [[0], [1]]) }

    @Test func twoPointPosteriorMatchesTheTextbookFormula() throws {
        let extra = [0.5, 0.0]
        let fitted = try regressor.fit(x: x, y: y, observationNoise: extra)
        // K + Sigma = [[a, c], [c, d]], a 2 x 2 inverse written out (eq. 2.22 to 2.24).
        let c = exp(-0.5)
        let a = 1 + 0.1 + extra[0]
        let d = 1 + 0.1 + extra[1]
        let determinant = a * d - c * c
        let k = exp(-0.125)  // k(0.5, 0) = k(0.5, 1)
        let weights = [(d * y[0] - c * y[1]) / determinant, (a * y[1] - c * y[0]) / determinant]
        let mean = k * weights[0] + k * weights[1]
        let explained = k * k * (d - c + a - c) / determinant
        let prediction = fitted.predict(try Matrix(rowMajor: [[0.5]]))
        #expect(abs(prediction.mean[0] - mean) < 1e-12, "\(prediction.mean[0]) against \(mean)")
        #expect(abs(prediction.standardDeviation[0] - (1 - explained).squareRoot()) < 1e-12)
        let logLikelihood = -0.5 * (y[0] * weights[0] + y[1] * weights[1]) - 0.5 * log(determinant) - log(2 * Double.pi)
        #expect(abs(fitted.logMarginalLikelihood - logLikelihood) < 1e-12)
    }

    @Test func zeroNoiseEverywhereIsTheFitWithout() throws {
        let query = try Matrix(rowMajor: [[0.3], [2]])
        let with = try regressor.fit(x: x, y: y, observationNoise: [0, 0]).predict(query)
        let without = try regressor.fit(x: x, y: y).predict(query)
        #expect(with.mean == without.mean && with.standardDeviation == without.standardDeviation)
    }

    @Test func aPointOfHugeNoiseCountsForNothing() throws {
        let three = try Matrix(rowMajor: [[0], [1], [0.4]])
        let query = try Matrix(rowMajor: [[0.2], [0.7]])
        let drowned = try regressor.fit(x: three, y: y + [40], observationNoise: [0, 0, 1e12]).predict(query)
        let twoOnly = try regressor.fit(x: x, y: y).predict(query)
        for row in 0..<2 {
            #expect(abs(drowned.mean[row] - twoOnly.mean[row]) < 1e-9)
            #expect(abs(drowned.standardDeviation[row] - twoOnly.standardDeviation[row]) < 1e-9)
        }
    }

    @Test func moreNoiseOnAPointPullsThePosteriorLessTowardIt() throws {
        let query = try Matrix(rowMajor: [[0]])
        var last = -Double.infinity
        for noise in [0.0, 0.1, 1, 10] {
            // A low target at 0: the more noise it carries, the higher the posterior stays there.
            let mean = try regressor.fit(x: x, y: [-3, 2], observationNoise: [noise, 0]).predict(query).mean[0]
            #expect(mean > last)
            last = mean
        }
    }

    @Test func fantasiesAddedLaterCarryNoExtraNoise() throws {
        let fitted = try regressor.fit(x: x, y: y, observationNoise: [0.5, 0])
        let conditioned = try fitted.conditioned(onAdditional: try Matrix(rowMajor: [[2]]), y: [3])
        #expect(conditioned.observationNoise?.count == 3 && conditioned.observationNoise?.last == 0)
    }

    @Test func malformedNoiseIsRefused() {
        #expect(throws: GaussianProcessError.self) { try regressor.fit(x: x, y: y, observationNoise: [0.1]) }
        #expect(throws: GaussianProcessError.self) { try regressor.fit(x: x, y: y, observationNoise: [-1, 0]) }
        #expect(throws: GaussianProcessError.self) { try regressor.fit(x: x, y: y, observationNoise: [.nan, 0]) }
    }
}
