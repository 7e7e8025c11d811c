/// What whoever runs a trial answers to each intermediate report: go on training, for now always.
///
/// This is where a pruning decision answers: a `stop` case added here is honoured where the
/// evaluators switch over the answer (``CommandEvaluator`` stops the command's process group;
/// ``TrainingSimulator`` ends its curve), and the trial is then stored as pruned.
public enum TrainingDirective: Sendable, Hashable {
    /// Keep training.
    case proceed
}

/// Receives each intermediate report of a trial as it arrives, in epoch order, and answers with
/// a ``TrainingDirective``. The evaluator awaits the answer before handing on the next report.
public typealias EpochReporter = @Sendable (EpochReport) async -> TrainingDirective
