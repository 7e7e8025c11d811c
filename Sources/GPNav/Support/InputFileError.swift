/// Why an input file named on the command line cannot be used.
public struct InputFileError: UserFacingError, Equatable {
    public var path: String
    public var problem: String
    public var kind: FailureKind

    public init(path: String, problem: String, kind: FailureKind = .data) {
        self.path = path
        self.problem = problem
        self.kind = kind
    }

    public var description: String { "\(path): \(problem)" }
}
