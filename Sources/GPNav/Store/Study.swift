import Foundation
import MobileViT

/// A named search: its space, budgets, seed and evaluator, under which trials are kept.
public struct Study: Codable, Hashable, Sendable {
    /// Database row id; nil before the study is stored.
    public var id: Int64?
    /// Unique name, e.g. `macs-300M`.
    public var name: String
    public var createdAt: Date
    /// The space proposals are drawn from.
    public var space: SearchSpace
    public var budget: Budget
    /// Objectives and their directions, e.g. `accuracy:max`, `macs:min`.
    public var objectives: [String]
    /// Seed of the study's random choices (GP restarts, simulator noise).
    public var seed: UInt64
    /// The evaluator, in words (e.g. `stub: training simulator, noise 0.15`).
    public var evaluator: String
    /// Trials the study is meant to reach; `--resume` continues up to it.
    public var targetTrials: Int
    /// Search options needed to resume exactly (JSON object, free-form).
    public var settings: [String: String]
    /// The registered name of the architecture family the study searches (its trials are of it),
    /// e.g. `mobilevitv2`.
    public var family: String

    public init(id: Int64? = nil, name: String, createdAt: Date = Date(), space: SearchSpace,
                budget: Budget, objectives: [String] = ["accuracy:max", "macs:min"], seed: UInt64,
                evaluator: String, targetTrials: Int, settings: [String: String] = [:],
                family: String? = nil) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.space = space
        self.budget = budget
        self.objectives = objectives
        self.seed = seed
        self.evaluator = evaluator
        self.targetTrials = targetTrials
        self.settings = settings
        self.family = family ?? space.familyName
    }
}

/// A study with counts for listing.
public struct StudySummary: Hashable, Sendable {
    public var study: Study
    /// Trials by state.
    public var counts: [TrialState: Int]
    /// Best accuracy among complete trials that meet the study's budgets (the downsizing chain's
    /// models above the budget are history, not candidates).
    public var bestAccuracy: Double?

    public init(study: Study, counts: [TrialState: Int], bestAccuracy: Double?) {
        self.study = study
        self.counts = counts
        self.bestAccuracy = bestAccuracy
    }
}
