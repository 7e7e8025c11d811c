import MobileViT

/// How a study is opened when only some settings are given, as `gpnav search --resume` does:
/// a setting left nil is taken from the stored study (or the default for a new one), a setting
/// given must match the stored one.
///
/// The rules, in one place:
/// - budget, space, seed, step factor, joint factors and start model are the study's own: a given
///   value that differs is refused with ``StudyError/settingsDiffer(name:differences:)``;
/// - a study without a budget (made by `gpnav import` or `gpnav evaluate`) takes the budget, space,
///   seed and settings given when it is first resumed with a budget, and keeps them from then on;
///   its complete trials seed the GP;
/// - a given target of complete trials replaces the stored one (`--resume --trials 50` continues
///   a 30-trial study to 50) unless ``targetMustMatch`` is set;
/// - the evaluator given is the one used; the stored summary is kept as the study's record.
public struct StudyRequest: Sendable, Hashable {
    public var name: String
    public var space: SearchSpace?
    public var budget: Budget?
    public var targetTrials: Int?
    public var seed: UInt64?
    public var stepFactor: Double?
    public var jointFactors: Bool?
    /// `.some(nil)` asks for the default start model explicitly.
    public var start: Architecture??
    /// The evaluator in use, in words.
    public var evaluatorSummary: String
    /// Whether a differing target is a difference (a create request repeated) or a new target.
    public var targetMustMatch: Bool
    /// The full training length in epochs; the study's own, like the seed.
    public var epochs: Int?
    /// Epochs the study may spend; a new one given on resume replaces the stored one, like the target.
    public var epochBudget: Int?

    public init(name: String, space: SearchSpace? = nil, budget: Budget? = nil, targetTrials: Int? = nil,
                seed: UInt64? = nil, stepFactor: Double? = nil, jointFactors: Bool? = nil,
                start: Architecture?? = nil, evaluatorSummary: String, targetMustMatch: Bool = false,
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
        self.targetMustMatch = targetMustMatch
        self.epochs = epochs
        self.epochBudget = epochBudget
    }

    /// Every setting of `spec` given, the target included in the comparison.
    public init(_ spec: StudySpec) {
        self.init(name: spec.name, space: spec.space, budget: spec.budget, targetTrials: spec.targetTrials,
                  seed: spec.seed, stepFactor: spec.stepFactor, jointFactors: spec.jointFactors,
                  start: .some(spec.start), evaluatorSummary: spec.evaluatorSummary, targetMustMatch: true,
                  epochs: spec.epochs, epochBudget: spec.epochBudget)
    }

    /// The spec of a new study: what is given, defaults for the rest. With an epoch budget and no
    /// target of trials, the epoch budget alone ends the study (the target is the largest allowed).
    /// - Throws: ``SearchError/noBudget`` when no budget is given.
    func newSpec() throws(SearchError) -> StudySpec {
        guard let budget, budget.hasLimit else { throw .noBudget }
        return StudySpec(name: name, space: space ?? .default, budget: budget,
                         targetTrials: targetTrials ?? StudySpec.defaultTargetTrials(epochBudget: epochBudget),
                         seed: seed ?? 0, stepFactor: stepFactor ?? 0.8, jointFactors: jointFactors ?? true,
                         start: start ?? nil, evaluatorSummary: evaluatorSummary, epochs: epochs, epochBudget: epochBudget)
    }

    /// What differs between the given settings and the stored study, in words (empty: none).
    func differences(from study: Study) -> [String] {
        let stored = StudySettings(study: study)
        var differences: [String] = []
        if let budget, budget != study.budget {
            differences.append("budget: stored \(study.budget.limitsText), given \(budget.limitsText)")
        }
        if let space, space.familyName != study.space.familyName {
            differences.append("family: \(study.space.familyName) stored, \(space.familyName) given")
        } else if let space, space != study.space {
            differences.append("search space: the stored one differs from the one given")
        }
        if let seed, seed != study.seed { differences.append("seed: stored \(study.seed), given \(seed)") }
        if let stepFactor, stepFactor != stored.stepFactor {
            differences.append("step factor: stored \(stored.stepFactor), given \(stepFactor)")
        }
        if let jointFactors, jointFactors != stored.jointFactors {
            differences.append("joint factors: stored \(stored.jointFactors ? "on" : "off"), given \(jointFactors ? "on" : "off")")
        }
        if let start, StudySettings.startText(start) != stored.startText {
            differences.append("start model: stored \(stored.startText), given \(StudySettings.startText(start))")
        }
        if let epochs, epochs != stored.epochs {
            differences.append("epochs: stored \(stored.epochs.map(String.init) ?? "none"), given \(epochs)")
        }
        if targetMustMatch, let epochBudget, epochBudget != stored.epochBudget {
            differences.append("epoch budget: stored \(stored.epochBudget.map(String.init) ?? "none"), given \(epochBudget)")
        }
        if targetMustMatch, let targetTrials, targetTrials != study.targetTrials {
            differences.append("target trials: stored \(study.targetTrials), given \(targetTrials)")
        }
        return differences
    }
}

extension Budget {
    /// Whether any limit is set.
    public var hasLimit: Bool { macs != nil || params != nil || memoryBytes != nil }

    /// The limits in words, e.g. `300000000 MACs and 2000000 params`, or `none`.
    public var limitsText: String {
        guard hasLimit else { return "none" }
        var parts: [String] = []
        if let macs { parts.append("\(macs) MACs") }
        if let params { parts.append("\(params) params") }
        if let memoryBytes { parts.append("\(memoryBytes) weight bytes at \(bits ?? 32) bits") }
        return parts.joined(separator: " and ")
    }
}
