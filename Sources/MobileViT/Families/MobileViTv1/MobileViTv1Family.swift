/// MobileViT v1 (ml-cvnets `mobilevit`) as a searchable family: resolution, a width multiplier on
/// a base plan, MV2 depth, transformer depth and the MV2 expansion ratio.
///
/// An architecture keeps v1's parts under the family's keys: `mv2_depths` (MV2 blocks of stages 1
/// and 2, published (1, 3)), `vit_depths` (transformer layers of stages 3, 4 and 5, published
/// (2, 4, 3)), `base_plan` (`xxs`, `xs` or `s`: the published widths the width multiplier scales,
/// see ``MobileViTv1BasePlan``) and `expansion` (2 or 4). The presets are the published XXS, XS
/// and S; the search space scales S's plan (the documented base plan, ``searchPlan``), so its
/// factors are resolution, width, the two depth multipliers and the expansion ratio.
public struct MobileViTv1Family: ArchitectureFamily {
    /// The registered name.
    public static let name = "mobilevit"
    /// The base plan the search space's width multiplier scales.
    public static let searchPlan = MobileViTv1BasePlan.s
    /// The published resolution, in pixels.
    public static let baseResolution = 256
    /// Published ImageNet-1k top-1 (%) at 256x256 of XXS, XS and S (Mehta & Rastegari, 2022).
    public static let publishedTop1At256 = [69.0, 74.8, 78.4]

    /// The family (it has no state).
    public init() {}

    public var name: String { Self.name }
    public var baseResolution: Int { Self.baseResolution }
    public var displayName: String { "MobileViT v1" }
    public var depthGroups: [DepthGroup] { Self.depthGroups }
    public var choices: [ArchitectureChoice] { Self.choices }
    public var factors: [ArchitectureFactor] { Self.factors }
    public var presets: [Preset] { Self.presets }

    static let depthGroups = [
        DepthGroup(name: "mv2_depths", kind: "MV2", stages: "stages 1 and 2", base: MobileViTv1Network.baseMV2Depths),
        DepthGroup(name: "vit_depths", kind: "transformer", stages: "stages 3, 4 and 5",
                   base: MobileViTv1Network.baseTransformerDepths),
    ]

    static let plans = MobileViTv1BasePlan.allCases

    static let choices = [
        ArchitectureChoice(name: "base_plan", words: "base plan", allowed: Array(plans.indices),
                           defaultValue: plans.firstIndex(of: searchPlan) ?? 0, labels: plans.map(\.rawValue)),
        ArchitectureChoice(name: "expansion", words: "MV2 expansion ratio", allowed: MobileViTv1Network.expansions,
                           defaultValue: searchPlan.publishedExpansion),
    ]

    /// Resolution 96...384 by 16, width 0.25...1.5 by 0.0625 (of S's plan), MV2 depth x0.5...3.0,
    /// transformer depth x0.25...2.0, MV2 expansion 2 or 4.
    static let factors: [ArchitectureFactor] = [
        .resolution(grid: Array(stride(from: 96, through: 384, by: 16)).map(Double.init), share: 0.35,
                    baseResolution: baseResolution),
        .width(grid: (4...24).map { Double($0) * 0.0625 }, share: 0.45),
        ArchitectureFactor(name: "mv2_depth", argument: "mv2-depth", spaceKey: "mv2_depth_multipliers",
                           words: "MV2 depth", label: "MV2 depth multiplier (x base 1,3)", captionPrefix: "MV2 x",
                           kind: .depthMultiplier(group: "mv2_depths"),
                           defaultGrid: [0.5, 1.0, 1.5, 2.0, 2.5, 3.0], defaultShare: 0.05),
        ArchitectureFactor(name: "vit_depth", argument: "vit-depth", spaceKey: "vit_depth_multipliers",
                           words: "transformer depth", label: "transformer depth multiplier (x base 2,4,3)",
                           captionPrefix: "transformer x", kind: .depthMultiplier(group: "vit_depths"),
                           defaultGrid: [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0], defaultShare: 0.10),
        ArchitectureFactor(name: "mv2_expansion", argument: "mv2-expansion", spaceKey: "mv2_expansions",
                           words: "MV2 expansion ratio", label: "MV2 expansion ratio", captionPrefix: "expansion ",
                           kind: .choice("expansion"), reference: 4, defaultGrid: [2, 4], defaultShare: 0.05),
    ]

