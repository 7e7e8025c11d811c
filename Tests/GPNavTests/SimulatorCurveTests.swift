import Foundation
import MobileViT
import Testing

@testable import GPNav

private func architecture(_ resolution: Int, _ width: Double, mv2: [Int] = [1, 2], vit: [Int] = [2, 4, 3]) throws -> Architecture {
    try Architecture(resolution: resolution, width: width, mv2Depths: mv2, vitDepths: vit)
}

/// A request with the architecture's exact MACs, as a search sends it.
private func request(_ architecture: Architecture, trial: Int = 0, epochs: Int?) -> EvaluationRequest {
    let cost = CostModel.cost(of: architecture)
    return EvaluationRequest(architecture: architecture, macs: cost.macs, params: cost.params, study: "curves",
                             trialNumber: trial, epochs: epochs)
}

private actor Points {
    private(set) var all: [EpochReport] = []
    func add(_ point: EpochReport) { all.append(point) }
}

/// The result and the curve the simulator reports for `request`.
private func run(_ simulator: TrainingSimulator, _ request: EvaluationRequest) async throws -> (EvaluationResult, [EpochReport]) {
    let points = Points()
    let result = try await simulator.evaluate(request) { point in
        await points.add(point)
        return .proceed
    }
    return (result, await points.all)
}

@Suite struct SimulatorCurveTests {
    @Test func theCurvesLastPointAndTheResultAreExactlyTheSimulatorsValueWithoutCurves() async throws {
        for (seed, noise) in [(UInt64(0), 0.15), (7, 0.15), (3, 0.0), (11, 0.5)] {
            let simulator = TrainingSimulator(seed: seed, noise: noise)
            for (trial, a) in try [architecture(256, 1.0), architecture(160, 0.5, mv2: [1, 1], vit: [1, 2, 1]),
                                   architecture(384, 2.0), architecture(224, 0.75)].enumerated() {
                let without = try await simulator.evaluate(request(a, trial: trial, epochs: nil))
                let (with, curve) = try await run(simulator, request(a, trial: trial, epochs: 27))
                #expect(with == without)
                #expect(curve.map(\.epoch) == Array(1...27))
                #expect(curve.last?.accuracy == without.accuracy)
            }
        }
    }

    @Test func withoutATrainingLengthTheSimulatorReportsNoCurve() async throws {
        let (_, curve) = try await run(TrainingSimulator(seed: 1), request(try architecture(256, 1.0), epochs: nil))
        #expect(curve.isEmpty)
    }

    @Test func smallNetworksLeadEarlyAndFallBehindByTheEnd() async throws {
        let simulator = TrainingSimulator(seed: 0, noise: 0)
        let small = request(try architecture(160, 0.5, mv2: [1, 1], vit: [1, 2, 1]), epochs: 27)
        let large = request(try architecture(384, 2.0), epochs: 27)
        let (_, smallCurve) = try await run(simulator, small)
        let (_, largeCurve) = try await run(simulator, large)
        #expect(smallCurve[2].accuracy > largeCurve[2].accuracy, "epoch 3")
        #expect(smallCurve[26].accuracy < largeCurve[26].accuracy, "epoch 27")
        // The small network has done more of its climb at every epoch before the last.
        let chance = 100.0 / 1000
        for epoch in 0..<26 {
            let smallShare = (smallCurve[epoch].accuracy - chance) / (smallCurve[26].accuracy - chance)
            let largeShare = (largeCurve[epoch].accuracy - chance) / (largeCurve[26].accuracy - chance)
            #expect(smallShare > largeShare, "epoch \(epoch + 1)")
        }
    }

    @Test func noiseFreeCurvesRiseFromNearChanceWithEveryEpoch() async throws {
        let (_, curve) = try await run(TrainingSimulator(seed: 0, noise: 0), request(try architecture(256, 1.0), epochs: 27))
        #expect(curve[0].accuracy > 0.1 && curve[0].accuracy < curve[26].accuracy * 0.5)
        for (before, after) in zip(curve, curve.dropFirst()) { #expect(after.accuracy > before.accuracy) }
    }

    @Test func theSameSeedRepeatsACurveAndAnotherSeedOrTrialDrawsOtherNoise() async throws {
        let a = try architecture(256, 1.0)
        let (_, first) = try await run(TrainingSimulator(seed: 5), request(a, trial: 2, epochs: 10))
        let (_, again) = try await run(TrainingSimulator(seed: 5), request(a, trial: 2, epochs: 10))
        let (_, otherSeed) = try await run(TrainingSimulator(seed: 6), request(a, trial: 2, epochs: 10))
        let (_, otherTrial) = try await run(TrainingSimulator(seed: 5), request(a, trial: 3, epochs: 10))
        #expect(first == again)
        #expect(first[4] != otherSeed[4])
        #expect(first[4] != otherTrial[4])
    }

    @Test func theClimbIsZeroAtTheStartOneAtTheEndAndExactForTinyRates() {
        for rate in [1e-12, 0.5, 5, 40] {
            #expect(LearningCurveModel.climb(progress: 0, rate: rate) == 0)
            #expect(abs(LearningCurveModel.climb(progress: 1, rate: rate) - 1) < 1e-12)
        }
        #expect(abs(LearningCurveModel.climb(progress: 0.25, rate: 1e-12) - 0.25) < 1e-9)
    }
}
