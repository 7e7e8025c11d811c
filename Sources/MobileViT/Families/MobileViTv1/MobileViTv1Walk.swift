/// Walks a MobileViT v1 network layer by layer (ml-cvnets' `mobilevit`, timm's `mobilevit_*`)
/// and reports each layer's output shape, MACs and parameters to a sink.
///
/// Feature maps are those the network computes: a stride-2 3x3 conv with padding 1 maps H to
/// ceil(H / 2). A MobileViT block keeps its map size; when the map is odd, the transformer runs on
/// the map resized up to the next even size and the result is resized back (ml-cvnets and timm
/// interpolate bilinearly; resizing costs 0).
///
/// MACs under ml-cvnets' published v1 convention: a convolution costs k x k x Cin x Cout x Hout x
/// Wout / groups, a linear layer in x out per token, each plus one per output element when it has
/// a bias; attention's two matrix products, Q K^T and the weighted sum of the values, cost N^2 x
/// d / h per head for N patches, h heads and dimension d, for each of the P = 4 pixel positions
/// of a 2x2 patch: 2 x P x N^2 x d per layer. Normalisation, activations, softmax, the scaling of
/// the scores, residual adds, resizing and pooling cost 0.
struct MobileViTv1Walk: LayerWalk {
    typealias Network = MobileViTv1Network
    typealias Attention = MobileViTv1NetworkPlan.MobileViTBlock

    /// v1 counts ml-cvnets' published convention only (``MobileViTv1Family/conventions``).
    init(full: Bool) {}

    func walk<Sink: LayerSink>(_ network: MobileViTv1Network, into sink: inout Sink) {
        let widths = MobileViTv1Widths(basePlan: network.basePlan, width: network.width)
        let e = network.expansion
        var size = (network.resolution + 1) / 2

        sink.enter(PlannedBlock<Attention>.stem(output: widths.stem))
        let stem = conv(kernel: 3, in: 3, out: widths.stem, positions: size * size, batchNorm: true)
        sink.record("stem", shape: .map(widths.stem, size), macs: stem.macs, params: stem.params)

        var channels = widths.stem
        for block in 0..<network.mv2Depths[0] {
            size = invertedResidual(into: &sink, stage: 1, block: block, in: channels, out: widths.stages.0, expansion: e, stride: 1, size: size)
            channels = widths.stages.0
        }
        for block in 0..<network.mv2Depths[1] {
            size = invertedResidual(into: &sink, stage: 2, block: block, in: channels, out: widths.stages.1, expansion: e,
                                    stride: block == 0 ? 2 : 1, size: size)
            channels = widths.stages.1
        }
        let depths = network.transformerDepths
        for stage in 3...5 {
            let (out, dimension, layers) = stage == 3 ? (widths.stages.2, widths.dims.0, depths[0])
                : stage == 4 ? (widths.stages.3, widths.dims.1, depths[1])
                : (widths.stages.4, widths.dims.2, depths[2])
            size = invertedResidual(into: &sink, stage: stage, block: nil, in: channels, out: out, expansion: e, stride: 2, size: size)
            mobileViTBlock(into: &sink, stage: stage, channels: out, dimension: dimension, layers: layers, size: size)
            channels = out
        }

        let features = widths.headFeatures
        sink.enter(PlannedBlock<Attention>.head(MobileViTv1NetworkPlan.Head(input: channels, features: features)))
        let headConv = conv(kernel: 1, in: channels, out: features, positions: size * size, batchNorm: true)
        sink.record("head.conv", shape: .map(features, size), macs: headConv.macs, params: headConv.params)
        sink.record("head.pool", shape: .map(features, 1), macs: 0, params: 0)
        sink.enter(PlannedBlock<Attention>.classifier(MobileViTv1NetworkPlan.Classifier(input: features, classes: network.classes)))
        let classifier = features * network.classes + network.classes
        sink.record("head.classifier", shape: .vector(network.classes), macs: classifier, params: classifier)
    }

    /// MV2 block: 1x1 Cin -> hidden, 3x3 depthwise with the stride, 1x1 hidden -> Cout; each with
    /// BatchNorm and no bias; shortcut when the stride is 1 and Cin == Cout. Returns the output size.
    private func invertedResidual<Sink: LayerSink>(into sink: inout Sink, stage: Int, block: Int?, in input: Int, out output: Int, expansion: Int,
                                           stride: Int, size: Int) -> Int {
        let hidden = MobileViTv1Widths.hidden(input, expansion: expansion)
        let outSize = stride == 2 ? (size + 1) / 2 : size
        let outPositions = outSize * outSize
        sink.enter(PlannedBlock<Attention>.invertedResidual(stage: stage, MobileViTv1NetworkPlan.InvertedResidual(
            input: input, hidden: hidden, output: output, stride: stride)))
        let expand = conv(kernel: 1, in: input, out: hidden, positions: size * size, batchNorm: true)
        sink.record(LayerArithmetic.blockName(stage, block, "expand"), shape: .map(hidden, size), macs: expand.macs, params: expand.params)
        let depthwise = conv(kernel: 3, in: hidden, out: hidden, groups: hidden, positions: outPositions, batchNorm: true)
        sink.record(LayerArithmetic.blockName(stage, block, "depthwise"), shape: .map(hidden, outSize),
                    macs: depthwise.macs, params: depthwise.params)
        let project = conv(kernel: 1, in: hidden, out: output, positions: outPositions, batchNorm: true)
        sink.record(LayerArithmetic.blockName(stage, block, "project"), shape: .map(output, outSize), macs: project.macs, params: project.params)
        return outSize
    }

