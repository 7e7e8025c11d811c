import Foundation
import GaussianProcess
import MobileViT
import Testing

@testable import GPNav

/// Published MobileViTv2 ImageNet-1k top-1 (ml-cvnets model zoo / MobileViTv2 paper, as in
/// Experiments/simulator/mobilevitv2_imagenet1k.csv): (width, top1 at 256, top1 at 384).
private let published: [(width: Double, top1At256: Double, top1At384: Double)] = [
    (0.5, 70.18, 72.14), (0.75, 75.56, 76.98), (1.0, 78.09, 79.68), (1.25, 79.65, 80.94),
    (1.5, 80.38, 81.50), (1.75, 80.84, 82.04), (2.0, 81.17, 82.17),
]

private let simulator = TrainingSimulator(seed: 7)

private func arch(_ r: Int, _ w: Double, mv2: [Int] = [1, 2], vit: [Int] = [2, 4, 3]) throws -> Architecture {
    try Architecture(resolution: r, width: w, mv2Depths: mv2, vitDepths: vit)
}

private func request(_ a: Architecture, trial: Int = 0, study: String = "s") -> EvaluationRequest {
    EvaluationRequest(architecture: a, macs: 0, params: 0, study: study, trialNumber: trial)
}

@Suite struct SimulatorTests {
    @Test func calibrationRMSEOverThe14PublishedPointsIsAtMostPoint3() throws {
        var squared = 0.0
        for point in published {
            let at256 = simulator.noiseFreeAccuracy(try arch(256, point.width)) - point.top1At256
            let at384 = simulator.noiseFreeAccuracy(try arch(384, point.width)) - point.top1At384
            squared += at256 * at256 + at384 * at384
        }
        let rmse = (squared / 14).squareRoot()
        // fit.py reports 0.217 for the same constants.
        #expect(abs(rmse - 0.217) < 0.001)
        #expect(rmse <= 0.3)
    }

    @Test func offThePublishedPointsBehavesPlausibly() throws {
        let base = simulator.noiseFreeAccuracy(try arch(256, 1.0))
        let halfAttention = simulator.noiseFreeAccuracy(try arch(256, 1.0, vit: [1, 2, 2]))
        #expect(base - halfAttention > 0.2 && base - halfAttention < 1.0)
        let lowResolution = simulator.noiseFreeAccuracy(try arch(128, 1.0))
        #expect(base - lowResolution > 4 && base - lowResolution < 10)
        let narrow = simulator.noiseFreeAccuracy(try arch(256, 0.25))
        #expect(narrow > 52 && narrow < 63)
    }

    static let resolutions = Array(stride(from: 64, through: 1024, by: 32))
    static let widths = Array(stride(from: 0.25, through: 4.0, by: 0.125))

