/// Walks MobileViTv2 layer by layer (the network of the reference definition, ml-cvnets'
/// `mobilevit_v2`) and reports each layer's output shape, MACs and parameters to a sink.
///
/// Feature maps are those the network computes: a stride-2 3x3 conv with padding 1 maps H to
/// ceil(H / 2); a MobileViTv2 block first resizes an odd map up to the next even size and hands
/// the resized map on to the next stage.
struct NetworkWalk: LayerWalk {
    typealias Network = Architecture
    typealias Attention = NetworkPlan.MobileViTBlock

    /// Whether the walk counts ``CountingConvention/full``.
    let full: Bool

    func walk<Sink: LayerSink>(_ architecture: Architecture, into sink: inout Sink) {
        let plan = ChannelPlan(width: architecture.width)
        let mv2 = architecture.depthLists[0]
        let vit = architecture.depthLists[1]
        var size = (architecture.resolution + 1) / 2

        sink.enter(PlannedBlock<Attention>.stem(output: plan.stem))
        let stem = conv(kernel: 3, in: 3, out: plan.stem, positions: size * size, batchNorm: true)
        sink.record("stem", shape: .map(plan.stem, size), macs: stem.macs, params: stem.params)

        var channels = plan.stem
        for block in 0..<mv2[0] {
            size = invertedResidual(into: &sink, stage: 1, block: block, in: channels, out: plan.stages.0, stride: 1, size: size)
            channels = plan.stages.0
        }
        for block in 0..<mv2[1] {
            let stride = block == 0 ? 2 : 1
            size = invertedResidual(into: &sink, stage: 2, block: block, in: channels, out: plan.stages.1, stride: stride, size: size)
            channels = plan.stages.1
        }
        for stage in 3...5 {
            let (out, dimension, layers) = stage == 3 ? (plan.stages.2, plan.attention.0, vit[0])
                : stage == 4 ? (plan.stages.3, plan.attention.1, vit[1])
                : (plan.stages.4, plan.attention.2, vit[2])
            size = invertedResidual(into: &sink, stage: stage, block: nil, in: channels, out: out, stride: 2, size: size)
            size = mobileViTBlock(into: &sink, stage: stage, channels: out, dimension: dimension, layers: layers, size: size)
            channels = out
        }

        sink.record("head.pool", shape: .map(channels, 1), macs: full ? channels * size * size : 0, params: 0)
        sink.enter(PlannedBlock<Attention>.classifier(NetworkPlan.Classifier(input: channels, classes: architecture.classes)))
        let classifier = channels * architecture.classes + architecture.classes
        sink.record("head.classifier", shape: .vector(architecture.classes), macs: classifier, params: classifier)
    }

    /// MV2 block, expansion 2: 1x1 Cin -> hidden, 3x3 depthwise with the stride, 1x1 hidden -> Cout;
    /// each with BatchNorm, no bias; shortcut when stride 1 and Cin == Cout. Returns the output size.
    private func invertedResidual<Sink: LayerSink>(into sink: inout Sink, stage: Int, block: Int?, in input: Int, out output: Int, stride: Int, size: Int) -> Int {
        let hidden = ChannelPlan.expanded(input)
        let outSize = stride == 2 ? (size + 1) / 2 : size
        let outPositions = outSize * outSize
        sink.enter(PlannedBlock<Attention>.invertedResidual(stage: stage, NetworkPlan.InvertedResidual(
            input: input, hidden: hidden, output: output, stride: stride)))
        let expand = conv(kernel: 1, in: input, out: hidden, positions: size * size, batchNorm: true)
        sink.record(LayerArithmetic.blockName(stage, block, "expand"), shape: .map(hidden, size),
                    macs: expand.macs, params: expand.params)
        let depthwise = conv(kernel: 3, in: hidden, out: hidden, groups: hidden, positions: outPositions, batchNorm: true)
        sink.record(LayerArithmetic.blockName(stage, block, "depthwise"), shape: .map(hidden, outSize),
                    macs: depthwise.macs, params: depthwise.params)
        let project = conv(kernel: 1, in: hidden, out: output, positions: outPositions, batchNorm: true,
                           residual: stride == 1 && input == output)
        sink.record(LayerArithmetic.blockName(stage, block, "project"), shape: .map(output, outSize),
                    macs: project.macs, params: project.params)
        return outSize
    }

