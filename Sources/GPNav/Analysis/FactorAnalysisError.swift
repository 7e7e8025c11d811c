/// Why a study cannot be analysed.
public enum FactorAnalysisError: UserFacingError, Equatable, Sendable {
    /// Fewer complete trials than a model needs.
    case tooFewTrials(study: String, complete: Int, needed: Int)
    /// A number came out NaN or infinite.
    case nonFinite(String)
    /// The study's search space cannot be used.
    case invalidSpace(String)

    public var kind: FailureKind {
        switch self {
        case .tooFewTrials, .nonFinite: .data
        case .invalidSpace: .usage
        }
    }

    public var description: String {
        switch self {
        case .tooFewTrials(let study, let complete, let needed):
            "study '\(study)' has \(complete) complete trial\(complete == 1 ? "" : "s"); the analysis needs at least \(needed)"
        case .nonFinite(let what):
            "the analysis produced a non-finite value in \(what); the trials may be degenerate (all identical?)"
        case .invalidSpace(let detail):
            "cannot analyse over the study's search space: \(detail)"
        }
    }
}
