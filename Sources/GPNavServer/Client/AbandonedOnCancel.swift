import Synchronization

/// Runs `exchange` in a task of its own that is never cancelled; when the calling task is
/// cancelled, the caller stops waiting at once with `CancellationError`, and the exchange is left
/// to end by itself (its result is dropped).
///
/// Why: URLSession's async `data(for:delegate:)` in swift-corelibs-foundation cancels its
/// URLSessionTask from inside Swift's task cancellation, which holds the task's status lock, and
/// the cancel waits on the session's queue; when that queue is at the same moment finishing the
/// exchange, it waits on the same lock to resume the task, and both wait forever (seen in CI:
/// `URLSessionTask.cancel()` against `_MultiHandle.completedTransfer`). Nothing here cancels a
/// URLSession task, so nothing can wait on that lock; an abandoned exchange ends within the
/// session's request time-out.
func abandonedOnCancel<Value: Sendable>(_ exchange: @escaping @Sendable () async throws -> Value) async throws -> Value {
    let outcome = FirstOutcome<Value>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
            guard outcome.wait(continuation) else { return }
            Task {
                do {
                    outcome.settle(.success(try await exchange()))
                } catch {
                    outcome.settle(.failure(error))
                }
            }
        }
    } onCancel: {
        outcome.settle(.failure(CancellationError()))
    }
}

/// The first of an exchange's result and the caller's cancellation, handed to one waiting
/// continuation exactly once, whichever order they come in.
private final class FirstOutcome<Value: Sendable>: Sendable {
    private enum State {
        case idle
        case waiting(CheckedContinuation<Value, any Error>)
        case settled(Result<Value, any Error>)
        case delivered
    }

    private let state = Mutex<State>(.idle)

    /// Installs the waiting continuation; false when the outcome was settled before (the caller
    /// was cancelled already), in which case it is resumed here and there is nothing to start.
    func wait(_ continuation: CheckedContinuation<Value, any Error>) -> Bool {
        let early: Result<Value, any Error>? = state.withLock { state in
            guard case .settled(let result) = state else {
                state = .waiting(continuation)
                return nil
            }
            state = .delivered
            return result
        }
        guard let early else { return true }
        continuation.resume(with: early)
        return false
    }

    /// The outcome, if none came before: resumes the waiting continuation, or keeps the outcome
    /// for it. A later one is dropped.
    func settle(_ result: Result<Value, any Error>) {
        let waiting: CheckedContinuation<Value, any Error>? = state.withLock { state in
            switch state {
            case .idle:
                state = .settled(result)
                return nil
            case .waiting(let continuation):
                state = .delivered
                return continuation
            case .settled, .delivered:
                return nil
            }
        }
        waiting?.resume(with: result)
    }
}
