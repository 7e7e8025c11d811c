/// Who measures the architectures a study with a latency budget proposes, and so when a
/// proposal may be claimed for training.
public enum LatencyMeasuring: Sendable {
    /// Whoever claims a trial measures it before training it
    /// (``StudySession/screenLatency(of:meter:)``), as `gpnav search --latency-command` does.
    case byClaimant
    /// Measure-only workers on the study's device measure first: an ask claims a proposal only
    /// once it is measured within the budget on the study's target, and an unmeasured proposal
    /// waits in ``StudySession/wantedMeasurements`` (the ask gets nothing meanwhile, as from a
    /// busy study), as `gpnav serve` hands out the trials of a latency study.
    case beforeClaim
}
