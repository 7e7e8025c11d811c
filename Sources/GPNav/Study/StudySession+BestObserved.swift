extension StudySession {
    /// The complete trial of `trials` within `budget` with the highest observed accuracy (the
    /// earlier on ties), where each trial's `accuracy` is already the one its study ranks by (a
    /// snapshot's trials, ranked when read). Nil when no complete trial fits the budget.
    public static func bestObserved(_ trials: [Trial], budget: Budget) -> Trial? {
        StudyModel.observed(trials).filter { budget.admits(macs: $0.macs, params: $0.params) }
            .max { ($0.accuracy ?? 0, -$0.number) < ($1.accuracy ?? 0, -$1.number) }
    }

    /// The best complete trial of `trials` within the study's budget by the accuracy the study
    /// ranks by (``StudySettings/rankingAccuracy(of:)``: the int8 accuracy of an 8-bit study), as
    /// `export --trial best`, the progress line and the API's `best` name it. `trials` carry their
    /// metrics (read with details) where the study ranks by int8 accuracy. The trial is returned
    /// as given, with its float accuracy. Nil when no complete trial fits the budget.
    public static func bestObserved(_ trials: [Trial], study: Study) -> Trial? {
        let int8 = StudySettings.int8Accuracies(of: trials)
        guard let best = bestObserved(study.settings.ranked(trials, int8Accuracy: int8), budget: study.budget) else {
            return nil
        }
        return trials.first { $0.number == best.number } ?? best
    }

    /// Every trial of `study`, read whole from `store`, each complete one's accuracy the one the
    /// study ranks by (``StudySettings/rankingAccuracy(of:)``: an 8-bit study's int8 accuracy, and
    /// none for a complete trial that reported none): what `gpnav analyze` fits and `gpnav plot`
    /// draws, so that they explain and show the ranking the study searched by.
    public static func rankedTrials(of study: Study, in store: any TrialStore) async throws -> [Trial] {
        let trials = try await store.trials(TrialQuery(study: study.name))
        return study.settings.ranked(trials, int8Accuracy: StudySettings.int8Accuracies(of: trials))
    }

    /// `trials`, read without details, each complete one's accuracy replaced by the one `study`
    /// ranks by: an 8-bit study reads its complete trials' int8 accuracy (a metric) from `store`.
    static func ranked(_ trials: [Trial], of study: Study, in store: any TrialStore) async throws -> [Trial] {
        guard study.settings.ranksByInt8Accuracy else { return trials }
        let complete = try await store.trials(TrialQuery(study: study.name, state: .complete))
        return study.settings.ranked(trials, int8Accuracy: StudySettings.int8Accuracies(of: complete))
    }
}
