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
        totalAtRecommended = recommended.flatMap { best in
            guard let found = finished.firstIndex(where: {
                $0.trial.state == .complete && $0.trial.architecture == best.architecture
            }) else { return nil }
            return finished[...found].reduce(0) { $0 + ((byTrial[$1.trial.number] ?? nil) ?? 0) }
        }
    }

    /// Epochs `trial` trained, given its reports and the study's training length (see the type).
    public static func epochsTrained(_ trial: Trial, curve: [EpochReport], epochs: Int?) -> Int? {
        if let last = curve.last?.epoch { return last }
        return trial.state == .complete ? epochs : 0
    }
}
