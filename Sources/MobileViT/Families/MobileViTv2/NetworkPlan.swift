/// Every layer width a builder needs to construct an architecture exactly: the channel plan.
///
/// The plan is read off the same walk of the network that ``CostModel`` counts (see
/// ``MobileViTv2Family/plan(of:)``), so a network built from it has exactly the counted MACs and
/// parameters; a builder in another framework needs no rounding rule of its own. Every width is
/// already rounded as ml-cvnets rounds it (`make_divisible`), which differs from timm's
/// `mobilevitv2_*` configurations at most width multipliers.
///
/// The network: a 3x3 stride-2 stem conv (BatchNorm, SiLU) to ``stem`` channels; five
/// ``stages``, each a list of inverted-residual blocks (1x1 expand, 3x3 depthwise with the
/// block's stride, 1x1 project; BatchNorm on each, SiLU after the first two, a shortcut when the
/// stride is 1 and the input and output widths agree), stages 3 to 5 followed by a MobileViTv2
/// block (``MobileViTBlock``); then global average pooling and a linear ``classifier``.
public struct NetworkPlan: Hashable, Sendable, Codable {
    /// Output channels of the 3x3 stride-2 stem convolution.
    public internal(set) var stem: Int
    /// Stages 1 to 5 in order.
    public internal(set) var stages: [Stage]
    /// The final linear layer (with bias).
    public internal(set) var classifier: Classifier

    /// One stage: its inverted-residual blocks, then, in stages 3 to 5, a MobileViTv2 block.
    public typealias Stage = StagePlan<MobileViTBlock>
    /// An MV2 block.
    public typealias InvertedResidual = InvertedResidualPlan
    /// The linear classifier after global average pooling.
    public typealias Classifier = ClassifierPlan

    /// A MobileViTv2 block on a `channels`-wide map: a map of odd size is first resized to the next
    /// even size (and handed on at that size); 3x3 depthwise conv (BatchNorm, SiLU); 1x1 conv to
    /// ``attentionDim`` without bias; ``layers`` pre-norm layers of separable self-attention
    /// (GroupNorm with one group, qkv 1x1 to 1 + 2d with bias, out 1x1 with bias) and FFN (1x1 to
    /// ``ffnHidden`` with bias, SiLU, 1x1 back with bias) on 2x2 patches; GroupNorm; 1x1 conv back
    /// to `channels` with BatchNorm and no activation.
    public struct MobileViTBlock: Hashable, Sendable, Codable {
        public internal(set) var channels: Int
        public internal(set) var attentionDim: Int
        public internal(set) var ffnHidden: Int
        public internal(set) var layers: Int
        public internal(set) var patchSize: Int

        private enum CodingKeys: String, CodingKey {
            case channels, attentionDim = "attention_dim", ffnHidden = "ffn_hidden", layers, patchSize = "patch_size"
        }
    }
}

extension MobileViTv2Family {
    /// The channel plan of `architecture`, collected from the walk that ``CostModel`` counts.
    public static func plan(of architecture: Architecture) -> NetworkPlan {
        plan(Walk.plan(of: architecture))
    }

    static func plan(_ blocks: PlanSink<NetworkPlan.MobileViTBlock>) -> NetworkPlan {
        NetworkPlan(stem: blocks.stem, stages: blocks.stages, classifier: blocks.classifier)
    }
}