    @Test(arguments: [0.25, 0.5, 1.0, 2.0, 4.0])
    func risesWithDiminishingReturnsInResolution(width: Double) throws {
        // Equal steps in ln r: doubling from 32 up to 1024.
        let values = try [32, 64, 128, 256, 512, 1024].map { simulator.noiseFreeAccuracy(try arch($0, width)) }
        for i in 1..<values.count { #expect(values[i] > values[i - 1]) }
        for i in 2..<values.count where values[i - 2] > 50 {
            #expect(values[i] - values[i - 1] < values[i - 1] - values[i - 2])
        }
    }

    @Test(arguments: [96, 160, 256, 384, 640])
    func risesWithDiminishingReturnsInWidth(resolution: Int) throws {
        let values = try [0.125, 0.25, 0.5, 1.0, 2.0, 4.0].map { simulator.noiseFreeAccuracy(try arch(resolution, $0)) }
        for i in 1..<values.count { #expect(values[i] > values[i - 1]) }
        for i in 2..<values.count where values[i - 2] > 50 {
            #expect(values[i] - values[i - 1] < values[i - 1] - values[i - 2])
        }
    }

    @Test(arguments: [(128, 0.5), (256, 1.0), (384, 2.0)])
    func risesWithDiminishingReturnsInBothDepths(resolution: Int, width: Double) throws {
        // Stage depths doubled each step: ln d grows in equal steps.
        let vit = try [1, 2, 4, 8, 16, 32].map {
            simulator.noiseFreeAccuracy(try arch(resolution, width, vit: [$0, $0, $0]))
        }
        let mv2 = try [1, 2, 4, 8, 16, 32].map {
            simulator.noiseFreeAccuracy(try arch(resolution, width, mv2: [$0, $0]))
        }
        for values in [vit, mv2] {
            for i in 1..<values.count { #expect(values[i] > values[i - 1]) }
            for i in 2..<values.count { #expect(values[i] - values[i - 1] < values[i - 1] - values[i - 2]) }
        }
    }

    @Test func higherResolutionPaysMoreForBiggerNetworks() throws {
        // Interaction: the logit gain from 256 to 512 grows with width and with attention depth.
        func logitGain(_ w: Double, vit: [Int]) throws -> Double {
            let ceiling = MobileViTv2Calibration.Constants.accuracyCeiling
            func logit(_ a: Double) -> Double { log(a / (ceiling - a)) }
            return logit(simulator.noiseFreeAccuracy(try arch(512, w, vit: vit)))
                - logit(simulator.noiseFreeAccuracy(try arch(256, w, vit: vit)))
        }
        #expect(try logitGain(0.5, vit: [2, 4, 3]) < logitGain(1.0, vit: [2, 4, 3]))
        #expect(try logitGain(1.0, vit: [2, 4, 3]) < logitGain(2.0, vit: [2, 4, 3]))
        #expect(try logitGain(1.0, vit: [1, 2, 2]) < logitGain(1.0, vit: [4, 8, 6]))
    }

    @Test func staysWithinZeroAndHundredOverRandomValidArchitectures() throws {
        var generator = SplitMix64(state: 42)
        var extremes = [try arch(32, 0.125, mv2: [1, 1], vit: [1, 1, 1]), try arch(1024, 4.0, mv2: [64, 64], vit: [64, 64, 64])]
        for _ in 0..<2000 {
            let r = 2 * (16 + Int(generator.next() % 497))
            let w = 0.125 + 3.875 * generator.nextOpenUnit()
            let depth = { 1 + Int(generator.next() % 64) }
            extremes.append(try arch(r, w, mv2: [depth(), depth()], vit: [depth(), depth(), depth()]))
        }
        for a in extremes {
            let value = simulator.noiseFreeAccuracy(a)
            #expect(value.isFinite && value > 0 && value < 100, "\(a): \(value)")
        }
    }

    @Test func sameSeedReproducesAndOtherTrialsOrSeedsDiffer() async throws {
        let a = try arch(224, 0.75)
        let first = try await TrainingSimulator(seed: 1).evaluate(request(a, trial: 3))
        let again = try await TrainingSimulator(seed: 1).evaluate(request(a, trial: 3))
        let otherTrial = try await TrainingSimulator(seed: 1).evaluate(request(a, trial: 4))
        let otherSeed = try await TrainingSimulator(seed: 2).evaluate(request(a, trial: 3))
        let otherStudy = try await TrainingSimulator(seed: 1).evaluate(request(a, trial: 3, study: "t"))
        #expect(first == again)
        #expect(first.accuracy != otherTrial.accuracy)
        #expect(first.accuracy != otherSeed.accuracy)
        #expect(first.accuracy != otherStudy.accuracy)
        #expect(first.metrics["noise_free_accuracy"] == simulator.noiseFreeAccuracy(a))
    }

    @Test func stableHashMatchesPublishedFNV1aVector() {
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c (Fowler/Noll/Vo reference test vectors).
        var hash = StableHash()
        hash.combine("a".utf8)
        #expect(hash.value == 0xaf63_dc4c_8601_ec8c)
    }

    @Test func noiseHasMeanZeroAndTheRequestedStandardDeviation() throws {
        let a = try arch(256, 1.0)
        let draws = (0..<20_000).map { simulator.noise(for: request(a, trial: $0)) }
        let mean = draws.reduce(0, +) / Double(draws.count)
        let variance = draws.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(draws.count - 1)
        // Standard errors: mean 0.15/sqrt(20000) = 0.001, std about 0.0008.
        #expect(abs(mean) < 0.005)
        #expect(abs(variance.squareRoot() - 0.15) < 0.004)
    }

    @Test func isLabelledASimulator() {
        #expect(simulator.isSimulated)
        #expect(simulator.summary.contains("simulator"))
    }
}
