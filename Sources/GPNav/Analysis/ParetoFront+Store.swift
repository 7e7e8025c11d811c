extension ParetoFront {
    /// The complete trials on the front of `objectives` among a study's trials (all studies when
    /// `study` is nil), best first, as `gpnav pareto` and the server's pareto route give them.
    /// With `maxMACs`, the front of the trials with at most that many MACs: a trial under the limit
    /// dominated only by trials over it is on this front.
    ///
    /// An objective that is neither accuracy, macs, params nor a metric stored for those trials is
    /// refused rather than answered with an empty front.
    /// - Throws: ``ObjectiveError/unknown(_:valid:)``, ``ParetoError``, store errors.
    public static func trials(in store: any TrialStore, study: String?, objectives: [Objective],
                              maxMACs: Int? = nil) async throws -> [Trial] {
        // Listing the stored metric names reads every trial's metrics: only a metric objective needs it.
        let metrics = objectives.contains(where: \.isMetric) ? try await store.metricNames(study: study) : []
        try Objective.checkKnown(objectives, metrics: metrics)
        var points = try await store.paretoCandidates(objectives, study: study)
        if let maxMACs {
            let within = Set(try await store.trials(TrialQuery(study: study, state: .complete, maxMACs: maxMACs)).compactMap(\.id))
            points.removeAll { !within.contains($0.trialID) }
        }
        let front = try indices(of: points.map(\.values), directions: objectives.map(\.direction))
        return try await store.trials(ids: front.map { points[$0].trialID })
    }
}
