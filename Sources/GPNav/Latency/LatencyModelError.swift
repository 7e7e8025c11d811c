/// Why a latency model cannot be fitted or cannot predict.
public enum LatencyModelError: UserFacingError, Sendable, Hashable {
    /// Too few measurements of the family on the target to fit its terms and hold some out.
    case tooFewMeasurements(family: String, target: String, have: Int, need: Int)
    /// The architecture's family has no model among those fitted on the target.
    case otherFamily(String)
    /// The fit failed (measurements that are not finite, or no convergence): why.
    case fitFailed(String)

    public var description: String {
        switch self {
        case .tooFewMeasurements(let family, let target, let have, let need):
            "\(have) \(family) measurement\(have == 1 ? "" : "s") on \(target); a latency model needs at least \(need)"
        case .otherFamily(let family): "the latency model is of another family than \(family)"
        case .fitFailed(let reason): "the latency model could not be fitted: \(reason)"
        }
    }

    public var kind: FailureKind {
        switch self {
        case .tooFewMeasurements: .notFound
        case .otherFamily: .usage
        case .fitFailed: .data
        }
    }
}
