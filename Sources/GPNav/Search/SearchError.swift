import MobileViT

/// Why a search, a downsizing chain or an evaluation request cannot go on.
public enum SearchError: UserFacingError, Equatable {
    /// No architecture of the space meets the budgets.
    case budgetBelowSpace(smallestMACs: Int, smallestParams: Int)
    /// No budget was given.
    case noBudget
    /// Too many trials failed.
    case tooManyFailures(count: Int, lastReason: String)
    /// The start model is of another family than the search space.
    case startOutsideFamily(start: String, startFamily: String, spaceFamily: String)

    public var kind: FailureKind {
        switch self {
        case .budgetBelowSpace, .noBudget, .startOutsideFamily: .usage
        case .tooManyFailures: .evaluation
        }
    }

    public var description: String {
        switch self {
        case .budgetBelowSpace(let macs, let params):
            "no architecture of the search space fits the budget: the smallest needs \(macs) MACs (\(Quantity.formatCount(macs))) and \(params) parameters (\(Quantity.formatCount(params)))"
        case .noBudget:
            "no budget: a search needs a limit on MACs, parameters or weight memory"
        case .tooManyFailures(let count, let reason):
            "stopped after \(count) failed trials, the most allowed; last failure: \(reason)"
        case .startOutsideFamily(let start, let startFamily, let spaceFamily):
            "the start model \(start) is a \(startFamily), but the search space is of family \(spaceFamily)"
        }
    }
}
