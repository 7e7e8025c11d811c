import MobileViT

/// Everything a search needs to know besides where trials are kept and how they are scored.
public struct SearchConfiguration: Sendable {
    /// The study's name; trials are kept under it.
    public var studyName: String
    public var space: SearchSpace
    public var budget: Budget
    /// Complete trials the study should reach.
    public var trials: Int
    public var seed: UInt64
    /// Evaluations kept in flight at once.
    public var parallel: Int
    /// Failed trials after which this run stops.
    public var maxFailures: Int
    /// Continue an existing study instead of refusing its name.
    public var resume: Bool
    /// The downsizing chain's first model; nil for ``DownsizingEngine/defaultStart()``.
    public var start: Architecture?
    /// s in the downsizing formula.
    public var stepFactor: Double
    /// Whether the GP sees the joint factors resolution x depth and resolution x width.
    public var jointFactors: Bool
    /// Random restarts of each full hyperparameter fit.
    public var restarts: Int
    /// A running trial whose heartbeat is older than this many seconds is taken as abandoned.
    public var staleAfterSeconds: Double
    /// The study settings actually given, when some are left to a stored study (`--resume`
    /// without every flag); nil means every setting above was given.
    public var givenSettings: StudyRequest?

    public init(studyName: String, space: SearchSpace = .default, budget: Budget, trials: Int = 30,
                seed: UInt64 = 0, parallel: Int = 1, maxFailures: Int = 10, resume: Bool = false,
                start: Architecture? = nil, stepFactor: Double = 0.8, jointFactors: Bool = true,
                restarts: Int = 2, staleAfterSeconds: Double = 120) {
        self.studyName = studyName
        self.space = space
        self.budget = budget
        self.trials = trials
        self.seed = seed
        self.parallel = parallel
        self.maxFailures = maxFailures
        self.resume = resume
        self.start = start
        self.stepFactor = stepFactor
        self.jointFactors = jointFactors
        self.restarts = restarts
        self.staleAfterSeconds = staleAfterSeconds
    }

    /// How the study is opened: ``givenSettings`` when set, else every setting above, with the
    /// evaluator in use.
    public func studyRequest(evaluatorSummary: String) -> StudyRequest {
        if var given = givenSettings {
            given.evaluatorSummary = evaluatorSummary
            return given
        }
        return StudyRequest(name: studyName, space: space, budget: budget, targetTrials: trials, seed: seed,
                            stepFactor: stepFactor, jointFactors: jointFactors, start: .some(start),
                            evaluatorSummary: evaluatorSummary)
    }

    /// A study name derived from the budgets, e.g. `macs-300M` or `macs-300M-params-2M`, led by
    /// the family's name for every family but the default (`mobilevit-macs-300M`), so that searches
    /// of two families under one budget are two studies.
    public static func defaultStudyName(for budget: Budget, familyName: String = ArchitectureFamilies.standard.name) -> String {
        var parts: [String] = familyName == ArchitectureFamilies.standard.name ? [] : [familyName]
        let compact = { (n: Int) in Quantity.formatCount(n).replacingOccurrences(of: " ", with: "") }
        if let macs = budget.macs { parts.append("macs-\(compact(macs))") }
        if let params = budget.params { parts.append("params-\(compact(params))") }
        if let bytes = budget.memoryBytes {
            parts.append("memory-\(Quantity.formatBytes(bytes).replacingOccurrences(of: " ", with: ""))-\(budget.bits ?? 32)bit")
        }
        return parts.isEmpty || parts == [familyName] ? (parts + ["search"]).joined(separator: "-") : parts.joined(separator: "-")
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
    /// A trial ended; `best` is the best complete trial within budget so far.
    case trialFinished(Trial, phase: SearchPhase, best: Trial?, completeTrials: Int)
    /// A setting given on resume replaced the stored one, or the evaluator differs from the
    /// study's (see ``StudySession/adjustments``), in words.
    case settingAdjusted(String)
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
    /// Every trial of the study, by number.
    public var trials: [Trial]
    /// The evaluator in use, in words, and whether it simulates (a resumed study may have been
    /// created with another).
    public var evaluator: String?
    public var simulated: Bool?
    /// Why the search ended short of its target of complete trials, in words; nil when it did not.
    public var endedEarly: String?
}
