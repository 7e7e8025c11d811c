import Foundation

/// The training simulator's learning curves: top-1 accuracy against epochs for one architecture,
/// a simulation (not a measurement), whose last point is exactly the simulator's full-length value.
///
/// For a training of `E` epochs ending at accuracy `F`, the clean accuracy after epoch `e` is
///
///     a(e) = c + (F - c) * (1 - exp(-k p)) / (1 - exp(-k)),   p = e / E,
///
/// the saturating exponential of freeze-thaw Bayesian optimisation (Swersky et al., 2014) and one
/// of the curve families of Domhan et al. (2015), scaled so that a(0) = c and a(E) = F exactly;
/// `c` is chance accuracy, 100 / classes. The rate `k` falls with the network's size,
/// `k = rate * (referenceMACs / macs)^sizeExponent`, so that small networks rise faster and
/// plateau lower: a small network leads a large one early in training and falls behind later,
/// the rank changes that make early stopping on partial curves hard. Each point before the last
/// gets Gaussian evaluation noise of standard deviation `fluctuation * (1 - p)` (checkpoints
/// mid-training fluctuate more than the converged network); the last point has none, since it is
/// the simulator's value. Parameters and sources: Experiments/simulator/RESULTS.md.
public struct LearningCurveModel: Sendable, Hashable {
    /// The rate k of a network of ``referenceMACs``.
    public var rate: Double
    /// MACs at which the rate is ``rate``.
    public var referenceMACs: Double
    /// How fast the rate falls with MACs (k proportional to MACs^-sizeExponent).
    public var sizeExponent: Double
    /// Evaluation noise of the first epochs, in points, as a multiple of the simulator's noise.
    public var fluctuationPerNoise: Double

    /// The simulator's curves (see RESULTS.md for the sources of each value).
    public static let standard = LearningCurveModel(rate: 5, referenceMACs: 300e6, sizeExponent: 0.3,
                                                    fluctuationPerNoise: 4)

    public init(rate: Double, referenceMACs: Double, sizeExponent: Double, fluctuationPerNoise: Double) {
        self.rate = rate
        self.referenceMACs = referenceMACs
        self.sizeExponent = sizeExponent
        self.fluctuationPerNoise = fluctuationPerNoise
    }

    /// The rate k of a network of `macs` multiply-accumulates (the reference rate for a count
    /// that is not positive).
    public func rate(macs: Int) -> Double {
        guard macs > 0 else { return rate }
        return rate * pow(referenceMACs / Double(macs), sizeExponent)
    }

    /// The share of the climb from chance to the final accuracy done after a share `progress`
    /// (in 0...1) of the training, at rate `k`: 0 at 0, 1 at 1, rising and concave.
    public static func climb(progress: Double, rate k: Double) -> Double {
        guard k > 1e-9 else { return progress }
        // expm1 keeps the ratio exact for small k p.
        return expm1(-k * progress) / expm1(-k)
    }

    /// The clean accuracy after `epoch` of `epochs` epochs of a network of `macs` that ends at
    /// `final` percent, with chance accuracy `chance`.
    public func accuracy(epoch: Int, of epochs: Int, final: Double, chance: Double, macs: Int) -> Double {
        guard epoch < epochs else { return final }
        let progress = Double(max(0, epoch)) / Double(epochs)
        return chance + (final - chance) * Self.climb(progress: progress, rate: rate(macs: macs))
    }
}
