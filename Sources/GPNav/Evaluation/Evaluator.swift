import MobileViT

/// What an evaluator is asked to score: one architecture as trial `trialNumber` of a study.
public struct EvaluationRequest: Sendable, Hashable {
    public var architecture: Architecture
    public var macs: Int
    public var params: Int
    public var study: String
    public var trialNumber: Int
    /// The training's seed: 0 for an architecture's first training, 1, 2, ... for its
    /// retrainings (`{seed}` and `GPNAV_SEED` of a training command).
    public var seed: Int
    /// Asked by whoever prunes the trial to end its training early; nil when nobody may.
    public var stop: TrainingStop?
    /// The study's full training length in epochs; nil when the study sets none.
    public var epochs: Int?
    /// Which of the process's evaluation slots runs it, 0 to N - 1 (`{slot}` and `GPNAV_SLOT`
    /// of a training command; its GPUs by ``DeviceSlots``); 0 when one runs at a time.
    public var slot: Int
    /// The trial this one retries after it was abandoned, when there is one: its training may
    /// resume from that trial's checkpoint (``TrialFiles``).
    public var retriedTrial: Int?
    /// The epochs this trial trained before it was paused (pruned, then continued): the training
    /// goes on from there and reports only the epochs after it; nil for a training from scratch.
    /// Only an evaluator that ``Evaluator/canResume`` gets one.
    public var resumedAfterEpoch: Int?

    public init(architecture: Architecture, macs: Int, params: Int, study: String, trialNumber: Int, seed: Int = 0,
                stop: TrainingStop? = nil, epochs: Int? = nil, slot: Int = 0, retriedTrial: Int? = nil,
                resumedAfterEpoch: Int? = nil) {
        self.resumedAfterEpoch = resumedAfterEpoch
        self.architecture = architecture
        self.macs = macs
        self.params = params
        self.study = study
        self.trialNumber = trialNumber
        self.seed = seed
        self.stop = stop
        self.epochs = epochs
        self.slot = slot
        self.retriedTrial = retriedTrial
    }
}

/// What an evaluation produced.
public struct EvaluationResult: Sendable, Hashable {
    /// Top-1 accuracy in percent, finite and within 0...100.
    public var accuracy: Double
    /// Other numeric metrics reported, by name.
    public var metrics: [String: Double]
    /// The tail of the evaluator's output, bounded in size.
    public var output: String?

    public init(accuracy: Double, metrics: [String: Double] = [:], output: String? = nil) {
        self.accuracy = accuracy
        self.metrics = metrics
        self.output = output
    }
}

/// Why an evaluation gave no result: it failed (the trial is marked failed with this reason and
/// the search goes on), or it was stopped on request (``EvaluationRequest/stop``; a pruned trial).
public struct EvaluationFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which of the two.
    public enum Kind: String, Sendable, Hashable {
        case failed
        /// Ended early because a stop was asked, not because anything went wrong.
        case stopped
    }

    /// One line saying what went wrong.
    public var reason: String
    /// The tail of the evaluator's output, when there was any.
    public var output: String?
    public var kind: Kind

    public init(reason: String, output: String? = nil, kind: Kind = .failed) {
        self.reason = reason
        self.output = output
        self.kind = kind
    }

    public var description: String { reason }
}

/// Scores architectures: the training simulator, or a real training job run as a command.
public protocol Evaluator: Sendable {
    /// The evaluator in words, stored with the study (says "simulator" for the stub).
    var summary: String { get }
    /// Whether results are simulated rather than measured.
    var isSimulated: Bool { get }
    /// Whether a trial's training, stopped early, can later go on from where it stopped
    /// (``EvaluationRequest/resumedAfterEpoch``), training only the remaining epochs; a study
    /// with pruning then pauses trainings rather than ending them.
    var canResume: Bool { get }
    /// Scores one architecture.
    /// - Throws: ``EvaluationFailure`` when no valid accuracy came back.
    func evaluate(_ request: EvaluationRequest) async throws(EvaluationFailure) -> EvaluationResult
    /// Scores one architecture, handing each point of its learning curve to `reporter` as it
    /// arrives and following the reporter's answer.
    /// - Throws: ``EvaluationFailure`` when no valid accuracy came back, or an intermediate report
    ///   was invalid.
    func evaluate(_ request: EvaluationRequest, reporting reporter: @escaping EpochReporter)
        async throws(EvaluationFailure) -> EvaluationResult
}

extension Evaluator {
    public var canResume: Bool { false }

    /// An evaluator that reports no learning curve scores as it would without a reporter.
    public func evaluate(_ request: EvaluationRequest, reporting reporter: @escaping EpochReporter)
        async throws(EvaluationFailure) -> EvaluationResult {
        try await evaluate(request)
    }
}
