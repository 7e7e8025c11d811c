import Foundation

/// Where trials' learning curves (their intermediate reports, ``EpochReport``) are kept: the data
/// primitives every ``TrialStore`` backend implements, in `trial_reports`.
public protocol LearningCurveStore: Sendable {
    /// Stores `report` with the running trial `trialID` when its epoch comes after every epoch
    /// stored for the trial, checked and stored atomically; returns whether it was stored (false:
    /// the trial is no longer running, or has this or a later epoch already).
    /// - Throws: ``StoreError/unknownTrial(_:)`` when no trial has the id,
    ///   ``StoreError/invalidValue(_:)`` for an epoch or accuracy no report may have.
    func addEpochReport(_ report: EpochReport, trialID: Int64) async throws -> Bool
    /// The learning curves of a study's trials (of every study when `study` is nil), by trial id,
    /// each in epoch order; trials without reports are absent.
    /// - Throws: ``StoreError/unknownStudy(_:known:)`` when the study does not exist.
    func learningCurves(study: String?) async throws -> [Int64: [EpochReport]]
    /// The last epoch each trial of `study` had reported strictly before `cutoff`, by trial id
    /// (trials without such a report are absent): what a trial paused and continued later had
    /// trained at that time, for the epoch account.
    /// - Throws: ``StoreError/unknownStudy(_:known:)`` when the study does not exist.
    func lastEpochsReported(study: String, before cutoff: Date) async throws -> [Int64: Int]
    /// Stores whole curves of trials (an import), in one transaction: every report or none. A
    /// trial that has reports already keeps them and gets none of these.
    /// - Throws: ``StoreError/unknownTrial(_:)``, ``StoreError/invalidValue(_:)`` as above, or for
    ///   a curve whose epochs do not increase.
    func addLearningCurves(_ curves: [Int64: [EpochReport]]) async throws
}

extension EpochReport {
    /// Checks that a curve can be stored: each report valid, epochs increasing.
    /// - Throws: ``StoreError/invalidValue(_:)`` naming the first fault.
    static func checkStorable(_ curve: [EpochReport], trialID: Int64) throws(StoreError) {
        var previous: Int?
        for report in curve {
            if let problem = report.problem(after: previous, epochs: nil) {
                throw .invalidValue("the learning curve of trial id \(trialID): \(problem)")
            }
            previous = report.epoch
        }
    }
}
