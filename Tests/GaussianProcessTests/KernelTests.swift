import Foundation
import Testing
@testable import GaussianProcess

struct KernelTests {
    let x = try! Matrix(rowMajor: [[0.1, 0.9], [0.4, 0.2], [0.8, 0.5], [0.3, 0.3]])

    @Test(arguments: KernelFamily.allCases)
    func gradientMatricesMatchFiniteDifferencesOfTheta(_ family: KernelFamily) throws {
        let kernel = Kernel(family: family, signalVariance: 1.7, lengthScales: [0.6, 1.3], noiseVariance: 0.05)
        let (k, gradient) = kernel.matrixAndGradient(x)
        #expect(k == kernel.matrix(x))
        let step = 1e-6
        for j in kernel.theta.indices {
            var plus = kernel.theta, minus = kernel.theta
            plus[j] += step
            minus[j] -= step
            let kPlus = try kernel.withTheta(plus).matrix(x), kMinus = try kernel.withTheta(minus).matrix(x)
            for e in k.storage.indices {
                let numeric = (kPlus.storage[e] - kMinus.storage[e]) / (2 * step)
                #expect(abs(gradient[j].storage[e] - numeric) < 1e-7)
            }
        }
    }

    @Test func matern52AtUnitScaledDistanceIsTheClosedForm() {
        // r = 1: (1 + sqrt5 + 5/3) exp(-sqrt5), by hand.
        let kernel = Kernel(family: .matern52, signalVariance: 2, lengthScales: [0.5])
        let k = kernel.crossCovariance(try! Matrix(rowMajor: [[0.0]]), try! Matrix(rowMajor: [[0.5]]))
        let expected = 2 * (1 + 5.0.squareRoot() + 5.0 / 3.0) * exp(-5.0.squareRoot())
        #expect(relativelyClose(k[0, 0], expected, 1e-15))
    }

    @Test func noiseSitsOnTheDiagonalOnly() {
        let kernel = Kernel(family: .rbf, signalVariance: 1, lengthScales: [1, 1], noiseVariance: 0.5)
        let k = kernel.matrix(x)
        let cross = kernel.crossCovariance(x, x)
        #expect(k[1, 1] == 1.5)
        #expect(cross[1, 1] == 1)
        #expect(k[0, 1] == cross[0, 1])
    }

    @Test func thetaIsScikitLearnsLogOrderAndRoundTrips() throws {
        var kernel = Kernel(signalVariance: 4, lengthScales: [2, 3], noiseVariance: 0.1)
        #expect(kernel.theta == [log(4), log(2), log(3), log(0.1)])
        kernel.theta = [0, 0, 0, 0]
        #expect(kernel.signalVariance == 1 && kernel.lengthScales == [1, 1] && kernel.noiseVariance == 1)
        #expect(throws: GaussianProcessError.self) { try kernel.withTheta([0, 0]) }
        #expect(kernel.thetaBounds.count == 4)
        #expect(kernel.thetaBounds[0].lower == log(1e-5))
    }
}
