import Foundation
import MobileViT

/// A named search: its settings (space, budgets, seed, evaluator, ...), under which trials are kept.
@dynamicMemberLookup
public struct Study: Codable, Hashable, Sendable {
    /// Database row id; nil before the study is stored.
    public var id: Int64?
    /// Unique name, e.g. `macs-300M`.
    public var name: String
    public var createdAt: Date
    /// Every setting of the study, as it was created (or as a first resume with a budget set it).
    public var settings: StudySettings
    /// Objectives and their directions, e.g. `accuracy:max`, `macs:min`.
    public var objectives: [String]

    public init(id: Int64? = nil, name: String, createdAt: Date = Date(), settings: StudySettings,
                objectives: [String] = ["accuracy:max", "macs:min"]) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.settings = settings
        self.objectives = objectives
    }

    /// A setting of the study, read (and written) as the study's own: `study.budget`,
    /// `study.space`, `study.seed`, `study.targetTrials`, `study.evaluator`, `study.family`.
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<StudySettings, Value>) -> Value {
        get { settings[keyPath: keyPath] }
        set { settings[keyPath: keyPath] = newValue }
    }

    /// A derived setting of the study, e.g. `study.family` (the registered name of the family it
    /// searches, its space's).
    public subscript<Value>(dynamicMember keyPath: KeyPath<StudySettings, Value>) -> Value {
        settings[keyPath: keyPath]
    }
}

/// A study with counts for listing.
public struct StudySummary: Hashable, Sendable {
    public var study: Study
    /// Trials by state.
    public var counts: [TrialState: Int]
    /// Best float accuracy among complete trials that meet the study's budgets (the downsizing
    /// chain's models above the budget are history, not candidates).
    public var bestFloatAccuracy: Double?
    /// Best int8 accuracy (the metric ``StudySettings/int8AccuracyMetric``) among the same trials.
    public var bestInt8Accuracy: Double?

    public init(study: Study, counts: [TrialState: Int], bestFloatAccuracy: Double?, bestInt8Accuracy: Double? = nil) {
        self.study = study
        self.counts = counts
        self.bestFloatAccuracy = bestFloatAccuracy
        self.bestInt8Accuracy = bestInt8Accuracy
    }

    /// The best accuracy by what the study ranks by (``StudySettings/rankingAccuracy(accuracy:int8Accuracy:)``:
    /// the int8 accuracy of an 8-bit study), the accuracy of the trial
    /// ``StudySession/bestObserved(_:study:)`` names.
    public var bestAccuracy: Double? {
        study.settings.rankingAccuracy(accuracy: bestFloatAccuracy, int8Accuracy: bestInt8Accuracy)
    }
}
