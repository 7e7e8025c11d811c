import Foundation

/// The simulator's calibration of MobileViTv2 ImageNet-1k top-1 accuracy.
///
/// A small saturating formula in the four global factors, fitted to the 14 published
/// MobileViTv2 points (widths 0.5 to 2.0 at 256 and 384 pixels):
///
///     C    = w^a_w * d_m^a_m * d_v^a_v                 capacity of the network
///     R    = R0 * w^g * d_m^g_m * d_v^g_v              resolution the network can exploit
///     s(r) = r / (1 + (r / R)^k)^(1/k)                 usable resolution (saturates above R)
///     E    = e0 + ln C + b * ln(s(r) / 256)            effective capacity (a logit)
///     acc  = A / (1 + exp(-E))                         top-1 accuracy in percent
///
/// with r the resolution in pixels, w the width multiplier, d_m the MV2 blocks over the base 3
/// and d_v the attention layers over the base 9. The classifier's class count is ignored.
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
public enum MobileViTv2Calibration {
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

    /// `acc` of the formula above, in percent.
    public static func accuracy(of architecture: Architecture) -> Double {
        accuracy(resolution: Double(architecture.resolution), width: architecture.width,
                 mv2DepthFactor: depthFactor(architecture.depthLists[0], base: MobileViTv2Family.baseMV2Depths),
                 vitDepthFactor: depthFactor(architecture.depthLists[1], base: MobileViTv2Family.baseViTDepths))
    }

    /// `acc` of the formula above at resolution r, width w and depth factors d_m and d_v.
    public static func accuracy(resolution r: Double, width w: Double, mv2DepthFactor dm: Double,
                                vitDepthFactor dv: Double) -> Double {
        typealias K = Constants
        let usableScale = K.resolutionScale * pow(w, K.resolutionScaleWidthExponent)
            * pow(dm, K.resolutionScaleMV2Exponent) * pow(dv, K.resolutionScaleViTExponent)
        let k = K.saturationSharpness
        let usableResolution = r / pow(1 + pow(r / usableScale, k), 1 / k)
        let logit = K.logitOffset + K.widthExponent * log(w) + K.mv2DepthExponent * log(dm)
            + K.vitDepthExponent * log(dv) + K.resolutionExponent * log(usableResolution / 256)
        return K.accuracyCeiling / (1 + exp(-logit))
    }

    private static func depthFactor(_ depths: [Int], base: [Int]) -> Double {
        Double(depths.reduce(0, +)) / Double(base.reduce(0, +))
    }
}
