/// One trial's learning curve as the pruning decision reads it: plain values, no store.
public struct PruningCurve: Sendable, Hashable {
    /// Where the trial's training stands.
    public enum Status: String, Sendable, Hashable {
        /// Still training: it may report more epochs.
        case running
        /// Trained to the full length; its last report is its final accuracy.
        case complete
        /// Stopped early; its reports stand, it reports no more.
        case pruned
    }

    /// One intermediate result: top-1 accuracy in percent after `epoch` epochs (counted from 1).
    public struct Report: Sendable, Hashable {
        public var epoch: Int
        public var accuracy: Double

        public init(epoch: Int, accuracy: Double) {
            self.epoch = epoch
            self.accuracy = accuracy
        }
    }

    /// The trial's number in its study.
    public var trial: Int
    /// The architecture's encoded factors (``FactorEncoding/encode(_:)``), each in [0, 1].
    public var factors: [Double]
    /// Its reports, in any order (one per epoch).
    public var reports: [Report]
    public var status: Status

    public init(trial: Int, factors: [Double], reports: [Report], status: Status) {
        self.trial = trial
        self.factors = factors
        self.reports = reports
        self.status = status
    }
}
