import Foundation

/// What a study has spent on training, counted in epochs: the cost a user pays in GPU time.
///
/// A trial trained as many epochs as its last intermediate report says; a complete trial that
/// reported none trained the study's full length (unknown when the study sets none); a failed or
/// pruned trial that reported none counts 0, as does a running one before its first report.
public struct EpochAccount: Sendable, Hashable {
    /// Epochs each trial trained, by trial number; nil where unknown.
    public var byTrial: [Int: Int?]
    /// Epochs of every trial whose count is known.
    public var total: Int
    /// Trials whose epochs are unknown (complete, no reports, no training length), left out of ``total``.
    public var unknownTrials: Int
    /// Epochs spent when the recommended architecture was first complete: those of every trial
    /// finished by then, that trial included; nil without a recommendation.
    public var totalAtRecommended: Int?
    /// When the recommended architecture was first complete; nil without a recommendation.
    public var recommendedCompletedAt: Date?
    /// Trials with reports that had not finished by ``recommendedCompletedAt`` (a paused trial
    /// continued later, a trial running beside it), their trial ids: what they had trained by then
    /// belongs in ``totalAtRecommended`` (``addEpochsTrainedBefore(_:)``).
    public var unsettledTrials: Set<Int64> = []

    /// The account of `trials` with their `curves` (by trial id) in a study of `epochs` epochs.
    public init(trials: [Trial], curves: [Int64: [EpochReport]], epochs: Int?, recommended: Trial? = nil) {
        var byTrial: [Int: Int?] = [:]
        for trial in trials {
            byTrial[trial.number] = Self.epochsTrained(trial, curve: trial.id.flatMap { curves[$0] } ?? [], epochs: epochs)
        }
        self.byTrial = byTrial
        total = byTrial.values.reduce(0) { $0 + ($1 ?? 0) }
        unknownTrials = byTrial.values.filter { $0 == nil }.count
        // Finished trials in the order they finished (by number where the times tie).
        let finished = trials.compactMap { trial in
            trial.state == .running ? nil : trial.finishedAt.map { (at: $0, trial: trial) }
        }.sorted { ($0.at, $0.trial.number) < ($1.at, $1.trial.number) }
        let found = recommended.flatMap { best in
            finished.firstIndex { $0.trial.state == .complete && $0.trial.architecture == best.architecture }
        }
        guard let found else { return }
        totalAtRecommended = finished[...found].reduce(0) { $0 + ((byTrial[$1.trial.number] ?? nil) ?? 0) }
        recommendedCompletedAt = finished[found].at
        let settled = Set(finished[...found].map { $0.trial.number })
        for trial in trials where !settled.contains(trial.number) {
            if let id = trial.id, !(curves[id] ?? []).isEmpty { unsettledTrials.insert(id) }
        }
    }

    /// Adds to ``totalAtRecommended`` what the ``unsettledTrials`` had trained when the
    /// recommended architecture was first complete: `lastEpochs`, the last epoch each trial had
    /// reported before then, by trial id (``LearningCurveStore/lastEpochsReported(study:before:)``).
    public mutating func addEpochsTrainedBefore(_ lastEpochs: [Int64: Int]) {
        guard let at = totalAtRecommended else { return }
        totalAtRecommended = at + unsettledTrials.reduce(0) { $0 + (lastEpochs[$1] ?? 0) }
        unsettledTrials = []
    }

    /// Epochs `trial` trained, given its reports and the study's training length (see the type).
    public static func epochsTrained(_ trial: Trial, curve: [EpochReport], epochs: Int?) -> Int? {
        if let last = curve.last?.epoch { return last }
        return trial.state == .complete ? epochs : 0
    }
}
