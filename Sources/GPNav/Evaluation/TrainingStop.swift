import Foundation

/// A request to stop one running training early (a pruned trial), shared between whoever decides
/// and the evaluator that runs it.
///
/// Asking is idempotent and may come from any thread; the command runner polls it while the
/// command runs (at least every 100 ms) and then stops the command's whole process group:
/// SIGTERM, and SIGKILL after the evaluator's grace period, as on a time-out. A request made
/// before the command starts stops it as soon as it has started; one made after it ended changes
/// nothing. Equal only to itself.
public final class TrainingStop: Sendable, Hashable {
    private let requested = NSLock()
    nonisolated(unsafe) private var flag = false

    public init() {}

    /// Asks the training to stop.
    public func request() {
        requested.withLock { flag = true }
    }

    /// Whether a stop was asked.
    public var isRequested: Bool { requested.withLock { flag } }

    public static func == (lhs: TrainingStop, rhs: TrainingStop) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
