/// MobileViTv2 (ml-cvnets `mobilevit_v2`) as a searchable family: the paper's 4D cube of
/// resolution, width, MV2 depth and attention depth.
///
/// Depth is kept per stage, exactly as the network is built: `mv2_depths` holds the MV2 block
/// counts of stages 1 and 2 (base (1, 2)) and `vit_depths` the attention-layer counts of the
/// MobileViTv2 blocks of stages 3, 4 and 5 (base (2, 4, 3)). The depth factors are multipliers
/// on these base depths. Layer names of a breakdown are dotted paths: `stem`;
/// `stage1.block0.expand|depthwise|project` for the MV2 blocks of stages 1 and 2; `stage3.mv2.*`
/// for the stride-2 MV2 block opening stages 3 to 5; `stage3.mobilevit.resize` (only when an odd
/// map is resized), `.local_depthwise`, `.local_project`,
/// `.layerI.norm1|qkv|attention|out_project|norm2|ffn_expand|ffn_project`, `.norm`, `.fusion`;
/// then `head.pool` and `head.classifier`.
public struct MobileViTv2Family: WalkedFamily {
    /// The registered name.
    public static let name = "mobilevitv2"
    /// The base MV2 depths (stages 1 and 2).
    public static let baseMV2Depths = [1, 2]
    /// The base attention depths (stages 3, 4 and 5).
    public static let baseViTDepths = [2, 4, 3]
    /// The published resolution, in pixels.
    public static let baseResolution = 256
    /// The seven published widths, 0.5 to 2.0, all at 256 x 256 with the base depths.
    public static let publishedWidths: [Double] = [0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0]

    /// The family (it has no state).
    public init() {}

    typealias Walk = NetworkWalk

    public var name: String { Self.name }
    public var baseResolution: Int { Self.baseResolution }
    public var displayName: String { "MobileViTv2" }

    public var depthGroups: [DepthGroup] { Self.depthGroups }

    static let depthGroups = [
        DepthGroup(name: "mv2_depths", kind: "MV2", stages: "stages 1 and 2", base: baseMV2Depths),
        DepthGroup(name: "vit_depths", kind: "attention", stages: "stages 3, 4 and 5", base: baseViTDepths),
    ]

    public var choices: [ArchitectureChoice] { [] }

    public var factors: [ArchitectureFactor] { Self.factors }

    /// Resolution 96...384 by 16, width 0.25...2.0 by 0.0625, MV2 depth x0.5...3.0 by 0.5,
    /// attention depth x0.25...2.0 (each multiplier giving distinct per-stage depths). Width and
    /// resolution carry most of a downsizing step (each costs MACs quadratically), attention
    /// depth some, MV2 depth little (the two MV2 stages hold few MACs).
    static let factors: [ArchitectureFactor] = [
        .resolution(grid: Array(stride(from: 96, through: 384, by: 16)).map(Double.init), share: 0.35,
                    baseResolution: baseResolution),
        .width(grid: (4...32).map { Double($0) * 0.0625 }, share: 0.45),
        ArchitectureFactor(name: "mv2_depth", argument: "mv2-depth", spaceKey: "mv2_depth_multipliers",
                           words: "MV2 depth", label: "MV2 depth multiplier (x base 1,2)", captionPrefix: "MV2 x",
                           kind: .depthMultiplier(group: "mv2_depths"),
                           defaultGrid: [0.5, 1.0, 1.5, 2.0, 2.5, 3.0], defaultShare: 0.05),
        ArchitectureFactor(name: "vit_depth", argument: "vit-depth", spaceKey: "vit_depth_multipliers",
                           words: "attention depth", label: "attention depth multiplier (x base 2,4,3)",
                           captionPrefix: "attention x", kind: .depthMultiplier(group: "vit_depths"),
                           defaultGrid: [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0], defaultShare: 0.15),
    ]

    public var presets: [Preset] { Self.presets }

    /// Published top-1 (%) at 256x256 by width multiplier, 0.5 to 2.0: the ml-cvnets model zoo /
    /// MobileViTv2 paper (Mehta & Rastegari, 2022), as recorded in the project's reference table
    /// `mobilevitv2_imagenet1k.csv` (column `top1_256`).
    static let publishedTop1At256 = [70.18, 75.56, 78.09, 79.65, 80.38, 80.84, 81.17]

    static let presets: [Preset] = zip(publishedWidths, publishedTop1At256).compactMap { width, top1 in
        guard let architecture = try? Architecture(resolution: 256, width: width) else { return nil }
        return Preset(name: "mobilevitv2-\(formatWidth(width))", architecture: architecture,
                      label: "v2-" + shortWidth(width), publishedTop1: top1)
    }

    /// The width without a trailing `.0`, e.g. `1` or `0.75`, as plot labels write it.
    private static func shortWidth(_ width: Double) -> String {
        let text = formatWidth(width)
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    /// `mobilevitv2-W` for a published width W, case-insensitive (`mobilevitv2-1` and
    /// `mobilevitv2-1.00` also match `mobilevitv2-1.0`).
    public func preset(named name: String) -> Preset? {
        let lowered = name.lowercased()
        let prefix = "mobilevitv2-"
        guard lowered.hasPrefix(prefix), let width = Double(lowered.dropFirst(prefix.count)) else { return nil }
        return Self.presets.first { $0.architecture.width == width }
    }

    /// Every MobileViTv2 within the generic bounds is buildable.
    public func validate(_ architecture: Architecture) throws(ArchitectureError) {}

    public func calibratedAccuracy(of architecture: Architecture) -> Double {
        MobileViTv2Calibration.accuracy(of: architecture)
    }
}
