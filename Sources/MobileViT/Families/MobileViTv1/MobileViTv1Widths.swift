/// Every width of one MobileViT v1 network: its base plan scaled by its width multiplier.
///
/// The rounding rule (one rule for every width): c(w) = make_divisible(c x w, 8), ml-cvnets' and
/// timm's rounding (``ChannelRounding/makeDivisible(_:divisor:minimum:)``: nearest multiple of 8, at least 8,
/// and never more than 10 % below c x w). At w = 1 every published width is already a multiple of
/// 8 and is kept. Transformer dims are multiples of 8, so they always split into the 4 attention
/// heads. The head's 1x1 conv widens stage 5's C5 channels to min(4 x C5, 960) (ml-cvnets'
/// `last_layer_exp_factor` 4, capped at 960). An FFN is 2 d wide, an MV2 block's hidden width is
/// make_divisible(Cin x expansion, 8).
struct MobileViTv1Widths: Sendable {
    let stem: Int
    let stages: (Int, Int, Int, Int, Int)
    let dims: (Int, Int, Int)
    let headFeatures: Int

    /// Attention heads of every transformer layer (ml-cvnets and timm: 4).
    static let heads = 4
    /// Side of the square patches the transformer unfolds (2 x 2 in every published model).
    static let patchSize = 2

    init(basePlan: MobileViTv1BasePlan, width w: Double) {
        let scale = { (c: Int) in ChannelRounding.makeDivisible(Double(c) * w, divisor: 8) }
        let c = basePlan.channels
        let d = basePlan.dims
        stem = scale(basePlan.stemChannels)
        stages = (scale(c.0), scale(c.1), scale(c.2), scale(c.3), scale(c.4))
        dims = (scale(d.0), scale(d.1), scale(d.2))
        headFeatures = min(4 * stages.4, 960)
    }

    /// Hidden width of an MV2 block on `input` channels.
    static func hidden(_ input: Int, expansion: Int) -> Int {
        ChannelRounding.makeDivisible(Double(input * expansion), divisor: 8)
    }

    /// FFN width of a transformer layer of dimension `d`.
    static func feedForward(_ d: Int) -> Int { 2 * d }
}
