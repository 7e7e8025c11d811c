import MobileViT
import Testing
@testable import GPNav

/// The noise floor of a study's model: the stated prior, and the pooled spread of repeats.
struct TrainingNoiseTests {
    let a: Architecture
    let b: Architecture
    let c: Architecture

    init() throws {
        a = try Architecture(resolution: 256, width: 0.5, mv2Depths: [1, 2], vitDepths: [2, 4, 3])
        b = try Architecture(resolution: 192, width: 0.75, mv2Depths: [1, 2], vitDepths: [2, 4, 3])
        c = try Architecture(resolution: 128, width: 1.0, mv2Depths: [1, 1], vitDepths: [1, 1, 1])
    }

    @Test func withoutRepeatsOnlyThePriorBoundsTheNoise() {
        let noise = TrainingNoise([(a, 70), (b, 72), (c, 65)])
        #expect(noise.pooledVariance == nil)
        #expect(!noise.isMeasured)
        #expect(noise.degreesOfFreedom == 0)
        #expect(abs(noise.floorVariance - 0.01) < 1e-15)
    }

    @Test func repeatsGiveThePooledWithinArchitectureVariance() throws {
        // a: 1, 3 (sum of squares 2, 1 degree of freedom); b: 10, 12, 14 (8, 2); c once (none).
        let noise = TrainingNoise([(a, 1), (b, 10), (a, 3), (c, 50), (b, 12), (b, 14)])
        let pooled = try #require(noise.pooledVariance)
        #expect(abs(pooled - 10.0 / 3.0) < 1e-12)
        #expect(noise.degreesOfFreedom == 3)
        #expect(noise.repeatedArchitectures == 2)
        #expect(noise.floorVariance == pooled)
    }

    @Test func identicalRepeatsLeaveThePriorAsTheFloor() {
        let noise = TrainingNoise([(a, 70), (a, 70)])
        #expect(noise.pooledVariance == 0)
        #expect(abs(noise.floorVariance - 0.01) < 1e-15)
    }

    @Test func onlyCompleteTrialsCount() throws {
        let complete = try Fixtures.trial(studyID: 1, accuracy: 70)
        var again = complete
        again.accuracy = 74
        var failed = complete
        failed.state = .failed
        failed.accuracy = 10
        let noise = TrainingNoise(trials: [complete, again, failed])
        #expect(noise.pooledVariance == 8)
        #expect(noise.degreesOfFreedom == 1)
    }
}