    static let presets: [Preset] = zip(MobileViTv1Preset.all, publishedTop1At256).compactMap { preset, top1 in
        guard let architecture = try? Architecture(preset.network) else { return nil }
        return Preset(name: preset.name, architecture: architecture, label: "v1-" + preset.network.basePlan.rawValue,
                      publishedTop1: top1)
    }

    /// `mobilevit-xxs`, `mobilevit-xs` or `mobilevit-s`, case-insensitive.
    public func preset(named name: String) -> Preset? {
        Self.presets.first { $0.name == name.lowercased() }
    }

    /// A v1 architecture is valid when its network is.
    public func validate(_ architecture: Architecture) throws(ArchitectureError) {
        do {
            _ = try MobileViTv1Network(architecture)
        } catch {
            throw .invalidNetwork(error.description)
        }
    }

    /// ml-cvnets' v1 convention only, which ``CountingConvention/published`` stands for.
    public var conventions: [CountingConvention] { [.published] }

    public func cost(of architecture: Architecture, convention: CountingConvention) -> Cost {
        guard let network = try? MobileViTv1Network(architecture) else { return Cost(macs: 0, params: 0) }
        return MobileViTv1CostModel.cost(of: network)
    }

    public func breakdown(of architecture: Architecture, convention: CountingConvention) -> [LayerCost] {
        guard let network = try? MobileViTv1Network(architecture) else { return [] }
        return MobileViTv1CostModel.breakdown(of: network)
    }

    public func channelPlan(of architecture: Architecture) -> ArchitecturePlan {
        guard let network = try? MobileViTv1Network(architecture) else { return ArchitecturePlan([String: Int]()) }
        return ArchitecturePlan(MobileViTv1CostModel.plan(of: network))
    }

    /// A network of another base plan as a width multiplier on S's plan: the width that gives the
    /// same geometric-mean width (``MobileViTv1Calibration/relativeWidth(of:)``), within the
    /// width bounds; XXS at width 1 is S at width 0.4518.
    public func searchEquivalent(_ architecture: Architecture) -> Architecture {
        guard let network = try? MobileViTv1Network(architecture), network.basePlan != Self.searchPlan else { return architecture }
        let width = min(max(MobileViTv1Calibration.relativeWidth(of: network), Architecture.widthRange.lowerBound),
                        Architecture.widthRange.upperBound)
        let choices = ["base_plan": Self.plans.firstIndex(of: Self.searchPlan) ?? 0, "expansion": network.expansion]
        return (try? Architecture(family: self, resolution: architecture.resolution, width: width,
                                  depths: ["mv2_depths": network.mv2Depths, "vit_depths": network.transformerDepths],
                                  choices: choices, classes: architecture.classes)) ?? architecture
    }

    public func calibratedAccuracy(of architecture: Architecture) -> Double {
        guard let network = try? MobileViTv1Network(architecture) else { return 0 }
        return MobileViTv1Calibration.noiseFreeAccuracy(network)
    }
}

extension MobileViTv1Network {
    /// The network of a MobileViT v1 architecture.
    /// - Throws: ``MobileViTv1Error`` when a part is out of v1's bounds or missing.
    public init(_ architecture: Architecture) throws(MobileViTv1Error) {
        let plans = MobileViTv1Family.plans
        let planIndex = architecture.choice(named: "base_plan") ?? -1
        guard plans.indices.contains(planIndex) else { throw .unknownPreset("base plan \(planIndex)") }
        try self.init(resolution: architecture.resolution, basePlan: plans[planIndex], width: architecture.width,
                      mv2Depths: architecture.depths(named: "mv2_depths") ?? [],
                      transformerDepths: architecture.depths(named: "vit_depths") ?? [],
                      expansion: architecture.choice(named: "expansion") ?? 0, classes: architecture.classes)
    }
}

extension Architecture {
    /// The architecture of a MobileViT v1 network.
    public init(_ network: MobileViTv1Network) throws(ArchitectureError) {
        try self.init(family: MobileViTv1Family(), resolution: network.resolution, width: network.width,
                      depths: ["mv2_depths": network.mv2Depths, "vit_depths": network.transformerDepths],
                      choices: ["base_plan": MobileViTv1Family.plans.firstIndex(of: network.basePlan) ?? 0,
                                "expansion": network.expansion],
                      classes: network.classes)
    }
}
