/// What ``PruningDecision`` says about one running trial, and on what grounds.
public struct PruningVerdict: Sendable, Equatable {
    /// Why the trial stops or goes on.
    public enum Reason: String, Sendable, Equatable {
        /// Fewer epochs reported than ``PruningDecision/minimumEpochs``: it goes on.
        case tooEarly = "too_early"
        /// Its last report reached no rung (``PruningDecision/rungs``): it goes on, unjudged.
        case betweenRungs = "between_rungs"
        /// It has reported the full length already: nothing to stop.
        case finished
        /// Too few complete trials, or a model that could not be fitted: it goes on.
        case noModel = "no_model"
        /// Its optimistic final accuracy reaches the best: it goes on.
        case promising
        /// Even its optimistic final accuracy is below the best: it stops.
        case hopeless
        /// A training that can be continued later reached a rung (``PruningDecision/resumable``)
        /// with an optimistic final that reaches the best: it pauses, and the study's next
        /// proposal weighs continuing it against starting a new candidate, by expected gain per epoch.
        case paused
    }

    public var reason: Reason
    /// The predicted final accuracy of this training (%), its standard deviation (points) and
    /// the optimistic bound compared with the best; nil when no model was used.
    public var predictedFinal: Double?
    public var predictedStd: Double?
    public var optimisticFinal: Double?

    public init(reason: Reason, predictedFinal: Double? = nil, predictedStd: Double? = nil, optimisticFinal: Double? = nil) {
        self.reason = reason
        self.predictedFinal = predictedFinal
        self.predictedStd = predictedStd
        self.optimisticFinal = optimisticFinal
    }

    /// The metric under which a pruned trial keeps ``predictedFinal``, read back by the proposals' model.
    public static let predictedFinalMetric = "predicted_final_accuracy"
    /// The metric under which a pruned trial keeps ``predictedStd``, read back with ``predictedFinalMetric``.
    public static let predictedStdMetric = "predicted_final_std"
    /// The metric under which a pruned trial keeps whether its training can be continued: 1 when
    /// it was stopped as one that can (a pause, or hopeless but resumable), 0 when the stop was
    /// final (its trainer cannot resume), so that no later ask hands it out to be continued.
    /// Trials stored before the metric existed have none and count as continuable.
    public static let resumableMetric = "resumable"

    /// Whether the training should stop now.
    public var shouldStop: Bool { reason == .hopeless || reason == .paused }
}
