import Foundation
import MobileViT

/// The life-cycle state of a trial, as stored.
///
/// `abandoned` is a trial given up by the study rather than ended by its evaluator: no heartbeat
/// within the lease, or its process gone (see ``TrialLifecycle``). Its architecture may be
/// proposed again, and a result that comes late for it is still taken.
public enum TrialState: String, Codable, Sendable, CaseIterable {
    case running, complete, failed, pruned, abandoned
}

extension TrialState {
    /// How stores and files written before `abandoned` was a state marked an abandoned trial:
    /// state `failed` with an error text that begins so.
    public static let legacyAbandonedPrefix = "abandoned:"

    /// The state of a trial written as `state` with `error`, read now: a failed one marked
    /// abandoned the old way (``legacyAbandonedPrefix``) is abandoned; any other is as written.
    public static func reading(_ state: TrialState, error: String?) -> TrialState {
        state == .failed && (error?.hasPrefix(legacyAbandonedPrefix) ?? false) ? .abandoned : state
    }
}

/// How a trial's architecture was chosen.
public struct Proposal: Codable, Hashable, Sendable {
    /// Which mechanism proposed it.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// The starting model of a downsizing chain.
        case start
        /// Step n of the downsizing formula.
        case downsize
        /// Maximiser of the GP acquisition function.
        case gp
        /// Uniform random draw from the space.
        case random
        /// Named by the user (`gpnav evaluate`).
        case manual
        /// Read from a file by `gpnav import`.
        case imported = "import"
    }

    public var kind: Kind
    /// Downsizing step number, for ``Kind/start`` (0) and ``Kind/downsize``.
    public var step: Int?
    /// Acquisition value (log expected improvement) for ``Kind/gp``.
    public var acquisition: Double?
    /// GP predictive mean of accuracy (%) at proposal time, when a GP was fitted.
    public var predictedAccuracy: Double?
    /// GP predictive standard deviation of accuracy (points) at proposal time.
    public var predictedStd: Double?

    public init(kind: Kind, step: Int? = nil, acquisition: Double? = nil,
                predictedAccuracy: Double? = nil, predictedStd: Double? = nil) {
        self.kind = kind
        self.step = step
        self.acquisition = acquisition
        self.predictedAccuracy = predictedAccuracy
        self.predictedStd = predictedStd
    }

    private enum CodingKeys: String, CodingKey {
        case kind, step, acquisition
        case predictedAccuracy = "predicted_accuracy", predictedStd = "predicted_std"
    }
}

/// One evaluation of one architecture within a study.
public struct Trial: Codable, Hashable, Sendable {
    /// Database row id; nil before the trial is stored.
    public var id: Int64?
    /// Row id of the study it belongs to.
    public var studyID: Int64
    /// Number within the study: 0, 1, 2, ... without gaps.
    public var number: Int
    public var state: TrialState
    public var architecture: Architecture
    /// Multiply-accumulates of the architecture (exact, published convention).
    public var macs: Int
    /// Parameters of the architecture (exact).
    public var params: Int
    /// Top-1 accuracy in percent, for complete trials.
    public var accuracy: Double?
    /// Other metrics the evaluator reported, by name.
    public var metrics: [String: Double]
    public var proposal: Proposal
    /// The tail of the evaluator's output, bounded in size.
    public var evaluatorOutput: String?
    /// Why the trial failed, was pruned or was abandoned.
    public var error: String?
    public var startedAt: Date
    public var finishedAt: Date?
    /// Last sign of life of the process running the trial.
    public var heartbeatAt: Date?
    /// The process that ran the trial, `<host>:<pid>` (see ``WorkerIdentity``); nil when unknown.
    public var worker: String?

    public init(id: Int64? = nil, studyID: Int64, number: Int, state: TrialState,
                architecture: Architecture, macs: Int, params: Int, accuracy: Double? = nil,
                metrics: [String: Double] = [:], proposal: Proposal, evaluatorOutput: String? = nil,
                error: String? = nil, startedAt: Date, finishedAt: Date? = nil, heartbeatAt: Date? = nil,
                worker: String? = nil) {
        self.id = id
        self.studyID = studyID
        self.number = number
        self.state = state
        self.architecture = architecture
        self.macs = macs
        self.params = params
        self.accuracy = accuracy
        self.metrics = metrics
        self.proposal = proposal
        self.evaluatorOutput = evaluatorOutput
        self.error = error
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.heartbeatAt = heartbeatAt
        self.worker = worker
    }
}

extension Trial {
    /// About how many bytes a trial read without details takes in memory (its architecture, texts
    /// and proposal), for memory bounds; metrics and output come on top when read.
    static let approximateBytes = 1024
}
