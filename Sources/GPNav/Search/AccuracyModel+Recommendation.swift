import MobileViT

extension AccuracyModel {
    /// A trial the model rates best, with the model's mean and standard deviation there.
    struct RatedTrial: Sendable {
        var trial: Trial
        var mean: Double
        var std: Double
    }

    /// What `gpnav search` recommends: among `trials`, those within `budget`, the one with the
    /// highest posterior mean (ties to the lower trial number). Nil when no trial is within
    /// `budget`, or when the model's predictions there are not all finite (no rating is trusted
    /// then; the caller says what to do instead).
    func highestPosteriorMean(among trials: [Trial], within budget: Budget) -> RatedTrial? {
        let admitted = trials.filter { budget.admits(macs: $0.macs, params: $0.params) }
        guard !admitted.isEmpty else { return nil }
        let prediction = predict(admitted.map(\.architecture))
        let means = prediction.mean, stds = prediction.standardDeviation
        guard means.count == admitted.count, stds.count == admitted.count,
              means.allSatisfy(\.isFinite), stds.allSatisfy(\.isFinite),
              let best = means.indices.max(by: { (means[$0], -admitted[$0].number) < (means[$1], -admitted[$1].number) })
        else { return nil }
        return RatedTrial(trial: admitted[best], mean: means[best], std: stds[best])
    }
}
