import Foundation

/// One trial as JSON, the form `gpnav trials --format json` and the server's API both write:
/// snake_case keys, every key always present (null when unset), exact integers for `macs` and
/// `params`, times as ISO 8601 UTC with milliseconds. The architecture's family (`family`) and its
/// own keys (resolution, width, mv2_depths, vit_depths, classes) sit in the same object.
public struct TrialJSON: Encodable, Sendable {
    public var trial: Trial
    /// The name of the trial's study (the trial itself holds only its row id).
    public var study: String

    public init(_ trial: Trial, study: String) {
        self.trial = trial
        self.study = study
    }

    private enum CodingKeys: String, CodingKey {
        case number, study, state, family
        case macs, params, accuracy, metrics, proposal, step, acquisition
        case predictedAccuracy = "predicted_accuracy", predictedStd = "predicted_std"
        case startedAt = "started_at", finishedAt = "finished_at", heartbeatAt = "heartbeat_at"
        case error, evaluatorOutput = "evaluator_output"
    }

    public func encode(to encoder: any Encoder) throws {
        try trial.architecture.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(trial.number, forKey: .number)
        try container.encode(study, forKey: .study)
        try container.encode(trial.state.rawValue, forKey: .state)
        try container.encode(trial.architecture.familyName, forKey: .family)
        try container.encode(trial.macs, forKey: .macs)
        try container.encode(trial.params, forKey: .params)
        try container.encode(trial.accuracy, forKey: .accuracy)
        try container.encode(trial.metrics, forKey: .metrics)
        try container.encode(trial.proposal.kind.rawValue, forKey: .proposal)
        try container.encode(trial.proposal.step, forKey: .step)
        try container.encode(trial.proposal.acquisition, forKey: .acquisition)
        try container.encode(trial.proposal.predictedAccuracy, forKey: .predictedAccuracy)
        try container.encode(trial.proposal.predictedStd, forKey: .predictedStd)
        try container.encode(TrialExport.timeText(trial.startedAt), forKey: .startedAt)
        try container.encode(trial.finishedAt.map(TrialExport.timeText), forKey: .finishedAt)
        try container.encode(trial.heartbeatAt.map(TrialExport.timeText), forKey: .heartbeatAt)
        try container.encode(trial.error, forKey: .error)
        try container.encode(trial.evaluatorOutput, forKey: .evaluatorOutput)
    }
}
