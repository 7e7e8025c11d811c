import MobileViT

/// What a new study is created with: everything `gpnav search` or a study request can set.
public struct StudySpec: Sendable, Hashable {
    /// Complete trials a study aims at when nothing else is said.
    public static let defaultTargetTrials = 30

    public var name: String
    /// The space proposals are drawn from.
    public var space: SearchSpace
    /// The hard constraints every proposal meets (at least one limit set).
    public var budget: Budget
    /// Complete trials the study should reach.
    public var targetTrials: Int
    /// Seed of the study's random choices.
    public var seed: UInt64
    /// s in the downsizing formula, in (0, 1).
    public var stepFactor: Double
    /// Whether the GP sees the joint factors resolution x depth and resolution x width.
    public var jointFactors: Bool
    /// The downsizing chain's first model; nil for the smallest preset above the budget.
    public var start: Architecture?
    /// The evaluator in words, stored with the study.
    public var evaluatorSummary: String
    /// The full training length in epochs, handed to every training; nil for none.
    public var epochs: Int?
    /// Epochs the study may spend in all: no trial starts whose full training would pass it.
    public var epochBudget: Int?

    public init(name: String, space: SearchSpace = .default, budget: Budget,
                targetTrials: Int = StudySpec.defaultTargetTrials, seed: UInt64 = 0, stepFactor: Double = 0.8,
                jointFactors: Bool = true, start: Architecture? = nil, evaluatorSummary: String,
                epochs: Int? = nil, epochBudget: Int? = nil) {
        self.name = name
        self.space = space
        self.budget = budget
        self.targetTrials = targetTrials
        self.seed = seed
        self.stepFactor = stepFactor
        self.jointFactors = jointFactors
        self.start = start
        self.evaluatorSummary = evaluatorSummary
        self.epochs = epochs
        self.epochBudget = epochBudget
    }
}

/// Whether ``StudySession/open(store:spec:mode:leaseSeconds:)`` may create, resume, or either.
public enum StudyOpenMode: Sendable {
    /// Create the study; an existing one is refused (``StudyError/exists(name:completeTrials:)``).
    case create
    /// Open the existing study (``StoreError/unknownStudy(_:known:)`` when missing).
    case resume
    /// Open the study when it exists, else create it.
    case createOrResume
}