    /// MobileViTv2 block on a C-channel map: (resize odd -> even), local 3x3 depthwise (BN) and
    /// 1x1 C -> d, `layers` x [LayerNorm, separable attention, LayerNorm, FFN], LayerNorm, 1x1
    /// d -> C (BN). Returns the (even) size it hands on.
    private func mobileViTBlock<Sink: LayerSink>(into sink: inout Sink, stage: Int, channels c: Int, dimension d: Int, layers: Int, size inputSize: Int) -> Int {
        var size = inputSize
        if size % 2 == 1 {
            size += 1
            sink.record("stage\(stage).mobilevit.resize", shape: .map(c, size), macs: 0, params: 0)
        }
        let tokens = size * size
        let local = conv(kernel: 3, in: c, out: c, groups: c, positions: tokens, batchNorm: true)
        sink.record("stage\(stage).mobilevit.local_depthwise", shape: .map(c, size), macs: local.macs, params: local.params)
        let toAttention = conv(kernel: 1, in: c, out: d, positions: tokens)
        sink.record("stage\(stage).mobilevit.local_project", shape: .map(d, size),
                    macs: toAttention.macs, params: toAttention.params)

        let f = ChannelPlan.feedForward(d)
        sink.enter(PlannedBlock<Attention>.attention(stage: stage, NetworkPlan.MobileViTBlock(
            channels: c, attentionDim: d, ffnHidden: f, layers: layers, patchSize: 2)))
        let normMACs = full ? 3 * d * tokens : 0
        // Softmax over the N scores (2 per score), context vector (d per token), ReLU(value) x context.
        let attentionMACs = full ? 2 * tokens + 2 * d * tokens : 0
        let qkv = conv(kernel: 1, in: d, out: 1 + 2 * d, positions: tokens, bias: true)
        let outProject = conv(kernel: 1, in: d, out: d, positions: tokens, bias: true, residual: true)
        let ffnExpand = conv(kernel: 1, in: d, out: f, positions: tokens, bias: true)
        let ffnProject = conv(kernel: 1, in: f, out: d, positions: tokens, bias: true, residual: true)
        for layer in 0..<layers {
            sink.record(LayerArithmetic.layerName(stage, layer, "norm1"), shape: .tokens(d, mapSize: size), macs: normMACs, params: 2 * d)
            sink.record(LayerArithmetic.layerName(stage, layer, "qkv"), shape: .tokens(1 + 2 * d, mapSize: size),
                        macs: qkv.macs, params: qkv.params)
            sink.record(LayerArithmetic.layerName(stage, layer, "attention"), shape: .tokens(d, mapSize: size),
                        macs: attentionMACs, params: 0)
            sink.record(LayerArithmetic.layerName(stage, layer, "out_project"), shape: .tokens(d, mapSize: size),
                        macs: outProject.macs, params: outProject.params)
            sink.record(LayerArithmetic.layerName(stage, layer, "norm2"), shape: .tokens(d, mapSize: size), macs: normMACs, params: 2 * d)
            sink.record(LayerArithmetic.layerName(stage, layer, "ffn_expand"), shape: .tokens(f, mapSize: size),
                        macs: ffnExpand.macs, params: ffnExpand.params)
            sink.record(LayerArithmetic.layerName(stage, layer, "ffn_project"), shape: .tokens(d, mapSize: size),
                        macs: ffnProject.macs, params: ffnProject.params)
        }
        sink.record("stage\(stage).mobilevit.norm", shape: .tokens(d, mapSize: size), macs: normMACs, params: 2 * d)
        let fusion = conv(kernel: 1, in: d, out: c, positions: tokens, batchNorm: true)
        sink.record("stage\(stage).mobilevit.fusion", shape: .map(c, size), macs: fusion.macs, params: fusion.params)
        return size
    }

    /// A convolution (``LayerArithmetic/convolution(kernel:in:out:groups:positions:bias:batchNorm:)``);
    /// under `.full`, BatchNorm and a residual add each add 1 MAC per output element.
    @inline(__always)
    private func conv(kernel k: Int, in cin: Int, out cout: Int, groups: Int = 1, positions: Int,
                      bias: Bool = false, batchNorm: Bool = false, residual: Bool = false) -> (macs: Int, params: Int) {
        var cost = LayerArithmetic.convolution(kernel: k, in: cin, out: cout, groups: groups, positions: positions,
                                               bias: bias, batchNorm: batchNorm)
        if full {
            if batchNorm { cost.macs += cout * positions }
            if residual { cost.macs += cout * positions }
        }
        return cost
    }
}
