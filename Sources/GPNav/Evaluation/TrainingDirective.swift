/// What whoever runs a trial answers to each intermediate report: go on training, or stop now.
///
/// The evaluators honour a stop where they switch over the answer (``CommandEvaluator`` stops the
/// command's process group, SIGTERM then SIGKILL; ``TrainingSimulator`` ends its curve) and end
/// the evaluation as ``EvaluationFailure/Kind/stopped``; the study has stored the trial as pruned
/// by then (``StudySession/record(_:trial:)``).
public enum TrainingDirective: Sendable, Hashable {
    /// Keep training.
    case proceed
    /// Stop training: the study pruned the trial.
    case prune
}

/// Receives each intermediate report of a trial as it arrives, in epoch order, and answers with
/// a ``TrainingDirective``. The evaluator awaits the answer before handing on the next report.
public typealias EpochReporter = @Sendable (EpochReport) async -> TrainingDirective
