import Foundation
import MobileViT

/// Every complete training of one architecture in a study: the recommended one, retrained with
/// other seeds by ``SearchConfiguration/repeatBest``, with their mean and spread.
public struct RetrainingSummary: Sendable, Equatable {
    /// The architecture trained.
    public let architecture: Architecture
    /// Its complete trainings, by trial number (the first one, then each retraining).
    public let trials: [Trial]
    /// Retrainings this run started, and how many of them failed.
    public let started: Int
    public let failed: Int

    /// The summary of `architecture`'s complete trainings among `trials`.
    public init(architecture: Architecture, trials: [Trial], started: Int, failed: Int) {
        self.architecture = architecture
        self.trials = trials.filter { $0.architecture == architecture && $0.state == .complete && $0.accuracy != nil }
            .sorted { $0.number < $1.number }
        self.started = started
        self.failed = failed
    }

    /// The accuracies of the trainings, in trial order.
    public var accuracies: [Double] { trials.compactMap(\.accuracy) }

    /// Their mean, in percent; nil without a complete training.
    public var mean: Double? {
        accuracies.isEmpty ? nil : accuracies.reduce(0, +) / Double(accuracies.count)
    }

    /// Their sample standard deviation (n - 1 in the denominator), in points; nil below 2.
    public var standardDeviation: Double? {
        guard let mean, accuracies.count >= 2 else { return nil }
        let squares = accuracies.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (squares / Double(accuracies.count - 1)).squareRoot()
    }

    /// The lowest and the highest accuracy.
    public var range: ClosedRange<Double>? {
        guard let low = accuracies.min(), let high = accuracies.max() else { return nil }
        return low...high
    }

    /// Whether every training gave exactly the same accuracy although there were several: the
    /// training command probably ignores its seed (`{seed}` or `GPNAV_SEED`).
    public var seedLooksIgnored: Bool {
        accuracies.count >= 2 && Set(accuracies).count == 1
    }
}
