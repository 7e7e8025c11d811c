import Foundation
import GPNav
import OpenAPIRuntime

/// The library's values as the generated wire types. A trial is written by the library's
/// ``TrialJSON`` (the form of `gpnav trials --format json`, every key present, null when unset)
/// and carried as a JSON value, so the API and the command line cannot drift apart.
enum WireValues {
    static func study(_ status: StudyStatus) throws -> Components.Schemas.Study {
        let study = status.study
        return Components.Schemas.Study(
            name: study.name, createdAt: TrialExport.timeText(study.createdAt), budget: study.budget,
            space: study.space, objectives: study.objectives, seed: study.seed, evaluator: study.evaluator,
            settings: study.settings, targetTrials: status.targetTrials,
            complete: status.complete, running: status.running, failed: status.failed, pruned: status.pruned,
            abandoned: status.abandoned,
            // Present and null before the first complete trial: the key is always written.
            best: .some(try status.best.map { try value(TrialJSON($0, study: study.name)) } ?? OpenAPIValueContainer(nilLiteral: ())),
            epochsSpent: status.epochAccount?.knownTotal, epochsAtBest: status.epochAccount?.totalAtRecommended)
    }

    /// The answer to an intermediate report.
    static func directive(_ directive: TrainingDirective) -> Components.Schemas.TrainingDirective {
        switch directive {
        case .proceed: Components.Schemas.TrainingDirective(prune: false)
        case .prune: Components.Schemas.TrainingDirective(prune: true)
        }
    }

    static func trial(_ trial: Trial, study: String) throws -> OpenAPIObjectContainer {
        try value(TrialJSON(trial, study: study))
    }

    static func trials(_ trials: [Trial], study: String) throws -> Components.Schemas.TrialList {
        Components.Schemas.TrialList(trials: try trials.map { try trial($0, study: study) })
    }

    static func suggested(_ suggested: SuggestedTrial, study: String, leaseSeconds: Double) throws
        -> Components.Schemas.SuggestedTrial {
        let trial = suggested.trial
        return Components.Schemas.SuggestedTrial(
            number: trial.number, study: study, architecture: trial.architecture, macs: trial.macs,
            params: trial.params, proposal: trial.proposal.kind.rawValue, phase: suggested.phase.rawValue,
            config: try value(suggested.config), leaseSeconds: leaseSeconds,
            retriedTrial: suggested.retriedTrial, resumedAfterEpoch: suggested.resumedAfterEpoch)
    }

    /// `value` as the JSON value its own encoding writes.
    private static func value<Value: Decodable>(_ encodable: some Encodable) throws -> Value {
        try JSONDecoder().decode(Value.self, from: JSONEncoder().encode(encodable))
    }
}
