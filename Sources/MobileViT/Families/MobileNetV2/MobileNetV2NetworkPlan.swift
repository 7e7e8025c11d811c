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
