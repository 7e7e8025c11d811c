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
///
/// When the study has a training length (``EvaluationRequest/epochs``), the simulator also
/// reports a simulated learning curve, one point per epoch (``LearningCurveModel``), through the
/// same reporter as a training command; its last point is the accuracy above, unchanged.
public struct TrainingSimulator: Evaluator {
    /// Seed of the noise.
    public let seed: UInt64
    /// Standard deviation of the training noise, in accuracy points.
    public let noise: Double
    /// The shape of the simulated learning curves.
    public let curves: LearningCurveModel

    /// Creates a simulator.
    /// - Parameters:
    ///   - seed: seed of the noise; the same seed reproduces every trial.
    ///   - noise: standard deviation of the noise in points; negative or non-finite values count as 0.
    public init(seed: UInt64, noise: Double = 0.15, curves: LearningCurveModel = .standard) {
        self.seed = seed
        self.noise = noise.isFinite ? max(0, noise) : 0
        self.curves = curves
    }

    public var summary: String {
        "stub: training simulator (not real training), noise \(noise), seed \(seed)"
    }

    public var isSimulated: Bool { true }

    /// A continued trial keeps its curve: the curve is a pure function of the trial, so the
    /// remaining epochs are those it would have reported had it never stopped.
    public var canResume: Bool { true }

    /// The simulator's accuracy without noise, in percent: the family's calibration.
    public func noiseFreeAccuracy(_ architecture: Architecture) -> Double {
        architecture.family.calibratedAccuracy(of: architecture)
    }

    /// The noise of one trial, in points: a standard normal draw scaled by ``noise``.
    public func noise(for request: EvaluationRequest) -> Double {
        noise * standardNormal(for: request, epoch: nil)
    }

    /// A standard normal draw that is a pure function of the seed, the trial and `epoch` (nil:
    /// the trial's training noise, drawn as before curves existed).
    private func standardNormal(for request: EvaluationRequest, epoch: Int?) -> Double {
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
        if let epoch { hash.combine(UInt64(bitPattern: Int64(epoch))) }
        var generator = SplitMix64(seed: hash.value)
        return generator.nextStandardNormal()
    }

    public func evaluate(_ request: EvaluationRequest) async throws(EvaluationFailure) -> EvaluationResult {
        try await evaluate(request, reporting: { _ in .proceed })
    }

    /// The simulated learning curve of `request`: one point per epoch of ``EvaluationRequest/epochs``,
    /// the last being exactly `final`; empty when the request has no training length.
    public func learningCurve(for request: EvaluationRequest, final: Double) -> [EpochReport] {
        guard let epochs = request.epochs, epochs > 0 else { return [] }
        let chance = 100 / Double(max(1, request.architecture.classes))
        return (1...epochs).map { epoch in
            let clean = curves.accuracy(epoch: epoch, of: epochs, final: final, chance: chance, macs: request.macs)
            guard epoch < epochs else { return EpochReport(epoch: epoch, accuracy: final) }
            let spread = curves.fluctuationPerNoise * noise * (1 - Double(epoch) / Double(epochs))
            let noisy = clean + spread * standardNormal(for: request, epoch: epoch)
            return EpochReport(epoch: epoch, accuracy: noisy.isFinite ? min(100, max(0, noisy)) : clean)
        }
    }

    public func evaluate(_ request: EvaluationRequest, reporting reporter: @escaping EpochReporter)
        async throws(EvaluationFailure) -> EvaluationResult {
        let clean = noiseFreeAccuracy(request.architecture)
        let noisy = clean + noise(for: request)
        guard noisy.isFinite else {
            throw EvaluationFailure(reason: "simulator produced a non-finite accuracy for \(request.architecture)")
        }
        let final = min(100, max(0, noisy))
        for point in learningCurve(for: request, final: final) where point.epoch > request.resumedAfterEpoch ?? 0 {
            switch await reporter(point) {
            case .proceed: continue
            case .prune:
                // A pruned simulated training ends where a real one would be stopped: after this epoch.
                throw EvaluationFailure(reason: "stopped on request after epoch \(point.epoch)", kind: .stopped)
            }
        }
        return EvaluationResult(
            accuracy: final,
            metrics: ["noise_free_accuracy": clean],
            output: nil
        )
    }
}
