import MobileViT

/// How much one training of an architecture scatters about its expected accuracy, as far as the
/// study can tell: the smallest noise variance the study's Gaussian process may assume.
///
/// Fitted by maximum likelihood on a few trials, a GP can take every difference between trials
/// as signal and let its noise go to its lower bound; it then reports a precision of hundredths
/// of a point where retraining the same network with another seed moves it by points. Two
/// sources bound the noise from below:
///
/// - **Repeats.** Complete trials of the same architecture (one trained more than once, by
///   `--repeat-best` or by hand) measure the seed-to-seed variance directly. Their pooled
///   within-architecture variance
///
///       s^2 = sum_g sum_i (y_gi - ybar_g)^2 / sum_g (n_g - 1)
///
///   over the architectures g trained n_g >= 2 times is unbiased for a noise that is the same for
///   every architecture, with sum_g (n_g - 1) degrees of freedom.
/// - **A stated prior,** ``priorStandardDeviation`` = 0.1 points, used alone when there are no
///   repeats. It is deliberately below what one training can resolve on ImageNet-1k: the binomial
///   standard error of a top-1 accuracy near 75 % on the 50,000 validation images is
///   sqrt(0.75 x 0.25 / 50,000) = 0.19 points, before any seed-to-seed variation, and the
///   training simulator's noise is 0.15 points. A floor below both never makes the model claim
///   less noise than a real training has; on smaller validation sets the noise is far larger and
///   only repeats can show it.
///
/// The floor is the larger of the two.
public struct TrainingNoise: Sendable, Equatable {
    /// The stated floor on the noise standard deviation, in accuracy points, when no repeats say more.
    public static let priorStandardDeviation = 0.1

    /// Architectures with at least two complete trainings.
    public let repeatedArchitectures: Int
    /// sum_g (n_g - 1) over the repeated architectures: how many independent differences the
    /// pooled variance rests on (0 without repeats).
    public let degreesOfFreedom: Int
    /// The pooled within-architecture variance in points^2; nil without repeats.
    public let pooledVariance: Double?

    /// Noise from the accuracies of complete trainings, one (architecture, accuracy) each.
    /// Non-finite accuracies are ignored.
    public init(_ observations: [(architecture: Architecture, accuracy: Double)]) {
        var groups: [Architecture: [Double]] = [:]
        for observation in observations where observation.accuracy.isFinite {
            groups[observation.architecture, default: []].append(observation.accuracy)
        }
        var squares = 0.0
        var freedom = 0
        var repeated = 0
        for accuracies in groups.values where accuracies.count >= 2 {
            let mean = accuracies.reduce(0, +) / Double(accuracies.count)
            squares += accuracies.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            freedom += accuracies.count - 1
            repeated += 1
        }
        repeatedArchitectures = repeated
        degreesOfFreedom = freedom
        pooledVariance = freedom > 0 ? squares / Double(freedom) : nil
    }

    /// Noise from the complete trials among `trials` (the others are ignored).
    public init(trials: [Trial]) {
        self.init(trials.compactMap { trial in
            trial.state == .complete ? trial.accuracy.map { (trial.architecture, $0) } : nil
        })
    }

    /// Whether repeats measured the noise (rather than the prior alone).
    public var isMeasured: Bool { pooledVariance != nil }

    /// The smallest noise variance of one training, in points^2: the larger of the prior's and
    /// the repeats' pooled variance.
    public var floorVariance: Double {
        max(Self.priorStandardDeviation * Self.priorStandardDeviation, pooledVariance ?? 0)
    }
}
