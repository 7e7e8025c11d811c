import Foundation
import Testing
@testable import GaussianProcess

struct AcquisitionTests {
    @Test func logHMatchesFiftyDigitReferenceFromTheCentreToFarTail() {
        for (z, expected) in zip(ScikitLearnReferences.logHArguments, ScikitLearnReferences.logHValues) {
            #expect(relativelyClose(Acquisition.logH(z), expected, 1e-11), "z = \(z)")
        }
    }

    @Test func expectedImprovementAtZeroMarginIsSigmaTimesDensityAtZero() {
        // z = 0: EI = sigma phi(0) = sigma / sqrt(2 pi).
        let ei = Acquisition.expectedImprovement(mean: 3, standardDeviation: 2, best: 3)
        #expect(relativelyClose(ei, 2 / (2 * Double.pi).squareRoot(), 1e-15))
        #expect(relativelyClose(Acquisition.logExpectedImprovement(mean: 3, standardDeviation: 2, best: 3), log(ei), 1e-14))
    }

    @Test func logExpectedImprovementStaysFiniteWhereExpectedImprovementUnderflows() {
        let ei = Acquisition.expectedImprovement(mean: 0, standardDeviation: 1, best: 50)
        let logEI = Acquisition.logExpectedImprovement(mean: 0, standardDeviation: 1, best: 50)
        #expect(ei == 0)
        #expect(logEI.isFinite && logEI < -1000)
        // Farther is worse: the ranking survives in the tail.
        #expect(Acquisition.logExpectedImprovement(mean: 0, standardDeviation: 1, best: 60) < logEI)
    }

    @Test func zeroStandardDeviationGivesTheDeterministicImprovement() {
        #expect(Acquisition.expectedImprovement(mean: 5, standardDeviation: 0, best: 3) == 2)
        #expect(Acquisition.expectedImprovement(mean: 1, standardDeviation: 0, best: 3) == 0)
        #expect(Acquisition.logExpectedImprovement(mean: 1, standardDeviation: 0, best: 3) == -.infinity)
        #expect(Acquisition.probabilityOfImprovement(mean: 5, standardDeviation: 0, best: 3) == 1)
        #expect(Acquisition.probabilityOfImprovement(mean: 1, standardDeviation: 0, best: 3) == 0)
    }

    @Test func probabilityOfImprovementAndUpperConfidenceBoundByHand() {
        // Phi(1) = 0.8413447460685429 (standard normal table).
        #expect(relativelyClose(Acquisition.probabilityOfImprovement(mean: 2, standardDeviation: 1, best: 1), 0.8413447460685429, 1e-14))
        #expect(Acquisition.upperConfidenceBound(mean: 1, standardDeviation: 0.5, beta: 4) == 2)
    }
}
