/// MobileNetV2 (Sandler et al., 2018; torchvision's `mobilenet_v2`) as a searchable family:
/// resolution, width multiplier and depth, around the published network at 224 x 224.
///
/// An architecture keeps the inverted-residual blocks of each of the seven stages under
/// `depths` (published (1, 2, 3, 4, 3, 3, 1)); its width multiplier scales every width as
/// torchvision's `width_mult` does (``MobileNetV2Widths``). The search's depth factor is a
/// multiplier on the published depths. The presets are the six published widths at 224; their
/// MACs and parameters equal torchvision's `mobilenet_v2(width_mult=w)` counted by fvcore
/// (`Experiments/mobilenet-v2/reference_counts.py`): 300,775,272 MACs and 3,504,872 parameters at
/// width 1.0. Layer names of a breakdown: `stem`; `stageS.blockB.expand|depthwise|project` (no
/// `expand` in stage 1, whose expansion ratio is 1); `head.conv`, `head.pool`, `head.classifier`.
public struct MobileNetV2Family: WalkedFamily {
    /// One stage of the network: torchvision's (t, c, n, s).
    struct Stage: Sendable {
        /// Expansion ratio t of every block: hidden width = t x input width.
        let expansion: Int
        /// Output channels c at width 1.
        let channels: Int
        /// Published block count n.
        let blocks: Int
        /// Stride s of the stage's first block.
        let stride: Int
    }

    /// The registered name.
    public static let name = "mobilenetv2"
    /// The published resolution, in pixels.
    public static let baseResolution = 224
    /// The published widths, each at 224 x 224 with the published depths.
    public static let publishedWidths = [0.35, 0.5, 0.75, 1.0, 1.3, 1.4]
    /// Published ImageNet-1k top-1 (%) at 224 x 224 of the published widths (TensorFlow's model
    /// zoo; see ``MobileNetV2Calibration``).
    static let publishedTop1At224 = [60.3, 65.4, 69.8, 71.8, 74.4, 75.0]

    /// The paper's Table 2 (torchvision's `inverted_residual_setting`).
    static let stages = [
        Stage(expansion: 1, channels: 16, blocks: 1, stride: 1),
        Stage(expansion: 6, channels: 24, blocks: 2, stride: 2),
        Stage(expansion: 6, channels: 32, blocks: 3, stride: 2),
        Stage(expansion: 6, channels: 64, blocks: 4, stride: 2),
        Stage(expansion: 6, channels: 96, blocks: 3, stride: 1),
        Stage(expansion: 6, channels: 160, blocks: 3, stride: 2),
        Stage(expansion: 6, channels: 320, blocks: 1, stride: 1),
    ]

    typealias Walk = MobileNetV2Walk

    /// The family (it has no state).
    public init() {}

    public var name: String { Self.name }
    public var displayName: String { "MobileNetV2" }
    public var baseResolution: Int { Self.baseResolution }
    public var depthGroups: [DepthGroup] { Self.depthGroups }
    public var choices: [ArchitectureChoice] { [] }
    public var factors: [ArchitectureFactor] { Self.factors }
    public var presets: [Preset] { Self.presets }

    static let depthGroups = [
        DepthGroup(name: "depths", kind: "inverted-residual", stages: "stages 1 to 7", base: stages.map(\.blocks)),
    ]

    /// Resolution 96...320 by 16, width 0.25...2.0 by 0.05 (every published width lies on it),
    /// depth x0.5...2.0 (each multiplier giving distinct per-stage depths).
    static let factors: [ArchitectureFactor] = [
        .resolution(grid: Array(stride(from: 96, through: 320, by: 16)).map(Double.init), share: 0.35,
                    baseResolution: baseResolution),
        .width(grid: (5...40).map { Double($0) * 0.05 }, share: 0.45),
        ArchitectureFactor(name: "depth", argument: "depth", spaceKey: "depth_multipliers", words: "depth",
                           label: "depth multiplier (x base 1,2,3,4,3,3,1)", captionPrefix: "depth x",
                           kind: .depthMultiplier(group: "depths"),
                           defaultGrid: [0.5, 0.75, 1.0, 1.25, 1.5, 2.0], defaultShare: 0.20),
    ]

    static let presets: [Preset] = zip(publishedWidths, publishedTop1At224).compactMap { width, top1 in
        guard let architecture = try? Architecture(family: MobileNetV2Family(), resolution: baseResolution, width: width) else {
            return nil
        }
        return Preset(name: "mobilenetv2-\(formatWidth(width))", architecture: architecture,
                      label: "mnv2-\(formatWidth(width))", publishedTop1: top1)
    }

    /// `mobilenetv2-W` for a published width W, case-insensitive (`mobilenetv2-1` also matches
    /// `mobilenetv2-1.0`).
    public func preset(named name: String) -> Preset? {
        let lowered = name.lowercased()
        let prefix = "mobilenetv2-"
        guard lowered.hasPrefix(prefix), let width = Double(lowered.dropFirst(prefix.count)) else { return nil }
        return Self.presets.first { $0.architecture.width == width }
    }

    /// Every MobileNetV2 within the generic bounds is buildable.
    public func validate(_ architecture: Architecture) throws(ArchitectureError) {}

    static func plan(_ blocks: PlanSink<Never>) -> MobileNetV2NetworkPlan {
        MobileNetV2NetworkPlan(stem: blocks.stem, stages: blocks.stages, head: blocks.head, classifier: blocks.classifier)
    }

    public func calibratedAccuracy(of architecture: Architecture) -> Double {
        MobileNetV2Calibration.accuracy(of: architecture)
    }
}
