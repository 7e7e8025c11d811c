import Foundation
import Testing
@testable import GaussianProcess

struct RegressorBehaviourTests {
    let x = try! Matrix(rowMajor: [[0.1, 0.2], [0.5, 0.9], [0.9, 0.4], [0.3, 0.7], [0.7, 0.1], [0.2, 0.5]])
    let y = [1.0, 2.5, 0.3, 1.9, -0.4, 1.2]
    var kernel: Kernel { Kernel(family: .matern52, signalVariance: 1.3, lengthScales: [0.4, 0.6], noiseVariance: 0.01) }

    @Test func leaveOneOutEqualsRefittingWithoutEachPoint() throws {
        let fitted = try GaussianProcessRegressor(kernel: kernel, normalizeTargets: false, optimize: false).fit(x: x, y: y)
        let loo = fitted.leaveOneOut()
        for held in 0..<x.rows {
            let keep = (0..<x.rows).filter { $0 != held }
            let reduced = try Matrix(rowMajor: keep.map { x.row($0) })
            let refit = try GaussianProcessRegressor(kernel: kernel, normalizeTargets: false, optimize: false)
                .fit(x: reduced, y: keep.map { y[$0] })
            let direct = refit.predict(try Matrix(rowMajor: [x.row(held)]), includeNoise: true)
            #expect(abs(loo.mean[held] - direct.mean[0]) < 1e-9)
            #expect(abs(loo.standardDeviation[held] - direct.standardDeviation[0]) < 1e-8)
        }
    }

    @Test func aStoppedHyperparameterSearchEndsAfterTheEvaluationsMadeBeforeTheStop() throws {
        let optimised = try GaussianProcessRegressor(kernel: kernel, optimize: true, restarts: 2).fit(x: x, y: y)
        #expect(optimised.kernel != kernel, "the search moves the hyperparameters")
        let evaluations = Counter()
        let stopped = try GaussianProcessRegressor(kernel: kernel, optimize: true, restarts: 2, shouldStop: {
            evaluations.add() > 3
        }).fit(x: x, y: y)
        // Polled before each start and each iteration: the first start makes 2 iterations and
        // stops at the third poll of its own; the other two starts are polled once and not begun.
        #expect(evaluations.value == 6)
        #expect(stopped.kernel != optimised.kernel)
        let never = try GaussianProcessRegressor(kernel: kernel, optimize: true, restarts: 2, shouldStop: { true }).fit(x: x, y: y)
        #expect(never.kernel == kernel, "stopped before the first evaluation: the kernel as given")
    }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        var value: Int { lock.withLock { count } }
        /// Counts one more call and returns the count so far.
        func add() -> Int { lock.withLock { count += 1; return count } }
    }

    @Test func conditioningOnMorePointsEqualsFittingOnTheUnion() throws {
        let first = try Matrix(rowMajor: (0..<4).map { x.row($0) })
        let rest = try Matrix(rowMajor: (4..<6).map { x.row($0) })
        let regressor = GaussianProcessRegressor(kernel: kernel, normalizeTargets: false, optimize: false)
        let conditioned = try regressor.fit(x: first, y: Array(y[0..<4])).conditioned(onAdditional: rest, y: Array(y[4..<6]))
        let whole = try regressor.fit(x: x, y: y)
        let query = try Matrix(rowMajor: [[0.45, 0.55], [0.05, 0.95]])
        let a = conditioned.predict(query), b = whole.predict(query)
        for i in 0..<2 {
            #expect(abs(a.mean[i] - b.mean[i]) < 1e-10)
            #expect(abs(a.standardDeviation[i] - b.standardDeviation[i]) < 1e-10)
        }
        #expect(abs(conditioned.logMarginalLikelihood - whole.logMarginalLikelihood) < 1e-10)
    }

    @Test func predictingAtATrainingPointWithoutNoiseGivesZeroNotNaN() throws {
        let noiseless = Kernel(family: .rbf, lengthScales: [0.3, 0.3])
        let fitted = try GaussianProcessRegressor(kernel: noiseless, optimize: false).fit(x: x, y: y)
        let prediction = fitted.predict(x)
        for i in 0..<x.rows {
            #expect(prediction.standardDeviation[i].isFinite && prediction.standardDeviation[i] >= 0)
            #expect(abs(prediction.mean[i] - y[i]) < 1e-3)
        }
    }

    @Test func duplicatePointsWithoutNoiseAreRescuedByJitter() throws {
        let duplicated = try Matrix(rowMajor: [[0.1], [0.1], [0.1], [0.6]])
        let fitted = try GaussianProcessRegressor(kernel: Kernel(family: .rbf, lengthScales: [1]), alpha: 0, optimize: false)
            .fit(x: duplicated, y: [1, 1, 1, 2])
        #expect(fitted.jitter > 0)
        #expect(fitted.logMarginalLikelihood.isFinite)
        #expect(fitted.predict(try Matrix(rowMajor: [[0.3]])).mean[0].isFinite)
    }

    @Test func constantTargetsKeepUnitScale() throws {
        let fitted = try GaussianProcessRegressor(kernel: kernel, optimize: false).fit(x: x, y: Array(repeating: 5, count: 6))
        #expect(fitted.targetScale == 1)
        #expect(abs(fitted.predict(try Matrix(rowMajor: [[0.5, 0.5]])).mean[0] - 5) < 1e-12)
    }

    @Test func restartsWithTheSameSeedGiveTheSameFit() throws {
        let regressor = GaussianProcessRegressor(kernel: kernel, restarts: 3, seed: 42)
        let a = try regressor.fit(x: x, y: y), b = try regressor.fit(x: x, y: y)
        #expect(a.kernel == b.kernel)
        let bounds = a.kernel.thetaBounds
        for (value, bound) in zip(a.kernel.theta, bounds) {
            #expect(value >= bound.lower - 1e-12 && value <= bound.upper + 1e-12)
        }
    }

    @Test func badInputsAreTypedErrors() throws {
        let regressor = GaussianProcessRegressor(kernel: kernel)
        #expect(throws: GaussianProcessError.tooFewPoints(1)) {
            try regressor.fit(x: Matrix(rowMajor: [[0.1, 0.2]]), y: [1])
        }
        #expect(throws: GaussianProcessError.dimensionMismatch(expected: 2, actual: 1)) {
            try regressor.fit(x: Matrix(rowMajor: [[0.1], [0.2]]), y: [1, 2])
        }
        #expect(throws: GaussianProcessError.nonFinite("training targets")) {
            try regressor.fit(x: x, y: [1, 2, .nan, 4, 5, 6])
        }
        #expect(throws: GaussianProcessError.nonFinite("training inputs")) {
            try regressor.fit(x: Matrix(rowMajor: [[0.1, .infinity], [0.2, 0.3]]), y: [1, 2])
        }
        #expect(throws: GaussianProcessError.self) { try Matrix(rowMajor: [[1, 2], [3]]) }
        #expect(throws: GaussianProcessError.self) { try Matrix(rowMajor: []) }
        #expect(throws: GaussianProcessError.self) { try Matrix(rows: 2, columns: 2, storage: [1, 2, 3]) }
        let badKernel = Kernel(lengthScales: [-1, 1])
        #expect(throws: GaussianProcessError.self) { try GaussianProcessRegressor(kernel: badKernel).fit(x: x, y: y) }
    }

    @Test func matrixIsColumnMajor() throws {
        let m = try Matrix(rowMajor: [[1, 2, 3], [4, 5, 6]])
        #expect(m.storage == [1, 4, 2, 5, 3, 6])
        #expect(m[1, 2] == 6)
    }
}
