/// Why a latency budget, a latency command or its measurement cannot be used.
public enum LatencyError: UserFacingError, Sendable, Hashable {
    /// A latency budget's setting is out of its range: which, and why.
    case invalidBudget(String)
    /// The latency command did not give a measurement: why, in one line.
    case measurementFailed(String)
    /// Reading an architecture again (``LatencyBudget/judgedMeasurement(reading:)``) failed: the
    /// reading's number (2 or more), the median of the readings before it, the budget, and the
    /// failed reading's error.
    indirect case repeatedReadingFailed(reading: Int, previousMs: Double, maxMs: Double, LatencyError)
    /// The command measured something other than the study's target: what differs.
    case targetMismatch(String)
    /// The study has a latency budget and the run was given nothing to measure with.
    case noMeter(study: String)
    /// No study has a latency budget on the device (a measurement or a wanted list asked of it).
    case unknownDevice(String)
    /// A measure-only worker's report of a failed measurement is unusable: why.
    case invalidFailureReport(String)

    public var description: String {
        switch self {
        case .invalidBudget(let detail): "invalid latency budget: \(detail)"
        case .measurementFailed(let reason): "latency command: \(reason)"
        case .repeatedReadingFailed(let reading, let previous, let maxMs, let error):
            "reading \(reading) of at most \(LatencyBudget.maxReadings) failed (the readings before it, median "
                + "\(LatencyBudget.millisecondsText(previous)) ms, were within the \(LatencyBudget.millisecondsText(maxMs)) ms "
                + "budget by less than the margin): \(error.description)"
        case .targetMismatch(let detail): "latency command measured another target than the study's: \(detail)"
        case .noMeter(let study): "study '\(study)' has a latency budget, and no latency command was given to measure with"
        case .unknownDevice(let device):
            "no study has a latency budget on device '\(device)'"
        case .invalidFailureReport(let detail): "invalid failed-measurement report: \(detail)"
        }
    }

    public var kind: FailureKind {
        switch self {
        case .invalidBudget, .noMeter, .invalidFailureReport: .usage
        case .unknownDevice: .notFound
        case .measurementFailed, .targetMismatch, .repeatedReadingFailed: .evaluation
        }
    }
}
