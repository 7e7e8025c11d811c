extension StudySession {
    /// The complete trial of `trials` within `budget` with the highest observed accuracy (the
    /// earlier on ties), as `export --trial best` and the studies list name the best; the search
    /// report starts from it and may recommend another by the GP's mean. Nil when no complete
    /// trial fits the budget.
    public static func bestObserved(_ trials: [Trial], budget: Budget) -> Trial? {
        StudyModel.observed(trials).filter { budget.admits(macs: $0.macs, params: $0.params) }
            .max { ($0.accuracy ?? 0, -$0.number) < ($1.accuracy ?? 0, -$1.number) }
    }
}
