import Foundation
import GaussianProcess
import MobileViT
import Testing
@testable import GPNav

@Suite("Variance decomposition")
struct VarianceDecompositionTests {
    /// f(a, b) = a + 2b + ab on {0, 1}^2, by hand: mean 7/4, main effects +-3/4 and +-5/4, pair
    /// effect +-1/4, so V_a = 9/16, V_b = 25/16, V_ab = 1/16, V = 35/16.
    @Test func twoByTwoGridMatchesTheHandComputedSobolIndices() throws {
        let decomposition = try VarianceDecomposition(values: [0, 2, 1, 4], shape: [2, 2])
        #expect(abs(decomposition.mean - 1.75) < 1e-15)
        #expect(abs(decomposition.variance - 35.0 / 16) < 1e-15)
        #expect(abs(decomposition.mainShares[0] - 9.0 / 35) < 1e-15)
        #expect(abs(decomposition.mainShares[1] - 25.0 / 35) < 1e-15)
        #expect(abs((decomposition.pairShare(0, 1) ?? -1) - 1.0 / 35) < 1e-15)
        #expect(abs(decomposition.remainderShare) < 1e-15)
    }

    /// f = x1 x2 x3 on {-1, 1}^3 is a pure three-way interaction: every conditional mean of one
    /// or two factors is 0, so all of the variance (1) is in the remainder.
    @Test func pureThreeWayInteractionIsAllRemainder() throws {
        var values: [Double] = []
        for a in [-1.0, 1] { for b in [-1.0, 1] { for c in [-1.0, 1] { values.append(a * b * c) } } }
        let decomposition = try VarianceDecomposition(values: values, shape: [2, 2, 2])
        #expect(decomposition.mainShares.allSatisfy { abs($0) < 1e-15 })
        #expect(decomposition.pairShares.allSatisfy { abs($0.share) < 1e-15 })
        #expect(abs(decomposition.remainderShare - 1) < 1e-15)
        #expect(decomposition.pairShares.map { [$0.first, $0.second] } == [[0, 1], [0, 2], [1, 2]])
    }

    /// An additive function g(x) + h(y) over an uneven grid: shares are Var g / (Var g + Var h).
    @Test func additiveFunctionHasNoInteractionShares() throws {
        let g = [0.0, 1, 5]      // mean 2, variance (4 + 1 + 9) / 3 = 14/3
        let h = [2.0, -2]        // variance 4
        var values: [Double] = []
        for a in g { for b in h { values.append(a + b) } }
        let decomposition = try VarianceDecomposition(values: values, shape: [3, 2])
        let vg = 14.0 / 3
        #expect(abs(decomposition.mainShares[0] - vg / (vg + 4)) < 1e-14)
        #expect(abs(decomposition.mainShares[1] - 4 / (vg + 4)) < 1e-14)
        #expect(abs(decomposition.pairShare(1, 0) ?? -1) < 1e-14)
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5])
    func sharesOfARandomFourDimensionalGridSumToOneAndIgnoreAffineMaps(seed: UInt64) throws {
        var generator = SplitMix64(state: seed)
        let shape = [3, 4, 2, 5]
        let values = (0..<120).map { _ in Double(generator.next() % 10_000) / 100 }
        let decomposition = try VarianceDecomposition(values: values, shape: shape)
        let total = decomposition.mainShares.reduce(0, +) + decomposition.pairShares.reduce(0) { $0 + $1.share }
            + decomposition.remainderShare
        #expect(abs(total - 1) < 1e-14)
        #expect(decomposition.mainShares.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(decomposition.remainderShare > -1e-12)
        let mapped = try VarianceDecomposition(values: values.map { 3 - 2.5 * $0 }, shape: shape)
        for (a, b) in zip(decomposition.mainShares, mapped.mainShares) { #expect(abs(a - b) < 1e-12) }
        for (a, b) in zip(decomposition.pairShares, mapped.pairShares) { #expect(abs(a.share - b.share) < 1e-12) }
    }

    @Test func constantFunctionPutsEverythingInTheRemainder() throws {
        let decomposition = try VarianceDecomposition(values: Array(repeating: 71.5, count: 12), shape: [3, 4])
        #expect(decomposition.mainShares == [0, 0])
        #expect(decomposition.remainderShare == 1)
    }

    @Test func badShapesAndNonFiniteValuesAreRefused() {
        #expect(throws: VarianceDecomposition.DecompositionError.shape) {
            try VarianceDecomposition(values: [1, 2, 3], shape: [2, 2])
        }
        #expect(throws: VarianceDecomposition.DecompositionError.shape) {
            try VarianceDecomposition(values: [], shape: [0, 2])
        }
        #expect(throws: VarianceDecomposition.DecompositionError.nonFinite) {
            try VarianceDecomposition(values: [1, .nan], shape: [2])
        }
    }
}

