/// Exact MAC and parameter counts of MobileViT v1 networks.
///
/// The network is ml-cvnets' `mobilevit` (timm's `mobilevit_xxs`, `mobilevit_xs`, `mobilevit_s`
/// at their plans) with the network's factors. MACs follow ml-cvnets' published v1 convention:
/// convolutions and linear layers (plus one per output element of each biased one) and
/// attention's two matrix products, Q K^T and the weighted sum of the values (N^2 x d / h per head
/// and pixel position for N patches, dimension d, h heads); everything else costs 0 (see
/// ``MobileViTv1Walk``). The published models count 408,985,064 (XXS), 1,028,342,760 (XS) and
/// 2,004,595,688 (S) MACs at 256x256 (about the 0.4, 1.0 and 2.0 G usually quoted for them), and
/// 1,272,024, 2,317,848 and 5,578,632 parameters, timm's counts.
///
/// ``cost(of:)`` allocates nothing; ``breakdown(of:)`` lists every layer, and its sums equal
/// ``cost(of:)`` exactly.
public enum MobileViTv1CostModel {
    /// Total MACs and parameters of `network`. Allocates nothing.
    public static func cost(of network: MobileViTv1Network) -> Cost {
        MobileViTv1Walk.cost(of: network, convention: .published)
    }

    /// Every layer of `network` in network order, with output shape, MACs and parameters.
    ///
    /// Layer names are dotted paths as in MobileViTv2's breakdown: `stem`;
    /// `stage1.block0.expand|depthwise|project` for the MV2 blocks of stages 1 and 2;
    /// `stage3.mv2.*` for the stride-2 MV2 block opening stages 3 to 5;
    /// `stage3.mobilevit.local_conv`, `.local_project`, `.resize` (only for an odd map),
    /// `.layerI.norm1|qkv|attention|out_project|norm2|ffn_expand|ffn_project`, `.norm`,
    /// `.resize_back` (only for an odd map), `.project`, `.fusion`; then `head.conv`, `head.pool`
    /// and `head.classifier`.
    public static func breakdown(of network: MobileViTv1Network) -> [LayerCost] {
        MobileViTv1Walk.breakdown(of: network, convention: .published)
    }

    /// The channel plan of `network`, collected from the walk that ``cost(of:)`` counts.
    public static func plan(of network: MobileViTv1Network) -> MobileViTv1NetworkPlan {
        let blocks = MobileViTv1Walk.plan(of: network)
        return MobileViTv1NetworkPlan(stem: blocks.stem, stages: blocks.stages, head: blocks.head,
                                      classifier: blocks.classifier)
    }
}
