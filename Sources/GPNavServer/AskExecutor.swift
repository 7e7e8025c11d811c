import Dispatch
import Foundation

/// Runs suggestion requests (which may fit a GP for seconds) on a thread of their own, so that
/// NIO's event loops and Swift's small cooperative pool stay free for `/healthz`, heartbeats and
/// results while a fit runs. Jobs run one at a time, in order.
final class AskExecutor: TaskExecutor, @unchecked Sendable {
    // A serial queue: Dispatch owns the thread; @unchecked because the queue is thread-safe.
    private let queue = DispatchQueue(label: "gpnav.ask", qos: .userInitiated)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }

    /// Runs `operation` with this executor preferred for it and the non-actor code it calls.
    func run<T: Sendable>(_ operation: @Sendable () async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(self, operation: operation)
    }
}
