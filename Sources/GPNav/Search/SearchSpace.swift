import MobileViT

/// The gridded 4D cube of global factors that the search proposes from.
///
/// Depths are multipliers on MobileViTv2's base depths (see
/// ``MobileViT/Architecture/scaledDepths(_:by:)``); every grid point is a valid architecture.
public struct SearchSpace: Codable, Hashable, Sendable {
    /// Input resolutions in pixels, ascending, each even.
    public var resolutions: [Int]
    /// Width multipliers, ascending.
    public var widths: [Double]
    /// Multipliers on the base MV2 depths (1, 2), ascending.
    public var mv2DepthMultipliers: [Double]
    /// Multipliers on the base attention depths (2, 4, 3), ascending.
    public var vitDepthMultipliers: [Double]
    /// Class count of every architecture in the space.
    public var classes: Int

    public init(resolutions: [Int], widths: [Double], mv2DepthMultipliers: [Double],
                vitDepthMultipliers: [Double], classes: Int = 1000) {
        self.resolutions = resolutions
        self.widths = widths
        self.mv2DepthMultipliers = mv2DepthMultipliers
        self.vitDepthMultipliers = vitDepthMultipliers
        self.classes = classes
    }

    /// Resolution 96...384 by 16, width 0.25...2.0 by 0.0625, MV2 depth x0.5...3.0 by 0.5,
    /// attention depth x0.25...2.0 (each multiplier giving distinct per-stage depths).
    public static let `default` = SearchSpace(
        resolutions: Array(stride(from: 96, through: 384, by: 16)),
        widths: (4...32).map { Double($0) * 0.0625 },
        mv2DepthMultipliers: [0.5, 1.0, 1.5, 2.0, 2.5, 3.0],
        vitDepthMultipliers: [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0]
    )

    private enum CodingKeys: String, CodingKey {
        case resolutions, widths, mv2DepthMultipliers = "mv2_depth_multipliers"
        case vitDepthMultipliers = "vit_depth_multipliers", classes
    }
}
