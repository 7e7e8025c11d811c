import Foundation

/// The training simulator's noise-free accuracy for MobileNetV2, calibrated to the 22 published
/// MobileNetV2 results (ImageNet-1k top-1 of TensorFlow's model zoo, Sandler et al., 2018).
///
/// The formula has the shape of ``MobileViTv2Calibration``, with MobileNetV2's factors and its own
/// base resolution, 224:
///
///     C    = w^a_w * d^a_d
///     R    = R0 * w^g * d^g_d
///     s(r) = r / (1 + (r / R)^k)^(1/k)
///     E    = e0 + ln C + b * ln(s(r) / 224)
///     acc  = A / (1 + exp(-E))
///
/// with r the resolution, w the width multiplier and d the inverted-residual blocks over the
/// published 17. The class count is ignored.
///
/// The data (tensorflow/models, `research/slim/nets/mobilenet/README.md`, also in the Keras
/// `mobilenet_v2` documentation), top-1 % at 224 / 192 / 160 / 128 / 96 pixels:
///
/// | width | 224 | 192 | 160 | 128 | 96 |
/// |---|---|---|---|---|---|
/// | 1.4 | 75.0 | | | | |
/// | 1.3 | 74.4 | | | | |
/// | 1.0 | 71.8 | 70.7 | 68.8 | 65.3 | 60.3 |
/// | 0.75 | 69.8 | 68.7 | 66.4 | 63.2 | 58.8 |
/// | 0.5 | 65.4 | 63.9 | 61.0 | 57.7 | 51.2 |
/// | 0.35 | 60.3 | 58.2 | 55.7 | 50.8 | 45.5 |
///
/// A, e0, a_w, b, R0 and g are fitted by `Experiments/simulator/fit_mobilenet_v2.py` (least
/// squares on the 22 points; RMSE 0.50 points, largest error 1.29 at width 0.75 and 96 px). The
/// published models never vary depth, so a_d = 0.12, g_d = 0.15 and k = 4 are set by judgment,
/// as for MobileViTv2's MV2 depth: halving every stage's blocks costs about 0.8 points at 224.
public enum MobileNetV2Calibration {
    /// The fitted and chosen constants of the formula above.
    public enum Constants {
        public static let accuracyCeiling = 81.666081  // A
        public static let logitOffset = 2.084462  // e0
        public static let widthExponent = 0.832438  // a_w
        public static let resolutionExponent = 1.151489  // b
        public static let resolutionScale = 386.499646  // R0, pixels
        public static let resolutionScaleWidthExponent = 0.499578  // g
        public static let depthExponent = 0.12  // a_d, judgment
        public static let resolutionScaleDepthExponent = 0.15  // g_d, judgment
        public static let saturationSharpness = 4.0  // k, judgment
    }

    /// `acc` of the formula above, in percent, within (0, A).
    public static func accuracy(of architecture: Architecture) -> Double {
        typealias K = Constants
        let r = Double(architecture.resolution)
        let w = architecture.width
        let base = MobileNetV2Family.stages.reduce(0) { $0 + $1.blocks }
        let d = Double(architecture.depthLists[0].reduce(0, +)) / Double(base)
        let usableScale = K.resolutionScale * pow(w, K.resolutionScaleWidthExponent) * pow(d, K.resolutionScaleDepthExponent)
        let k = K.saturationSharpness
        let usableResolution = r / pow(1 + pow(r / usableScale, k), 1 / k)
        let logit = K.logitOffset + K.widthExponent * log(w) + K.depthExponent * log(d)
            + K.resolutionExponent * log(usableResolution / Double(MobileNetV2Family.baseResolution))
        return K.accuracyCeiling / (1 + exp(-logit))
    }
}
