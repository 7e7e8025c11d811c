/// One point of a training's learning curve: the top-1 accuracy after `epoch` epochs.
///
/// A training command prints it on stdout as `{"epoch": 3, "accuracy": 41.2}` before its result
/// line; the simulator reports its own curve as such points. Epochs count from 1 and increase
/// strictly within a trial, so a trial holds at most ``epochRange``'s upper end of them.
public struct EpochReport: Sendable, Hashable, Codable {
    /// The epochs a training may run, and so the epochs a report may name.
    public static let epochRange = 1...10_000

    /// Epochs trained when the accuracy was measured, from 1.
    public var epoch: Int
    /// Top-1 accuracy in percent, finite and within 0...100.
    public var accuracy: Double

    public init(epoch: Int, accuracy: Double) {
        self.epoch = epoch
        self.accuracy = accuracy
    }

    /// Why the report cannot be stored after `previous` (the trial's last epoch, nil before the
    /// first) in a training of `epochs` epochs (nil: unknown length), or nil when it can.
    public func problem(after previous: Int?, epochs: Int?) -> String? {
        guard Self.epochRange.contains(epoch) else {
            return "epoch \(epoch) is outside \(Self.epochRange.lowerBound)...\(Self.epochRange.upperBound)"
        }
        guard accuracy.isFinite, (0...100).contains(accuracy) else {
            return "accuracy \(accuracy) at epoch \(epoch) is not a finite percentage in 0...100"
        }
        if let epochs, epoch > epochs {
            return "epoch \(epoch) is beyond the study's training length of \(epochs) epochs"
        }
        if let previous {
            if epoch == previous { return "epoch \(epoch) is reported twice" }
            if epoch < previous { return "epoch \(epoch) is reported after epoch \(previous) (epochs must increase)" }
        }
        return nil
    }
}
