/// Walks a MobileNetV2 layer by layer (Sandler et al., 2018; torchvision's `mobilenet_v2`) and
/// reports each layer's output shape, MACs and parameters to a sink.
///
/// The network: a 3x3 stride-2 conv (BatchNorm, ReLU6); seven stages of inverted-residual blocks
/// (``MobileNetV2Family/stages``: expansion t, base channels c, stride s of the first block); a
/// 1x1 conv to the last width (BatchNorm, ReLU6); global average pooling; a linear classifier
/// with bias. A block is a 1x1 expansion to t x Cin channels (left out when t = 1), a 3x3
/// depthwise conv with the block's stride and a 1x1 linear projection, each conv without bias
/// and followed by BatchNorm; the block adds its input when the stride is 1 and Cin == Cout.
/// A stride-2 3x3 conv with padding 1 maps H to ceil(H / 2).
///
/// MACs: a convolution costs k x k x Cin x Cout x Hout x Wout / groups, the classifier in x out
/// plus one per output for its bias. Under ``CountingConvention/full`` a BatchNorm and a residual
/// add cost one per output element and pooling one per input element; under `.published`
/// nothing else costs (torchvision and the paper: 300 M MACs for width 1.0 at 224).
struct MobileNetV2Walk: LayerWalk {
    typealias Network = Architecture
    typealias Attention = Never

    /// Whether the walk counts ``CountingConvention/full``.
    let full: Bool

    func walk<Sink: LayerSink>(_ architecture: Architecture, into sink: inout Sink) {
        let widths = MobileNetV2Widths(width: architecture.width)
        let depths = architecture.depthLists[0]
        var size = (architecture.resolution + 1) / 2

        sink.enter(PlannedBlock<Attention>.stem(output: widths.stem))
        let stem = conv(kernel: 3, in: 3, out: widths.stem, positions: size * size)
        sink.record("stem", shape: .map(widths.stem, size), macs: stem.macs, params: stem.params)

        var channels = widths.stem
        for (index, stage) in MobileNetV2Family.stages.enumerated() {
            let output = widths.stages[index]
            for block in 0..<depths[index] {
                let stride = block == 0 ? stage.stride : 1
                size = invertedResidual(into: &sink, stage: index + 1, block: block, in: channels, out: output,
                                        expansion: stage.expansion, stride: stride, size: size)
                channels = output
            }
        }

        sink.enter(PlannedBlock<Attention>.head(MobileNetV2NetworkPlan.Head(input: channels, features: widths.last)))
        let head = conv(kernel: 1, in: channels, out: widths.last, positions: size * size)
        sink.record("head.conv", shape: .map(widths.last, size), macs: head.macs, params: head.params)
        sink.record("head.pool", shape: .map(widths.last, 1), macs: full ? widths.last * size * size : 0, params: 0)
        sink.enter(PlannedBlock<Attention>.classifier(MobileNetV2NetworkPlan.Classifier(
            input: widths.last, classes: architecture.classes)))
        let classifier = widths.last * architecture.classes + architecture.classes
        sink.record("head.classifier", shape: .vector(architecture.classes), macs: classifier, params: classifier)
    }

    /// One inverted-residual block; returns the output size.
    private func invertedResidual<Sink: LayerSink>(into sink: inout Sink, stage: Int, block: Int, in input: Int, out output: Int, expansion: Int,
                                           stride: Int, size: Int) -> Int {
        let hidden = input * expansion
        let outSize = stride == 2 ? (size + 1) / 2 : size
        let outPositions = outSize * outSize
        sink.enter(PlannedBlock<Attention>.invertedResidual(stage: stage, MobileNetV2NetworkPlan.InvertedResidual(
            input: input, hidden: hidden, output: output, stride: stride)))
        if expansion != 1 {
            let expand = conv(kernel: 1, in: input, out: hidden, positions: size * size)
            sink.record(LayerArithmetic.blockName(stage, block, "expand"), shape: .map(hidden, size),
                        macs: expand.macs, params: expand.params)
        }
        let depthwise = conv(kernel: 3, in: hidden, out: hidden, groups: hidden, positions: outPositions)
        sink.record(LayerArithmetic.blockName(stage, block, "depthwise"), shape: .map(hidden, outSize),
                    macs: depthwise.macs, params: depthwise.params)
        var project = conv(kernel: 1, in: hidden, out: output, positions: outPositions)
        if full, stride == 1, input == output { project.macs += output * outPositions }
        sink.record(LayerArithmetic.blockName(stage, block, "project"), shape: .map(output, outSize),
                    macs: project.macs, params: project.params)
        return outSize
    }

    /// A convolution without bias followed by BatchNorm (every conv of MobileNetV2); under
    /// `.full` the BatchNorm costs one MAC per output element.
    @inline(__always)
    private func conv(kernel k: Int, in cin: Int, out cout: Int, groups: Int = 1, positions: Int) -> (macs: Int, params: Int) {
        var cost = LayerArithmetic.convolution(kernel: k, in: cin, out: cout, groups: groups, positions: positions,
                                               batchNorm: true)
        if full { cost.macs += cout * positions }
        return cost
    }
}
