import Foundation
import MobileViT

/// Which trials to read, and in what order.
public struct TrialQuery: Sendable, Hashable {
    /// Sort keys for ``TrialQuery/sort``.
    public enum SortKey: String, Sendable, CaseIterable { case accuracy, macs, params, number }

    /// Only this study's trials; nil for all studies.
    public var study: String?
    public var state: TrialState?
    /// Only trials of this architecture.
    public var architecture: Architecture?
    public var maxMACs: Int?
    public var minAccuracy: Double?
    public var sort: SortKey
    public var descending: Bool
    public var limit: Int?
    /// Whether each trial's metrics and evaluator output are read; false leaves them empty, for
    /// readers that need neither (counts, the best accuracy), whatever size they were stored at.
    public var details: Bool

    public init(study: String? = nil, state: TrialState? = nil, architecture: Architecture? = nil,
                maxMACs: Int? = nil, minAccuracy: Double? = nil, sort: SortKey = .number,
                descending: Bool = false, limit: Int? = nil, details: Bool = true) {
        self.details = details
        self.architecture = architecture
        self.study = study
        self.state = state
        self.maxMACs = maxMACs
        self.minAccuracy = minAccuracy
        self.sort = sort
        self.descending = descending
        self.limit = limit
    }
}

/// How a running trial ends.
public struct TrialOutcome: Sendable, Hashable {
    public var state: TrialState
    public var accuracy: Double?
    public var metrics: [String: Double]
    public var evaluatorOutput: String?
    public var error: String?
    /// The process that runs the trial from now on (a paused trial continued by another
    /// process); nil keeps the stored one.
    public var worker: String?

    public init(state: TrialState, accuracy: Double? = nil, metrics: [String: Double] = [:],
                evaluatorOutput: String? = nil, error: String? = nil, worker: String? = nil) {
        self.state = state
        self.accuracy = accuracy
        self.metrics = metrics
        self.evaluatorOutput = evaluatorOutput
        self.error = error
        self.worker = worker
    }
}

/// Where studies and trials are kept. Every backend (SQLite, PostgreSQL) implements it.
///
/// A backend keeps data and offers primitives only (insert-if-absent by a claim key,
/// compare-and-set of a trial's state, queries); the rules of a trial's life (claims, leases,
/// reaping, retries, late results) are the library's, in ``TrialLifecycle``.
/// Implementations must be safe for several processes at once: trial numbers within a study are
/// assigned atomically (unique, without gaps), and a write either lands whole or not at all.
/// Every method is `async`: a backend whose driver is asynchronous (PostgreSQL) suspends its caller
/// instead of blocking a thread, and one that works synchronously (SQLite) implements them with
/// synchronous methods.
public protocol TrialStore: LearningCurveStore, LatencyMeasurementStore, Sendable {
    /// Stores a new study; throws if the name is taken.
    func createStudy(_ study: Study) async throws -> Study
    /// The study with this name, or nil.
    func study(named name: String) async throws -> Study?
    /// All studies, by creation time (then id).
    func studies() async throws -> [Study]
    /// All studies with their trial counts and best accuracy, by creation time.
    func studySummaries() async throws -> [StudySummary]
    /// Deletes a study and all its trials; throws if unknown.
    func deleteStudy(named name: String) async throws
    /// Stores `trial` as given (its state and outcome included) with the next free number of its
    /// study, returning it with `id` and `number` set (the `number` passed in is ignored).
    ///
    /// With a `claimKey`, it is an insert-if-absent: when a trial of the study already holds that
    /// key, nothing is stored and nil comes back. The check and the insert are one atomic step,
    /// whatever the number of writers, connections and processes; no number is used up by an
    /// insert that stores nothing. Without a key it always stores (nil never comes back).
    /// - Throws: ``StoreError/unknownStudy(_:known:)`` when the study does not exist.
    func insertTrial(_ trial: Trial, claimKey: String?) async throws -> Trial?
    /// The trial with this number in the named study, or nil.
    /// - Throws: ``StoreError/unknownStudy(_:known:)`` when the study does not exist.
    func trial(study: String, number: Int) async throws -> Trial?
    /// Replaces the stored settings of the study with `study.id` (space, budget, seed, evaluator,
    /// target and settings; the name and creation time stay), returning the study as stored.
    func updateStudy(_ study: Study) async throws -> Study
    /// Stores a trial that is already finished (import), with the next free number: an insert
    /// without a claim key.
    func addFinishedTrial(_ trial: Trial) async throws -> Trial
    /// Stores finished trials (import) with consecutive free numbers of their studies, in the
    /// order given, all in one transaction: either every trial is stored or none is.
    func addFinishedTrials(_ trials: [Trial]) async throws -> [Trial]
    /// Compare-and-set of a trial's state: when trial `id` is in state `expected` (and, with
    /// `lastSeenBefore`, its last sign of life, its heartbeat or else its start, is older than that
    /// time), sets its state, accuracy, metrics, evaluator output and error to `outcome`'s and its
    /// finish time to now, as one atomic step; with `signOfLife`, its heartbeat moves to now too.
    /// - Returns: whether it changed the trial (false: the trial is not as expected, any more).
    /// - Throws: ``StoreError/unknownTrial(_:)`` when there is no such trial.
    func compareAndSetTrial(id: Int64, expected: TrialState, lastSeenBefore: Date?, outcome: TrialOutcome,
                            signOfLife: Bool) async throws -> Bool
    /// Marks a running trial alive now.
    func heartbeat(trialID: Int64) async throws
    /// Trials matching `query`.
    func trials(_ query: TrialQuery) async throws -> [Trial]
    /// Trials with these row ids, in the order given; unknown ids are skipped.
    func trials(ids: [Int64]) async throws -> [Trial]
    /// The objective values of every complete trial (of one study, or all when `study` is nil) that
    /// has a value for each objective, ordered by trial id. Reads only the columns needed.
    func objectivePoints(_ objectives: [Objective], study: String?) async throws -> [ObjectivePoint]
    /// The points of ``objectivePoints(_:study:)`` that may lie on the Pareto front of `objectives`,
    /// ordered by trial id: every point on the front is among them, and ``ParetoFront`` decides
    /// which are. A backend may narrow them down where the trials are kept (so that fewer rows
    /// cross a network) or return every point.
    func paretoCandidates(_ objectives: [Objective], study: String?) async throws -> [ObjectivePoint]
    /// The names of the metrics stored with complete trials (of one study, or all), sorted.
    func metricNames(study: String?) async throws -> [String]
}

extension TrialStore {
    /// Every point: a store in the same process reads them as fast as it could narrow them down.
    public func paretoCandidates(_ objectives: [Objective], study: String?) async throws -> [ObjectivePoint] {
        try await objectivePoints(objectives, study: study)
    }
}

/// One complete trial's values for a list of objectives, in the list's order (not negated).
public struct ObjectivePoint: Sendable, Hashable {
    public var trialID: Int64
    public var values: [Double]

    public init(trialID: Int64, values: [Double]) {
        self.trialID = trialID
        self.values = values
    }
}
