/// A published MobileViT v1 model: XXS, XS or S at 256x256 with its own plan and depths.
///
/// Each is exactly timm's `mobilevit_xxs`, `mobilevit_xs` or `mobilevit_s` (1,272,024,
/// 2,317,848 and 5,578,632 parameters).
public struct MobileViTv1Preset: Hashable, Sendable {
    /// The model's name: `mobilevit-xxs`, `mobilevit-xs` or `mobilevit-s`.
    public let name: String
    /// The published model's network.
    public let network: MobileViTv1Network

    /// The three published models, smallest first.
    public static let all: [MobileViTv1Preset] = MobileViTv1BasePlan.allCases.compactMap { plan in
        guard let network = try? MobileViTv1Network(resolution: 256, basePlan: plan, expansion: plan.publishedExpansion) else {
            return nil
        }
        return MobileViTv1Preset(name: "mobilevit-\(plan.rawValue)", network: network)
    }

    /// The preset with this name (case-insensitive).
    /// - Throws: ``MobileViTv1Error/unknownPreset(_:)``.
    public static func named(_ name: String) throws(MobileViTv1Error) -> MobileViTv1Preset {
        guard let match = all.first(where: { $0.name == name.lowercased() }) else { throw .unknownPreset(name) }
        return match
    }
}
