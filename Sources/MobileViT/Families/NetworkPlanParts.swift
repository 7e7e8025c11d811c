/// The parts of a channel plan that the families share: their stages of inverted-residual (MV2)
/// blocks, in the MobileViT families each stage 3 to 5 closed by the family's own attention block,
/// the 1x1 head conv and the linear classifier. The families' plans (``NetworkPlan``,
/// ``MobileViTv1NetworkPlan``, ``MobileNetV2NetworkPlan``) name these as their own
/// `InvertedResidual`, `Stage`, `Head` and `Classifier`.

/// An MV2 block: 1x1 `input` -> `hidden`, 3x3 depthwise with `stride`, 1x1 `hidden` -> `output`.
public struct InvertedResidualPlan: Hashable, Sendable, Codable {
    public internal(set) var input: Int
    public internal(set) var hidden: Int
    public internal(set) var output: Int
    public internal(set) var stride: Int

    private enum CodingKeys: String, CodingKey {
        case input = "in", hidden, output = "out", stride
    }
}

/// One stage: its inverted-residual blocks, then, in stages 3 to 5, the family's attention block
/// (`Never` for a family without one: MobileNetV2).
public struct StagePlan<AttentionBlock: Hashable & Sendable & Codable>: Hashable, Sendable, Codable {
    /// The inverted-residual (MV2) blocks in order; the first carries the stage's stride.
    public internal(set) var invertedResiduals: [InvertedResidualPlan]
    /// The attention block closing the stage; nil in stages 1 and 2.
    public internal(set) var mobileViT: AttentionBlock?

    private enum CodingKeys: String, CodingKey {
        case invertedResiduals = "inverted_residuals", mobileViT = "mobilevit"
    }
}

/// The 1x1 conv from the last stage's `input` channels to `features` before pooling (BatchNorm and
/// the family's activation).
public struct HeadPlan: Hashable, Sendable, Codable {
    public internal(set) var input: Int
    public internal(set) var features: Int

    private enum CodingKeys: String, CodingKey {
        case input = "in", features = "out"
    }
}

/// The classifier: a linear layer `input` -> `classes` with bias, after global average pooling.
public struct ClassifierPlan: Hashable, Sendable, Codable {
    public internal(set) var input: Int
    public internal(set) var classes: Int

    private enum CodingKeys: String, CodingKey {
        case input = "in", classes
    }
}
