/// The channel plan a MobileViT v1 network scales: the widths of one published model.
///
/// ml-cvnets' `mobilevit` configuration (and timm's `mobilevit_xxs`, `mobilevit_xs`,
/// `mobilevit_s`) gives each published model its own widths; no one of them is a width multiple of
/// another (XXS's stage 2 has 24 channels, S's 64). A v1 network therefore names the plan it
/// scales, and its width multiplier applies to that plan (see ``MobileViTv1Network/width``).
///
/// | plan | stem | stages 1 to 5 | transformer dims (stages 3 to 5) | MV2 expansion of the model |
/// |---|---|---|---|---|
/// | `xxs` | 16 | 16, 24, 48, 64, 80 | 64, 80, 96 | 2 |
/// | `xs` | 16 | 32, 48, 64, 80, 96 | 96, 120, 144 | 4 |
/// | `s` | 16 | 32, 64, 96, 128, 160 | 144, 192, 240 | 4 |
public enum MobileViTv1BasePlan: String, CaseIterable, Hashable, Sendable, Codable {
    case xxs
    case xs
    case s

    /// Output channels of the 3x3 stride-2 stem convolution.
    public var stemChannels: Int { 16 }

    /// Output channels of stages 1 to 5.
    public var stageChannels: [Int] {
        let c = channels
        return [c.0, c.1, c.2, c.3, c.4]
    }

    /// Transformer (attention) dimensions of the MobileViT blocks of stages 3, 4 and 5.
    public var transformerDims: [Int] {
        let d = dims
        return [d.0, d.1, d.2]
    }

    /// The MV2 expansion ratio of the published model with this plan: 2 for XXS, 4 for XS and S.
    public var publishedExpansion: Int { self == .xxs ? 2 : 4 }

    /// Stage widths as a tuple, so that walking the network allocates nothing.
    var channels: (Int, Int, Int, Int, Int) {
        switch self {
        case .xxs: (16, 24, 48, 64, 80)
        case .xs: (32, 48, 64, 80, 96)
        case .s: (32, 64, 96, 128, 160)
        }
    }

    var dims: (Int, Int, Int) {
        switch self {
        case .xxs: (64, 80, 96)
        case .xs: (96, 120, 144)
        case .s: (144, 192, 240)
        }
    }
}
