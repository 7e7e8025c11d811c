/// Every layer width a builder needs to construct a MobileViT v1 network exactly.
///
/// The plan is read off the walk that ``MobileViTv1CostModel`` counts (see
/// ``MobileViTv1CostModel/plan(of:)``), so a network built from it has exactly the counted MACs
/// and parameters; widths are already rounded (``MobileViTv1Widths``), a builder rounds nothing.
///
/// The network: a 3x3 stride-2 stem conv (BatchNorm, SiLU) to ``stem`` channels; five
/// ``stages`` of inverted-residual blocks (1x1 expand, 3x3 depthwise with the block's stride,
/// 1x1 project; BatchNorm on each, SiLU after the first two, a shortcut when the stride is 1 and
/// the input and output widths agree), stages 3 to 5 closed by a MobileViT v1 block
/// (``MobileViTBlock``); a 1x1 conv (``head``, BatchNorm, SiLU); global average pooling; a linear
/// ``classifier``.
public struct MobileViTv1NetworkPlan: Hashable, Sendable, Codable {
    /// Output channels of the 3x3 stride-2 stem convolution.
    public internal(set) var stem: Int
    /// Stages 1 to 5 in order.
    public internal(set) var stages: [Stage]
    /// The 1x1 conv before pooling.
    public internal(set) var head: Head
    /// The final linear layer (with bias).
    public internal(set) var classifier: Classifier

    /// One stage: its inverted-residual blocks, then, in stages 3 to 5, a MobileViT v1 block.
    public typealias Stage = StagePlan<MobileViTBlock>
    /// An MV2 block.
    public typealias InvertedResidual = InvertedResidualPlan
    /// The linear classifier after global average pooling.
    public typealias Classifier = ClassifierPlan

    /// A MobileViT v1 block on a `channels`-wide map: 3x3 conv (BatchNorm, SiLU); 1x1 conv to
    /// ``transformerDim`` without bias; the map unfolded into `patchSize` x `patchSize` patches
    /// (an odd map resized up to even first, and back after); ``layers`` pre-norm transformer
    /// layers (LayerNorm, ``heads``-head attention with qkv and output projections with bias,
    /// LayerNorm, FFN to ``ffnHidden`` and back with bias and SiLU between); LayerNorm; 1x1 conv
    /// back to `channels` (BatchNorm, SiLU); 3x3 fusion conv from 2 x `channels` (the block's
    /// input concatenated with that projection) to `channels` (BatchNorm, SiLU).
    public struct MobileViTBlock: Hashable, Sendable, Codable {
        public internal(set) var channels: Int
        public internal(set) var transformerDim: Int
        public internal(set) var ffnHidden: Int
        public internal(set) var heads: Int
        public internal(set) var layers: Int
        public internal(set) var patchSize: Int

        private enum CodingKeys: String, CodingKey {
            case channels, transformerDim = "transformer_dim", ffnHidden = "ffn_hidden", heads, layers
            case patchSize = "patch_size"
        }
    }

    /// The 1x1 conv from stage 5's channels to the head's features (BatchNorm, SiLU).
    public typealias Head = HeadPlan
}
