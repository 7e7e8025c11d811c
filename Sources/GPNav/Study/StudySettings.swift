import MobileViT

/// Every setting of a study, in one value: what `gpnav search`, `gpnav studies create` and
/// `POST /v1/studies` create a study with, what the store keeps (one JSON column) and what a
/// resume is compared with.
///
/// Each setting has its default here (once), its rule in ``validate()`` (once), its JSON key in
/// ``Key`` and its words in ``differences(from:in:)``. To add a setting: a stored property with its
/// default below, a ``Key`` case (its snake_case JSON key), a line in `init(from:)`/`encode(to:)`,
/// its rule in ``validate()``, its words in ``differences(from:in:)``, and its flag in the command
/// line's `StudySettingsOptions`. A stored study without the key reads as the default.
///
/// The study's name is not a setting: it names the study the settings belong to.
public struct StudySettings: Sendable, Hashable {
    /// Complete trials a study aims at when nothing else is said.
    public static let defaultTargetTrials = 30
    /// The seed when nothing else is said.
    public static let defaultSeed: UInt64 = 0
    /// s in the downsizing formula when nothing else is said.
    public static let defaultStepFactor = DownsizingEngine.defaultStepFactor
    /// Whether the GP sees the joint factors when nothing else is said.
    public static let defaultJointFactors = true
    /// The evaluator summary of a study created for remote workers.
    public static let defaultEvaluator = "remote workers (gpnav serve)"

    /// The space proposals are drawn from; its family is the study's family.
    public var space: SearchSpace
    /// The hard constraints every proposal meets; a study without a limit (made by `gpnav import`
    /// or `gpnav evaluate`) records trials but proposes none.
    public var budget: Budget
    /// Complete trials the study should reach (0 for a study that only records trials).
    public var targetTrials: Int
    /// Seed of the study's random choices (GP restarts, simulator noise).
    public var seed: UInt64
    /// s in the downsizing formula, in (0, 1).
    public var stepFactor: Double
    /// Whether the GP sees the joint factors resolution x depth and resolution x width.
    public var jointFactors: Bool
    /// The downsizing chain's first model; nil for the smallest preset above the budget.
    public var start: Architecture?
    /// The evaluator in words, stored with the study as its record of how it was created.
    public var evaluator: String
    /// The full training length in epochs, handed to every training; nil when the study sets none.
    public var epochs: Int?
    /// Epochs the study may spend in all: no trial starts whose full training would pass it; nil
    /// for no such limit.
    public var epochBudget: Int?
    /// Whether running trainings are stopped early when their curve shows they will not beat the
    /// study's best (``PruningDecision``); needs a training length.
    public var prune: Bool
    /// The most a trained architecture's measured latency may be, on a named device; nil for none.
    public var latency: LatencyBudget? = nil
    /// The bits the trained network is deployed at, when given (see ``deployedBits``): at 8 the
    /// study ranks trials by their int8 accuracy; nil for float deployment.
    public var deploymentBits: Int? = nil

    public init(space: SearchSpace = .default, budget: Budget = Budget(),
                targetTrials: Int = StudySettings.defaultTargetTrials, seed: UInt64 = StudySettings.defaultSeed,
                stepFactor: Double = StudySettings.defaultStepFactor,
                jointFactors: Bool = StudySettings.defaultJointFactors, start: Architecture? = nil,
                evaluator: String = StudySettings.defaultEvaluator, epochs: Int? = nil, epochBudget: Int? = nil,
                prune: Bool = false) {
        self.space = space
        self.budget = budget
        self.targetTrials = targetTrials
        self.seed = seed
        self.stepFactor = stepFactor
        self.jointFactors = jointFactors
        self.start = start
        self.evaluator = evaluator
        self.epochs = epochs
        self.epochBudget = epochBudget
        self.prune = prune
    }

    /// The settings of a study that records trials it did not propose (`gpnav evaluate`,
    /// `gpnav import`): `family`'s default space, no budget, no target.
    public static func recording(family: any ArchitectureFamily, seed: UInt64, evaluator: String) -> StudySettings {
        StudySettings(space: SearchSpace(family: family), targetTrials: 0, seed: seed, evaluator: evaluator)
    }

    /// The registered name of the study's family (its space's).
    public var family: String { space.familyName }

    /// A study name derived from the budgets, e.g. `macs-300M` or `macs-300M-params-2M`, led by
    /// the family's name for every family but the default (`mobilevit-macs-300M`), so that searches
    /// of two families under one budget are two studies.
    public var defaultStudyName: String {
        var parts: [String] = family == ArchitectureFamilies.standard.name ? [] : [family]
        let compact = { (n: Int) in Quantity.formatCount(n).replacingOccurrences(of: " ", with: "") }
        if let macs = budget.macs { parts.append("macs-\(compact(macs))") }
        if let params = budget.params { parts.append("params-\(compact(params))") }
        if let bytes = budget.memoryBytes {
            parts.append("memory-\(Quantity.formatBytes(bytes).replacingOccurrences(of: " ", with: ""))-\(budget.bits ?? 32)bit")
        }
        return parts.isEmpty || parts == [family] ? (parts + ["search"]).joined(separator: "-") : parts.joined(separator: "-")
    }
}

/// Whether ``StudySession/open(store:name:settings:given:mode:leaseSeconds:restarts:refresh:)``
/// may create, resume, or either, and whether a given target of trials is a new target or a setting
/// to match.
public enum StudyOpenMode: Sendable {
    /// Create the study; an existing one is refused (``StudyError/exists(name:completeTrials:)``).
    case create
    /// Open the existing study (``StoreError/unknownStudy(_:known:)`` when missing); a given target
    /// of complete trials replaces the stored one.
    case resume
    /// Open the study when it exists (as ``resume``), else create it.
    case createOrResume
    /// Create the study, or open it when it exists with the same settings, the target included: a
    /// create request repeated (`POST /v1/studies`, `gpnav studies create`) changes nothing.
    case createOrConfirm
}
