import Foundation

/// The training simulator's noise-free accuracy for MobileViT v1 networks, calibrated to the three
/// published MobileViT v1 results (ImageNet-1k top-1 at 256x256: XXS 69.0 %, XS 74.8 %, S 78.4 %).
///
/// The formula has the shape of ``MobileViTv2Calibration``, with v1's factors:
///
///     C    = w_eff^a_w * d_m^a_m * d_v^a_v * (e / 4)^a_e
///     R    = R0 * w_eff^g * d_m^g_m * d_v^g_v
///     s(r) = r / (1 + (r / R)^k)^(1/k)
///     E    = e0 + ln C + b * ln(s(r) / 256)
///     acc  = A / (1 + exp(-E))
///
/// with r the resolution, w_eff the network's width relative to MobileViT-S (``relativeWidth(of:)``),
/// d_m the MV2 blocks of stages 1 and 2 over the published 4, d_v the transformer layers over the
/// published 9 and e the MV2 expansion ratio. The class count is ignored.
///
/// Of the constants, two are fitted by `Experiments/simulator/fit_mobilevit_v1.py` (least squares
/// on the three published points): e0 = 2.616523 and a_w = 0.979044. Nine are borrowed unchanged
/// from the MobileViTv2 fit (``MobileViTv2Calibration/Constants``): A, b, R0, g, a_m, a_v, g_m, g_v and
/// k; the published v1 models share one resolution and one set of depths, so these data cannot
/// fix resolution or depth effects. One is set by judgment: a_e = 0.12 (halving the expansion
/// ratio costs about one point near 70 %), since the expansion ratio changes together with the
/// plan among the published models. Residuals (simulated minus published): XXS -0.08, XS +0.24,
/// S -0.18 points; RMSE 0.18 points.
public enum MobileViTv1Calibration {
    /// The constants fitted or chosen for v1; the rest are ``MobileViTv2Calibration/Constants``.
    public enum Constants {
        public static let logitOffset = 2.616523  // e0, fitted
        public static let widthExponent = 0.979044  // a_w, fitted
        public static let expansionExponent = 0.12  // a_e, judgment
    }

    /// The published MV2 blocks of stages 1 and 2 (1 + 3).
    static let baseMV2Blocks = Double(MobileViTv1Network.baseMV2Depths.reduce(0, +))
    /// The published transformer layers of stages 3 to 5 (2 + 4 + 3).
    static let baseTransformerLayers = Double(MobileViTv1Network.baseTransformerDepths.reduce(0, +))

    /// The network's width relative to MobileViT-S: the geometric mean, over the eight widths of
    /// a base plan (stages 1 to 5, transformer dims of stages 3 to 5), of base x width / S's
    /// width, before rounding. XXS's plan is 0.4518, XS's 0.6821, S's 1.
    public static func relativeWidth(of network: MobileViTv1Network) -> Double {
        let widths = network.basePlan.stageChannels + network.basePlan.transformerDims
        let reference = MobileViTv1BasePlan.s.stageChannels + MobileViTv1BasePlan.s.transformerDims
        let logSum = zip(widths, reference).reduce(0.0) { $0 + log(Double($1.0) / Double($1.1)) }
        return network.width * exp(logSum / Double(widths.count))
    }

    /// The noise-free top-1 accuracy in percent: `acc` of the formula above, within (0, A).
    public static func noiseFreeAccuracy(_ network: MobileViTv1Network) -> Double {
        typealias V2 = MobileViTv2Calibration.Constants
        let r = Double(network.resolution)
        let w = relativeWidth(of: network)
        let dm = Double(network.mv2Depths.reduce(0, +)) / baseMV2Blocks
        let dv = Double(network.transformerDepths.reduce(0, +)) / baseTransformerLayers
        let usableScale = V2.resolutionScale * pow(w, V2.resolutionScaleWidthExponent)
            * pow(dm, V2.resolutionScaleMV2Exponent) * pow(dv, V2.resolutionScaleViTExponent)
        let k = V2.saturationSharpness
        let usableResolution = r / pow(1 + pow(r / usableScale, k), 1 / k)
        let logit = Constants.logitOffset + Constants.widthExponent * log(w) + V2.mv2DepthExponent * log(dm)
            + V2.vitDepthExponent * log(dv) + Constants.expansionExponent * log(Double(network.expansion) / 4)
            + V2.resolutionExponent * log(usableResolution / 256)
        return V2.accuracyCeiling / (1 + exp(-logit))
    }
}
