import Foundation

/// Learning curves and the epochs a study spends: intermediate reports, the epoch budget, the account.
extension StudySession {
    /// The study's full training length in epochs; nil when it sets none.
    public var epochs: Int? { study.epochs }

    /// The epochs the study may spend in all; nil when it sets no such limit.
    public var epochBudget: Int? { study.epochBudget }

    /// Stores an intermediate report of running trial `number` and answers whether its training
    /// goes on: with pruning on, the study may stop it and store it as pruned
    /// (``pruningDirective(for:)``). A report that comes after the trial ended, or whose epoch is
    /// not after every stored one, is not stored (a retry of a report already kept is harmless).
    /// - Throws: ``StudyError/invalidEpochReport(_:)`` for an epoch or accuracy no report may have
    ///   (an epoch past the study's length included), ``StudyError/unknownTrial(study:number:)``,
    ///   store errors.
    /// - Parameter resumable: whether the caller's training, once stopped, can be continued
    ///   later (``Evaluator/canResume``): a stop is then a pause, and the rule stricter.
    public func record(_ report: EpochReport, trial number: Int, resumable: Bool = false) async throws -> TrainingDirective {
        if let problem = report.problem(after: nil, epochs: epochs) { throw StudyError.invalidEpochReport(problem) }
        guard let trial = try await store.trial(study: study.name, number: number), let id = trial.id else {
            throw StudyError.unknownTrial(study: study.name, number: number)
        }
        _ = try await store.addEpochReport(report, trialID: id)
        return try await pruningDirective(for: trial, resumable: resumable)
    }

    /// The epochs the study has spent, with the recommended trial's `recommended` point.
    public func epochAccount(recommended: Trial? = nil) async throws -> EpochAccount {
        let trials = try await store.trials(TrialQuery(study: study.name, details: false))
        return try await EpochAccount.reading(study: study.name, trials: trials,
                                              curves: try await store.learningCurves(study: study.name), epochs: epochs,
                                              recommended: recommended, from: store)
    }

    /// `study` with the epoch budget `given` when it differs from the stored one, and a note of
    /// the change; nil when nothing changes.
    static func adjustEpochBudget(of study: Study, to given: Int?, in store: any TrialStore) async throws
        -> (study: Study, note: String)? {
        guard let given, given != study.epochBudget else { return nil }
        guard let epochs = study.epochs, given >= epochs else {
            throw StudyError.invalidEpochBudget(given, epochs: study.epochs)
        }
        let stored = study.epochBudget.map(String.init) ?? "none"
        var changed = study
        changed.epochBudget = given
        return (try await store.updateStudy(changed), "epoch budget: \(stored) stored, now \(given)")
    }
}
