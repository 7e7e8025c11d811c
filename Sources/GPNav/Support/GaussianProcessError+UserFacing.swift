import GaussianProcess

/// Gaussian-process failures reach the user as data problems, except hyperparameters, which come
/// from command-line flags.
extension GaussianProcessError: UserFacingError {
    public var kind: FailureKind {
        switch self {
        case .invalidHyperparameters: .usage
        default: .data
        }
    }
}
