import Foundation
import GaussianProcess

/// The hyperparameter searches of one study's model under ``ModelRefresh/background``: at most
/// one runs at a time, on a queue of its own, and its result waits here until the model takes it.
/// ``stop()`` ends them for good, so that no GP computation outlives the one who stops them.
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
    private var stopped = false
    private var finished: Outcome?

    /// Whether a search is queued or running.
    var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return running
    }

    /// Whether ``stop()`` was called: a running search should give up, and none starts again.
    var isStopped: Bool {
        lock.withLock { stopped }
    }

    /// Starts `search` unless one is queued or running already, or the searches were stopped;
    /// returns whether it started. The search is handed a check to poll between steps, true once
    /// ``stop()`` was called. A search that returns nil (it failed or gave up) leaves the model's
    /// hyperparameters as they are.
    @discardableResult
    func start(_ search: @escaping @Sendable (_ shouldStop: @escaping @Sendable () -> Bool) -> Outcome?) -> Bool {
        lock.lock()
        guard !running, !stopped else {
            lock.unlock()
            return false
        }
        running = true
        lock.unlock()
        queue.async {
            // The search returns nil when it fails; it throws nothing.
            let outcome = (try? NicedThread.run(name: "gpnav model search") { search { [self] in self.isStopped } }) ?? nil
            self.lock.lock()
            if let outcome { self.finished = outcome }
            self.running = false
            self.lock.unlock()
        }
        return true
    }

    /// Stops the searches: none starts after this, the running one is told to give up, and this
    /// returns once it has. (A server calls it before exiting: the BLAS library's exit handlers
    /// release its buffers, and must not do so under a search still computing with them.)
    func stop() async {
        lock.withLock { stopped = true }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            queue.async { done.resume() }
        }
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
