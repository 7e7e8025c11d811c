/// Why a Gaussian-process computation could not be done.
public enum GaussianProcessError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Sizes that do not fit together, e.g. a ragged table or a storage of the wrong length.
    case invalidShape(String)
    /// Fewer training points than a fit needs (2).
    case tooFewPoints(Int)
    /// More training points than an exact fit is allowed (its memory grows as the square).
    case tooManyPoints(Int, limit: Int)
    /// Inputs with a different number of dimensions than expected.
    case dimensionMismatch(expected: Int, actual: Int)
    /// A NaN or infinite value where a finite one is needed; the payload names it.
    case nonFinite(String)
    /// A hyperparameter vector of the wrong length or outside what the kernel allows.
    case invalidHyperparameters(String)
    /// The kernel matrix stayed numerically singular even with `jitter` added to its diagonal.
    case notPositiveDefinite(jitter: Double)
    /// The prediction for query row `row` (1-based) is NaN or infinite: its inputs, divided by the
    /// length scales, are beyond what double precision can compare with the training inputs.
    case nonFinitePrediction(row: Int)

    public var description: String {
        switch self {
        case .invalidShape(let detail):
            "invalid matrix shape: \(detail)"
        case .tooFewPoints(let count):
            "a Gaussian process needs at least 2 training points, got \(count)"
        case .tooManyPoints(let count, let limit):
            "an exact Gaussian process is limited to \(limit) training points (its kernel matrix grows as the square), got \(count)"
        case .dimensionMismatch(let expected, let actual):
            "expected inputs with \(expected) dimension(s), got \(actual)"
        case .nonFinite(let what):
            "\(what) must be finite (no NaN or infinity)"
        case .invalidHyperparameters(let detail):
            "invalid kernel hyperparameters: \(detail)"
        case .notPositiveDefinite(let jitter):
            "the kernel matrix is not positive definite even with jitter \(jitter) on its diagonal; "
                + "remove duplicate points or add a noise variance"
        case .nonFinitePrediction(let row):
            "the prediction for query row \(row) is not a finite number: its inputs are too large "
                + "for the kernel's length scales"
        }
    }
}
