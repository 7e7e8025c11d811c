import Foundation
import GaussianProcess

/// The hyperparameter searches of one study's model under ``ModelRefresh/background``: at most
/// one runs at a time, on a queue of its own, and its result waits here until the model takes it.
final class BackgroundRefit: @unchecked Sendable {
    /// A finished search: the kernel found for `count` observations.
    struct Outcome: Sendable {
        var kernel: Kernel
        var count: Int
        /// Whether the search made random restarts (the schedule spaces them out).
        var restarted: Bool
        /// The model's posterior cache made anew for `kernel` (nil under inline refresh).
        var posteriorCache: PosteriorCache?
        var seconds: Double
    }

    /// Runs the searches; a test may hold it (suspend it, or queue a blocking item) to see that
    /// asks do not wait for it.
    let queue = DispatchQueue(label: "gpnav.study-model-refit", qos: .utility)
    private let lock = NSLock()
    private var running = false
    private var finished: Outcome?

    /// Whether a search is queued or running.
    var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return running
    }

    /// Starts `search` unless one is queued or running already; returns whether it started. A
    /// search that returns nil (it failed) leaves the model's hyperparameters as they are.
    @discardableResult
    func start(_ search: @escaping @Sendable () -> Outcome?) -> Bool {
        lock.lock()
        guard !running else {
            lock.unlock()
            return false
        }
        running = true
        lock.unlock()
        queue.async {
            let outcome = search()
            self.lock.lock()
            if let outcome { self.finished = outcome }
            self.running = false
            self.lock.unlock()
        }
        return true
    }

    /// The latest finished search not taken yet.
    func takeFinished() -> Outcome? {
        lock.lock()
        defer { lock.unlock() }
        let outcome = finished
        finished = nil
        return outcome
    }
}
