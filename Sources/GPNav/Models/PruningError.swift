/// Why ``PruningDecision`` could not judge a trial: its settings or its curves are not usable.
public enum PruningError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidSetting(String)
    /// The trial asked about has no curve among those given.
    case unknownTrial(Int)
    /// The trial asked about is complete or pruned already.
    case notRunning(Int)
    /// A curve whose architecture has another number of encoded factors than the first curve's.
    case factorMismatch(trial: Int, expected: Int, actual: Int)
    case epochOutOfRange(trial: Int, epoch: Int, fullEpochs: Int)
    case repeatedEpoch(trial: Int, epoch: Int)
    /// An accuracy (of a report, or the best when `trial` is nil) that is not a finite percentage.
    case invalidAccuracy(trial: Int?, Double)

    public var description: String {
        switch self {
        case .invalidSetting(let detail): "invalid pruning setting: \(detail)"
        case .unknownTrial(let trial): "trial \(trial) has no learning curve"
        case .notRunning(let trial): "trial \(trial) is not running, so it cannot be stopped"
        case .factorMismatch(let trial, let expected, let actual):
            "trial \(trial)'s architecture has \(actual) encoded factors, the others \(expected)"
        case .epochOutOfRange(let trial, let epoch, let fullEpochs):
            "trial \(trial) reported epoch \(epoch), outside 1...\(fullEpochs)"
        case .repeatedEpoch(let trial, let epoch): "trial \(trial) reported epoch \(epoch) twice"
        case .invalidAccuracy(let trial?, let accuracy):
            "trial \(trial) reported accuracy \(accuracy), which is not a number within 0...100"
        case .invalidAccuracy(nil, let accuracy): "the best accuracy \(accuracy) is not a number within 0...100"
        }
    }
}
