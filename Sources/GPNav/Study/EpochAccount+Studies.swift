extension EpochAccount {
    /// The account of every study in `store`, by study name, from one read of the trials and one
    /// of the curves (and one of the complete trials' metrics per 8-bit study); the recommendation
    /// is the best complete trial within the study's budget by what the study ranks by
    /// (``StudySession/bestObserved(_:study:)``).
    public static func ofStudies(in store: any TrialStore) async throws -> [String: EpochAccount] {
        let studies = try await store.studies()
        let trials = Dictionary(grouping: try await store.trials(TrialQuery(details: false)), by: \.studyID)
        let curves = try await store.learningCurves(study: nil)
        var accounts: [String: EpochAccount] = [:]
        for study in studies {
            let own = study.id.flatMap { trials[$0] } ?? []
            accounts[study.name] = try await reading(
                study: study.name, trials: own, curves: curves, epochs: study.epochs,
                recommended: StudySession.bestObserved(try await StudySession.ranked(own, of: study, in: store),
                                                       budget: study.budget),
                from: store)
        }
        return accounts
    }

    /// The account of a study's `trials` with their `curves`, whose recommendation point also
    /// counts what trials unfinished then had trained by then (a paused trial continued later),
    /// read from the times of their reports in `store`.
    static func reading(study: String, trials: [Trial], curves: [Int64: [EpochReport]], epochs: Int?,
                        recommended: Trial?, from store: any TrialStore) async throws -> EpochAccount {
        var account = EpochAccount(trials: trials, curves: curves, epochs: epochs, recommended: recommended)
        if let at = account.recommendedCompletedAt, !account.unsettledTrials.isEmpty {
            account.addEpochsTrainedBefore(try await store.lastEpochsReported(study: study, before: at))
        }
        return account
    }

    /// Whether any trial's epochs are known, so that ``total`` means something.
    public var isKnown: Bool { byTrial.values.contains { $0 != nil } }

    /// ``total`` when any trial's epochs are known; nil otherwise (what `studies` and the API show).
    public var knownTotal: Int? { isKnown ? total : nil }
}