@Suite("Leave-one-out cross-validation")
struct CrossValidationTests {
    /// The closed form (R&W eq. 5.12) against brute force: refit with the same hyperparameters
    /// on n - 1 points and predict the left-out one with the noise (R&W eq. 5.10 by hand).
    @Test func closedFormMatchesRefittingWithoutEachPoint() throws {
        let xs: [[Double]] = [[0.1, 0.2], [0.4, 0.9], [0.7, 0.3], [0.9, 0.8], [0.3, 0.5], [0.55, 0.05]]
        let ys = [1.0, 2.5, 0.3, 1.9, 1.2, -0.4]
        let kernel = Kernel(family: .matern52, signalVariance: 1.3, lengthScales: [0.4, 0.7], noiseVariance: 0.05)
        let regressor = GaussianProcessRegressor(kernel: kernel, normalizeTargets: false, optimize: false)
        let scores = try CrossValidation(try regressor.fit(x: try Matrix(rowMajor: xs), y: ys))
        var squares = 0.0
        var density = 0.0
        for i in xs.indices {
            let keep = xs.indices.filter { $0 != i }
            let fitted = try regressor.fit(x: try Matrix(rowMajor: keep.map { xs[$0] }), y: keep.map { ys[$0] })
            let prediction = fitted.predict(try Matrix(rowMajor: [xs[i]]), includeNoise: true)
            let (mu, sigma) = (prediction.mean[0], prediction.standardDeviation[0])
            squares += (ys[i] - mu) * (ys[i] - mu)
            density += -0.5 * log(2 * Double.pi * sigma * sigma) - (ys[i] - mu) * (ys[i] - mu) / (2 * sigma * sigma)
        }
        #expect(scores.observationCount == 6)
        #expect(abs(scores.rmse - (squares / 6).squareRoot()) < 1e-8)
        #expect(abs(scores.logPredictiveDensity - density) < 1e-8)
    }
}

@Suite("Factor analysis")
struct FactorAnalysisTests {
    /// A small space: 5 resolutions, 5 widths, 4 x 4 depth multipliers.
    static let space = SearchSpace(resolutions: [128, 160, 192, 224, 256], widths: [0.5, 0.75, 1.0, 1.25, 1.5],
                                   mv2DepthMultipliers: [0.5, 1.0, 1.5, 2.0], vitDepthMultipliers: [0.5, 1.0, 1.5, 2.0])

    /// Ground truth: accuracy depends on resolution and width only (concave in both logs, with
    /// an interaction), plus a little deterministic noise; the two depths are irrelevant.
    static func groundTruth(_ a: Architecture, noise: Double) -> Double {
        let r = log2(Double(a.resolution) / 128)
        let w = log2(a.width / 0.5)
        return 60 + 6 * r - 1.5 * r * r + 7 * w - 1.2 * w * w + 0.8 * r * w + noise
    }

    static func study(joint: Bool, budget: Budget = Budget()) -> Study {
        Study(id: 1, name: "synthetic", settings: StudySettings(space: space, budget: budget, targetTrials: 0, seed: 3,
                                                              jointFactors: joint, evaluator: "test"))
    }

    static func trials(count: Int, seed: UInt64) throws -> [Trial] {
        var generator = SplitMix64(state: seed)
        var seen: Set<GridPoint> = []
        var trials: [Trial] = []
        while trials.count < count {
            let point = GridPoint(resolution: Int(generator.next() % 5), width: Int(generator.next() % 5),
                                  mv2Depth: Int(generator.next() % 4), vitDepth: Int(generator.next() % 4))
            guard seen.insert(point).inserted else { continue }
            let architecture = try space.architecture(at: point)
            let noise = (Double(generator.next() % 1000) / 1000 - 0.5) * 0.1
            let cost = CostModel.cost(of: architecture)
            trials.append(Trial(studyID: 1, number: trials.count, state: .complete, architecture: architecture,
                                macs: cost.macs, params: cost.params, accuracy: groundTruth(architecture, noise: noise),
                                proposal: Proposal(kind: .random), startedAt: Fixtures.epoch))
        }
        return trials
    }

