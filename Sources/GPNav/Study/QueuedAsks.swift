import Foundation

/// One ask waiting to be served: who asks, for how many trials, and where its answer goes.
struct QueuedAsk: Sendable {
    let worker: String
    let count: Int
    let latency: LatencyMeasuring
    /// Whether the asker can continue a paused training (``StudySnapshot/resumable``).
    var resuming = false
    let answer: CheckedContinuation<StudySuggestion, any Error>
}

/// The asks of one study waiting for their turn, in the order they arrived: a turn takes every
/// ask queued when it starts and serves them together (one read of the study for all of them).
final class QueuedAsks: @unchecked Sendable {
    // Guards `queue`; never held across a suspension.
    private let lock = NSLock()
    private var queue: [QueuedAsk] = []

    /// Queues an ask, to be served by a later ``takeAll()``.
    func add(_ ask: QueuedAsk) {
        lock.withLock { queue.append(ask) }
    }

    /// Every ask queued so far, in arrival order; the queue is left empty.
    func takeAll() -> [QueuedAsk] {
        lock.withLock {
            defer { queue.removeAll() }
            return queue
        }
    }
}
