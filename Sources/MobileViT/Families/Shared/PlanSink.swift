/// A block a network walk builds, with its exact widths, for ``PlanSink``; `Attention` is the
/// family's attention block (`Never` for a family without one).
enum PlannedBlock<Attention> {
    case stem(output: Int)
    case invertedResidual(stage: Int, InvertedResidualPlan)
    case attention(stage: Int, Attention)
    case head(HeadPlan)
    case classifier(ClassifierPlan)
}

/// Collects the blocks of a walk (``PlannedBlock``) into the parts of a channel plan; ignores the
/// layer counts. Stages are numbered from 1 and kept in order; a family's plan type is made of
/// these parts (``WalkedFamily/plan(_:)``).
struct PlanSink<Attention: Hashable & Sendable & Codable>: LayerSink {
    private(set) var stem = 0
    private(set) var stages: [StagePlan<Attention>] = []
    /// The 1x1 conv before pooling; a zero-width one for a family without it.
    private(set) var head = HeadPlan(input: 0, features: 0)
    private(set) var classifier = ClassifierPlan(input: 0, classes: 0)

    mutating func record(_ name: @autoclosure () -> String, shape: LayerShape, macs: Int, params: Int) {}

    mutating func enter<Block>(_ block: Block) {
        guard let block = block as? PlannedBlock<Attention> else { return }
        switch block {
        case .stem(let output): stem = output
        case .invertedResidual(let stage, let block):
            reach(stage)
            stages[stage - 1].invertedResiduals.append(block)
        case .attention(let stage, let block):
            reach(stage)
            stages[stage - 1].mobileViT = block
        case .head(let head): self.head = head
        case .classifier(let classifier): self.classifier = classifier
        }
    }

    /// Adds empty stages up to stage `number` (from 1).
    private mutating func reach(_ number: Int) {
        while stages.count < number { stages.append(StagePlan(invertedResiduals: [], mobileViT: nil)) }
    }
}
