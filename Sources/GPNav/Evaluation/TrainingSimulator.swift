import GaussianProcess
import Foundation
import MobileViT

/// The training stub: a calibrated simulator of MobileViTv2 ImageNet-1k top-1 accuracy.
///
/// It trains nothing. Its noise-free accuracy is a small saturating formula in the four global
/// factors, fitted to the 14 published MobileViTv2 points (widths 0.5 to 2.0 at 256 and 384
/// pixels):
///
///     C    = w^a_w * d_m^a_m * d_v^a_v                 capacity of the network
///     R    = R0 * w^g * d_m^g_m * d_v^g_v              resolution the network can exploit
///     s(r) = r / (1 + (r / R)^k)^(1/k)                 usable resolution (saturates above R)
///     E    = e0 + ln C + b * ln(s(r) / 256)            effective capacity (a logit)
///     acc  = A / (1 + exp(-E))                         top-1 accuracy in percent
///
/// with r the resolution in pixels, w the width multiplier, d_m the MV2 blocks over the base 3
/// (``Architecture/mv2DepthFactor``) and d_v the attention layers over the base 9
/// (``Architecture/vitDepthFactor``). The classifier's class count is ignored.
///
/// Properties: `acc` lies in (0, A) with A < 100 and is finite for every valid architecture; it
/// rises in every factor; wherever `acc > A/2` (all realistic networks) it is concave in
/// ln w, ln d_m and ln d_v, and it is concave in ln r as well because s(r) saturates. The
/// resolution scale R grows with width and depth, so a higher resolution pays off only for a big
/// enough network: the best split of a MACs budget between resolution and width/depth moves with
/// the budget.
///
/// Constants: A, e0, a_w, b, R0 and g are fitted by `Experiments/simulator/fit.py` (least squares
/// on the 14 published points plus two weak priors: width 0.25 at 256 near 59 %, width 1.0 at 128
/// near 71 %; RMSE 0.217 points on the published points). a_m, a_v, g_m, g_v and k are set by
/// judgment, since depth never varies among the published models: halving the attention depth
/// of the width-1.0 model costs about 0.8 points.
///
/// A trial's accuracy is the noise-free value plus Gaussian noise of standard deviation
/// ``noise``, clamped to 0...100. The noise is a pure function of (seed, study, trial number,
/// architecture) through a stable FNV-1a hash, so the same seed reproduces a run trial for trial,
/// while retraining one architecture as another trial gives another draw.
public struct TrainingSimulator: Evaluator {
    /// The fitted and chosen constants of the formula above.
    public enum Constants {
        public static let accuracyCeiling = 84.777802  // A
        public static let logitOffset = 2.568492  // e0
        public static let widthExponent = 1.015601  // a_w
        public static let resolutionExponent = 1.340060  // b
        public static let resolutionScale = 303.1228  // R0, pixels
        public static let resolutionScaleWidthExponent = 0.306863  // g
        public static let mv2DepthExponent = 0.12  // a_m
        public static let vitDepthExponent = 0.13  // a_v
        public static let resolutionScaleMV2Exponent = 0.15  // g_m
        public static let resolutionScaleViTExponent = 0.15  // g_v
        public static let saturationSharpness = 4.0  // k
    }

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

    /// The simulator's accuracy without noise, in percent: `acc` of the formula above.
    public func noiseFreeAccuracy(_ architecture: Architecture) -> Double {
        typealias K = Constants
        let r = Double(architecture.resolution)
        let w = architecture.width
        let dm = architecture.mv2DepthFactor
        let dv = architecture.vitDepthFactor
        let usableScale = K.resolutionScale * pow(w, K.resolutionScaleWidthExponent)
            * pow(dm, K.resolutionScaleMV2Exponent) * pow(dv, K.resolutionScaleViTExponent)
        let k = K.saturationSharpness
        let usableResolution = r / pow(1 + pow(r / usableScale, k), 1 / k)
        let logit = K.logitOffset + K.widthExponent * log(w) + K.mv2DepthExponent * log(dm)
            + K.vitDepthExponent * log(dv) + K.resolutionExponent * log(usableResolution / 256)
        return K.accuracyCeiling / (1 + exp(-logit))
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
        for depth in architecture.mv2Depths + architecture.vitDepths { hash.combine(UInt64(depth)) }
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