    /// MobileViT v1 block on a C-channel map of `size`: 3x3 conv C -> C (BN), 1x1 C -> d (no bias);
    /// `layers` pre-norm transformer layers on 2x2 patches of the map resized to even [LayerNorm,
    /// multi-head attention (qkv d -> 3d and out d -> d, with bias), LayerNorm, FFN d -> 2d -> d
    /// with bias]; LayerNorm; 1x1 d -> C (BN); 3x3 fusion conv 2C -> C (BN) over the block's input
    /// and that projection. The map keeps its size.
    private func mobileViTBlock<Sink: LayerSink>(into sink: inout Sink, stage: Int, channels c: Int, dimension d: Int, layers: Int, size: Int) {
        let positions = size * size
        let local = conv(kernel: 3, in: c, out: c, positions: positions, batchNorm: true)
        sink.record("stage\(stage).mobilevit.local_conv", shape: .map(c, size), macs: local.macs, params: local.params)
        let toTransformer = conv(kernel: 1, in: c, out: d, positions: positions)
        sink.record("stage\(stage).mobilevit.local_project", shape: .map(d, size),
                    macs: toTransformer.macs, params: toTransformer.params)
        let even = size + size % 2
        if even != size {
            sink.record("stage\(stage).mobilevit.resize", shape: .map(d, even), macs: 0, params: 0)
        }

        let f = MobileViTv1Widths.feedForward(d)
        sink.enter(PlannedBlock<Attention>.attention(stage: stage, MobileViTv1NetworkPlan.MobileViTBlock(
            channels: c, transformerDim: d, ffnHidden: f, heads: MobileViTv1Widths.heads, layers: layers,
            patchSize: MobileViTv1Widths.patchSize)))
        let tokens = even * even
        let patches = tokens / 4
        let qkv = conv(kernel: 1, in: d, out: 3 * d, positions: tokens, bias: true)
        let attention = 2 * tokens * patches * d
        let outProject = conv(kernel: 1, in: d, out: d, positions: tokens, bias: true)
        let ffnExpand = conv(kernel: 1, in: d, out: f, positions: tokens, bias: true)
        let ffnProject = conv(kernel: 1, in: f, out: d, positions: tokens, bias: true)
        for layer in 0..<layers {
            sink.record(LayerArithmetic.layerName(stage, layer, "norm1"), shape: .tokens(d, mapSize: even), macs: 0, params: 2 * d)
            sink.record(LayerArithmetic.layerName(stage, layer, "qkv"), shape: .tokens(3 * d, mapSize: even), macs: qkv.macs, params: qkv.params)
            sink.record(LayerArithmetic.layerName(stage, layer, "attention"), shape: .tokens(d, mapSize: even), macs: attention, params: 0)
            sink.record(LayerArithmetic.layerName(stage, layer, "out_project"), shape: .tokens(d, mapSize: even),
                        macs: outProject.macs, params: outProject.params)
            sink.record(LayerArithmetic.layerName(stage, layer, "norm2"), shape: .tokens(d, mapSize: even), macs: 0, params: 2 * d)
            sink.record(LayerArithmetic.layerName(stage, layer, "ffn_expand"), shape: .tokens(f, mapSize: even),
                        macs: ffnExpand.macs, params: ffnExpand.params)
            sink.record(LayerArithmetic.layerName(stage, layer, "ffn_project"), shape: .tokens(d, mapSize: even),
                        macs: ffnProject.macs, params: ffnProject.params)
        }
        sink.record("stage\(stage).mobilevit.norm", shape: .tokens(d, mapSize: even), macs: 0, params: 2 * d)
        if even != size {
            sink.record("stage\(stage).mobilevit.resize_back", shape: .map(d, size), macs: 0, params: 0)
        }
        let project = conv(kernel: 1, in: d, out: c, positions: positions, batchNorm: true)
        sink.record("stage\(stage).mobilevit.project", shape: .map(c, size), macs: project.macs, params: project.params)
        let fusion = conv(kernel: 3, in: 2 * c, out: c, positions: positions, batchNorm: true)
        sink.record("stage\(stage).mobilevit.fusion", shape: .map(c, size), macs: fusion.macs, params: fusion.params)
    }

    @inline(__always)
    private func conv(kernel k: Int, in cin: Int, out cout: Int, groups: Int = 1, positions: Int,
                      bias: Bool = false, batchNorm: Bool = false) -> (macs: Int, params: Int) {
        LayerArithmetic.convolution(kernel: k, in: cin, out: cout, groups: groups, positions: positions,
                                    bias: bias, batchNorm: batchNorm)
    }
}
