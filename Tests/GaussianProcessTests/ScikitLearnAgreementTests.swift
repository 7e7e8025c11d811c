import Testing
@testable import GaussianProcess

/// Agreement with scikit-learn 1.9.1 on the issue's public case and on generated data sets
/// (numbers in ScikitLearnReferences.swift, written by Experiments/gp/make_references.py).
struct ScikitLearnAgreementTests {
    typealias Reference = ScikitLearnReferences

    func issueFit(noise: Double? = nil) throws -> FittedGaussianProcess {
        let kernel = Kernel(family: .matern52, signalVariance: 1, lengthScales: [0.5, 0.7, 0.9], noiseVariance: noise)
        let regressor = GaussianProcessRegressor(kernel: kernel, alpha: 1e-10, normalizeTargets: true, optimize: false)
        return try regressor.fit(x: matrix(rowMajor: Reference.issueX, columns: 3), y: Reference.issueY)
    }

    @Test func issueCaseLogMarginalLikelihoodMatchesScikitLearn() throws {
        let fitted = try issueFit()
        #expect(relativelyClose(fitted.logMarginalLikelihood, -11.151649289251, 1e-8))
        #expect(relativelyClose(fitted.logMarginalLikelihood, Reference.issueLML, 1e-10))
    }

    @Test func issueCasePredictionAtCentreMatchesScikitLearn() throws {
        let prediction = try issueFit().predict(Matrix(rowMajor: [[0.5, 0.5, 0.5]]))
        #expect(relativelyClose(prediction.mean[0], 74.29667997791063, 1e-8))
        #expect(relativelyClose(prediction.standardDeviation[0], 0.3452755408614634, 1e-8))
    }

    @Test func issueCaseBatchPredictionMatchesScikitLearn() throws {
        let prediction = try issueFit().predict(matrix(rowMajor: Reference.issueQueryX, columns: 3))
        for i in 0..<5 {
            #expect(relativelyClose(prediction.mean[i], Reference.issueQueryMean[i], 1e-8))
            #expect(relativelyClose(prediction.standardDeviation[i], Reference.issueQueryStd[i], 1e-7))
        }
    }

    @Test func issueCaseWithNoiseGivesScikitLearnLikelihoodAndGradient() throws {
        let fitted = try issueFit(noise: 1e-3)
        #expect(relativelyClose(fitted.logMarginalLikelihood, -11.159851243663, 1e-8))
        let expected = [4.152735128220142, 0.7648705518630871, -5.082494110601269, -1.3307359125929317, -0.008036365061429653]
        let (value, gradient) = try fitted.logMarginalLikelihoodAndGradient(theta: fitted.kernel.theta)
        #expect(relativelyClose(value, -11.159851243663, 1e-8))
        #expect(gradient.count == expected.count)
        for (actual, wanted) in zip(gradient, expected) {
            #expect(relativelyClose(actual, wanted, 1e-8))
        }
    }

    @Test func issueCaseWithNoisePredictsScikitLearnsObservationStd() throws {
        let fitted = try issueFit(noise: 1e-3)
        let prediction = fitted.predict(try matrix(rowMajor: Reference.issueQueryX, columns: 3), includeNoise: true)
        for i in 0..<5 {
            #expect(relativelyClose(prediction.mean[i], Reference.issueNoiseQueryMean[i], 1e-8))
            #expect(relativelyClose(prediction.standardDeviation[i], Reference.issueNoiseQueryStd[i], 1e-8))
        }
        let latent = fitted.predict(try matrix(rowMajor: Reference.issueQueryX, columns: 3))
        #expect(zip(latent.standardDeviation, prediction.standardDeviation).allSatisfy { $0 < $1 })
    }

    @Test(arguments: ScikitLearnReferences.gradientCases)
    func likelihoodGradientMatchesScikitLearnForEachFamily(_ reference: ScikitLearnReferences.GradientCase) throws {
        let kernel = Kernel(family: family(named: reference.family), lengthScales: [1, 1], noiseVariance: 1)
        let fitted = try GaussianProcessRegressor(kernel: kernel.withTheta(reference.theta), optimize: false)
            .fit(x: matrix(rowMajor: reference.x, columns: reference.d), y: reference.y)
        #expect(relativelyClose(fitted.logMarginalLikelihood, reference.lml, 1e-9))
        let (_, gradient) = try fitted.logMarginalLikelihoodAndGradient(theta: reference.theta)
        for (actual, wanted) in zip(gradient, reference.gradient) {
            #expect(abs(actual - wanted) <= 1e-8 * max(abs(wanted), 1e-3))
        }
    }

    @Test(arguments: ScikitLearnReferences.optimisedCases)
    func optimisedFitReachesScikitLearnsLikelihood(_ reference: ScikitLearnReferences.OptimisedCase) throws {
        let kernel = Kernel(family: family(named: reference.family), lengthScales: Array(repeating: 1, count: reference.d),
                            noiseVariance: reference.noise ? 1e-2 : nil)
        let fitted = try GaussianProcessRegressor(kernel: kernel, restarts: 5, seed: 7)
            .fit(x: matrix(rowMajor: reference.x, columns: reference.d), y: reference.y)
        #expect(fitted.logMarginalLikelihood >= reference.lml - 1e-3,
                "\(reference.name): gpnav \(fitted.logMarginalLikelihood), scikit-learn \(reference.lml)")
    }
}
