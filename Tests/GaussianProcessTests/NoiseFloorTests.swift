import Testing
@testable import GaussianProcess

/// The regressor's noise floor: against scikit-learn with the same bound on its `WhiteKernel`
/// (ScikitLearnReferences.flooredCases, written by Experiments/gp/make_references.py), and its rules.
struct NoiseFloorTests {
    typealias Reference = ScikitLearnReferences.FlooredCase

    func fit(_ reference: Reference, floor: Double) throws -> FittedGaussianProcess {
        let kernel = Kernel(family: .matern52, lengthScales: Array(repeating: 1, count: reference.d), noiseVariance: 1e-2)
        return try GaussianProcessRegressor(kernel: kernel, restarts: 5, seed: 7, noiseFloor: floor)
            .fit(x: matrix(rowMajor: reference.x, columns: reference.d), y: reference.y)
    }

    @Test(arguments: ScikitLearnReferences.flooredCases)
    func flooredFitReachesScikitLearnsLikelihoodAndNoise(_ reference: Reference) throws {
        let fitted = try fit(reference, floor: reference.floor)
        #expect(fitted.logMarginalLikelihood >= reference.lml - 1e-3,
                "\(reference.name): gpnav \(fitted.logMarginalLikelihood), scikit-learn \(reference.lml)")
        let noise = try #require(fitted.kernel.noiseVariance)
        #expect(relativelyClose(noise, reference.noise, 1e-2), "\(reference.name): gpnav \(noise), scikit-learn \(reference.noise)")
    }

    @Test(arguments: ScikitLearnReferences.flooredCases)
    func fittedNoiseNeverFallsBelowTheFloorInTargetUnits(_ reference: Reference) throws {
        let fitted = try fit(reference, floor: reference.floor)
        #expect(fitted.noiseVarianceInTargetUnits >= reference.floor * (1 - 1e-9))
    }

    @Test func bindingFloorRaisesTheNoiseThatTheFreeFitCollapses() throws {
        let reference = try #require(ScikitLearnReferences.flooredCases.first { $0.name == "issue-binding" })
        let free = try fit(reference, floor: 0)
        let floored = try fit(reference, floor: reference.floor)
        // scikit-learn's own free fit sits at its lower bound too; the floor lifts it by orders of magnitude.
        #expect(free.noiseVarianceInTargetUnits < reference.floor / 100)
        #expect(reference.freeNoise < reference.noise / 100)
        #expect(relativelyClose(floored.noiseVarianceInTargetUnits, reference.floor, 1e-6))
    }

    @Test func floorAboveTheNoiseBoundFixesTheNoiseAtTheFloor() throws {
        let x = try Matrix(rowMajor: [[0], [0.3], [0.6], [1]])
        let y = [1.0, 2, 1.5, 3]
        let kernel = Kernel(lengthScales: [1], noiseVariance: 1e-3, bounds: KernelBounds(noiseVariance: 1e-6...1e-2))
        let fitted = try GaussianProcessRegressor(kernel: kernel, noiseFloor: 100).fit(x: x, y: y)
        #expect(relativelyClose(fitted.noiseVarianceInTargetUnits, 100, 1e-9))
    }

    @Test func floorAppliesToAFitWithoutOptimisation() throws {
        let x = try Matrix(rowMajor: [[0], [0.5], [1]])
        let y = [1.0, 3, 2]
        let kernel = Kernel(lengthScales: [0.5], noiseVariance: 1e-6)
        let fitted = try GaussianProcessRegressor(kernel: kernel, optimize: false, noiseFloor: 0.04).fit(x: x, y: y)
        #expect(relativelyClose(fitted.noiseVarianceInTargetUnits, 0.04, 1e-9))
        let free = try GaussianProcessRegressor(kernel: kernel, optimize: false).fit(x: x, y: y)
        #expect(free.kernel == kernel)
    }

    @Test(arguments: [-1.0, .nan, .infinity])
    func invalidFloorIsRefused(_ floor: Double) throws {
        let x = try Matrix(rowMajor: [[0], [1]])
        let kernel = Kernel(lengthScales: [1], noiseVariance: 1e-2)
        #expect(throws: GaussianProcessError.self) {
            try GaussianProcessRegressor(kernel: kernel, noiseFloor: floor).fit(x: x, y: [1, 2])
        }
    }

    @Test func floorWithoutANoiseTermIsRefused() throws {
        let x = try Matrix(rowMajor: [[0], [1]])
        #expect(throws: GaussianProcessError.self) {
            try GaussianProcessRegressor(kernel: Kernel(lengthScales: [1]), noiseFloor: 0.1).fit(x: x, y: [1, 2])
        }
    }
}

extension ScikitLearnReferences.FlooredCase: CustomTestStringConvertible {
    var testDescription: String { name }
}
