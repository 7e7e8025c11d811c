/// What kind of failure an error is, so that the command line can pick its exit code.
public enum FailureKind: Sendable {
    /// Bad command-line input: a malformed budget, an out-of-range factor, an impossible budget.
    case usage
    /// A bad input file: malformed CSV or JSON, a bad row.
    case data
    /// Something named does not exist: a study, a trial, a preset, an input file.
    case notFound
    /// The database cannot be used: not SQLite, newer schema, read-only, missing directory.
    case database
    /// Evaluation stopped the work: too many failed trials.
    case evaluation
}

/// An error whose description is one line a user can act on.
public protocol UserFacingError: Error, CustomStringConvertible {
    /// The failure class, for the command line's exit code.
    var kind: FailureKind { get }
}
