import GaussianProcess
import Foundation
import MobileViT

/// The training stub: a calibrated simulator of ImageNet-1k top-1 accuracy.
///
/// It trains nothing. Its noise-free accuracy is the architecture's family's calibration
/// (``MobileViT/ArchitectureFamily/calibratedAccuracy(of:)``; for MobileViTv2 a small saturating
/// formula fitted to the 14 published points, see ``MobileViT/MobileViTv2Calibration``).
///
/// A trial's accuracy is the noise-free value plus Gaussian noise of standard deviation
/// ``noise``, clamped to 0...100. The noise is a pure function of (seed, study, trial number,
/// architecture) through a stable FNV-1a hash, so the same seed reproduces a run trial for trial,
/// while retraining one architecture as another trial gives another draw.
public struct TrainingSimulator: Evaluator {
    /// Seed of the noise.
    public let seed: UInt64
    /// Standard deviation of the training noise, in accuracy points.
    public let noise: Double

    /// Creates a simulator.
    /// - Parameters:
    ///   - seed: seed of the noise; the same seed reproduces every trial.
    ///   - noise: standard deviation of the noise in points; negative or non-finite values count as 0.
    public init(seed: UInt64, noise: Double = 0.15) {
        self.seed = seed
        self.noise = noise.isFinite ? max(0, noise) : 0
    }

    public var summary: String {
        "stub: training simulator (not real training), noise \(noise), seed \(seed)"
    }

    public var isSimulated: Bool { true }

    /// The simulator's accuracy without noise, in percent: the family's calibration.
    public func noiseFreeAccuracy(_ architecture: Architecture) -> Double {
        architecture.family.calibratedAccuracy(of: architecture)
    }

    /// The noise of one trial, in points: a standard normal draw scaled by ``noise``.
    public func noise(for request: EvaluationRequest) -> Double {
        var hash = StableHash()
        hash.combine(seed)
        hash.combine(request.study)
        hash.combine(UInt64(bitPattern: Int64(request.trialNumber)))
        let architecture = request.architecture
        hash.combine(UInt64(architecture.resolution))
        hash.combine(architecture.width.bitPattern)
        for depth in architecture.depthLists.joined() { hash.combine(UInt64(depth)) }
        for choice in architecture.choiceValues { hash.combine(UInt64(choice)) }
        hash.combine(UInt64(architecture.classes))
        var generator = SplitMix64(seed: hash.value)
        return noise * generator.nextStandardNormal()
    }

    public func evaluate(_ request: EvaluationRequest) async throws(EvaluationFailure) -> EvaluationResult {
        let clean = noiseFreeAccuracy(request.architecture)
        let noisy = clean + noise(for: request)
        guard noisy.isFinite else {
            throw EvaluationFailure(reason: "simulator produced a non-finite accuracy for \(request.architecture)")
        }
        return EvaluationResult(
            accuracy: min(100, max(0, noisy)),
            metrics: ["noise_free_accuracy": clean],
            output: nil
        )
    }
}
