/// What ``StudySession/ask(worker:count:)`` hands out.
public struct StudySuggestion: Sendable {
    /// The claimed trials, the worker's own running ones first; empty when nothing is to be done now.
    public var trials: [SuggestedTrial]
    /// The study has its target of complete trials, or no admitted candidate is left.
    public var done: Bool
    /// No admitted candidate is left although the study is short of its target.
    public var exhausted: Bool

    public init(trials: [SuggestedTrial], done: Bool, exhausted: Bool) {
        self.trials = trials
        self.done = done
        self.exhausted = exhausted
    }
}

/// One trial to train: the stored running trial, who proposed it, and what the training gets.
public struct SuggestedTrial: Sendable {
    /// Number, architecture, MACs, params; state running.
    public var trial: Trial
    public var phase: SearchPhase
    /// Exactly the JSON a training command receives as `{config}`.
    public var config: TrialConfig
    /// The latest abandoned trial of the same architecture when this one retries it (its
    /// training may resume from that trial's checkpoint); nil otherwise.
    public var retriedTrial: Int?
    /// The epochs this trial trained before it was paused, when the ask continues it (its
    /// training goes on from there); nil for a new training.
    public var resumedAfterEpoch: Int?

    public init(trial: Trial, phase: SearchPhase, config: TrialConfig, retriedTrial: Int? = nil,
                resumedAfterEpoch: Int? = nil) {
        self.trial = trial
        self.phase = phase
        self.config = config
        self.retriedTrial = retriedTrial
        self.resumedAfterEpoch = resumedAfterEpoch
    }
}

/// Where a study stands: trials by state, the target and the best result so far.
public struct StudyStatus: Sendable {
    public var study: Study
    public var complete: Int
    public var running: Int
    public var failed: Int
    public var pruned: Int
    /// Trials given up as abandoned (no heartbeat within the lease, process gone); not among `failed`.
    public var abandoned: Int
    public var targetTrials: Int
    /// The complete trial within budget with the highest observed accuracy, or nil.
    public var best: Trial?
    /// The epochs the study spent; its point of the recommendation is that of ``best``.
    public var epochAccount: EpochAccount?

    public init(study: Study, complete: Int, running: Int, failed: Int, pruned: Int, abandoned: Int,
                targetTrials: Int, best: Trial?) {
        self.study = study
        self.complete = complete
        self.running = running
        self.failed = failed
        self.pruned = pruned
        self.abandoned = abandoned
        self.targetTrials = targetTrials
        self.best = best
    }
}
