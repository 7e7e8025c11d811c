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

    /// log Phi(z) against mpmath's log(ncdf(z)) at 30 digits, on both sides of the switch to the
    /// asymptotic series at z = -30 and where Phi itself underflows (z = -40).
    @Test func logCumulativeMatchesAThirtyDigitReferenceIntoTheFarTail() {
        let references: [(Double, Double)] = [
            (-40, -804.60844201375378817), (-35, -616.97510126192251347), (-31, -484.85396362717928858),
            (-30.5, -469.46273732291211439), (-29, -424.78741990973016268), (-5, -15.064998393988725736),
            (0, -0.69314718055994530942), (3, -0.0013508099647481937988),
        ]
        for (z, expected) in references {
            #expect(relativelyClose(Acquisition.logCumulative(z), expected, 1e-9), "z = \(z)")
        }
        #expect(Acquisition.logCumulative(.nan).isNaN)
    }
}
