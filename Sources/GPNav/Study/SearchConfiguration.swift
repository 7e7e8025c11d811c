import MobileViT

/// How a local search runs, besides where trials are kept and how they are scored: the study
/// (its name and settings) and this run's own options.
public struct SearchConfiguration: Sendable {
    /// The study's name; trials are kept under it.
    public var studyName: String
    /// The study's settings (the evaluator's is filled in with the evaluator in use).
    public var settings: StudySettings
    /// The settings actually given, when some are left to a stored study (`--resume` without
    /// every flag); the others in ``settings`` are defaults.
    public var given: Set<StudySettings.Key>
    /// Evaluations kept in flight at once.
    public var parallel: Int
    /// Failed trials after which this run stops.
    public var maxFailures: Int
    /// Continue an existing study instead of refusing its name.
    public var resume: Bool
    /// Random restarts of each full hyperparameter fit.
    public var restarts: Int
    /// A running trial whose heartbeat is older than this many seconds is taken as abandoned.
    public var staleAfterSeconds: Double
    /// Retrainings of the recommended architecture with other seeds once the study is done, so
    /// that it has this many trainings beyond its first (`--repeat-best`); 0 for none. A run
    /// option, not a study setting: a resumed run asks again, and trainings already there count.
    public var repeatBest = 0
    /// How long this run may start trials, as Optuna's `optimize(timeout=)`: once it has passed no
    /// new trial (nor retraining) starts, the trials running finish and are recorded, and the
    /// report says the search ended early; the study stays as it is, to resume. A run option, not
    /// a study setting. Nil for no limit.
    public var timeLimit: Seconds?

    public init(studyName: String, settings: StudySettings, given: Set<StudySettings.Key> = StudySettings.Key.every,
                parallel: Int = 1, maxFailures: Int = 10, resume: Bool = false, restarts: Int = 2,
                staleAfterSeconds: Double = 120) {
        self.studyName = studyName
        self.settings = settings
        self.given = given
        self.parallel = parallel
        self.maxFailures = maxFailures
        self.resume = resume
        self.restarts = restarts
        self.staleAfterSeconds = staleAfterSeconds
    }
}

/// Which part of the search proposed a trial.
public enum SearchPhase: String, Sendable {
    /// Phase 1: the downsizing chain.
    case downsizing
    /// Phase 2: expected improvement under the Gaussian process.
    case gaussianProcess = "gp"
    /// Too few results to fit a model yet: a random admitted architecture.
    case random
}

/// Progress of a running search, for the command line to render.
public enum SearchEvent: Sendable {
    /// The study is open; `failedStale` running trials of dead processes were marked failed.
    /// `evaluator` is the evaluator in use, in words.
    case began(study: Study, resumed: Bool, completeTrials: Int, failedStale: Int, evaluator: String)
    case trialStarted(Trial, phase: SearchPhase)
    /// A running trial reported a point of its learning curve.
    case epochReported(trial: Int, EpochReport)
    /// A trial ended; `best` is the best complete trial within budget so far.
    case trialFinished(Trial, phase: SearchPhase, best: Trial?, completeTrials: Int)
    /// A setting given on resume replaced the stored one, or the evaluator differs from the
    /// study's (see ``StudySession/adjustments``), in words.
    case settingAdjusted(String)
    /// A retraining of the recommended architecture with `seed` started (``SearchConfiguration/repeatBest``).
    case retrainingStarted(Trial, seed: Int)
    /// That retraining ended (complete or failed).
    case retrainingFinished(Trial, seed: Int)
}

/// What a search found.
public struct SearchReport: Sendable {
    public var study: Study
    /// The recommended trial: the highest GP posterior mean among complete trials within the
    /// budgets (observed accuracy when too few trials for a model).
    public var best: Trial?
    /// The model's mean and standard deviation at the recommended trial.
    public var bestPredictedAccuracy: Double?
    public var bestPredictedStd: Double?
    /// The model's noise variance of one training, in points^2 (never below
    /// ``trainingNoise``'s floor); nil without a model.
    public var trainingNoiseVariance: Double?
    /// The retrainings of the recommended architecture this run made (``SearchConfiguration/repeatBest``).
    public var retraining: RetrainingSummary?
    /// Every trial of the study, by number.
    public var trials: [Trial]
    /// The evaluator in use, in words, and whether it simulates (a resumed study may have been
    /// created with another).
    public var evaluator: String?
    public var simulated: Bool?
    /// Why the search ended short of its target of complete trials, in words; nil when it did not.
    public var endedEarly: String?
    /// The epochs the study spent, and when the recommendation was first found.
    public var epochAccount: EpochAccount? = nil
    /// What this run's latency screening did; nil for a study without a latency budget.
    public var latency: LatencySearchCounts? = nil

    /// What bounds the model's noise from below: the stated prior, or repeated trainings.
    public var trainingNoise: TrainingNoise { TrainingNoise(trials: trials) }

    /// The standard deviation of one more training of the recommended architecture, in points:
    /// sqrt(std^2 + noise), the model's uncertainty about its accuracy plus the scatter of one
    /// training about it. This, not ``bestPredictedStd``, is what a retraining with another seed
    /// should fall within.
    public var bestTrainingStd: Double? {
        guard let std = bestPredictedStd, let noise = trainingNoiseVariance else { return nil }
        return (std * std + noise).squareRoot()
    }
}
