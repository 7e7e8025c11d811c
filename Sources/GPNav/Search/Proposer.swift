import MobileViT

/// Proposes what a study evaluates next, from a snapshot of the study and nothing else.
///
/// As with Optuna's samplers, the study owns its trials and a proposer only proposes: it is
/// handed a ``StudySnapshot`` (the study's settings and every trial, running claims included),
/// returns the next architecture to evaluate or why there is none, and never reads or writes the
/// store. The study side (``StudyProposer``) reads the store, builds the snapshot, claims what is
/// proposed and, when another process claimed the same architecture first, asks again with a
/// snapshot that shows that claim.
///
/// A proposer is a value the study keeps between asks, so it may keep what is costly to make
/// again (a candidate pool, a fitted model); the study runs it on a dispatch queue of its own,
/// one call at a time.
protocol Proposer: Sendable {
    /// The next architecture to evaluate for `snapshot`, or why there is none.
    mutating func propose(for snapshot: StudySnapshot) throws -> ProposerOutcome

    /// The trial to recommend among the complete ones within budget, by the proposer's model;
    /// nil when it has none (then the study recommends the best observed trial).
    mutating func recommendation(for snapshot: StudySnapshot) throws -> Recommendation?

    /// About how many bytes the proposer keeps between calls (an estimate from sizes, for a
    /// server's memory bounds).
    var approximateBytes: Int { get }

    /// Fits of the proposer's model so far.
    var modelFitStatistics: ModelFitStatistics { get }

    /// The background hyperparameter searches of the proposer's model, when it runs any.
    var backgroundRefit: BackgroundRefit? { get }
}

extension Proposer {
    mutating func recommendation(for snapshot: StudySnapshot) throws -> Recommendation? { nil }
    var approximateBytes: Int { 0 }
    var modelFitStatistics: ModelFitStatistics { ModelFitStatistics() }
    var backgroundRefit: BackgroundRefit? { nil }
}

/// What a ``Proposer`` answers.
enum ProposerOutcome: Sendable {
    /// An architecture to evaluate, with how it was proposed.
    case proposal(ProposedArchitecture)
    /// The study has, or will have once its running trials end, its target of complete trials
    /// or its epoch budget spent.
    case targetReached
    /// Nothing is left to propose.
    case exhausted
}

/// An architecture a proposer chose, its exact cost and the proposal's metadata (stored with
/// the trial the study claims for it).
struct ProposedArchitecture: Sendable, Hashable {
    var architecture: Architecture
    var cost: Cost
    var proposal: Proposal
    /// The number of the paused (pruned) trial of this architecture to continue, rather than a
    /// new trial; only for an asker that can resume (``StudySnapshot/resumable``).
    var resumes: Int? = nil
}

/// The trial a proposer's model recommends, with the model's mean and standard deviation there
/// and its noise variance of one training (points^2).
struct Recommendation: Sendable {
    var trial: Trial
    var predictedAccuracy: Double
    var predictedStd: Double
    var trainingNoiseVariance: Double
}
