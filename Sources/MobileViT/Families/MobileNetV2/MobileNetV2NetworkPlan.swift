/// Every layer width a builder needs to construct a MobileNetV2 exactly (the `channel_plan`).
///
/// The plan is read off the walk that the family counts (``MobileNetV2Walk``), so a network built
/// from it has exactly the counted MACs and parameters; widths are already rounded. The network:
/// a 3x3 stride-2 stem conv to ``stem`` channels; seven ``stages`` of inverted-residual blocks; a
/// 1x1 conv (``head``); global average pooling; a linear ``classifier`` (see ``MobileNetV2Walk``).
public struct MobileNetV2NetworkPlan: Hashable, Sendable, Codable {
    /// Output channels of the 3x3 stride-2 stem convolution.
    public internal(set) var stem: Int
    /// Stages 1 to 7 in order.
    public internal(set) var stages: [Stage]
    /// The 1x1 conv before pooling.
    public internal(set) var head: Head
    /// The final linear layer (with bias).
    public internal(set) var classifier: Classifier

    /// One stage: its inverted-residual blocks in order (no attention block).
    public typealias Stage = StagePlan<Never>
    /// An inverted-residual block: 1x1 `in` -> `hidden` (left out when `hidden` equals `in`: an
    /// expansion ratio of 1), 3x3 depthwise with `stride`, 1x1 `hidden` -> `out`.
    public typealias InvertedResidual = InvertedResidualPlan
    /// The 1x1 conv before pooling (BatchNorm, ReLU6).
    public typealias Head = HeadPlan
    /// The linear classifier after global average pooling.
    public typealias Classifier = ClassifierPlan
}

/// What the MobileNetV2 walk builds, block by block, for the plan collector.
enum MobileNetV2PlannedBlock {
    case stem(output: Int)
    case invertedResidual(stage: Int, MobileNetV2NetworkPlan.InvertedResidual)
    case head(MobileNetV2NetworkPlan.Head)
    case classifier(MobileNetV2NetworkPlan.Classifier)
}

/// Collects the blocks of a MobileNetV2 walk into a ``MobileNetV2NetworkPlan``; ignores the counts.
struct MobileNetV2PlanSink: LayerSink {
    var plan = MobileNetV2NetworkPlan(
        stem: 0,
        stages: Array(repeating: MobileNetV2NetworkPlan.Stage(invertedResiduals: [], mobileViT: nil), count: MobileNetV2Family.stages.count),
        head: MobileNetV2NetworkPlan.Head(input: 0, features: 0),
        classifier: MobileNetV2NetworkPlan.Classifier(input: 0, classes: 0))

    mutating func record(_ name: @autoclosure () -> String, shape: LayerShape, macs: Int, params: Int) {}

    mutating func enter<Block>(_ block: Block) {
        guard let block = block as? MobileNetV2PlannedBlock else { return }
        switch block {
        case .stem(let output): plan.stem = output
        case .invertedResidual(let stage, let block): plan.stages[stage - 1].invertedResiduals.append(block)
        case .head(let head): plan.head = head
        case .classifier(let classifier): plan.classifier = classifier
        }
    }
}
