import Foundation
import GPNav

/// A study as the API writes it: its settings, trials by state (`abandoned`: given up by the
/// reaper), target and best trial.
struct StudyJSON: Encodable {
    var status: StudyStatus

    private enum CodingKeys: String, CodingKey {
        case name, createdAt = "created_at", budget, space, objectives, seed, evaluator, settings
        case targetTrials = "target_trials", complete, running, failed, pruned, abandoned, best
        case epochsSpent = "epochs_spent", epochsAtBest = "epochs_at_best"
    }

    func encode(to encoder: any Encoder) throws {
        let study = status.study
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(study.name, forKey: .name)
        try container.encode(TrialExport.timeText(study.createdAt), forKey: .createdAt)
        try container.encode(study.budget, forKey: .budget)
        try container.encode(study.space, forKey: .space)
        try container.encode(study.objectives, forKey: .objectives)
        try container.encode(study.seed, forKey: .seed)
        try container.encode(study.evaluator, forKey: .evaluator)
        try container.encode(study.settings, forKey: .settings)
        try container.encode(status.targetTrials, forKey: .targetTrials)
        try container.encode(status.complete, forKey: .complete)
        try container.encode(status.running, forKey: .running)
        try container.encode(status.failed, forKey: .failed)
        try container.encode(status.pruned, forKey: .pruned)
        try container.encode(status.abandoned, forKey: .abandoned)
        try container.encode(status.best.map { TrialJSON($0, study: study.name) }, forKey: .best)
        try container.encode(status.epochAccount?.total, forKey: .epochsSpent)
        try container.encode(status.epochAccount?.totalAtRecommended, forKey: .epochsAtBest)
    }
}

/// `GET /v1/studies`.
struct StudyListJSON: Encodable {
    var studies: [StudyJSON]
}

/// `{"trials": [...]}` of full trials.
struct TrialListJSON: Encodable {
    var trials: [TrialJSON]
}

/// One claimed trial as a worker receives it: what to train (`architecture`, `config`, exactly
/// the JSON a training command gets as `{config}`) and how often to send a heartbeat.
struct SuggestedTrialJSON: Encodable {
    var suggested: SuggestedTrial
    var study: String
    var leaseSeconds: Double

    private enum CodingKeys: String, CodingKey {
        case number, study, architecture, macs, params, proposal, phase, config, leaseSeconds = "lease_seconds"
    }

    func encode(to encoder: any Encoder) throws {
        let trial = suggested.trial
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(trial.number, forKey: .number)
        try container.encode(study, forKey: .study)
        try container.encode(trial.architecture, forKey: .architecture)
        try container.encode(trial.macs, forKey: .macs)
        try container.encode(trial.params, forKey: .params)
        try container.encode(trial.proposal.kind.rawValue, forKey: .proposal)
        try container.encode(suggested.phase.rawValue, forKey: .phase)
        try container.encode(suggested.config, forKey: .config)
        try container.encode(leaseSeconds, forKey: .leaseSeconds)
    }
}

/// `POST .../suggestions` answer.
struct SuggestionJSON: Encodable {
    var trials: [SuggestedTrialJSON]
    var done: Bool
    var exhausted: Bool
}