    @Test(arguments: [false, true])
    func relevanceRankingRecoversTheIrrelevantDepthFactors(joint: Bool) throws {
        let analysis = try FactorAnalysis.analyze(study: Self.study(joint: joint), trials: try Self.trials(count: 45, seed: 11))
        let shares = Dictionary(uniqueKeysWithValues: analysis.mainShares.map { ($0.factors[0], $0.share) })
        let scales = Dictionary(uniqueKeysWithValues: analysis.inputs.map { ($0.name, $0.lengthScale) })
        // The irrelevant depths get the two smallest shares and, among the global factors, the two
        // longest length scales; resolution and width carry nearly all the variance.
        #expect(shares["mv2_depth", default: 1] < 0.01)
        #expect(shares["vit_depth", default: 1] < 0.01)
        #expect(shares["resolution", default: 0] > 0.2)
        #expect(shares["width", default: 0] > 0.2)
        if !joint {
            for depth in ["mv2_depth", "vit_depth"] {
                #expect(scales[depth, default: 0] > 3 * max(scales["resolution", default: .infinity], scales["width", default: .infinity]))
            }
            #expect(Set(analysis.inputs.filter { $0.rank <= 2 }.map(\.name)) == ["resolution", "width"])
        }
        let total = analysis.mainShares.reduce(0) { $0 + $1.share } + analysis.pairShares.reduce(0) { $0 + $1.share }
            + analysis.remainderShare
        #expect(abs(total - 1) < 1e-12)
        #expect(analysis.pairShares.count == 6)
        #expect(analysis.includesJointFactors == joint)
        #expect(analysis.inputs.count == (joint ? 6 : 4))
        // The model predicts the smooth ground truth to within a fraction of a point.
        #expect(analysis.crossValidation.rmse < 0.5)
    }

    @Test func designPrinciplesShowFlatIrrelevantDepthsAndOrderTheShrinkableFactors() throws {
        let trials = try Self.trials(count: 45, seed: 11)
        let analysis = try FactorAnalysis.analyze(study: Self.study(joint: false, budget: Budget(macs: 600_000_000)),
                                                  trials: trials)
        let principles = try #require(analysis.principles)
        #expect(principles.best.macs <= 600_000_000)
        // Along the irrelevant depths the mean is flat: a tiny gain per extra GMAC, next to
        // several points per GMAC along resolution and width.
        let up = Dictionary(uniqueKeysWithValues: principles.slopes.map { ($0.factor, $0.up?.pointsPerGMAC ?? .nan) })
        #expect(abs(up["mv2_depth", default: .nan]) < 0.5)
        #expect(abs(up["vit_depth", default: .nan]) < 0.5)
        #expect(up["resolution", default: .nan] > 2)
        #expect(up["width", default: .nan] > 2)
        // Shrink first / last are the extreme losses per GMAC saved among factors that can shrink.
        let losses = principles.slopes.compactMap { slope in slope.down.map { (slope.factor, $0.pointsPerGMAC) } }
        #expect(principles.shrinkFirst == losses.min { $0.1 < $1.1 }?.0)
        #expect(principles.shrinkLast == losses.max { $0.1 < $1.1 }?.0)
        // Each step's slope is the mean change over the exact MACs change, in points per GMAC.
        for slope in principles.slopes {
            for step in [slope.up, slope.down].compactMap({ $0 }) {
                let expected = (step.predictedAccuracy - principles.centrePredictedAccuracy)
                    / (Double(step.macs - principles.centreMACs) / 1e9)
                #expect(abs(step.pointsPerGMAC - expected) < 1e-9)
                #expect(step.macs == CostModel.cost(of: step.architecture).macs)
            }
        }
        #expect(principles.slopes.map(\.factor) == FactorEncoding.globalFactorNames)
        #expect(analysis.statements.contains { $0.contains("shrink") && $0.contains("points per GMAC saved") })
    }

    /// "Width matters most ... (length scale 100)" read as a contradiction: a length scale at the
    /// fit's bound is explained, and a step down's slope is said as accuracy lost or gained.
    @Test func aLengthScaleAtItsBoundIsExplainedAndAStepDownSaysLossOrGain() throws {
        var analysis = try FactorAnalysis.analyze(study: Self.study(joint: false, budget: Budget(macs: 600_000_000)),
                                                  trials: try Self.trials(count: 45, seed: 11))
        for index in analysis.inputs.indices { analysis.inputs[index].lengthScale = 1 }
        #expect(!analysis.statements.contains { $0.contains("upper bound") })
        analysis.inputs[1].lengthScale = AccuracyModel.bounds.lengthScale.upperBound
        #expect(analysis.inputs[1].isAtUpperBound && !analysis.inputs[0].isAtUpperBound)
        let explained = try #require(analysis.statements.first { $0.contains("upper bound") })
        #expect(explained.contains("(100, \(analysis.inputs[1].name) here)") && explained.contains("not that it changes little"))
        #expect(FactorAnalysis.perGMACSaved(40.2) == "loses 40.2 points per GMAC saved")
        #expect(FactorAnalysis.perGMACSaved(-3.1) == "gains 3.1 points per GMAC saved")
        #expect(!analysis.statements.contains { $0.contains("loses -") })
    }

    @Test func fewerThanThreeCompleteTrialsIsAClearError() throws {
        var trials = try Self.trials(count: 3, seed: 5)
        trials[2].state = .failed
        #expect(throws: FactorAnalysisError.tooFewTrials(study: "synthetic", complete: 2, needed: 3)) {
            try FactorAnalysis.analyze(study: Self.study(joint: true), trials: trials)
        }
        let message = FactorAnalysisError.tooFewTrials(study: "synthetic", complete: 2, needed: 3).description
        #expect(!message.contains("\n"))
    }
}
